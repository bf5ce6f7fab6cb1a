//===- JsonTest.cpp - The located JSON tree built on nlohmann-json --------===//

#include "rune/Runtime/Json.h"
#include "rune/Runtime/SourceDiagnostic.h"

#include <gtest/gtest.h>

#include <string>

namespace rune::test {
namespace {

/// "line:col" of a byte offset.
std::string at(std::string_view text, size_t offset) {
  SourcePosition position = positionOf(text, offset);
  return std::to_string(position.line) + ":" + std::to_string(position.column);
}

struct Parsed {
  bool ok;
  json::Node root;
  json::ParseError error;
};

Parsed parse(std::string_view text) {
  Parsed parsed;
  parsed.ok = json::parse(text, parsed.root, parsed.error);
  return parsed;
}

/// "line:col: message" of a failed parse.
std::string failure(std::string_view text) {
  Parsed parsed = parse(text);
  if (parsed.ok)
    return "(accepted)";
  return at(text, parsed.error.offset) + ": " + parsed.error.message;
}

TEST(JsonTest, ValuesAndKeysKnowWhereTheyStart) {
  const std::string text = "{\n"
                           "  \"a\" : 1,\n"
                           "  \"b\":[true , null,\"x\", -12.5e3, {}],\n"
                           "  \"c\":{\"d\":false}}";
  Parsed parsed = parse(text);
  ASSERT_TRUE(parsed.ok) << parsed.error.message;
  const json::Node &root = parsed.root;
  EXPECT_EQ(at(text, root.offset), "1:1");
  ASSERT_EQ(root.members.size(), 3u);
  EXPECT_EQ(at(text, root.members[0].keyOffset), "2:3");
  EXPECT_EQ(at(text, root.members[0].value.offset), "2:9");
  EXPECT_EQ(at(text, root.members[1].keyOffset), "3:3");
  const json::Node &array = root.members[1].value;
  EXPECT_EQ(at(text, array.offset), "3:7");
  ASSERT_EQ(array.elements.size(), 5u);
  EXPECT_EQ(at(text, array.elements[0].offset), "3:8");  // true
  EXPECT_EQ(at(text, array.elements[1].offset), "3:15"); // null
  EXPECT_EQ(at(text, array.elements[2].offset), "3:20"); // "x"
  EXPECT_EQ(at(text, array.elements[3].offset), "3:25"); // -12.5e3
  EXPECT_EQ(at(text, array.elements[4].offset), "3:34"); // {}
  const json::Node &c = root.members[2].value;
  EXPECT_EQ(at(text, root.members[2].keyOffset), "4:3");
  EXPECT_EQ(at(text, c.offset), "4:7");
  EXPECT_EQ(at(text, c.members[0].keyOffset), "4:8");
  EXPECT_EQ(at(text, c.members[0].value.offset), "4:12");
}

TEST(JsonTest, TheLexersLookaheadAfterNumbersIsAccountedFor) {
  // The lexer reads one byte past a number before reporting it; the
  // positions of what follows must not shift.
  std::string text = "[10,20 ,30]";
  Parsed parsed = parse(text);
  ASSERT_TRUE(parsed.ok);
  EXPECT_EQ(parsed.root.elements[0].offset, 1u);
  EXPECT_EQ(parsed.root.elements[1].offset, 4u);
  EXPECT_EQ(parsed.root.elements[2].offset, 8u);

  text = "{\"a\":1,\"b\":[2],\"c\":3}";
  parsed = parse(text);
  ASSERT_TRUE(parsed.ok);
  EXPECT_EQ(parsed.root.members[1].keyOffset, 7u);
  EXPECT_EQ(parsed.root.members[1].value.offset, 11u);
  EXPECT_EQ(parsed.root.members[1].value.elements[0].offset, 12u);
  EXPECT_EQ(parsed.root.members[2].keyOffset, 15u);
  EXPECT_EQ(parsed.root.members[2].value.offset, 19u);

  // A number that ends the input has no lookahead byte.
  parsed = parse("  -7");
  ASSERT_TRUE(parsed.ok);
  EXPECT_EQ(parsed.root.offset, 2u);
  EXPECT_EQ(parsed.root.integer, -7);

  // After `0` a digit is a new token, not part of the number.
  EXPECT_EQ(failure("[01]"), "1:3: expected ',' or ']' after an array element");
  EXPECT_EQ(failure("[1.5.2]"),
            "1:5: expected ',' or ']' after an array element");
}

TEST(JsonTest, NumbersKeepTheirLiteral) {
  Parsed parsed =
      parse("[9223372036854775807, -9223372036854775808, "
            "9223372036854775808, 1.50, 2E3, -0, 99999999999999999999]");
  ASSERT_TRUE(parsed.ok);
  const std::vector<json::Node> &n = parsed.root.elements;
  ASSERT_EQ(n.size(), 7u);
  EXPECT_TRUE(n[0].isInteger);
  EXPECT_EQ(n[0].integer, INT64_MAX);
  EXPECT_TRUE(n[1].isInteger);
  EXPECT_EQ(n[1].integer, INT64_MIN);
  EXPECT_FALSE(n[2].isInteger);
  EXPECT_EQ(n[2].text, "9223372036854775808");
  EXPECT_FALSE(n[3].isInteger);
  EXPECT_EQ(n[3].text, "1.50");
  EXPECT_EQ(n[4].text, "2E3");
  EXPECT_TRUE(n[5].isInteger);
  EXPECT_EQ(n[5].integer, 0);
  EXPECT_FALSE(n[6].isInteger);
  EXPECT_EQ(n[6].text, "99999999999999999999");
}

TEST(JsonTest, StringsAreDecoded) {
  Parsed parsed = parse(R"(["a\"\\\/\b\f\n\r\t", "\u00e9\ud83d\ude00", "é"])");
  ASSERT_TRUE(parsed.ok);
  EXPECT_EQ(parsed.root.elements[0].text, "a\"\\/\b\f\n\r\t");
  EXPECT_EQ(parsed.root.elements[1].text, "\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(parsed.root.elements[2].text, "\xC3\xA9");
}

TEST(JsonTest, ByteOrderMarkIsSkipped) {
  std::string text = "\xEF\xBB\xBF {\"a\": 1}";
  Parsed parsed = parse(text);
  ASSERT_TRUE(parsed.ok);
  EXPECT_EQ(parsed.root.offset, 4u);
  EXPECT_EQ(parsed.root.members[0].keyOffset, 5u);
  EXPECT_EQ(failure("\xEF\xBB\xBF[1,]"), "1:7: expected a value");
  EXPECT_EQ(failure("\xEF\xBBx"), "1:1: invalid byte order mark");
}

struct BadJson {
  std::string text;
  const char *expected; // "line:col: message"
};

TEST(JsonTest, SyntaxErrorsAreLocatedAndWorded) {
  using namespace std::string_literals;
  const BadJson cases[] = {
      {"", "1:1: unexpected end of input, expected a value"},
      {"  ", "1:3: unexpected end of input, expected a value"},
      {"[1, ", "1:5: unexpected end of input, expected a value"},
      {"[1", "1:3: expected ',' or ']' after an array element"},
      {"{\"a\"", "1:5: expected ':' after an object key"},
      {"[1 2]", "1:4: expected ',' or ']' after an array element"},
      {"[1:2]", "1:3: expected ',' or ']' after an array element"},
      {"[1}", "1:3: expected ',' or ']' after an array element"},
      {"[1,,2]", "1:4: expected a value"},
      {"[,1]", "1:2: expected a value"},
      {"{\"a\" 1}", "1:6: expected ':' after an object key"},
      {"{\"a\"::1}", "1:6: expected a value"},
      {"{,}", "1:2: expected a string as object key"},
      {"{1:2}", "1:2: expected a string as object key"},
      {"{\"a\":1,}", "1:8: expected a string as object key"},
      {"{\"a\":1 \"b\":2}", "1:8: expected ',' or '}' after an object member"},
      {"{\"a\":1]", "1:7: expected ',' or '}' after an object member"},
      {"[nul]", "1:2: expected a value"},
      {"[x]", "1:2: expected a value"},
      {"[]]", "1:3: unexpected text after the JSON value"},
      {"1 2", "1:3: unexpected text after the JSON value"},
      // nlohmann takes a NUL byte for the end of the input.
      {"[1]\0x"s, "1:4: unexpected text after the JSON value"},
      {"[1,\0]"s, "1:4: expected a value"},
      {"[-]", "1:2: invalid number"},
      {"[1.e5]", "1:2: invalid number (expected digits after `.`)"},
      {"[1e+]", "1:2: invalid number (expected exponent digits)"},
      {"[1e999]", "1:2: number `1e999` is out of range"},
      {"[\"abc", "1:2: unterminated string"},
      {"[\"a\\qb\"]", "1:4: invalid escape sequence in string"},
      {"{\"a\\x\":1}", "1:4: invalid escape sequence in string"},
      {"[\"a\\u12x4\"]", "1:4: invalid \\u escape (expected 4 hex digits)"},
      {"[\"\\ud800\\u0041\"]", "1:3: unpaired surrogate in \\u escape"},
      {"[\"\\udc00\"]", "1:3: unpaired surrogate in \\u escape"},
      {"[\"ok\\ud800\"]", "1:5: unpaired surrogate in \\u escape"},
      {"[\"a\tb\"]", "1:4: control character in string (must be escaped)"},
      {"[\"a\0b\"]"s, "1:4: control character in string (must be escaped)"},
      // Columns count bytes: é is two.
      {"[\"\xC3\xA9\xC3\x28\"]", "1:5: invalid UTF-8 in string"},
      {"[\"\xED\xA0\x80\"]", "1:3: invalid UTF-8 in string"},
      {"[\n  1,\n  ]", "3:3: expected a value"},
      {"{\"k\": 1,\n \"k\": 2}", "2:2: duplicate key `k`"},
  };
  for (const BadJson &c : cases)
    EXPECT_EQ(failure(c.text), c.expected) << c.text;
}

TEST(JsonTest, DuplicateKeysInLargeObjects) {
  std::string text = "{";
  for (int i = 0; i < 40; ++i)
    text += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ", ";
  size_t duplicate = text.size();
  text += "\"k3\": 0}";
  Parsed parsed = parse(text);
  ASSERT_FALSE(parsed.ok);
  EXPECT_EQ(parsed.error.offset, duplicate);
  EXPECT_EQ(parsed.error.message, "duplicate key `k3`");
  // The same keys in different objects are fine.
  EXPECT_TRUE(parse("[{\"a\": 1}, {\"a\": 2, \"b\": {\"a\": 3}}]").ok);
}

TEST(JsonTest, NestingIsBounded) {
  std::string deepest(json::kMaxDepth, '[');
  deepest += std::string(json::kMaxDepth, ']');
  EXPECT_TRUE(parse(deepest).ok);
  std::string tooDeep(json::kMaxDepth + 1, '[');
  tooDeep += std::string(json::kMaxDepth + 1, ']');
  EXPECT_EQ(failure(tooDeep), "1:" + std::to_string(json::kMaxDepth + 1) +
                                  ": nesting too deep (more than 256 levels)");
}

} // namespace
} // namespace rune::test
