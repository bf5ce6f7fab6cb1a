//===- IpeParserTest.cpp - IPE parser and Sema tests ----------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Frontend/Ipe/AST.h"
#include "rune/Frontend/Ipe/Parser.h"
#include "rune/Sema/IpeSema.h"
#include "rune/Support/Diagnostics.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <optional>
#include <string>

using namespace rune;
using namespace rune::ipe;

namespace {

class IpeTest : public ::testing::Test {
protected:
  bool parse(llvm::StringRef source) {
    unsigned bufferId = sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(source, "input.ipe"),
        llvm::SMLoc());
    file = parsePolicyFile(bufferId, diags);
    return file.has_value();
  }

  bool parseAndCheck(llvm::StringRef source) {
    return parse(source) && checkPolicyFile(*file, diags);
  }

  /// The trigger of a policy whose `triggers when` is `expr`, printed.
  std::string trigger(llvm::StringRef expr) {
    std::string source = ("policy P: \"i\" triggers when " + expr +
                          " denies")
                             .str();
    if (!parse(source))
      return "<error: " + diagnostics() + ">";
    return toString(*file->policies.at(0).trigger);
  }

  std::string diagnostics() { return output; }

  llvm::SourceMgr sourceMgr;
  std::string output;
  llvm::raw_string_ostream os{output};
  DiagnosticEngine diags{sourceMgr, os};
  std::optional<PolicyFile> file;
};

constexpr const char *RequireApproval = R"(
policy RequireApproval:
  "Production deployments need 2+ approvals from senior engineers"
  triggers when
    resource.type == "Deployment"
    and environment in ["production", "staging"]
    and resource.risk_level >= "medium"
  requires
    approvals.count >= 2
    where approver.role == "senior-engineer"
    and approver.department != requester.department
)";

constexpr const char *DenyUnsigned = R"(
policy DenyUnsignedProdImages:
  "Unsigned container images never run in production"
  triggers when
    resource.type == "Deployment" and resource.environment == "production"
    and resource.image_signed == false
  denies with reason "image signature not verified"
)";

TEST_F(IpeTest, SpecExamples) {
  std::string source = std::string(RequireApproval) + DenyUnsigned;
  ASSERT_TRUE(parseAndCheck(source)) << diagnostics();
  ASSERT_EQ(file->policies.size(), 2u);
  const Policy &first = file->policies[0];
  EXPECT_EQ(first.name, "RequireApproval");
  EXPECT_FALSE(first.isPredicate);
  EXPECT_EQ(first.intent,
            "Production deployments need 2+ approvals from senior engineers");
  EXPECT_EQ(toString(*first.trigger),
            "(and (and (== resource.type \"Deployment\") (in environment "
            "[\"production\", \"staging\"])) (>= resource.risk_level "
            "\"medium\"))");
  ASSERT_EQ(first.requirement.kind, Requirement::Kind::Requires);
  EXPECT_EQ(toString(*first.requirement.condition), "(>= approvals.count 2)");
  ASSERT_TRUE(first.requirement.where);
  EXPECT_EQ(toString(*first.requirement.where),
            "(and (== approver.role \"senior-engineer\") (!= "
            "approver.department requester.department))");
  const Policy &second = file->policies[1];
  EXPECT_EQ(second.requirement.kind, Requirement::Kind::Denies);
  EXPECT_EQ(second.requirement.reason, "image signature not verified");
  EXPECT_EQ(toString(*second.trigger),
            "(and (and (== resource.type \"Deployment\") (== "
            "resource.environment \"production\")) (== "
            "resource.image_signed false))");
}

TEST_F(IpeTest, EmptyFile) {
  ASSERT_TRUE(parseAndCheck("  # nothing\n// here\n")) << diagnostics();
  EXPECT_TRUE(file->policies.empty());
}

TEST_F(IpeTest, PredicateDeniesWithoutReasonAndMetadata) {
  ASSERT_TRUE(parseAndCheck(R"(predicate Quiet: "intent" # comment
    triggers when true // another
    denies
    metadata
      severity: critical
      owner: "dba-guild"
      tags: [database, sox, 3, -1.5, true, []]
      weight: -4
)")) << diagnostics();
  const Policy &policy = file->policies.at(0);
  EXPECT_TRUE(policy.isPredicate);
  EXPECT_FALSE(policy.requirement.reason);
  ASSERT_EQ(policy.metadata.size(), 4u);
  EXPECT_EQ(policy.metadata[0].key, "severity");
  EXPECT_EQ(policy.metadata[0].value.kind, Value::Kind::String);
  EXPECT_TRUE(policy.metadata[0].value.bareIdentifier);
  EXPECT_EQ(policy.metadata[0].value.string, "critical");
  EXPECT_EQ(policy.metadata[1].value.string, "dba-guild");
  EXPECT_FALSE(policy.metadata[1].value.bareIdentifier);
  EXPECT_EQ(toString(policy.metadata[2].value),
            "[database, sox, 3, -1.5, true, []]");
  EXPECT_EQ(policy.metadata[3].value.intValue, -4);
}

TEST_F(IpeTest, StringEscapes) {
  ASSERT_TRUE(parse(R"(policy P: "a\n\t\r\\\"b" triggers when true denies)"))
      << diagnostics();
  EXPECT_EQ(file->policies.at(0).intent, "a\n\t\r\\\"b");
}

TEST_F(IpeTest, Precedence) {
  EXPECT_EQ(trigger("a or b and c"), "(or a (and b c))");
  EXPECT_EQ(trigger("a and b or c"), "(or (and a b) c)");
  EXPECT_EQ(trigger("not a and b"), "(and (not a) b)");
  EXPECT_EQ(trigger("not a or not b"), "(or (not a) (not b))");
  EXPECT_EQ(trigger("not not a"), "(not (not a))");
  EXPECT_EQ(trigger("not a == b"), "(not (== a b))");
  EXPECT_EQ(trigger("a or b or c"), "(or (or a b) c)");
  EXPECT_EQ(trigger("(a or b) and c"), "(and (or a b) c)");
}

TEST_F(IpeTest, ComparisonsInCallsLiterals) {
  EXPECT_EQ(trigger("a != 1"), "(!= a 1)");
  EXPECT_EQ(trigger("a < -2"), "(< a -2)");
  EXPECT_EQ(trigger("a <= 2.5"), "(<= a 2.5)");
  EXPECT_EQ(trigger("a > -0.5"), "(> a -0.5)");
  EXPECT_EQ(trigger("a == 1.0"), "(== a 1.0)");
  EXPECT_EQ(trigger("a.b.c >= \"x\""), "(>= a.b.c \"x\")");
  EXPECT_EQ(trigger("x in [a, \"b\", 1, [c]]"),
            "(in x [a, \"b\", 1, [c]])");
  EXPECT_EQ(trigger("x in [1] == true"), "(== (in x [1]) true)");
  EXPECT_EQ(trigger("f()"), "(call f)");
  EXPECT_EQ(trigger("a.f(b, 1 or c)"), "(call a.f b (or 1 c))");
  EXPECT_EQ(trigger("-9223372036854775808 == 9223372036854775807"),
            "(== -9223372036854775808 9223372036854775807)");
}

TEST_F(IpeTest, SourceRanges) {
  ASSERT_TRUE(parse("policy P: \"i\"\n triggers when a.b == 1 denies"));
  const Policy &policy = file->policies.at(0);
  EXPECT_EQ(diags.getLineAndColumn(policy.nameRange.Start),
            std::make_pair(1u, 8u));
  const Expr &cmp = *policy.trigger;
  EXPECT_EQ(diags.getLineAndColumn(cmp.range.Start), std::make_pair(2u, 16u));
  EXPECT_EQ(diags.getLineAndColumn(cmp.opRange.Start),
            std::make_pair(2u, 20u));
  EXPECT_EQ(diags.getLineAndColumn(cmp.range.End), std::make_pair(2u, 24u));
}

TEST_F(IpeTest, EnumDeclarations) {
  ASSERT_TRUE(parseAndCheck(
      "enum Tier { bronze, silver, gold }\n"
      "policy P: \"i\" triggers when t >= \"silver\" denies\n"
      "enum Size { s }"))
      << diagnostics();
  ASSERT_EQ(file->enums.size(), 2u);
  EXPECT_EQ(file->enums[0].name, "Tier");
  ASSERT_EQ(file->enums[0].members.size(), 3u);
  EXPECT_EQ(file->enums[0].members[2].name, "gold");
  EXPECT_EQ(file->enums[1].members.size(), 1u);
}

//===--- Syntax errors ----------------------------------------------------===//

TEST_F(IpeTest, ErrorTrailingInput) {
  EXPECT_FALSE(parse("policy P: \"i\" triggers when a denies\nfoo"));
  EXPECT_NE(diagnostics().find("input.ipe:2:1: error: unexpected token "
                               "'foo' after the last policy; expected "
                               "'policy', 'predicate' or 'enum'"),
            std::string::npos)
      << diagnostics();
}

TEST_F(IpeTest, ErrorUnknownCharacter) {
  EXPECT_FALSE(parse("policy P: \"i\" triggers when a & b denies"));
  EXPECT_NE(diagnostics().find("input.ipe:1:31: error: invalid character "
                               "'&'"),
            std::string::npos)
      << diagnostics();
}

TEST_F(IpeTest, ErrorUnterminatedString) {
  EXPECT_FALSE(parse("policy P: \"intent\ntriggers when a denies"));
  EXPECT_NE(diagnostics().find(
                "input.ipe:1:11: error: unterminated string literal"),
            std::string::npos)
      << diagnostics();
}

TEST_F(IpeTest, ErrorUnknownEscape) {
  EXPECT_FALSE(parse("policy P: \"a\\qb\" triggers when a denies"));
  EXPECT_NE(diagnostics().find("input.ipe:1:13: error: unknown escape "
                               "sequence '\\q'"),
            std::string::npos)
      << diagnostics();
}

TEST_F(IpeTest, ErrorChainedComparison) {
  EXPECT_FALSE(parse("policy P: \"i\" triggers when a < b < c denies"));
  EXPECT_NE(diagnostics().find("input.ipe:1:35: error: comparison operators "
                               "do not chain"),
            std::string::npos)
      << diagnostics();
  EXPECT_NE(diagnostics().find("input.ipe:1:31: note: previous comparison"),
            std::string::npos)
      << diagnostics();
}

TEST_F(IpeTest, ErrorMissingRequirement) {
  EXPECT_FALSE(parse("policy P: \"i\" triggers when a\n"));
  EXPECT_NE(diagnostics().find("input.ipe:2:1: error: unexpected end of "
                               "input"),
            std::string::npos)
      << diagnostics();
}

TEST_F(IpeTest, ErrorMissingIntent) {
  EXPECT_FALSE(parse("policy P: triggers when a denies"));
  EXPECT_NE(diagnostics().find("input.ipe:1:10: error: expected string"),
            std::string::npos)
      << diagnostics();
}

TEST_F(IpeTest, ErrorReservedName) {
  EXPECT_FALSE(parse("policy and: \"i\" triggers when a denies"));
  EXPECT_NE(diagnostics().find("input.ipe:1:8: error: 'and' is a reserved "
                               "word and cannot be used as an identifier"),
            std::string::npos)
      << diagnostics();
}

TEST_F(IpeTest, ErrorIntegerOutOfRange) {
  EXPECT_FALSE(parse("policy P: \"i\" triggers when a == 9223372036854775808 "
                     "denies"));
  EXPECT_NE(diagnostics().find("input.ipe:1:34: error: integer literal is "
                               "out of range"),
            std::string::npos)
      << diagnostics();
}

//===--- Sema errors ------------------------------------------------------===//

TEST_F(IpeTest, ErrorDuplicatePolicy) {
  EXPECT_FALSE(parseAndCheck("policy P: \"i\" triggers when a denies\n"
                             "predicate P: \"j\" triggers when b denies\n"));
  EXPECT_NE(diagnostics().find(
                "input.ipe:2:11: error: duplicate policy name 'P'"),
            std::string::npos)
      << diagnostics();
  EXPECT_NE(diagnostics().find("input.ipe:1:8: note: previous definition"),
            std::string::npos)
      << diagnostics();
}

TEST_F(IpeTest, ErrorWhereWithoutAggregate) {
  EXPECT_FALSE(parseAndCheck(
      "policy P: \"i\" triggers when a requires b.size >= 2 where c"));
  EXPECT_NE(diagnostics().find("input.ipe:1:52: error: 'where' clause "
                               "without an aggregate"),
            std::string::npos)
      << diagnostics();
}

TEST_F(IpeTest, WhereWithAggregates) {
  EXPECT_TRUE(parseAndCheck(
      "policy A: \"i\" triggers when a requires approvals.any where x\n"
      "policy B: \"i\" triggers when a requires not items.all where x\n"))
      << diagnostics();
}

TEST_F(IpeTest, ErrorOrderingBooleans) {
  EXPECT_FALSE(parseAndCheck(
      "policy P: \"i\" triggers when a == true\n"
      "  requires true <= b or (c > false)"));
  EXPECT_NE(diagnostics().find("input.ipe:2:17: error: booleans cannot be "
                               "ordered with '<='"),
            std::string::npos)
      << diagnostics();
  EXPECT_NE(diagnostics().find("input.ipe:2:28: error: booleans cannot be "
                               "ordered with '>'"),
            std::string::npos)
      << diagnostics();
  EXPECT_EQ(diags.errorCount(), 2u);
}

TEST_F(IpeTest, ErrorDuplicateEnum) {
  EXPECT_FALSE(parseAndCheck("enum E { a, b, a }\nenum E { c }"));
  EXPECT_NE(diagnostics().find(
                "input.ipe:1:16: error: duplicate member 'a' in enum 'E'"),
            std::string::npos)
      << diagnostics();
  EXPECT_NE(diagnostics().find("input.ipe:1:10: note: previous occurrence"),
            std::string::npos)
      << diagnostics();
  EXPECT_NE(diagnostics().find(
                "input.ipe:2:6: error: duplicate enum declaration 'E'"),
            std::string::npos)
      << diagnostics();
  EXPECT_NE(diagnostics().find("input.ipe:1:6: note: previous declaration"),
            std::string::npos)
      << diagnostics();
}

} // namespace
