//===- IpeToLLVM.cpp - rune.ipe.* to LLVM dialect functions ---------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Each Policies entry of the IPE bytecode (policies, then aggregate
// filters) becomes an LLVM function of type rune_ipe_policy_fn
// (rune_ipe_native.h). Values are pointers to rune_ipe_value: request slots
// and literals are read in place through the frame, never copied; results
// of helpers live in stack slots. The common tests run inline:
//   - `x == "literal"` / `!=`: kind is string and symbol equals the
//     literal's symbol (the runtime interns request strings against the
//     module's strings), one compare;
//   - `x == 42`, `x < 42`, ...: kind is integer, then an integer compare;
//   - `x == true`: kind is boolean, then the payload;
//   - `x in ["a", "b"]` on a string: a chain of symbol compares;
//   - a read of a present slot, a truth test of a boolean;
//   - `a == b` on two strings of which one is a module string: symbols;
//   - aggregates over a request array: the loop and the filter's
//     operations run here, element fields are read in place from the
//     decision's element rows (rune_ipe_rt_element_rows, once per
//     aggregate; a field is resolved into its cell on its first read,
//     rune_ipe_rt_element_field);
//     without a filter the array's length decides.
// Everything else, and every error, calls the rune_ipe_rt_* helper that
// the interpreter uses too, so messages and outcomes are the same.
//
//===----------------------------------------------------------------------===//

#include "IpeToLLVM.h"
#include "LLVMEmitter.h"
#include "RuntimeDeclarations.h"

#include "rune/Dialect/Rune/RuneIntentOps.h"
#include "rune/Runtime/BytecodeReader.h"
#include "rune/Runtime/IpeEngine.h"
#include "rune/Runtime/IpeFormat.h"
#include "rune/Target/Bytecode/IpeBytecodeEmitter.h"

#include "IpeValueLayout.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"

#include <map>

using namespace mlir;
using namespace rune;

namespace {

using namespace rune::ipe_value_layout;

class EntryLowering : LLVMEmitter {
public:
  EntryLowering(ModuleOp module, const IpeBytecodeLayout &layout,
                const bc::Module &image)
      : LLVMEmitter(module.getContext()), module(module), layout(layout),
        image(image), rowKeys(ipert::elementFieldKeys(image)),
        rowSlots(ipert::collectionSlots(image)), context(module.getContext()) {}

  LogicalResult lower(Operation *entryOp, StringRef name) {
    Location loc = entryOp->getLoc();
    builder.setInsertionPointToEnd(module.getBody());
    auto fnType = LLVM::LLVMFunctionType::get(i32Type, {ptrType, ptrType});
    function = builder.create<LLVM::LLVMFuncOp>(loc, name, fnType,
                                                LLVM::Linkage::Internal);
    // The compiled decision calls each policy from one place: inlined
    // there, every policy body would land in one huge function, which
    // costs LLVM far more time than the calls cost at run time.
    function.setNoInline(true);
    entry = function.addEntryBlock(builder);
    frame = function.getArgument(0);
    values.clear();
    conditions.clear();
    elementRowOf.clear();
    collectionSlot.clear();
    builder.setInsertionPointToEnd(entry);
    one = constI64(loc, 1);
    // rune_ipe_frame: { slots, literals }.
    slots = builder.create<LLVM::LoadOp>(loc, ptrType, frame);
    Value literalsField = builder.create<LLVM::GEPOp>(
        loc, ptrType, ptrType, frame, ArrayRef<LLVM::GEPArg>{1});
    literals = builder.create<LLVM::LoadOp>(loc, ptrType, literalsField);
    errorBlock = function.addBlock();
    builder.setInsertionPointToStart(errorBlock);
    builder.create<LLVM::ReturnOp>(loc, constI32(loc, -1));

    Block *body = function.addBlock();
    builder.setInsertionPointToStart(body);
    if (auto policy = dyn_cast<IntentPolicyOp>(entryOp)) {
      FailureOr<Value> trigger = lowerBlock(policy.getTrigger().front());
      if (failed(trigger))
        return failure();
      Block *applies = function.addBlock();
      Block *notApplicable = function.addBlock();
      builder.create<LLVM::CondBrOp>(loc, *trigger, applies, notApplicable);
      builder.setInsertionPointToStart(notApplicable);
      builder.create<LLVM::ReturnOp>(loc, constI32(loc, 0));
      builder.setInsertionPointToStart(applies);
      if (policy.getDenies()) {
        builder.create<LLVM::ReturnOp>(loc, constI32(loc, 2));
      } else {
        FailureOr<Value> holds = lowerBlock(policy.getRequirement().front());
        if (failed(holds))
          return failure();
        builder.create<LLVM::ReturnOp>(
            loc, builder.create<LLVM::SelectOp>(loc, *holds, constI32(loc, 1),
                                                constI32(loc, 2)));
      }
    } else {
      auto aggregate = cast<IntentAggregateOp>(entryOp);
      Block &block = aggregate.getFilter().front();
      values[block.getArgument(0)] = function.getArgument(1); // regs[0]
      FailureOr<Value> passes = lowerBlock(block);
      if (failed(passes))
        return failure();
      builder.create<LLVM::ReturnOp>(
          loc, builder.create<LLVM::ZExtOp>(loc, i32Type, *passes));
    }
    builder.setInsertionPointToEnd(entry);
    builder.create<LLVM::BrOp>(loc, ValueRange(), body);
    return success();
  }

  /// The function the last call of lower() created.
  LLVM::LLVMFuncOp lowered() const { return function; }

private:
  Value stackValue(Location loc) {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToEnd(entry);
    return builder.create<LLVM::AllocaOp>(
        loc, ptrType, LLVM::LLVMArrayType::get(i8Type, kValueSize), one, 8);
  }

  Value element(Location loc, Value base, uint32_t index) {
    return builder.create<LLVM::GEPOp>(
        loc, ptrType, LLVM::LLVMArrayType::get(i8Type, kValueSize), base,
        ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(index)});
  }

  Value load(Location loc, Type type, Value ptr, int32_t offset) {
    Value field =
        offset == 0
            ? ptr
            : builder.create<LLVM::GEPOp>(loc, ptrType, i8Type, ptr,
                                          ArrayRef<LLVM::GEPArg>{offset});
    return builder.create<LLVM::LoadOp>(loc, type, field);
  }
  Value kindOf(Location loc, Value ptr) { return load(loc, i32Type, ptr, 0); }
  Value isKind(Location loc, Value ptr, int64_t kind) {
    return builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq,
                                        kindOf(loc, ptr), constI32(loc, kind));
  }

  /// Calls rune_ipe_rt_<name>(frame, args...) and leaves through the error
  /// exit on -1; returns the result (0/1 for tests).
  Value call(Location loc, StringRef name, ArrayRef<Value> args) {
    SmallVector<Value> operands{frame};
    operands.append(args.begin(), args.end());
    Value result = declarations.call(
        builder, loc, ("rune_ipe_rt_" + name).str(), i32Type, operands);
    Value failed = builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::slt,
                                                result, constI32(loc, 0));
    Block *next = function.addBlock();
    builder.create<LLVM::CondBrOp>(loc, failed, errorBlock, next);
    builder.setInsertionPointToStart(next);
    return result;
  }

  Value isTrue(Location loc, Value status) {
    return builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::ne, status,
                                        constI32(loc, 0));
  }

  /// Branches on `fast`: the fast block computes the result inline, the
  /// slow block through `slowPath`; they meet in a block with the i1.
  Value fastOrSlow(Location loc, Value fast,
                   llvm::function_ref<Value()> fastPath,
                   llvm::function_ref<Value()> slowPath) {
    Block *fastBlock = function.addBlock();
    Block *slowBlock = function.addBlock();
    Block *merge = function.addBlock();
    merge->addArgument(i1Type, loc);
    builder.create<LLVM::CondBrOp>(loc, fast, fastBlock, slowBlock);
    builder.setInsertionPointToStart(fastBlock);
    Value fastResult = fastPath();
    builder.create<LLVM::BrOp>(loc, ValueRange{fastResult}, merge);
    builder.setInsertionPointToStart(slowBlock);
    Value slowResult = slowPath();
    builder.create<LLVM::BrOp>(loc, ValueRange{slowResult}, merge);
    builder.setInsertionPointToStart(merge);
    return merge->getArgument(0);
  }

  const ipebc::LiteralInfo *literalOf(Value v) {
    Operation *def = v.getDefiningOp();
    if (!def || !isa<IntentLiteralOp>(def))
      return nullptr;
    return &image.ipe->literals[layout.index.lookup(def)];
  }

  FailureOr<Value> lowerBlock(Block &block) {
    for (Operation &op : block) {
      if (auto yield = dyn_cast<IntentYieldOp>(op))
        return conditions.lookup(yield.getValue());
      if (failed(lowerOp(op)))
        return failure();
    }
    return failure();
  }

  Value compare(IntentCompareOp cmp) {
    Location loc = cmp.getLoc();
    Value a = values.lookup(cmp.getLhs()), b = values.lookup(cmp.getRhs());
    uint32_t cond = layout.index.lookup(cmp);
    StringRef predicate = cmp.getPredicate();
    auto slow = [&] {
      return isTrue(loc, call(loc, "compare", {a, b, constI32(loc, cond)}));
    };
    // Put the literal on the right.
    Value subject = a;
    mlir::Value subjectOp = cmp.getLhs();
    const ipebc::LiteralInfo *lit = literalOf(cmp.getRhs());
    bool swapped = false;
    if (!lit && (lit = literalOf(cmp.getLhs()))) {
      subject = b;
      subjectOp = cmp.getRhs();
      swapped = true;
    }
    bool equality = predicate == "eq" || predicate == "ne";
    if (!lit)
      return equality ? equalStrings(loc, a, b, predicate == "ne", slow)
                      : slow();
    // Reads, fields and aggregates are never missing here (their lowering
    // leaves through the error exit first), but a filter's element is the
    // array element itself, which may be null: comparing it is an error
    // the equality tests below would not see.
    bool mayBeMissing = isa<BlockArgument>(subjectOp);
    auto finish = [&](Value equal) -> Value {
      return predicate == "ne"
                 ? builder.create<LLVM::XOrOp>(loc, equal, constI1(loc, true))
                 : equal;
    };
    auto unlessMissing = [&](llvm::function_ref<Value()> fast) -> Value {
      if (!mayBeMissing)
        return fast();
      Value present = builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::ne,
                                                   kindOf(loc, subject),
                                                   constI32(loc, kKindMissing));
      return fastOrSlow(loc, present, fast, slow);
    };
    switch (lit->kind) {
    case ipebc::LiteralKind::String: {
      if (!equality)
        return orderByEnumeration(cmp, subject, *lit, swapped, slow);
      return unlessMissing([&]() -> Value {
        Value isString = isKind(loc, subject, kKindString);
        Value symbol = load(loc, i32Type, subject, kSymbolOffset);
        Value same =
            builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq, symbol,
                                         constI32(loc, int64_t(lit->string)));
        return finish(builder.create<LLVM::AndOp>(loc, isString, same));
      });
    }
    case ipebc::LiteralKind::Bool: {
      if (!equality)
        return slow(); // ordering booleans is an error
      return unlessMissing([&]() -> Value {
        Value isBool = isKind(loc, subject, kKindBool);
        Value payload = load(loc, i64Type, subject, kPayloadOffset);
        Value same =
            builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq, payload,
                                         constI64(loc, lit->boolValue ? 1 : 0));
        return finish(builder.create<LLVM::AndOp>(loc, isBool, same));
      });
    }
    case ipebc::LiteralKind::Int: {
      Value isInt = isKind(loc, subject, kKindInt);
      auto fast = [&]() -> Value {
        Value x = load(loc, i64Type, subject, kPayloadOffset);
        Value y = constI64(loc, lit->intValue);
        LLVM::ICmpPredicate p;
        if (predicate == "eq")
          p = LLVM::ICmpPredicate::eq;
        else if (predicate == "ne")
          p = LLVM::ICmpPredicate::ne;
        else if (predicate == "lt")
          p = swapped ? LLVM::ICmpPredicate::sgt : LLVM::ICmpPredicate::slt;
        else if (predicate == "le")
          p = swapped ? LLVM::ICmpPredicate::sge : LLVM::ICmpPredicate::sle;
        else if (predicate == "gt")
          p = swapped ? LLVM::ICmpPredicate::slt : LLVM::ICmpPredicate::sgt;
        else
          p = swapped ? LLVM::ICmpPredicate::sle : LLVM::ICmpPredicate::sge;
        return builder.create<LLVM::ICmpOp>(loc, p, x, y);
      };
      return fastOrSlow(loc, isInt, fast, slow);
    }
    case ipebc::LiteralKind::Float:
      return slow();
    }
    return slow();
  }

  /// `approver.team != requester.team`: two strings of which one is a
  /// module string are equal exactly when their symbols are (the symbol
  /// contract of rune_ipe_native.h); other kinds, two strings that are no
  /// module strings (bytewise) and missing values (errors) go to the
  /// helper.
  Value equalStrings(Location loc, Value a, Value b, bool negate,
                     llvm::function_ref<Value()> slow) {
    Value bothStrings = builder.create<LLVM::AndOp>(
        loc, isKind(loc, a, kKindString), isKind(loc, b, kKindString));
    Block *strings = function.addBlock();
    Block *bySymbol = function.addBlock();
    Block *slowBlock = function.addBlock();
    Block *merge = function.addBlock();
    merge->addArgument(i1Type, loc);
    builder.create<LLVM::CondBrOp>(loc, bothStrings, strings, slowBlock);
    builder.setInsertionPointToStart(strings);
    Value symbolA = load(loc, i32Type, a, kSymbolOffset);
    Value symbolB = load(loc, i32Type, b, kSymbolOffset);
    // Symbols are -1 or >= 0: their AND is negative only when both are -1.
    Value eitherInterned = builder.create<LLVM::ICmpOp>(
        loc, LLVM::ICmpPredicate::sge,
        builder.create<LLVM::AndOp>(loc, symbolA, symbolB), constI32(loc, 0));
    builder.create<LLVM::CondBrOp>(loc, eitherInterned, bySymbol, slowBlock);
    builder.setInsertionPointToStart(bySymbol);
    Value same = builder.create<LLVM::ICmpOp>(
        loc, negate ? LLVM::ICmpPredicate::ne : LLVM::ICmpPredicate::eq,
        symbolA, symbolB);
    builder.create<LLVM::BrOp>(loc, ValueRange{same}, merge);
    builder.setInsertionPointToStart(slowBlock);
    Value slowResult = slow();
    builder.create<LLVM::BrOp>(loc, ValueRange{slowResult}, merge);
    builder.setInsertionPointToStart(merge);
    return merge->getArgument(0);
  }

  /// The enumerations (index, rank) holding each symbol, as the runtime
  /// computes them (Module::prepare): symbols are first module strings of
  /// their text, a member listed twice keeps its first rank, and the lists
  /// are in enumeration order.
  void computeMemberships() {
    if (membershipsComputed)
      return;
    membershipsComputed = true;
    llvm::StringMap<int32_t> firstIndex;
    for (size_t i = 0; i < image.strings.size(); ++i)
      firstIndex.try_emplace(image.strings[i], int32_t(i));
    symbolOfString.resize(image.strings.size());
    for (size_t i = 0; i < image.strings.size(); ++i)
      symbolOfString[i] = firstIndex.lookup(image.strings[i]);
    const auto &enums = image.ipe->enums;
    for (uint32_t e = 0; e < enums.size(); ++e)
      for (uint32_t rank = 0; rank < enums[e].members.size(); ++rank) {
        auto &list = memberships[symbolOfString[enums[e].members[rank]]];
        if (list.empty() || list.back().first != e)
          list.emplace_back(e, rank);
      }
  }

  /// `x < "literal"` (and <=, >, >=, either side): when the request's
  /// string and the literal are members of a common enumeration, the first
  /// such decides by rank (docs/ipe.md). With the literal fixed, that gives
  /// each symbol of the literal's enumerations a constant answer: one
  /// switch on the symbol. Other strings (bytewise order), other kinds and
  /// errors go to the helper.
  Value orderByEnumeration(IntentCompareOp cmp, Value subject,
                           const ipebc::LiteralInfo &lit, bool swapped,
                           llvm::function_ref<Value()> slow) {
    Location loc = cmp.getLoc();
    computeMemberships();
    int32_t literalSymbol = symbolOfString[lit.string];
    auto found = memberships.find(literalSymbol);
    if (found == memberships.end())
      return slow();
    // For each symbol sharing an enumeration with the literal: the answer
    // in the first enumeration they share (lists are in enum order).
    std::map<int32_t, bool> answers;
    StringRef predicate = cmp.getPredicate();
    for (auto [e, literalRank] : found->second)
      for (auto [symbol, list] : memberships)
        for (auto [otherEnum, rank] : list) {
          if (otherEnum != e || answers.count(symbol))
            continue;
          // A symbol in an earlier shared enumeration was answered there.
          int64_t a = swapped ? literalRank : rank;
          int64_t b = swapped ? rank : literalRank;
          bool result = predicate == "lt"   ? a < b
                        : predicate == "le" ? a <= b
                        : predicate == "gt" ? a > b
                                            : a >= b;
          answers[symbol] = result;
        }
    Value isString = isKind(loc, subject, kKindString);
    Block *stringBlock = function.addBlock();
    Block *slowBlock = function.addBlock();
    Block *merge = function.addBlock();
    merge->addArgument(i1Type, loc);
    builder.create<LLVM::CondBrOp>(loc, isString, stringBlock, slowBlock);
    builder.setInsertionPointToStart(stringBlock);
    Value symbol = load(loc, i32Type, subject, kSymbolOffset);
    Block *trueBlock = function.addBlock();
    Block *falseBlock = function.addBlock();
    SmallVector<int32_t> caseValues;
    SmallVector<Block *> caseBlocks;
    for (auto [s, result] : answers) {
      caseValues.push_back(s);
      caseBlocks.push_back(result ? trueBlock : falseBlock);
    }
    builder.create<LLVM::SwitchOp>(
        loc, symbol, slowBlock, ValueRange(), caseValues,
        BlockRange(caseBlocks),
        SmallVector<ValueRange>(caseBlocks.size(), ValueRange()));
    builder.setInsertionPointToStart(trueBlock);
    builder.create<LLVM::BrOp>(loc, ValueRange{constI1(loc, true)}, merge);
    builder.setInsertionPointToStart(falseBlock);
    builder.create<LLVM::BrOp>(loc, ValueRange{constI1(loc, false)}, merge);
    builder.setInsertionPointToStart(slowBlock);
    Value slowResult = slow();
    builder.create<LLVM::BrOp>(loc, ValueRange{slowResult}, merge);
    builder.setInsertionPointToStart(merge);
    return merge->getArgument(0);
  }

  Value inList(IntentInOp in) {
    Location loc = in.getLoc();
    Value subject = values.lookup(in.getValue());
    uint32_t cond = layout.index.lookup(in);
    auto slow = [&] {
      return isTrue(loc, call(loc, "in", {subject, constI32(loc, cond)}));
    };
    const ipebc::ConditionInfo &info = image.ipe->conditions[cond];
    SmallVector<uint32_t> symbols;
    for (uint32_t lit : image.ipe->lists[info.list]) {
      const ipebc::LiteralInfo &literal = image.ipe->literals[lit];
      if (literal.kind != ipebc::LiteralKind::String)
        return slow();
      symbols.push_back(literal.string);
    }
    Value isString = isKind(loc, subject, kKindString);
    auto fast = [&]() -> Value {
      Value symbol = load(loc, i32Type, subject, kSymbolOffset);
      Value any = constI1(loc, false);
      for (uint32_t s : symbols)
        any = builder.create<LLVM::OrOp>(
            loc, any,
            builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq, symbol,
                                         constI32(loc, int64_t(s))));
      return any;
    };
    // Arrays (any element) and errors go through the helper.
    return fastOrSlow(loc, isString, fast, slow);
  }

  LogicalResult lowerOp(Operation &op) {
    Location loc = op.getLoc();
    if (auto read = dyn_cast<IntentReadOp>(op)) {
      uint32_t slot = layout.index.lookup(&op);
      if (read.getCollection()) {
        // Read where an aggregate needs it as a value: the inline loops
        // read the slot itself and need the helper's copy only on their
        // slow path.
        if (llvm::all_of(read->getUsers(), [](Operation *user) {
              return isa<IntentAggregateOp>(user);
            })) {
          collectionSlot[read.getResult()] = slot;
          return success();
        }
        Value dst = stackValue(loc);
        call(loc, "load_collection", {dst, constI32(loc, slot)});
        values[read.getResult()] = dst;
        return success();
      }
      Value ptr = element(loc, slots, slot);
      Value missing = builder.create<LLVM::ICmpOp>(
          loc, LLVM::ICmpPredicate::eq, kindOf(loc, ptr), constI32(loc, 0));
      Block *present = function.addBlock();
      Block *absent = function.addBlock();
      builder.create<LLVM::CondBrOp>(loc, missing, absent, present);
      builder.setInsertionPointToStart(absent);
      call(loc, "missing", {constI32(loc, slot)});
      // The helper always fails; this branch is never taken.
      builder.create<LLVM::BrOp>(loc, ValueRange(), errorBlock);
      builder.setInsertionPointToStart(present);
      values[read.getResult()] = ptr;
      return success();
    }
    if (auto lit = dyn_cast<IntentLiteralOp>(op)) {
      values[lit.getResult()] =
          element(loc, literals, layout.index.lookup(&op));
      return success();
    }
    if (auto constant = dyn_cast<IntentBoolOp>(op)) {
      conditions[constant.getResult()] = constI1(loc, constant.getValue());
      return success();
    }
    if (auto get = dyn_cast<IntentGetOp>(op)) {
      auto [key, display] = layout.strings.lookup(&op);
      if (Value row = elementRowOf.lookup(get.getObject())) {
        auto column = llvm::lower_bound(rowKeys, key);
        if (column != rowKeys.end() && *column == key) {
          values[get.getResult()] =
              rowField(loc, row, uint32_t(column - rowKeys.begin()), display);
          return success();
        }
      }
      Value dst = stackValue(loc);
      call(loc, "get_field",
           {dst, values.lookup(get.getObject()), constI32(loc, key),
            constI32(loc, display)});
      values[get.getResult()] = dst;
      return success();
    }
    if (auto cmp = dyn_cast<IntentCompareOp>(op)) {
      conditions[cmp.getResult()] = compare(cmp);
      return success();
    }
    if (auto in = dyn_cast<IntentInOp>(op)) {
      conditions[in.getResult()] = inList(in);
      return success();
    }
    if (auto truth = dyn_cast<IntentTruthOp>(op)) {
      Value subject = values.lookup(truth.getValue());
      uint32_t cond = layout.index.lookup(&op);
      conditions[truth.getResult()] = fastOrSlow(
          loc, isKind(loc, subject, kKindBool),
          [&]() -> Value {
            return builder.create<LLVM::ICmpOp>(
                loc, LLVM::ICmpPredicate::ne,
                load(loc, i64Type, subject, kPayloadOffset), constI64(loc, 0));
          },
          [&] {
            return isTrue(loc,
                          call(loc, "truth", {subject, constI32(loc, cond)}));
          });
      return success();
    }
    if (auto notOp = dyn_cast<IntentNotOp>(op)) {
      conditions[notOp.getResult()] = builder.create<LLVM::XOrOp>(
          loc, conditions.lookup(notOp.getValue()), constI1(loc, true));
      return success();
    }
    if (isa<IntentAndOp, IntentOrOp>(op)) {
      bool isAnd = isa<IntentAndOp>(op);
      Value lhs = conditions.lookup(op.getOperand(0));
      Block *rhsBlock = function.addBlock();
      Block *merge = function.addBlock();
      merge->addArgument(i1Type, loc);
      Value shortValue = constI1(loc, !isAnd);
      if (isAnd)
        builder.create<LLVM::CondBrOp>(loc, lhs, rhsBlock, ValueRange(), merge,
                                       ValueRange{shortValue});
      else
        builder.create<LLVM::CondBrOp>(loc, lhs, merge, ValueRange{shortValue},
                                       rhsBlock, ValueRange());
      builder.setInsertionPointToStart(rhsBlock);
      FailureOr<Value> rhs = lowerBlock(op.getRegion(0).front());
      if (failed(rhs))
        return failure();
      builder.create<LLVM::BrOp>(loc, ValueRange{*rhs}, merge);
      builder.setInsertionPointToStart(merge);
      conditions[op.getResult(0)] = merge->getArgument(0);
      return success();
    }
    if (auto agg = dyn_cast<IntentAggregateOp>(op))
      return aggregate(agg);
    return op.emitError("cannot lower '") << op.getName() << "' to LLVM";
  }

  /// The runtime's aggregate, through the helper: any collection, and
  /// every error.
  void aggregateThroughRuntime(IntentAggregateOp agg, Value dst,
                               uint32_t mode) {
    Location loc = agg.getLoc();
    call(loc, "aggregate",
         {dst, collectionValue(loc, agg.getCollection()),
          constI32(loc, layout.index.lookup(agg.getOperation())),
          constI32(loc, mode)});
  }

  /// The collection an aggregate reads, as a value: a collection read is
  /// copied here (missing reads as an empty array), where it is needed.
  Value collectionValue(Location loc, mlir::Value collection) {
    auto pending = collectionSlot.find(collection);
    if (pending == collectionSlot.end())
      return values.lookup(collection);
    Value dst = stackValue(loc);
    call(loc, "load_collection", {dst, constI32(loc, pending->second)});
    return dst;
  }

  /// The collection slot `agg` reads directly, when the runtime resolves
  /// element rows for it (appendElementRows).
  std::optional<uint32_t> rowSlotOf(IntentAggregateOp agg) {
    auto read = agg.getCollection().getDefiningOp<IntentReadOp>();
    if (!read || !read.getCollection())
      return std::nullopt;
    uint32_t slot = layout.index.lookup(read.getOperation());
    if (!llvm::binary_search(rowSlots, slot))
      return std::nullopt;
    return slot;
  }

  /// Writes an aggregate's result: an integer for count, a boolean else.
  void storeResult(Location loc, Value dst, uint32_t mode, Value payload) {
    builder.create<LLVM::StoreOp>(
        loc, constI32(loc, mode == kCount ? kKindInt : kKindBool), dst);
    Value field = builder.create<LLVM::GEPOp>(
        loc, ptrType, i8Type, dst, ArrayRef<LLVM::GEPArg>{kPayloadOffset});
    builder.create<LLVM::StoreOp>(loc, payload, field);
  }

  /// `approvals.count >= 2 where approver.role == "x"` (and any, all) over
  /// a request array: the loop runs here, the filter's operations inline
  /// in it, element fields read from the decision's element rows (a field
  /// resolved on its first read in the decision). Same order of evaluation and
  /// the same early exits as the runtime's loop, so the same outcomes and
  /// errors; a collection that is not an array goes to the runtime.
  LogicalResult aggregate(IntentAggregateOp agg) {
    Location loc = agg.getLoc();
    uint32_t mode = agg.getMode() == "count" ? kCount
                    : agg.getMode() == "any" ? kAny
                                             : kAll;
    Value dst = stackValue(loc);
    values[agg.getResult()] = dst;
    std::optional<uint32_t> slot = rowSlotOf(agg);
    if (!slot) {
      aggregateThroughRuntime(agg, dst, mode);
      return success();
    }
    Value array = element(loc, slots, *slot);
    Value kind = kindOf(loc, array);
    Value isArray = builder.create<LLVM::ICmpOp>(
        loc, LLVM::ICmpPredicate::eq, kind, constI32(loc, kKindArray));
    Block *slow = function.addBlock();
    Block *done = function.addBlock();
    if (agg.getFilter().empty()) {
      // Every element passes: the array's length decides (a missing
      // collection is empty).
      Value isMissing = builder.create<LLVM::ICmpOp>(
          loc, LLVM::ICmpPredicate::eq, kind, constI32(loc, kKindMissing));
      Block *fast = function.addBlock();
      builder.create<LLVM::CondBrOp>(
          loc, builder.create<LLVM::OrOp>(loc, isArray, isMissing), fast, slow);
      builder.setInsertionPointToStart(fast);
      Value length = builder.create<LLVM::SelectOp>(
          loc, isArray, load(loc, i64Type, array, kLengthOffset),
          constI64(loc, 0));
      Value result =
          mode == kCount ? length
          : mode == kAny
              ? builder.create<LLVM::ZExtOp>(
                    loc, i64Type,
                    builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::ne,
                                                 length, constI64(loc, 0)))
              : constI64(loc, 1);
      storeResult(loc, dst, mode, result);
      builder.create<LLVM::BrOp>(loc, ValueRange(), done);
    } else {
      // An empty array (half the requests of a typical stream) decides
      // without rows: count 0, any false, all true.
      Block *anArray = function.addBlock();
      Block *empty = function.addBlock();
      Block *haveRows = function.addBlock();
      builder.create<LLVM::CondBrOp>(loc, isArray, anArray, slow);
      builder.setInsertionPointToStart(anArray);
      Value length = load(loc, i64Type, array, kLengthOffset);
      builder.create<LLVM::CondBrOp>(
          loc,
          builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq, length,
                                       constI64(loc, 0)),
          empty, haveRows);
      builder.setInsertionPointToStart(empty);
      storeResult(loc, dst, mode, constI64(loc, mode == kAll ? 1 : 0));
      builder.create<LLVM::BrOp>(loc, ValueRange(), done);
      builder.setInsertionPointToStart(haveRows);
      Value rows =
          declarations.call(builder, loc, "rune_ipe_rt_element_rows", ptrType,
                            ValueRange{frame, constI32(loc, *slot)});
      Value noRows = builder.create<LLVM::ICmpOp>(
          loc, LLVM::ICmpPredicate::eq, rows,
          builder.create<LLVM::ZeroOp>(loc, ptrType));
      Block *start = function.addBlock();
      builder.create<LLVM::CondBrOp>(loc, noRows, slow, start);
      builder.setInsertionPointToStart(start);
      // header(i, passed): element i next, `passed` elements passed so far.
      Block *header = function.addBlock();
      header->addArgument(i64Type, loc);
      header->addArgument(i64Type, loc);
      Block *body = function.addBlock();
      Block *exhausted = function.addBlock();
      Block *decided = function.addBlock();
      builder.create<LLVM::BrOp>(
          loc, ValueRange{constI64(loc, 0), constI64(loc, 0)}, header);
      builder.setInsertionPointToStart(header);
      Value index = header->getArgument(0), passed = header->getArgument(1);
      builder.create<LLVM::CondBrOp>(
          loc,
          builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::ult, index,
                                       length),
          body, exhausted);
      builder.setInsertionPointToStart(body);
      Value first = builder.create<LLVM::MulOp>(
          loc, index, constI64(loc, int64_t(1 + rowKeys.size())));
      Value row = builder.create<LLVM::GEPOp>(
          loc, ptrType, LLVM::LLVMArrayType::get(i8Type, kValueSize), rows,
          ArrayRef<LLVM::GEPArg>{first});
      Block &filter = agg.getFilter().front();
      values[filter.getArgument(0)] = row;
      elementRowOf[filter.getArgument(0)] = row;
      FailureOr<Value> passes = lowerBlock(filter);
      if (failed(passes))
        return failure();
      Value next = builder.create<LLVM::AddOp>(loc, index, constI64(loc, 1));
      if (mode == kCount) {
        Value sum = builder.create<LLVM::AddOp>(
            loc, passed, builder.create<LLVM::ZExtOp>(loc, i64Type, *passes));
        builder.create<LLVM::BrOp>(loc, ValueRange{next, sum}, header);
      } else if (mode == kAny) {
        builder.create<LLVM::CondBrOp>(loc, *passes, decided, ValueRange(),
                                       header, ValueRange{next, passed});
      } else {
        builder.create<LLVM::CondBrOp>(loc, *passes, header,
                                       ValueRange{next, passed}, decided,
                                       ValueRange());
      }
      // Out of elements: the count, or nothing decided any/all.
      builder.setInsertionPointToStart(exhausted);
      storeResult(loc, dst, mode,
                  mode == kCount ? passed
                                 : constI64(loc, mode == kAll ? 1 : 0));
      builder.create<LLVM::BrOp>(loc, ValueRange(), done);
      builder.setInsertionPointToStart(decided);
      storeResult(loc, dst, mode, constI64(loc, mode == kAny ? 1 : 0));
      builder.create<LLVM::BrOp>(loc, ValueRange(), done);
    }
    builder.setInsertionPointToStart(slow);
    aggregateThroughRuntime(agg, dst, mode);
    builder.create<LLVM::BrOp>(loc, ValueRange(), done);
    builder.setInsertionPointToStart(done);
    return success();
  }

  /// An element's field from its row: resolved, read in place; not yet,
  /// the runtime's element_field resolves it into the cell (the first read
  /// in a decision), or records the error when the element has no such
  /// field.
  Value rowField(Location loc, Value row, uint32_t column, uint32_t display) {
    Value field = element(loc, row, 1 + column);
    Value unresolved = builder.create<LLVM::ICmpOp>(
        loc, LLVM::ICmpPredicate::eq, kindOf(loc, field),
        constI32(loc, kKindMissing));
    Block *present = function.addBlock();
    Block *resolve = function.addBlock();
    builder.create<LLVM::CondBrOp>(loc, unresolved, resolve, present);
    builder.setInsertionPointToStart(resolve);
    call(loc, "element_field",
         {row, constI32(loc, column), constI32(loc, display)});
    builder.create<LLVM::BrOp>(loc, ValueRange(), present);
    builder.setInsertionPointToStart(present);
    return field;
  }

  static constexpr uint32_t kCount = 0, kAny = 1, kAll = 2;

  ModuleOp module;
  RuntimeDeclarations declarations{module};
  const IpeBytecodeLayout &layout;
  const bc::Module &image;
  /// The columns of element rows and the slots that have rows, as the
  /// runtime derives them from the same bytecode.
  std::vector<uint32_t> rowKeys, rowSlots;
  MLIRContext *context;
  LLVM::LLVMFuncOp function;
  Block *entry = nullptr, *errorBlock = nullptr;
  Value frame, slots, literals, one;
  /// !rune.value -> pointer to its rune_ipe_value; i1 -> the i1.
  llvm::DenseMap<Value, Value> values, conditions;
  /// Collection reads -> their slot (read when used, collectionValue).
  llvm::DenseMap<mlir::Value, uint32_t> collectionSlot;
  /// The element argument of a filter lowered inline -> its row.
  llvm::DenseMap<Value, Value> elementRowOf;
  /// For ordering by enumeration, computed on first use.
  bool membershipsComputed = false;
  std::vector<int32_t> symbolOfString;
  std::map<int32_t, SmallVector<std::pair<uint32_t, uint32_t>>> memberships;
};

} // namespace

LogicalResult rune::lowerIpeModule(ModuleOp module, StringRef symbol) {
  std::vector<uint8_t> bytecode;
  IpeBytecodeLayout layout;
  if (failed(emitIpeBytecode(module, bytecode, &layout)))
    return failure();
  bc::Module image;
  std::string error;
  if (!bc::readModule(bytecode.data(), bytecode.size(), image, error))
    return module.emitError("emitted bytecode does not verify: ") << error;
  EntryLowering lowering(module, layout, image);
  std::vector<std::string> names;
  SmallVector<LLVM::LLVMFuncOp> policyFunctions;
  for (auto [i, op] : llvm::enumerate(layout.entries)) {
    names.push_back((symbol + "_entry" + Twine(i)).str());
    if (failed(lowering.lower(op, names.back())))
      return failure();
    if (i < layout.policyCount)
      policyFunctions.push_back(lowering.lowered());
  }
  // Descriptor layout 2 (rune_ipe_native.h): the decision function after
  // the Policies entries.
  std::string decideName = (symbol + "_decide").str();
  if (emitIpeDecideFunction(module, image, policyFunctions, decideName))
    names.push_back(decideName);
  // Everything but the LLVM functions goes: the tables travel in the
  // embedded bytecode. Policies own their filters, so erase them first.
  for (Operation &op : llvm::make_early_inc_range(*module.getBody()))
    if (!isa<LLVM::LLVMFuncOp, LLVM::GlobalOp>(op))
      op.erase();
  emitNativeModuleDescriptor(module, symbol, bytecode, names);
  return success();
}
