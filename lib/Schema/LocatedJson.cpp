//===- LocatedJson.cpp - JSON documents with source positions -------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "LocatedJson.h"

#include "llvm/ADT/StringExtras.h"

#include <nlohmann/json.hpp>

#include <iterator>
#include <set>

using namespace rune;
using namespace rune::schema::detail;

const JsonValue *JsonValue::find(llvm::StringRef key) const {
  for (const JsonMember &member : members)
    if (member.key == key)
      return &member.value;
  return nullptr;
}

llvm::StringRef JsonValue::describe() const {
  // The runtime's JSON tree names its kinds the same way.
  return llvm::StringRef(json::kindName(kind));
}

namespace {

/// A character iterator over the buffer that records, in `*consumed`, how
/// many bytes the parser has read so far. nlohmann's lexer reads one byte
/// at a time through it, so at each SAX event the value just scanned ends
/// at (or, for numbers, one byte before) that position.
class TrackingIterator {
public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char *;
  using reference = const char &;

  TrackingIterator() = default;
  TrackingIterator(const char *base, size_t offset, size_t *consumed)
      : base(base), offset(offset), consumed(consumed) {}

  reference operator*() const { return base[offset]; }
  TrackingIterator &operator++() {
    ++offset;
    if (consumed)
      *consumed = offset;
    return *this;
  }
  TrackingIterator operator++(int) {
    TrackingIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const TrackingIterator &other) const {
    return offset == other.offset;
  }
  bool operator!=(const TrackingIterator &other) const {
    return offset != other.offset;
  }

private:
  const char *base = nullptr;
  size_t offset = 0;
  size_t *consumed = nullptr;
};

class DomBuilder {
public:
  using json = nlohmann::json;

  DomBuilder(llvm::StringRef text, DiagnosticEngine &diags, unsigned maxDepth)
      : text(text), diags(diags), maxDepth(maxDepth) {}

  size_t consumed = 0;
  std::optional<JsonValue> root;
  bool failed = false;

  bool null() { return scalar(JsonValue::Kind::Null, literalStart(4)); }
  bool boolean(bool value) {
    JsonValue v;
    v.kind = JsonValue::Kind::Bool;
    v.boolean = value;
    v.offset = literalStart(value ? 4 : 5);
    return attach(std::move(v));
  }
  bool number_integer(json::number_integer_t) { return number(); }
  bool number_unsigned(json::number_unsigned_t) { return number(); }
  bool number_float(json::number_float_t, const json::string_t &) {
    return number();
  }
  bool string(json::string_t &value) {
    JsonValue v;
    v.kind = JsonValue::Kind::String;
    v.string = value;
    v.offset = stringStart();
    return attach(std::move(v));
  }
  bool binary(json::binary_t &) { return scalar(JsonValue::Kind::Null, 0); }

  bool start_object(std::size_t) { return open(JsonValue::Kind::Object); }
  bool start_array(std::size_t) { return open(JsonValue::Kind::Array); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(json::string_t &key) {
    size_t offset = stringStart();
    if (!keys.back().insert(key).second) {
      diags.error(locAt(offset), "duplicate key \"" + key + "\" in object");
      failed = true;
      return false;
    }
    JsonMember &member = stack.back().members.emplace_back();
    member.key = key;
    member.keyOffset = offset;
    return true;
  }

  bool parse_error(std::size_t position, const std::string &,
                   const nlohmann::detail::exception &e) {
    // nlohmann's messages read "[json.exception.parse_error.101] parse error
    // at line 1, column 2: syntax error while parsing value - ..."; the
    // location is shown by the diagnostic itself.
    llvm::StringRef message = e.what();
    size_t colon = message.find(": ", message.find("column"));
    if (colon != llvm::StringRef::npos)
      message = message.drop_front(colon + 2);
    diags.error(locAt(position == 0 ? 0 : position - 1),
                "invalid JSON: " + message);
    failed = true;
    return false;
  }

private:
  llvm::SMLoc locAt(size_t offset) const {
    return llvm::SMLoc::getFromPointer(text.data() +
                                       std::min(offset, text.size()));
  }

  /// The start of the string token that ends just before `consumed`.
  size_t stringStart() const {
    size_t close = consumed == 0 ? 0 : consumed - 1;
    for (size_t i = close; i-- > 0;) {
      if (text[i] != '"')
        continue;
      size_t backslashes = 0;
      for (size_t j = i; j-- > 0 && text[j] == '\\';)
        ++backslashes;
      if (backslashes % 2 == 0)
        return i;
    }
    return 0;
  }

  size_t literalStart(size_t length) const {
    return consumed >= length ? consumed - length : 0;
  }

  /// The lexer reads one byte past a number before handing it over.
  size_t numberStart() const {
    auto isNumberChar = [](char c) {
      return llvm::isDigit(c) || llvm::StringRef("+-.eE").contains(c);
    };
    size_t end = std::min(consumed, text.size());
    while (end > 0 && !isNumberChar(text[end - 1]))
      --end;
    size_t start = end;
    while (start > 0 && isNumberChar(text[start - 1]))
      --start;
    return start;
  }

  bool number() {
    JsonValue v;
    v.kind = JsonValue::Kind::Number;
    v.offset = numberStart();
    return attach(std::move(v));
  }

  bool scalar(JsonValue::Kind kind, size_t offset) {
    JsonValue v;
    v.kind = kind;
    v.offset = offset;
    return attach(std::move(v));
  }

  bool open(JsonValue::Kind kind) {
    if (stack.size() >= maxDepth) {
      diags.error(locAt(consumed == 0 ? 0 : consumed - 1),
                  "JSON document is nested too deeply (the limit is " +
                      llvm::Twine(maxDepth) + " levels)");
      failed = true;
      return false;
    }
    JsonValue &v = stack.emplace_back();
    v.kind = kind;
    v.offset = consumed == 0 ? 0 : consumed - 1;
    keys.emplace_back();
    return true;
  }

  bool close() {
    JsonValue v = std::move(stack.back());
    stack.pop_back();
    keys.pop_back();
    return attach(std::move(v));
  }

  bool attach(JsonValue v) {
    if (stack.empty()) {
      root = std::move(v);
      return true;
    }
    JsonValue &parent = stack.back();
    if (parent.kind == JsonValue::Kind::Array)
      parent.elements.push_back(std::move(v));
    else
      parent.members.back().value = std::move(v);
    return true;
  }

  llvm::StringRef text;
  DiagnosticEngine &diags;
  unsigned maxDepth;
  /// Arrays and objects being built, outermost first.
  std::vector<JsonValue> stack;
  /// The keys seen so far in each object on the stack.
  std::vector<std::set<std::string>> keys;
};

} // namespace

std::optional<JsonValue> rune::schema::detail::parseLocatedJson(
    unsigned bufferId, DiagnosticEngine &diags, unsigned maxDepth) {
  llvm::StringRef text =
      diags.getSourceMgr().getMemoryBuffer(bufferId)->getBuffer();
  DomBuilder builder(text, diags, maxDepth);
  TrackingIterator first(text.data(), 0, &builder.consumed);
  TrackingIterator last(text.data(), text.size(), nullptr);
  try {
    nlohmann::json::sax_parse(first, last, &builder);
  } catch (const std::exception &e) {
    diags.error(llvm::SMLoc::getFromPointer(text.data()),
                llvm::Twine("invalid JSON: ") + e.what());
    return std::nullopt;
  }
  if (builder.failed || !builder.root)
    return std::nullopt;
  return std::move(builder.root);
}
