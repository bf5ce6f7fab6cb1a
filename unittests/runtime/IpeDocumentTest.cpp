//===- IpeDocumentTest.cpp - The compact request document -----------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// doc::Builder (runtime/lib/Ipe/IpeDocument.h) fed by doc::parse, as
// Request::parse uses it: the shape of the document, duplicate
// member names, a document that still reads the same once moved, and
// simdjson's reading against the general reader's on texts at the edges of
// JSON.
//
//===----------------------------------------------------------------------===//

#include "IpeDocument.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <set>
#include <string>

namespace rune::test {
namespace {

using ipert::doc::Builder;
using ipert::doc::Kind;
using ipert::doc::Node;

/// A built document in its own 8-aligned block.
struct Document {
  std::unique_ptr<uint64_t[]> block;
  size_t size = 0;
  const Node *root = nullptr;
};

Document build(std::string_view text, std::string *error = nullptr) {
  Builder builder(text.size());
  json::ParseError parseError;
  Document document;
  if (!ipert::doc::parse(text, builder, parseError)) {
    if (error)
      *error = parseError.message;
    return document;
  }
  document.size = builder.size();
  document.block.reset(new uint64_t[(document.size + 7) / 8]);
  document.root = builder.write(document.block.get());
  return document;
}

TEST(IpeDocumentTest, ScalarsKeepTheirKindAndValue) {
  Document d = build(R"({"n": null, "t": true, "f": false, "i": -42,
                         "big": 18446744073709551615, "x": 1.50,
                         "s": "caf\u00e9", "e": ""})");
  ASSERT_TRUE(d.root);
  ASSERT_EQ(d.root->kind, Kind::Object);
  ASSERT_EQ(d.root->count, 8u);
  EXPECT_EQ(d.root->find("n")->kind, Kind::Null);
  EXPECT_EQ(d.root->find("t")->kind, Kind::Bool);
  EXPECT_TRUE(d.root->find("t")->boolean);
  EXPECT_FALSE(d.root->find("f")->boolean);
  EXPECT_EQ(d.root->find("i")->kind, Kind::Integer);
  EXPECT_EQ(d.root->find("i")->integer(), -42);
  // Beyond int64: a float, like a fraction.
  EXPECT_EQ(d.root->find("big")->kind, Kind::Float);
  EXPECT_EQ(d.root->find("big")->number(), 18446744073709551615.0);
  const Node *x = d.root->find("x");
  EXPECT_EQ(x->kind, Kind::Float);
  EXPECT_EQ(x->number(), 1.5);
  EXPECT_EQ(d.root->find("s")->text(), "caf\xC3\xA9");
  EXPECT_EQ(d.root->find("e")->kind, Kind::String);
  EXPECT_EQ(d.root->find("e")->text(), "");
  EXPECT_EQ(d.root->find("absent"), nullptr);
}

TEST(IpeDocumentTest, ContainersKeepTheirOrder) {
  Document d = build(R"({"b": [1, [2, 3], {"k": "v"}, []], "a": {},
                         "c": {"inner": {"deep": [true]}}})");
  ASSERT_TRUE(d.root);
  const ipert::doc::Member *members = d.root->members();
  ASSERT_EQ(d.root->count, 3u);
  EXPECT_EQ(members[0].key(), "b");
  EXPECT_EQ(members[1].key(), "a");
  EXPECT_EQ(members[2].key(), "c");

  const Node &array = members[0].value;
  ASSERT_EQ(array.kind, Kind::Array);
  ASSERT_EQ(array.count, 4u);
  EXPECT_EQ(array.elements()[0].integer(), 1);
  const Node &pair = array.elements()[1];
  ASSERT_EQ(pair.count, 2u);
  EXPECT_EQ(pair.elements()[0].integer(), 2);
  EXPECT_EQ(pair.elements()[1].integer(), 3);
  EXPECT_EQ(array.elements()[2].find("k")->text(), "v");
  EXPECT_EQ(array.elements()[3].kind, Kind::Array);
  EXPECT_EQ(array.elements()[3].count, 0u);

  EXPECT_EQ(members[1].value.kind, Kind::Object);
  EXPECT_EQ(members[1].value.count, 0u);
  const Node *deep = d.root->find("c")->find("inner")->find("deep");
  ASSERT_EQ(deep->count, 1u);
  EXPECT_TRUE(deep->elements()[0].boolean);
}

TEST(IpeDocumentTest, ChildrenAreAlignedForWordReads) {
  Document d = build(R"({"a": "x", "bb": ["yyy", {"c": 1}], "d": [1, 2]})");
  ASSERT_TRUE(d.root);
  auto aligned = [](const void *p) {
    return reinterpret_cast<uintptr_t>(p) % alignof(Node) == 0;
  };
  EXPECT_TRUE(aligned(d.root->members()));
  const Node *bb = d.root->find("bb");
  EXPECT_TRUE(aligned(bb->elements()));
  EXPECT_TRUE(aligned(bb->elements()[1].members()));
  EXPECT_TRUE(aligned(d.root->find("d")->elements()));
}

TEST(IpeDocumentTest, ReadsTheSameOnceMoved) {
  Document d = build(R"({"request": {"principal": {"team": "ads"}},
                         "approvals": [{"id": "u1"}, {"id": "u2"}]})");
  ASSERT_TRUE(d.root);
  // Distances, not pointers: a copy anywhere else is the same document.
  auto copy = std::make_unique<uint64_t[]>((d.size + 7) / 8 + 1);
  std::memcpy(copy.get() + 1, d.block.get(), d.size);
  d.block.reset();
  const auto *moved = reinterpret_cast<const Node *>(copy.get() + 1);
  EXPECT_EQ(moved->find("request")->find("principal")->find("team")->text(),
            "ads");
  const Node *approvals = moved->find("approvals");
  ASSERT_EQ(approvals->count, 2u);
  EXPECT_EQ(approvals->elements()[1].find("id")->text(), "u2");
}

TEST(IpeDocumentTest, DuplicateNamesAreRejectedInSmallAndLargeObjects) {
  std::string error;
  EXPECT_FALSE(build(R"({"a": 1, "b": 2, "a": 3})", &error).root);
  EXPECT_EQ(error, "duplicate key `a`");
  // Past the scan limit the names go into a set: still found.
  std::string large = "{";
  for (int i = 0; i < 40; ++i)
    large += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ", ";
  EXPECT_TRUE(build(large + "\"last\": 0}").root);
  EXPECT_FALSE(build(large + "\"k3\": 0}", &error).root);
  EXPECT_EQ(error, "duplicate key `k3`");
  // The same name in different objects is no duplicate.
  EXPECT_TRUE(
      build(R"({"a": {"a": {"a": 1}}, "b": [{"a": 1}, {"a": 2}]})").root);
}

TEST(IpeDocumentTest, AnyValueCanBeTheRoot) {
  Builder builder(0);
  builder.integer(7);
  EXPECT_EQ(builder.rootKind(), Kind::Integer);
  Document d = build("[\"only\"]");
  ASSERT_TRUE(d.root);
  EXPECT_EQ(d.root->kind, Kind::Array);
  EXPECT_EQ(d.root->elements()[0].text(), "only");
}

/// A document as text, every field of every node (not its bytes: a node
/// has padding).
void describe(const Node &node, std::string &out) {
  out += std::to_string(int(node.kind));
  switch (node.kind) {
  case Kind::Null:
    break;
  case Kind::Bool:
    out += node.boolean ? "t" : "f";
    break;
  case Kind::Integer:
    out += std::to_string(node.integer());
    break;
  case Kind::Float: {
    uint64_t bits;
    double value = node.number();
    std::memcpy(&bits, &value, sizeof bits);
    out += "<" + std::to_string(bits) + ">";
    break;
  }
  case Kind::String:
    out += "<" + std::string(node.text()) + ">";
    break;
  case Kind::Array:
    out += "[";
    for (const Node &element : ipert::doc::elementsOf(node))
      describe(element, out);
    out += "]";
    break;
  case Kind::Object:
    out += "{";
    for (uint32_t i = 0; i < node.count; ++i) {
      const ipert::doc::Member &member = node.members()[i];
      out += "<" + std::string(member.key()) + ">";
      describe(member.value, out);
    }
    out += "}";
    break;
  }
}

/// What one reader made of a text: the document, or the error.
struct Reading {
  bool ok = false;
  size_t size = 0;
  std::string document;
  size_t errorOffset = 0;
  std::string error;
};

template <typename Reader>
Reading readWith(std::string_view text, Reader read) {
  Builder builder(text.size());
  json::ParseError error;
  Reading reading;
  reading.ok = read(text, builder, error);
  if (!reading.ok) {
    reading.errorOffset = error.offset;
    reading.error = error.message;
    return reading;
  }
  std::unique_ptr<uint64_t[]> block(new uint64_t[(builder.size() + 7) / 8]);
  reading.size = builder.size();
  describe(*builder.write(block.get()), reading.document);
  return reading;
}

TEST(IpeDocumentTest, SimdjsonReadsAsTheGeneralReaderDoes) {
  // Each text through parse() (simdjson, then the general reader for what
  // it declines) and through the general reader alone: the same document
  // of the same size, or the same error at the same offset.
  std::string deep(json::kMaxDepth, '['), deeper(json::kMaxDepth + 1, '[');
  deep += std::string(json::kMaxDepth, ']');
  deeper += std::string(json::kMaxDepth + 1, ']');
  const std::string texts[] = {
      R"({"action": {"operation": "deploy"}, "approvals": [{"id": "u1",
          "role": "lead"}, {"id": "u2"}], "environment": "production",
          "n": [0, -1, 42, 9223372036854775807, -9223372036854775808]})",
      R"({"e": {}, "a": [], "aa": [[], [{}]], "t": true, "f": false,
          "z": null})",
      R"({"s": "tab\t nl\n quote\" slash\/ back\\ \u00e9 \ud83d\ude00"})",
      R"({"nul": "a\u0000b", "empty": ""})",
      "{\"raw\": \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}",
      R"({"zero": -0, "float": -0.0, "exp": 1e2, "frac": 1.50,
          "small": 1E-3})",
      R"({"big": 9223372036854775808, "huge": 18446744073709551616,
          "bigger": 123456789012345678901234567890, "inf": 1e400})",
      R"({"uint": 18446744073709551615, "subnormal": 5e-324,
          "precise": 0.1000000000000000055511151231257827})",
      " \t\r\n{ \"a\" : 1 } \n",
      "\xef\xbb\xbf{}",
      deep,
      deeper,
      R"({"a": 1, "b": 2, "a": 3})",
      R"({"a": {"b": 1, "b": 1}})",
      R"({"a": 1,})",
      R"([1, 2,])",
      R"({"a" 1})",
      R"({"a": "unterminated})",
      "{\"bad\": \"\xff\"}",
      "{\"over\": \"\xc0\xaf\"}",
      R"({"lone": "\ud800"})",
      R"({"esc": "\x"})",
      "{\"ctl\": \"a\x01b\"}",
      R"({"lead": 01})",
      R"({"plus": +1})",
      R"({"nan": NaN})",
      R"({"dot": 1.})",
      R"({"minus": -})",
      "{} x",
      "{}{}",
      "",
      " ",
      "nul",
      "tru",
      "[",
      "\"only a string\"",
      "12",
      std::string("{\"a\": 1}\0", 9),
  };
  // The texts simdjson reads itself: the valid ones without an integer
  // past uint64 or a float past double's range (which the general reader
  // reads as infinity), a duplicate name, nesting past the limit or a byte
  // order mark (which simdjson refuses and the general reader skips).
  const std::set<size_t> readBySimdjson = {0, 1, 2, 3, 4, 5, 7, 8, 10, 35, 36};
  for (size_t i = 0; i < std::size(texts); ++i) {
    const std::string &text = texts[i];
    SCOPED_TRACE(text.size() < 200 ? text : text.substr(0, 200));
    Builder builder(text.size());
    EXPECT_EQ(ipert::doc::parseFast(text, builder), readBySimdjson.count(i));
    Reading fast = readWith(text, ipert::doc::parse);
    Reading general = readWith(text, ipert::doc::parseGeneral);
    EXPECT_EQ(fast.ok, general.ok);
    EXPECT_EQ(fast.size, general.size);
    EXPECT_TRUE(fast.document == general.document)
        << fast.document.substr(0, 300) << "\n"
        << general.document.substr(0, 300);
    EXPECT_EQ(fast.error, general.error);
    EXPECT_EQ(fast.errorOffset, general.errorOffset);
  }
}

} // namespace
} // namespace rune::test
