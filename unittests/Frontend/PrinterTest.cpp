//===- PrinterTest.cpp - Tests of the Cedar AST printer -------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "CedarTestUtils.h"

using namespace rune;
using namespace rune::cedar;
using namespace rune::cedar::test;

namespace {

using PrinterTest = CedarTest;

/// A policy set using every construct of the language.
constexpr const char *everything = R"(// comment
@id("every")
@doc("quote \" backslash \\ newline \n tab \t nul \0 star * unicode \u{e9}")
@flag
permit (
  principal == NS::User::"al\"ice",
  action in [Action::"view", NS::Action::"edit"],
  resource is NS::Photo in NS::Album::"a"
)
when { principal.age >= 18 && principal["full name"] like "*\*.jpg*" }
unless { context has a.b.c || context has "weird key" };

forbid (principal is User, action == Action::"delete", resource in ?resource)
when {
  if context.level > -3 then !context.ok else -(context.count) * 2 - --4 < 7
}
when { [1, [2, "3"], {}].containsAny([1]) && {a: 1, "b c": true}.a == 1 }
when { ip("10.0.0.1").isInRange(ip("10.0.0.0/8")) && decimal("1.5").lessThan(decimal("2.0")) }
when { datetime("2024-01-01").offset(duration("1d")) > datetime("2023-01-01") }
when { principal.tags.hasTag("k") && principal.tags.getTag("k") != "v" }
when { resource is Photo && !(resource is Video in Album::"x") && [].isEmpty() }
when { principal in Group::"g" && (1 + 2) * 3 == 9 && 1 - (2 - 3) == 2 };

permit (principal in ?principal, action, resource);
)";

TEST_F(PrinterTest, RoundTripsEveryConstruct) {
  ASSERT_TRUE(parse(everything)) << diagnostics();
  PolicySet original = std::move(*policySet);
  std::string printed;
  llvm::raw_string_ostream printedStream(printed);
  print(printedStream, original);

  ASSERT_TRUE(parse(printed)) << diagnostics() << "\n" << printed;
  ASSERT_EQ(policySet->policies.size(), original.policies.size());
  for (size_t i = 0; i != original.policies.size(); ++i)
    EXPECT_TRUE(samePolicy(original.policies[i], policySet->policies[i]))
        << "policy " << i << " differs after printing:\n"
        << printed;

  // Printing is a fixed point after one round.
  std::string reprinted;
  llvm::raw_string_ostream reprintedStream(reprinted);
  print(reprintedStream, *policySet);
  EXPECT_EQ(printed, reprinted);
}

TEST_F(PrinterTest, PolicyLayout) {
  ASSERT_TRUE(parse(R"(@id("x") @flag permit(principal == User::"a", action,
    resource) when { true } unless { false };)"));
  std::string printed;
  llvm::raw_string_ostream stream(printed);
  print(stream, policy());
  EXPECT_EQ(printed, "@id(\"x\")\n"
                     "@flag\n"
                     "permit (\n"
                     "  principal == User::\"a\",\n"
                     "  action,\n"
                     "  resource\n"
                     ")\n"
                     "when { true }\n"
                     "unless { false };\n");
}

TEST_F(PrinterTest, MinimalParentheses) {
  EXPECT_EQ(roundTripExpr("(1 + 2) * 3"), "(1 + 2) * 3");
  EXPECT_EQ(roundTripExpr("1 + (2 * 3)"), "1 + 2 * 3");
  EXPECT_EQ(roundTripExpr("1 - (2 - 3)"), "1 - (2 - 3)");
  EXPECT_EQ(roundTripExpr("(1 - 2) - 3"), "1 - 2 - 3");
  EXPECT_EQ(roundTripExpr("true || (false || true)"),
            "true || (false || true)");
  EXPECT_EQ(roundTripExpr("(true && false) || true"), "true && false || true");
  EXPECT_EQ(roundTripExpr("(1 == 2) == false"), "(1 == 2) == false");
  EXPECT_EQ(roundTripExpr("(if true then 1 else 2) + 1"),
            "(if true then 1 else 2) + 1");
  EXPECT_EQ(roundTripExpr("!(-principal.x)"), "!(-principal.x)");
  EXPECT_EQ(roundTripExpr("(principal has a).foo"), "(principal has a).foo");
  EXPECT_EQ(roundTripExpr("(-5).foo"), "(-5).foo");
  EXPECT_EQ(roundTripExpr("-(5)"), "-(5)");
  EXPECT_EQ(roundTripExpr("--5"), "--5");
  EXPECT_EQ(roundTripExpr("-(-5)"), "--5");
  EXPECT_EQ(roundTripExpr("-9223372036854775808"), "-9223372036854775808");
  EXPECT_EQ(roundTripExpr("!!!!true"), "!!!!true");
  EXPECT_EQ(roundTripExpr("!!!!(!true)"), "!!!!(!true)");
}

TEST_F(PrinterTest, QuotingOfNamesAndStrings) {
  EXPECT_EQ(roundTripExpr(R"({"a b": 1, c: 2, "if": 3})"),
            R"({"a b": 1, c: 2, "if": 3})");
  EXPECT_EQ(roundTripExpr(R"(context["if"])"), R"(context["if"])");
  EXPECT_EQ(roundTripExpr(R"(context["plain"])"), R"(context["plain"])");
  EXPECT_EQ(roundTripExpr(R"(context has "a b")"), R"(context has "a b")");
  EXPECT_EQ(roundTripExpr(R"("\x01\u{7f}")"), R"("\u{1}\u{7F}")");
  EXPECT_EQ(roundTripExpr(R"("a" like "\**")"), R"("a" like "\**")");
}

TEST_F(PrinterTest, PrintsExpressionsBuiltByHand) {
  // Five nested negations cannot be written as a run of five '!'.
  ExprPtr expr = std::make_unique<BoolLiteralExpr>(true, llvm::SMRange());
  for (int i = 0; i < 5; ++i)
    expr = std::make_unique<NotExpr>(std::move(expr), llvm::SMRange());
  std::string printed = toSource(*expr);
  EXPECT_EQ(printed, "!!!!(!true)");
  const Expr *reparsed = parseExpr(printed);
  ASSERT_TRUE(reparsed);
  EXPECT_TRUE(structurallyEqual(*expr, *reparsed));

  // A negation of a positive literal must not fold into a literal.
  ExprPtr negation = std::make_unique<NegExpr>(
      std::make_unique<NegExpr>(
          std::make_unique<LongLiteralExpr>(7, llvm::SMRange()),
          llvm::SMRange()),
      llvm::SMRange());
  printed = toSource(*negation);
  EXPECT_EQ(printed, "--(7)");
  reparsed = parseExpr(printed);
  ASSERT_TRUE(reparsed);
  EXPECT_TRUE(structurallyEqual(*negation, *reparsed));
}

TEST_F(PrinterTest, StructuralEqualityIgnoresLocationsOnly) {
  const Expr *a = parseExpr("principal.x + 1 == 2");
  ASSERT_TRUE(a);
  PolicySet first = std::move(*policySet);
  const Expr *b = parseExpr("principal.x   +   1   ==   2");
  ASSERT_TRUE(b);
  EXPECT_TRUE(structurallyEqual(*a, *b));
  PolicySet second = std::move(*policySet);
  const Expr *c = parseExpr("principal.x + 1 == 3");
  ASSERT_TRUE(c);
  EXPECT_FALSE(structurallyEqual(*a, *c));
}

} // namespace
