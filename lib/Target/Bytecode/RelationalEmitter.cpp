//===- RelationalEmitter.cpp - Datalog programs -> bytecode ---------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// One register per SSA value, numbered per query from 0 (queries run one
// after the other, so they share the register file; its size is the
// largest query's). Operations whose operands must be consecutive registers
// (lookup keys, insert tuples, functor arguments) get them through moves.
//
//===----------------------------------------------------------------------===//

#include "rune/Target/Bytecode/RelationalEmitter.h"
#include "rune/Dialect/Rune/DatalogEncoding.h"
#include "rune/Dialect/Rune/RuneOps.h"
#include "rune/Runtime/BytecodeWriter.h"
#include "rune/Runtime/Datalog/Word.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace rune;
using bc::DatalogOpcode;

namespace {

class Encoder {
public:
  explicit Encoder(bc::ModuleWriter &writer) : writer(writer) {}

  LogicalResult emit(DlProgramOp program) {
    Block &body = program.getBody().front();
    std::vector<uint8_t> relations;
    std::vector<DlRelationOp> decls(body.getOps<DlRelationOp>().begin(),
                                    body.getOps<DlRelationOp>().end());
    put32(relations, decls.size());
    for (DlRelationOp rel : decls) {
      relationIds[rel.getSymName()] = relationIds.size();
      if (failed(emitRelation(rel, relations)))
        return failure();
    }
    bytes.clear();
    put32(bytes, 0); // register count, patched below
    for (Operation &op : body) {
      if (isa<DlRelationOp>(op))
        continue;
      if (failed(emitStatement(&op)))
        return failure();
    }
    patch32(bytes, 0, maxRegisters);
    writer.setDatalogSections(std::move(relations), std::move(bytes));
    return success();
  }

private:
  //===--- Bytes ----------------------------------------------------------===//

  static void put8(std::vector<uint8_t> &out, uint64_t v) {
    out.push_back(uint8_t(v));
  }
  static void put16(std::vector<uint8_t> &out, uint64_t v) {
    put8(out, v);
    put8(out, v >> 8);
  }
  static void put32(std::vector<uint8_t> &out, uint64_t v) {
    put16(out, v);
    put16(out, v >> 16);
  }
  static void put64(std::vector<uint8_t> &out, uint64_t v) {
    put32(out, v);
    put32(out, v >> 32);
  }
  static void patch32(std::vector<uint8_t> &out, size_t at, uint64_t v) {
    for (int i = 0; i < 4; ++i)
      out[at + i] = uint8_t(v >> (8 * i));
  }
  void op(DatalogOpcode opcode) { put8(bytes, uint8_t(opcode)); }
  void u8(uint64_t v) { put8(bytes, v); }
  void u16(uint64_t v) { put16(bytes, v); }
  void u32(uint64_t v) { put32(bytes, v); }

  /// Emits a size-prefixed body with `fill`.
  template <typename F> LogicalResult body(F &&fill) {
    size_t at = bytes.size();
    u32(0);
    if (failed(fill()))
      return failure();
    patch32(bytes, at, bytes.size() - at - 4);
    return success();
  }

  //===--- Relations ------------------------------------------------------===//

  LogicalResult emitRelation(DlRelationOp rel, std::vector<uint8_t> &out) {
    if (rel.getArity() > 255)
      return rel.emitOpError("has more than 255 columns");
    put32(out, writer.internString(rel.getSymName()));
    put8(out, rel.getArity());
    for (unsigned c = 0; c < rel.getArity(); ++c) {
      put32(out, writer.internString(
                     cast<StringAttr>(rel.getColumnNames()[c]).getValue()));
      put8(out, uint8_t(rel.getColumnType(c)));
    }
    auto param = [&](DictionaryAttr dict, StringRef key, StringRef fallback) {
      if (dict)
        if (auto value = dict.getAs<StringAttr>(key))
          return value.getValue();
      return fallback;
    };
    uint8_t flags = 0;
    DictionaryAttr input = rel.getInputAttr(), output = rel.getOutputAttr();
    if (input)
      flags |= bc::kDatalogInput;
    if (output) {
      flags |= bc::kDatalogOutput;
      if (param(output, "IO", "file") == "stdout")
        flags |= bc::kDatalogOutputStdout;
    }
    if (rel.getPrintsize())
      flags |= bc::kDatalogPrintSize;
    if (rel.getAuxiliary())
      flags |= bc::kDatalogAuxiliary;
    put8(out, flags);
    if (input) {
      put32(out, writer.internString(param(
                     input, "filename", (rel.getSymName() + ".facts").str())));
      put32(out, writer.internString(param(input, "delimiter", "\t")));
    }
    if (output) {
      put32(out, writer.internString(param(output, "filename",
                                           (rel.getSymName() + ".csv").str())));
      put32(out, writer.internString(param(output, "delimiter", "\t")));
    }
    auto orders = rel.getIndexOrders();
    if (orders.empty()) {
      llvm::SmallVector<int64_t> identity;
      for (unsigned c = 0; c < rel.getArity(); ++c)
        identity.push_back(c);
      orders.push_back(identity);
    }
    if (orders.size() > 255)
      return rel.emitOpError("has more than 255 indexes");
    put8(out, orders.size());
    for (const auto &order : orders)
      for (int64_t column : order)
        put8(out, column);
    return success();
  }

  //===--- Statements -----------------------------------------------------===//

  LogicalResult emitStatement(Operation *statement) {
    if (auto stratum = dyn_cast<DlStratumOp>(statement)) {
      op(DatalogOpcode::Stratum);
      return body([&]() -> LogicalResult {
        for (Operation &inner : stratum.getBody().front())
          if (failed(emitStatement(&inner)))
            return failure();
        return success();
      });
    }
    if (auto fixpoint = dyn_cast<DlFixpointOp>(statement)) {
      op(DatalogOpcode::Fixpoint);
      u16(fixpoint.getRelations().size());
      for (Attribute name : fixpoint.getRelations())
        u16(relationIds.lookup(cast<FlatSymbolRefAttr>(name).getValue()));
      return body([&]() -> LogicalResult {
        for (Operation &inner : fixpoint.getBody().front())
          if (failed(emitStatement(&inner)))
            return failure();
        return success();
      });
    }
    if (auto query = dyn_cast<DlQueryOp>(statement)) {
      registers.clear();
      nextRegister = 0;
      op(DatalogOpcode::Query);
      return body([&] { return emitBlock(query.getBody().front()); });
    }
    return statement->emitOpError("cannot appear at this level of a program");
  }

  //===--- Registers ------------------------------------------------------===//

  LogicalResult allocate(Operation *at, unsigned count, uint16_t &first) {
    if (nextRegister + count > 65536)
      return at->emitOpError("needs more than 65536 registers");
    first = uint16_t(nextRegister);
    nextRegister += count;
    maxRegisters = std::max(maxRegisters, nextRegister);
    return success();
  }

  LogicalResult define(Value value, Operation *at) {
    uint16_t reg;
    if (failed(allocate(at, 1, reg)))
      return failure();
    registers[value] = reg;
    return success();
  }

  uint16_t reg(Value value) { return registers.lookup(value); }

  /// Copies `values` into fresh consecutive registers; returns the first.
  /// Values already in consecutive registers (a tuple inserted as it was
  /// scanned) are used in place.
  LogicalResult gather(Operation *at, ValueRange values, uint16_t &first) {
    bool consecutive = !values.empty();
    for (size_t i = 1; i < values.size() && consecutive; ++i)
      consecutive = reg(values[i]) == reg(values[0]) + i;
    if (consecutive) {
      first = reg(values[0]);
      return success();
    }
    if (failed(allocate(at, values.size(), first)))
      return failure();
    for (size_t i = 0; i < values.size(); ++i) {
      op(DatalogOpcode::Move);
      u16(first + i);
      u16(reg(values[i]));
    }
    return success();
  }

  //===--- Query instructions ---------------------------------------------===//

  LogicalResult emitLoopBody(Operation *loop, Block &block) {
    uint16_t first;
    if (failed(allocate(loop, block.getNumArguments(), first)))
      return failure();
    for (BlockArgument arg : block.getArguments())
      registers[arg] = first + arg.getArgNumber();
    return success();
  }

  LogicalResult emitBlock(Block &block) {
    for (Operation &inner : block)
      if (failed(emitOp(&inner)))
        return failure();
    return success();
  }

  static std::optional<uint64_t> indexOf(Operation *at,
                                         std::optional<uint64_t> index) {
    if (!index)
      at->emitOpError("has no index: run rune-dl-select-indexes first");
    return index;
  }

  LogicalResult emitOp(Operation *operation) {
    if (auto scan = dyn_cast<DlScanOp>(operation)) {
      Block &inner = scan.getBody().front();
      if (failed(emitLoopBody(scan, inner)))
        return failure();
      op(DatalogOpcode::Scan);
      u16(relationIds.lookup(scan.getRelation()));
      u8(uint8_t(scan.getVersion()));
      u16(inner.getNumArguments() ? reg(inner.getArgument(0)) : 0);
      return body([&] { return emitBlock(inner); });
    }
    if (auto lookup = dyn_cast<DlLookupOp>(operation)) {
      std::optional<uint64_t> index = indexOf(lookup, lookup.getIndex());
      uint16_t keys;
      if (!index || failed(gather(lookup, lookup.getKeys(), keys)))
        return failure();
      Block &inner = lookup.getBody().front();
      if (failed(emitLoopBody(lookup, inner)))
        return failure();
      op(DatalogOpcode::Lookup);
      u16(relationIds.lookup(lookup.getRelation()));
      u8(uint8_t(lookup.getVersion()));
      u8(*index);
      u16(keys);
      u8(lookup.getKeys().size());
      u16(inner.getNumArguments() ? reg(inner.getArgument(0)) : 0);
      return body([&] { return emitBlock(inner); });
    }
    if (auto negation = dyn_cast<DlNotExistsOp>(operation)) {
      std::optional<uint64_t> index = indexOf(negation, negation.getIndex());
      uint16_t keys;
      if (!index || failed(gather(negation, negation.getKeys(), keys)))
        return failure();
      op(DatalogOpcode::NotExists);
      u16(relationIds.lookup(negation.getRelation()));
      u8(uint8_t(negation.getVersion()));
      u8(*index);
      u16(keys);
      u8(negation.getKeys().size());
      return success();
    }
    if (auto insert = dyn_cast<DlInsertOp>(operation)) {
      uint16_t first;
      if (failed(gather(insert, insert.getValues(), first)))
        return failure();
      op(DatalogOpcode::Insert);
      u16(relationIds.lookup(insert.getRelation()));
      u8(uint8_t(insert.getVersion()));
      u16(first);
      return success();
    }
    if (auto filter = dyn_cast<DlFilterOp>(operation)) {
      op(DatalogOpcode::Filter);
      u16(reg(filter.getCondition()));
      return success();
    }
    if (auto aggregate = dyn_cast<DlAggregateOp>(operation)) {
      if (failed(define(aggregate.getResult(), aggregate)))
        return failure();
      op(DatalogOpcode::Aggregate);
      u8(uint8_t(aggregate.getKind()));
      u8(uint8_t(aggregate.getType()));
      u16(reg(aggregate.getResult()));
      return body([&] { return emitBlock(aggregate.getBody().front()); });
    }
    if (auto accumulate = dyn_cast<DlAccumulateOp>(operation)) {
      op(DatalogOpcode::Accumulate);
      // A count accumulates nothing; register 0 exists (the aggregate's own
      // result has a register).
      u16(accumulate.getValue() ? reg(accumulate.getValue()) : 0);
      return success();
    }
    if (auto constant = dyn_cast<DlConstOp>(operation))
      return emitConst(constant);
    if (auto compare = dyn_cast<DlCompareOp>(operation)) {
      if (failed(define(compare.getResult(), compare)))
        return failure();
      op(DatalogOpcode::Compare);
      u8(uint8_t(compare.getPredicate()));
      u8(uint8_t(compare.getType()));
      u16(reg(compare.getResult()));
      u16(reg(compare.getLhs()));
      u16(reg(compare.getRhs()));
      return success();
    }
    if (auto arith = dyn_cast<DlArithOp>(operation)) {
      if (failed(define(arith.getResult(), arith)))
        return failure();
      op(DatalogOpcode::Arith);
      u8(uint8_t(arith.getOp()));
      u8(uint8_t(arith.getType()));
      u16(reg(arith.getResult()));
      u16(reg(arith.getLhs()));
      u16(reg(arith.getRhs()));
      return success();
    }
    if (auto test = dyn_cast<DlTestOp>(operation)) {
      if (failed(define(test.getResult(), test)))
        return failure();
      bc::DatalogTest kind = datalogTestKind(test);
      op(DatalogOpcode::Test);
      u8(uint8_t(kind));
      u8(uint8_t(test.getType()));
      u16(reg(test.getResult()));
      u16(reg(test.getLhs()));
      u16(reg(test.getRhs()));
      return success();
    }
    if (auto functor = dyn_cast<DlFunctorOp>(operation)) {
      uint16_t args;
      if (failed(gather(functor, functor.getArgs(), args)) ||
          failed(define(functor.getResult(), functor)))
        return failure();
      if (functor.getArgs().size() > 255)
        return functor.emitOpError("has more than 255 arguments");
      bc::DatalogFunctor kind = datalogFunctorKind(functor);
      op(DatalogOpcode::Functor);
      u8(uint8_t(kind));
      u8(uint8_t(functor.getType()));
      u16(reg(functor.getResult()));
      u16(args);
      u8(functor.getArgs().size());
      return success();
    }
    if (isa<DlAtomOp>(operation))
      return operation->emitOpError(
          "is not planned: run the Datalog passes (rune-dl-plan) first");
    return operation->emitOpError("cannot be encoded in a Datalog query");
  }

  LogicalResult emitConst(DlConstOp constant) {
    if (failed(define(constant.getResult(), constant)))
      return failure();
    uint16_t dst = reg(constant.getResult());
    FailureOr<DlConstantWord> encoded = encodeDlConstant(constant);
    if (failed(encoded))
      return failure();
    if (encoded->word) {
      op(DatalogOpcode::ConstWord);
      u16(dst);
      put64(bytes, *encoded->word);
    } else {
      op(encoded->anySymbol ? DatalogOpcode::ConstAnySymbol
                            : DatalogOpcode::ConstSymbol);
      u16(dst);
      u32(writer.internString(encoded->symbol));
    }
    return success();
  }

  bc::ModuleWriter &writer;
  std::vector<uint8_t> bytes;
  llvm::StringMap<unsigned> relationIds;
  llvm::DenseMap<Value, uint16_t> registers;
  uint32_t nextRegister = 0;
  uint32_t maxRegisters = 0;
};

} // namespace

LogicalResult rune::emitDatalogProgram(DlProgramOp program,
                                       bc::ModuleWriter &writer) {
  return Encoder(writer).emit(program);
}
