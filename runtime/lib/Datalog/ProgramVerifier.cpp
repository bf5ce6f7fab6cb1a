//===- ProgramVerifier.cpp - Decode and verify Datalog sections -----------===//
//
// Every byte of the DatalogRelations and DatalogCode sections is checked
// before anything runs: lengths, relation/index/register/string indices,
// enumerations, versions (delta and new only inside a fixpoint over the
// relation), where each instruction may appear (Accumulate only inside an
// Aggregate, Insert never inside one), and that each body ends exactly at
// its declared size. Decoding and verification are one pass, so the
// interpreter only ever sees a verified tree.
//
//===----------------------------------------------------------------------===//

#include "ProgramImage.h"

#include "rune/Runtime/BytecodeReader.h"

#include <cstdio>
#include <cstring>

using namespace rune;
using namespace rune::datalog;
using namespace rune::datalog::detail;
using bc::DatalogOpcode;

namespace {

class Decoder {
public:
  Decoder(const bc::Module &module, ProgramImage &image, std::string &error)
      : module(module), image(image), error(error) {}

  bool decode() {
    if (!module.datalogRelations || !module.datalogCode)
      return fail("datalog: the module has no Datalog program");
    section = "DatalogRelations";
    begin = module.datalogRelations;
    pos = begin;
    end = begin + module.datalogRelationsSize;
    if (!decodeRelations())
      return false;
    section = "DatalogCode";
    begin = module.datalogCode;
    pos = begin;
    end = begin + module.datalogCodeSize;
    if (!u32(image.registerCount))
      return false;
    if (image.registerCount > 65536)
      return fail("register count " + std::to_string(image.registerCount) +
                  " exceeds 65536");
    Context top;
    top.level = Level::Top;
    return decodeBody(end, image.statements, top);
  }

private:
  enum class Level { Top, Stratum, Fixpoint, Query };
  struct Context {
    Level level = Level::Top;
    const std::vector<uint16_t> *fixpoint = nullptr;
    bool inAggregate = false;
    /// Relations (full versions) that enclosing scans and lookups iterate:
    /// inserting into one would invalidate its cursor.
    std::vector<uint16_t> iterated;
    /// Bodies enclosing this one: decoding and running recurse per level,
    /// so the depth is bounded to keep a crafted module from exhausting
    /// the stack.
    unsigned depth = 0;
  };
  static constexpr unsigned kMaxDepth = 256;

  bool fail(const std::string &message) {
    char where[96];
    std::snprintf(where, sizeof where, "datalog: %s offset %zu: ", section,
                  static_cast<size_t>(pos - begin));
    error = where + message;
    return false;
  }

  bool need(size_t n) {
    if (static_cast<size_t>(end - pos) < n)
      return fail("truncated (need " + std::to_string(n) + " more bytes)");
    return true;
  }
  bool u8(uint8_t &v) {
    if (!need(1))
      return false;
    v = *pos++;
    return true;
  }
  bool u16(uint16_t &v) {
    if (!need(2))
      return false;
    v = uint16_t(pos[0] | (pos[1] << 8));
    pos += 2;
    return true;
  }
  bool u32(uint32_t &v) {
    if (!need(4))
      return false;
    v = uint32_t(pos[0]) | (uint32_t(pos[1]) << 8) | (uint32_t(pos[2]) << 16) |
        (uint32_t(pos[3]) << 24);
    pos += 4;
    return true;
  }
  bool u64(uint64_t &v) {
    uint32_t lo, hi;
    if (!u32(lo) || !u32(hi))
      return false;
    v = uint64_t(lo) | (uint64_t(hi) << 32);
    return true;
  }
  bool string(uint32_t &index) {
    if (!u32(index))
      return false;
    if (index >= module.strings.size())
      return fail("string index " + std::to_string(index) + " out of range");
    return true;
  }
  bool stringValue(std::string &out) {
    uint32_t index;
    if (!string(index))
      return false;
    out = std::string(module.strings[index]);
    return true;
  }
  bool columnType(ColumnType &type) {
    uint8_t code;
    if (!u8(code))
      return false;
    if (code >= bc::kNumDatalogColumnTypes)
      return fail("unknown column type " + std::to_string(code));
    type = static_cast<ColumnType>(code);
    return true;
  }

  bool decodeRelations() {
    uint32_t count;
    if (!u32(count))
      return false;
    if (count > 65535)
      return fail("too many relations");
    for (uint32_t r = 0; r < count; ++r) {
      RelationInfo rel;
      uint8_t arity, flags;
      if (!stringValue(rel.name) || !u8(arity))
        return false;
      for (unsigned c = 0; c < arity; ++c) {
        std::string name;
        ColumnType type;
        if (!stringValue(name) || !columnType(type))
          return false;
        rel.columnNames.push_back(std::move(name));
        rel.types.push_back(type);
      }
      if (!u8(flags))
        return false;
      if (flags &
          ~(bc::kDatalogInput | bc::kDatalogOutput | bc::kDatalogPrintSize |
            bc::kDatalogOutputStdout | bc::kDatalogAuxiliary))
        return fail("unknown relation flags");
      rel.io.auxiliary = flags & bc::kDatalogAuxiliary;
      if (rel.io.auxiliary &&
          (flags & (bc::kDatalogInput | bc::kDatalogOutput)))
        return fail("an auxiliary relation with the input or output flag");
      rel.io.input = flags & bc::kDatalogInput;
      rel.io.output = flags & bc::kDatalogOutput;
      rel.io.printSize = flags & bc::kDatalogPrintSize;
      rel.io.outputToStdout = flags & bc::kDatalogOutputStdout;
      if (rel.io.outputToStdout && !rel.io.output)
        return fail("stdout flag without the output flag");
      if (rel.io.input && (!stringValue(rel.io.inputFile) ||
                           !stringValue(rel.io.inputDelimiter)))
        return false;
      if (rel.io.output && (!stringValue(rel.io.outputFile) ||
                            !stringValue(rel.io.outputDelimiter)))
        return false;
      if ((rel.io.input &&
           (rel.io.inputDelimiter.empty() ||
            rel.io.inputDelimiter.find('\n') != std::string::npos)) ||
          (rel.io.output &&
           (rel.io.outputDelimiter.empty() ||
            rel.io.outputDelimiter.find('\n') != std::string::npos)))
        return fail("a delimiter must be non-empty and hold no newline");
      uint8_t indexCount;
      if (!u8(indexCount))
        return false;
      if (indexCount == 0)
        return fail("relation '" + rel.name + "' has no index");
      for (unsigned i = 0; i < indexCount; ++i) {
        IndexOrder order;
        std::vector<bool> seen(arity, false);
        for (unsigned c = 0; c < arity; ++c) {
          uint8_t column;
          if (!u8(column))
            return false;
          if (column >= arity || seen[column])
            return fail("index " + std::to_string(i) + " of relation '" +
                        rel.name + "' is not a permutation of its columns");
          seen[column] = true;
          order.push_back(column);
        }
        rel.indexes.push_back(std::move(order));
      }
      for (const RelationInfo &other : image.relations)
        if (other.name == rel.name)
          return fail("duplicate relation '" + rel.name + "'");
      image.relations.push_back(std::move(rel));
    }
    if (pos != end)
      return fail("trailing bytes after the relations");
    return true;
  }

  bool reg(uint16_t &r, unsigned width = 1) {
    if (!u16(r))
      return false;
    if (uint32_t(r) + width > image.registerCount)
      return fail("register range " + std::to_string(r) + "+" +
                  std::to_string(width) + " exceeds the register count " +
                  std::to_string(image.registerCount));
    return true;
  }
  bool relation(uint16_t &r) {
    if (!u16(r))
      return false;
    if (r >= image.relations.size())
      return fail("relation " + std::to_string(r) + " out of range");
    return true;
  }
  bool version(const Context &ctx, uint16_t rel, bc::DatalogVersion &v,
               bool forInsert) {
    uint8_t code;
    if (!u8(code))
      return false;
    if (code > 2)
      return fail("unknown relation version " + std::to_string(code));
    v = static_cast<bc::DatalogVersion>(code);
    if (v != bc::DatalogVersion::Full) {
      bool listed = false;
      if (ctx.fixpoint)
        for (uint16_t r : *ctx.fixpoint)
          listed |= r == rel;
      if (!listed)
        return fail("delta/new version of relation '" +
                    image.relations[rel].name + "' outside a fixpoint over it");
    }
    if (forInsert && v == bc::DatalogVersion::Delta)
      return fail("insert into a delta version");
    if (!forInsert && v == bc::DatalogVersion::New)
      return fail("read of a new version");
    if (forInsert && ctx.fixpoint && v == bc::DatalogVersion::Full)
      for (uint16_t r : *ctx.fixpoint)
        if (r == rel)
          return fail("insert into the full version of a relation inside "
                      "a fixpoint over it");
    return true;
  }
  bool index(uint16_t rel, uint8_t &idx) {
    if (!u8(idx))
      return false;
    if (idx >= image.relations[rel].indexes.size())
      return fail("index " + std::to_string(idx) + " out of range");
    return true;
  }
  bool enumeration(uint8_t &v, uint8_t limit, const char *what) {
    if (!u8(v))
      return false;
    if (v >= limit)
      return fail(std::string("unknown ") + what + " " + std::to_string(v));
    return true;
  }
  /// Reads a body size and returns where the body ends.
  bool bodyEnd(const uint8_t *&bodyEnd) {
    uint32_t size;
    if (!u32(size))
      return false;
    if (size > static_cast<size_t>(end - pos))
      return fail("body of " + std::to_string(size) +
                  " bytes extends past its enclosing body");
    bodyEnd = pos + size;
    return true;
  }

  bool decodeBody(const uint8_t *bodyLimit, std::vector<Instr> &out,
                  const Context &ctx) {
    const uint8_t *outer = end;
    end = bodyLimit;
    while (pos < end) {
      Instr instr;
      if (!decodeInstr(instr, ctx))
        return false;
      out.push_back(std::move(instr));
    }
    end = outer;
    return true;
  }

  bool nested(Instr &instr, const Context &outer) {
    if (outer.depth >= kMaxDepth)
      return fail("bodies nested deeper than " + std::to_string(kMaxDepth));
    Context inner = outer;
    ++inner.depth;
    const uint8_t *limit;
    return bodyEnd(limit) && decodeBody(limit, instr.body, inner);
  }

  bool decodeInstr(Instr &instr, const Context &ctx) {
    uint8_t opcode;
    if (!u8(opcode))
      return false;
    instr.op = static_cast<DatalogOpcode>(opcode);
    bool isStatement = opcode == uint8_t(DatalogOpcode::Stratum) ||
                       opcode == uint8_t(DatalogOpcode::Fixpoint) ||
                       opcode == uint8_t(DatalogOpcode::Query);
    if (isStatement != (ctx.level != Level::Query)) {
      --pos;
      return fail("opcode 0x" + hex(opcode) + " cannot appear here");
    }
    switch (instr.op) {
    case DatalogOpcode::Stratum: {
      if (ctx.level != Level::Top)
        return fail("a stratum can only appear at the top level");
      Context inner;
      inner.level = Level::Stratum;
      return nested(instr, inner);
    }
    case DatalogOpcode::Fixpoint: {
      if (ctx.level == Level::Fixpoint)
        return fail("fixpoints cannot nest");
      uint16_t n;
      if (!u16(n))
        return false;
      for (unsigned i = 0; i < n; ++i) {
        uint16_t rel;
        if (!relation(rel))
          return false;
        for (uint16_t listed : instr.relations)
          if (listed == rel)
            return fail("relation '" + image.relations[rel].name +
                        "' listed twice in a fixpoint");
        instr.relations.push_back(rel);
      }
      Context inner;
      inner.level = Level::Fixpoint;
      inner.fixpoint = &instr.relations;
      return nested(instr, inner);
    }
    case DatalogOpcode::Query: {
      Context inner = ctx;
      inner.level = Level::Query;
      return nested(instr, inner);
    }
    case DatalogOpcode::Scan: {
      if (!relation(instr.relation) ||
          !version(ctx, instr.relation, instr.version, false))
        return false;
      unsigned arity = image.relations[instr.relation].types.size();
      return reg(instr.dst, arity) && nested(instr, iterating(ctx, instr));
    }
    case DatalogOpcode::Lookup:
    case DatalogOpcode::NotExists: {
      if (!relation(instr.relation) ||
          !version(ctx, instr.relation, instr.version, false) ||
          !index(instr.relation, instr.index))
        return false;
      unsigned arity = image.relations[instr.relation].types.size();
      uint16_t keys;
      if (!u16(keys) || !u8(instr.count))
        return false;
      if (instr.count > arity)
        return fail("more keys than columns");
      instr.hint = image.hintCount++;
      pos -= 3;
      if (!reg(instr.a, instr.count))
        return false;
      pos += 1;
      if (instr.op == DatalogOpcode::NotExists)
        return true;
      return reg(instr.dst, arity) && nested(instr, iterating(ctx, instr));
    }
    case DatalogOpcode::Insert: {
      if (ctx.inAggregate)
        return fail("insert inside an aggregate");
      if (!relation(instr.relation) ||
          !version(ctx, instr.relation, instr.version, true))
        return false;
      if (instr.version == bc::DatalogVersion::Full)
        for (uint16_t rel : ctx.iterated)
          if (rel == instr.relation)
            return fail("insert into relation '" + image.relations[rel].name +
                        "' while an enclosing loop iterates over it");
      return reg(instr.a, image.relations[instr.relation].types.size());
    }
    case DatalogOpcode::Filter:
      return reg(instr.a);
    case DatalogOpcode::Aggregate: {
      if (!enumeration(instr.kind, bc::kNumDatalogAggregates, "aggregate") ||
          !columnType(instr.type) || !reg(instr.dst))
        return false;
      Context inner = ctx;
      inner.inAggregate = true;
      return nested(instr, inner);
    }
    case DatalogOpcode::Accumulate:
      if (!ctx.inAggregate)
        return fail("accumulate outside an aggregate");
      return reg(instr.a);
    case DatalogOpcode::ConstWord:
      return reg(instr.dst) && u64(instr.word);
    case DatalogOpcode::ConstSymbol:
    case DatalogOpcode::ConstAnySymbol:
      return reg(instr.dst) && string(instr.string);
    case DatalogOpcode::Move:
      return reg(instr.dst) && reg(instr.a);
    case DatalogOpcode::Compare:
      return enumeration(instr.kind, bc::kNumDatalogCompares, "comparison") &&
             columnType(instr.type) && reg(instr.dst) && reg(instr.a) &&
             reg(instr.b);
    case DatalogOpcode::Arith:
      return enumeration(instr.kind, bc::kNumDatalogAriths, "arithmetic") &&
             columnType(instr.type) && reg(instr.dst) && reg(instr.a) &&
             reg(instr.b);
    case DatalogOpcode::Test:
      if (!enumeration(instr.kind, bc::kNumDatalogTests, "test") ||
          !columnType(instr.type) || !reg(instr.dst) || !reg(instr.a) ||
          !reg(instr.b))
        return false;
      return stringDomain(instr.type);
    case DatalogOpcode::Functor: {
      if (!enumeration(instr.kind, bc::kNumDatalogFunctors, "functor") ||
          !columnType(instr.type) || !reg(instr.dst))
        return false;
      uint16_t first;
      if (!u16(first) || !u8(instr.count))
        return false;
      pos -= 3;
      if (!reg(instr.a, instr.count))
        return false;
      pos += 1;
      static const int arities[] = {-1, 1, 3, 1, 1};
      int arity = arities[instr.kind];
      if ((arity < 0 && instr.count < 1) ||
          (arity >= 0 && instr.count != arity))
        return fail("wrong argument count " + std::to_string(instr.count) +
                    " for functor " + std::to_string(instr.kind));
      return stringDomain(instr.type);
    }
    }
    --pos;
    return fail("unknown opcode 0x" + hex(opcode));
  }

  static Context iterating(const Context &ctx, const Instr &loop) {
    Context inner = ctx;
    if (loop.version == bc::DatalogVersion::Full)
      inner.iterated.push_back(loop.relation);
    return inner;
  }

  bool stringDomain(ColumnType type) {
    if (type != ColumnType::Symbol && type != ColumnType::Any)
      return fail("string operations work on symbol or any words");
    return true;
  }

  static std::string hex(uint8_t byte) {
    char buffer[3];
    std::snprintf(buffer, sizeof buffer, "%02x", byte);
    return buffer;
  }

  const bc::Module &module;
  ProgramImage &image;
  std::string &error;
  const char *section = "";
  const uint8_t *begin = nullptr;
  const uint8_t *pos = nullptr;
  const uint8_t *end = nullptr;
};

} // namespace

bool rune::datalog::detail::decodeProgram(const bc::Module &module,
                                          ProgramImage &image,
                                          std::string &error) {
  return Decoder(module, image, error).decode();
}

bool rune::datalog::verifyProgram(const bc::Module &module,
                                  std::string &error) {
  ProgramImage image;
  return decodeProgram(module, image, error);
}
