//===- ValidatorTest.cpp - Tests of strict policy validation --------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "SchemaTestUtils.h"

using namespace rune;
using namespace rune::schema;
using namespace rune::schema::test;

namespace {

const char *const TestSchema = R"(
  entity Group;
  entity User in [Group] {
    name: String,
    age: Long,
    nickname?: String,
    manager?: User,
    address: { street: String, zip?: Long },
    groups: Set<Group>,
    score: decimal,
    born: datetime,
    session: duration,
  } tags String;
  entity Doc { owner: User, public: Bool, labels: Set<String>,
               meta?: { rev: Long } };
  entity Color enum ["red", "blue"];
  action view, edit appliesTo { principal: User, resource: Doc,
                                context: { ip: ipaddr, level?: Long } };
  action admin;
  action manage in [admin] appliesTo { principal: [User],
                                       resource: [Group, Doc] };
  action paint appliesTo { principal: User, resource: Color };
)";

class ValidatorTest : public SchemaTest {
protected:
  void expectValid(llvm::StringRef policies) {
    EXPECT_TRUE(validate(TestSchema, policies)) << policies.str() << "\n"
                                                << output;
    EXPECT_FALSE(hasDiagnostic("error:")) << output;
  }

  void expectInvalid(llvm::StringRef policies, llvm::StringRef message) {
    EXPECT_FALSE(validate(TestSchema, policies)) << policies.str();
    EXPECT_TRUE(hasDiagnostic(message))
        << policies.str() << "\nexpected: " << message.str() << "\ngot:\n"
        << output;
  }

  /// `condition` as the `when` clause of a policy for the view action,
  /// whose requests have a User principal and a Doc resource.
  static std::string viewPolicy(llvm::StringRef condition) {
    return ("permit(principal, action == Action::\"view\", resource) when { " +
            condition + " };")
        .str();
  }

  void expectValidCondition(llvm::StringRef condition) {
    expectValid(viewPolicy(condition));
  }
  void expectInvalidCondition(llvm::StringRef condition,
                              llvm::StringRef message) {
    expectInvalid(viewPolicy(condition), message);
  }
  /// Valid, but false for every request: Cedar only warns.
  void expectImpossibleCondition(llvm::StringRef condition) {
    expectValid(viewPolicy(condition));
    EXPECT_TRUE(hasDiagnostic("warning: policy 'policy0' is impossible"))
        << condition.str() << "\n"
        << output;
  }
};

TEST_F(ValidatorTest, PrimitiveOperators) {
  expectValidCondition("principal.name == \"a\" && principal.age + 1 > 3");
  expectValidCondition("-principal.age * 2 - 1 <= 0 && principal.age != 7");
  expectValidCondition("principal.name like \"a*\" && !resource.public");
  expectInvalidCondition("principal.age + \"a\" > 0",
                         "unexpected type: expected Long but found String");
  expectInvalidCondition("principal.name < 3",
                         "unexpected type: expected Long but found String");
  expectInvalidCondition("principal.age like \"1\"",
                         "expected String but found Long");
  expectInvalidCondition("!principal.age", "expected Bool but found Long");
  expectInvalidCondition("principal.name && true",
                         "expected Bool but found String");
  expectInvalidCondition("if principal.age then true else false",
                         "expected Bool but found Long");
}

TEST_F(ValidatorTest, StrictEquality) {
  expectValidCondition("principal == resource.owner");
  expectInvalidCondition("principal.age == \"a\"",
                         "'==' compares values of incompatible types: Long "
                         "and String");
  expectInvalidCondition("{a: 1} == {a: 1, b: 2}",
                         "records must have the same attributes");
  expectInvalidCondition("principal.address == {street: \"s\", zip: 1}",
                         "an attribute is required in one record and "
                         "optional in the other");
  // Equality between literals is decided, so its operand types do not
  // matter; equality between unrelated entity types is always false.
  expectImpossibleCondition("1 == \"a\"");
  expectImpossibleCondition("principal == resource");
}

TEST_F(ValidatorTest, Sets) {
  expectValidCondition("resource.labels.contains(\"x\") && [1, 2].containsAll("
                       "[1]) && principal.groups.isEmpty()");
  expectValidCondition("[principal, resource.owner].contains(principal)");
  expectInvalidCondition("[1, \"a\"].contains(1)",
                         "the elements of a set literal have incompatible "
                         "types: Long, String");
  expectInvalidCondition("[principal, resource].contains(principal)",
                         "entities of different types cannot be mixed");
  expectInvalidCondition("[1, 2].contains(\"a\")",
                         "'contains' looks for a value whose type is "
                         "incompatible with the set's elements");
  expectInvalidCondition("[1].containsAny([\"a\"])",
                         "the sets compared have incompatible element types: "
                         "Set<Long> and Set<String>");
  expectInvalidCondition("[].isEmpty()", "empty set literals are not allowed");
  expectInvalidCondition("principal.age.contains(1)",
                         "expected a set but found Long");
}

TEST_F(ValidatorTest, Conditionals) {
  expectValidCondition("(if resource.public then principal.age else 0) > 1");
  expectInvalidCondition("(if resource.public then 1 else \"a\") == 1",
                         "the branches of 'if' have incompatible types: Long, "
                         "String");
}

TEST_F(ValidatorTest, OptionalAttributes) {
  expectInvalidCondition("principal.nickname == \"x\"",
                         "attribute 'nickname' of User is optional; test for "
                         "it with `has`");
  expectValidCondition("principal has nickname && principal.nickname == \"x\"");
  expectValidCondition(
      "if principal has nickname then principal.nickname == \"x\" else false");
  expectInvalidCondition(
      "principal has nickname || principal.nickname == \"x\"",
      "attribute 'nickname' of User is optional");
  expectValidCondition("(principal has nickname || false) && "
                       "principal.nickname == \"\"");
  expectValidCondition("principal has manager && principal.manager has "
                       "nickname && principal.manager.nickname == \"x\"");
  expectValidCondition("principal has manager.nickname && "
                       "principal.manager.nickname == \"x\"");
  expectValidCondition("principal.address.street == \"s\"");
  expectInvalidCondition("principal.address.zip > 1",
                         "attribute 'zip' of {street: String, zip?: Long} is "
                         "optional");
  expectValidCondition(
      "principal.address has zip && principal.address.zip > 1");
  expectValidCondition("resource has meta.rev && resource.meta.rev > 1");
  expectValidCondition("context has level && context.level > 1");
  expectInvalidCondition("context.level > 1", "attribute 'level' of {ip: "
                                              "ipaddr, level?: Long} is "
                                              "optional");
}

TEST_F(ValidatorTest, MissingAttributes) {
  expectInvalidCondition("principal.nam == \"a\"",
                         "attribute 'nam' does not exist on User; did you "
                         "mean 'name'?");
  expectInvalidCondition("principal.age.x", "expected an entity or a record "
                                            "but found Long");
  expectInvalidCondition("1 has x",
                         "expected an entity or a record but found Long");
  // `has` on an attribute a closed record lacks is always false.
  expectImpossibleCondition("{a: 1} has b");
  expectValidCondition("{a: 1} has a");
}

TEST_F(ValidatorTest, ShortCircuiting) {
  // Unreachable operands are not checked, as in Cedar.
  expectImpossibleCondition("false && principal.age + \"a\" == 1");
  expectValidCondition("true || principal.age + \"a\" == 1");
  expectValidCondition("if false then principal.age + \"a\" == 1 else true");
  expectInvalidCondition(
      "if principal.age > 1 then principal.age + \"a\" == 1 else true",
      "expected Long but found String");
}

TEST_F(ValidatorTest, HierarchyAndTypeTests) {
  expectValidCondition("principal in Group::\"g\" && principal in "
                       "resource.owner && principal in principal.groups");
  expectInvalidCondition("principal in 1", "expected a set of entities or an "
                                           "entity but found Long");
  expectInvalidCondition("1 in principal", "expected an entity but found Long");
  // A Doc can never be in a Group.
  expectImpossibleCondition("resource in Group::\"g\"");
  expectValidCondition("principal is User && principal is User in "
                       "Group::\"g\"");
  expectImpossibleCondition("resource is User");
  expectInvalidCondition("1 is User", "expected an entity but found Long");
  expectInvalidCondition("principal is Usr",
                         "unrecognized entity type 'Usr'; did you mean "
                         "'User'?");
}

TEST_F(ValidatorTest, Actions) {
  expectValid("permit(principal, action in [Action::\"view\", "
              "Action::\"edit\"], resource) when { action == "
              "Action::\"view\" };");
  expectValid("permit(principal, action in Action::\"admin\", resource);");
  expectImpossibleCondition("action in Action::\"admin\"");
  expectInvalidCondition("action == Action::\"nope\"",
                         "unrecognized action Action::\"nope\"");
  expectInvalid("permit(principal, action == Action::\"nope\", resource);",
                "unrecognized action Action::\"nope\"");
}

TEST_F(ValidatorTest, ApplicableActions) {
  expectInvalid("permit(principal, action == Action::\"paint\", resource is "
                "Doc);",
                "unable to find an applicable action given the policy scope "
                "constraints");
  expectInvalid("permit(principal, action == Action::\"admin\", resource);",
                "unable to find an applicable action");
  expectInvalid("permit(principal == Group::\"g\", action == "
                "Action::\"view\", resource);",
                "note: did you mean 'principal in'?");
  expectValid("permit(principal in Group::\"g\", action == Action::\"view\", "
              "resource is Doc);");
}

TEST_F(ValidatorTest, ExtensionFunctions) {
  expectValidCondition("context.ip.isInRange(ip(\"10.0.0.0/8\")) && "
                       "principal.score.lessThan(decimal(\"1.5\"))");
  expectValidCondition("principal.born < datetime(\"2024-01-01\") && "
                       "principal.session.toSeconds() > 3 && "
                       "principal.born.offset(duration(\"1h\")) > "
                       "principal.born");
  expectInvalidCondition("principal.score < decimal(\"1.0\")",
                         "expected Long, datetime or duration but found "
                         "decimal");
  expectInvalidCondition("principal.born < duration(\"1h\")",
                         "expected datetime but found duration");
  expectInvalidCondition("decimal(\"1.23456\").lessThan(principal.score)",
                         "invalid argument to 'decimal'");
  expectInvalidCondition("ip(principal.name).isIpv4()",
                         "'ip' must be applied to a string literal under "
                         "strict validation");
  expectInvalidCondition("ip(\"1.2.3.4\").lessThan(decimal(\"1.0\"))",
                         "expected decimal but found ipaddr");
  // Invalid literals are only errors where they are reachable.
  expectImpossibleCondition("false && ip(\"nope\").isIpv4()");
}

TEST_F(ValidatorTest, Tags) {
  expectValidCondition("principal.hasTag(\"t\") && principal.getTag(\"t\") "
                       "== \"v\"");
  expectInvalidCondition("principal.getTag(\"t\") == \"v\"",
                         "cannot guarantee that User has this tag; test for "
                         "it with `hasTag`");
  expectInvalidCondition(
      "principal.hasTag(\"t\") && principal.getTag(\"t\") == 1",
      "'==' compares values of incompatible types: String and Long");
  expectInvalidCondition("principal.hasTag(principal.age)",
                         "expected String but found Long");
  // Docs have no tags, so the guard is always false.
  expectImpossibleCondition(
      "resource.hasTag(\"t\") && resource.getTag(\"t\") == 1");
}

TEST_F(ValidatorTest, EnumeratedEntities) {
  expectValid("permit(principal, action == Action::\"paint\", resource == "
              "Color::\"red\");");
  expectInvalid("permit(principal, action, resource) when { resource == "
                "Color::\"green\" };",
                "invalid entity Color::\"green\": 'Color' is an enumerated "
                "entity type whose ids are \"red\", \"blue\"");
}

TEST_F(ValidatorTest, Templates) {
  expectValid("permit(principal == ?principal, action == Action::\"view\", "
              "resource in ?resource) when { resource.public };");
  expectInvalid("permit(principal in ?principal, action, resource) when { "
                "principal.nickname == \"\" };",
                "attribute 'nickname' of User is optional");
}

TEST_F(ValidatorTest, UnknownEntityTypes) {
  expectInvalid("permit(principal == Usr::\"a\", action, resource);",
                "unrecognized entity type 'Usr'; did you mean 'User'?");
  expectInvalidCondition("Foo::\"x\" == principal",
                         "unrecognized entity type 'Foo'");
  // Unknown types are reported even in unreachable code.
  expectInvalidCondition("false && Foo::\"x\" == principal",
                         "unrecognized entity type 'Foo'");
}

TEST_F(ValidatorTest, ImpossiblePoliciesOnlyWarn) {
  expectValid("permit(principal, action, resource) when { false };");
  EXPECT_TRUE(hasDiagnostic("policy.cedar:1:1: warning: policy 'policy0' is "
                            "impossible: its condition is false for every "
                            "request the schema allows"))
      << output;
}

TEST_F(ValidatorTest, DiagnosticsNameThePolicy) {
  EXPECT_FALSE(validate(TestSchema,
                        "@id(\"p1\")\npermit(principal, action, resource)\n"
                        "when { principal.nickname == \"x\" };"));
  EXPECT_TRUE(hasDiagnostic(
      "policy.cedar:3:18: error: policy 'p1': attribute 'nickname' of User "
      "is optional; test for it with `has` before accessing it\n"
      "when { principal.nickname == \"x\" };\n"
      "                 ^~~~~~~~\n"))
      << output;
  // The error is reported once although both view and edit requests (and
  // manage requests on Docs) have it.
  EXPECT_EQ(llvm::StringRef(output).count("error:"), 1u) << output;
}

TEST_F(ValidatorTest, NamespacedSchemas) {
  const char *schema = R"(
    namespace App {
      entity User { dept: String };
      action read appliesTo { principal: User, resource: User };
    })";
  EXPECT_TRUE(validate(schema, "permit(principal is App::User, action == "
                               "App::Action::\"read\", resource) when { "
                               "principal.dept == resource.dept };"))
      << output;
  EXPECT_FALSE(validate(schema, "permit(principal, action == "
                                "Action::\"read\", resource);"));
  EXPECT_TRUE(hasDiagnostic("unrecognized action Action::\"read\"; did you "
                            "mean App::Action::\"read\"?"))
      << output;
}

TEST_F(ValidatorTest, ToleratesPoliciesSemaWouldReject) {
  std::optional<Schema> schema = parseCedar(TestSchema);
  ASSERT_TRUE(schema);
  unsigned bufferId = addBuffer(
      "permit(principal, action, resource) when { foo(1) && "
      "principal.bar(1, 2) && ?principal == principal && decimal(1, 2) && "
      "principal.isEmpty(1) && {a: 1, a: 2}.a == 1 };",
      "policy.cedar");
  std::optional<cedar::PolicySet> policySet =
      cedar::parsePolicySet(bufferId, diags);
  ASSERT_TRUE(policySet) << output;
  EXPECT_FALSE(cedar::validatePolicySet(*policySet, *schema, diags));
  EXPECT_TRUE(hasDiagnostic("unknown extension function 'foo'")) << output;
  EXPECT_TRUE(hasDiagnostic("unknown method 'bar'")) << output;
  EXPECT_TRUE(hasDiagnostic("'decimal' takes 1 argument(s), got 2")) << output;
  EXPECT_TRUE(hasDiagnostic("'isEmpty' takes 0 arguments, got 1")) << output;
}

TEST_F(ValidatorTest, DeepExpressionsDoNotExhaustTheStack) {
  // As deep as the parser allows; the validator checks such policies on a
  // thread with a large stack, whatever the caller's.
  std::string chain = "principal.age > 0";
  for (int i = 0; i != 1990; ++i)
    chain += " && principal.age > " + std::to_string(i);
  std::optional<Schema> schema = parseCedar(TestSchema);
  ASSERT_TRUE(schema);
  std::optional<cedar::PolicySet> policySet = cedar::parsePolicySet(
      addBuffer(viewPolicy(chain), "policy.cedar"), diags);
  ASSERT_TRUE(policySet) << output.substr(0, 500);
  EXPECT_TRUE(cedar::validatePolicySet(*policySet, *schema, diags))
      << output.substr(0, 500);
}

TEST_F(ValidatorTest, JsonSchemasValidateTheSame) {
  std::optional<Schema> schema = parseJson(R"({"": {
    "entityTypes": { "User": { "shape": { "type": "Record", "attributes": {
      "nick": { "type": "String", "required": false } } } } },
    "actions": { "view": { "appliesTo": { "principalTypes": ["User"],
                                          "resourceTypes": ["User"] } } } }})");
  ASSERT_TRUE(schema) << output;
  unsigned bufferId = addBuffer(
      "permit(principal, action, resource) when { principal.nick == \"\" };",
      "policy.cedar");
  std::optional<cedar::PolicySet> policySet =
      cedar::parsePolicySet(bufferId, diags);
  ASSERT_TRUE(policySet);
  EXPECT_FALSE(cedar::validatePolicySet(*policySet, *schema, diags));
  EXPECT_TRUE(hasDiagnostic("attribute 'nick' of User is optional"));
}

} // namespace
