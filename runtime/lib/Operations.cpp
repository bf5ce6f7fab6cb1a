//===- Operations.cpp - The semantics of each instruction -----------------===//

#include "rune/Runtime/Operations.h"

#include <algorithm>

namespace rune::ops {

namespace {

std::string entityName(EvalContext &ctx, const EntityUidData &uid) {
  return "`" + formatEntityUid(uid, *ctx.symbols) + "`";
}

std::string symbolName(EvalContext &ctx, Symbol symbol) {
  return std::string(ctx.symbols->name(symbol));
}

/// Cedar orders longs, and extension values of one kind that support the
/// comparison operators (datetime, duration). Sets `result` to <0, 0, >0.
bool compareOrdered(EvalContext &ctx, const Value &a, const Value &b,
                    int &result) {
  if (a.is(ValueKind::Long) || a.is(ValueKind::Datetime) ||
      a.is(ValueKind::Duration)) {
    if (b.kind() != a.kind())
      return typeError(ctx, kindName(a.kind()), b);
    int64_t x = a.asScalar(), y = b.asScalar();
    result = x < y ? -1 : (x > y ? 1 : 0);
    return true;
  }
  return typeError(ctx, "one of [long, datetime, duration]", a);
}

bool checkLongs(EvalContext &ctx, const Value &a, const Value &b) {
  if (!a.is(ValueKind::Long))
    return typeError(ctx, "long", a);
  if (!b.is(ValueKind::Long))
    return typeError(ctx, "long", b);
  return true;
}

bool overflow(EvalContext &ctx, std::string_view verb, int64_t a, int64_t b) {
  return fail(ctx, "integer overflow while attempting to " + std::string(verb) +
                       " the values `" + std::to_string(a) + "` and `" +
                       std::to_string(b) + "`");
}

bool setContains(std::span<const Value> set, const Value &element) {
  return std::binary_search(
      set.begin(), set.end(), element,
      [](const Value &x, const Value &y) { return compareValues(x, y) < 0; });
}

} // namespace

bool typeError(EvalContext &ctx, std::string_view expected,
               const Value &actual) {
  return fail(ctx, "type error: expected " + std::string(expected) + ", got " +
                       describeType(actual, *ctx.symbols));
}

bool loadConst(EvalContext &ctx, Value &dst, uint32_t constant) {
  dst = ctx.module->constant(constant);
  return true;
}

bool loadVar(EvalContext &ctx, Value &dst, bc::Var var) {
  const Request &request = *ctx.request;
  switch (var) {
  case bc::Var::Principal:
    dst = request.principal;
    return true;
  case bc::Var::Action:
    dst = request.action;
    return true;
  case bc::Var::Resource:
    dst = request.resource;
    return true;
  case bc::Var::Context:
    dst = request.context;
    return true;
  }
  return fail(ctx, "invalid request variable");
}

bool getAttr(EvalContext &ctx, Value &dst, const Value &object, Symbol name) {
  if (object.is(ValueKind::Entity)) {
    const EntityUidData &uid = object.asEntity();
    const EntityStore::Entity *entity = ctx.entities->find(uid);
    if (!entity)
      return fail(ctx, "entity " + entityName(ctx, uid) + " does not exist");
    const Value *field = entity->attributes.findField(name);
    if (!field)
      return fail(ctx, "entity " + entityName(ctx, uid) +
                           " does not have an attribute named `" +
                           symbolName(ctx, name) + "`");
    dst = *field;
    return true;
  }
  if (object.is(ValueKind::Record)) {
    const Value *field = object.findField(name);
    if (!field)
      return fail(ctx, "record does not have an attribute named `" +
                           symbolName(ctx, name) + "`");
    dst = *field;
    return true;
  }
  return typeError(ctx, "one of [entity, record]", object);
}

bool hasAttr(EvalContext &ctx, Value &dst, const Value &object, Symbol name) {
  if (object.is(ValueKind::Entity)) {
    const EntityStore::Entity *entity = ctx.entities->find(object.asEntity());
    dst = Value::boolean(entity && entity->attributes.findField(name));
    return true;
  }
  if (object.is(ValueKind::Record)) {
    dst = Value::boolean(object.findField(name) != nullptr);
    return true;
  }
  return typeError(ctx, "one of [entity, record]", object);
}

bool getTag(EvalContext &ctx, Value &dst, const Value &object,
            const Value &key) {
  if (!object.is(ValueKind::Entity))
    return typeError(ctx, "entity", object);
  if (!key.is(ValueKind::String))
    return typeError(ctx, "string", key);
  const EntityUidData &uid = object.asEntity();
  const EntityStore::Entity *entity = ctx.entities->find(uid);
  if (!entity)
    return fail(ctx, "entity " + entityName(ctx, uid) + " does not exist");
  const Value *tag = EntityStore::findTag(*entity, key.asString());
  if (!tag)
    return fail(ctx, "entity " + entityName(ctx, uid) +
                         " does not have a tag named `" +
                         std::string(key.asString()) + "`");
  dst = *tag;
  return true;
}

bool hasTag(EvalContext &ctx, Value &dst, const Value &object,
            const Value &key) {
  if (!object.is(ValueKind::Entity))
    return typeError(ctx, "entity", object);
  if (!key.is(ValueKind::String))
    return typeError(ctx, "string", key);
  const EntityStore::Entity *entity = ctx.entities->find(object.asEntity());
  dst = Value::boolean(entity && EntityStore::findTag(*entity, key.asString()));
  return true;
}

bool equal(EvalContext &, Value &dst, const Value &a, const Value &b) {
  dst = Value::boolean(valuesEqual(a, b));
  return true;
}

bool notEqual(EvalContext &, Value &dst, const Value &a, const Value &b) {
  dst = Value::boolean(!valuesEqual(a, b));
  return true;
}

bool less(EvalContext &ctx, Value &dst, const Value &a, const Value &b) {
  int c = 0;
  if (!compareOrdered(ctx, a, b, c))
    return false;
  dst = Value::boolean(c < 0);
  return true;
}

bool lessEqual(EvalContext &ctx, Value &dst, const Value &a, const Value &b) {
  int c = 0;
  if (!compareOrdered(ctx, a, b, c))
    return false;
  dst = Value::boolean(c <= 0);
  return true;
}

bool greater(EvalContext &ctx, Value &dst, const Value &a, const Value &b) {
  int c = 0;
  if (!compareOrdered(ctx, a, b, c))
    return false;
  dst = Value::boolean(c > 0);
  return true;
}

bool greaterEqual(EvalContext &ctx, Value &dst, const Value &a,
                  const Value &b) {
  int c = 0;
  if (!compareOrdered(ctx, a, b, c))
    return false;
  dst = Value::boolean(c >= 0);
  return true;
}

bool add(EvalContext &ctx, Value &dst, const Value &a, const Value &b) {
  if (!checkLongs(ctx, a, b))
    return false;
  int64_t result;
  if (__builtin_add_overflow(a.asLong(), b.asLong(), &result))
    return overflow(ctx, "add", a.asLong(), b.asLong());
  dst = Value::integer(result);
  return true;
}

bool subtract(EvalContext &ctx, Value &dst, const Value &a, const Value &b) {
  if (!checkLongs(ctx, a, b))
    return false;
  int64_t result;
  if (__builtin_sub_overflow(a.asLong(), b.asLong(), &result))
    return overflow(ctx, "subtract", a.asLong(), b.asLong());
  dst = Value::integer(result);
  return true;
}

bool multiply(EvalContext &ctx, Value &dst, const Value &a, const Value &b) {
  if (!checkLongs(ctx, a, b))
    return false;
  int64_t result;
  if (__builtin_mul_overflow(a.asLong(), b.asLong(), &result))
    return overflow(ctx, "multiply", a.asLong(), b.asLong());
  dst = Value::integer(result);
  return true;
}

bool negate(EvalContext &ctx, Value &dst, const Value &a) {
  if (!a.is(ValueKind::Long))
    return typeError(ctx, "long", a);
  int64_t result;
  if (__builtin_sub_overflow(int64_t(0), a.asLong(), &result))
    return fail(ctx, "integer overflow while attempting to negate the value `" +
                         std::to_string(a.asLong()) + "`");
  dst = Value::integer(result);
  return true;
}

bool logicalNot(EvalContext &ctx, Value &dst, const Value &a) {
  if (!a.is(ValueKind::Bool))
    return typeError(ctx, "bool", a);
  dst = Value::boolean(!a.asBool());
  return true;
}

bool inEntities(EvalContext &ctx, Value &dst, const Value &a,
                std::span<const Value> elements) {
  if (!a.is(ValueKind::Entity))
    return typeError(ctx, "entity", a);
  // Like Cedar, every element must be an entity even if an earlier one
  // would match.
  for (const Value &element : elements)
    if (!element.is(ValueKind::Entity))
      return typeError(ctx, "entity", element);
  dst = Value::boolean(ctx.entities->inAny(a.asEntity(), elements));
  return true;
}

bool in(EvalContext &ctx, Value &dst, const Value &a, const Value &b) {
  if (!a.is(ValueKind::Entity))
    return typeError(ctx, "entity", a);
  if (b.is(ValueKind::Entity))
    return inEntities(ctx, dst, a, std::span<const Value>(&b, 1));
  if (b.is(ValueKind::Set))
    return inEntities(ctx, dst, a, b.asSet());
  return typeError(ctx, "one of [entity, set]", b);
}

bool contains(EvalContext &ctx, Value &dst, const Value &set,
              const Value &element) {
  if (!set.is(ValueKind::Set))
    return typeError(ctx, "set", set);
  dst = Value::boolean(setContains(set.asSet(), element));
  return true;
}

bool equalsAny(EvalContext &, Value &dst, const Value &element,
               std::span<const Value> elements) {
  bool found = false;
  for (const Value &candidate : elements)
    if (valuesEqual(candidate, element)) {
      found = true;
      break;
    }
  dst = Value::boolean(found);
  return true;
}

bool containsAll(EvalContext &ctx, Value &dst, const Value &set,
                 const Value &other) {
  if (!set.is(ValueKind::Set))
    return typeError(ctx, "set", set);
  if (!other.is(ValueKind::Set))
    return typeError(ctx, "set", other);
  // Both sides are sorted: one merge pass.
  std::span<const Value> haystack = set.asSet(), needles = other.asSet();
  size_t i = 0;
  bool all = true;
  for (const Value &needle : needles) {
    while (i < haystack.size() && compareValues(haystack[i], needle) < 0)
      ++i;
    if (i == haystack.size() || compareValues(haystack[i], needle) != 0) {
      all = false;
      break;
    }
  }
  dst = Value::boolean(all);
  return true;
}

bool containsAny(EvalContext &ctx, Value &dst, const Value &set,
                 const Value &other) {
  if (!set.is(ValueKind::Set))
    return typeError(ctx, "set", set);
  if (!other.is(ValueKind::Set))
    return typeError(ctx, "set", other);
  std::span<const Value> x = set.asSet(), y = other.asSet();
  size_t i = 0, j = 0;
  bool any = false;
  while (i < x.size() && j < y.size()) {
    int c = compareValues(x[i], y[j]);
    if (c == 0) {
      any = true;
      break;
    }
    if (c < 0)
      ++i;
    else
      ++j;
  }
  dst = Value::boolean(any);
  return true;
}

bool isEmpty(EvalContext &ctx, Value &dst, const Value &set) {
  if (!set.is(ValueKind::Set))
    return typeError(ctx, "set", set);
  dst = Value::boolean(set.asSet().empty());
  return true;
}

bool matchesPattern(std::string_view text, const CompiledPattern &pattern) {
  // Matching bytes is matching Unicode scalar values here: both sides are
  // valid UTF-8, which is self-synchronizing, so a literal piece can only
  // match at character boundaries. The pieces between wildcards are found
  // leftmost-first, which is optimal for `*`-only patterns.
  if (!pattern.hasWildcard)
    return text == pattern.exact;
  if (text.size() < pattern.prefix.size() + pattern.suffix.size() ||
      text.substr(0, pattern.prefix.size()) != pattern.prefix ||
      text.substr(text.size() - pattern.suffix.size()) != pattern.suffix)
    return false;
  size_t pos = pattern.prefix.size();
  size_t limit = text.size() - pattern.suffix.size();
  for (std::string_view piece : pattern.middles) {
    std::string_view window = text.substr(pos, limit - pos);
    size_t found = window.find(piece);
    if (found == std::string_view::npos)
      return false;
    pos += found + piece.size();
  }
  return true;
}

bool like(EvalContext &ctx, Value &dst, const Value &text,
          const CompiledPattern &pattern) {
  if (!text.is(ValueKind::String))
    return typeError(ctx, "string", text);
  dst = Value::boolean(matchesPattern(text.asString(), pattern));
  return true;
}

bool isType(EvalContext &ctx, Value &dst, const Value &entity, Symbol type) {
  if (!entity.is(ValueKind::Entity))
    return typeError(ctx, "entity", entity);
  dst = Value::boolean(entity.asEntity().type == type);
  return true;
}

bool makeSet(EvalContext &ctx, Value &dst, const Value *first, uint32_t count) {
  Value *elements = ctx.arena->allocateArray<Value>(count);
  std::copy(first, first + count, elements);
  std::sort(elements, elements + count, [](const Value &x, const Value &y) {
    return compareValues(x, y) < 0;
  });
  uint32_t unique = 0;
  for (uint32_t i = 0; i < count; ++i)
    if (unique == 0 || compareValues(elements[unique - 1], elements[i]) != 0)
      elements[unique++] = elements[i];
  dst = Value::set(elements, unique);
  return true;
}

bool makeRecord(EvalContext &ctx, Value &dst, const RecordShape &shape,
                const Value *first) {
  size_t count = shape.fields.size();
  RecordField *fields = ctx.arena->allocateArray<RecordField>(count);
  for (size_t i = 0; i < count; ++i) {
    fields[i].key = shape.fields[i].key;
    fields[i].reserved = 0;
    fields[i].value = first[shape.fields[i].position];
  }
  dst = Value::record(fields, static_cast<uint32_t>(count));
  return true;
}

bool toBool(EvalContext &ctx, const Value &value, bool &out) {
  if (!value.is(ValueKind::Bool))
    return typeError(ctx, "bool", value);
  out = value.asBool();
  return true;
}

} // namespace rune::ops
