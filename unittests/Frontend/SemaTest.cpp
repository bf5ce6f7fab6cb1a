//===- SemaTest.cpp - Tests of the Cedar semantic checks ------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "CedarTestUtils.h"

using namespace rune;
using namespace rune::cedar;
using namespace rune::cedar::test;

namespace {

class SemaTest : public CedarTest {
protected:
  /// Parses and checks `source`, expecting it to parse but fail Sema with
  /// a diagnostic containing `message`.
  void expectError(llvm::StringRef sourceRef, llvm::StringRef messageRef) {
    std::string source = sourceRef.str(), message = messageRef.str();
    output.clear();
    ASSERT_TRUE(parse(source)) << source << "\n" << output;
    EXPECT_FALSE(checkPolicySet(*policySet, diags)) << source;
    EXPECT_TRUE(hasDiagnostic(message))
        << source << "\nexpected: " << message << "\ngot:\n"
        << output;
  }

  /// Expects the condition `expr` to fail Sema with `message`.
  void expectExprError(llvm::StringRef expr, llvm::StringRef message) {
    expectError(
        ("permit(principal, action, resource) when { " + expr + " };").str(),
        message);
  }

  /// Expects the condition `expr` to pass Sema with a warning containing
  /// `message`: Cedar reports these problems when it evaluates the policy.
  void expectExprWarning(llvm::StringRef expr, llvm::StringRef messageRef) {
    std::string source =
        ("permit(principal, action, resource) when { " + expr + " };").str();
    std::string message = messageRef.str();
    output.clear();
    ASSERT_TRUE(parse(source)) << source << "\n" << output;
    EXPECT_TRUE(checkPolicySet(*policySet, diags)) << source << "\n" << output;
    EXPECT_TRUE(hasDiagnostic(message))
        << source << "\nexpected: " << message << "\ngot:\n"
        << output;
    EXPECT_TRUE(hasDiagnostic("evaluating it raises an error")) << output;
  }

  void expectValid(llvm::StringRef sourceRef) {
    std::string source = sourceRef.str();
    output.clear();
    ASSERT_TRUE(parse(source)) << source << "\n" << output;
    EXPECT_TRUE(checkPolicySet(*policySet, diags)) << source << "\n" << output;
  }
};

TEST_F(SemaTest, AcceptsValidPolicies) {
  expectValid(R"(
    @id("a") permit(principal == User::"u", action == Action::"view",
                    resource in Folder::"f");
    @id("b") permit(principal in ?principal, action in NS::Action::"group",
                    resource is Photo in ?resource);
    @id("c") forbid(principal is User, action in [Action::"a", X::Y::Action::"b"],
                    resource)
    when {
      decimal("-922337203685477.5808").lessThanOrEqual(decimal("1.0")) &&
      ip("::1").isLoopback() && ip("192.168.0.0/16").isIpv4() &&
      datetime("2024-10-15T11:38:02.101+1134").toDate() < datetime("2025-01-01") &&
      duration("-1d2h3m4s5ms").toMilliseconds() < 0 &&
      [1].contains(1) && [1].containsAll([1]) && [1].containsAny([2]) &&
      principal.tags.hasTag("t") && principal.tags.getTag("t") == "v" &&
      {a: 1, b: {a: 2}}.b.a == 2
    };
  )");
}

TEST_F(SemaTest, DuplicatePolicyIds) {
  expectError(R"(@id("x") permit(principal, action, resource);
@id("x") forbid(principal, action, resource);)",
              "input.cedar:2:1: error: duplicate policy id 'x'");
  EXPECT_TRUE(hasDiagnostic(
      "input.cedar:1:1: note: the first policy with this id is here"));
  // An explicit id may clash with a positional one.
  expectError(R"(permit(principal, action, resource);
@id("policy0") forbid(principal, action, resource);)",
              "input.cedar:2:1: error: duplicate policy id 'policy0'");
}

TEST_F(SemaTest, DuplicateAnnotations) {
  expectError(R"(@doc("a") @doc("b") permit(principal, action, resource);)",
              "input.cedar:1:11: error: duplicate annotation '@doc'");
  EXPECT_TRUE(
      hasDiagnostic("input.cedar:1:1: note: previous annotation is here"));
}

TEST_F(SemaTest, PrincipalAndResourceOperands) {
  expectError("permit(principal == 1, action, resource);",
              "input.cedar:1:21: error: expected an entity literal or the "
              "?principal slot, found '1'");
  expectError("permit(principal, action, resource in \"r\");",
              "input.cedar:1:39: error: expected an entity literal or the "
              "?resource slot, found '\"r\"'");
  expectError("permit(principal in [User::\"a\"], action, resource);",
              "input.cedar:1:21: error: the principal scope cannot use a set");
  expectError("permit(principal == ?resource, action, resource);",
              "error: the principal scope can only use the ?principal slot, "
              "not ?resource");
  expectError("permit(principal, action, resource is T in ?principal);",
              "error: the resource scope can only use the ?resource slot");
  expectError("permit(principal == principal, action, resource);",
              "found 'principal'");
}

TEST_F(SemaTest, ActionOperands) {
  expectError("permit(principal, action in ?principal, resource);",
              "input.cedar:1:29: error: template slots are not allowed in the "
              "action scope");
  expectError("permit(principal, action == ?resource, resource);",
              "template slots are not allowed in the action scope");
  expectError("permit(principal, action in [Action::\"a\", ?principal], "
              "resource);",
              "input.cedar:1:43: error: template slots are not allowed");
  expectError("permit(principal, action == [Action::\"a\"], resource);",
              "'action ==' needs a single action");
  expectError("permit(principal, action == User::\"a\", resource);",
              "input.cedar:1:29: error: expected an entity of type 'Action' "
              "(optionally namespaced) in the action scope, found "
              "'User::\"a\"'");
  expectError("permit(principal, action in [Action::\"a\", Photo::\"b\"], "
              "resource);",
              "found 'Photo::\"b\"'");
  expectError("permit(principal, action == 1, resource);",
              "expected an action entity literal");
}

TEST_F(SemaTest, SlotsOutsideTheScope) {
  expectExprError("principal == ?principal",
                  "input.cedar:1:57: error: template slot ?principal cannot "
                  "appear in a 'when' clause");
  expectError("permit(principal, action, resource) unless { ?resource };",
              "template slot ?resource cannot appear in a 'unless' clause");
}

TEST_F(SemaTest, UnknownFunctionsAndMethods) {
  expectExprError("foo(1)",
                  "input.cedar:1:44: error: 'foo' is not a known function");
  expectExprError("decimall(\"1.0\")", "did you mean 'decimal'?");
  expectExprError("ext::ip(\"1.1.1.1\")", "'ext::ip' is not a known function");
  expectExprError("contains([1], 1)",
                  "'contains' is a method, not a function; call it as "
                  "'e.contains(...)'");
  expectExprError("principal(1)", "'principal' is a variable and cannot be "
                                  "called");
  expectExprError(
      "[1].frobnicate()",
      "input.cedar:1:48: error: 'frobnicate' is not a known method");
  expectExprError("[1].containz(1)", "did you mean 'contains'?");
  expectExprError("context.x.ip()",
                  "'ip' is a function, not a method; call it as 'ip(...)'");
}

// Extension calls with the wrong argument count are evaluation errors in
// Cedar; the built-in set methods are operators, so there it is an error.
TEST_F(SemaTest, ArgumentCounts) {
  expectExprWarning("ip()", "input.cedar:1:44: warning: call to 'ip' requires "
                          "exactly 1 argument, but got 0 arguments");
  expectExprWarning("decimal(\"1.0\", \"2.0\")",
                  "call to 'decimal' requires exactly 1 argument, but got 2 "
                  "arguments");
  expectExprWarning("context.a.isInRange()",
                  "call to 'isInRange' requires exactly 1 argument besides "
                  "the receiver, but got 0 arguments");
  expectExprError("[].isEmpty(1)", "call to 'isEmpty' requires exactly 0 "
                                   "arguments besides the receiver, but got 1 "
                                   "argument");
  expectExprError("[].contains(1, 2)", "call to 'contains' requires exactly 1");
  expectExprWarning("context.d.toDays(1)", "call to 'toDays' requires exactly 0");
  expectExprWarning("context.d.offset()", "call to 'offset' requires exactly 1");
}

// Cedar 4 accepts malformed constructor literals and raises the error when
// it evaluates them; rune warns at compile time.
TEST_F(SemaTest, ExtensionLiterals) {
  expectExprWarning("decimal(\"abc\")",
                    "input.cedar:1:52: warning: invalid argument to 'decimal'");
  expectExprWarning("decimal(\"1.23456\")", "invalid argument to 'decimal'");
  expectExprWarning("ip(\"1.2.3\")", "invalid argument to 'ip'");
  expectExprWarning("ip(\"10.0.0.0/33\")", "invalid argument to 'ip'");
  expectExprWarning("ip(\"10.0.0.0/08\")", "invalid argument to 'ip'");
  expectExprWarning("datetime(\"2024-02-30\")", "invalid argument to 'datetime'");
  expectExprWarning("duration(\"1h1d\")", "invalid argument to 'duration'");
  // Well-formed literals and non-literal arguments pass silently.
  expectValid("permit(principal, action, resource) when { "
              "decimal(context.d).lessThan(decimal(\"1.0\")) && "
              "ip(\"10.0.0.0/8\").isIpv4() && "
              "datetime(\"2024-02-29T10:00:00Z\") < datetime(\"2025-01-01\") "
              "&& duration(\"1d2h\") > duration(\"-5ms\") };");
  EXPECT_EQ(output.find("warning"), std::string::npos) << output;
}

TEST_F(SemaTest, DuplicateRecordKeys) {
  expectExprError("{a: 1, \"a\": 2} == {}",
                  "input.cedar:1:51: error: duplicate key 'a' in record "
                  "literal");
  EXPECT_TRUE(hasDiagnostic("input.cedar:1:45: note: previous use of the key "
                            "is here"));
  // The same key in different records is fine.
  expectValid("permit(principal, action, resource) when { "
              "{a: {a: 1}} == {a: 2} };");
}

TEST_F(SemaTest, ReservedNamespace) {
  expectExprError("principal is __cedar::User",
                  "input.cedar:1:57: error: '__cedar::User' uses the reserved "
                  "namespace '__cedar'");
  expectExprError("principal == NS::__cedar::\"x\"", "uses the reserved");
  expectError("permit(principal is __cedar, action, resource);",
              "'__cedar' uses the reserved namespace");
}

TEST_F(SemaTest, ReportsEveryErrorOfAPolicySet) {
  output.clear();
  ASSERT_TRUE(parse(R"(permit(principal == 1, action, resource)
when { foo() && ip("x") && {a: 1, a: 2} == {} && [].isEmpty(1) };)"));
  EXPECT_FALSE(checkPolicySet(*policySet, diags));
  EXPECT_EQ(diags.errorCount(), 4u) << output;
  EXPECT_EQ(diags.warningCount(), 1u) << output;
}

} // namespace
