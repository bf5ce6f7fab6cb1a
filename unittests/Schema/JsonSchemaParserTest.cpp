//===- JsonSchemaParserTest.cpp - Tests of the JSON schema format ---------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "SchemaTestUtils.h"

using namespace rune;
using namespace rune::schema;
using namespace rune::schema::test;

namespace {

class JsonSchemaParserTest : public SchemaTest {
protected:
  std::string jsonSummary(llvm::StringRef text) {
    std::optional<Schema> schema = parseJson(text);
    if (!schema)
      return "<error: " + output + ">";
    std::string summary;
    llvm::raw_string_ostream os(summary);
    printSchemaSummary(os, *schema);
    return summary;
  }

  void expectError(llvm::StringRef text, llvm::StringRef message) {
    EXPECT_FALSE(parseJson(text).has_value()) << text.str();
    EXPECT_TRUE(hasDiagnostic(message))
        << text.str() << "\nexpected: " << message.str() << "\ngot:\n"
        << output;
  }
};

TEST_F(JsonSchemaParserTest, PhotoFlash) {
  EXPECT_EQ(jsonSummary(R"({
    "PhotoFlash": {
      "commonTypes": {
        "Ctx": { "type": "Record", "attributes": {
          "authenticated": { "type": "Boolean" },
          "ip": { "type": "Extension", "name": "ipaddr", "required": false } } }
      },
      "entityTypes": {
        "User": { "memberOfTypes": ["UserGroup"], "shape": { "type": "Record",
          "attributes": { "department": { "type": "String" },
                          "jobLevel": { "type": "Long" } } } },
        "UserGroup": {},
        "Photo": { "memberOfTypes": ["Album"], "shape": { "type": "Record",
          "attributes": { "owner": { "type": "Entity", "name": "User" },
                          "tags": { "type": "Set",
                                    "element": { "type": "String" } } } },
          "tags": { "type": "String" } },
        "Album": {}
      },
      "actions": {
        "view": { "appliesTo": { "principalTypes": ["User"],
                                 "resourceTypes": ["Photo"],
                                 "context": { "type": "Ctx" } } },
        "read": { "appliesTo": { "principalTypes": [], "resourceTypes": [] } },
        "list": { "memberOf": [{ "id": "read" }],
                  "appliesTo": { "principalTypes": ["User"],
                                 "resourceTypes": ["Album"] } }
      }
    }
  })"),
            "type PhotoFlash::Ctx = {authenticated: Bool, ip?: ipaddr};\n"
            "entity PhotoFlash::User in [PhotoFlash::UserGroup] {department: "
            "String, jobLevel: Long};\n"
            "entity PhotoFlash::UserGroup {}; // descendants: "
            "PhotoFlash::User\n"
            "entity PhotoFlash::Photo in [PhotoFlash::Album] {owner: "
            "PhotoFlash::User, tags: Set<String>} tags String;\n"
            "entity PhotoFlash::Album {}; // descendants: PhotoFlash::Photo\n"
            "action PhotoFlash::Action::\"view\" appliesTo { principal: "
            "[PhotoFlash::User], resource: [PhotoFlash::Photo], context: "
            "{authenticated: Bool, ip?: ipaddr} };\n"
            "action PhotoFlash::Action::\"read\"; // descendants: "
            "PhotoFlash::Action::\"list\"\n"
            "action PhotoFlash::Action::\"list\" in "
            "[PhotoFlash::Action::\"read\"] appliesTo { principal: "
            "[PhotoFlash::User], resource: [PhotoFlash::Album], context: {} "
            "};\n");
}

TEST_F(JsonSchemaParserTest, TypeKinds) {
  EXPECT_EQ(jsonSummary(R"({"": {
    "commonTypes": { "N": { "type": "Long" } },
    "entityTypes": {
      "E": { "shape": { "type": "Record", "additionalAttributes": true,
                        "attributes": {
        "a": { "type": "EntityOrCommon", "name": "N" },
        "b": { "type": "EntityOrCommon", "name": "E" },
        "c": { "type": "N" },
        "d": { "type": "Bool" },
        "e": { "type": "Extension", "name": "duration" },
        "f": { "type": "Record", "attributes": {} },
        "g": { "type": "String", "annotations": { "doc": "g" } } } } }
    },
    "actions": {}
  }})"),
            "type N = Long;\n"
            "entity E {a: Long, b: E, c: Long, d: Bool, e: duration, f: {}, "
            "g: String, ...};\n");
}

TEST_F(JsonSchemaParserTest, EnumsAndCrossNamespaceReferences) {
  EXPECT_EQ(jsonSummary(R"({
    "A": { "entityTypes": { "Color": { "enum": ["red", "green"] } },
           "actions": { "g": {} } },
    "B": { "entityTypes": { "Item": { "shape": { "type": "Record",
             "attributes": { "c": { "type": "Entity", "name": "A::Color" } } } } },
           "actions": { "a": { "memberOf": [{ "id": "g", "type": "A::Action" }] } } }
  })"),
            "entity A::Color enum [\"red\", \"green\"];\n"
            "entity B::Item {c: A::Color};\n"
            "action A::Action::\"g\"; // descendants: B::Action::\"a\"\n"
            "action B::Action::\"a\" in [A::Action::\"g\"];\n");
}

TEST_F(JsonSchemaParserTest, SyntaxErrors) {
  expectError("{\"\": ", "schema.json:1:6: error: invalid JSON:");
  expectError("{\"\": {\"entityTypes\": {}, \"actions\": {},}}",
              "1:40: error: invalid JSON:");
  expectError(R"({"": {"entityTypes": {}, "entityTypes": {}, "actions": {}}})",
              "1:26: error: duplicate key \"entityTypes\" in object");
  expectError("[]", "1:1: error: expected an object for the schema, found an "
                    "array");
  std::string deep = std::string(300, '[') + std::string(300, ']');
  expectError(deep, "JSON document is nested too deeply");
}

TEST_F(JsonSchemaParserTest, StructureErrors) {
  expectError(R"({"": {"actions": {}}})",
              "1:6: error: missing field \"entityTypes\" in the empty "
              "namespace");
  expectError(R"({"N": {"entityTypes": {}, "actions": {}, "extra": 1}})",
              "1:42: error: unknown field \"extra\" in namespace \"N\"");
  expectError(R"({"": {"entityTypes": {"A": {"shape": {}}}, "actions": {}}})",
              "missing field \"type\" in the shape of entity type \"A\"");
  expectError(R"({"": {"entityTypes": {"A": {"shape": {"type": "Record",
      "attributes": {"x": {"type": "Long", "bogus": 1}}}}}, "actions": {}}})",
              "unknown field \"bogus\" in a type of kind \"Long\"");
  expectError(R"({"": {"entityTypes": {"A": {"enum": ["a"], "shape":
      {"type": "Record"}}}, "actions": {}}})",
              "unexpected field \"shape\" in enumerated entity type \"A\"");
  expectError(R"({"": {"entityTypes": {"A": {"shape": {"type": "Set"}}},
      "actions": {}}})",
              "missing field \"element\" in a set type");
  expectError(R"({"": {"entityTypes": {"A": {"shape": {"type": "Entity"}}},
      "actions": {}}})",
              "missing field \"name\" in a type of kind \"Entity\"");
  expectError(R"({"": {"entityTypes": {"A": {"memberOfTypes": "B"}},
      "actions": {}}})",
              "expected an array for \"memberOfTypes\", found a string");
  expectError(R"({"": {"entityTypes": {}, "actions": {"a": {"appliesTo":
      {"principalTypes": []}}}}})",
              "missing field \"resourceTypes\" in \"appliesTo\" of action "
              "\"a\"");
  expectError(R"({"": {"entityTypes": {}, "actions": {"a": {"memberOf":
      [{"type": "Action"}]}}}})",
              "missing field \"id\" in an action reference");
  expectError(R"({"": {"entityTypes": {}, "actions": {"a": {"attributes":
      {"x": 1}}}}})",
              "action attributes are not supported");
  expectError(R"({"": {"entityTypes": {}, "actions": {}, "annotations":
      {"doc": "x"}}})",
              "annotations are not allowed on the empty namespace");
}

TEST_F(JsonSchemaParserTest, ResolutionErrors) {
  expectError(R"({"": {"entityTypes": {"A": {"shape": {"type": "Record",
      "attributes": {"x": {"type": "Extension", "name": "money"}}}}},
      "actions": {}}})",
              "unknown extension type 'money'");
  expectError(R"({"": {"entityTypes": {"A": {"shape": {"type": "Long"}}},
      "actions": {}}})",
              "the shape of entity type 'A' must be a record type");
  expectError(R"({"": {"entityTypes": {"A": {"shape": {"type": "Record",
      "attributes": {"x": {"type": "Missing"}}}}}, "actions": {}}})",
              "unknown type 'Missing': 'Missing' has not been declared as a "
              "common type");
  expectError(R"({"": {"entityTypes": {"A": {}}, "actions": {"a":
      {"appliesTo": {"principalTypes": ["B"], "resourceTypes": ["A"]}}}}})",
              "unknown type 'B'");
  expectError(R"({"in": {"entityTypes": {}, "actions": {}}})",
              "'in' is a reserved word and cannot be used as a namespace "
              "name");
  expectError(R"({"A:: B": {"entityTypes": {}, "actions": {}}})",
              "invalid namespace name ' B'");
  expectError(R"({"": {"entityTypes": {"a b": {}}, "actions": {}}})",
              "invalid entity type name 'a b'");
}

TEST_F(JsonSchemaParserTest, ErrorsPointAtKeysAndValues) {
  parseJson("{\"\": {\"entityTypes\": {\"A\": {\"shape\":\n"
            "  {\"type\": \"Record\", \"attributes\": {\"x\": {\"type\": "
            "\"Nope\"}}}}},\n"
            "  \"actions\": {}}}");
  EXPECT_EQ(output,
            "schema.json:2:51: error: unknown type 'Nope': 'Nope' "
            "has not been declared as a common type\n"
            "  {\"type\": \"Record\", \"attributes\": {\"x\": "
            "{\"type\": \"Nope\"}}}}},\n"
            "                                                  ^~~~~~\n");
}

} // namespace
