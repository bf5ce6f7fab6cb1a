//===- RuneFileTest.cpp - Tests of the .rune frontend and its Sema --------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Frontend/Rune/Parser.h"
#include "rune/Sema/RuneSema.h"
#include "rune/Support/Diagnostics.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <optional>
#include <string>

using namespace rune;
using namespace rune::runefile;
using namespace rune::souffle;

namespace {

class RuneFileTest : public ::testing::Test {
protected:
  bool parse(llvm::StringRef source) {
    unsigned bufferId = sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(source, "input.rune"),
        llvm::SMLoc());
    file = parseRuneFile(bufferId, diags);
    return file.has_value();
  }

  bool parseAndCheck(llvm::StringRef source) {
    if (!parse(source))
      return false;
    program = checkRuneFile(*file, diags);
    return program.has_value();
  }

  std::string diagnostics() {
    output.flush();
    return text;
  }

  /// The clauses of the lowered program whose head is `relation`.
  std::vector<const Clause *> clausesOf(llvm::StringRef relation) const {
    std::vector<const Clause *> found;
    for (const Clause &clause : program->clauses)
      if (clause.head.relation == relation)
        found.push_back(&clause);
    return found;
  }

  const RelationDecl *declaration(llvm::StringRef relation) const {
    for (const RelationDecl &decl : program->relations)
      if (decl.name == relation)
        return &decl;
    return nullptr;
  }

  llvm::SourceMgr sourceMgr;
  std::string text;
  llvm::raw_string_ostream output{text};
  DiagnosticEngine diags{sourceMgr, output};
  std::optional<RuneFile> file;
  std::optional<Program> program;
};

TEST_F(RuneFileTest, SectionsInAnyOrderAreOptional) {
  ASSERT_TRUE(parse("version = \"rune/1.0\"\n[policies]\n[data]\nx = 1\n"))
      << diagnostics();
  EXPECT_TRUE(file->dataSection.has_value());
  EXPECT_FALSE(file->rulesSection.has_value());
  EXPECT_TRUE(file->policiesSection.has_value());
  ASSERT_TRUE(parse("version = \"rune/1.0\"\n")) << diagnostics();
  EXPECT_TRUE(file->dataFacts.empty());
  EXPECT_TRUE(file->policies.policies.empty());
}

TEST_F(RuneFileTest, DataLeavesBecomeFactsInSourceOrder) {
  ASSERT_TRUE(parse("version = \"rune/1.0\"\n"
                    "[data]\n"
                    "zeta = \"last key alphabetically\"\n"
                    "agent.capabilities = [\"read\", \"write\"]\n"
                    "debug = false\n"
                    "[data.limits]\n"
                    "calls = 10\n"))
      << diagnostics();
  const std::vector<DataFact> &facts = file->dataFacts;
  ASSERT_EQ(facts.size(), 5u);
  EXPECT_EQ(facts[0].relation, "zeta");
  EXPECT_EQ(facts[1].relation, "agent.capabilities");
  EXPECT_EQ(facts[1].value.string, "read");
  EXPECT_EQ(facts[2].relation, "agent.capabilities");
  EXPECT_EQ(facts[2].value.string, "write");
  EXPECT_EQ(facts[3].relation, "debug");
  EXPECT_EQ(facts[3].value.kind, DataValue::Kind::Boolean);
  EXPECT_FALSE(facts[3].value.boolean);
  EXPECT_EQ(facts[4].relation, "limits.calls");
  EXPECT_EQ(facts[4].value.integer, 10);

  // The same data as a record: tables nest, arrays stay arrays.
  ASSERT_EQ(file->data.kind, DataValue::Kind::Table);
  ASSERT_EQ(file->data.entries.size(), 4u);
  EXPECT_EQ(file->data.entries[1].first, "agent");
  const DataValue &agent = file->data.entries[1].second;
  ASSERT_EQ(agent.kind, DataValue::Kind::Table);
  EXPECT_EQ(agent.entries[0].second.kind, DataValue::Kind::Array);
  EXPECT_EQ(agent.entries[0].second.elements.size(), 2u);
}

TEST_F(RuneFileTest, MethodsAndConstantsMapOntoTheDatalogAST) {
  ASSERT_TRUE(parseAndCheck(
      "version = \"rune/1.0\"\n"
      "[rules]\n"
      "p(X) :- action(X), X.contains(\"rm\"), X.starts_with(\"a\"), "
      "X.len() > 3.\n"
      "user(alice). flag(true). n(-5).\n"))
      << diagnostics();
  std::vector<const Clause *> rules = clausesOf("p");
  ASSERT_EQ(rules.size(), 1u);
  const std::vector<Literal> &body = rules[0]->body;
  ASSERT_EQ(body.size(), 4u);
  // contains takes Soufflé's order: needle first.
  ASSERT_EQ(body[1].kind, Literal::Kind::Test);
  EXPECT_EQ(body[1].sides[0].text, "contains");
  EXPECT_EQ(body[1].sides[0].operands[0].kind, Term::Kind::String);
  EXPECT_EQ(body[1].sides[0].operands[1].text, "X");
  EXPECT_EQ(body[2].sides[0].text, "starts_with");
  EXPECT_EQ(body[2].sides[0].operands[0].text, "X");
  ASSERT_EQ(body[3].kind, Literal::Kind::Constraint);
  EXPECT_EQ(body[3].sides[0].kind, Term::Kind::Functor);
  EXPECT_EQ(body[3].sides[0].text, "strlen");

  // A symbol is the string of its name.
  const Term &alice = clausesOf("user")[0]->head.args[0];
  EXPECT_EQ(alice.kind, Term::Kind::String);
  EXPECT_EQ(alice.text, "alice");
  EXPECT_EQ(clausesOf("flag")[0]->head.args[0].kind, Term::Kind::Bool);
  const Term &minusFive = clausesOf("n")[0]->head.args[0];
  ASSERT_EQ(minusFive.kind, Term::Kind::Negate);
  EXPECT_EQ(minusFive.operands[0].text, "5");

  // Every relation is declared with `any` columns, request relations too.
  const RelationDecl *context = declaration("context");
  ASSERT_NE(context, nullptr);
  ASSERT_EQ(context->attributes.size(), 2u);
  EXPECT_EQ(context->attributes[0].type, "any");
}

TEST_F(RuneFileTest, AggregatesGoThroughAnAuxiliaryRelation) {
  ASSERT_TRUE(
      parseAndCheck("version = \"rune/1.0\"\n"
                    "[rules]\n"
                    "api_call(alice, search, 1).\n"
                    "total_calls(U, N) :- count(C, api_call(U, _, C)).\n"))
      << diagnostics();
  // _agg1(U, C) :- api_call(U, _, C): the distinct (group, value) pairs.
  std::vector<const Clause *> auxiliary = clausesOf("_agg1");
  ASSERT_EQ(auxiliary.size(), 1u);
  ASSERT_EQ(auxiliary[0]->head.args.size(), 2u);
  EXPECT_EQ(auxiliary[0]->head.args[0].text, "U");
  EXPECT_EQ(auxiliary[0]->head.args[1].text, "C");

  // total_calls(U, N) :- _agg1(U, _), N = count : _agg1(U, _).
  const Clause &rule = *clausesOf("total_calls")[0];
  ASSERT_EQ(rule.body.size(), 2u);
  EXPECT_EQ(rule.body[0].kind, Literal::Kind::Atom);
  EXPECT_EQ(rule.body[0].atom.relation, "_agg1");
  const Term &aggregate = rule.body[1].sides[1];
  ASSERT_EQ(aggregate.kind, Term::Kind::Aggregate);
  EXPECT_EQ(aggregate.aggregateOp, AggregateOp::Count);
  EXPECT_TRUE(aggregate.operands.empty());
  EXPECT_EQ(aggregate.body[0].atom.relation, "_agg1");
  ASSERT_NE(declaration("_agg1"), nullptr);
}

TEST_F(RuneFileTest, GroupsBoundByTheBodyNeedNoBinder) {
  ASSERT_TRUE(
      parseAndCheck("version = \"rune/1.0\"\n"
                    "[rules]\n"
                    "cost(alice, 3). user(alice). user(bob).\n"
                    "spent(U, S) :- user(U), S = sum(C, cost(U, C)).\n"))
      << diagnostics();
  const Clause &rule = *clausesOf("spent")[0];
  // user(U) binds U, so users without costs get the sum 0.
  ASSERT_EQ(rule.body.size(), 2u);
  EXPECT_EQ(rule.body[0].atom.relation, "user");
  const Term &aggregate = rule.body[1].sides[1];
  EXPECT_EQ(aggregate.aggregateOp, AggregateOp::Sum);
  ASSERT_EQ(aggregate.operands.size(), 1u);
  EXPECT_EQ(aggregate.operands[0].text, "_agg1_value");
}

TEST_F(RuneFileTest, ErrorsAreLocatedInTheWholeFile) {
  EXPECT_FALSE(parseAndCheck("version = \"rune/1.0\"\n"
                             "[data]\n"
                             "x = 1\n"
                             "[rules]\n"
                             "p(X) :- q(Y), not r(X).\n"));
  EXPECT_NE(diagnostics().find("input.rune:5:21: error: variable 'X' occurs "
                               "only in negated atoms"),
            std::string::npos)
      << diagnostics();
}

TEST_F(RuneFileTest, PoliciesKeepTheirFileLocations) {
  EXPECT_FALSE(parse("version = \"rune/1.0\"\n"
                     "[rules]\n"
                     "p(1).\n"
                     "[policies]\n"
                     "permit(principal, action, resource) when { 1 + };\n"));
  EXPECT_NE(diagnostics().find("input.rune:5:"), std::string::npos)
      << diagnostics();
}

} // namespace
