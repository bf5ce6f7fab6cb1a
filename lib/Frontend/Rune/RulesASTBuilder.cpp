//===- RulesASTBuilder.cpp - [rules] parse tree to Datalog AST ------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "RulesASTBuilder.h"

#include "rune/Frontend/Common/StringEscapes.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/Twine.h"

#include <cstdint>
#include <optional>

using namespace rune;
using namespace rune::runefile::detail;
using namespace rune::souffle;
using rune::runefile::grammar::RuneRulesParser;

namespace {

/// The contents of a string literal token, escapes decoded.
std::string unquote(llvm::StringRef literal) {
  return frontend::unquoteDatalogString(literal);
}

std::optional<AggregateOp> aggregateOpNamed(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<AggregateOp>>(name)
      .Case("count", AggregateOp::Count)
      .Case("sum", AggregateOp::Sum)
      .Case("min", AggregateOp::Min)
      .Case("max", AggregateOp::Max)
      .Case("mean", AggregateOp::Mean)
      .Default(std::nullopt);
}

bool isTestMethod(llvm::StringRef name) {
  return name == "starts_with" || name == "ends_with" || name == "contains";
}

/// The method name of a METHOD token `.name(`.
llvm::StringRef methodName(llvm::StringRef token) {
  return token.drop_front().drop_back();
}

} // namespace

std::vector<Clause>
RulesASTBuilder::build(RuneRulesParser::ProgramContext *tree) {
  std::vector<Clause> clauses;
  for (auto *clause : tree->clause())
    clauses.push_back(buildClause(clause));
  return clauses;
}

Clause RulesASTBuilder::buildClause(RuneRulesParser::ClauseContext *ctx) {
  Clause clause;
  clause.range = locator.rangeOf(ctx);
  clause.head = buildAtom(ctx->atom());
  if (!ctx->body())
    return clause;
  std::vector<RuneRulesParser::LiteralContext *> literals =
      ctx->body()->literal();
  for (auto *literal : literals) {
    auto *lone =
        dynamic_cast<RuneRulesParser::AggregateLiteralContext *>(literal);
    if (!lone) {
      clause.body.push_back(buildLiteral(literal));
      continue;
    }
    // The short form: `h(..., N) :- count(V, atom).` is
    // `h(..., N) :- N = count(V, atom).`
    llvm::SMRange range = locator.rangeOf(lone);
    if (literals.size() != 1) {
      diags.error(range.Start,
                  "an aggregate without 'N =' must be the only literal of "
                  "its rule",
                  {range});
      continue;
    }
    if (clause.head.args.empty()) {
      diags.error(range.Start,
                  "a lone aggregate gives the value of the head's last "
                  "argument, but '" +
                      clause.head.relation + "' has no arguments",
                  {range});
      continue;
    }
    Literal equation;
    equation.kind = Literal::Kind::Constraint;
    equation.compareOp = CompareOp::Eq;
    equation.range = range;
    equation.sides.push_back(clause.head.args.back());
    equation.sides.push_back(buildAggregate(lone->aggregate()));
    clause.body.push_back(std::move(equation));
  }
  return clause;
}

Literal RulesASTBuilder::buildLiteral(RuneRulesParser::LiteralContext *ctx) {
  Literal literal;
  literal.range = locator.rangeOf(ctx);
  if (auto *neg = dynamic_cast<RuneRulesParser::NegatedLiteralContext *>(ctx)) {
    literal.kind = Literal::Kind::NegatedAtom;
    literal.atom = buildAtom(neg->atom());
  } else if (auto *pos =
                 dynamic_cast<RuneRulesParser::AtomLiteralContext *>(ctx)) {
    literal.kind = Literal::Kind::Atom;
    literal.atom = buildAtom(pos->atom());
  } else if (auto *cmp =
                 dynamic_cast<RuneRulesParser::ComparisonLiteralContext *>(
                     ctx)) {
    literal.kind = Literal::Kind::Constraint;
    auto *op = cmp->compareOp();
    literal.compareOp = op->NE()   ? CompareOp::Ne
                        : op->LT() ? CompareOp::Lt
                        : op->LE() ? CompareOp::Le
                        : op->GT() ? CompareOp::Gt
                        : op->GE() ? CompareOp::Ge
                                   : CompareOp::Eq;
    literal.sides.push_back(buildTerm(cmp->term(0), /*allowAggregate=*/true));
    literal.sides.push_back(buildTerm(cmp->term(1), /*allowAggregate=*/true));
  } else {
    auto *test = dynamic_cast<RuneRulesParser::TestLiteralContext *>(ctx);
    literal.kind = Literal::Kind::Test;
    RuneRulesParser::TermContext *term = test->term();
    while (auto *paren =
               dynamic_cast<RuneRulesParser::ParenTermContext *>(term))
      term = paren->term();
    auto *method = dynamic_cast<RuneRulesParser::MethodTermContext *>(term);
    if (!method) {
      diags.error(literal.range.Start,
                  "expected a condition: an atom, 'not' atom, a comparison "
                  "or a string test such as X.starts_with(\"...\")",
                  {literal.range});
      return literal;
    }
    literal.sides.push_back(buildMethod(method, /*asCondition=*/true));
  }
  return literal;
}

Atom RulesASTBuilder::buildAtom(RuneRulesParser::AtomContext *ctx) {
  if (auto *call = ctx->relationCall())
    return buildCall(call);
  // A nullary atom written without parentheses.
  Atom atom;
  atom.range = atom.nameRange = locator.rangeOf(ctx->NAME());
  atom.relation = locator.textOf(ctx->NAME()).str();
  return atom;
}

Atom RulesASTBuilder::buildCall(RuneRulesParser::RelationCallContext *ctx) {
  Atom atom;
  atom.range = locator.rangeOf(ctx);
  atom.nameRange = locator.rangeOf(ctx->NAME());
  atom.relation = locator.textOf(ctx->NAME()).str();
  for (auto *term : ctx->term())
    atom.args.push_back(buildTerm(term, /*allowAggregate=*/false));
  return atom;
}

Term RulesASTBuilder::buildAggregate(RuneRulesParser::AggregateContext *ctx) {
  Term term;
  term.kind = Term::Kind::Aggregate;
  term.range = locator.rangeOf(ctx);
  llvm::StringRef name = locator.textOf(ctx->NAME());
  std::optional<AggregateOp> op = aggregateOpNamed(name);
  if (!op) {
    llvm::SMRange range = locator.rangeOf(ctx->NAME());
    diags.error(range.Start,
                "unknown aggregate '" + name +
                    "'; expected count, sum, min, max or mean",
                {range});
  } else {
    term.aggregateOp = *op;
  }
  Term value = buildTerm(ctx->term(), /*allowAggregate=*/false);
  if (value.kind != Term::Kind::Variable)
    diags.error(value.range.Start,
                "the aggregated value must be a variable of the atom",
                {value.range});
  term.operands.push_back(std::move(value));
  Literal body;
  body.kind = Literal::Kind::Atom;
  body.range = locator.rangeOf(ctx->relationCall());
  body.atom = buildCall(ctx->relationCall());
  term.body.push_back(std::move(body));
  return term;
}

Term RulesASTBuilder::buildMethod(RuneRulesParser::MethodTermContext *ctx,
                                  bool asCondition) {
  Term term;
  term.kind = Term::Kind::Functor;
  term.range = locator.rangeOf(ctx);
  antlr4::Token *token = ctx->METHOD()->getSymbol();
  llvm::StringRef name = methodName(locator.textOf(token));
  // The name without the '.' and '(' the token includes.
  llvm::SMRange nameRange(locator.locAt(token->getStartIndex() + 1),
                          locator.locAt(token->getStopIndex()));
  std::vector<RuneRulesParser::TermContext *> terms = ctx->term();
  Term receiver = buildTerm(terms[0], /*allowAggregate=*/false);
  std::vector<Term> args;
  for (size_t i = 1; i < terms.size(); ++i)
    args.push_back(buildTerm(terms[i], /*allowAggregate=*/false));

  auto expectArgs = [&](size_t count) {
    if (args.size() == count)
      return true;
    diags.error(nameRange.Start,
                "'" + name + "' takes " + llvm::Twine(count) + " argument" +
                    (count == 1 ? "" : "s") + ", not " +
                    llvm::Twine(args.size()),
                {term.range});
    return false;
  };

  if (isTestMethod(name)) {
    if (!asCondition) {
      diags.error(nameRange.Start,
                  "'" + name +
                      "' is a condition, not a value; write it as a literal "
                      "of the rule body",
                  {term.range});
      return term;
    }
    if (!expectArgs(1))
      return term;
    term.text = name.str();
    if (name == "contains") {
      // Soufflé's contains(needle, haystack).
      term.operands.push_back(std::move(args[0]));
      term.operands.push_back(std::move(receiver));
    } else {
      term.operands.push_back(std::move(receiver));
      term.operands.push_back(std::move(args[0]));
    }
    return term;
  }
  if (name == "len") {
    if (asCondition) {
      diags.error(nameRange.Start,
                  "'len' gives a value, not a condition; compare it, e.g. "
                  "X.len() > 0",
                  {term.range});
      return term;
    }
    if (!expectArgs(0))
      return term;
    term.text = "strlen";
    term.operands.push_back(std::move(receiver));
    return term;
  }
  diags.error(nameRange.Start,
              "unknown method '" + name +
                  "'; expected starts_with, ends_with, contains or len",
              {nameRange});
  return term;
}

Term RulesASTBuilder::buildInteger(llvm::StringRef digits, bool negative,
                                   llvm::SMRange range) {
  Term term;
  term.kind = Term::Kind::Number;
  term.range = range;
  // `any` columns hold 62-bit integers (Word.h).
  constexpr uint64_t Limit = uint64_t(1) << 61;
  uint64_t value = 0;
  bool overflow =
      digits.getAsInteger(10, value) || value > (negative ? Limit : Limit - 1);
  if (overflow) {
    diags.error(range.Start,
                "integer " + llvm::Twine(negative ? "-" : "") + digits +
                    " does not fit the 62-bit integers of rule columns",
                {range});
  }
  term.text = digits.str();
  if (!negative)
    return term;
  // Negative constants are Negate(Number), as for Soufflé's `-5`.
  Term negation;
  negation.kind = Term::Kind::Negate;
  negation.range = range;
  negation.operands.push_back(std::move(term));
  return negation;
}

Term RulesASTBuilder::buildTerm(RuneRulesParser::TermContext *ctx,
                                bool allowAggregate) {
  if (auto *paren = dynamic_cast<RuneRulesParser::ParenTermContext *>(ctx))
    return buildTerm(paren->term(), allowAggregate);
  Term term;
  term.range = locator.rangeOf(ctx);
  if (auto *method = dynamic_cast<RuneRulesParser::MethodTermContext *>(ctx))
    return buildMethod(method, /*asCondition=*/false);
  if (auto *neg = dynamic_cast<RuneRulesParser::NegTermContext *>(ctx)) {
    // A minus in front of an integer is part of the constant, so that the
    // smallest integer can be written.
    if (auto *integer =
            dynamic_cast<RuneRulesParser::IntegerTermContext *>(neg->term()))
      return buildInteger(locator.textOf(integer->INTEGER()),
                          /*negative=*/true, term.range);
    term.kind = Term::Kind::Negate;
    term.operands.push_back(buildTerm(neg->term(), allowAggregate));
    return term;
  }
  if (auto *mul = dynamic_cast<RuneRulesParser::MulTermContext *>(ctx)) {
    term.kind = Term::Kind::Binary;
    term.binaryOp = mul->STAR()    ? BinaryOp::Mul
                    : mul->SLASH() ? BinaryOp::Div
                                   : BinaryOp::Mod;
    term.operands.push_back(buildTerm(mul->term(0), allowAggregate));
    term.operands.push_back(buildTerm(mul->term(1), allowAggregate));
    return term;
  }
  if (auto *add = dynamic_cast<RuneRulesParser::AddTermContext *>(ctx)) {
    term.kind = Term::Kind::Binary;
    term.binaryOp = add->PLUS() ? BinaryOp::Add : BinaryOp::Sub;
    term.operands.push_back(buildTerm(add->term(0), allowAggregate));
    term.operands.push_back(buildTerm(add->term(1), allowAggregate));
    return term;
  }
  if (auto *agg = dynamic_cast<RuneRulesParser::AggregateTermContext *>(ctx)) {
    if (!allowAggregate)
      diags.error(term.range.Start,
                  "an aggregate can only be compared, e.g. "
                  "N = count(V, atom), not used inside an atom",
                  {term.range});
    return buildAggregate(agg->aggregate());
  }
  if (auto *var = dynamic_cast<RuneRulesParser::VariableTermContext *>(ctx)) {
    term.kind = Term::Kind::Variable;
    term.text = locator.textOf(var->VARIABLE()).str();
    return term;
  }
  if (dynamic_cast<RuneRulesParser::WildcardTermContext *>(ctx)) {
    term.kind = Term::Kind::Wildcard;
    term.text = "_";
    return term;
  }
  if (auto *integer = dynamic_cast<RuneRulesParser::IntegerTermContext *>(ctx))
    return buildInteger(locator.textOf(integer->INTEGER()),
                        /*negative=*/false, term.range);
  if (auto *str = dynamic_cast<RuneRulesParser::StringTermContext *>(ctx)) {
    term.kind = Term::Kind::String;
    term.text = unquote(locator.textOf(str->STRING()));
    return term;
  }
  auto *symbol = dynamic_cast<RuneRulesParser::SymbolTermContext *>(ctx);
  llvm::StringRef name = locator.textOf(symbol->NAME());
  if (name == "true" || name == "false") {
    term.kind = Term::Kind::Bool;
    term.text = name.str();
    return term;
  }
  // A symbol is the interned string of its name: `alice` == "alice".
  term.kind = Term::Kind::String;
  term.text = name.str();
  return term;
}
