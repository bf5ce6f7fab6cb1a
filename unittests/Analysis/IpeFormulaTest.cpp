//===- IpeFormulaTest.cpp - IPE conditions as constraint formulas ---------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Analysis/IpeFormula.h"
#include "rune/Frontend/Ipe/Parser.h"
#include "rune/Support/Diagnostics.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

using namespace rune;
using namespace rune::ipe;
using namespace rune::ipe::analysis;

namespace {

class IpeFormulaTest : public ::testing::Test {
protected:
  /// Parses `policy P: "i" triggers when <trigger> denies`.
  const Expr &trigger(llvm::StringRef text) {
    std::string source =
        ("policy P: \"i\" triggers when " + text + " denies").str();
    unsigned id = sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(source, "t.ipe"), llvm::SMLoc());
    std::optional<PolicyFile> file = parsePolicyFile(id, diags);
    EXPECT_TRUE(file.has_value()) << output;
    files.push_back(std::move(*file));
    return *files.back().policies.at(0).trigger;
  }

  Dnf dnf(const Expr &expr, size_t limit = 256) {
    std::optional<Dnf> result = builder.build(expr, atoms, nullptr, limit);
    EXPECT_TRUE(result.has_value());
    return result.value_or(Dnf{});
  }

  ConjunctionCheck check(const Conjunction &conjunction) {
    std::vector<const Atom *> list;
    for (unsigned atom : conjunction)
      list.push_back(&atoms[atom]);
    return checkConjunction(list, fields, enums, /*wantCore=*/true);
  }

  llvm::SourceMgr sourceMgr;
  std::string output;
  llvm::raw_string_ostream os{output};
  DiagnosticEngine diags{sourceMgr, os};
  std::vector<PolicyFile> files;
  EnumOrders enums;
  FieldTable fields;
  FormulaBuilder builder{fields, enums};
  std::vector<Atom> atoms;
};

TEST_F(IpeFormulaTest, CanonicalTextIgnoresOrderSidesAndAliases) {
  EXPECT_EQ(canonicalText(trigger("b == 1 and a in [y, \"x\"]")),
            canonicalText(trigger("a in [\"x\", \"y\"] and 1 == b")));
  EXPECT_EQ(canonicalText(trigger("principal.id == \"u\"")),
            canonicalText(trigger("requester.id == \"u\"")));
  EXPECT_NE(canonicalText(trigger("a < 1")), canonicalText(trigger("1 < a")));
  EXPECT_EQ(canonicalText(trigger("a < 1")), canonicalText(trigger("1 > a")));
}

TEST_F(IpeFormulaTest, NegationsAndDistribution) {
  EXPECT_EQ(dnf(trigger("not (a == 1 and b == 2)")).size(), 2u);
  EXPECT_EQ(dnf(trigger("(a == 1 or a == 2) and (b == 1 or b == 2)")).size(),
            4u);
  EXPECT_EQ(dnf(trigger("not (a == 1 or b == 2)")).size(), 1u);
  std::optional<Dnf> tooLarge = builder.build(
      trigger("(a == 1 or a == 2) and (b == 1 or b == 2)"), atoms, nullptr, 3);
  EXPECT_FALSE(tooLarge.has_value());
}

TEST_F(IpeFormulaTest, Contradictions) {
  Dnf types = dnf(trigger("resource.type == \"A\" and x > 0 and "
                          "resource.type == \"B\""));
  ASSERT_EQ(types.size(), 1u);
  ConjunctionCheck result = check(types[0]);
  EXPECT_FALSE(result.satisfiable);
  EXPECT_EQ(result.core.size(), 2u); // x > 0 is not needed

  Dnf aliases = dnf(trigger("principal.id == \"a\" and requester.id == \"b\""));
  EXPECT_FALSE(check(aliases[0]).satisfiable);

  Dnf opaque = dnf(trigger("f(x) and not f(x)"));
  EXPECT_FALSE(check(opaque[0]).satisfiable);

  Dnf negated = dnf(trigger("x == 1 and not (x == 1)"));
  EXPECT_FALSE(check(negated[0]).satisfiable);

  Dnf constant = dnf(trigger("x == 1 and 1 > 2"));
  EXPECT_FALSE(check(constant[0]).satisfiable);

  Dnf lists = dnf(trigger("env in [\"a\"] and env in [\"b\"]"));
  ConjunctionCheck scalar = check(lists[0]);
  EXPECT_FALSE(scalar.satisfiable);
  EXPECT_TRUE(scalar.assumesScalar);

  Dnf risk = dnf(trigger("r >= \"high\" and r < \"medium\""));
  ConjunctionCheck ranked = check(risk[0]);
  EXPECT_FALSE(ranked.satisfiable);
  EXPECT_EQ(ranked.assumesEnum, 0u);
}

TEST_F(IpeFormulaTest, AnyIsACountOfAtLeastOne) {
  const Expr &expr = trigger("approvals.any and approvals.count < 1");
  Dnf formula = dnf(expr);
  ASSERT_EQ(formula.size(), 1u);
  EXPECT_FALSE(check(formula[0]).satisfiable);
  // Not when the count filters differently: a where-less count here.
  Dnf negated = dnf(trigger("not approvals.any and approvals.count >= 0"));
  EXPECT_TRUE(check(negated[0]).satisfiable);
  // A filter argument is a `where`: the same filter, the same count.
  Dnf filtered = dnf(trigger("approvals.any(approver.role == \"sre\") and "
                             "approvals.count(approver.role == \"sre\") < 1"));
  EXPECT_FALSE(check(filtered[0]).satisfiable);
  Dnf otherFilter = dnf(trigger("approvals.any(approver.role == \"sre\") and "
                                "approvals.count < 1"));
  EXPECT_TRUE(check(otherFilter[0]).satisfiable);
  // Compared as a boolean, `any` is left opaque rather than misread.
  Dnf compared = dnf(trigger("approvals.any == true"));
  EXPECT_TRUE(check(compared[0]).satisfiable);
}

TEST_F(IpeFormulaTest, WitnessesAreEvaluated) {
  const Expr &expr = trigger("resource.type == \"A\" and environment in "
                             "[\"prod\"] and not (principal.level < 3)");
  Dnf formula = dnf(expr);
  ASSERT_EQ(formula.size(), 1u);
  ConjunctionCheck result = check(formula[0]);
  ASSERT_TRUE(result.satisfiable);
  EXPECT_EQ(witnessJSON(result.witness, fields).value_or("<none>"),
            "{\"environment\":\"prod\",\"request\":{\"principal\":{\"level\":"
            "3}},\"resource\":{\"type\":\"A\"}}");
  EXPECT_EQ(evaluate(expr, result.witness, fields, enums), Truth::True);
  // The same request does not trigger other conditions.
  EXPECT_EQ(evaluate(trigger("resource.type == \"B\""), result.witness, fields,
                     enums),
            Truth::False);
  EXPECT_EQ(evaluate(trigger("resource.owner == \"B\""), result.witness, fields,
                     enums),
            Truth::Error); // missing
  EXPECT_EQ(
      evaluate(trigger("f(resource.type)"), result.witness, fields, enums),
      Truth::Unknown);
}

TEST_F(IpeFormulaTest, ScalarAndObjectAtOnePathFormNoRequest) {
  Dnf formula = dnf(trigger("resource == \"x\" or resource.type == \"A\""));
  Witness both;
  both.values.push_back({*fields.lookup("resource"), Scalar::ofString("x")});
  both.values.push_back(
      {*fields.lookup("resource.type"), Scalar::ofString("A")});
  EXPECT_FALSE(witnessJSON(both, fields).has_value());
}

} // namespace
