//===- DataSection.cpp - The [data] section of a .rune file ---------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// toml++ parses a copy of the file in which everything but the `[data]`
// header and its section is blank (newlines kept): the document is then
// `{data = {...}}`, the relative table headers `[data.agent]` are ordinary
// TOML, and toml++'s line/column positions are those of the file.
//
// Facts: a scalar at key path K gives `K(v)`; an array gives one fact per
// element, with nested arrays flattened and the tables in arrays
// contributing their own leaves under `K.<key>` (documented in
// docs/rune-language.md).
//
//===----------------------------------------------------------------------===//

#include "DataSection.h"
#include "Sections.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/MemoryBuffer.h"

#include <toml++/toml.h>

#include <algorithm>

using namespace rune;
using namespace rune::runefile;
using namespace rune::runefile::detail;

namespace {

/// The integers an `any` column holds: 62-bit two's complement.
constexpr int64_t MaxAnyInteger = (int64_t(1) << 61) - 1;
constexpr int64_t MinAnyInteger = -(int64_t(1) << 61);

class DataBuilder {
public:
  DataBuilder(unsigned bufferId, DiagnosticEngine &diags)
      : bufferId(bufferId), diags(diags) {}

  llvm::SMLoc locOf(const toml::source_position &position) const {
    if (!position)
      return {};
    return diags.getSourceMgr().FindLocForLineAndColumn(bufferId, position.line,
                                                        position.column);
  }

  llvm::SMRange rangeOf(const toml::source_region &region) const {
    llvm::SMLoc begin = locOf(region.begin);
    llvm::SMLoc end = locOf(region.end);
    if (!end.isValid() || end.getPointer() < begin.getPointer())
      end = begin;
    return {begin, end};
  }

  /// Converts `node` (at `path`) into `out`; false after an error.
  bool convert(const toml::node &node, const std::string &path,
               DataValue &out) {
    out.range = rangeOf(node.source());
    switch (node.type()) {
    case toml::node_type::string:
      out.kind = DataValue::Kind::String;
      out.string = node.as_string()->get();
      return true;
    case toml::node_type::integer: {
      int64_t value = node.as_integer()->get();
      if (value > MaxAnyInteger || value < MinAnyInteger) {
        diags.error(out.range.Start,
                    "integer " + llvm::Twine(value) + " of '" + path +
                        "' does not fit the 62-bit integers of rule columns",
                    {out.range});
        return false;
      }
      out.kind = DataValue::Kind::Integer;
      out.integer = value;
      return true;
    }
    case toml::node_type::boolean:
      out.kind = DataValue::Kind::Boolean;
      out.boolean = node.as_boolean()->get();
      return true;
    case toml::node_type::array: {
      out.kind = DataValue::Kind::Array;
      bool ok = true;
      for (const toml::node &element : *node.as_array()) {
        DataValue value;
        ok &= convert(element, path, value);
        out.elements.push_back(std::move(value));
      }
      return ok;
    }
    case toml::node_type::table:
      out.kind = DataValue::Kind::Table;
      return convertTable(*node.as_table(), path, out);
    case toml::node_type::floating_point:
      return unsupported(out.range, path, "floating-point number");
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
      return unsupported(out.range, path, "date or time");
    case toml::node_type::none:
      break;
    }
    return unsupported(out.range, path, "value");
  }

  bool convertTable(const toml::table &table, const std::string &path,
                    DataValue &out) {
    // toml++ keeps tables sorted by key; the data keeps the source order.
    std::vector<std::pair<const toml::key *, const toml::node *>> entries;
    for (auto &&[key, node] : table)
      entries.emplace_back(&key, &node);
    std::stable_sort(entries.begin(), entries.end(), [](auto &a, auto &b) {
      const toml::source_position &pa = a.first->source().begin;
      const toml::source_position &pb = b.first->source().begin;
      return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
    });
    bool ok = true;
    for (auto [key, node] : entries) {
      std::string keyPath = path.empty() ? std::string(key->str())
                                         : path + "." + std::string(key->str());
      DataValue value;
      ok &= convert(*node, keyPath, value);
      out.entries.emplace_back(std::string(key->str()), std::move(value));
    }
    return ok;
  }

  /// Collects the facts of `value` found at `path` (its key at `keyRange`).
  void collectFacts(const DataValue &value, const std::string &path,
                    llvm::SMRange keyRange, std::vector<DataFact> &facts) {
    switch (value.kind) {
    case DataValue::Kind::String:
    case DataValue::Kind::Integer:
    case DataValue::Kind::Boolean:
      facts.push_back({path, value, keyRange});
      return;
    case DataValue::Kind::Array:
      for (const DataValue &element : value.elements)
        collectFacts(element, path, keyRange, facts);
      return;
    case DataValue::Kind::Table:
      for (const auto &[key, entry] : value.entries)
        collectFacts(entry, path.empty() ? key : path + "." + key,
                     keyRanges.lookup(&entry), facts);
      return;
    }
  }

  /// Remembers where each table entry's key is written.
  void recordKeyRanges(const toml::table &table, const DataValue &value) {
    for (const auto &[key, entry] : value.entries) {
      auto it = table.find(key);
      if (it == table.end())
        continue;
      keyRanges[&entry] = rangeOf(it->first.source());
      if (entry.kind == DataValue::Kind::Table && it->second.is_table())
        recordKeyRanges(*it->second.as_table(), entry);
      if (entry.kind == DataValue::Kind::Array && it->second.is_array())
        recordArrayKeyRanges(*it->second.as_array(), entry);
    }
  }

  void recordArrayKeyRanges(const toml::array &array, const DataValue &value) {
    for (size_t i = 0; i < array.size() && i < value.elements.size(); ++i) {
      const toml::node &node = array[i];
      const DataValue &element = value.elements[i];
      if (node.is_table() && element.kind == DataValue::Kind::Table)
        recordKeyRanges(*node.as_table(), element);
      else if (node.is_array() && element.kind == DataValue::Kind::Array)
        recordArrayKeyRanges(*node.as_array(), element);
    }
  }

  llvm::DenseMap<const DataValue *, llvm::SMRange> keyRanges;

private:
  bool unsupported(llvm::SMRange range, const std::string &path,
                   llvm::StringRef what) {
    diags.error(range.Start,
                llvm::Twine(what) + " in '" + path +
                    "': [data] values are strings, integers, booleans, "
                    "arrays and tables",
                {range});
    return false;
  }

  unsigned bufferId;
  DiagnosticEngine &diags;
};

} // namespace

bool rune::runefile::detail::parseDataSection(unsigned bufferId,
                                              const Section &section,
                                              RuneFile &file,
                                              DiagnosticEngine &diags) {
  llvm::StringRef text =
      diags.getSourceMgr().getMemoryBuffer(bufferId)->getBuffer();
  std::string document =
      blankOutside(text, {section.header.Start, section.body.End});
  DataBuilder builder(bufferId, diags);

  toml::table root;
  try {
    root = toml::parse(document);
  } catch (const toml::parse_error &error) {
    llvm::SMLoc loc = builder.locOf(error.source().begin);
    std::string message(error.description());
    if (loc.isValid())
      diags.error(loc, "invalid TOML in [data]: " + message);
    else
      diags.error(section.header.Start, "invalid TOML in [data]: " + message);
    return false;
  }

  const toml::table *data = root["data"].as_table();
  file.data.kind = DataValue::Kind::Table;
  file.data.range = section.body;
  if (!data)
    return true;
  if (!builder.convertTable(*data, "", file.data))
    return false;
  builder.recordKeyRanges(*data, file.data);
  builder.collectFacts(file.data, "", section.header, file.dataFacts);
  return true;
}
