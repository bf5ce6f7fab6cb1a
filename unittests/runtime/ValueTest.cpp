//===- ValueTest.cpp - Values, equality, syntax helpers -------------------===//

#include "TestSupport.h"

#include "rune/Runtime/Arena.h"
#include "rune/Runtime/CedarSyntax.h"
#include "rune/Runtime/Utf8.h"
#include "rune/rune_native.h"

#include <type_traits>

namespace rune::test {
namespace {

TEST(ValueTest, LayoutMatchesNativeAbi) {
  static_assert(sizeof(Value) == sizeof(rune_value));
  static_assert(alignof(Value) == alignof(rune_value));
  static_assert(std::is_trivially_copyable_v<Value>);
  static_assert(std::is_standard_layout_v<Value>);
}

TEST(ValueTest, ScalarEquality) {
  Environment env;
  EXPECT_TRUE(valuesEqual(env.lng(3), env.lng(3)));
  EXPECT_FALSE(valuesEqual(env.lng(3), env.lng(4)));
  EXPECT_TRUE(valuesEqual(env.boolean(true), env.boolean(true)));
  EXPECT_TRUE(valuesEqual(env.str("a"), env.str("a")));
  EXPECT_FALSE(valuesEqual(env.str("a"), env.str("ab")));
  // Different kinds are unequal, never an error.
  EXPECT_FALSE(valuesEqual(env.lng(1), env.boolean(true)));
  EXPECT_FALSE(valuesEqual(env.lng(1), env.str("1")));
  EXPECT_FALSE(valuesEqual(Value::decimal(10000), env.lng(1)));
  EXPECT_FALSE(valuesEqual(Value::datetime(5), Value::duration(5)));
  EXPECT_TRUE(valuesEqual(Value::datetime(5), Value::datetime(5)));
}

TEST(ValueTest, EntityEqualityIsByUid) {
  Environment env;
  EXPECT_TRUE(valuesEqual(env.entity("User", "a"), env.entity("User", "a")));
  EXPECT_FALSE(valuesEqual(env.entity("User", "a"), env.entity("Group", "a")));
  EXPECT_FALSE(valuesEqual(env.entity("User", "a"), env.entity("User", "b")));
}

TEST(ValueTest, SetsAreCanonical) {
  Environment env;
  Value a = env.set({env.lng(3), env.lng(1), env.lng(2), env.lng(1)});
  Value b = env.set({env.lng(2), env.lng(3), env.lng(1)});
  EXPECT_EQ(a.asSet().size(), 3u);
  EXPECT_TRUE(valuesEqual(a, b));
  EXPECT_FALSE(valuesEqual(a, env.set({env.lng(1), env.lng(2)})));
  // Mixed kinds are fine and deduplicated structurally.
  Value mixed = env.set({env.str("x"), env.lng(1), env.str("x"),
                         env.set({env.lng(1)}), env.set({env.lng(1)})});
  EXPECT_EQ(mixed.asSet().size(), 3u);
  EXPECT_TRUE(valuesEqual(env.set({}), env.set({})));
}

TEST(ValueTest, RecordsCompareByKey) {
  Environment env;
  Value a = env.record({{"x", env.lng(1)}, {"y", env.str("s")}});
  Value b = env.record({{"y", env.str("s")}, {"x", env.lng(1)}});
  EXPECT_TRUE(valuesEqual(a, b));
  EXPECT_FALSE(valuesEqual(a, env.record({{"x", env.lng(1)}})));
  EXPECT_FALSE(
      valuesEqual(a, env.record({{"x", env.lng(2)}, {"y", env.str("s")}})));
  ASSERT_NE(a.findField(env.sym("y")), nullptr);
  EXPECT_TRUE(valuesEqual(*a.findField(env.sym("y")), env.str("s")));
  EXPECT_EQ(a.findField(env.sym("z")), nullptr);
}

TEST(ValueTest, DuplicateRecordKeysAreRejected) {
  Environment env;
  RecordField fields[] = {{env.sym("k"), 0, env.lng(1)},
                          {env.sym("k"), 0, env.lng(2)}};
  Value out;
  Symbol duplicate = 0;
  EXPECT_FALSE(makeRecord(env.scratch.arena, fields, 2, out, duplicate));
  EXPECT_EQ(duplicate, env.sym("k"));
}

TEST(ValueTest, TotalOrderIsConsistentWithEquality) {
  Environment env;
  std::vector<Value> values = {
      env.lng(-1),           env.lng(5),
      env.str(""),           env.str("b"),
      env.boolean(false),    env.entity("User", "a"),
      env.set({env.lng(1)}), env.record({{"a", env.lng(1)}}),
      Value::decimal(1),     Value::datetime(1),
      Value::duration(1)};
  for (const Value &a : values)
    for (const Value &b : values) {
      EXPECT_EQ(compareValues(a, b) == 0, valuesEqual(a, b));
      EXPECT_EQ(compareValues(a, b), -compareValues(b, a));
    }
}

TEST(ValueTest, Formatting) {
  Environment env;
  EXPECT_EQ(env.show(env.lng(-7)), "-7");
  EXPECT_EQ(env.show(env.str("a\"b")), "\"a\\\"b\"");
  EXPECT_EQ(env.show(env.entity("NS::User", "al\"ice")),
            "NS::User::\"al\\\"ice\"");
  EXPECT_EQ(env.show(env.set({env.lng(2), env.lng(1)})), "[1, 2]");
  EXPECT_EQ(env.show(env.record({{"k", env.boolean(true)}})), "{\"k\": true}");
  EXPECT_EQ(env.show(Value::decimal(12345)), "decimal(\"1.2345\")");
  EXPECT_EQ(env.show(Value::decimal(-5000)), "decimal(\"-0.5\")");
  EXPECT_EQ(env.show(Value::duration(-5)), "duration(\"-5ms\")");
  EXPECT_EQ(env.show(Value::datetime(0)), "datetime(\"1970-01-01T00:00:00Z\")");
  EXPECT_EQ(describeType(env.entity("User", "a"), env.engine->symbols()),
            "(entity of type `User`)");
  EXPECT_EQ(describeType(env.lng(1), env.engine->symbols()), "long");
}

TEST(ArenaTest, ResetKeepsMemoryAndMergesChunks) {
  Arena arena(256);
  for (int i = 0; i < 100; ++i)
    arena.allocate(100, 8);
  EXPECT_GE(arena.bytesUsed(), 10000u);
  arena.reset();
  EXPECT_EQ(arena.bytesUsed(), 0u);
  void *a = arena.allocate(16, 16);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 16, 0u);
  EXPECT_EQ(arena.copyString("hello"), "hello");
}

TEST(SymbolTableTest, InternsOnce) {
  SymbolTable table;
  Symbol a = table.intern("a");
  EXPECT_EQ(table.intern("a"), a);
  EXPECT_NE(table.intern("b"), a);
  EXPECT_EQ(table.name(a), "a");
  EXPECT_EQ(table.lookup("b"), table.intern("b"));
  EXPECT_FALSE(table.lookup("zzz"));
}

TEST(Utf8Test, Validation) {
  EXPECT_TRUE(utf8::isValid("plain"));
  EXPECT_TRUE(utf8::isValid("caf\xC3\xA9 \xF0\x9F\x98\x80"));
  EXPECT_FALSE(utf8::isValid("\xC3"));             // truncated
  EXPECT_FALSE(utf8::isValid("\xC0\xAF"));         // overlong
  EXPECT_FALSE(utf8::isValid("\xED\xA0\x80"));     // surrogate
  EXPECT_FALSE(utf8::isValid("\xF4\x90\x80\x80")); // > U+10FFFF
  EXPECT_FALSE(utf8::isValid("\xFF"));
  std::string out;
  utf8::append(out, 0x1F600);
  size_t pos = 0;
  EXPECT_EQ(utf8::decode(out, pos), 0x1F600u);
  EXPECT_EQ(pos, 4u);
}

TEST(CedarSyntaxTest, TypeNames) {
  EXPECT_TRUE(syntax::isTypeName("User"));
  EXPECT_TRUE(syntax::isTypeName("A::B::C_1"));
  EXPECT_FALSE(syntax::isTypeName(""));
  EXPECT_FALSE(syntax::isTypeName("A::"));
  EXPECT_FALSE(syntax::isTypeName("1A"));
  EXPECT_FALSE(syntax::isTypeName("A B"));
  EXPECT_FALSE(syntax::isTypeName("in"));
}

TEST(CedarSyntaxTest, ParsesEntityUids) {
  syntax::ParsedEntityUid uid;
  std::string error;
  ASSERT_TRUE(syntax::parseEntityUid("User::\"alice\"", uid, error)) << error;
  EXPECT_EQ(uid.type, "User");
  EXPECT_EQ(uid.id, "alice");
  ASSERT_TRUE(syntax::parseEntityUid(" A :: B::\"x\" ", uid, error)) << error;
  EXPECT_EQ(uid.type, "A::B");
  ASSERT_TRUE(syntax::parseEntityUid(R"(T::"q\"b\\n\n\t\r\0\'\u{1F600}\x41")",
                                     uid, error))
      << error;
  EXPECT_EQ(uid.id, std::string("q\"b\\n\n\t\r\0'\xF0\x9F\x98\x80"
                                "A",
                                15));
}

TEST(CedarSyntaxTest, RejectsBadEntityUids) {
  syntax::ParsedEntityUid uid;
  std::string error;
  for (const char *bad :
       {"", "User", "User::alice", "User:\"a\"", "\"a\"", "User::\"a",
        "User::\"a\" x", "User::\"\\q\"", "User::\"\\u{110000}\"",
        "User::\"\\u{}\"", "1User::\"a\"", "if::\"a\""}) {
    EXPECT_FALSE(syntax::parseEntityUid(bad, uid, error)) << bad;
    EXPECT_NE(error.find("invalid entity uid"), std::string::npos) << error;
  }
}

TEST(CedarSyntaxTest, QuotesLikeCedar) {
  EXPECT_EQ(syntax::quoteString("a\"b\\c\n'"), "\"a\\\"b\\\\c\\n\\'\"");
  EXPECT_EQ(syntax::quoteString(std::string("\x01", 1)), "\"\\u{1}\"");
  // Round trip through the uid parser.
  std::string id = "we\"ird\\\n\t\x02'";
  syntax::ParsedEntityUid uid;
  std::string error;
  ASSERT_TRUE(
      syntax::parseEntityUid(syntax::formatEntityUid("T", id), uid, error))
      << error;
  EXPECT_EQ(uid.id, id);
}

} // namespace
} // namespace rune::test
