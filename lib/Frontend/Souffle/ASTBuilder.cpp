//===- ASTBuilder.cpp - Soufflé parse tree to AST -------------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "ASTBuilder.h"

#include "rune/Frontend/Common/StringEscapes.h"

using namespace rune;
using namespace rune::souffle;
using namespace rune::souffle::detail;
using grammar::SouffleParser;

std::string rune::souffle::detail::unquote(llvm::StringRef literal) {
  return frontend::unquoteDatalogString(literal);
}

Program ASTBuilder::build(SouffleParser::ProgramContext *tree) {
  Program program;
  for (auto *item : tree->item()) {
    if (auto *type = item->typeDecl()) {
      TypeDecl decl;
      decl.range = locator.rangeOf(type);
      if (auto *sub = dynamic_cast<SouffleParser::SubtypeDeclContext *>(type)) {
        decl.kind = TypeDecl::Kind::Subtype;
        decl.nameRange = locator.rangeOf(sub->IDENT(0));
        decl.baseRange = locator.rangeOf(sub->IDENT(1));
      } else {
        auto *alias = dynamic_cast<SouffleParser::AliasDeclContext *>(type);
        decl.kind = TypeDecl::Kind::Alias;
        decl.nameRange = locator.rangeOf(alias->IDENT(0));
        decl.baseRange = locator.rangeOf(alias->IDENT(1));
      }
      decl.name = locator.textOf(decl.nameRange).str();
      decl.base = locator.textOf(decl.baseRange).str();
      program.types.push_back(std::move(decl));
    } else if (auto *rel = item->relationDecl()) {
      buildRelations(rel, program);
    } else if (auto *io = item->ioDecl()) {
      buildIO(io, program);
    } else if (auto *clause = item->clause()) {
      program.clauses.push_back(buildClause(clause));
    }
  }
  return program;
}

void ASTBuilder::buildRelations(SouffleParser::RelationDeclContext *ctx,
                                Program &program) {
  std::vector<Attribute> attributes;
  for (auto *attr : ctx->attribute()) {
    Attribute a;
    a.range = locator.rangeOf(attr);
    a.name = locator.textOf(attr->IDENT(0)).str();
    a.typeRange = locator.rangeOf(attr->IDENT(1));
    a.type = locator.textOf(a.typeRange).str();
    attributes.push_back(std::move(a));
  }
  for (auto *name : ctx->IDENT()) {
    RelationDecl decl;
    decl.range = locator.rangeOf(ctx);
    decl.nameRange = locator.rangeOf(name);
    decl.name = locator.textOf(name).str();
    decl.attributes = attributes;
    program.relations.push_back(std::move(decl));
  }
}

void ASTBuilder::buildIO(SouffleParser::IoDeclContext *ctx, Program &program) {
  IODirective::Kind kind = IODirective::Kind::Input;
  if (ctx->ioKind()->DOT_OUTPUT())
    kind = IODirective::Kind::Output;
  else if (ctx->ioKind()->DOT_PRINTSIZE())
    kind = IODirective::Kind::PrintSize;
  std::vector<std::pair<std::string, std::string>> params;
  for (auto *param : ctx->ioParam()) {
    std::string value;
    if (param->STRING())
      value = unquote(locator.textOf(param->STRING()));
    else if (param->NUMBER())
      value = locator.textOf(param->NUMBER()).str();
    else
      value = locator.textOf(param->IDENT(1)).str();
    params.emplace_back(locator.textOf(param->IDENT(0)).str(), value);
  }
  for (auto *name : ctx->IDENT()) {
    IODirective directive;
    directive.kind = kind;
    directive.relation = locator.textOf(name).str();
    directive.relationRange = locator.rangeOf(name);
    directive.range = locator.rangeOf(ctx);
    directive.params = params;
    program.directives.push_back(std::move(directive));
  }
}

Clause ASTBuilder::buildClause(SouffleParser::ClauseContext *ctx) {
  Clause clause;
  clause.range = locator.rangeOf(ctx);
  clause.head = buildAtom(ctx->atom());
  if (ctx->body())
    clause.body = buildBody(ctx->body());
  return clause;
}

std::vector<Literal> ASTBuilder::buildBody(SouffleParser::BodyContext *ctx) {
  std::vector<Literal> literals;
  for (auto *literal : ctx->literal())
    literals.push_back(buildLiteral(literal));
  return literals;
}

Literal ASTBuilder::buildLiteral(SouffleParser::LiteralContext *ctx) {
  Literal literal;
  literal.range = locator.rangeOf(ctx);
  if (auto *neg = dynamic_cast<SouffleParser::NegatedLiteralContext *>(ctx)) {
    literal.kind = Literal::Kind::NegatedAtom;
    literal.atom = buildAtom(neg->atom());
  } else if (auto *pos =
                 dynamic_cast<SouffleParser::AtomLiteralContext *>(ctx)) {
    literal.kind = Literal::Kind::Atom;
    literal.atom = buildAtom(pos->atom());
    // Soufflé's boolean functors look like atoms: `contains(a, b)` and
    // `match(p, s)` hold or not (they are not relation names there).
    if (literal.atom.relation == "contains" ||
        literal.atom.relation == "match") {
      Term test;
      test.kind = Term::Kind::Functor;
      test.text = literal.atom.relation;
      test.range = literal.atom.range;
      test.operands = std::move(literal.atom.args);
      literal.kind = Literal::Kind::Test;
      literal.atom = Atom();
      literal.sides.push_back(std::move(test));
    }
  } else {
    auto *cons = dynamic_cast<SouffleParser::ConstraintLiteralContext *>(ctx);
    literal.kind = Literal::Kind::Constraint;
    auto *op = cons->compareOp();
    if (op->NE())
      literal.compareOp = CompareOp::Ne;
    else if (op->LT())
      literal.compareOp = CompareOp::Lt;
    else if (op->LE())
      literal.compareOp = CompareOp::Le;
    else if (op->GT())
      literal.compareOp = CompareOp::Gt;
    else if (op->GE())
      literal.compareOp = CompareOp::Ge;
    else
      literal.compareOp = CompareOp::Eq;
    literal.sides.push_back(buildTerm(cons->term(0)));
    literal.sides.push_back(buildTerm(cons->term(1)));
  }
  return literal;
}

Atom ASTBuilder::buildAtom(SouffleParser::AtomContext *ctx) {
  Atom atom;
  atom.range = locator.rangeOf(ctx);
  atom.nameRange = locator.rangeOf(ctx->IDENT());
  atom.relation = locator.textOf(ctx->IDENT()).str();
  for (auto *term : ctx->term())
    atom.args.push_back(buildTerm(term));
  return atom;
}

Term ASTBuilder::buildTerm(SouffleParser::TermContext *ctx) {
  if (auto *paren = dynamic_cast<SouffleParser::ParenTermContext *>(ctx))
    return buildTerm(paren->term());
  Term term;
  term.range = locator.rangeOf(ctx);
  if (auto *neg = dynamic_cast<SouffleParser::NegTermContext *>(ctx)) {
    term.kind = Term::Kind::Negate;
    term.operands.push_back(buildTerm(neg->term()));
  } else if (auto *mul = dynamic_cast<SouffleParser::MulTermContext *>(ctx)) {
    term.kind = Term::Kind::Binary;
    term.binaryOp = mul->STAR()    ? BinaryOp::Mul
                    : mul->SLASH() ? BinaryOp::Div
                                   : BinaryOp::Mod;
    term.operands.push_back(buildTerm(mul->term(0)));
    term.operands.push_back(buildTerm(mul->term(1)));
  } else if (auto *add = dynamic_cast<SouffleParser::AddTermContext *>(ctx)) {
    term.kind = Term::Kind::Binary;
    term.binaryOp = add->PLUS() ? BinaryOp::Add : BinaryOp::Sub;
    term.operands.push_back(buildTerm(add->term(0)));
    term.operands.push_back(buildTerm(add->term(1)));
  } else if (auto *agg =
                 dynamic_cast<SouffleParser::AggregateTermContext *>(ctx)) {
    term.kind = Term::Kind::Aggregate;
    auto *op = agg->aggregateOp();
    term.aggregateOp = op->KW_COUNT() ? AggregateOp::Count
                       : op->KW_SUM() ? AggregateOp::Sum
                       : op->KW_MIN() ? AggregateOp::Min
                       : op->KW_MAX() ? AggregateOp::Max
                                      : AggregateOp::Mean;
    if (agg->term())
      term.operands.push_back(buildTerm(agg->term()));
    auto *body = agg->aggregateBody();
    if (body->body()) {
      term.body = buildBody(body->body());
    } else {
      Literal literal;
      literal.kind = Literal::Kind::Atom;
      literal.range = locator.rangeOf(body);
      literal.atom = buildAtom(body->atom());
      term.body.push_back(std::move(literal));
    }
  } else if (auto *minMax =
                 dynamic_cast<SouffleParser::MinMaxTermContext *>(ctx)) {
    // The binary functors min(a, b) and max(a, b) share their keywords
    // with the aggregates.
    term.kind = Term::Kind::Functor;
    term.text = minMax->KW_MIN() ? "min" : "max";
    term.operands.push_back(buildTerm(minMax->term(0)));
    term.operands.push_back(buildTerm(minMax->term(1)));
  } else if (auto *fn =
                 dynamic_cast<SouffleParser::FunctorTermContext *>(ctx)) {
    term.kind = Term::Kind::Functor;
    term.text = locator.textOf(fn->IDENT()).str();
    for (auto *arg : fn->term())
      term.operands.push_back(buildTerm(arg));
  } else if (auto *var =
                 dynamic_cast<SouffleParser::VariableTermContext *>(ctx)) {
    term.kind = Term::Kind::Variable;
    term.text = locator.textOf(var->IDENT()).str();
  } else if (dynamic_cast<SouffleParser::WildcardTermContext *>(ctx)) {
    term.kind = Term::Kind::Wildcard;
    term.text = "_";
  } else if (auto *num =
                 dynamic_cast<SouffleParser::NumberTermContext *>(ctx)) {
    term.kind = Term::Kind::Number;
    term.text = locator.textOf(num->NUMBER()).str();
  } else {
    auto *str = dynamic_cast<SouffleParser::StringTermContext *>(ctx);
    term.kind = Term::Kind::String;
    term.text = unquote(locator.textOf(str->STRING()));
  }
  return term;
}
