//===- CedarToLLVM.cpp - Cedar rune.policy -> LLVM dialect functions ------===//
//
// Each policy becomes `i32 @rune_policy_N(ptr %state, ptr %regs)`. Every
// rune SSA value is a pointer to 16 bytes: its own stack slot, or, for
// request variables and non-scalar constants, the runtime's value itself
// (read through the rune_eval_frame the state starts with). Operations are
// calls to the runtime helper implementing the bytecode instruction of the
// same name, followed by a branch to the function's error exit when the
// helper reports an evaluation error. Short-circuit regions become basic
// blocks.
//
// Using the value layout contract of rune_native.h (kind byte at offset 0,
// payload word at offset 8), the common cases are done inline and the helper
// is called only for the rest, errors included (so messages are the
// helpers'): bool and long constants are stored as immediates; branching on
// a bool tests its payload; eq/ne on two bools, two longs, values of
// different kinds, the same entity pointer or entities with different uid
// hashes are decided inline; lt/le/gt/ge
// compare two longs; add/sub/mul use LLVM's overflow intrinsics on two longs;
// not negates a bool; two entities with equal hashes at different addresses
// are compared by rune_rt_same_entity, which cannot fail. A set literal that
// is only queried (`x in [A, B]` of entity constants, `[a, b].contains(x)`)
// is never built: its elements go straight to rune_rt_in_entities or
// rune_rt_equals_any (isQueriedLiteral).
//
// With the entity store layouts of native ABI 4 (the store's tables and the
// module's attribute symbols in the frame), the code also reads entities
// itself when a uid's cached store node is the current store's: attribute
// reads and `has` (a scan of the attribute record), `in` between two
// entities (a scan of the sorted ancestor indices), `x in [A, B]` for an x
// without ancestors, `==` against entity constants (nodes compared before
// rune_rt_same_entity) and short string constants, `[strings].contains(x)`
// and `set.contains(entity)`. Uids another store cached, long records,
// sets and ancestor lists, other kinds and every error go to the helper.
//
// Constant and string operands use the indices the bytecode emitter gave
// them, because the object file embeds that bytecode and the runtime builds
// the module's constants from it.
//

#include "CedarToLLVM.h"
#include "LLVMEmitter.h"
#include "RuntimeDeclarations.h"

#include "rune/Dialect/Rune/RuneOps.h"
#include "rune/Runtime/BytecodeFormat.h"
#include "rune/Target/Bytecode/BytecodeEmitter.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"

#include <array>

using namespace mlir;
using namespace rune;

namespace {

// The value layout contract of rune_native.h.
constexpr int32_t kPayloadOffset = 8; // RUNE_VALUE_PAYLOAD_OFFSET
constexpr int32_t kAuxOffset = 4;     // RUNE_VALUE_AUX_OFFSET
constexpr int64_t kKindBool = 1;      // RUNE_KIND_BOOL
constexpr int64_t kKindLong = 2;      // RUNE_KIND_LONG
constexpr int64_t kKindEntity = 4;    // RUNE_KIND_ENTITY
constexpr int64_t kKindString = 3;    // RUNE_KIND_STRING
constexpr int64_t kKindSet = 5;       // RUNE_KIND_SET
constexpr int64_t kKindRecord = 6;    // RUNE_KIND_RECORD

// The entity store layouts of rune_native.h (ABI 4), as byte offsets and
// sizes on x86-64 and AArch64 (LP64): rune_eval_frame's store fields,
// rune_uid_layout, rune_store_node, rune_store_entity, rune_record_field.
constexpr int32_t kFrameSymbols = 40;
constexpr int32_t kFrameStoreSerial = 48;
constexpr int32_t kFrameNodes = 56;
constexpr int32_t kFrameEntities = 64;
constexpr int32_t kFrameAncestors = 72;
constexpr int32_t kUidStoreNode = 24;
constexpr int64_t kNodeSize = 24;
constexpr int32_t kNodeEntity = 8;
constexpr int32_t kNodeAncestorsBegin = 12;
constexpr int32_t kNodeAncestorsCount = 16;
constexpr int64_t kEntitySize = 56;
constexpr int64_t kEntityAttributes = 8;
constexpr int64_t kFieldSize = 24;
constexpr int32_t kFieldValue = 8;
/// Records and ancestor lists up to this long are scanned inline; longer
/// ones go to the helper, which bisects them.
constexpr int64_t kMaxInlineScan = 16;
/// String constants up to this many bytes are compared inline.
constexpr int64_t kMaxInlineString = 32;

class PolicyLowering : LLVMEmitter {
public:
  PolicyLowering(ModuleOp module, const BytecodeLayout &layout)
      : LLVMEmitter(module.getContext()), module(module), layout(layout),
        context(module.getContext()),
        valueType(LLVM::LLVMArrayType::get(i64Type, 2)) {}

  /// Lowers `policy` into a new function named `name`.
  LogicalResult lower(PolicyOp policy, StringRef name) {
    Location loc = policy.getLoc();
    builder.setInsertionPoint(policy);
    auto fnType = LLVM::LLVMFunctionType::get(i32Type, {ptrType, ptrType});
    function = builder.create<LLVM::LLVMFuncOp>(loc, name, fnType,
                                                LLVM::Linkage::Internal);
    entry = function.addEntryBlock(builder);
    state = function.getArgument(0);
    slots.clear();
    literalSets.clear();

    // Allocas go to the entry block; the code starts in its own block.
    builder.setInsertionPointToEnd(entry);
    one = constI64(loc, 1);
    boolSlot = builder.create<LLVM::AllocaOp>(loc, ptrType, i32Type, one, 4);
    // The state starts with its rune_eval_frame, read through frameField.
    errorBlock = function.addBlock();
    builder.setInsertionPointToStart(errorBlock);
    builder.create<LLVM::ReturnOp>(loc, constI32(loc, -1));

    Block *body = function.addBlock();
    builder.setInsertionPointToStart(body);
    FailureOr<Value> result = lowerRegion(policy.getBody());
    if (failed(result))
      return failure();
    Value holds = toBool(loc, *result);
    builder.create<LLVM::ReturnOp>(loc, holds);

    builder.setInsertionPointToEnd(entry);
    builder.create<LLVM::BrOp>(loc, ValueRange(), body);
    return success();
  }

private:
  /// A stack slot for `count` values, allocated in the entry block.
  Value allocateSlots(Location loc, unsigned count) {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToEnd(entry);
    Type type = count == 1 ? Type(valueType)
                           : Type(LLVM::LLVMArrayType::get(valueType, count));
    return builder.create<LLVM::AllocaOp>(loc, ptrType, type, one, 8);
  }

  Value define(Value value) {
    Value slot = allocateSlots(value.getLoc(), 1);
    slots[value] = slot;
    return slot;
  }

  Value slot(Value value) { return slots.lookup(value); }

  /// A field of the state's rune_eval_frame, loaded where it is used: most
  /// paths need few of them, and loads in the entry block would be paid
  /// (and kept in registers or spilled) by every path.
  Value frameField(Location loc, int32_t offset, Type type) {
    return loadAt(loc, state, offset, type);
  }

  /// Loads a `type` at `offset` bytes from `base`.
  Value loadAt(Location loc, Value base, int64_t offset, Type type) {
    // Every field read this way is naturally aligned (rune_native.h).
    unsigned alignment =
        isa<IntegerType>(type) ? type.getIntOrFloatBitWidth() / 8 : 8;
    return builder.create<LLVM::LoadOp>(
        loc, type, byteAddress(loc, base, offset), alignment);
  }
  Value byteAddress(Location loc, Value base, int64_t offset) {
    if (offset == 0)
      return base;
    return builder.create<LLVM::GEPOp>(
        loc, ptrType, i8Type, base,
        ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(offset)});
  }
  /// `base` + `index` * `stride` + `offset` bytes; `index` is an i32,
  /// zero-extended.
  Value elementAddress(Location loc, Value base, Value index, int64_t stride,
                       int64_t offset = 0) {
    Value scaled = builder.create<LLVM::MulOp>(
        loc, builder.create<LLVM::ZExtOp>(loc, i64Type, index),
        constI64(loc, stride));
    Value at = builder.create<LLVM::GEPOp>(loc, ptrType, i8Type, base,
                                           ArrayRef<LLVM::GEPArg>{scaled});
    return byteAddress(loc, at, offset);
  }

  /// Continues in a new block when `condition` holds, else goes to `slow`.
  void branchUnless(Location loc, Value condition, Block *slow) {
    Block *next = function.addBlock();
    builder.create<LLVM::CondBrOp>(loc, condition, next, slow);
    builder.setInsertionPointToStart(next);
  }

  /// A uid's cached store node (rune_uid_layout::store_node). The runtime
  /// writes it with relaxed atomic stores while other threads' policies
  /// run, so it is read as one monotonic (relaxed) atomic load: a plain
  /// 8-byte load on x86-64 and AArch64.
  Value loadStoreNode(Location loc, Value uid) {
    return builder.create<LLVM::LoadOp>(
        loc, i64Type, byteAddress(loc, uid, kUidStoreNode), /*alignment=*/8,
        /*isVolatile=*/false, /*isNonTemporal=*/false, /*isInvariant=*/false,
        LLVM::AtomicOrdering::monotonic);
  }

  /// The uid the entity value at `valuePtr` points to.
  Value uidOf(Location loc, Value valuePtr) {
    return builder.create<LLVM::IntToPtrOp>(loc, ptrType,
                                            loadPayload(loc, valuePtr));
  }

  /// The store node (index + 1, 0 when the store has none) of the entity
  /// value at `valuePtr`, read from its uid's cache; goes to `slow` when the
  /// value is not an entity (checked when `checkKind`) or the cache is not
  /// the current store's, so that only the helper looks uids up.
  Value cachedNode(Location loc, Value valuePtr, Block *slow, bool checkKind) {
    if (checkKind)
      branchUnless(loc, isKind(loc, loadKind(loc, valuePtr), kKindEntity),
                   slow);
    Value cached = loadStoreNode(loc, uidOf(loc, valuePtr));
    Value serial = builder.create<LLVM::LShrOp>(loc, cached, constI64(loc, 32));
    branchUnless(loc,
                 builder.create<LLVM::ICmpOp>(
                     loc, LLVM::ICmpPredicate::eq, serial,
                     frameField(loc, kFrameStoreSerial, i64Type)),
                 slow);
    return builder.create<LLVM::TruncOp>(loc, i32Type, cached);
  }

  /// The rune_store_node of a node index + 1 (not 0).
  Value nodeAddress(Location loc, Value nodePlusOne, int32_t offset) {
    Value index =
        builder.create<LLVM::SubOp>(loc, nodePlusOne, constI32(loc, 1));
    return elementAddress(loc, frameField(loc, kFrameNodes, ptrType), index,
                          kNodeSize, offset);
  }

  Value icmp(Location loc, LLVM::ICmpPredicate predicate, Value a, Value b) {
    return builder.create<LLVM::ICmpOp>(loc, predicate, a, b);
  }

  /// The field `name` (a string index) of the record value at `record`:
  /// continues with a pointer to the field's value, or goes to `missing`
  /// when the record has no such field (`slow` when null) and to `slow`
  /// when it is too long to scan here.
  Value scanRecord(Location loc, Value record, uint32_t name, Block *slow,
                   Block *missing = nullptr) {
    if (!missing)
      missing = slow;
    Value count = loadAt(loc, record, kAuxOffset, i32Type);
    branchUnless(loc,
                 icmp(loc, LLVM::ICmpPredicate::ule, count,
                      constI32(loc, kMaxInlineScan)),
                 slow);
    Value fields = builder.create<LLVM::IntToPtrOp>(loc, ptrType,
                                                    loadPayload(loc, record));
    // Keys are the engine's symbols, which the runtime gives each string
    // of the module when it loads it (rune_native.h: not known here).
    Value key = loadAt(loc, frameField(loc, kFrameSymbols, ptrType),
                       int64_t(name) * 4, i32Type);
    Block *head = function.addBlock();
    Value i = head->addArgument(i32Type, loc);
    builder.create<LLVM::BrOp>(loc, ValueRange{constI32(loc, 0)}, head);
    builder.setInsertionPointToStart(head);
    branchUnless(loc, icmp(loc, LLVM::ICmpPredicate::ult, i, count), missing);
    Value field = elementAddress(loc, fields, i, kFieldSize);
    Value fieldKey = builder.create<LLVM::LoadOp>(loc, i32Type, field);
    // Keys are sorted: the first key not below `key` decides.
    Block *decide = function.addBlock();
    Block *next = function.addBlock();
    builder.create<LLVM::CondBrOp>(
        loc, icmp(loc, LLVM::ICmpPredicate::uge, fieldKey, key), decide, next);
    builder.setInsertionPointToStart(next);
    builder.create<LLVM::BrOp>(
        loc, ValueRange{builder.create<LLVM::AddOp>(loc, i, constI32(loc, 1))},
        head);
    builder.setInsertionPointToStart(decide);
    branchUnless(loc, icmp(loc, LLVM::ICmpPredicate::eq, fieldKey, key),
                 missing);
    return byteAddress(loc, field, kFieldValue);
  }

  /// Continues in a new block with the attribute record of the value at
  /// `object` when it is a record, or an entity the current store has
  /// (through its uid's cached node); goes to `noEntity` for an entity
  /// whose uid the store knows has no entity (`slow` when null) and to
  /// `slow` for every other case (other kinds, uids not looked up here).
  Value attributeRecord(Location loc, Value object, Block *slow,
                        Block *noEntity = nullptr) {
    if (!noEntity)
      noEntity = slow;
    Block *scan = function.addBlock();
    Value record = scan->addArgument(ptrType, loc);
    Block *entityBlock = function.addBlock();
    Block *other = function.addBlock();
    Value kind = loadKind(loc, object);
    builder.create<LLVM::CondBrOp>(loc, isKind(loc, kind, kKindEntity),
                                   entityBlock, other);
    builder.setInsertionPointToStart(other);
    builder.create<LLVM::CondBrOp>(loc, isKind(loc, kind, kKindRecord), scan,
                                   ValueRange{object}, slow, ValueRange());

    builder.setInsertionPointToStart(entityBlock);
    Value node = cachedNode(loc, object, slow, /*checkKind=*/false);
    branchUnless(loc,
                 icmp(loc, LLVM::ICmpPredicate::ne, node, constI32(loc, 0)),
                 noEntity);
    Value entity = loadAt(loc, nodeAddress(loc, node, kNodeEntity), 0, i32Type);
    branchUnless(loc,
                 icmp(loc, LLVM::ICmpPredicate::ne, entity, constI32(loc, -1)),
                 noEntity);
    Value attributes =
        elementAddress(loc, frameField(loc, kFrameEntities, ptrType), entity,
                       kEntitySize, kEntityAttributes);
    builder.create<LLVM::BrOp>(loc, ValueRange{attributes}, scan);
    builder.setInsertionPointToStart(scan);
    return record;
  }

  /// has_attr on a record or an entity the current store has looked up:
  /// never an error, so no helper (an entity the store does not have has
  /// no attributes). Other kinds (an error), long records and uids not
  /// looked up here are the helper's.
  void lowerHasAttr(Operation &op, uint32_t name) {
    Location loc = op.getLoc();
    Value object = slot(op.getOperand(0));
    Value dst = define(op.getResult(0));
    InlineBool blocks = beginInlineBool(loc);
    Block *no = function.addBlock();
    Value record = attributeRecord(loc, object, blocks.slow, no);
    scanRecord(loc, record, name, blocks.slow, no);
    builder.create<LLVM::BrOp>(loc, ValueRange{constI1(loc, true)},
                               blocks.done);
    builder.setInsertionPointToStart(no);
    builder.create<LLVM::BrOp>(loc, ValueRange{constI1(loc, false)},
                               blocks.done);
    finishInlineBool(loc, blocks, dst, [&] {
      callRuntime(loc, "has_attr", {dst, object, constI32(loc, name)});
    });
  }

  /// get_attr: an attribute that exists, of a record value or of an entity
  /// the current store has (found through its uid's cached node), is read
  /// in place: the result is a pointer to the field's value, which nothing
  /// writes while the policy runs. Every other case, errors included, is
  /// the helper's, into a slot of its own.
  void lowerGetAttr(Operation &op, uint32_t name) {
    Location loc = op.getLoc();
    Value object = slot(op.getOperand(0));
    Block *slow = function.addBlock();
    Block *join = function.addBlock();
    Value result = join->addArgument(ptrType, loc);
    Value record = attributeRecord(loc, object, slow);
    Value field = scanRecord(loc, record, name, slow);
    builder.create<LLVM::BrOp>(loc, ValueRange{field}, join);

    builder.setInsertionPointToStart(slow);
    Value dst = allocateSlots(loc, 1);
    callRuntime(loc, "get_attr", {dst, object, constI32(loc, name)});
    builder.create<LLVM::BrOp>(loc, ValueRange{dst}, join);
    builder.setInsertionPointToStart(join);
    slots[op.getResult(0)] = result;
  }

  /// `a in b` on two entities whose uids' cached nodes are the current
  /// store's: equal nodes, or b's node among a's ancestors (a sorted list
  /// scanned up to the first index not below it). A uid the store has no
  /// node for has no ancestors and is no one's; two of them need their
  /// strings compared, as do sets and uncached uids: the helper's.
  void lowerIn(Operation &op) {
    Location loc = op.getLoc();
    Value a = slot(op.getOperand(0)), b = slot(op.getOperand(1));
    Value dst = define(op.getResult(0));
    InlineBool blocks = beginInlineBool(loc);
    Value falseBit = constI1(loc, false);
    Value trueBit = constI1(loc, true);

    Value from = cachedNode(loc, a, blocks.slow, /*checkKind=*/true);
    Value to = cachedNode(loc, b, blocks.slow, /*checkKind=*/true);
    Value zero = constI32(loc, 0);
    Value missing = builder.create<LLVM::OrOp>(
        loc, icmp(loc, LLVM::ICmpPredicate::eq, from, zero),
        icmp(loc, LLVM::ICmpPredicate::eq, to, zero));
    Value sameNode = icmp(loc, LLVM::ICmpPredicate::eq, from, to);
    Block *someMissing = function.addBlock();
    Block *bothNodes = function.addBlock();
    builder.create<LLVM::CondBrOp>(loc, missing, someMissing, bothNodes);
    builder.setInsertionPointToStart(someMissing);
    builder.create<LLVM::CondBrOp>(loc, sameNode, blocks.slow, ValueRange(),
                                   blocks.done, ValueRange{falseBit});

    builder.setInsertionPointToStart(bothNodes);
    Block *scan = function.addBlock();
    builder.create<LLVM::CondBrOp>(loc, sameNode, blocks.done,
                                   ValueRange{trueBit}, scan, ValueRange());
    builder.setInsertionPointToStart(scan);
    Value begin =
        loadAt(loc, nodeAddress(loc, from, kNodeAncestorsBegin), 0, i32Type);
    Value count =
        loadAt(loc, nodeAddress(loc, from, kNodeAncestorsCount), 0, i32Type);
    branchUnless(loc,
                 icmp(loc, LLVM::ICmpPredicate::ule, count,
                      constI32(loc, kMaxInlineScan)),
                 blocks.slow);
    Value target = builder.create<LLVM::SubOp>(loc, to, constI32(loc, 1));
    Value first = elementAddress(loc, frameField(loc, kFrameAncestors, ptrType),
                                 begin, 4);
    Block *head = function.addBlock();
    Value i = head->addArgument(i32Type, loc);
    builder.create<LLVM::BrOp>(loc, ValueRange{zero}, head);
    builder.setInsertionPointToStart(head);
    Block *body = function.addBlock();
    builder.create<LLVM::CondBrOp>(
        loc, icmp(loc, LLVM::ICmpPredicate::ult, i, count), body, ValueRange(),
        blocks.done, ValueRange{falseBit});
    builder.setInsertionPointToStart(body);
    Value ancestor = builder.create<LLVM::LoadOp>(
        loc, i32Type, elementAddress(loc, first, i, 4));
    Block *decide = function.addBlock();
    Block *next = function.addBlock();
    builder.create<LLVM::CondBrOp>(
        loc, icmp(loc, LLVM::ICmpPredicate::uge, ancestor, target), decide,
        next);
    builder.setInsertionPointToStart(next);
    builder.create<LLVM::BrOp>(
        loc, ValueRange{builder.create<LLVM::AddOp>(loc, i, constI32(loc, 1))},
        head);
    builder.setInsertionPointToStart(decide);
    builder.create<LLVM::BrOp>(
        loc, ValueRange{icmp(loc, LLVM::ICmpPredicate::eq, ancestor, target)},
        blocks.done);

    finishInlineBool(loc, blocks, dst, [&] {
      callRuntime(loc, "in", {dst, a, b});
    });
  }

  /// Whether two entity uids (pointers) with equal hashes name the same
  /// uid: by their cached nodes when both were found in one store (equal
  /// nodes, the same uid; different nodes, different uids), else by
  /// rune_rt_same_entity (the strings), which cannot fail.
  Value sameUid(Location loc, Value aPtr, Value bPtr, Value uidA, Value uidB) {
    Value x = loadStoreNode(loc, uidA);
    Value y = loadStoreNode(loc, uidB);
    Value thirtyTwo = constI64(loc, 32);
    Value serialX = builder.create<LLVM::LShrOp>(loc, x, thirtyTwo);
    Value serialY = builder.create<LLVM::LShrOp>(loc, y, thirtyTwo);
    Value zero32 = constI32(loc, 0);
    Value known = builder.create<LLVM::AndOp>(
        loc,
        builder.create<LLVM::AndOp>(
            loc, icmp(loc, LLVM::ICmpPredicate::eq, serialX, serialY),
            icmp(loc, LLVM::ICmpPredicate::ne, serialX, constI64(loc, 0))),
        builder.create<LLVM::AndOp>(
            loc,
            icmp(loc, LLVM::ICmpPredicate::ne,
                 builder.create<LLVM::TruncOp>(loc, i32Type, x), zero32),
            icmp(loc, LLVM::ICmpPredicate::ne,
                 builder.create<LLVM::TruncOp>(loc, i32Type, y), zero32)));
    Block *byStrings = function.addBlock();
    Block *join = function.addBlock();
    Value same = join->addArgument(i1Type, loc);
    builder.create<LLVM::CondBrOp>(
        loc, known, join, ValueRange{icmp(loc, LLVM::ICmpPredicate::eq, x, y)},
        byStrings, ValueRange());
    builder.setInsertionPointToStart(byStrings);
    Value called = declarations.call(builder, loc, "rune_rt_same_entity",
                                     i32Type, ValueRange{aPtr, bPtr});
    builder.create<LLVM::BrOp>(
        loc, ValueRange{icmp(loc, LLVM::ICmpPredicate::ne, called, zero32)},
        join);
    builder.setInsertionPointToStart(join);
    return same;
  }

  /// `a in [C1, ..., Cn]` of entity constants (a queried literal) when a's
  /// cached node says it has no ancestors (the store has no node for it, or
  /// a node without ancestors: an action, a leaf): then it is in the set
  /// exactly when it equals an element, compared like `==`. Otherwise, and
  /// when a is not an entity (an error), rune_rt_in_entities.
  void lowerInEntities(Operation &op, SetOp set) {
    Location loc = op.getLoc();
    Value a = slot(op.getOperand(0));
    Value dst = define(op.getResult(0));
    InlineBool blocks = beginInlineBool(loc);
    Value falseBit = constI1(loc, false);
    Value trueBit = constI1(loc, true);

    Value node = cachedNode(loc, a, blocks.slow, /*checkKind=*/true);
    Block *withNode = function.addBlock();
    Block *leaf = function.addBlock();
    builder.create<LLVM::CondBrOp>(
        loc, icmp(loc, LLVM::ICmpPredicate::eq, node, constI32(loc, 0)), leaf,
        withNode);
    builder.setInsertionPointToStart(withNode);
    Value count =
        loadAt(loc, nodeAddress(loc, node, kNodeAncestorsCount), 0, i32Type);
    builder.create<LLVM::CondBrOp>(
        loc, icmp(loc, LLVM::ICmpPredicate::eq, count, constI32(loc, 0)), leaf,
        blocks.slow);

    builder.setInsertionPointToStart(leaf);
    Value payload = loadPayload(loc, a);
    Value uidA = builder.create<LLVM::IntToPtrOp>(loc, ptrType, payload);
    Value hash = builder.create<LLVM::LoadOp>(loc, i64Type, uidA, 8);
    for (Value element : set.getElements()) {
      Value candidate = slot(element);
      Value candidatePayload = loadPayload(loc, candidate);
      Block *notSame = function.addBlock();
      builder.create<LLVM::CondBrOp>(
          loc, icmp(loc, LLVM::ICmpPredicate::eq, payload, candidatePayload),
          blocks.done, ValueRange{trueBit}, notSame, ValueRange());
      builder.setInsertionPointToStart(notSame);
      Value uidC =
          builder.create<LLVM::IntToPtrOp>(loc, ptrType, candidatePayload);
      Value candidateHash = builder.create<LLVM::LoadOp>(loc, i64Type, uidC, 8);
      Block *equalHash = function.addBlock();
      Block *next = function.addBlock();
      builder.create<LLVM::CondBrOp>(
          loc, icmp(loc, LLVM::ICmpPredicate::eq, hash, candidateHash),
          equalHash, next);
      builder.setInsertionPointToStart(equalHash);
      Value same = sameUid(loc, a, candidate, uidA, uidC);
      builder.create<LLVM::CondBrOp>(loc, same, blocks.done,
                                     ValueRange{trueBit}, next, ValueRange());
      builder.setInsertionPointToStart(next);
    }
    builder.create<LLVM::BrOp>(loc, ValueRange{falseBit}, blocks.done);

    finishInlineBool(loc, blocks, dst, [&] {
      Value first = gather(loc, set.getElements());
      callRuntime(loc, "in_entities",
                  {dst, a, first, constI32(loc, set.getElements().size())});
    });
  }

  /// Calls `rune_rt_<name>(state, args...)`; continues in a new block when
  /// it succeeds and leaves through the error exit when it fails.
  void callRuntime(Location loc, StringRef name, ArrayRef<Value> args) {
    SmallVector<Value> operands{state};
    operands.append(args.begin(), args.end());
    Value status = declarations.call(
        builder, loc, (Twine("rune_rt_") + name).str(), i32Type, operands);
    Value ok = builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq,
                                            status, constI32(loc, 0));
    Block *next = function.addBlock();
    builder.create<LLVM::CondBrOp>(loc, ok, next, errorBlock);
    builder.setInsertionPointToStart(next);
  }

  /// The kind byte of the value at `ptr`.
  Value loadKind(Location loc, Value ptr) {
    return builder.create<LLVM::LoadOp>(loc, i8Type, ptr);
  }
  /// The payload word of the value at `ptr`.
  Value loadPayload(Location loc, Value ptr) {
    Value at = builder.create<LLVM::GEPOp>(
        loc, ptrType, i8Type, ptr, ArrayRef<LLVM::GEPArg>{kPayloadOffset});
    return builder.create<LLVM::LoadOp>(loc, i64Type, at, /*alignment=*/8);
  }
  Value isKind(Location loc, Value kind, int64_t expected) {
    return builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq, kind,
                                        constI8(loc, expected));
  }
  /// Writes a Bool or Long value: word 0 is zero but for the kind byte.
  void storeScalar(Location loc, Value ptr, int64_t kind, Value payload) {
    builder.create<LLVM::StoreOp>(loc, constI64(loc, 0), ptr, 8);
    builder.create<LLVM::StoreOp>(loc, constI8(loc, kind), ptr);
    Value at = builder.create<LLVM::GEPOp>(
        loc, ptrType, i8Type, ptr, ArrayRef<LLVM::GEPArg>{kPayloadOffset});
    builder.create<LLVM::StoreOp>(loc, payload, at, 8);
  }
  void storeBool(Location loc, Value ptr, Value bit) {
    storeScalar(loc, ptr, kKindBool,
                builder.create<LLVM::ZExtOp>(loc, i64Type, bit));
  }

  /// The i32 0/1 of a boolean value; a non-boolean is an evaluation error
  /// (recorded by rune_rt_to_bool, called only then).
  Value toBool(Location loc, Value valueSlot) {
    Block *fast = function.addBlock();
    Block *slow = function.addBlock();
    Block *join = function.addBlock();
    Value result = join->addArgument(i32Type, loc);
    builder.create<LLVM::CondBrOp>(
        loc, isKind(loc, loadKind(loc, valueSlot), kKindBool), fast, slow);

    builder.setInsertionPointToStart(fast);
    Value bit = builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::ne,
                                             loadPayload(loc, valueSlot),
                                             constI64(loc, 0));
    builder.create<LLVM::BrOp>(
        loc, ValueRange{builder.create<LLVM::ZExtOp>(loc, i32Type, bit)}, join);

    builder.setInsertionPointToStart(slow);
    callRuntime(loc, "to_bool", {valueSlot, boolSlot});
    builder.create<LLVM::BrOp>(
        loc, ValueRange{builder.create<LLVM::LoadOp>(loc, i32Type, boolSlot)},
        join);
    builder.setInsertionPointToStart(join);
    return result;
  }

  /// Emits `if (fastCondition) fast(); else rune_rt_<helper>(args...)` and
  /// continues after both. `fast` may branch to the slow block it is given
  /// (e.g. on overflow); it must end where control joins again, unterminated.
  void fastOrHelper(Location loc, Value fastCondition,
                    llvm::function_ref<void(Block *slow)> fast,
                    StringRef helper, ArrayRef<Value> args) {
    Block *fastBlock = function.addBlock();
    Block *slow = function.addBlock();
    Block *join = function.addBlock();
    builder.create<LLVM::CondBrOp>(loc, fastCondition, fastBlock, slow);
    builder.setInsertionPointToStart(fastBlock);
    fast(slow);
    builder.create<LLVM::BrOp>(loc, ValueRange(), join);
    builder.setInsertionPointToStart(slow);
    callRuntime(loc, helper, args);
    builder.create<LLVM::BrOp>(loc, ValueRange(), join);
    builder.setInsertionPointToStart(join);
  }

  /// A string constant short enough to compare inline.
  static bool inlineStringConstant(Value value) {
    auto constant = value.getDefiningOp<ConstantOp>();
    if (!constant)
      return false;
    auto text = dyn_cast<StringAttr>(constant.getValue());
    return text && int64_t(text.getValue().size()) <= kMaxInlineString;
  }
  static int64_t stringLength(Value constant) {
    return cast<StringAttr>(constant.getDefiningOp<ConstantOp>().getValue())
        .getValue()
        .size();
  }

  /// Branches to `equal` when the value at `x`, known to be a string, has
  /// the bytes of the string constant at `c` (`length` bytes, known here),
  /// else to `unequal`. Both strings are read in place, in chunks of 8, 4,
  /// 2 and 1 bytes that never pass their ends (so byte order does not
  /// matter).
  void branchOnStringBytes(Location loc, Value x, Value c, int64_t length,
                           Block *equal, Block *unequal) {
    Block *bytes = function.addBlock();
    builder.create<LLVM::CondBrOp>(loc,
                                   icmp(loc, LLVM::ICmpPredicate::eq,
                                        loadAt(loc, x, kAuxOffset, i32Type),
                                        constI32(loc, length)),
                                   bytes, unequal);
    builder.setInsertionPointToStart(bytes);
    if (length == 0) {
      builder.create<LLVM::BrOp>(loc, ValueRange(), equal);
      return;
    }
    Value px =
        builder.create<LLVM::IntToPtrOp>(loc, ptrType, loadPayload(loc, x));
    Value pc =
        builder.create<LLVM::IntToPtrOp>(loc, ptrType, loadPayload(loc, c));
    int64_t offset = 0;
    while (offset < length) {
      int64_t size = 8;
      while (size > length - offset)
        size /= 2;
      Type chunk = IntegerType::get(context, size * 8);
      Value same = icmp(loc, LLVM::ICmpPredicate::eq,
                        builder.create<LLVM::LoadOp>(
                            loc, chunk, byteAddress(loc, px, offset), 1),
                        builder.create<LLVM::LoadOp>(
                            loc, chunk, byteAddress(loc, pc, offset), 1));
      offset += size;
      if (offset == length)
        builder.create<LLVM::CondBrOp>(loc, same, equal, unequal);
      else
        branchUnless(loc, same, unequal);
    }
  }

  /// The blocks of a boolean operation whose common case is inline: the
  /// inline code branches to `done` with its answer (an i1) or to `slow`,
  /// where the runtime helper answers instead (errors included); both go on
  /// at `join` (finishInlineBool).
  struct InlineBool {
    Block *slow, *join, *done;
    Value answer;
  };

  InlineBool beginInlineBool(Location loc) {
    InlineBool blocks{function.addBlock(), function.addBlock(),
                      function.addBlock(), Value()};
    blocks.answer = blocks.done->addArgument(i1Type, loc);
    return blocks;
  }

  /// Stores the inline answer into `dst`, emits the helper call into the
  /// slow block and continues at the join.
  void finishInlineBool(Location loc, const InlineBool &blocks, Value dst,
                        llvm::function_ref<void()> emitHelperCall) {
    builder.setInsertionPointToStart(blocks.done);
    storeBool(loc, dst, blocks.answer);
    builder.create<LLVM::BrOp>(loc, ValueRange(), blocks.join);
    builder.setInsertionPointToStart(blocks.slow);
    emitHelperCall();
    builder.create<LLVM::BrOp>(loc, ValueRange(), blocks.join);
    builder.setInsertionPointToStart(blocks.join);
  }

  /// `x == "text"` (or !=) with a short string constant: no helper, as
  /// equality never fails. Another kind is unequal; a string is compared by
  /// length, then bytes.
  void lowerStringConstantEquality(Operation &op, Value other, Value constant,
                                   bool negate) {
    Location loc = op.getLoc();
    Value x = slot(other), c = slot(constant);
    Value dst = define(op.getResult(0));
    Block *yes = function.addBlock();
    Block *no = function.addBlock();
    Block *done = function.addBlock();
    Value equal = done->addArgument(i1Type, loc);
    Block *string = function.addBlock();
    builder.create<LLVM::CondBrOp>(
        loc, isKind(loc, loadKind(loc, x), kKindString), string, no);
    builder.setInsertionPointToStart(string);
    branchOnStringBytes(loc, x, c, stringLength(constant), yes, no);
    builder.setInsertionPointToStart(yes);
    builder.create<LLVM::BrOp>(loc, ValueRange{constI1(loc, !negate)}, done);
    builder.setInsertionPointToStart(no);
    builder.create<LLVM::BrOp>(loc, ValueRange{constI1(loc, negate)}, done);
    builder.setInsertionPointToStart(done);
    storeBool(loc, dst, equal);
  }

  /// `[s1, ..., sn].contains(x)` of short string constants: whether x
  /// equals one of them, compared like `==` (contains on a set literal
  /// never fails).
  void lowerStringsContain(Operation &op, SetOp set, Value element) {
    Location loc = op.getLoc();
    Value x = slot(element);
    Value dst = define(op.getResult(0));
    Block *yes = function.addBlock();
    Block *no = function.addBlock();
    Block *done = function.addBlock();
    Value found = done->addArgument(i1Type, loc);
    Block *string = function.addBlock();
    builder.create<LLVM::CondBrOp>(
        loc, isKind(loc, loadKind(loc, x), kKindString), string, no);
    builder.setInsertionPointToStart(string);
    for (Value candidate : set.getElements()) {
      Block *next = function.addBlock();
      branchOnStringBytes(loc, x, slot(candidate), stringLength(candidate), yes,
                          next);
      builder.setInsertionPointToStart(next);
    }
    builder.create<LLVM::BrOp>(loc, ValueRange(), no);
    builder.setInsertionPointToStart(yes);
    builder.create<LLVM::BrOp>(loc, ValueRange{constI1(loc, true)}, done);
    builder.setInsertionPointToStart(no);
    builder.create<LLVM::BrOp>(loc, ValueRange{constI1(loc, false)}, done);
    builder.setInsertionPointToStart(done);
    storeBool(loc, dst, found);
  }

  /// `s.contains(x)` with x an entity and s a set of at most
  /// kMaxInlineScan elements: whether an element is an entity equal to x
  /// (the same pointer, or an equal hash and sameUid). Other kinds (a type
  /// error when s is not a set) and larger sets are the helper's.
  void lowerContains(Operation &op) {
    Location loc = op.getLoc();
    Value set = slot(op.getOperand(0)), x = slot(op.getOperand(1));
    Value dst = define(op.getResult(0));
    InlineBool blocks = beginInlineBool(loc);
    branchUnless(loc, isKind(loc, loadKind(loc, set), kKindSet), blocks.slow);
    branchUnless(loc, isKind(loc, loadKind(loc, x), kKindEntity), blocks.slow);
    Value count = loadAt(loc, set, kAuxOffset, i32Type);
    branchUnless(loc,
                 icmp(loc, LLVM::ICmpPredicate::ule, count,
                      constI32(loc, kMaxInlineScan)),
                 blocks.slow);
    Value elements =
        builder.create<LLVM::IntToPtrOp>(loc, ptrType, loadPayload(loc, set));
    Value px = loadPayload(loc, x);
    Value uidX = builder.create<LLVM::IntToPtrOp>(loc, ptrType, px);
    Block *head = function.addBlock();
    Value i = head->addArgument(i32Type, loc);
    builder.create<LLVM::BrOp>(loc, ValueRange{constI32(loc, 0)}, head);
    builder.setInsertionPointToStart(head);
    Block *body = function.addBlock();
    builder.create<LLVM::CondBrOp>(
        loc, icmp(loc, LLVM::ICmpPredicate::ult, i, count), body, ValueRange(),
        blocks.done, ValueRange{constI1(loc, false)});
    builder.setInsertionPointToStart(body);
    Block *next = function.addBlock();
    Value element = elementAddress(loc, elements, i, 16);
    branchUnless(loc, isKind(loc, loadKind(loc, element), kKindEntity), next);
    Value pe = loadPayload(loc, element);
    Block *hashes = function.addBlock();
    builder.create<LLVM::CondBrOp>(
        loc, icmp(loc, LLVM::ICmpPredicate::eq, px, pe), blocks.done,
        ValueRange{constI1(loc, true)}, hashes, ValueRange());
    builder.setInsertionPointToStart(hashes);
    Value uidE = builder.create<LLVM::IntToPtrOp>(loc, ptrType, pe);
    Value hx = builder.create<LLVM::LoadOp>(loc, i64Type, uidX, 8);
    Value he = builder.create<LLVM::LoadOp>(loc, i64Type, uidE, 8);
    branchUnless(loc, icmp(loc, LLVM::ICmpPredicate::eq, hx, he), next);
    Value same = sameUid(loc, x, element, uidX, uidE);
    builder.create<LLVM::CondBrOp>(loc, same, blocks.done,
                                   ValueRange{constI1(loc, true)}, next,
                                   ValueRange());
    builder.setInsertionPointToStart(next);
    builder.create<LLVM::BrOp>(
        loc, ValueRange{builder.create<LLVM::AddOp>(loc, i, constI32(loc, 1))},
        head);

    finishInlineBool(loc, blocks, dst, [&] {
      callRuntime(loc, "contains", {dst, set, x});
    });
  }

  static bool isEntityConstant(Value value) {
    auto constant = value.getDefiningOp<ConstantOp>();
    return constant && isa<EntityUidAttr>(constant.getValue());
  }

  /// `x == C` (or !=) with C an entity constant (the scope's `principal ==
  /// User::"alice"`): no helper at all, as equality never fails and C is
  /// known to be an entity. Another kind is unequal; the same uid pointer
  /// is equal, a different hash unequal; equal hashes ask sameUid.
  void lowerEntityConstantEquality(Operation &op, Value other, Value constant,
                                   bool negate) {
    Location loc = op.getLoc();
    Value x = slot(other), c = slot(constant);
    Value dst = define(op.getResult(0));
    Block *done = function.addBlock();
    Value equal = done->addArgument(i1Type, loc);
    Value falseBit = constI1(loc, false);
    Value trueBit = constI1(loc, true);
    Block *entity = function.addBlock();
    builder.create<LLVM::CondBrOp>(
        loc, isKind(loc, loadKind(loc, x), kKindEntity), entity, ValueRange(),
        done, ValueRange{falseBit});
    builder.setInsertionPointToStart(entity);
    Value px = loadPayload(loc, x), pc = loadPayload(loc, c);
    Block *hashes = function.addBlock();
    builder.create<LLVM::CondBrOp>(
        loc, icmp(loc, LLVM::ICmpPredicate::eq, px, pc), done,
        ValueRange{trueBit}, hashes, ValueRange());
    builder.setInsertionPointToStart(hashes);
    Value uidX = builder.create<LLVM::IntToPtrOp>(loc, ptrType, px);
    Value uidC = builder.create<LLVM::IntToPtrOp>(loc, ptrType, pc);
    Value hx = builder.create<LLVM::LoadOp>(loc, i64Type, uidX, 8);
    Value hc = builder.create<LLVM::LoadOp>(loc, i64Type, uidC, 8);
    Block *sameHash = function.addBlock();
    builder.create<LLVM::CondBrOp>(
        loc, icmp(loc, LLVM::ICmpPredicate::ne, hx, hc), done,
        ValueRange{falseBit}, sameHash, ValueRange());
    builder.setInsertionPointToStart(sameHash);
    builder.create<LLVM::BrOp>(loc, ValueRange{sameUid(loc, x, c, uidX, uidC)},
                               done);
    builder.setInsertionPointToStart(done);
    if (negate)
      equal = builder.create<LLVM::XOrOp>(loc, equal, trueBit);
    storeBool(loc, dst, equal);
  }

  /// eq/ne: Cedar equality never fails. Values of different kinds are
  /// unequal; two bools or two longs are equal iff their payloads are; the
  /// same entity pointer is the same uid and entities with different uid
  /// hashes are different uids. Everything else (strings, sets, entities with
  /// equal hashes at different addresses, ...) asks the helper.
  void lowerEquality(Operation &op, bool negate) {
    for (unsigned i = 0; i < 2; ++i) {
      if (isEntityConstant(op.getOperand(i))) {
        lowerEntityConstantEquality(op, op.getOperand(1 - i), op.getOperand(i),
                                    negate);
        return;
      }
      if (inlineStringConstant(op.getOperand(i))) {
        lowerStringConstantEquality(op, op.getOperand(1 - i), op.getOperand(i),
                                    negate);
        return;
      }
    }
    Location loc = op.getLoc();
    Value a = slot(op.getOperand(0)), b = slot(op.getOperand(1));
    Value dst = define(op.getResult(0));
    Value ka = loadKind(loc, a), kb = loadKind(loc, b);
    Value pa = loadPayload(loc, a), pb = loadPayload(loc, b);
    Value sameKind =
        builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq, ka, kb);
    Value samePayload =
        builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq, pa, pb);
    Value trueBit = constI1(loc, true);
    // Bool (1) or Long (2): kind - 1 < 2, unsigned.
    Value scalar = builder.create<LLVM::ICmpOp>(
        loc, LLVM::ICmpPredicate::ult,
        builder.create<LLVM::SubOp>(loc, ka, constI8(loc, kKindBool)),
        constI8(loc, 2));
    Value sameEntity = builder.create<LLVM::AndOp>(
        loc, isKind(loc, ka, kKindEntity), samePayload);
    Value differentKinds = builder.create<LLVM::XOrOp>(loc, sameKind, trueBit);
    Value decided = builder.create<LLVM::OrOp>(
        loc, differentKinds,
        builder.create<LLVM::OrOp>(loc, scalar, sameEntity));

    // Two entities at different addresses: compare their uid hashes (the
    // first word the entity payload points to, rune_native.h).
    Block *fastBlock = function.addBlock();
    Block *entityCheck = function.addBlock();
    Block *slow = function.addBlock();
    Block *join = function.addBlock();
    Value equalArg = fastBlock->addArgument(i1Type, loc);
    builder.create<LLVM::CondBrOp>(
        loc, decided, fastBlock,
        ValueRange{builder.create<LLVM::AndOp>(loc, sameKind, samePayload)},
        entityCheck, ValueRange());

    builder.setInsertionPointToStart(entityCheck);
    Value bothEntities = builder.create<LLVM::AndOp>(
        loc, sameKind, isKind(loc, ka, kKindEntity));
    Block *hashCheck = function.addBlock();
    builder.create<LLVM::CondBrOp>(loc, bothEntities, hashCheck, slow);
    builder.setInsertionPointToStart(hashCheck);
    Value uidA = builder.create<LLVM::IntToPtrOp>(loc, ptrType, pa);
    Value uidB = builder.create<LLVM::IntToPtrOp>(loc, ptrType, pb);
    Value ha = builder.create<LLVM::LoadOp>(loc, i64Type, uidA, 8);
    Value hb = builder.create<LLVM::LoadOp>(loc, i64Type, uidB, 8);
    Value differentHash =
        builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::ne, ha, hb);
    Value falseBit = constI1(loc, false);
    Block *sameHash = function.addBlock();
    builder.create<LLVM::CondBrOp>(loc, differentHash, fastBlock,
                                   ValueRange{falseBit}, sameHash,
                                   ValueRange());
    // Equal hashes at different addresses (a request's uid against a
    // policy's constant, typically): the uids still need comparing, by
    // their cached nodes or a helper that cannot fail and so needs neither
    // state nor error exit.
    builder.setInsertionPointToStart(sameHash);
    Value same = sameUid(loc, a, b, uidA, uidB);
    builder.create<LLVM::BrOp>(loc, ValueRange{same}, fastBlock);

    builder.setInsertionPointToStart(fastBlock);
    Value equal = equalArg;
    if (negate)
      equal = builder.create<LLVM::XOrOp>(loc, equal, trueBit);
    storeBool(loc, dst, equal);
    builder.create<LLVM::BrOp>(loc, ValueRange(), join);

    builder.setInsertionPointToStart(slow);
    callRuntime(loc, negate ? "ne" : "eq", {dst, a, b});
    builder.create<LLVM::BrOp>(loc, ValueRange(), join);
    builder.setInsertionPointToStart(join);
  }

  Value bothLongs(Location loc, Value a, Value b) {
    return builder.create<LLVM::AndOp>(
        loc, isKind(loc, loadKind(loc, a), kKindLong),
        isKind(loc, loadKind(loc, b), kKindLong));
  }

  /// lt/le/gt/ge on two longs; datetimes, durations and type errors go to
  /// the helper.
  void lowerComparison(Operation &op, StringRef helper,
                       LLVM::ICmpPredicate predicate) {
    Location loc = op.getLoc();
    Value a = slot(op.getOperand(0)), b = slot(op.getOperand(1));
    Value dst = define(op.getResult(0));
    fastOrHelper(loc, bothLongs(loc, a, b),
                 [&](Block *) {
                   storeBool(loc, dst,
                             builder.create<LLVM::ICmpOp>(loc, predicate,
                                                          loadPayload(loc, a),
                                                          loadPayload(loc, b)));
                 },
                 helper, {dst, a, b});
  }

  /// add/sub/mul on two longs that do not overflow; overflow and type
  /// errors go to the helper, which reports them.
  template <typename IntrinsicOp>
  void lowerArithmetic(Operation &op, StringRef helper) {
    Location loc = op.getLoc();
    Value a = slot(op.getOperand(0)), b = slot(op.getOperand(1));
    Value dst = define(op.getResult(0));
    fastOrHelper(loc, bothLongs(loc, a, b),
                 [&](Block *slow) {
                   Type pairType = LLVM::LLVMStructType::getLiteral(
                       context, {i64Type, i1Type});
                   Value pair = builder.create<IntrinsicOp>(
                       loc, pairType, loadPayload(loc, a), loadPayload(loc, b));
                   Value sum = builder.create<LLVM::ExtractValueOp>(
                       loc, pair, ArrayRef<int64_t>{0});
                   Value overflow = builder.create<LLVM::ExtractValueOp>(
                       loc, pair, ArrayRef<int64_t>{1});
                   Block *store = function.addBlock();
                   builder.create<LLVM::CondBrOp>(loc, overflow, slow, store);
                   builder.setInsertionPointToStart(store);
                   storeScalar(loc, dst, kKindLong, sum);
                 },
                 helper, {dst, a, b});
  }

  /// not on a bool; type errors go to the helper.
  void lowerNot(Operation &op) {
    Location loc = op.getLoc();
    Value a = slot(op.getOperand(0));
    Value dst = define(op.getResult(0));
    fastOrHelper(loc, isKind(loc, loadKind(loc, a), kKindBool),
                 [&](Block *) {
                   storeBool(loc, dst,
                             builder.create<LLVM::ICmpOp>(
                                 loc, LLVM::ICmpPredicate::eq,
                                 loadPayload(loc, a), constI64(loc, 0)));
                 },
                 "not", {dst, a});
  }

  void copyValue(Location loc, Value from, Value to) {
    Value value = builder.create<LLVM::LoadOp>(loc, valueType, from);
    builder.create<LLVM::StoreOp>(loc, value, to);
  }

  /// Copies `values` into a fresh contiguous slot array.
  Value gather(Location loc, ValueRange values) {
    Value array = allocateSlots(loc, std::max<unsigned>(values.size(), 1));
    for (auto [i, value] : llvm::enumerate(values)) {
      Value element = builder.create<LLVM::GEPOp>(
          loc, ptrType, valueType, array,
          ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
      copyValue(loc, slot(value), element);
    }
    return array;
  }

  /// A set literal that is only ever asked about, never used as a value:
  /// each use is `x in <set>` with every element an entity constant (e.g.
  /// the scope `action in [A, B]`), or `<set>.contains(x)`. Such a use asks
  /// rune_rt_in_entities or rune_rt_equals_any about the elements directly:
  /// the same result as building the set (an arena copy and a sort on every
  /// decision) and asking rune_rt_in or rune_rt_contains, and the same
  /// errors: `in` reports a non-entity element, which entity constants
  /// cannot be, and `contains` on a set only fails on its receiver's kind.
  static bool isQueriedLiteral(SetOp set) {
    if (set.getElements().empty())
      return false;
    auto allEntityConstants = [&] {
      return llvm::all_of(set.getElements(), [](Value element) {
        auto constant = element.getDefiningOp<ConstantOp>();
        return constant && isa<EntityUidAttr>(constant.getValue());
      });
    };
    for (OpOperand &use : set->getUses()) {
      Operation *user = use.getOwner();
      bool queried = (isa<InOp>(user) && use.getOperandNumber() == 1 &&
                      allEntityConstants()) ||
                     (isa<ContainsOp>(user) && use.getOperandNumber() == 0);
      if (!queried)
        return false;
    }
    return true;
  }

  /// The set literal defining `value` if it was left unbuilt.
  SetOp queriedLiteral(Value value) {
    auto set = value.getDefiningOp<SetOp>();
    return set && literalSets.contains(set) ? set : SetOp();
  }

  FailureOr<Value> lowerRegion(Region &region) {
    for (Operation &op : region.front().without_terminator())
      if (failed(lowerOperation(op)))
        return failure();
    return slot(cast<YieldOp>(region.front().getTerminator()).getValue());
  }

  void lowerSimple(Operation &op, StringRef helper,
                   ArrayRef<Value> immediates = {}) {
    SmallVector<Value> args;
    for (Value operand : op.getOperands())
      args.push_back(slot(operand));
    args.append(immediates.begin(), immediates.end());
    Value dst = define(op.getResult(0));
    args.insert(args.begin(), dst);
    callRuntime(op.getLoc(), helper, args);
  }

  LogicalResult lowerShortCircuit(Operation &op, Value lhs, Region &rhs,
                                  bool shortCircuitValue) {
    Location loc = op.getLoc();
    Value result = define(op.getResult(0));
    Value lhsTrue = builder.create<LLVM::ICmpOp>(
        loc, LLVM::ICmpPredicate::ne, toBool(loc, slot(lhs)), constI32(loc, 0));
    Block *evaluateRhs = function.addBlock();
    Block *shortCircuit = function.addBlock();
    Block *end = function.addBlock();
    if (shortCircuitValue)
      builder.create<LLVM::CondBrOp>(loc, lhsTrue, shortCircuit, evaluateRhs);
    else
      builder.create<LLVM::CondBrOp>(loc, lhsTrue, evaluateRhs, shortCircuit);

    builder.setInsertionPointToStart(evaluateRhs);
    FailureOr<Value> rhsValue = lowerRegion(rhs);
    if (failed(rhsValue))
      return failure();
    toBool(loc, *rhsValue);
    copyValue(loc, *rhsValue, result);
    builder.create<LLVM::BrOp>(loc, ValueRange(), end);

    builder.setInsertionPointToStart(shortCircuit);
    storeScalar(loc, result, kKindBool, constI64(loc, shortCircuitValue));
    builder.create<LLVM::BrOp>(loc, ValueRange(), end);
    builder.setInsertionPointToStart(end);
    return success();
  }

  LogicalResult lowerIf(IfOp op) {
    Location loc = op.getLoc();
    Value result = define(op.getResult());
    Value condition = builder.create<LLVM::ICmpOp>(
        loc, LLVM::ICmpPredicate::ne, toBool(loc, slot(op.getCondition())),
        constI32(loc, 0));
    Block *thenBlock = function.addBlock();
    Block *elseBlock = function.addBlock();
    Block *end = function.addBlock();
    builder.create<LLVM::CondBrOp>(loc, condition, thenBlock, elseBlock);
    for (auto [block, region] : {std::pair{thenBlock, &op.getThenRegion()},
                                 std::pair{elseBlock, &op.getElseRegion()}}) {
      builder.setInsertionPointToStart(block);
      FailureOr<Value> value = lowerRegion(*region);
      if (failed(value))
        return failure();
      copyValue(loc, *value, result);
      builder.create<LLVM::BrOp>(loc, ValueRange(), end);
    }
    builder.setInsertionPointToStart(end);
    return success();
  }

  LogicalResult lowerOperation(Operation &op) {
    Location loc = op.getLoc();
    auto index = [&](const llvm::DenseMap<Operation *, uint32_t> &table) {
      return constI32(loc, table.lookup(&op));
    };
    return llvm::TypeSwitch<Operation *, LogicalResult>(&op)
        .Case([&](ConstantOp constant) {
          Attribute value = constant.getValue();
          if (auto boolean = dyn_cast<BoolAttr>(value)) {
            storeScalar(loc, define(constant), kKindBool,
                        constI64(loc, boolean.getValue()));
          } else if (auto integer = dyn_cast<IntegerAttr>(value)) {
            storeScalar(loc, define(constant), kKindLong,
                        constI64(loc, integer.getValue().getSExtValue()));
          } else {
            // The module's own value: read in place, never written.
            slots[constant] = builder.create<LLVM::GEPOp>(
                loc, ptrType, valueType, frameField(loc, 0, ptrType),
                ArrayRef<LLVM::GEPArg>{
                    static_cast<int32_t>(layout.constantIndex.lookup(&op))});
          }
          return success();
        })
        .Case([&](VarOp var) {
          // The request's own value: read in place, never written.
          // The frame's vars[var], loaded where the op is (frameField).
          slots[var] = frameField(
              loc, 8 * (1 + static_cast<int32_t>(var.getVar())), ptrType);
          return success();
        })
        .Case([&](EqOp) {
          lowerEquality(op, /*negate=*/false);
          return success();
        })
        .Case([&](NeOp) {
          lowerEquality(op, /*negate=*/true);
          return success();
        })
        .Case([&](LtOp) {
          lowerComparison(op, "lt", LLVM::ICmpPredicate::slt);
          return success();
        })
        .Case([&](LeOp) {
          lowerComparison(op, "le", LLVM::ICmpPredicate::sle);
          return success();
        })
        .Case([&](GtOp) {
          lowerComparison(op, "gt", LLVM::ICmpPredicate::sgt);
          return success();
        })
        .Case([&](GeOp) {
          lowerComparison(op, "ge", LLVM::ICmpPredicate::sge);
          return success();
        })
        .Case([&](AddOp) {
          lowerArithmetic<LLVM::SAddWithOverflowOp>(op, "add");
          return success();
        })
        .Case([&](SubOp) {
          lowerArithmetic<LLVM::SSubWithOverflowOp>(op, "sub");
          return success();
        })
        .Case([&](MulOp) {
          lowerArithmetic<LLVM::SMulWithOverflowOp>(op, "mul");
          return success();
        })
        .Case([&](NotOp) {
          lowerNot(op);
          return success();
        })
        .Case([&](GetAttrOp) {
          lowerGetAttr(op, layout.stringIndex.lookup(&op));
          return success();
        })
        .Case([&](HasAttrOp) {
          lowerHasAttr(op, layout.stringIndex.lookup(&op));
          return success();
        })
        .Case([&](IsTypeOp) {
          lowerSimple(op, "is_type", {index(layout.stringIndex)});
          return success();
        })
        .Case([&](LikeOp) {
          lowerSimple(op, "like", {index(layout.constantIndex)});
          return success();
        })
        .Case([&](InOp in) {
          SetOp set = queriedLiteral(in.getOperand(1));
          if (!set)
            lowerIn(op);
          else
            lowerInEntities(op, set);
          return success();
        })
        .Case([&](ContainsOp contains) {
          SetOp set = queriedLiteral(contains.getOperand(0));
          if (!set) {
            lowerContains(op);
            return success();
          }
          if (llvm::all_of(set.getElements(), inlineStringConstant)) {
            lowerStringsContain(op, set, contains.getOperand(1));
            return success();
          }
          Value first = gather(loc, set.getElements());
          Value element = slot(contains.getOperand(1));
          Value dst = define(contains.getResult());
          callRuntime(
              loc, "equals_any",
              {dst, element, first, constI32(loc, set.getElements().size())});
          return success();
        })
        .Case<GetTagOp, HasTagOp, ContainsAllOp, ContainsAnyOp, NegOp,
              IsEmptyOp>([&](Operation *simple) {
          // The helper has the op's mnemonic: rune.contains_all ->
          // rune_rt_contains_all.
          lowerSimple(op, simple->getName().stripDialect());
          return success();
        })
        .Case([&](SetOp set) {
          if (isQueriedLiteral(set)) {
            // Never built: each `in` passes the elements themselves.
            literalSets.insert(set);
            return success();
          }
          Value first = gather(loc, set.getElements());
          Value dst = define(set);
          callRuntime(loc, "make_set",
                      {dst, first, constI32(loc, set.getElements().size())});
          return success();
        })
        .Case([&](RecordOp record) {
          Value first = gather(loc, record.getValues());
          Value dst = define(record);
          callRuntime(loc, "make_record",
                      {dst, index(layout.constantIndex), first,
                       constI32(loc, record.getValues().size())});
          return success();
        })
        .Case([&](ExtCallOp call) -> LogicalResult {
          int64_t fn = -1;
          for (size_t i = 0; i < bc::kExtFnInfo.size(); ++i)
            if (StringRef(bc::kExtFnInfo[i].name.data(),
                          bc::kExtFnInfo[i].name.size()) == call.getCallee())
              fn = static_cast<int64_t>(i);
          if (fn < 0)
            return call.emitOpError("unknown extension function");
          Value first = gather(loc, call.getArgs());
          Value dst = define(call);
          callRuntime(loc, "call_ext",
                      {dst, constI32(loc, fn), first,
                       constI32(loc, call.getArgs().size())});
          return success();
        })
        .Case([&](RaiseOp raise) {
          define(raise);
          callRuntime(loc, "raise", {index(layout.stringIndex)});
          return success();
        })
        .Case([&](AndOp andOp) {
          return lowerShortCircuit(op, andOp.getLhs(), andOp.getRhs(), false);
        })
        .Case([&](OrOp orOp) {
          return lowerShortCircuit(op, orOp.getLhs(), orOp.getRhs(), true);
        })
        .Case([&](IfOp ifOp) { return lowerIf(ifOp); })
        .Default([&](Operation *other) {
          return other->emitOpError("cannot be lowered to LLVM");
        });
  }

  ModuleOp module;
  RuntimeDeclarations declarations{module};
  const BytecodeLayout &layout;
  MLIRContext *context;
  Type valueType;

  LLVM::LLVMFuncOp function;
  Block *entry = nullptr;
  Block *errorBlock = nullptr;
  Value state, one, boolSlot;
  llvm::DenseMap<Value, Value> slots;
  /// Set literals left unbuilt (isQueriedLiteral).
  llvm::DenseSet<Operation *> literalSets;
};

} // namespace

LogicalResult
rune::lowerCedarPolicies(ModuleOp module, const BytecodeLayout &layout,
                         StringRef symbol,
                         std::vector<std::string> &functionNames) {
  PolicyLowering lowering(module, layout);
  for (auto [i, op] : llvm::enumerate(layout.policies)) {
    functionNames.push_back((symbol + "_policy" + Twine(i)).str());
    if (failed(lowering.lower(cast<PolicyOp>(op), functionNames.back())))
      return failure();
  }
  for (Operation *op : layout.policies)
    op->erase();
  return success();
}
