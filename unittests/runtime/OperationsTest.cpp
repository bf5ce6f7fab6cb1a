//===- OperationsTest.cpp - Each instruction's semantics ------------------===//

#include "TestSupport.h"

#include "rune/Runtime/Operations.h"

#include <limits>

namespace rune::test {
namespace {

constexpr const char *kEntities = R"([
  {"uid": {"type": "User", "id": "alice"},
   "attrs": {"dept": "eng", "age": 30, "addr": {"city": "Paris"}},
   "parents": [{"type": "Group", "id": "staff"}],
   "tags": {"level": 3, "team": "core"}},
  {"uid": {"type": "Group", "id": "staff"}, "attrs": {},
   "parents": [{"type": "Group", "id": "all"}]},
  {"uid": {"type": "User", "id": "bob"}, "attrs": {}, "parents": []}
])";

class OperationsTest : public ::testing::Test {
protected:
  OperationsTest() : env(kEntities, R"({"ip": "10.0.0.1", "n": 5})") {}

  /// Runs a binary operation and expects success.
  template <typename Op> Value ok(Op op, const Value &a, const Value &b) {
    Value dst;
    EvalContext &ctx = env.context();
    EXPECT_TRUE(op(ctx, dst, a, b)) << ctx.error;
    return dst;
  }
  /// Runs a binary operation and returns its error message.
  template <typename Op>
  std::string err(Op op, const Value &a, const Value &b) {
    Value dst;
    EvalContext &ctx = env.context();
    EXPECT_FALSE(op(ctx, dst, a, b));
    return ctx.error;
  }
  bool isTrue(const Value &v) { return v.is(ValueKind::Bool) && v.asBool(); }
  bool isFalse(const Value &v) { return v.is(ValueKind::Bool) && !v.asBool(); }

  Environment env;
  Value alice = env.entity("User", "alice");
  Value bob = env.entity("User", "bob");
  Value nobody = env.entity("User", "nobody");
  Value staff = env.entity("Group", "staff");
  Value all = env.entity("Group", "all");
};

TEST_F(OperationsTest, LoadVar) {
  Value v;
  ASSERT_TRUE(ops::loadVar(env.context(), v, bc::Var::Principal));
  EXPECT_TRUE(valuesEqual(v, alice));
  ASSERT_TRUE(ops::loadVar(env.context(), v, bc::Var::Context));
  ASSERT_TRUE(v.is(ValueKind::Record));
  EXPECT_TRUE(valuesEqual(*v.findField(env.sym("n")), env.lng(5)));
  ASSERT_TRUE(ops::loadVar(env.context(), v, bc::Var::Action));
  EXPECT_EQ(env.show(v), "Action::\"view\"");
  ASSERT_TRUE(ops::loadVar(env.context(), v, bc::Var::Resource));
  EXPECT_EQ(env.show(v), "Photo::\"a.jpg\"");
}

TEST_F(OperationsTest, GetAttr) {
  auto get = [&](EvalContext &ctx, Value &dst, const Value &obj,
                 const Value &name) {
    return ops::getAttr(ctx, dst, obj, env.sym(name.asString()));
  };
  EXPECT_EQ(env.show(ok(get, alice, env.str("dept"))), "\"eng\"");
  EXPECT_EQ(env.show(ok(get, alice, env.str("addr"))), "{\"city\": \"Paris\"}");
  EXPECT_EQ(err(get, bob, env.str("dept")),
            "entity `User::\"bob\"` does not have an attribute named `dept`");
  EXPECT_EQ(err(get, nobody, env.str("dept")),
            "entity `User::\"nobody\"` does not exist");
  Value rec = env.record({{"x", env.lng(1)}});
  EXPECT_EQ(env.show(ok(get, rec, env.str("x"))), "1");
  EXPECT_EQ(err(get, rec, env.str("y")),
            "record does not have an attribute named `y`");
  EXPECT_EQ(err(get, env.lng(1), env.str("x")),
            "type error: expected one of [entity, record], got long");
}

TEST_F(OperationsTest, HasAttr) {
  auto has = [&](EvalContext &ctx, Value &dst, const Value &obj,
                 const Value &name) {
    return ops::hasAttr(ctx, dst, obj, env.sym(name.asString()));
  };
  EXPECT_TRUE(isTrue(ok(has, alice, env.str("dept"))));
  EXPECT_TRUE(isFalse(ok(has, bob, env.str("dept"))));
  // A missing entity has no attributes rather than being an error.
  EXPECT_TRUE(isFalse(ok(has, nobody, env.str("dept"))));
  EXPECT_TRUE(isTrue(ok(has, env.record({{"x", env.lng(1)}}), env.str("x"))));
  EXPECT_TRUE(isFalse(ok(has, env.record({}), env.str("x"))));
  EXPECT_EQ(err(has, env.str("s"), env.str("x")),
            "type error: expected one of [entity, record], got string");
}

TEST_F(OperationsTest, Tags) {
  EXPECT_EQ(env.show(ok(ops::getTag, alice, env.str("level"))), "3");
  EXPECT_EQ(env.show(ok(ops::getTag, alice, env.str("team"))), "\"core\"");
  EXPECT_EQ(err(ops::getTag, alice, env.str("nope")),
            "entity `User::\"alice\"` does not have a tag named `nope`");
  EXPECT_EQ(err(ops::getTag, nobody, env.str("level")),
            "entity `User::\"nobody\"` does not exist");
  EXPECT_EQ(err(ops::getTag, alice, env.lng(1)),
            "type error: expected string, got long");
  EXPECT_EQ(err(ops::getTag, env.record({}), env.str("k")),
            "type error: expected entity, got record");
  EXPECT_TRUE(isTrue(ok(ops::hasTag, alice, env.str("level"))));
  EXPECT_TRUE(isFalse(ok(ops::hasTag, alice, env.str("nope"))));
  EXPECT_TRUE(isFalse(ok(ops::hasTag, nobody, env.str("level"))));
  EXPECT_EQ(err(ops::hasTag, alice, env.boolean(true)),
            "type error: expected string, got bool");
}

TEST_F(OperationsTest, Equality) {
  EXPECT_TRUE(isTrue(ok(ops::equal, env.lng(1), env.lng(1))));
  EXPECT_TRUE(isFalse(ok(ops::equal, env.lng(1), env.str("1"))));
  EXPECT_TRUE(isTrue(ok(ops::notEqual, env.lng(1), env.str("1"))));
  EXPECT_TRUE(isTrue(ok(ops::equal, alice, env.entity("User", "alice"))));
  EXPECT_TRUE(isTrue(ok(ops::equal, env.set({env.lng(1), env.lng(2)}),
                        env.set({env.lng(2), env.lng(1), env.lng(1)}))));
}

TEST_F(OperationsTest, Comparisons) {
  EXPECT_TRUE(isTrue(ok(ops::less, env.lng(1), env.lng(2))));
  EXPECT_TRUE(isFalse(ok(ops::less, env.lng(2), env.lng(2))));
  EXPECT_TRUE(isTrue(ok(ops::lessEqual, env.lng(2), env.lng(2))));
  EXPECT_TRUE(isTrue(ok(ops::greater, env.lng(3), env.lng(2))));
  EXPECT_TRUE(isTrue(ok(ops::greaterEqual, env.lng(-3), env.lng(-3))));
  EXPECT_TRUE(isTrue(ok(ops::less, Value::datetime(1), Value::datetime(2))));
  EXPECT_TRUE(
      isTrue(ok(ops::greater, Value::duration(10), Value::duration(-2))));
  EXPECT_EQ(err(ops::less, env.lng(1), env.str("2")),
            "type error: expected long, got string");
  EXPECT_EQ(err(ops::less, Value::datetime(1), Value::duration(1)),
            "type error: expected datetime, got duration");
  EXPECT_EQ(err(ops::greater, env.str("a"), env.str("b")),
            "type error: expected one of [long, datetime, duration], got "
            "string");
  EXPECT_EQ(err(ops::less, Value::decimal(1), Value::decimal(2)),
            "type error: expected one of [long, datetime, duration], got "
            "decimal");
}

TEST_F(OperationsTest, Arithmetic) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(ok(ops::add, env.lng(2), env.lng(3)).asLong(), 5);
  EXPECT_EQ(ok(ops::subtract, env.lng(2), env.lng(3)).asLong(), -1);
  EXPECT_EQ(ok(ops::multiply, env.lng(-4), env.lng(3)).asLong(), -12);
  EXPECT_EQ(ok(ops::add, env.lng(kMax), env.lng(kMin)).asLong(), -1);
  EXPECT_EQ(err(ops::add, env.lng(kMax), env.lng(1)),
            "integer overflow while attempting to add the values "
            "`9223372036854775807` and `1`");
  EXPECT_EQ(err(ops::subtract, env.lng(kMin), env.lng(1)),
            "integer overflow while attempting to subtract the values "
            "`-9223372036854775808` and `1`");
  EXPECT_EQ(err(ops::multiply, env.lng(kMax), env.lng(2)),
            "integer overflow while attempting to multiply the values "
            "`9223372036854775807` and `2`");
  EXPECT_EQ(err(ops::add, env.str("1"), env.lng(1)),
            "type error: expected long, got string");
  EXPECT_EQ(err(ops::multiply, env.lng(1), env.boolean(true)),
            "type error: expected long, got bool");

  Value dst;
  ASSERT_TRUE(ops::negate(env.context(), dst, env.lng(5)));
  EXPECT_EQ(dst.asLong(), -5);
  EXPECT_FALSE(ops::negate(env.context(), dst, env.lng(kMin)));
  EXPECT_EQ(env.ctx.error, "integer overflow while attempting to negate the "
                           "value `-9223372036854775808`");
  EXPECT_FALSE(ops::negate(env.context(), dst, env.boolean(true)));
  EXPECT_EQ(env.ctx.error, "type error: expected long, got bool");
}

TEST_F(OperationsTest, DestinationMayAliasOperands) {
  Value registers[2] = {env.lng(40), env.lng(2)};
  ASSERT_TRUE(
      ops::add(env.context(), registers[0], registers[0], registers[1]));
  EXPECT_EQ(registers[0].asLong(), 42);
  Value rec[1] = {env.record({{"inner", env.record({{"x", env.lng(7)}})}})};
  ASSERT_TRUE(ops::getAttr(env.context(), rec[0], rec[0], env.sym("inner")));
  ASSERT_TRUE(ops::getAttr(env.context(), rec[0], rec[0], env.sym("x")));
  EXPECT_EQ(rec[0].asLong(), 7);
}

TEST_F(OperationsTest, Not) {
  Value dst;
  ASSERT_TRUE(ops::logicalNot(env.context(), dst, env.boolean(false)));
  EXPECT_TRUE(isTrue(dst));
  EXPECT_FALSE(ops::logicalNot(env.context(), dst, env.lng(0)));
  EXPECT_EQ(env.ctx.error, "type error: expected bool, got long");
}

TEST_F(OperationsTest, In) {
  EXPECT_TRUE(isTrue(ok(ops::in, alice, alice)));
  EXPECT_TRUE(isTrue(ok(ops::in, alice, staff)));
  EXPECT_TRUE(isTrue(ok(ops::in, alice, all))); // transitive
  EXPECT_TRUE(isTrue(ok(ops::in, staff, all)));
  EXPECT_TRUE(isFalse(ok(ops::in, all, staff)));
  EXPECT_TRUE(isFalse(ok(ops::in, bob, staff)));
  // An entity missing from the store is only `in` itself.
  EXPECT_TRUE(isTrue(ok(ops::in, nobody, nobody)));
  EXPECT_TRUE(isFalse(ok(ops::in, nobody, staff)));
  EXPECT_TRUE(isTrue(ok(ops::in, alice, env.set({bob, all}))));
  EXPECT_TRUE(isFalse(ok(ops::in, bob, env.set({staff, all}))));
  EXPECT_TRUE(isFalse(ok(ops::in, alice, env.set({}))));
  EXPECT_EQ(err(ops::in, alice, env.set({alice, env.lng(1)})),
            "type error: expected entity, got long");
  EXPECT_EQ(err(ops::in, env.str("x"), staff),
            "type error: expected entity, got string");
  EXPECT_EQ(err(ops::in, alice, env.str("x")),
            "type error: expected one of [entity, set], got string");
}

// What native code calls for `x in [A, B]` with entity constants: the
// elements as given, never built into a set, with the answers and errors of
// `in` on the set.
TEST_F(OperationsTest, InEntitiesAnswersLikeInOnTheSet) {
  auto inElements = [&](const Value &a, std::vector<Value> elements) {
    Value dst;
    EvalContext &ctx = env.context();
    ctx.failed = false;
    ctx.error.clear();
    if (!ops::inEntities(ctx, dst, a, elements))
      return "error: " + ctx.error;
    return std::string(isTrue(dst) ? "true" : "false");
  };
  std::vector<Value> candidates[] = {{},           {alice},  {bob, all},
                                     {staff, all}, {nobody}, {bob, bob, staff}};
  for (const Value &a : {alice, bob, nobody, staff, all})
    for (const std::vector<Value> &elements : candidates) {
      std::vector<Value> copy = elements;
      Value set = env.set(copy);
      std::string expected = isTrue(ok(ops::in, a, set)) ? "true" : "false";
      EXPECT_EQ(inElements(a, elements), expected)
          << env.show(a) << " in " << env.show(set);
    }
  // A member of a hierarchy without ancestors needs no lookup per element
  // but still finds itself among them.
  EXPECT_EQ(inElements(all, {bob, all}), "true");
  EXPECT_EQ(inElements(env.str("x"), {alice}),
            "error: type error: expected entity, got string");
  EXPECT_EQ(inElements(alice, {alice, env.lng(1)}),
            "error: type error: expected entity, got long");
}

// What native code calls for `[a, b].contains(x)`: equality with any element.
TEST_F(OperationsTest, EqualsAnyAnswersLikeContains) {
  std::vector<Value> elements = {env.str("JPEG"), env.str("PNG"), env.lng(1),
                                 alice};
  Value set = env.set(std::vector<Value>(elements));
  for (const Value &x : {env.str("PNG"), env.str("RAW"), env.lng(1), env.lng(2),
                         env.entity("User", "alice"), bob}) {
    Value dst;
    ASSERT_TRUE(ops::equalsAny(env.context(), dst, x, elements));
    EXPECT_EQ(isTrue(dst), isTrue(ok(ops::contains, set, x))) << env.show(x);
  }
  Value dst;
  ASSERT_TRUE(ops::equalsAny(env.context(), dst, alice, {}));
  EXPECT_TRUE(isFalse(dst));
}

TEST_F(OperationsTest, SetOperations) {
  Value s = env.set({env.lng(1), env.lng(2), env.str("x")});
  EXPECT_TRUE(isTrue(ok(ops::contains, s, env.str("x"))));
  EXPECT_TRUE(isFalse(ok(ops::contains, s, env.lng(3))));
  EXPECT_EQ(err(ops::contains, env.lng(1), env.lng(1)),
            "type error: expected set, got long");
  EXPECT_TRUE(
      isTrue(ok(ops::containsAll, s, env.set({env.lng(2), env.str("x")}))));
  EXPECT_TRUE(isTrue(ok(ops::containsAll, s, env.set({}))));
  EXPECT_TRUE(
      isFalse(ok(ops::containsAll, s, env.set({env.lng(2), env.lng(9)}))));
  EXPECT_TRUE(
      isTrue(ok(ops::containsAny, s, env.set({env.lng(9), env.lng(1)}))));
  EXPECT_TRUE(isFalse(ok(ops::containsAny, s, env.set({}))));
  EXPECT_TRUE(isFalse(ok(ops::containsAny, s, env.set({env.lng(9)}))));
  EXPECT_EQ(err(ops::containsAll, s, env.lng(1)),
            "type error: expected set, got long");
  EXPECT_EQ(err(ops::containsAny, env.record({}), s),
            "type error: expected set, got record");
  Value dst;
  ASSERT_TRUE(ops::isEmpty(env.context(), dst, env.set({})));
  EXPECT_TRUE(isTrue(dst));
  ASSERT_TRUE(ops::isEmpty(env.context(), dst, s));
  EXPECT_TRUE(isFalse(dst));
  EXPECT_FALSE(ops::isEmpty(env.context(), dst, env.str("")));
  EXPECT_EQ(env.ctx.error, "type error: expected set, got string");
}

CompiledPattern pattern(std::vector<std::string> pieces,
                        std::vector<std::string> &storage) {
  // pieces separated by wildcards; one piece = no wildcard.
  storage = pieces;
  CompiledPattern p;
  if (storage.size() == 1) {
    p.exact = storage[0];
    return p;
  }
  p.hasWildcard = true;
  p.prefix = storage.front();
  p.suffix = storage.back();
  for (size_t i = 1; i + 1 < storage.size(); ++i)
    if (!storage[i].empty())
      p.middles.push_back(storage[i]);
  return p;
}

TEST_F(OperationsTest, Like) {
  std::vector<std::string> storage;
  auto matches = [&](std::string_view text, std::vector<std::string> pieces) {
    return ops::matchesPattern(text, pattern(pieces, storage));
  };
  EXPECT_TRUE(matches("abc", {"abc"}));
  EXPECT_FALSE(matches("abcd", {"abc"}));
  EXPECT_TRUE(matches("abc", {"a", ""}));         // a*
  EXPECT_TRUE(matches("", {"", ""}));             // *
  EXPECT_TRUE(matches("xyz", {"", ""}));          // *
  EXPECT_TRUE(matches("abc", {"", "c"}));         // *c
  EXPECT_TRUE(matches("abcbc", {"a", "bc"}));     // a*bc
  EXPECT_TRUE(matches("aXbYc", {"a", "b", "c"})); // a*b*c
  EXPECT_FALSE(matches("acb", {"a", "b", "c"}));  // a*b*c
  EXPECT_FALSE(matches("ab", {"ab", "b"}));       // ab*b: overlap
  EXPECT_TRUE(matches("abb", {"ab", "b"}));
  EXPECT_TRUE(matches("a*b", {"a*b"})); // escaped star literal
  EXPECT_FALSE(matches("aXb", {"a*b"}));
  // Unicode scalar values: `*` spans multi-byte characters.
  EXPECT_TRUE(matches("caf\xC3\xA9!", {"caf", "!"}));
  EXPECT_TRUE(matches("\xF0\x9F\x98\x80", {"", "\xF0\x9F\x98\x80", ""}));

  Value dst;
  std::vector<std::string> s2;
  CompiledPattern p = pattern({"a", ""}, s2);
  ASSERT_TRUE(ops::like(env.context(), dst, env.str("abc"), p));
  EXPECT_TRUE(isTrue(dst));
  EXPECT_FALSE(ops::like(env.context(), dst, env.lng(1), p));
  EXPECT_EQ(env.ctx.error, "type error: expected string, got long");
}

TEST_F(OperationsTest, IsType) {
  Value dst;
  ASSERT_TRUE(ops::isType(env.context(), dst, alice, env.sym("User")));
  EXPECT_TRUE(isTrue(dst));
  ASSERT_TRUE(ops::isType(env.context(), dst, alice, env.sym("Group")));
  EXPECT_TRUE(isFalse(dst));
  EXPECT_FALSE(ops::isType(env.context(), dst, env.lng(1), env.sym("User")));
  EXPECT_EQ(env.ctx.error, "type error: expected entity, got long");
}

TEST_F(OperationsTest, MakeSetAndRecord) {
  Value registers[4] = {env.lng(2), env.lng(1), env.lng(2), Value()};
  ASSERT_TRUE(ops::makeSet(env.context(), registers[0], registers, 3));
  EXPECT_EQ(env.show(registers[0]), "[1, 2]");
  Value empty;
  ASSERT_TRUE(ops::makeSet(env.context(), empty, registers, 0));
  EXPECT_EQ(env.show(empty), "[]");

  RecordShape shape;
  shape.fields = {{env.sym("b"), 0}, {env.sym("a"), 1}};
  std::sort(shape.fields.begin(), shape.fields.end(),
            [](auto &x, auto &y) { return x.key < y.key; });
  Value values[2] = {env.lng(10), env.str("x")};
  Value rec;
  ASSERT_TRUE(ops::makeRecord(env.context(), rec, shape, values));
  EXPECT_TRUE(
      valuesEqual(rec, env.record({{"a", env.str("x")}, {"b", env.lng(10)}})));
}

TEST_F(OperationsTest, ToBool) {
  bool out = false;
  EXPECT_TRUE(ops::toBool(env.context(), env.boolean(true), out));
  EXPECT_TRUE(out);
  EXPECT_FALSE(ops::toBool(env.context(), env.set({}), out));
  EXPECT_EQ(env.ctx.error, "type error: expected bool, got set");
}

TEST_F(OperationsTest, FirstErrorIsKept) {
  EvalContext &ctx = env.context();
  Value dst;
  EXPECT_FALSE(ops::logicalNot(ctx, dst, env.lng(1)));
  EXPECT_FALSE(ops::negate(ctx, dst, env.str("x")));
  EXPECT_EQ(ctx.error, "type error: expected bool, got long");
}

} // namespace
} // namespace rune::test
