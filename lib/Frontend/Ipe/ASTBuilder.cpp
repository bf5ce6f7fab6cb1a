//===- ASTBuilder.cpp - IPE parse tree to owned AST -----------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "ASTBuilder.h"

#include "llvm/ADT/StringExtras.h"

#include <cerrno>
#include <cstdlib>
#include <limits>

using namespace rune;
using namespace rune::ipe;
using namespace rune::ipe::detail;

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
  Policy policy;
  policy.range = locator.rangeOf(ctx);
  policy.isPredicate = ctx->kind->getType() == P::KW_PREDICATE;
  policy.name = locator.textOf(ctx->IDENT()).str();
  policy.nameRange = locator.rangeOf(ctx->IDENT());
  policy.intent = unquote(ctx->STRING_LIT());
  policy.intentRange = locator.rangeOf(ctx->STRING_LIT());
  policy.trigger = buildExpr(ctx->expr());

  Requirement &req = policy.requirement;
  req.range = locator.rangeOf(ctx->requirement());
  if (auto *requires_ =
          dynamic_cast<P::RequiresClauseContext *>(ctx->requirement())) {
    req.kind = Requirement::Kind::Requires;
    req.condition = buildExpr(requires_->expr(0));
    if (requires_->KW_WHERE()) {
      req.whereRange = locator.rangeOf(requires_->KW_WHERE());
      req.where = buildExpr(requires_->expr(1));
    }
  } else {
    auto *denies = dynamic_cast<P::DeniesClauseContext *>(ctx->requirement());
    req.kind = Requirement::Kind::Denies;
    if (denies && denies->STRING_LIT()) {
      req.reason = unquote(denies->STRING_LIT());
      req.reasonRange = locator.rangeOf(denies->STRING_LIT());
    }
  }

  if (P::MetadataContext *metadata = ctx->metadata())
    for (P::EntryContext *entry : metadata->entry())
      policy.metadata.push_back({locator.textOf(entry->IDENT()).str(),
                                 locator.rangeOf(entry->IDENT()),
                                 buildValue(entry->value())});
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
  std::vector<P::AndExprContext *> operands = ctx->andExpr();
  ExprPtr result = buildAnd(operands[0]);
  for (size_t i = 1; i < operands.size(); ++i)
    result = binary(Expr::Kind::Or, std::move(result), buildAnd(operands[i]));
  return result;
}

ExprPtr ASTBuilder::buildAnd(P::AndExprContext *ctx) {
  std::vector<P::NotExprContext *> operands = ctx->notExpr();
  ExprPtr result = buildNot(operands[0]);
  for (size_t i = 1; i < operands.size(); ++i)
    result = binary(Expr::Kind::And, std::move(result), buildNot(operands[i]));
  return result;
}

ExprPtr ASTBuilder::buildNot(P::NotExprContext *ctx) {
  if (auto *negated = dynamic_cast<P::NegatedExprContext *>(ctx)) {
    auto expr = std::make_unique<Expr>(Expr::Kind::Not);
    expr->range = locator.rangeOf(ctx);
    expr->operands.push_back(buildNot(negated->notExpr()));
    return expr;
  }
  return buildComparison(
      static_cast<P::PlainNotExprContext *>(ctx)->comparison());
}

static CompareOp compareOpOf(size_t type) {
  using P = grammar::IpeParser;
  switch (type) {
  case P::NE: return CompareOp::Ne;
  case P::LT: return CompareOp::Lt;
  case P::LE: return CompareOp::Le;
  case P::GT: return CompareOp::Gt;
  case P::GE: return CompareOp::Ge;
  default: return CompareOp::Eq;
  }
}

ExprPtr ASTBuilder::buildComparison(P::ComparisonContext *ctx) {
  std::vector<P::InExprContext *> operands = ctx->inExpr();
  std::vector<P::CompareOpContext *> ops = ctx->compareOp();
  ExprPtr lhs = buildIn(operands[0]);
  if (ops.empty())
    return lhs;
  if (ops.size() > 1) {
    P::CompareOpContext *second = ops[1];
    diags.error(locator.startOf(second->getStart()),
                "comparison operators do not chain; use 'and' or "
                "parentheses",
                {locator.rangeOf(second)});
    diags.note(locator.startOf(ops[0]->getStart()),
               "previous comparison is here");
  }
  ExprPtr rhs = buildIn(operands[1]);
  ExprPtr expr = binary(Expr::Kind::Compare, std::move(lhs), std::move(rhs));
  expr->op = compareOpOf(ops[0]->getStart()->getType());
  expr->opRange = locator.rangeOf(ops[0]);
  return expr;
}

ExprPtr ASTBuilder::buildIn(P::InExprContext *ctx) {
  ExprPtr operand = buildPrimary(ctx->primary());
  if (!ctx->KW_IN())
    return operand;
  auto expr = std::make_unique<Expr>(Expr::Kind::In);
  expr->range = locator.rangeOf(ctx);
  expr->operands.push_back(std::move(operand));
  for (P::ValueContext *value : ctx->value())
    expr->members.push_back(buildValue(value));
  return expr;
}

ExprPtr ASTBuilder::buildPrimary(P::PrimaryContext *ctx) {
  if (auto *paren = dynamic_cast<P::ParenPrimaryContext *>(ctx)) {
    ExprPtr inner = buildExpr(paren->expr());
    inner->range = locator.rangeOf(ctx);
    return inner;
  }
  if (auto *literal = dynamic_cast<P::LiteralPrimaryContext *>(ctx)) {
    auto expr = std::make_unique<Expr>(Expr::Kind::Literal);
    expr->range = locator.rangeOf(ctx);
    expr->literal = buildLiteral(literal->literal());
    return expr;
  }
  if (auto *call = dynamic_cast<P::CallPrimaryContext *>(ctx)) {
    auto expr = std::make_unique<Expr>(Expr::Kind::Call);
    expr->range = locator.rangeOf(ctx);
    expr->path = buildPath(call->path());
    for (P::ExprContext *arg : call->expr())
      expr->operands.push_back(buildExpr(arg));
    return expr;
  }
  auto *path = static_cast<P::PathPrimaryContext *>(ctx);
  auto expr = std::make_unique<Expr>(Expr::Kind::Path);
  expr->range = locator.rangeOf(ctx);
  expr->path = buildPath(path->path());
  return expr;
}

std::vector<std::string> ASTBuilder::buildPath(P::PathContext *ctx) {
  std::vector<std::string> components;
  for (antlr4::tree::TerminalNode *ident : ctx->IDENT())
    components.push_back(locator.textOf(ident).str());
  return components;
}

Value ASTBuilder::buildLiteral(P::LiteralContext *ctx) {
  Value value;
  value.range = locator.rangeOf(ctx);
  if (auto *string = dynamic_cast<P::StringLiteralContext *>(ctx)) {
    value.kind = Value::Kind::String;
    value.string = unquote(string->STRING_LIT());
  } else if (auto *integer = dynamic_cast<P::IntLiteralContext *>(ctx)) {
    value.kind = Value::Kind::Int;
    llvm::StringRef digits = locator.textOf(integer->INT_LIT());
    bool negative = integer->MINUS() != nullptr;
    uint64_t magnitude = 0;
    uint64_t limit = uint64_t(std::numeric_limits<int64_t>::max()) +
                     (negative ? 1 : 0);
    if (digits.getAsInteger(10, magnitude) || magnitude > limit) {
      diags.error(value.range.Start,
                  "integer literal is out of range for a 64-bit integer",
                  {value.range});
    } else {
      value.intValue = negative ? int64_t(0 - magnitude) : int64_t(magnitude);
    }
  } else if (auto *number = dynamic_cast<P::FloatLiteralContext *>(ctx)) {
    value.kind = Value::Kind::Float;
    std::string digits = locator.textOf(number->FLOAT_LIT()).str();
    value.floatValue = std::strtod(digits.c_str(), nullptr);
    if (number->MINUS())
      value.floatValue = -value.floatValue;
  } else {
    value.kind = Value::Kind::Bool;
    value.boolValue = dynamic_cast<P::TrueLiteralContext *>(ctx) != nullptr;
  }
  return value;
}

Value ASTBuilder::buildValue(P::ValueContext *ctx) {
  if (auto *literal = dynamic_cast<P::LiteralValueContext *>(ctx))
    return buildLiteral(literal->literal());
  Value value;
  value.range = locator.rangeOf(ctx);
  if (auto *ident = dynamic_cast<P::IdentValueContext *>(ctx)) {
    value.kind = Value::Kind::String;
    value.string = locator.textOf(ident->IDENT()).str();
    value.bareIdentifier = true;
    return value;
  }
  value.kind = Value::Kind::List;
  for (P::ValueContext *element :
       static_cast<P::ListValueContext *>(ctx)->value())
    value.elements.push_back(buildValue(element));
  return value;
}

std::string ASTBuilder::unquote(antlr4::tree::TerminalNode *node) {
  llvm::StringRef text = locator.textOf(node);
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
    switch (escape) {
    case 'n': out += '\n'; break;
    case 't': out += '\t'; break;
    case 'r': out += '\r'; break;
    case '\\': out += '\\'; break;
    case '"': out += '"'; break;
    default: {
      // text starts one past the opening quote.
      size_t offset = 1 + i - 1;
      llvm::SMLoc loc = llvm::SMLoc::getFromPointer(base + offset);
      llvm::SMLoc end = llvm::SMLoc::getFromPointer(base + offset + 2);
      diags.error(loc,
                  llvm::Twine("unknown escape sequence '\\") +
                      text.substr(i, 1) +
                      "'; strings accept \\n, \\t, \\r, \\\\ and \\\"",
                  {llvm::SMRange(loc, end)});
      out += escape;
    }
    }
  }
  return out;
}
