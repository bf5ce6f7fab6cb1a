//===- CedarSchemaParserTest.cpp - Tests of the Cedar schema format -------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "SchemaTestUtils.h"

using namespace rune;
using namespace rune::schema;
using namespace rune::schema::test;

namespace {

class CedarSchemaParserTest : public SchemaTest {
protected:
  /// Expects `text` to be rejected with a diagnostic containing `message`.
  void expectError(llvm::StringRef text, llvm::StringRef message) {
    EXPECT_FALSE(parseCedar(text).has_value()) << text.str();
    EXPECT_TRUE(hasDiagnostic(message))
        << text.str() << "\nexpected: " << message.str() << "\ngot:\n"
        << output;
  }

  /// Expects `text` to parse and print as `expected`.
  void expectSummary(llvm::StringRef text, llvm::StringRef expected) {
    EXPECT_EQ(summary(text), expected.str()) << text.str();
  }
};

TEST_F(CedarSchemaParserTest, EntityTypes) {
  expectSummary("entity A;", "entity A {};\n");
  expectSummary("entity A, B;", "entity A {};\nentity B {};\n");
  expectSummary("entity G; entity U in G { name: String, age?: Long };",
                "entity G {}; // descendants: U\n"
                "entity U in [G] {age?: Long, name: String};\n");
  // `=` before the attributes is optional, trailing commas are allowed and
  // attribute names may be strings.
  expectSummary(R"(entity U = { "full name": String, ok: Bool, };)",
                "entity U {\"full name\": String, ok: Bool};\n");
  expectSummary("entity G; entity U in [G, U] tags Set<String>;",
                "entity G {}; // descendants: U\n"
                "entity U in [G, U] {} tags Set<String>; // descendants: U\n");
}

TEST_F(CedarSchemaParserTest, TransitiveMembership) {
  expectSummary("entity A; entity B in A; entity C in B;",
                "entity A {}; // descendants: B, C\n"
                "entity B in [A] {}; // descendants: C\n"
                "entity C in [B] {};\n");
}

TEST_F(CedarSchemaParserTest, EnumeratedEntityTypes) {
  expectSummary(R"(entity Color enum ["red", "blue"];)",
                "entity Color enum [\"red\", \"blue\"];\n");
  std::optional<Schema> schema = parseCedar(R"(entity C enum ["a\u{1F600}"];)");
  ASSERT_TRUE(schema) << output;
  EXPECT_EQ(schema->getEntityTypes()[0].enumIds->at(0), "a\xF0\x9F\x98\x80");
}

TEST_F(CedarSchemaParserTest, Types) {
  expectSummary("entity E { a: Set<Set<Long>>, b: { c?: { d: Bool } }, "
                "c: ipaddr, d: decimal, e: datetime, f: duration, g: E };",
                "entity E {a: Set<Set<Long>>, b: {c?: {d: Bool}}, c: ipaddr, "
                "d: decimal, e: datetime, f: duration, g: E};\n");
  expectSummary("entity E { a: __cedar::String, b: __cedar::ipaddr };",
                "entity E {a: String, b: ipaddr};\n");
}

TEST_F(CedarSchemaParserTest, CommonTypes) {
  // An entity's attributes are a record, not a common type.
  expectError("type P = { name: String }; entity U = P;",
              "1:38: error: expected '{'");
  expectSummary("type Name = String; type Person = { name: Name };"
                "entity U { p: Person, n: Set<Name> };",
                "type Name = String;\n"
                "type Person = {name: String};\n"
                "entity U {n: Set<String>, p: {name: String}};\n");
  // Common types may be declared after their use.
  expectSummary("entity U { p: P }; type P = Long;",
                "type P = Long;\nentity U {p: Long};\n");
}

TEST_F(CedarSchemaParserTest, Namespaces) {
  expectSummary("namespace App { entity User in Group; entity Group; "
                "action view appliesTo { principal: User, resource: Group }; }",
                "entity App::User in [App::Group] {};\n"
                "entity App::Group {}; // descendants: App::User\n"
                "action App::Action::\"view\" appliesTo { principal: "
                "[App::User], resource: [App::Group], context: {} };\n");
  // Unqualified names resolve in the namespace, then the empty namespace;
  // qualified names as written.
  expectSummary("entity Top; namespace A::B { entity E { t: Top, e: E, q: "
                "A::B::E }; } namespace C { entity F { e: A::B::E }; }",
                "entity Top {};\n"
                "entity A::B::E {e: A::B::E, q: A::B::E, t: Top};\n"
                "entity C::F {e: A::B::E};\n");
}

TEST_F(CedarSchemaParserTest, CommonTypesWinOverEntityTypes) {
  std::optional<Schema> schema =
      parseCedar("entity T; type T = Long; entity U { a: T };");
  ASSERT_TRUE(schema) << output;
  EXPECT_TRUE(hasDiagnostic("warning: common type 'T' shadows the entity "
                            "type"));
  EXPECT_EQ(summary("entity T; type T = Long; entity U { a: T };"),
            "type T = Long;\nentity T {};\nentity U {a: Long};\n");
  // A declaration in the namespace wins over one in the empty namespace,
  // whatever their kinds.
  EXPECT_EQ(summary("type X = Long; namespace N { entity Y { x: X }; }"),
            "type X = Long;\nentity N::Y {x: Long};\n");
}

TEST_F(CedarSchemaParserTest, BuiltinNamesCanBeShadowed) {
  // An entity type named String hides the builtin alias; __cedar::String
  // still names the primitive type.
  expectSummary("entity String; entity E { a: String, b: __cedar::String };",
                "entity String {};\nentity E {a: String, b: String};\n");
  std::optional<Schema> schema =
      parseCedar("entity String; entity E { a: String };");
  ASSERT_TRUE(schema);
  const RecordType &shape = schema->findEntityType("E")->shape;
  EXPECT_EQ(shape.attributes.at("a").type.getKind(), Type::Kind::Entity);
}

TEST_F(CedarSchemaParserTest, Actions) {
  expectSummary(
      R"(entity U; entity R;
         action "read", write appliesTo { principal: [U], resource: R,
                                         context: { ip: ipaddr } };
         action group;
         action edit in [group, "read"] appliesTo { resource: [R],
                                                     principal: U, };)",
      "entity U {};\n"
      "entity R {};\n"
      "action Action::\"read\" appliesTo { principal: [U], resource: [R], "
      "context: {ip: ipaddr} }; // descendants: Action::\"edit\"\n"
      "action Action::\"write\" appliesTo { principal: [U], resource: [R], "
      "context: {ip: ipaddr} };\n"
      "action Action::\"group\"; // descendants: Action::\"edit\"\n"
      "action Action::\"edit\" in [Action::\"group\", Action::\"read\"] "
      "appliesTo { principal: [U], resource: [R], context: {} };\n");
}

TEST_F(CedarSchemaParserTest, ActionsAcrossNamespaces) {
  expectSummary(R"(namespace A { action g; }
                   namespace B { action a in [A::Action::"g", Action::"b"];
                                 action b; })",
                "action A::Action::\"g\"; // descendants: B::Action::\"a\"\n"
                "action B::Action::\"a\" in [A::Action::\"g\", "
                "B::Action::\"b\"];\n"
                "action B::Action::\"b\"; // descendants: B::Action::\"a\"\n");
}

TEST_F(CedarSchemaParserTest, ContextAsCommonType) {
  expectSummary("entity U; type Ctx = { a: Long }; action x appliesTo { "
                "principal: U, resource: U, context: Ctx };",
                "type Ctx = {a: Long};\n"
                "entity U {};\n"
                "action Action::\"x\" appliesTo { principal: [U], resource: "
                "[U], context: {a: Long} };\n");
  expectError("entity U; type Ctx = Long; action x appliesTo { principal: U, "
              "resource: U, context: Ctx };",
              "error: the context of action Action::\"x\" must be a record "
              "type");
  expectError("entity U; action x appliesTo { principal: U, resource: U, "
              "context: U };",
              "unknown type 'U': 'U' has not been declared as a common type");
}

TEST_F(CedarSchemaParserTest, AnnotationsAndComments) {
  expectSummary(R"(// A comment.
                   @doc("the app") namespace App {
                     @doc("a user") @internal
                     entity User { @doc("name") name: String }; // trailing
                     @doc("view") action view appliesTo {
                       principal: User, resource: User };
                     @doc("t") type T = Long;
                   })",
                "type App::T = Long;\n"
                "entity App::User {name: String};\n"
                "action App::Action::\"view\" appliesTo { principal: "
                "[App::User], resource: [App::User], context: {} };\n");
  expectSummary("action a attributes {};", "action Action::\"a\";\n");
}

TEST_F(CedarSchemaParserTest, KeywordsAsIdentifiers) {
  expectSummary("entity namespace { entity: Long, in_: Bool, Set: String };",
                "entity namespace {Set: String, entity: Long, in_: Bool};\n");
}

TEST_F(CedarSchemaParserTest, SyntaxErrors) {
  expectError("entity A", "schema.cedarschema:1:9: error: expected ';' after "
                          "declaration");
  expectError("entity A {", "1:11: error: unexpected end of input");
  expectError("entity { a: Long };",
              "1:8: error: unexpected token '{'; expected identifier");
  expectError("entity A { a: Long", "1:19: error: unexpected end of input");
  expectError("entity A { a Long };", "1:14: error: unexpected token 'Long'");
  expectError("entity A { \"a: Long };", "error: unterminated string literal");
  expectError("entity A; $", "1:11: error: invalid character '$'");
  expectError("namespace N { namespace M {} }", "unexpected token 'namespace'");
  expectError("entity E enum [];", "1:16: error: expected string literal");
  expectError("entity A { a: Set<Long };", "1:23: error: expected '>'");
  // Only the first syntax error is reported.
  parseCedar("entity A { a Long }; entity B");
  EXPECT_EQ(llvm::StringRef(output).count("error:"), 1u) << output;
}

TEST_F(CedarSchemaParserTest, LexicalErrors) {
  expectError("entity in;", "1:8: error: 'in' is a reserved word and cannot "
                            "be used as an identifier");
  expectError("entity A { true: Long };", "'true' is a reserved word");
  expectError(R"(entity A { "\q": Long };)",
              "1:13: error: invalid escape sequence '\\q'");
  expectError(R"(@doc("a") @doc("b") entity A;)",
              "1:11: error: duplicate annotation '@doc'");
  expectError("entity A \xff;", "1:10: error: invalid UTF-8 in schema");
  std::string deep =
      "type T = " + std::string(300, '{') + std::string(300, '}') + ";";
  expectError(deep, "schema is nested too deeply");
}

TEST_F(CedarSchemaParserTest, AppliesToErrors) {
  expectError("entity U; action a appliesTo { resource: U };",
              "1:18: error: 'appliesTo' of action 'a' must declare "
              "'principal'");
  expectError("entity U; action a appliesTo { principal: U };",
              "must declare 'resource'");
  expectError("entity U; action a appliesTo { principal: [], resource: U };",
              "'principal' of action 'a' must list at least one entity type");
  expectError("entity U; action a appliesTo { principal: U, principal: U, "
              "resource: U };",
              "error: 'principal' is declared twice for action 'a'");
  expectError("entity U; action a appliesTo { principal: U, resource: U, "
              "context: {}, context: {} };",
              "'context' is declared twice for action 'a'");
  expectError("action a; action b appliesTo { principal: Action, resource: "
              "Action };",
              "'Action' is not a declared entity type and cannot be a "
              "principal or resource type");
}

TEST_F(CedarSchemaParserTest, ResolutionErrors) {
  expectError("entity A { b: B };",
              "1:15: error: unknown type 'B': 'B' has not been declared as a "
              "common or entity type");
  expectError("namespace N { entity A in [B]; }",
              "unknown type 'B': neither 'N::B' nor 'B' has been declared as "
              "an entity type");
  expectError("type T = Long; entity A in [T];",
              "'T' has not been declared as an entity type");
  expectError("action a in [b];", "1:14: error: undeclared action "
                                  "Action::\"b\" in 'memberOf'");
  expectError("entity A { a: Foo::Bar };", "unknown type 'Foo::Bar'");
}

TEST_F(CedarSchemaParserTest, DeclarationErrors) {
  expectError("entity A; entity A;",
              "1:18: error: entity type 'A' is declared twice in the same "
              "namespace");
  expectError("type T = Long; type T = String;",
              "common type 'T' is declared twice");
  expectError("action a; action \"a\";", "action 'a' is declared twice");
  expectError("namespace N {} namespace N {}",
              "namespace 'N' is declared twice");
  expectError("entity A { a: Long, a: String };",
              "attribute 'a' is declared twice");
  expectError("type Long = String;",
              "'Long' is reserved and cannot be the name of a common type");
  expectError("type Record = String;", "'Record' is reserved");
  expectError("namespace __cedar { entity A; }", "'__cedar' is reserved");
  expectError("entity __cedar;", "'__cedar' is reserved");
}

TEST_F(CedarSchemaParserTest, ShadowingTheEmptyNamespace) {
  expectError("entity User; namespace App { entity User; }",
              "'App::User' shadows the declaration of 'User' in the empty "
              "namespace");
  expectError("type T = Long; namespace App { entity T; }",
              "'App::T' shadows the declaration of 'T'");
  expectError("action view; namespace App { action view; }",
              "action App::Action::\"view\" shadows the declaration of "
              "Action::\"view\"");
  // Shadowing within the empty namespace is allowed (with a warning).
  EXPECT_TRUE(parseCedar("entity T; type T = Long;").has_value()) << output;
}

TEST_F(CedarSchemaParserTest, Cycles) {
  expectError("type A = { b: B }; type B = Set<A>;",
              "is defined in terms of itself");
  expectError("type A = A;", "common type 'A' is defined in terms of itself");
  expectError("action a in b; action b in c; action c in a;",
              "is transitively a member of itself");
  // Entity type hierarchies may be cyclic.
  EXPECT_TRUE(parseCedar("entity A in B; entity B in A;").has_value())
      << output;
}

TEST_F(CedarSchemaParserTest, DeepTypesAreRejected) {
  // Chains of common types can nest types beyond what the syntax allows:
  // declared outermost first they make resolution recurse, declared
  // innermost first they build deep types; both are bounded.
  std::string forward, backward;
  for (int i = 0; i != 2000; ++i) {
    forward += "type T" + std::to_string(i) + " = Set<T" +
               std::to_string(i + 1) + ">;\n";
    backward += "type U" + std::to_string(i + 1) + " = Set<U" +
                std::to_string(i) + ">;\n";
  }
  expectError(forward + "type T2000 = Long;",
              "are defined in terms of each other more than 500 levels deep");
  expectError("type U0 = Long;\n" + backward,
              "type is nested more than 500 levels deep");
  std::string ok = "type V0 = Long;";
  for (int i = 0; i != 400; ++i)
    ok += "type V" + std::to_string(i + 1) + " = Set<V" + std::to_string(i) +
          ">;";
  EXPECT_TRUE(parseCedar(ok).has_value()) << output.substr(0, 300);
}

TEST_F(CedarSchemaParserTest, ErrorsPointAtTheirSource) {
  parseCedar("entity A;\nentity B { x: Missing };\n");
  EXPECT_EQ(output, "schema.cedarschema:2:15: error: unknown type 'Missing': "
                    "'Missing' has not been declared as a common or entity "
                    "type\n"
                    "entity B { x: Missing };\n"
                    "              ^~~~~~~\n");
}

TEST_F(CedarSchemaParserTest, FormatChoiceByExtension) {
  EXPECT_EQ(getSchemaFormatForPath("a/b.json"), SchemaFormat::Json);
  EXPECT_EQ(getSchemaFormatForPath("a/b.JSON"), SchemaFormat::Json);
  EXPECT_EQ(getSchemaFormatForPath("a/b.cedarschema"), SchemaFormat::Cedar);
  EXPECT_EQ(getSchemaFormatForPath("schema"), SchemaFormat::Cedar);
  unsigned json =
      addBuffer(R"({"": {"entityTypes": {"A": {}}, "actions": {}}})", "s.json");
  std::optional<Schema> fromJson = parseSchema(json, diags);
  ASSERT_TRUE(fromJson) << output;
  EXPECT_NE(fromJson->findEntityType("A"), nullptr);
  unsigned cedar = addBuffer("entity B;", "s.cedarschema");
  std::optional<Schema> fromCedar = parseSchema(cedar, diags);
  ASSERT_TRUE(fromCedar) << output;
  EXPECT_NE(fromCedar->findEntityType("B"), nullptr);
  EXPECT_FALSE(parseSchemaFile("/nonexistent/schema.cedarschema", diags));
  EXPECT_TRUE(hasDiagnostic("error: cannot read schema "
                            "'/nonexistent/schema.cedarschema'"));
}

TEST_F(CedarSchemaParserTest, SchemaQueries) {
  std::optional<Schema> schema = parseCedar(
      "namespace N { entity G; entity U in G; action all; "
      "action view in all appliesTo { principal: U, resource: G }; }");
  ASSERT_TRUE(schema) << output;
  EXPECT_NE(schema->findEntityType("N::U"), nullptr);
  EXPECT_EQ(schema->findEntityType("U"), nullptr);
  EXPECT_EQ(schema->findEntityType("N::Action"), nullptr);
  EXPECT_EQ(schema->getDescendantTypes("N::G"), std::set<std::string>{"N::U"});
  EXPECT_TRUE(schema->getDescendantTypes("Unknown").empty());
  EntityUid all{"N::Action", "all"}, view{"N::Action", "view"};
  ASSERT_NE(schema->findAction(view), nullptr);
  EXPECT_EQ(schema->findAction(view)->principalTypes,
            std::vector<std::string>{"N::U"});
  EXPECT_EQ(schema->getDescendantActions(all), std::set<EntityUid>{view});
  EXPECT_TRUE(Schema::isActionTypeName("Action"));
  EXPECT_TRUE(Schema::isActionTypeName("A::B::Action"));
  EXPECT_FALSE(Schema::isActionTypeName("Actions"));
  EXPECT_EQ(view.str(), "N::Action::\"view\"");
  EXPECT_EQ((EntityUid{"A", "a\"b\n"}.str()), "A::\"a\\\"b\\n\"");
}

} // namespace
