//===- NativeABI.cpp - rune_rt_* helpers for natively compiled policies ---===//
//
// Thin wrappers over Operations.h. Compiled code is trusted to pass valid
// register pointers (they point into the register file the runtime hands
// it), but the indices it passes are checked against the module's tables:
// those checks are cheap and turn a miscompiled index into an evaluation
// error instead of a wild read. No C++ exception crosses into compiled code.
//
//===----------------------------------------------------------------------===//

// The C declarations must be seen with default visibility before anything
// else includes them: only these symbols are exported from the shared
// library, everything else is built with -fvisibility=hidden.
#pragma GCC visibility push(default)
#include "rune/rune_native.h"
#pragma GCC visibility pop

#include "rune/Runtime/EvalContext.h"
#include "rune/Runtime/Operations.h"

#include <cstddef>
#include <cstring>
#include <new>

// The value layout contract of rune_native.h, which compiled code relies on.
static_assert(static_cast<int>(rune::ValueKind::Bool) == RUNE_KIND_BOOL &&
              static_cast<int>(rune::ValueKind::Long) == RUNE_KIND_LONG &&
              static_cast<int>(rune::ValueKind::Entity) == RUNE_KIND_ENTITY &&
              static_cast<int>(rune::ValueKind::Record) == RUNE_KIND_RECORD &&
              static_cast<int>(rune::ValueKind::String) == RUNE_KIND_STRING &&
              static_cast<int>(rune::ValueKind::Set) == RUNE_KIND_SET);
static_assert(sizeof(rune::Value) == sizeof(rune_value) &&
              alignof(rune::Value) == alignof(rune_value));
static_assert(offsetof(rune::EntityUidData, hash) == 0 &&
              alignof(rune::EntityUidData) >= 8);

using namespace rune;

namespace {

Value &value(rune_value *v) { return *reinterpret_cast<Value *>(v); }
const Value &value(const rune_value *v) {
  return *reinterpret_cast<const Value *>(v);
}

/// Runs `body` (which returns the operation's bool) and converts to the ABI's
/// status, containing any exception.
template <typename Body> int32_t guarded(rune_eval_state *state, Body body) {
  if (!state)
    return 1;
  try {
    return body() ? 0 : 1;
  } catch (const std::bad_alloc &) {
    fail(*state, "out of memory");
  } catch (...) {
    fail(*state, "internal error");
  }
  return 1;
}

bool invalid(rune_eval_state *state, const char *what) {
  return fail(*state, std::string("native code passed an invalid ") + what);
}

bool validString(rune_eval_state *state, uint32_t index) {
  return index < state->module->bytecode().strings.size();
}

/// The helpers whose immediate operand names a string of the module (an
/// attribute or a type name), looked up as an interned symbol.
template <typename Operation>
int32_t withSymbol(rune_eval_state *state, rune_value *dst,
                   const rune_value *operand, uint32_t name,
                   Operation operation) {
  return guarded(state, [&] {
    if (!dst || !operand)
      return invalid(state, "register pointer");
    if (!validString(state, name))
      return invalid(state, "string index");
    return operation(*state, value(dst), value(operand),
                     state->module->stringSymbol(name));
  });
}

/// The attributes of `object` for the helpers' leaf paths: true with
/// `record` set when the answer needs no call (a record value, or an entity
/// whose uid the store has looked up before: the authorizer resolves the
/// request's uids and the module's constants; `record` is nullptr when the
/// store has no such entity), and the record has at most 8 fields (scanned
/// by scanField). False when only the general path can answer.
[[gnu::always_inline]] inline bool
quickRecord(rune_eval_state *state, const Value &object, const Value *&record) {
  if (object.is(ValueKind::Entity)) {
    const EntityStore::Entity *entity;
    if (!state->entities->findCached(object.asEntity(), entity))
      return false;
    record = entity ? &entity->attributes : nullptr;
  } else if (object.is(ValueKind::Record)) {
    record = &object;
  } else {
    return false;
  }
  return !record || record->asRecord().size() <= 8;
}

/// Value::findField's scan of a small record (sorted keys), inline.
[[gnu::always_inline]] inline const Value *scanField(const Value &record,
                                                     Symbol key) {
  for (const RecordField &field : record.asRecord())
    if (field.key >= key)
      return field.key == key ? &field.value : nullptr;
  return nullptr;
}

/// valuesEqual for what compiled comparisons mostly see, as leaf code: 1 or
/// 0, or -1 when only valuesEqual can tell (sets, records, ip addresses,
/// entities with equal hashes that no store has resolved).
int quickEqual(const Value &a, const Value &b) {
  if (a.kind() != b.kind())
    return 0;
  switch (a.kind()) {
  case ValueKind::Bool:
  case ValueKind::Long:
  case ValueKind::Decimal:
  case ValueKind::Datetime:
  case ValueKind::Duration:
    return a.asScalar() == b.asScalar();
  case ValueKind::String: {
    std::string_view x = a.asString(), y = b.asString();
    return x.size() == y.size() &&
           (x.data() == y.data() ||
            std::memcmp(x.data(), y.data(), x.size()) == 0);
  }
  case ValueKind::Entity: {
    const EntityUidData &x = a.asEntity(), &y = b.asEntity();
    if (&x == &y)
      return 1;
    if (x.hash != y.hash)
      return 0;
    return EntityStore::sameNode(x, y);
  }
  default:
    return -1;
  }
}

[[gnu::noinline]] int32_t equalGeneral(rune_eval_state *state, rune_value *dst,
                                       const rune_value *a,
                                       const rune_value *b) {
  return guarded(state, [&] {
    if (!dst || !a || !b)
      return invalid(state, "register pointer");
    return ops::equal(*state, value(dst), value(a), value(b));
  });
}

[[gnu::noinline]] int32_t equalsAnyGeneral(rune_eval_state *state,
                                           rune_value *dst,
                                           const rune_value *element,
                                           const rune_value *first,
                                           uint32_t count) {
  return guarded(state, [&] {
    if (!dst || !element || (!first && count != 0))
      return invalid(state, "register pointer");
    return ops::equalsAny(
        *state, value(dst), value(element),
        std::span<const Value>(count ? &value(first) : nullptr, count));
  });
}

[[gnu::noinline]] int32_t
inEntitiesGeneral(rune_eval_state *state, rune_value *dst, const rune_value *a,
                  const rune_value *first, uint32_t count) {
  return guarded(state, [&] {
    if (!dst || !a || (!first && count != 0))
      return invalid(state, "register pointer");
    return ops::inEntities(
        *state, value(dst), value(a),
        std::span<const Value>(count ? &value(first) : nullptr, count));
  });
}

/// rune_rt_get_attr's general path, out of line so that the common case
/// needs no stack frame.
[[gnu::noinline]] int32_t getAttrGeneral(rune_eval_state *state,
                                         rune_value *dst, const rune_value *obj,
                                         uint32_t name) {
  return withSymbol(state, dst, obj, name, ops::getAttr);
}

/// rune_rt_in's general path (sets, uids not yet looked up in the store,
/// errors), out of line for the same reason.
[[gnu::noinline]] int32_t inGeneral(rune_eval_state *state, rune_value *dst,
                                    const rune_value *a, const rune_value *b) {
  if (state && dst && a && b && value(a).is(ValueKind::Entity) &&
      value(b).is(ValueKind::Entity)) {
    value(dst) = Value::boolean(state->entities->inAny(
        value(a).asEntity(), std::span<const Value>(&value(b), 1)));
    return 0;
  }
  return guarded(state, [&] {
    if (!dst || !a || !b)
      return invalid(state, "register pointer");
    return ops::in(*state, value(dst), value(a), value(b));
  });
}

} // namespace

#define RUNE_RT_BINARY(Name, Fn)                                               \
  int32_t rune_rt_##Name(rune_eval_state *state, rune_value *dst,              \
                         const rune_value *a, const rune_value *b) {           \
    return guarded(state, [&] {                                                \
      if (!dst || !a || !b)                                                    \
        return invalid(state, "register pointer");                             \
      return ops::Fn(*state, value(dst), value(a), value(b));                  \
    });                                                                        \
  }
#define RUNE_RT_UNARY(Name, Fn)                                                \
  int32_t rune_rt_##Name(rune_eval_state *state, rune_value *dst,              \
                         const rune_value *a) {                                \
    return guarded(state, [&] {                                                \
      if (!dst || !a)                                                          \
        return invalid(state, "register pointer");                             \
      return ops::Fn(*state, value(dst), value(a));                            \
    });                                                                        \
  }

extern "C" {

int32_t rune_rt_load_const(rune_eval_state *state, rune_value *dst,
                           uint32_t constant) {
  return guarded(state, [&] {
    const bc::Module &image = state->module->bytecode();
    if (!dst)
      return invalid(state, "register pointer");
    if (constant >= image.constants.size() ||
        image.constants[constant].kind == bc::ConstantKind::Pattern ||
        image.constants[constant].kind == bc::ConstantKind::NameList)
      return invalid(state, "constant index");
    return ops::loadConst(*state, value(dst), constant);
  });
}

int32_t rune_rt_load_var(rune_eval_state *state, rune_value *dst,
                         uint32_t var) {
  return guarded(state, [&] {
    if (!dst)
      return invalid(state, "register pointer");
    if (var >= bc::kNumVars)
      return invalid(state, "variable");
    return ops::loadVar(*state, value(dst), static_cast<bc::Var>(var));
  });
}

int32_t rune_rt_get_attr(rune_eval_state *state, rune_value *dst,
                         const rune_value *obj, uint32_t name) {
  // The common case as leaf code: an attribute that exists (see
  // quickRecord). Everything else, errors included, takes the general
  // path, in a tail call.
  const Value *record;
  if (state && dst && obj && validString(state, name) &&
      quickRecord(state, value(obj), record) && record) [[likely]] {
    if (const Value *field =
            scanField(*record, state->module->stringSymbol(name))) {
      value(dst) = *field;
      return 0;
    }
  }
  return getAttrGeneral(state, dst, obj, name);
}

int32_t rune_rt_has_attr(rune_eval_state *state, rune_value *dst,
                         const rune_value *obj, uint32_t name) {
  // `has` never fails on an entity or a record: the only general cases are
  // other kinds (an error), uids not yet looked up and large records.
  const Value *record;
  if (state && dst && obj && validString(state, name) &&
      quickRecord(state, value(obj), record)) [[likely]] {
    value(dst) = Value::boolean(
        record && scanField(*record, state->module->stringSymbol(name)));
    return 0;
  }
  return withSymbol(state, dst, obj, name, ops::hasAttr);
}

RUNE_RT_BINARY(get_tag, getTag)
RUNE_RT_BINARY(has_tag, hasTag)
// Equality as leaf code when quickEqual tells, else the general path.
int32_t rune_rt_eq(rune_eval_state *state, rune_value *dst, const rune_value *a,
                   const rune_value *b) {
  if (state && dst && a && b) [[likely]] {
    int answer = quickEqual(value(a), value(b));
    if (answer >= 0) {
      value(dst) = Value::boolean(answer == 1);
      return 0;
    }
  }
  return equalGeneral(state, dst, a, b);
}
RUNE_RT_BINARY(ne, notEqual)
RUNE_RT_BINARY(lt, less)
RUNE_RT_BINARY(le, lessEqual)
RUNE_RT_BINARY(gt, greater)
RUNE_RT_BINARY(ge, greaterEqual)
RUNE_RT_BINARY(add, add)
RUNE_RT_BINARY(sub, subtract)
RUNE_RT_BINARY(mul, multiply)
RUNE_RT_UNARY(neg, negate)
// Spelled out: `not` is an operator keyword in C++ and cannot be pasted.
int32_t rune_rt_not(rune_eval_state *state, rune_value *dst,
                    const rune_value *a) {
  return guarded(state, [&] {
    if (!dst || !a)
      return invalid(state, "register pointer");
    return ops::logicalNot(*state, value(dst), value(a));
  });
}
// `entity in entity` (the scope's `principal in Group::"x"`) as leaf code
// when the store has looked both uids up; the general path takes every
// other case, in a tail call.
int32_t rune_rt_in(rune_eval_state *state, rune_value *dst, const rune_value *a,
                   const rune_value *b) {
  if (state && dst && a && b && value(a).is(ValueKind::Entity) &&
      value(b).is(ValueKind::Entity)) [[likely]] {
    int answer =
        state->entities->inCached(value(a).asEntity(), value(b).asEntity());
    if (answer >= 0) {
      value(dst) = Value::boolean(answer == 1);
      return 0;
    }
  }
  return inGeneral(state, dst, a, b);
}
RUNE_RT_BINARY(contains, contains)
RUNE_RT_BINARY(contains_all, containsAll)
RUNE_RT_BINARY(contains_any, containsAny)
RUNE_RT_UNARY(is_empty, isEmpty)

int32_t rune_rt_like(rune_eval_state *state, rune_value *dst,
                     const rune_value *a, uint32_t pattern_constant) {
  return guarded(state, [&] {
    if (!dst || !a)
      return invalid(state, "register pointer");
    const CompiledPattern *pattern = state->module->pattern(pattern_constant);
    if (!pattern)
      return invalid(state, "pattern constant");
    return ops::like(*state, value(dst), value(a), *pattern);
  });
}

int32_t rune_rt_is_type(rune_eval_state *state, rune_value *dst,
                        const rune_value *a, uint32_t type_name) {
  return withSymbol(state, dst, a, type_name, ops::isType);
}

int32_t rune_rt_make_set(rune_eval_state *state, rune_value *dst,
                         const rune_value *first, uint32_t count) {
  return guarded(state, [&] {
    if (!dst || (!first && count != 0))
      return invalid(state, "register pointer");
    if (count > UINT16_MAX)
      return invalid(state, "register count");
    return ops::makeSet(*state, value(dst), &value(first), count);
  });
}

int32_t rune_rt_make_record(rune_eval_state *state, rune_value *dst,
                            uint32_t names_constant, const rune_value *first,
                            uint32_t count) {
  return guarded(state, [&] {
    if (!dst || (!first && count != 0))
      return invalid(state, "register pointer");
    const RecordShape *shape = state->module->recordShape(names_constant);
    if (!shape || shape->fields.size() != count)
      return invalid(state, "name-list constant");
    return ops::makeRecord(*state, value(dst), *shape, &value(first));
  });
}

int32_t rune_rt_call_ext(rune_eval_state *state, rune_value *dst,
                         uint32_t ext_fn, const rune_value *first,
                         uint32_t count) {
  return guarded(state, [&] {
    if (!dst || !first)
      return invalid(state, "register pointer");
    if (ext_fn >= bc::kNumExtFns || bc::kExtFnInfo[ext_fn].arity != count)
      return invalid(state, "extension call");
    return ops::callExtension(*state, value(dst),
                              static_cast<bc::ExtFn>(ext_fn), &value(first));
  });
}

int32_t rune_rt_in_entities(rune_eval_state *state, rune_value *dst,
                            const rune_value *a, const rune_value *first,
                            uint32_t count) {
  // Compiled code passes entity constants (the scope's `action in [A, B]`):
  // with every operand an entity, ops::inEntities is inAny without the
  // exception guard. Anything else (errors) takes the general path.
  if (state && dst && a && first && value(a).is(ValueKind::Entity)) [[likely]] {
    std::span<const Value> elements(&value(first), count);
    bool allEntities = true;
    for (const Value &element : elements)
      allEntities &= element.is(ValueKind::Entity);
    if (allEntities) {
      value(dst) =
          Value::boolean(state->entities->inAny(value(a).asEntity(), elements));
      return 0;
    }
  }
  return inEntitiesGeneral(state, dst, a, first, count);
}

int32_t rune_rt_equals_any(rune_eval_state *state, rune_value *dst,
                           const rune_value *element, const rune_value *first,
                           uint32_t count) {
  // Leaf code while quickEqual tells for every candidate; equality never
  // fails, so stopping at the first match is what the general path does.
  if (state && dst && element && (first || count == 0)) [[likely]] {
    uint32_t i = 0;
    for (; i < count; ++i) {
      int answer = quickEqual(value(first + i), value(element));
      if (answer < 0)
        break;
      if (answer == 1) {
        value(dst) = Value::boolean(true);
        return 0;
      }
    }
    if (i == count) {
      value(dst) = Value::boolean(false);
      return 0;
    }
  }
  return equalsAnyGeneral(state, dst, element, first, count);
}

int32_t rune_rt_same_entity(const rune_value *a, const rune_value *b) {
  // Compiled code calls this only on two entities; anything else is unequal.
  if (!a || !b)
    return 0;
  const Value &x = value(a), &y = value(b);
  if (!x.is(ValueKind::Entity) || !y.is(ValueKind::Entity))
    return 0;
  const EntityUidData &p = x.asEntity(), &q = y.asEntity();
  if (&p == &q)
    return 1;
  // The authorizer has the request's uids and the module's constants
  // looked up in the store, so their cached nodes usually tell.
  int byNode = EntityStore::sameNode(p, q);
  if (byNode >= 0)
    return byNode;
  return p.hash == q.hash && p.type == q.type && p.id() == q.id();
}

int32_t rune_rt_raise(rune_eval_state *state, uint32_t message) {
  return guarded(state, [&] {
    if (!validString(state, message))
      return invalid(state, "string index");
    return fail(*state,
                std::string(state->module->bytecode().strings[message]));
  });
}

int32_t rune_rt_to_bool(rune_eval_state *state, const rune_value *v,
                        int32_t *out) {
  return guarded(state, [&] {
    if (!v || !out)
      return invalid(state, "pointer");
    bool result;
    if (!ops::toBool(*state, value(v), result))
      return false;
    *out = result ? 1 : 0;
    return true;
  });
}

} // extern "C"
