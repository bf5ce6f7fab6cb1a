//===- SouffleParserTest.cpp - Soufflé Datalog parser and checks ----------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Frontend/Souffle/Parser.h"
#include "rune/Sema/SouffleSema.h"
#include "rune/Support/Diagnostics.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <optional>
#include <string>

using namespace rune;
using namespace rune::souffle;

namespace {

class SouffleParserTest : public ::testing::Test {
protected:
  bool parse(llvm::StringRef source) {
    unsigned bufferId = sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(source, "input.dl"),
        llvm::SMLoc());
    program = parseProgram(bufferId, diags);
    return program.has_value();
  }

  bool parseAndCheck(llvm::StringRef source) {
    return parse(source) && checkProgram(*program, diags);
  }

  std::string diagnostics() {
    out.flush();
    return text;
  }

  std::string text;
  llvm::raw_string_ostream out{text};
  llvm::SourceMgr sourceMgr;
  DiagnosticEngine diags{sourceMgr, out};
  std::optional<Program> program;
};

TEST_F(SouffleParserTest, Declarations) {
  ASSERT_TRUE(parse(R"(
    // comment
    /* block
       comment */
    #define IGNORED 1
    .type Node <: symbol
    .type Id = number
    .decl edge, path(a: Node, b: Node)
    .decl w(x: unsigned, y: float)
  )")) << diagnostics();
  ASSERT_EQ(program->types.size(), 2u);
  EXPECT_EQ(program->types[0].kind, TypeDecl::Kind::Subtype);
  EXPECT_EQ(program->types[0].name, "Node");
  EXPECT_EQ(program->types[0].base, "symbol");
  EXPECT_EQ(program->types[1].kind, TypeDecl::Kind::Alias);
  EXPECT_EQ(program->types[1].base, "number");
  ASSERT_EQ(program->relations.size(), 3u);
  EXPECT_EQ(program->relations[0].name, "edge");
  EXPECT_EQ(program->relations[1].name, "path");
  ASSERT_EQ(program->relations[1].attributes.size(), 2u);
  EXPECT_EQ(program->relations[1].attributes[1].name, "b");
  EXPECT_EQ(program->relations[1].attributes[1].type, "Node");
  EXPECT_EQ(program->relations[2].attributes[1].type, "float");
}

TEST_F(SouffleParserTest, IODirectives) {
  ASSERT_TRUE(parse(R"(.decl a(x: number)
.input a(IO=file, filename="in\"put.csv", delimiter=",")
.output a, a(IO=stdout)
.printsize a
)")) << diagnostics();
  ASSERT_EQ(program->directives.size(), 4u);
  const IODirective &input = program->directives[0];
  EXPECT_EQ(input.kind, IODirective::Kind::Input);
  EXPECT_EQ(input.relation, "a");
  ASSERT_EQ(input.params.size(), 3u);
  EXPECT_EQ(input.params[0].first, "IO");
  EXPECT_EQ(input.params[0].second, "file");
  EXPECT_EQ(input.params[1].second, "in\"put.csv");
  EXPECT_EQ(input.params[2].second, ",");
  EXPECT_EQ(program->directives[1].kind, IODirective::Kind::Output);
  EXPECT_EQ(program->directives[2].params.size(), 1u);
  EXPECT_EQ(program->directives[3].kind, IODirective::Kind::PrintSize);
}

TEST_F(SouffleParserTest, FactsAndRules) {
  ASSERT_TRUE(parse(R"(
    e(1, 0x1F, 2u, 1.5, "s", -3).
    p(x, y) :- e(x, _, y), !q(y), x + 1 * 2 >= y, cat(x, "a") = z.
  )")) << diagnostics();
  ASSERT_EQ(program->clauses.size(), 2u);
  const Clause &fact = program->clauses[0];
  EXPECT_TRUE(fact.isFact());
  ASSERT_EQ(fact.head.args.size(), 6u);
  EXPECT_EQ(fact.head.args[1].kind, Term::Kind::Number);
  EXPECT_EQ(fact.head.args[1].text, "0x1F");
  EXPECT_EQ(fact.head.args[2].text, "2u");
  EXPECT_EQ(fact.head.args[3].text, "1.5");
  EXPECT_EQ(fact.head.args[4].kind, Term::Kind::String);
  EXPECT_EQ(fact.head.args[4].text, "s");
  EXPECT_EQ(fact.head.args[5].kind, Term::Kind::Negate);

  const Clause &rule = program->clauses[1];
  EXPECT_EQ(rule.head.relation, "p");
  ASSERT_EQ(rule.body.size(), 4u);
  EXPECT_EQ(rule.body[0].kind, Literal::Kind::Atom);
  EXPECT_EQ(rule.body[0].atom.args[1].kind, Term::Kind::Wildcard);
  EXPECT_EQ(rule.body[1].kind, Literal::Kind::NegatedAtom);
  EXPECT_EQ(rule.body[1].atom.relation, "q");
  ASSERT_EQ(rule.body[2].kind, Literal::Kind::Constraint);
  EXPECT_EQ(rule.body[2].compareOp, CompareOp::Ge);
  const Term &sum = rule.body[2].sides[0];
  ASSERT_EQ(sum.kind, Term::Kind::Binary);
  EXPECT_EQ(sum.binaryOp, BinaryOp::Add); // `*` binds tighter
  EXPECT_EQ(sum.operands[1].binaryOp, BinaryOp::Mul);
  EXPECT_EQ(rule.body[3].sides[0].kind, Term::Kind::Functor);
  EXPECT_EQ(rule.body[3].sides[0].text, "cat");
}

TEST_F(SouffleParserTest, Aggregates) {
  ASSERT_TRUE(parse(R"(
    a(c) :- c = count : { e(m), m < 3 }.
    b(s) :- s = sum x + 1 : e(x).
    c(m) :- m = min x : e(x).
    d(m) :- m = max x : e(x).
    f(m) :- m = mean x : { e(x) }.
  )")) << diagnostics();
  ASSERT_EQ(program->clauses.size(), 5u);
  const Term &count = program->clauses[0].body[0].sides[1];
  ASSERT_EQ(count.kind, Term::Kind::Aggregate);
  EXPECT_EQ(count.aggregateOp, AggregateOp::Count);
  EXPECT_TRUE(count.operands.empty());
  EXPECT_EQ(count.body.size(), 2u);
  const Term &sum = program->clauses[1].body[0].sides[1];
  EXPECT_EQ(sum.aggregateOp, AggregateOp::Sum);
  ASSERT_EQ(sum.operands.size(), 1u);
  EXPECT_EQ(sum.operands[0].kind, Term::Kind::Binary);
  ASSERT_EQ(sum.body.size(), 1u);
  EXPECT_EQ(sum.body[0].atom.relation, "e");
  EXPECT_EQ(program->clauses[2].body[0].sides[1].aggregateOp, AggregateOp::Min);
  EXPECT_EQ(program->clauses[3].body[0].sides[1].aggregateOp, AggregateOp::Max);
  EXPECT_EQ(program->clauses[4].body[0].sides[1].aggregateOp,
            AggregateOp::Mean);
}

TEST_F(SouffleParserTest, RangesPointIntoTheSource) {
  llvm::StringRef source = "p(x) :- q(x).";
  ASSERT_TRUE(parse(source));
  const Clause &rule = program->clauses[0];
  auto text = [](llvm::SMRange range) {
    return std::string(range.Start.getPointer(), range.End.getPointer());
  };
  EXPECT_EQ(text(rule.range), "p(x) :- q(x).");
  EXPECT_EQ(text(rule.head.range), "p(x)");
  EXPECT_EQ(text(rule.body[0].atom.nameRange), "q");
}

TEST_F(SouffleParserTest, MissingDotIsLocated) {
  EXPECT_FALSE(parse("p(1)\nq(2)."));
  EXPECT_NE(diagnostics().find("input.dl:1:5: error: expected '.' after clause"),
            std::string::npos)
      << diagnostics();
}

TEST_F(SouffleParserTest, UnexpectedTokenIsLocated) {
  EXPECT_FALSE(parse(".decl a(x: number\n"));
  EXPECT_NE(diagnostics().find("input.dl:2:1: error: unexpected end of input"),
            std::string::npos)
      << diagnostics();
}

TEST_F(SouffleParserTest, InvalidCharacterIsLocated) {
  EXPECT_FALSE(parse("a(1).\nb(@)."));
  EXPECT_NE(diagnostics().find("input.dl:2:3: error: invalid character '@'"),
            std::string::npos)
      << diagnostics();
}

TEST_F(SouffleParserTest, SemaAcceptsAWellFormedProgram) {
  EXPECT_TRUE(parseAndCheck(R"(
    .type Node <: symbol
    .decl e(a: Node, b: Node)
    .decl r(a: Node, b: Node)
    .decl n(a: Node, c: number)
    .input e
    .output r
    r(x, y) :- e(x, y).
    r(x, z) :- r(x, y), e(y, z), !e(z, x).
    n(x, c) :- e(x, _), c = count : { e(x, y), y != x }.
    n(x, c + 1) :- e(x, _), c = 2.
  )")) << diagnostics();
}

TEST_F(SouffleParserTest, SemaReportsGroundedness) {
  EXPECT_FALSE(parseAndCheck(R"(.decl e(a: number)
e(x) :- e(y).
e(y) :- e(y), !e(z).
e(x).
)"));
  std::string out = diagnostics();
  EXPECT_NE(out.find("input.dl:2:3: error: ungrounded variable 'x'"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("input.dl:3:18: error: ungrounded variable 'z'"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("input.dl:4:3: error: ungrounded variable 'x'"),
            std::string::npos)
      << out;
}

TEST_F(SouffleParserTest, SemaReportsDeclarationErrors) {
  EXPECT_FALSE(parseAndCheck(R"(.decl e(a: number)
.decl e(a: Nope)
f(1).
e(1, 2).
.output g
)"));
  std::string out = diagnostics();
  EXPECT_NE(out.find("input.dl:2:7: error: redefinition of relation 'e'"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("input.dl:2:12: error: unknown type 'Nope'"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("input.dl:3:1: error: use of undeclared relation 'f'"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("input.dl:4:1: error: relation 'e' has arity 1 but is "
                     "used with 2 arguments"),
            std::string::npos)
      << out;
  EXPECT_NE(
      out.find("input.dl:5:9: error: IO directive for undeclared relation 'g'"),
      std::string::npos)
      << out;
}

} // namespace
