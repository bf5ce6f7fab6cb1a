//===- ASTBuilder.cpp - IPE parse tree to owned AST -----------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "ASTBuilder.h"
#include "rune/Frontend/Common/StringEscapes.h"

#include "llvm/ADT/StringExtras.h"

#include <cerrno>
#include <cstdlib>
#include <limits>

using namespace rune;
using namespace rune::ipe;
using namespace rune::ipe::detail;

// The builders below walk `children` by position and tell labeled
// alternatives apart by their first token instead of calling the generated
// accessors, which dynamic_cast every child (with the ANTLR runtime in a
// shared library, a string comparison of type names each time). The
// positions follow grammar/Ipe.g4; the builder only sees trees without
// syntax errors.

template <typename T>
static T *child(antlr4::ParserRuleContext *ctx, size_t i) {
  return static_cast<T *>(ctx->children[i]);
}

static antlr4::Token *tokenAt(antlr4::ParserRuleContext *ctx, size_t i) {
  return static_cast<antlr4::tree::TerminalNode *>(ctx->children[i])
      ->getSymbol();
}

PolicyFile ASTBuilder::build(P::File_Context *tree) {
  PolicyFile file;
  for (antlr4::tree::ParseTree *child : tree->children) {
    if (auto *policy = dynamic_cast<P::PolicyContext *>(child))
      file.policies.push_back(buildPolicy(policy));
    else if (auto *decl = dynamic_cast<P::EnumDeclContext *>(child))
      file.enums.push_back(buildEnum(decl));
  }
  return file;
}

Policy ASTBuilder::buildPolicy(P::PolicyContext *ctx) {
  // kind IDENT COLON STRING_LIT KW_TRIGGERS KW_WHEN expr requirement
  // metadata?
  Policy policy;
  policy.range = locator.rangeOf(ctx);
  policy.isPredicate = ctx->kind->getType() == P::KW_PREDICATE;
  antlr4::Token *name = tokenAt(ctx, 1);
  policy.name = locator.textOf(name).str();
  policy.nameRange = locator.rangeOf(name);
  antlr4::Token *intent = tokenAt(ctx, 3);
  policy.intent = unquote(intent);
  policy.intentRange = locator.rangeOf(intent);
  policy.trigger = buildExpr(child<P::ExprContext>(ctx, 6));

  auto *requirement = child<P::RequirementContext>(ctx, 7);
  Requirement &req = policy.requirement;
  req.range = locator.rangeOf(requirement);
  if (requirement->getStart()->getType() == P::KW_REQUIRES) {
    // KW_REQUIRES expr (KW_WHERE expr)?
    req.kind = Requirement::Kind::Requires;
    req.condition = buildExpr(child<P::ExprContext>(requirement, 1));
    if (requirement->children.size() == 4) {
      req.whereRange = locator.rangeOf(tokenAt(requirement, 2));
      req.where = buildExpr(child<P::ExprContext>(requirement, 3));
    }
  } else {
    // KW_DENIES (KW_WITH KW_REASON STRING_LIT)?
    req.kind = Requirement::Kind::Denies;
    if (requirement->children.size() == 4) {
      antlr4::Token *reason = tokenAt(requirement, 3);
      req.reason = unquote(reason);
      req.reasonRange = locator.rangeOf(reason);
    }
  }

  if (ctx->children.size() == 9) {
    // KW_METADATA entry+, each entry IDENT COLON value
    auto *metadata = child<P::MetadataContext>(ctx, 8);
    for (size_t i = 1; i < metadata->children.size(); ++i) {
      auto *entry = child<P::EntryContext>(metadata, i);
      antlr4::Token *key = tokenAt(entry, 0);
      policy.metadata.push_back({locator.textOf(key).str(),
                                 locator.rangeOf(key),
                                 buildValue(child<P::ValueContext>(entry, 2))});
    }
  }
  return policy;
}

EnumDecl ASTBuilder::buildEnum(P::EnumDeclContext *ctx) {
  EnumDecl decl;
  decl.range = locator.rangeOf(ctx);
  std::vector<antlr4::tree::TerminalNode *> idents = ctx->IDENT();
  decl.name = locator.textOf(idents[0]).str();
  decl.nameRange = locator.rangeOf(idents[0]);
  for (size_t i = 1; i < idents.size(); ++i)
    decl.members.push_back(
        {locator.textOf(idents[i]).str(), locator.rangeOf(idents[i])});
  return decl;
}

ExprPtr ASTBuilder::binary(Expr::Kind kind, ExprPtr lhs, ExprPtr rhs) {
  auto expr = std::make_unique<Expr>(kind);
  expr->range = {lhs->range.Start, rhs->range.End};
  expr->operands.push_back(std::move(lhs));
  expr->operands.push_back(std::move(rhs));
  return expr;
}

ExprPtr ASTBuilder::buildExpr(P::ExprContext *ctx) {
  // andExpr (KW_OR andExpr)*
  ExprPtr result = buildAnd(child<P::AndExprContext>(ctx, 0));
  for (size_t i = 2; i < ctx->children.size(); i += 2)
    result = binary(Expr::Kind::Or, std::move(result),
                    buildAnd(child<P::AndExprContext>(ctx, i)));
  return result;
}

ExprPtr ASTBuilder::buildAnd(P::AndExprContext *ctx) {
  // notExpr (KW_AND notExpr)*
  ExprPtr result = buildNot(child<P::NotExprContext>(ctx, 0));
  for (size_t i = 2; i < ctx->children.size(); i += 2)
    result = binary(Expr::Kind::And, std::move(result),
                    buildNot(child<P::NotExprContext>(ctx, i)));
  return result;
}

ExprPtr ASTBuilder::buildNot(P::NotExprContext *ctx) {
  if (ctx->getStart()->getType() == P::KW_NOT) { // KW_NOT notExpr
    auto expr = std::make_unique<Expr>(Expr::Kind::Not);
    expr->range = locator.rangeOf(ctx);
    expr->operands.push_back(buildNot(child<P::NotExprContext>(ctx, 1)));
    return expr;
  }
  return buildComparison(child<P::ComparisonContext>(ctx, 0));
}

std::optional<CompareOp> rune::ipe::detail::compareOpOfToken(size_t type) {
  using P = grammar::IpeParser;
  switch (type) {
  case P::EQ:
    return CompareOp::Eq;
  case P::NE:
    return CompareOp::Ne;
  case P::LT:
    return CompareOp::Lt;
  case P::LE:
    return CompareOp::Le;
  case P::GT:
    return CompareOp::Gt;
  case P::GE:
    return CompareOp::Ge;
  default:
    return std::nullopt;
  }
}

ExprPtr ASTBuilder::buildComparison(P::ComparisonContext *ctx) {
  // inExpr (op inExpr)*
  ExprPtr lhs = buildIn(child<P::InExprContext>(ctx, 0));
  size_t operands = (ctx->children.size() + 1) / 2;
  if (operands == 1)
    return lhs;
  antlr4::Token *op = tokenAt(ctx, 1);
  if (operands > 2) {
    antlr4::Token *second = tokenAt(ctx, 3);
    diags.error(locator.startOf(second),
                "comparison operators do not chain; use 'and' or "
                "parentheses",
                {locator.rangeOf(second)});
    diags.note(locator.startOf(op), "previous comparison is here");
  }
  ExprPtr rhs = buildIn(child<P::InExprContext>(ctx, 2));
  ExprPtr expr = binary(Expr::Kind::Compare, std::move(lhs), std::move(rhs));
  // The grammar only lets comparison tokens here.
  expr->op = compareOpOfToken(op->getType()).value_or(CompareOp::Eq);
  expr->opRange = locator.rangeOf(op);
  return expr;
}

ExprPtr ASTBuilder::buildIn(P::InExprContext *ctx) {
  // primary (KW_IN LBRACKET value (COMMA value)* RBRACKET)?
  ExprPtr operand = buildPrimary(child<P::PrimaryContext>(ctx, 0));
  if (ctx->children.size() == 1)
    return operand;
  auto expr = std::make_unique<Expr>(Expr::Kind::In);
  expr->range = locator.rangeOf(ctx);
  expr->operands.push_back(std::move(operand));
  for (size_t i = 3; i + 1 < ctx->children.size(); i += 2)
    expr->members.push_back(buildValue(child<P::ValueContext>(ctx, i)));
  return expr;
}

ExprPtr ASTBuilder::buildPrimary(P::PrimaryContext *ctx) {
  switch (ctx->getStart()->getType()) {
  case P::LPAREN: { // LPAREN expr RPAREN
    ExprPtr inner = buildExpr(child<P::ExprContext>(ctx, 1));
    inner->range = locator.rangeOf(ctx);
    return inner;
  }
  case P::IDENT: { // path callArguments?
    bool isCall = ctx->children.size() == 2;
    auto expr =
        std::make_unique<Expr>(isCall ? Expr::Kind::Call : Expr::Kind::Path);
    expr->range = locator.rangeOf(ctx);
    expr->path = buildPath(child<P::PathContext>(ctx, 0));
    if (isCall) {
      // LPAREN (expr (COMMA expr)*)? RPAREN
      auto *call = child<P::CallArgumentsContext>(ctx, 1);
      for (size_t i = 1; i + 1 < call->children.size(); i += 2)
        expr->operands.push_back(buildExpr(child<P::ExprContext>(call, i)));
    }
    return expr;
  }
  default: { // literal
    auto expr = std::make_unique<Expr>(Expr::Kind::Literal);
    expr->range = locator.rangeOf(ctx);
    expr->literal = buildLiteral(child<P::LiteralContext>(ctx, 0));
    return expr;
  }
  }
}

std::vector<std::string> ASTBuilder::buildPath(P::PathContext *ctx) {
  // IDENT (DOT IDENT)*
  std::vector<std::string> components;
  components.reserve((ctx->children.size() + 1) / 2);
  for (size_t i = 0; i < ctx->children.size(); i += 2)
    components.push_back(locator.textOf(tokenAt(ctx, i)).str());
  return components;
}

Value ASTBuilder::buildLiteral(P::LiteralContext *ctx) {
  Value value;
  value.range = locator.rangeOf(ctx);
  size_t first = ctx->getStart()->getType();
  switch (first) {
  case P::STRING_LIT:
    value.kind = Value::Kind::String;
    value.string = unquote(tokenAt(ctx, 0));
    return value;
  case P::KW_TRUE:
  case P::KW_FALSE:
    value.kind = Value::Kind::Bool;
    value.boolValue = first == P::KW_TRUE;
    return value;
  default:
    break;
  }
  // MINUS? (INT_LIT | FLOAT_LIT)
  bool negative = first == P::MINUS;
  antlr4::Token *number = tokenAt(ctx, negative ? 1 : 0);
  if (number->getType() == P::INT_LIT) {
    value.kind = Value::Kind::Int;
    llvm::StringRef digits = locator.textOf(number);
    uint64_t magnitude = 0;
    uint64_t limit =
        uint64_t(std::numeric_limits<int64_t>::max()) + (negative ? 1 : 0);
    if (digits.getAsInteger(10, magnitude) || magnitude > limit) {
      diags.error(value.range.Start,
                  "integer literal is out of range for a 64-bit integer",
                  {value.range});
    } else {
      value.intValue = negative ? int64_t(0 - magnitude) : int64_t(magnitude);
    }
    return value;
  }
  value.kind = Value::Kind::Float;
  std::string digits = locator.textOf(number).str();
  value.floatValue = std::strtod(digits.c_str(), nullptr);
  if (negative)
    value.floatValue = -value.floatValue;
  return value;
}

Value ASTBuilder::buildValue(P::ValueContext *ctx) {
  switch (ctx->getStart()->getType()) {
  case P::IDENT: {
    Value value;
    value.range = locator.rangeOf(ctx);
    value.kind = Value::Kind::String;
    value.string = locator.textOf(tokenAt(ctx, 0)).str();
    value.bareIdentifier = true;
    return value;
  }
  case P::LBRACKET: { // LBRACKET (value (COMMA value)*)? RBRACKET
    Value value;
    value.range = locator.rangeOf(ctx);
    value.kind = Value::Kind::List;
    for (size_t i = 1; i + 1 < ctx->children.size(); i += 2)
      value.elements.push_back(buildValue(child<P::ValueContext>(ctx, i)));
    return value;
  }
  default:
    return buildLiteral(child<P::LiteralContext>(ctx, 0));
  }
}

std::string ASTBuilder::unquote(antlr4::Token *token) {
  llvm::StringRef text = locator.textOf(token);
  const char *base = text.data();
  text = text.drop_front().drop_back();
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '\\') {
      out += c;
      continue;
    }
    char escape = text[++i];
    if (std::optional<char> decoded = frontend::simpleEscape(escape)) {
      out += *decoded;
      continue;
    }
    // text starts one past the opening quote.
    size_t offset = 1 + i - 1;
    llvm::SMLoc loc = llvm::SMLoc::getFromPointer(base + offset);
    llvm::SMLoc end = llvm::SMLoc::getFromPointer(base + offset + 2);
    diags.error(loc,
                llvm::Twine("unknown escape sequence '\\") + text.substr(i, 1) +
                    "'; strings accept \\n, \\t, \\r, \\\\ and \\\"",
                {llvm::SMRange(loc, end)});
    out += escape;
  }
  return out;
}
