//===- DatalogToLLVM.cpp - rune.dl.* -> native stratum functions ----------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Each top-level statement of a planned rune.dl.program becomes
// `void @<symbol>_stratum<i>(ptr %frame)` (rune_datalog_native.h). The
// relational ops map onto control flow:
//
//   - every i64 word stays an SSA value: a scan or lookup body runs in a
//     block dominated by the ops before it, so no register file is needed;
//   - rune.dl.scan / rune.dl.lookup become loops over a runtime cursor held
//     in a stack slot: `*_begin` returns the first tuple (or null), the loop
//     loads the columns it binds from the tuple in place, and the latch calls
//     `rune_dl_rt_cursor_next` -- one call per tuple;
//   - a guard (rune.dl.filter, rune.dl.not_exists, an aggregate without a
//     result) that fails branches to the "skip" target of its block: the
//     latch of the innermost loop, or the end of the query or aggregate
//     body, which is what "skip the rest of the enclosing block" means;
//   - rune.dl.fixpoint is the semi-naive loop itself, calling the runtime to
//     set up delta/new, to merge new into the relations and to say whether
//     a delta is left;
//   - number/unsigned comparisons and arithmetic (32-bit wrap, division by
//     zero yields 0, INT_MIN / -1 wraps) and float comparisons are inline;
//     symbol and `any` order, float and `any` arithmetic, string functors,
//     string tests and aggregates call the helpers, which are the
//     interpreter's own code.
//
// Relation, index and hint numbers are those the bytecode gives: relations
// in declaration order, hints in the order the Lookup and NotExists
// instructions appear in the DatalogCode section (program order, outer
// before inner), as the runtime's verifier numbers them.
//
//===----------------------------------------------------------------------===//

#include "DatalogToLLVM.h"
#include "LLVMEmitter.h"
#include "RuntimeDeclarations.h"

#include "rune/Dialect/Rune/DatalogEncoding.h"
#include "rune/Dialect/Rune/RuneOps.h"
#include "rune/Runtime/BytecodeFormat.h"
#include "rune/Runtime/BytecodeReader.h"
#include "rune/Runtime/Datalog/Word.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace rune;

namespace {

/// Must match RUNE_DL_CURSOR_WORDS / RUNE_DL_ACCUMULATOR_WORDS.
constexpr unsigned kCursorWords = 48;
constexpr unsigned kAccumulatorWords = 8;
/// The tag of an `any` symbol word (Word.h: encodeAnySymbol).
constexpr uint64_t kAnySymbolTag = uint64_t(1) << datalog::kAnyTagShift;

class DatalogLowering : LLVMEmitter {
public:
  DatalogLowering(ModuleOp module, DlProgramOp program, const bc::Module &image)
      : LLVMEmitter(module.getContext()), module(module),
        context(module.getContext()), f32Type(Float32Type::get(context)),
        voidType(LLVM::LLVMVoidType::get(context)) {
    unsigned id = 0;
    for (DlRelationOp rel : program.getBody().front().getOps<DlRelationOp>())
      relationIds[rel.getSymName()] = id++;
    for (auto [i, text] : llvm::enumerate(image.strings))
      stringIndices.try_emplace(StringRef(text.data(), text.size()), i);
  }

  /// Lowers one top-level statement into a new function `name`.
  LogicalResult lower(Operation *statement, StringRef name) {
    Location loc = statement->getLoc();
    builder.setInsertionPoint(statement->getParentOfType<DlProgramOp>());
    function = builder.create<LLVM::LLVMFuncOp>(
        loc, name, LLVM::LLVMFunctionType::get(voidType, {ptrType}),
        LLVM::Linkage::Internal);
    // Helpers may throw (std::bad_alloc from a relation): unwind tables let
    // the exception reach the C API's handler through compiled frames.
    function->setAttr(
        "passthrough",
        builder.getArrayAttr({builder.getArrayAttr(
            {builder.getStringAttr("uwtable"), builder.getStringAttr("2")})}));
    entry = function.addEntryBlock(builder);
    frame = function.getArgument(0);
    values.clear();
    accumulators.clear();

    // Stack slots go to the entry block; the code starts in its own block.
    builder.setInsertionPointToEnd(entry);
    one = constI64(loc, 1);
    // rune_dl_frame::symbols, the first field.
    symbolWords = builder.create<LLVM::LoadOp>(loc, ptrType, frame);
    Block *body = function.addBlock();
    builder.setInsertionPointToStart(body);
    if (failed(lowerStatement(statement)))
      return failure();
    builder.create<LLVM::ReturnOp>(loc, ValueRange());
    builder.setInsertionPointToEnd(entry);
    builder.create<LLVM::BrOp>(loc, ValueRange(), body);
    return success();
  }

private:
  //===--- Building blocks ------------------------------------------------===//

  Value nullPtr(Location loc) {
    return builder.create<LLVM::ZeroOp>(loc, ptrType);
  }

  /// A stack slot of `count` i64 words, allocated in the entry block.
  Value allocateWords(Location loc, unsigned count) {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToEnd(entry);
    Type type = count == 1 ? Type(i64Type)
                           : Type(LLVM::LLVMArrayType::get(i64Type, count));
    return builder.create<LLVM::AllocaOp>(loc, ptrType, type, one, 8);
  }

  /// Stores `words` in a fresh stack slot; returns its address (null for
  /// no words).
  Value storeWords(Location loc, ValueRange words) {
    if (words.empty())
      return nullPtr(loc);
    Value slot = allocateWords(loc, words.size());
    for (auto [i, word] : llvm::enumerate(words)) {
      Value at = builder.create<LLVM::GEPOp>(
          loc, ptrType, i64Type, slot,
          ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
      builder.create<LLVM::StoreOp>(loc, lookup(word), at, 8);
    }
    return slot;
  }

  /// Calls `rune_dl_rt_<name>(args...)`; returns its result (null for
  /// void helpers).
  Value call(Location loc, StringRef name, Type result, ArrayRef<Value> args) {
    return declarations.call(builder, loc, (Twine("rune_dl_rt_") + name).str(),
                             result, args);
  }

  Value isNonZero(Location loc, Value i32Value) {
    return builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::ne, i32Value,
                                        constI32(loc, 0));
  }

  /// Branches to `skip` unless `holds`; continues in a new block.
  void guard(Location loc, Value holds, Block *skip) {
    Block *next = function.addBlock();
    builder.create<LLVM::CondBrOp>(loc, holds, next, skip);
    builder.setInsertionPointToStart(next);
  }

  Value lookup(Value value) { return values.lookup(value); }

  uint32_t relationId(StringRef name) { return relationIds.lookup(name); }

  //===--- Statements -----------------------------------------------------===//

  LogicalResult lowerStatement(Operation *statement) {
    if (auto stratum = dyn_cast<DlStratumOp>(statement)) {
      for (Operation &inner : stratum.getBody().front())
        if (failed(lowerStatement(&inner)))
          return failure();
      return success();
    }
    if (auto fixpoint = dyn_cast<DlFixpointOp>(statement))
      return lowerFixpoint(fixpoint);
    if (auto query = dyn_cast<DlQueryOp>(statement)) {
      Block *end = function.addBlock();
      if (failed(lowerBlock(query.getBody().front(), end)))
        return failure();
      builder.create<LLVM::BrOp>(query.getLoc(), ValueRange(), end);
      builder.setInsertionPointToStart(end);
      return success();
    }
    return statement->emitOpError("cannot appear at this level of a program");
  }

  LogicalResult lowerFixpoint(DlFixpointOp fixpoint) {
    Location loc = fixpoint.getLoc();
    unsigned count = fixpoint.getRelations().size();
    Value relations;
    {
      OpBuilder::InsertionGuard guard(builder);
      builder.setInsertionPointToEnd(entry);
      relations = builder.create<LLVM::AllocaOp>(
          loc, ptrType, LLVM::LLVMArrayType::get(i32Type, std::max(count, 1u)),
          one, 4);
    }
    for (auto [i, name] : llvm::enumerate(fixpoint.getRelations())) {
      Value at = builder.create<LLVM::GEPOp>(
          loc, ptrType, i32Type, relations,
          ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
      builder.create<LLVM::StoreOp>(
          loc,
          constI32(loc, relationId(cast<FlatSymbolRefAttr>(name).getValue())),
          at, 4);
    }
    Value countValue = constI32(loc, count);
    call(loc, "fixpoint_begin", voidType, {frame, relations, countValue});
    Block *iteration = function.addBlock();
    Block *done = function.addBlock();
    builder.create<LLVM::BrOp>(loc, ValueRange(), iteration);
    builder.setInsertionPointToStart(iteration);
    for (Operation &inner : fixpoint.getBody().front())
      if (failed(lowerStatement(&inner)))
        return failure();
    Value changed =
        call(loc, "fixpoint_advance", i32Type, {frame, relations, countValue});
    builder.create<LLVM::CondBrOp>(loc, isNonZero(loc, changed), iteration,
                                   done);
    builder.setInsertionPointToStart(done);
    call(loc, "fixpoint_end", voidType, {frame, relations, countValue});
    return success();
  }

  /// Lowers the ops of `block`; a failing guard branches to `skip`. Ends
  /// with the insertion point where the block's code falls through.
  LogicalResult lowerBlock(Block &block, Block *skip) {
    for (Operation &op : block)
      if (failed(lowerOp(&op, skip)))
        return failure();
    return success();
  }

  //===--- Loops ----------------------------------------------------------===//

  /// The loop over the tuples `begin` yields (a call that starts the cursor
  /// in `cursor`): binds `body`'s arguments to the tuple's columns.
  LogicalResult lowerLoop(Location loc, Value cursor, Value first,
                          Block &body) {
    Block *header = function.addBlock();
    header->addArgument(ptrType, loc);
    Block *loopBody = function.addBlock();
    Block *latch = function.addBlock();
    Block *exit = function.addBlock();
    builder.create<LLVM::BrOp>(loc, ValueRange{first}, header);

    builder.setInsertionPointToStart(header);
    Value tuple = header->getArgument(0);
    Value atEnd = builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq,
                                               tuple, nullPtr(loc));
    builder.create<LLVM::CondBrOp>(loc, atEnd, exit, loopBody);

    builder.setInsertionPointToStart(loopBody);
    for (BlockArgument column : body.getArguments()) {
      // Columns nothing reads are not loaded.
      if (column.use_empty())
        continue;
      Value at = builder.create<LLVM::GEPOp>(
          loc, ptrType, i64Type, tuple,
          ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(column.getArgNumber())});
      values[column] = builder.create<LLVM::LoadOp>(loc, i64Type, at, 8);
    }
    if (failed(lowerBlock(body, latch)))
      return failure();
    builder.create<LLVM::BrOp>(loc, ValueRange(), latch);

    builder.setInsertionPointToStart(latch);
    Value next = call(loc, "cursor_next", ptrType, {cursor});
    builder.create<LLVM::BrOp>(loc, ValueRange{next}, header);
    builder.setInsertionPointToStart(exit);
    return success();
  }

  Value allocateCursor(Location loc) {
    return allocateWords(loc, kCursorWords);
  }

  //===--- Operations -----------------------------------------------------===//

  LogicalResult lowerOp(Operation *op, Block *skip) {
    Location loc = op->getLoc();
    if (auto scan = dyn_cast<DlScanOp>(op)) {
      Value cursor = allocateCursor(loc);
      Value first =
          call(loc, "scan_begin", ptrType,
               {frame, cursor, constI32(loc, relationId(scan.getRelation())),
                constI32(loc, int64_t(scan.getVersion()))});
      return lowerLoop(loc, cursor, first, scan.getBody().front());
    }
    if (auto lookupOp = dyn_cast<DlLookupOp>(op)) {
      if (!lookupOp.getIndex())
        return op->emitOpError(
            "has no index: run rune-dl-select-indexes first");
      uint32_t hint = nextHint++;
      Value keys = storeWords(loc, lookupOp.getKeys());
      Value cursor = allocateCursor(loc);
      Value first = call(
          loc, "lookup_begin", ptrType,
          {frame, cursor, constI32(loc, relationId(lookupOp.getRelation())),
           constI32(loc, int64_t(lookupOp.getVersion())),
           constI32(loc, int64_t(*lookupOp.getIndex())), keys,
           constI32(loc, lookupOp.getKeys().size()), constI32(loc, hint)});
      return lowerLoop(loc, cursor, first, lookupOp.getBody().front());
    }
    if (auto negation = dyn_cast<DlNotExistsOp>(op)) {
      if (!negation.getIndex())
        return op->emitOpError(
            "has no index: run rune-dl-select-indexes first");
      uint32_t hint = nextHint++;
      Value keys = storeWords(loc, negation.getKeys());
      Value found =
          call(loc, "exists", i32Type,
               {frame, constI32(loc, relationId(negation.getRelation())),
                constI32(loc, int64_t(negation.getVersion())),
                constI32(loc, int64_t(*negation.getIndex())), keys,
                constI32(loc, negation.getKeys().size()), constI32(loc, hint)});
      Value absent = builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq,
                                                  found, constI32(loc, 0));
      guard(loc, absent, skip);
      return success();
    }
    if (auto insert = dyn_cast<DlInsertOp>(op)) {
      Value tuple = storeWords(loc, insert.getValues());
      call(loc, "insert", voidType,
           {frame, constI32(loc, relationId(insert.getRelation())),
            constI32(loc, int64_t(insert.getVersion())), tuple});
      return success();
    }
    if (auto filter = dyn_cast<DlFilterOp>(op)) {
      guard(loc, lookup(filter.getCondition()), skip);
      return success();
    }
    if (auto aggregate = dyn_cast<DlAggregateOp>(op))
      return lowerAggregate(aggregate, skip);
    if (auto accumulate = dyn_cast<DlAccumulateOp>(op)) {
      auto owner = op->getParentOfType<DlAggregateOp>();
      Value value = accumulate.getValue() ? lookup(accumulate.getValue())
                                          : constI64(loc, 0);
      call(loc, "accumulate", voidType,
           {frame, accumulators.lookup(owner), value});
      return success();
    }
    if (auto constant = dyn_cast<DlConstOp>(op))
      return lowerConst(constant);
    if (auto compare = dyn_cast<DlCompareOp>(op)) {
      values[compare.getResult()] = lowerCompare(compare);
      return success();
    }
    if (auto arith = dyn_cast<DlArithOp>(op)) {
      values[arith.getResult()] = lowerArith(arith);
      return success();
    }
    if (auto test = dyn_cast<DlTestOp>(op)) {
      bc::DatalogTest kind = datalogTestKind(test);
      Value result = call(loc, "test", i32Type,
                          {frame, constI32(loc, int64_t(kind)),
                           constI32(loc, int64_t(test.getType())),
                           lookup(test.getLhs()), lookup(test.getRhs())});
      values[test.getResult()] = isNonZero(loc, result);
      return success();
    }
    if (auto functor = dyn_cast<DlFunctorOp>(op)) {
      bc::DatalogFunctor kind = datalogFunctorKind(functor);
      Value args = storeWords(loc, functor.getArgs());
      values[functor.getResult()] =
          call(loc, "functor", i64Type,
               {frame, constI32(loc, int64_t(kind)),
                constI32(loc, int64_t(functor.getType())), args,
                constI32(loc, functor.getArgs().size())});
      return success();
    }
    if (isa<DlAtomOp>(op))
      return op->emitOpError(
          "is not planned: run the Datalog passes (rune-dl-plan) first");
    return op->emitOpError("cannot be lowered to native code");
  }

  LogicalResult lowerAggregate(DlAggregateOp aggregate, Block *skip) {
    Location loc = aggregate.getLoc();
    Value accumulator = allocateWords(loc, kAccumulatorWords);
    Value result = allocateWords(loc, 1);
    accumulators[aggregate] = accumulator;
    call(loc, "aggregate_begin", voidType,
         {frame, accumulator, constI32(loc, int64_t(aggregate.getKind())),
          constI32(loc, int64_t(aggregate.getType()))});
    Block *finish = function.addBlock();
    if (failed(lowerBlock(aggregate.getBody().front(), finish)))
      return failure();
    builder.create<LLVM::BrOp>(loc, ValueRange(), finish);
    builder.setInsertionPointToStart(finish);
    Value exists =
        call(loc, "aggregate_finish", i32Type, {frame, accumulator, result});
    guard(loc, isNonZero(loc, exists), skip);
    values[aggregate.getResult()] =
        builder.create<LLVM::LoadOp>(loc, i64Type, result, 8);
    return success();
  }

  LogicalResult lowerConst(DlConstOp constant) {
    Location loc = constant.getLoc();
    FailureOr<DlConstantWord> encoded = encodeDlConstant(constant);
    if (failed(encoded))
      return failure();
    if (encoded->word) {
      values[constant.getResult()] = constI64(loc, int64_t(*encoded->word));
      return success();
    }
    // Strings are interned when the module loads: read the word from the
    // frame's table, tagged for an `any` column.
    auto found = stringIndices.find(encoded->symbol);
    if (found == stringIndices.end())
      return constant.emitOpError("string is missing from the bytecode");
    Value at = builder.create<LLVM::GEPOp>(
        loc, ptrType, i64Type, symbolWords,
        ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(found->second)});
    Value id = builder.create<LLVM::LoadOp>(loc, i64Type, at, 8);
    values[constant.getResult()] =
        encoded->anySymbol
            ? builder
                  .create<LLVM::OrOp>(loc, id,
                                      constI64(loc, int64_t(kAnySymbolTag)))
                  .getResult()
            : id;
    return success();
  }

  /// The binary32 float a `float` word holds.
  Value toFloat(Location loc, Value word) {
    Value bits = builder.create<LLVM::TruncOp>(loc, i32Type, word);
    return builder.create<LLVM::BitcastOp>(loc, f32Type, bits);
  }

  Value lowerCompare(DlCompareOp compare) {
    Location loc = compare.getLoc();
    Value a = lookup(compare.getLhs()), b = lookup(compare.getRhs());
    DlCompare predicate = compare.getPredicate();
    DlColumnType type = compare.getType();
    if (type == DlColumnType::Float) {
      LLVM::FCmpPredicate fp;
      switch (predicate) {
      case DlCompare::Eq:
        fp = LLVM::FCmpPredicate::oeq;
        break;
      case DlCompare::Ne:
        fp = LLVM::FCmpPredicate::une;
        break;
      case DlCompare::Lt:
        fp = LLVM::FCmpPredicate::olt;
        break;
      case DlCompare::Le:
        fp = LLVM::FCmpPredicate::ole;
        break;
      case DlCompare::Gt:
        fp = LLVM::FCmpPredicate::ogt;
        break;
      default:
        fp = LLVM::FCmpPredicate::oge;
        break;
      }
      return builder.create<LLVM::FCmpOp>(loc, fp, toFloat(loc, a),
                                          toFloat(loc, b));
    }
    // Words are canonical: equality of words is equality of values.
    if (predicate == DlCompare::Eq)
      return builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq, a, b);
    if (predicate == DlCompare::Ne)
      return builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::ne, a, b);
    // Number words are sign-extended and unsigned words zero-extended, so
    // 64-bit signed/unsigned order is their 32-bit order.
    if (type == DlColumnType::Number || type == DlColumnType::Unsigned) {
      bool isSigned = type == DlColumnType::Number;
      LLVM::ICmpPredicate ip;
      switch (predicate) {
      case DlCompare::Lt:
        ip = isSigned ? LLVM::ICmpPredicate::slt : LLVM::ICmpPredicate::ult;
        break;
      case DlCompare::Le:
        ip = isSigned ? LLVM::ICmpPredicate::sle : LLVM::ICmpPredicate::ule;
        break;
      case DlCompare::Gt:
        ip = isSigned ? LLVM::ICmpPredicate::sgt : LLVM::ICmpPredicate::ugt;
        break;
      default:
        ip = isSigned ? LLVM::ICmpPredicate::sge : LLVM::ICmpPredicate::uge;
        break;
      }
      return builder.create<LLVM::ICmpOp>(loc, ip, a, b);
    }
    // Symbols order by text, `any` by kind then value: the runtime's.
    Value result = call(loc, "compare", i32Type,
                        {frame, constI32(loc, int64_t(predicate)),
                         constI32(loc, int64_t(type)), a, b});
    return isNonZero(loc, result);
  }

  Value lowerArith(DlArithOp arith) {
    Location loc = arith.getLoc();
    Value a = lookup(arith.getLhs()), b = lookup(arith.getRhs());
    DlArith op = arith.getOp();
    DlColumnType type = arith.getType();
    bool isNumber = type == DlColumnType::Number;
    if (!isNumber && type != DlColumnType::Unsigned)
      return call(loc, "arith", i64Type,
                  {frame, constI32(loc, int64_t(op)),
                   constI32(loc, int64_t(type)), a, b});
    if (op == DlArith::Min || op == DlArith::Max) {
      // Min keeps a when a <= b, max when a >= b (the interpreter's tie).
      LLVM::ICmpPredicate ip =
          op == DlArith::Min
              ? (isNumber ? LLVM::ICmpPredicate::sle : LLVM::ICmpPredicate::ule)
              : (isNumber ? LLVM::ICmpPredicate::sge
                          : LLVM::ICmpPredicate::uge);
      Value pickA = builder.create<LLVM::ICmpOp>(loc, ip, a, b);
      return builder.create<LLVM::SelectOp>(loc, pickA, a, b);
    }
    Value x = builder.create<LLVM::TruncOp>(loc, i32Type, a);
    Value y = builder.create<LLVM::TruncOp>(loc, i32Type, b);
    Value zero = constI32(loc, 0);
    Value result;
    switch (op) {
    case DlArith::Add:
      result = builder.create<LLVM::AddOp>(loc, x, y);
      break;
    case DlArith::Sub:
      result = builder.create<LLVM::SubOp>(loc, x, y);
      break;
    case DlArith::Mul:
      result = builder.create<LLVM::MulOp>(loc, x, y);
      break;
    default: {
      // Division or modulo by zero yields 0; for numbers, x / -1 is the
      // wrapping negation and x % -1 is 0 (no INT_MIN / -1 trap).
      Value byZero =
          builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq, y, zero);
      Value byMinusOne = builder.create<LLVM::ICmpOp>(
          loc, LLVM::ICmpPredicate::eq, y, constI32(loc, -1));
      Value unsafe =
          isNumber
              ? builder.create<LLVM::OrOp>(loc, byZero, byMinusOne).getResult()
              : byZero;
      Value divisor =
          builder.create<LLVM::SelectOp>(loc, unsafe, constI32(loc, 1), y);
      if (op == DlArith::Div) {
        Value quotient =
            isNumber
                ? builder.create<LLVM::SDivOp>(loc, x, divisor).getResult()
                : builder.create<LLVM::UDivOp>(loc, x, divisor).getResult();
        if (isNumber) {
          Value negated = builder.create<LLVM::SubOp>(loc, zero, x);
          quotient = builder.create<LLVM::SelectOp>(loc, byMinusOne, negated,
                                                    quotient);
        }
        result = builder.create<LLVM::SelectOp>(loc, byZero, zero, quotient);
      } else {
        Value remainder =
            isNumber
                ? builder.create<LLVM::SRemOp>(loc, x, divisor).getResult()
                : builder.create<LLVM::URemOp>(loc, x, divisor).getResult();
        result = builder.create<LLVM::SelectOp>(loc, unsafe, zero, remainder);
      }
      break;
    }
    }
    return isNumber
               ? builder.create<LLVM::SExtOp>(loc, i64Type, result).getResult()
               : builder.create<LLVM::ZExtOp>(loc, i64Type, result).getResult();
  }

  ModuleOp module;
  RuntimeDeclarations declarations{module};
  MLIRContext *context;
  Type f32Type, voidType;
  llvm::StringMap<uint32_t> relationIds;
  llvm::StringMap<uint32_t> stringIndices;
  uint32_t nextHint = 0;

  LLVM::LLVMFuncOp function;
  Block *entry = nullptr;
  Value frame, one, symbolWords;
  llvm::DenseMap<Value, Value> values;
  llvm::DenseMap<Operation *, Value> accumulators;
};

} // namespace

LogicalResult
rune::lowerDatalogProgram(ModuleOp module, StringRef symbol,
                          const std::vector<uint8_t> &bytecode,
                          std::vector<std::string> &functionNames) {
  auto programs = module.getOps<DlProgramOp>();
  if (programs.empty())
    return success();
  DlProgramOp program = *programs.begin();
  // The string table as the runtime will read it from the embedded bytes.
  bc::Module image;
  std::string error;
  if (!bc::readModule(bytecode.data(), bytecode.size(), image, error))
    return program.emitOpError("emitted bytecode does not verify: ") << error;
  DatalogLowering lowering(module, program, image);
  unsigned index = 0;
  for (Operation &statement : program.getBody().front()) {
    if (isa<DlRelationOp>(statement))
      continue;
    functionNames.push_back((symbol + "_stratum" + Twine(index++)).str());
    if (failed(lowering.lower(&statement, functionNames.back())))
      return failure();
  }
  program->erase();
  return success();
}
