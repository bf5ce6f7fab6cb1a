//===- Operations.h - The semantics of each instruction ---------*- C++ -*-===//
//
// One function per bytecode instruction, with Cedar 4 semantics. The
// interpreter and the native ABI (rune_rt_*) both call these, so compiled and
// interpreted policies behave identically, errors included.
//
// Conventions: each returns true on success; on an evaluation error it
// records a Cedar-style message in the context and returns false. `dst` may
// alias any operand: operands are read before `dst` is written. Temporaries
// are allocated in the context's scratch arena.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_OPERATIONS_H
#define RUNE_RUNTIME_OPERATIONS_H

#include "rune/Runtime/BytecodeFormat.h"
#include "rune/Runtime/EvalContext.h"
#include "rune/Runtime/Value.h"

namespace rune::ops {

bool loadConst(EvalContext &ctx, Value &dst, uint32_t constant);
bool loadVar(EvalContext &ctx, Value &dst, bc::Var var);

/// obj.name: entity attribute (the entity must exist and have it) or record
/// field; any other kind is a type error.
bool getAttr(EvalContext &ctx, Value &dst, const Value &object, Symbol name);
/// obj has name: false for an entity missing from the store.
bool hasAttr(EvalContext &ctx, Value &dst, const Value &object, Symbol name);
bool getTag(EvalContext &ctx, Value &dst, const Value &object,
            const Value &key);
bool hasTag(EvalContext &ctx, Value &dst, const Value &object,
            const Value &key);

bool equal(EvalContext &ctx, Value &dst, const Value &a, const Value &b);
bool notEqual(EvalContext &ctx, Value &dst, const Value &a, const Value &b);
/// Orderings on long, datetime and duration (both operands of one kind).
bool less(EvalContext &ctx, Value &dst, const Value &a, const Value &b);
bool lessEqual(EvalContext &ctx, Value &dst, const Value &a, const Value &b);
bool greater(EvalContext &ctx, Value &dst, const Value &a, const Value &b);
bool greaterEqual(EvalContext &ctx, Value &dst, const Value &a, const Value &b);

bool add(EvalContext &ctx, Value &dst, const Value &a, const Value &b);
bool subtract(EvalContext &ctx, Value &dst, const Value &a, const Value &b);
bool multiply(EvalContext &ctx, Value &dst, const Value &a, const Value &b);
bool negate(EvalContext &ctx, Value &dst, const Value &a);
bool logicalNot(EvalContext &ctx, Value &dst, const Value &a);

/// a in b: b an entity (equal or ancestor) or a set of entities (any).
bool in(EvalContext &ctx, Value &dst, const Value &a, const Value &b);
/// a in [elements...]: `in` on a set holding `elements`, without building
/// the set (native code passes a set literal's elements this way).
bool inEntities(EvalContext &ctx, Value &dst, const Value &a,
                std::span<const Value> elements);
bool contains(EvalContext &ctx, Value &dst, const Value &set,
              const Value &element);
/// [elements...].contains(element), without building the set. Never fails.
bool equalsAny(EvalContext &ctx, Value &dst, const Value &element,
               std::span<const Value> elements);
bool containsAll(EvalContext &ctx, Value &dst, const Value &set,
                 const Value &other);
bool containsAny(EvalContext &ctx, Value &dst, const Value &set,
                 const Value &other);
bool isEmpty(EvalContext &ctx, Value &dst, const Value &set);
bool like(EvalContext &ctx, Value &dst, const Value &text,
          const CompiledPattern &pattern);
bool isType(EvalContext &ctx, Value &dst, const Value &entity, Symbol type);

bool makeSet(EvalContext &ctx, Value &dst, const Value *first, uint32_t count);
/// Fields from `first[shape.fields[i].position]`.
bool makeRecord(EvalContext &ctx, Value &dst, const RecordShape &shape,
                const Value *first);
/// `args` holds kExtFnInfo[fn].arity values.
bool callExtension(EvalContext &ctx, Value &dst, bc::ExtFn fn,
                   const Value *args);

/// The bool in `value`, or a type error.
bool toBool(EvalContext &ctx, const Value &value, bool &out);

/// True when `text` matches `pattern` (exposed for tests).
bool matchesPattern(std::string_view text, const CompiledPattern &pattern);

/// Records "type error: expected <expected>, got <type of actual>".
bool typeError(EvalContext &ctx, std::string_view expected,
               const Value &actual);

} // namespace rune::ops

#endif // RUNE_RUNTIME_OPERATIONS_H
