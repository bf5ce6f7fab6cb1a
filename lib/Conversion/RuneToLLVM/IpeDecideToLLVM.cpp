//===- IpeDecideToLLVM.cpp - A native IPE module's whole decision ---------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The runtime's generic decision probes the trigger index through hash
// tables, collects the candidates in a list, de-duplicates them with stamps,
// sorts them and calls every policy through a table. With the index known
// when the module is compiled, native code does all of that itself in one
// function (rune_ipe_decide_fn, rune_ipe_native.h):
//   - the policies without an indexable trigger are evaluated first;
//   - each index group (a function of its own, inlined into the decision
//     while the groups inlined stay small) reads the kinds of its paths
//     once; when one is not a scalar the group's policies are
//     evaluated in full (what the runtime does), otherwise it finds the key
//     the request's values form (a string by its module symbol, an integer
//     or a boolean by its value): a small group as a tree of switches, one
//     level per path; a large one in constant rows and a hash table of
//     them built when the module is compiled (IpeKeyTable.h), probed by a
//     few generated instructions. Switch trees are the faster of the two
//     when an early path rules the request out, but LLVM's time to
//     optimize them grows with the keys: for 10,000 policies all as
//     switches it took three times as long as the policies themselves
//     (docs/performance.md);
//   - a list of policies (constant data) is evaluated by one small loop
//     calling each through the table of policy functions; a list of one
//     policy (what most keys select) by a direct call, or in a hash-table
//     group by one call through the table;
//   - every outcome other than NotApplicable is stored, packed with its
//     policy, into the caller's array: no allocation, no sorting of
//     candidates (the runtime orders the one to three applicable entries).
// It reproduces Module::candidates exactly (runtime/lib/Ipe/IpeModule.cpp):
// the same policies are evaluated, so the outcomes and the evaluated count
// match the bytecode backend's.
//
//===----------------------------------------------------------------------===//

#include "IpeToLLVM.h"

#include "rune/Conversion/IpeKeyTable.h"
#include "rune/Runtime/BytecodeReader.h"
#include "rune/Runtime/IpeFormat.h"

#include "IpeValueLayout.h"
#include "LLVMEmitter.h"
#include "RuntimeDeclarations.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"

#include <map>
#include <tuple>

using namespace mlir;
using namespace rune;

namespace {

using namespace rune::ipe_value_layout;

/// One component of an index key, as the runtime compares it: a string by
/// its symbol, an integer or a boolean by its value.
struct KeyPart {
  int64_t kind;
  int64_t value;
  bool operator<(const KeyPart &other) const {
    return std::tie(kind, value) < std::tie(other.kind, other.value);
  }
};

/// Groups with at most this many keys are a tree of switches, faster than
/// a hash probe when the first paths already rule a request out; larger
/// ones are hash tables, which LLVM compiles in time proportional to the
/// code, not to the keys.
constexpr size_t kMaxSwitchTreeKeys = 64;

/// How many keys (DecideLowering::inlineCost) of index groups may be
/// inlined into the decision function. The sets of bench/ipe/generate.py
/// stay well below it up to 10,000 policies (11 groups, half of them hash
/// probes), and inlining all their groups left `runec --emit obj` time as
/// it was (docs/performance.md, session 8); a set with many more groups
/// keeps the rest as functions of their own, so that no function grows
/// without bound.
constexpr size_t kInlinedGroupBudget = 1024;

class DecideLowering : LLVMEmitter {
public:
  DecideLowering(ModuleOp module, const bc::Module &image,
                 ArrayRef<LLVM::LLVMFuncOp> policyFunctions)
      : LLVMEmitter(module.getContext()), module(module), image(image),
        tables(*image.ipe), policyFunctions(policyFunctions),
        context(module.getContext()), f64Type(Float64Type::get(context)) {
    // Symbols as the runtime assigns them (Module::prepare): a string's
    // symbol is the first module string with its bytes.
    for (size_t i = 0; i < image.strings.size(); ++i)
      firstIndex.try_emplace(image.strings[i], int32_t(i));
  }

  /// Whether the index lists every policy at most once (the compiler's
  /// index always does): the decision then evaluates each at most once
  /// without the runtime's de-duplication.
  bool indexListsPoliciesOnce() const {
    std::vector<int> owner(tables.policies.size(), -1);
    auto claim = [&](const std::vector<uint32_t> &policies, int who) {
      for (uint32_t p : policies) {
        if (p >= owner.size() || owner[p] != -1)
          return false;
        owner[p] = who;
      }
      return true;
    };
    if (!claim(tables.alwaysChecked, 0))
      return false;
    for (auto [g, group] : llvm::enumerate(tables.indexGroups)) {
      if (!claim(group.policies, int(g) + 1))
        return false;
      for (const ipebc::IndexKey &key : group.keys) {
        if (key.literals.size() != group.slots.size())
          return false;
        llvm::SmallDenseSet<uint32_t> seen;
        for (uint32_t p : key.policies)
          if (p >= owner.size() || owner[p] != int(g) + 1 ||
              !seen.insert(p).second)
            return false;
      }
    }
    return true;
  }

  void emit(StringRef name) {
    decideName = name.str();
    Location loc = module.getLoc();
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToEnd(module.getBody());
    // The trie's leaves name policy lists: build them first.
    collectLists();
    emitTables(loc, name);
    emitEvaluate(loc, name);

    // One function per index group: LLVM's optimizations grow faster than
    // the size of a function, and the groups of a large module together
    // have tens of thousands of keys (for 10,000 policies, `opt -O2` took
    // 126 s on one function holding them all, 85 s on the group functions:
    // docs/performance.md). Their code is bounded now (a switch tree of at
    // most kMaxSwitchTreeKeys keys, or a hash probe), so the first groups
    // up to kInlinedGroupBudget are inlined into the decision: no call,
    // frame and register saves per group, and the running state in
    // registers.
    SmallVector<LLVM::LLVMFuncOp> groupFunctions;
    size_t inlinedCost = 0;
    for (auto [g, group] : llvm::enumerate(tables.indexGroups)) {
      LLVM::LLVMFuncOp groupFunction = emitGroupFunction(loc, name, g, group);
      inlinedCost += inlineCost(group);
      if (inlinedCost <= kInlinedGroupBudget)
        groupFunction.setAlwaysInline(true);
      else
        groupFunction.setNoInline(true);
      groupFunctions.push_back(groupFunction);
    }

    auto fnType = LLVM::LLVMFunctionType::get(
        i32Type, {ptrType, ptrType, ptrType, ptrType});
    function = builder.create<LLVM::LLVMFuncOp>(loc, name, fnType,
                                                LLVM::Linkage::Internal);
    Block *entry = function.addEntryBlock(builder);
    frame = function.getArgument(0);
    regs = function.getArgument(1);
    builder.setInsertionPointToStart(entry);
    // The running state { count, evaluated, applicable } is emitted in
    // memory, which group functions of their own update through a pointer;
    // in the groups inlined, LLVM turns it into registers (a phi node per
    // leaf of their tries, few as their keys are bounded).
    stateVar = builder.create<LLVM::AllocaOp>(loc, ptrType, stateType,
                                              constI64(loc, 1), 8);
    builder.create<LLVM::StoreOp>(loc, constI32(loc, 0), stateField(loc, 0));
    builder.create<LLVM::StoreOp>(loc, constI32(loc, 0), stateField(loc, 1));
    builder.create<LLVM::StoreOp>(loc, function.getArgument(2),
                                  stateField(loc, 2));

    callPolicies(loc, tables.alwaysChecked);
    // The slots are read once: each group's reads of them would otherwise
    // follow policy calls, which could have changed the frame for all LLVM
    // knows.
    Value requestSlots = builder.create<LLVM::LoadOp>(loc, ptrType, frame);
    for (LLVM::LLVMFuncOp groupFunction : groupFunctions)
      builder.create<LLVM::CallOp>(
          loc, groupFunction, ValueRange{frame, regs, stateVar, requestSlots});

    builder.create<LLVM::StoreOp>(
        loc, builder.create<LLVM::LoadOp>(loc, i32Type, stateField(loc, 1)),
        function.getArgument(3));
    builder.create<LLVM::ReturnOp>(
        loc, builder.create<LLVM::LoadOp>(loc, i32Type, stateField(loc, 0)));
  }

private:
  Value stateField(Location loc, int32_t field) {
    return builder.create<LLVM::GEPOp>(loc, ptrType, stateType, stateVar,
                                       ArrayRef<LLVM::GEPArg>{0, field});
  }
  Value slotField(Location loc, Type type, uint32_t slot, int32_t offset) {
    Value value = builder.create<LLVM::GEPOp>(
        loc, ptrType, LLVM::LLVMArrayType::get(i8Type, kValueSize), slots,
        ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(slot)});
    Value field =
        offset == 0
            ? value
            : builder.create<LLVM::GEPOp>(loc, ptrType, i8Type, value,
                                          ArrayRef<LLVM::GEPArg>{offset});
    return builder.create<LLVM::LoadOp>(loc, type, field);
  }

  /// Every list of policies the decision evaluates (the always-checked
  /// ones, each group's, each key's), stored once in one array.
  void collectLists() {
    auto add = [&](const std::vector<uint32_t> &policies) {
      if (policies.empty() || listOffsets.count(&policies))
        return;
      listOffsets[&policies] = uint32_t(listData.size());
      listData.insert(listData.end(), policies.begin(), policies.end());
    };
    add(tables.alwaysChecked);
    for (const ipebc::IndexGroup &group : tables.indexGroups) {
      add(group.policies);
      for (const ipebc::IndexKey &key : group.keys)
        add(key.policies);
    }
  }

  /// `<name>_lists` (the policy lists) and `<name>_policies` (the policy
  /// functions, indexed by policy).
  void emitTables(Location loc, StringRef name) {
    listsName = (name + "_lists").str();
    std::vector<int32_t> data(listData.begin(), listData.end());
    if (data.empty())
      data.push_back(0);
    auto listsType = LLVM::LLVMArrayType::get(i32Type, data.size());
    builder.create<LLVM::GlobalOp>(
        loc, listsType, /*isConstant=*/true, LLVM::Linkage::Internal, listsName,
        DenseElementsAttr::get(
            RankedTensorType::get({int64_t(data.size())}, i32Type),
            ArrayRef<int32_t>(data)),
        /*alignment=*/4);
    functionsName = (name + "_policies").str();
    auto functionsType = LLVM::LLVMArrayType::get(
        ptrType, std::max<size_t>(policyFunctions.size(), 1));
    auto functions = builder.create<LLVM::GlobalOp>(
        loc, functionsType, /*isConstant=*/true, LLVM::Linkage::Internal,
        functionsName, Attribute(), /*alignment=*/8);
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(
        &functions.getInitializerRegion().emplaceBlock());
    Value table = builder.create<LLVM::UndefOp>(loc, functionsType);
    for (auto [i, fn] : llvm::enumerate(policyFunctions))
      table = builder.create<LLVM::InsertValueOp>(
          loc, table,
          builder.create<LLVM::AddressOfOp>(loc, ptrType,
                                            LLVM::LLVMFuncOp(fn).getSymName()),
          ArrayRef<int64_t>{int64_t(i)});
    if (policyFunctions.empty())
      table = builder.create<LLVM::InsertValueOp>(
          loc, table, builder.create<LLVM::ZeroOp>(loc, ptrType),
          ArrayRef<int64_t>{0});
    builder.create<LLVM::ReturnOp>(loc, table);
  }

  /// `<name>_evaluate(frame, regs, applicable, count, list, length)`: calls
  /// each policy of the list and stores (policy << 2) | (result & 3) at
  /// applicable[count], counting it when the result is not 0
  /// (NotApplicable): -1 (error) & 3 is 3, the Error outcome; returns the
  /// new count. The store is unconditional, which is safe: count never
  /// exceeds the policies evaluated so far, fewer than the policy count.
  /// The count is a value, not the caller's state in memory: the loop keeps
  /// it in a register across the policy calls (which could otherwise write
  /// the state, as far as LLVM knows), and the caller's state stays
  /// private to it, so that once group functions are inlined into the
  /// decision its fields are registers too.
  void emitEvaluate(Location loc, StringRef name) {
    OpBuilder::InsertionGuard guard(builder);
    auto fnType = LLVM::LLVMFunctionType::get(
        i32Type, {ptrType, ptrType, ptrType, i32Type, ptrType, i32Type});
    evaluateFunction = builder.create<LLVM::LLVMFuncOp>(
        loc, (name + "_evaluate").str(), fnType, LLVM::Linkage::Internal);
    evaluateFunction.setNoInline(true);
    Block *entry = evaluateFunction.addEntryBlock(builder);
    Value fnFrame = evaluateFunction.getArgument(0);
    Value fnRegs = evaluateFunction.getArgument(1);
    Value applicable = evaluateFunction.getArgument(2);
    Value list = evaluateFunction.getArgument(4);
    Value length = evaluateFunction.getArgument(5);
    Block *loop = evaluateFunction.addBlock();
    loop->addArgument(i32Type, loc);
    loop->addArgument(i32Type, loc);
    Block *body = evaluateFunction.addBlock();
    Block *done = evaluateFunction.addBlock();
    builder.setInsertionPointToStart(entry);
    builder.create<LLVM::BrOp>(
        loc, ValueRange{constI32(loc, 0), evaluateFunction.getArgument(3)},
        loop);

    builder.setInsertionPointToStart(loop);
    Value i = loop->getArgument(0);
    Value count = loop->getArgument(1);
    builder.create<LLVM::CondBrOp>(
        loc,
        builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::ult, i, length),
        body, done);

    builder.setInsertionPointToStart(body);
    Value index = builder.create<LLVM::ZExtOp>(loc, i64Type, i);
    Value policy = builder.create<LLVM::LoadOp>(
        loc, i32Type,
        builder.create<LLVM::GEPOp>(loc, ptrType, i32Type, list,
                                    ArrayRef<LLVM::GEPArg>{index}));
    Value result = callThroughTable(loc, policy, fnFrame, fnRegs);
    Value newCount = appendEntry(
        loc, result, builder.create<LLVM::ShlOp>(loc, policy, constI32(loc, 2)),
        applicable, count);
    builder.create<LLVM::BrOp>(
        loc,
        ValueRange{builder.create<LLVM::AddOp>(loc, i, constI32(loc, 1)),
                   newCount},
        loop);

    builder.setInsertionPointToStart(done);
    builder.create<LLVM::ReturnOp>(loc, ValueRange{count});
  }

  /// Calls policy `policy` (an i32) through the table of policy functions
  /// and returns its result.
  Value callThroughTable(Location loc, Value policy, Value callFrame,
                         Value callRegs) {
    Value callee = builder.create<LLVM::LoadOp>(
        loc, ptrType,
        builder.create<LLVM::GEPOp>(
            loc, ptrType, ptrType,
            builder.create<LLVM::AddressOfOp>(loc, ptrType, functionsName),
            ArrayRef<LLVM::GEPArg>{
                Value(builder.create<LLVM::ZExtOp>(loc, i64Type, policy))}));
    auto policyType = LLVM::LLVMFunctionType::get(i32Type, {ptrType, ptrType});
    return builder
        .create<LLVM::CallOp>(loc, policyType,
                              ValueRange{callee, callFrame, callRegs})
        .getResult();
  }

  /// Stores a policy's entry ((policy << 2) | (result & 3)) at
  /// applicable[count] and returns the count, plus one when the result is
  /// not 0 (NotApplicable); the store is unconditional (see emitEvaluate).
  /// Shared by the evaluation loop and the direct calls of one-policy
  /// lists.
  Value appendEntry(Location loc, Value result, Value policyShifted,
                    Value applicable, Value count) {
    Value entryValue = builder.create<LLVM::OrOp>(
        loc, builder.create<LLVM::AndOp>(loc, result, constI32(loc, 3)),
        policyShifted);
    Value countIndex = builder.create<LLVM::ZExtOp>(loc, i64Type, count);
    Value at = builder.create<LLVM::GEPOp>(loc, ptrType, i32Type, applicable,
                                           ArrayRef<LLVM::GEPArg>{countIndex});
    builder.create<LLVM::StoreOp>(loc, entryValue, at);
    Value applies = builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::ne,
                                                 result, constI32(loc, 0));
    return builder.create<LLVM::AddOp>(
        loc, count, builder.create<LLVM::ZExtOp>(loc, i32Type, applies));
  }

  /// Calls `<name>_evaluate` on `length` policies at `list` and updates the
  /// running state (count and evaluated) at `stateVar`.
  void evaluateList(Location loc, Value list, Value length) {
    Value countField = stateField(loc, 0);
    Value count = builder.create<LLVM::LoadOp>(loc, i32Type, countField);
    Value applicable =
        builder.create<LLVM::LoadOp>(loc, ptrType, stateField(loc, 2));
    Value newCount =
        builder
            .create<LLVM::CallOp>(
                loc, evaluateFunction,
                ValueRange{frame, regs, applicable, count, list, length})
            .getResult();
    builder.create<LLVM::StoreOp>(loc, newCount, countField);
    addEvaluated(loc, length);
  }

  /// evaluated += `length` in the running state.
  void addEvaluated(Location loc, Value length) {
    Value evaluatedField = stateField(loc, 1);
    builder.create<LLVM::StoreOp>(
        loc,
        builder.create<LLVM::AddOp>(
            loc, builder.create<LLVM::LoadOp>(loc, i32Type, evaluatedField),
            length),
        evaluatedField);
  }

  /// Evaluates the policies of `policies` (one of the lists collected).
  void callPolicies(Location loc, const std::vector<uint32_t> &policies) {
    if (policies.empty())
      return;
    if (policies.size() == 1) {
      callPolicy(loc, policies.front());
      return;
    }
    Value list = builder.create<LLVM::GEPOp>(
        loc, ptrType, i32Type,
        builder.create<LLVM::AddressOfOp>(loc, ptrType, listsName),
        ArrayRef<LLVM::GEPArg>{int32_t(listOffsets.lookup(&policies))});
    evaluateList(loc, list, constI32(loc, int64_t(policies.size())));
  }

  /// What `<name>_evaluate` does for a list of one policy, here: most keys
  /// select one policy, and a direct call with the entry stored in place
  /// saves the loop's call, frame and indirect call per key reached.
  void callPolicy(Location loc, uint32_t policy) {
    Value result = builder
                       .create<LLVM::CallOp>(loc, policyFunctions[policy],
                                             ValueRange{frame, regs})
                       .getResult();
    appendToState(loc, result, constI32(loc, int64_t(policy) << 2));
  }

  /// The entry of one policy evaluated outside `<name>_evaluate`, appended
  /// to the running state, and the policy counted as evaluated.
  void appendToState(Location loc, Value result, Value policyShifted) {
    Value countField = stateField(loc, 0);
    builder.create<LLVM::StoreOp>(
        loc,
        appendEntry(
            loc, result, policyShifted,
            builder.create<LLVM::LoadOp>(loc, ptrType, stateField(loc, 2)),
            builder.create<LLVM::LoadOp>(loc, i32Type, countField)),
        countField);
    addEvaluated(loc, constI32(loc, 1));
  }

  /// The key part a literal stands for; nullopt for a literal no request
  /// value can match (a float: request floats are matched as integers).
  std::optional<KeyPart> keyPartOf(uint32_t literal) const {
    const ipebc::LiteralInfo &lit = tables.literals[literal];
    switch (lit.kind) {
    case ipebc::LiteralKind::String:
      return KeyPart{kKindString, firstIndex.lookup(image.strings[lit.string])};
    case ipebc::LiteralKind::Int:
      return KeyPart{kKindInt, lit.intValue};
    case ipebc::LiteralKind::Bool:
      return KeyPart{kKindBool, lit.boolValue ? 1 : 0};
    case ipebc::LiteralKind::Float:
      return std::nullopt;
    }
    return std::nullopt;
  }

  /// What inlining group `group` into the decision costs LLVM, in keys of
  /// a switch tree: a tree costs its keys, a hash probe (whose code does
  /// not grow with its keys) as much as the largest tree.
  static size_t inlineCost(const ipebc::IndexGroup &group) {
    return std::min(group.keys.size(), kMaxSwitchTreeKeys);
  }

  /// `<name>_group<g>(frame, regs, state, slots)`: evaluates what group
  /// `g` selects for the request (whose slots are `slots`).
  LLVM::LLVMFuncOp emitGroupFunction(Location loc, StringRef name, size_t g,
                                     const ipebc::IndexGroup &group) {
    OpBuilder::InsertionGuard guard(builder);
    auto fnType = LLVM::LLVMFunctionType::get(
        LLVM::LLVMVoidType::get(context), {ptrType, ptrType, ptrType, ptrType});
    function = builder.create<LLVM::LLVMFuncOp>(
        loc, (name + "_group" + Twine(g)).str(), fnType,
        LLVM::Linkage::Internal);
    Block *entry = function.addEntryBlock(builder);
    frame = function.getArgument(0);
    regs = function.getArgument(1);
    stateVar = function.getArgument(2);
    slots = function.getArgument(3);
    builder.setInsertionPointToStart(entry);
    emitGroup(loc, g, group);
    builder.create<LLVM::ReturnOp>(loc, ValueRange());
    return function;
  }

  void emitGroup(Location loc, size_t g, const ipebc::IndexGroup &group) {
    Block *next = function.addBlock();
    Block *full = function.addBlock();
    Block *probe = function.addBlock();
    // A group is probed only when all its paths hold scalars (kinds 1..4),
    // that is when every kind - 1 is at most 3 (unsigned): then so is
    // their bitwise or, and otherwise the or is larger. One or per path
    // and one comparison, where a comparison per path and the or of the
    // results took twice the instructions.
    SmallVector<Value> kinds;
    Value kindsLessOne;
    for (uint32_t slot : group.slots) {
      Value kind = slotField(loc, i32Type, slot, 0);
      kinds.push_back(kind);
      Value lessOne = builder.create<LLVM::SubOp>(loc, kind, constI32(loc, 1));
      kindsLessOne =
          kindsLessOne ? builder.create<LLVM::OrOp>(loc, kindsLessOne, lessOne)
                       : lessOne;
    }
    Value anyNonScalar = builder.create<LLVM::ICmpOp>(
        loc, LLVM::ICmpPredicate::ugt, kindsLessOne, constI32(loc, 3));
    builder.create<LLVM::CondBrOp>(loc, anyNonScalar, full, probe);
    builder.setInsertionPointToStart(full);
    callPolicies(loc, group.policies);
    builder.create<LLVM::BrOp>(loc, ValueRange(), next);

    builder.setInsertionPointToStart(probe);
    if (group.keys.size() <= kMaxSwitchTreeKeys) {
      // The keys as tuples of parts; a key holding a part no request value
      // can take is left out.
      std::vector<std::pair<std::vector<KeyPart>, const ipebc::IndexKey *>>
          keys;
      for (const ipebc::IndexKey &key : group.keys) {
        std::vector<KeyPart> parts;
        for (uint32_t literal : key.literals) {
          std::optional<KeyPart> part = keyPartOf(literal);
          if (!part)
            break;
          parts.push_back(*part);
        }
        if (parts.size() == key.literals.size())
          keys.emplace_back(std::move(parts), &key);
      }
      std::vector<size_t> all(keys.size());
      for (size_t i = 0; i < keys.size(); ++i)
        all[i] = i;
      emitLevel(loc, group, kinds, keys, all, 0, next);
      builder.setInsertionPointToStart(next);
      return;
    }
    std::vector<SignatureTable> tables = keyTables(group);
    if (tables.empty()) {
      builder.create<LLVM::BrOp>(loc, ValueRange(), next);
      builder.setInsertionPointToStart(next);
      return;
    }
    // The request's tuple: per path, the kind and value a key would hold.
    // A path whose keys are all of one kind is read as that kind only (a
    // request value of another kind matches no key).
    SmallVector<Value> tupleKinds, tupleValues;
    SmallVector<bool> oneKind;
    for (auto [level, slot] : llvm::enumerate(group.slots)) {
      std::optional<int64_t> only = tables.front().kinds[level];
      for (const SignatureTable &table : tables)
        if (table.kinds[level] != *only)
          only.reset();
      oneKind.push_back(only.has_value());
      auto [kind, value] =
          only ? emitTuplePartOfKind(loc, kinds[level], slot, *only, next)
               : emitTuplePart(loc, kinds[level], slot, next);
      tupleKinds.push_back(kind);
      tupleValues.push_back(value);
    }
    // A request's tuple has one kind signature: the table of that
    // signature, if the group has one, is probed.
    for (auto [t, table] : llvm::enumerate(tables)) {
      Value matches;
      for (auto [level, kind] : llvm::enumerate(table.kinds)) {
        if (oneKind[level])
          continue;
        Value same = builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq,
                                                  tupleKinds[level],
                                                  constI32(loc, kind));
        matches =
            matches ? builder.create<LLVM::AndOp>(loc, matches, same) : same;
      }
      if (!matches) {
        // The only table: the paths were read as its kinds.
        emitProbe(loc, g, t, table, tupleValues, next);
        builder.setInsertionPointToStart(next);
        return;
      }
      Block *probeTable = function.addBlock();
      Block *otherwise = function.addBlock();
      builder.create<LLVM::CondBrOp>(loc, matches, probeTable, otherwise);
      builder.setInsertionPointToStart(probeTable);
      emitProbe(loc, g, t, table, tupleValues, next);
      builder.setInsertionPointToStart(otherwise);
    }
    builder.create<LLVM::BrOp>(loc, ValueRange(), next);
    builder.setInsertionPointToStart(next);
  }

  /// At the current insertion point, dispatches on the request's value at
  /// path `level` of the group among `subset` (keys agreeing on the
  /// earlier paths), down to the policies of the one key the request's
  /// tuple equals; every way out ends in a branch to `next`.
  void
  emitLevel(Location loc, const ipebc::IndexGroup &group, ArrayRef<Value> kinds,
            const std::vector<
                std::pair<std::vector<KeyPart>, const ipebc::IndexKey *>> &keys,
            ArrayRef<size_t> subset, size_t level, Block *next) {
    if (level == group.slots.size()) {
      // Keys of a group are distinct (the loader refuses duplicates), so
      // this is one key.
      for (size_t k : subset)
        callPolicies(loc, keys[k].second->policies);
      builder.create<LLVM::BrOp>(loc, ValueRange(), next);
      return;
    }
    std::map<KeyPart, std::vector<size_t>> byPart;
    for (size_t k : subset)
      byPart[keys[k].first[level]].push_back(k);
    uint32_t slot = group.slots[level];
    // One switch per kind of value among the keys.
    auto emitSwitch = [&](Value value, int64_t kind, Type type) {
      SmallVector<APInt> caseValues;
      SmallVector<Block *> caseBlocks;
      for (auto &[part, members] : byPart)
        if (part.kind == kind) {
          caseValues.push_back(APInt(type.getIntOrFloatBitWidth(),
                                     uint64_t(part.value),
                                     /*isSigned=*/true));
          caseBlocks.push_back(function.addBlock());
        }
      builder.create<LLVM::SwitchOp>(
          loc, value, next, ValueRange(), caseValues, BlockRange(caseBlocks),
          SmallVector<ValueRange>(caseBlocks.size(), ValueRange()));
      size_t i = 0;
      for (auto &[part, members] : byPart)
        if (part.kind == kind) {
          builder.setInsertionPointToStart(caseBlocks[i++]);
          emitLevel(loc, group, kinds, keys, members, level + 1, next);
        }
    };
    bool hasKind[5] = {};
    for (auto &[part, members] : byPart)
      hasKind[part.kind] = true;
    Block *stringBlock = hasKind[kKindString] ? function.addBlock() : next;
    Block *boolBlock = hasKind[kKindBool] ? function.addBlock() : next;
    Block *intBlock = hasKind[kKindInt] ? function.addBlock() : next;
    Block *floatBlock = hasKind[kKindInt] ? function.addBlock() : next;
    Block *intSwitch = nullptr;
    if (hasKind[kKindInt]) {
      intSwitch = function.addBlock();
      intSwitch->addArgument(i64Type, loc);
    }
    SmallVector<APInt> kindValues;
    SmallVector<Block *> kindBlocks;
    for (auto [kind, block] :
         {std::pair(kKindString, stringBlock), std::pair(kKindBool, boolBlock),
          std::pair(kKindInt, intBlock), std::pair(kKindFloat, floatBlock)})
      if (block != next) {
        kindValues.push_back(APInt(32, uint64_t(kind)));
        kindBlocks.push_back(block);
      }
    builder.create<LLVM::SwitchOp>(
        loc, kinds[level], next, ValueRange(), kindValues,
        BlockRange(kindBlocks),
        SmallVector<ValueRange>(kindBlocks.size(), ValueRange()));
    if (hasKind[kKindString]) {
      builder.setInsertionPointToStart(stringBlock);
      // A string that is no module string has symbol -1: no case.
      emitSwitch(slotField(loc, i32Type, slot, kSymbolOffset), kKindString,
                 i32Type);
    }
    if (hasKind[kKindBool]) {
      builder.setInsertionPointToStart(boolBlock);
      emitSwitch(slotField(loc, i64Type, slot, kPayloadOffset), kKindBool,
                 i64Type);
    }
    if (hasKind[kKindInt]) {
      builder.setInsertionPointToStart(intBlock);
      builder.create<LLVM::BrOp>(
          loc, ValueRange{slotField(loc, i64Type, slot, kPayloadOffset)},
          intSwitch);
      builder.setInsertionPointToStart(floatBlock);
      builder.create<LLVM::BrOp>(
          loc, ValueRange{emitFloatAsKey(loc, slot, next)}, intSwitch);
      builder.setInsertionPointToStart(intSwitch);
      emitSwitch(intSwitch->getArgument(0), kKindInt, i64Type);
    }
  }

  /// An index group's keys of one kind signature (the kind of each path's
  /// literal), with the offset and length of each row's policy list.
  struct SignatureTable {
    SmallVector<int64_t> kinds;
    ipe_keys::Table keys;
    std::vector<int32_t> lists;
  };

  /// The group's keys by kind signature, placed. A key holding a part no
  /// request value can take, or listing no policy, is left out.
  std::vector<SignatureTable> keyTables(const ipebc::IndexGroup &group) {
    std::vector<SignatureTable> tables;
    for (const ipebc::IndexKey &key : group.keys) {
      if (key.policies.empty())
        continue;
      SmallVector<int64_t> kinds, values;
      for (uint32_t literal : key.literals) {
        std::optional<KeyPart> part = keyPartOf(literal);
        if (!part)
          break;
        kinds.push_back(part->kind);
        values.push_back(part->value);
      }
      if (values.size() != key.literals.size())
        continue;
      auto table = llvm::find_if(
          tables, [&](const SignatureTable &t) { return t.kinds == kinds; });
      if (table == tables.end()) {
        tables.emplace_back();
        table = std::prev(tables.end());
        table->kinds = kinds;
        table->keys.width = kinds.size();
      }
      table->keys.rows.insert(table->keys.rows.end(), values.begin(),
                              values.end());
      table->lists.push_back(int32_t(listOffsets.lookup(&key.policies)));
      table->lists.push_back(int32_t(key.policies.size()));
    }
    for (SignatureTable &table : tables)
      table.keys.place();
    return tables;
  }

  /// Emits `table` as constant data (`<name>_keys<g>_<t>` the rows,
  /// `_buckets<g>_<t>` the hash table, `_keylists<g>_<t>` the policy list
  /// of each row) and, at the insertion point, its probe for `values`
  /// (ipe_keys::Table::find unrolled for the width): the key's policies
  /// are evaluated; every way out branches to `next`.
  void emitProbe(Location loc, size_t g, size_t t, const SignatureTable &table,
                 ArrayRef<Value> values, Block *next) {
    std::string suffix = (Twine(g) + "_" + Twine(t)).str();
    std::string rowsName = decideName + "_keys" + suffix;
    std::string bucketsName = decideName + "_buckets" + suffix;
    std::string listsOfRowsName = decideName + "_keylists" + suffix;
    {
      OpBuilder::InsertionGuard guard(builder);
      builder.setInsertionPoint(function);
      auto constantArray = [&](StringRef symbol, Type element, auto data,
                               unsigned alignment) {
        builder.create<LLVM::GlobalOp>(
            loc, LLVM::LLVMArrayType::get(element, data.size()),
            /*isConstant=*/true, LLVM::Linkage::Internal, symbol,
            DenseElementsAttr::get(
                RankedTensorType::get({int64_t(data.size())}, element), data),
            alignment);
      };
      constantArray(rowsName, i64Type, ArrayRef<int64_t>(table.keys.rows), 8);
      std::vector<int32_t> buckets(table.keys.buckets.begin(),
                                   table.keys.buckets.end());
      constantArray(bucketsName, i32Type, ArrayRef<int32_t>(buckets), 4);
      constantArray(listsOfRowsName, i32Type, ArrayRef<int32_t>(table.lists),
                    4);
    }
    // The home bucket: the top bits of the hash.
    Value hash = constI64(loc, 0);
    for (Value value : values)
      hash = builder.create<LLVM::MulOp>(
          loc, builder.create<LLVM::XOrOp>(loc, hash, value),
          constI64(loc, int64_t(ipe_keys::kHashMultiplier)));
    Value home = builder.create<LLVM::LShrOp>(
        loc, hash, constI64(loc, 64 - int64_t(table.keys.bits)));
    Block *loop = function.addBlock();
    loop->addArgument(i64Type, loc);
    Block *check = function.addBlock();
    Block *advance = function.addBlock();
    Block *found = function.addBlock();
    builder.create<LLVM::BrOp>(loc, ValueRange{home}, loop);

    builder.setInsertionPointToStart(loop);
    Value bucket = loop->getArgument(0);
    Value entry = builder.create<LLVM::LoadOp>(
        loc, i32Type,
        builder.create<LLVM::GEPOp>(
            loc, ptrType, i32Type,
            builder.create<LLVM::AddressOfOp>(loc, ptrType, bucketsName),
            ArrayRef<LLVM::GEPArg>{bucket}));
    builder.create<LLVM::CondBrOp>(
        loc,
        builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq, entry,
                                     constI32(loc, 0)),
        next, check);

    builder.setInsertionPointToStart(check);
    Value row = builder.create<LLVM::ZExtOp>(
        loc, i64Type,
        builder.create<LLVM::SubOp>(loc, entry, constI32(loc, 1)));
    Value rowStart = builder.create<LLVM::MulOp>(
        loc, row, constI64(loc, int64_t(values.size())));
    Value rows = builder.create<LLVM::AddressOfOp>(loc, ptrType, rowsName);
    Value equal;
    for (auto [i, value] : llvm::enumerate(values)) {
      Value at =
          builder.create<LLVM::AddOp>(loc, rowStart, constI64(loc, int64_t(i)));
      Value word = builder.create<LLVM::LoadOp>(
          loc, i64Type,
          builder.create<LLVM::GEPOp>(loc, ptrType, i64Type, rows,
                                      ArrayRef<LLVM::GEPArg>{at}));
      Value same = builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq,
                                                word, value);
      equal = equal ? builder.create<LLVM::AndOp>(loc, equal, same) : same;
    }
    builder.create<LLVM::CondBrOp>(loc, equal, found, advance);

    builder.setInsertionPointToStart(advance);
    builder.create<LLVM::BrOp>(
        loc,
        ValueRange{builder.create<LLVM::AndOp>(
            loc, builder.create<LLVM::AddOp>(loc, bucket, constI64(loc, 1)),
            constI64(loc, int64_t(table.keys.buckets.size() - 1)))},
        loop);

    // The row's policy list: (offset into the lists, length) at 2 * row.
    builder.setInsertionPointToStart(found);
    Value at = builder.create<LLVM::ShlOp>(loc, row, constI64(loc, 1));
    Value listsOfRows =
        builder.create<LLVM::AddressOfOp>(loc, ptrType, listsOfRowsName);
    auto listField = [&](Value index) -> Value {
      return builder.create<LLVM::LoadOp>(
          loc, i32Type,
          builder.create<LLVM::GEPOp>(loc, ptrType, i32Type, listsOfRows,
                                      ArrayRef<LLVM::GEPArg>{index}));
    };
    Value offset = listField(at);
    Value length =
        listField(builder.create<LLVM::AddOp>(loc, at, constI64(loc, 1)));
    Value list = builder.create<LLVM::GEPOp>(
        loc, ptrType, i32Type,
        builder.create<LLVM::AddressOfOp>(loc, ptrType, listsName),
        ArrayRef<LLVM::GEPArg>{
            Value(builder.create<LLVM::ZExtOp>(loc, i64Type, offset))});
    // Most rows list one policy: it is called here, through the table of
    // policy functions, which saves the evaluation loop's call and frame.
    Block *single = function.addBlock();
    Block *several = function.addBlock();
    builder.create<LLVM::CondBrOp>(
        loc,
        builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq, length,
                                     constI32(loc, 1)),
        single, several);

    builder.setInsertionPointToStart(single);
    Value policy = builder.create<LLVM::LoadOp>(loc, i32Type, list);
    Value result = callThroughTable(loc, policy, frame, regs);
    appendToState(loc, result,
                  builder.create<LLVM::ShlOp>(loc, policy, constI32(loc, 2)));
    builder.create<LLVM::BrOp>(loc, ValueRange(), next);

    builder.setInsertionPointToStart(several);
    evaluateList(loc, list, length);
    builder.create<LLVM::BrOp>(loc, ValueRange(), next);
  }

  /// At the insertion point, for a float at `slot`: the integer key it
  /// matches, when it is integral (and within the range the runtime
  /// converts: |d| < 9e18); any other float branches to `next`. Leaves the
  /// insertion point where the integer is known.
  Value emitFloatAsKey(Location loc, uint32_t slot, Block *next) {
    Value d = builder.create<LLVM::BitcastOp>(
        loc, f64Type, slotField(loc, i64Type, slot, kPayloadOffset));
    Value magnitude = builder.create<LLVM::FAbsOp>(loc, f64Type, d);
    Value inRange = builder.create<LLVM::FCmpOp>(
        loc, LLVM::FCmpPredicate::olt, magnitude,
        builder.create<LLVM::ConstantOp>(loc, f64Type,
                                         builder.getF64FloatAttr(9.0e18)));
    Block *convert = function.addBlock();
    Block *integralBlock = function.addBlock();
    builder.create<LLVM::CondBrOp>(loc, inRange, convert, next);
    builder.setInsertionPointToStart(convert);
    Value asInt = builder.create<LLVM::FPToSIOp>(loc, i64Type, d);
    Value integral = builder.create<LLVM::FCmpOp>(
        loc, LLVM::FCmpPredicate::oeq,
        builder.create<LLVM::SIToFPOp>(loc, f64Type, asInt), d);
    builder.create<LLVM::CondBrOp>(loc, integral, integralBlock, next);
    builder.setInsertionPointToStart(integralBlock);
    return asInt;
  }

  /// The (kind, value) path `slot` (holding a scalar of kind `kind`)
  /// contributes to the request's tuple when every key holds a value of
  /// kind `keyKind` there; any other value branches to `next`, as does a
  /// string that is no module string (symbol -1).
  std::pair<Value, Value> emitTuplePartOfKind(Location loc, Value kind,
                                              uint32_t slot, int64_t keyKind,
                                              Block *next) {
    if (keyKind == kKindInt)
      // Integral floats match integer keys.
      return emitTuplePart(loc, kind, slot, next);
    Block *read = function.addBlock();
    builder.create<LLVM::CondBrOp>(
        loc,
        builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq, kind,
                                     constI32(loc, keyKind)),
        read, next);
    builder.setInsertionPointToStart(read);
    Value value;
    if (keyKind == kKindString) {
      value = builder.create<LLVM::SExtOp>(
          loc, i64Type, slotField(loc, i32Type, slot, kSymbolOffset));
      Block *known = function.addBlock();
      builder.create<LLVM::CondBrOp>(
          loc,
          builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::slt, value,
                                       constI64(loc, 0)),
          next, known);
      builder.setInsertionPointToStart(known);
    } else {
      value = slotField(loc, i64Type, slot, kPayloadOffset);
    }
    return {constI32(loc, keyKind), value};
  }

  /// The (kind, value) path `slot` (holding a scalar of kind `kind`)
  /// contributes to the request's tuple, as the runtime matches keys: a
  /// string by its module symbol (-1, matching no key, when it is no
  /// module string), an integer or a boolean by its value, a float as the
  /// integer of its value when it is integral (and within the range the
  /// runtime converts: |d| < 9e18); any other float matches no key and
  /// branches to `next`. Leaves the insertion point where both are known.
  std::pair<Value, Value> emitTuplePart(Location loc, Value kind, uint32_t slot,
                                        Block *next) {
    Block *scalar = function.addBlock();
    Block *isFloat = function.addBlock();
    Block *join = function.addBlock();
    join->addArgument(i32Type, loc);
    join->addArgument(i64Type, loc);
    builder.create<LLVM::CondBrOp>(
        loc,
        builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq, kind,
                                     constI32(loc, kKindFloat)),
        isFloat, scalar);

    builder.setInsertionPointToStart(scalar);
    Value symbol = builder.create<LLVM::SExtOp>(
        loc, i64Type, slotField(loc, i32Type, slot, kSymbolOffset));
    Value payload = slotField(loc, i64Type, slot, kPayloadOffset);
    Value value = builder.create<LLVM::SelectOp>(
        loc,
        builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq, kind,
                                     constI32(loc, kKindString)),
        symbol, payload);
    builder.create<LLVM::BrOp>(loc, ValueRange{kind, value}, join);

    builder.setInsertionPointToStart(isFloat);
    builder.create<LLVM::BrOp>(
        loc,
        ValueRange{constI32(loc, kKindInt), emitFloatAsKey(loc, slot, next)},
        join);

    builder.setInsertionPointToStart(join);
    return {join->getArgument(0), join->getArgument(1)};
  }

  ModuleOp module;
  const bc::Module &image;
  const ipebc::Sections &tables;
  ArrayRef<LLVM::LLVMFuncOp> policyFunctions;
  llvm::StringMap<int32_t> firstIndex;
  MLIRContext *context;
  Type f64Type;
  /// { u32 count, u32 evaluated, ptr applicable }.
  Type stateType =
      LLVM::LLVMStructType::getLiteral(context, {i32Type, i32Type, ptrType});
  std::vector<uint32_t> listData;
  llvm::DenseMap<const std::vector<uint32_t> *, uint32_t> listOffsets;
  std::string decideName, listsName, functionsName;
  RuntimeDeclarations declarations{module};
  LLVM::LLVMFuncOp function, evaluateFunction;
  Value frame, regs, slots, stateVar;
};

} // namespace

bool rune::emitIpeDecideFunction(ModuleOp module, const bc::Module &image,
                                 ArrayRef<LLVM::LLVMFuncOp> policyFunctions,
                                 StringRef name) {
  DecideLowering lowering(module, image, policyFunctions);
  if (!lowering.indexListsPoliciesOnce())
    return false;
  lowering.emit(name);
  return true;
}
