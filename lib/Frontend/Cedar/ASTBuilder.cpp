//===- ASTBuilder.cpp - Cedar parse tree to AST conversion ----------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "ASTBuilder.h"

#include "Literals.h"

#include "llvm/ADT/STLExtras.h"

#include <limits>

using namespace rune;
using namespace rune::cedar;
using namespace rune::cedar::detail;
using CP = grammar::CedarParser;

//===----------------------------------------------------------------------===//
// Helpers on the parse tree
//===----------------------------------------------------------------------===//

/// True if `tree` contains a syntax error: an error node (a token skipped or
/// conjured by recovery) or a rule that was exited through an exception.
static bool containsSyntaxError(antlr4::tree::ParseTree *tree) {
  if (dynamic_cast<antlr4::tree::ErrorNode *>(tree))
    return true;
  if (auto *rule = dynamic_cast<antlr4::ParserRuleContext *>(tree))
    if (rule->exception)
      return true;
  return llvm::any_of(tree->children, containsSyntaxError);
}

/// The STRING_LIT token if `member` is exactly a string literal.
static antlr4::Token *getBareStringLiteral(CP::MemberContext *member) {
  if (!member->access().empty())
    return nullptr;
  auto *primary = dynamic_cast<CP::LiteralPrimaryContext *>(member->primary());
  if (!primary || !primary->literal()->STRING_LIT())
    return nullptr;
  return primary->literal()->STRING_LIT()->getSymbol();
}

/// The STRING_LIT token if `add` is exactly a string literal.
static antlr4::Token *getBareStringLiteral(CP::AddExprContext *add) {
  if (add->multExpr().size() != 1)
    return nullptr;
  CP::MultExprContext *mult = add->multExpr(0);
  if (mult->unary().size() != 1)
    return nullptr;
  CP::UnaryContext *unary = mult->unary(0);
  if (!unary->BANG().empty() || !unary->MINUS().empty())
    return nullptr;
  return getBareStringLiteral(unary->member());
}

/// The STRING_LIT token if `expr` is exactly a string literal.
static antlr4::Token *getBareStringLiteral(CP::ExprContext *expr) {
  auto *plain = dynamic_cast<CP::PlainExprContext *>(expr);
  if (!plain || plain->orExpr()->andExpr().size() != 1)
    return nullptr;
  CP::AndExprContext *conjunction = plain->orExpr()->andExpr(0);
  if (conjunction->relation().size() != 1 ||
      conjunction->relation(0)->relationTail())
    return nullptr;
  return getBareStringLiteral(conjunction->relation(0)->addExpr());
}

/// The INT_LIT token if `member` is exactly an integer literal.
static antlr4::Token *getBareIntegerLiteral(CP::MemberContext *member) {
  if (!member->access().empty())
    return nullptr;
  auto *primary = dynamic_cast<CP::LiteralPrimaryContext *>(member->primary());
  if (!primary || !primary->literal()->INT_LIT())
    return nullptr;
  return primary->literal()->INT_LIT()->getSymbol();
}

static std::optional<Var> getVariable(size_t tokenType) {
  switch (tokenType) {
  case CP::KW_PRINCIPAL:
    return Var::Principal;
  case CP::KW_ACTION:
    return Var::Action;
  case CP::KW_RESOURCE:
    return Var::Resource;
  case CP::KW_CONTEXT:
    return Var::Context;
  default:
    return std::nullopt;
  }
}

//===----------------------------------------------------------------------===//
// Bookkeeping
//===----------------------------------------------------------------------===//

void ASTBuilder::error(llvm::SMLoc loc, const llvm::Twine &message,
                       llvm::SMRange range) {
  diags.error(loc, message, range);
}

unsigned ASTBuilder::depthOf(const ExprPtr &expr) const {
  return expr ? depths.lookup(expr.get()) : 0;
}

ExprPtr ASTBuilder::finish(ExprPtr expr, unsigned childDepth) {
  unsigned depth = childDepth + 1;
  if (depth > MaxExprDepth) {
    // One report is enough: every enclosing node exceeds the limit too.
    if (!reportedDepthError)
      error(expr->getLoc(), "expression is nested too deeply (the limit is " +
                                llvm::Twine(MaxExprDepth) + " levels)");
    reportedDepthError = true;
    return nullptr;
  }
  depths[expr.get()] = depth;
  return expr;
}

bool ASTBuilder::reportEscapeErrors(antlr4::Token *token,
                                    llvm::ArrayRef<EscapeError> errors) {
  // Error offsets are relative to the text after the opening quote.
  size_t contentsStart = token->getStartIndex() + 1;
  for (const EscapeError &e : errors) {
    llvm::SMLoc start = locator.locAt(contentsStart + e.offset);
    error(start, e.message,
          {start, locator.locAt(contentsStart + e.offset + e.length)});
  }
  return errors.empty();
}

std::optional<std::string> ASTBuilder::decodeString(antlr4::Token *token) {
  // The lexer guarantees the surrounding quotes.
  llvm::StringRef contents = locator.textOf(token).drop_front().drop_back();
  std::vector<EscapeError> errors;
  std::string value = unescapeString(contents, errors);
  if (!reportEscapeErrors(token, errors))
    return std::nullopt;
  return value;
}

std::optional<std::vector<PatternElement>>
ASTBuilder::decodePattern(antlr4::Token *token) {
  llvm::StringRef contents = locator.textOf(token).drop_front().drop_back();
  std::vector<EscapeError> errors;
  std::vector<PatternElement> pattern = unescapePattern(contents, errors);
  if (!reportEscapeErrors(token, errors))
    return std::nullopt;
  return pattern;
}

ExprPtr ASTBuilder::buildInteger(antlr4::Token *token, llvm::SMRange range,
                                 bool negate) {
  llvm::StringRef digits = locator.textOf(token);
  std::optional<uint64_t> value = parseUnsignedDecimal(digits);
  // The magnitude of the most negative i64 is one more than the maximum.
  uint64_t limit =
      uint64_t(std::numeric_limits<int64_t>::max()) + (negate ? 1 : 0);
  if (!value || *value > limit) {
    error(locator.startOf(token),
          "integer literal '" + llvm::Twine(negate ? "-" : "") + digits +
              "' is too large; Cedar integers are 64-bit signed",
          range);
    return nullptr;
  }
  int64_t result;
  if (!negate)
    result = int64_t(*value);
  else if (*value == limit)
    result = std::numeric_limits<int64_t>::min();
  else
    result = -int64_t(*value);
  return finish(std::make_unique<LongLiteralExpr>(result, range), 0);
}

//===----------------------------------------------------------------------===//
// Policies
//===----------------------------------------------------------------------===//

PolicySet ASTBuilder::build(CP::PolicySetContext *ctx) {
  PolicySet policySet;
  std::vector<CP::PolicyContext *> policies = ctx->policy();
  for (unsigned index = 0, e = policies.size(); index != e; ++index) {
    if (containsSyntaxError(policies[index]))
      continue;
    if (std::optional<Policy> policy = buildPolicy(policies[index], index))
      policySet.policies.push_back(std::move(*policy));
  }
  return policySet;
}

std::optional<Policy> ASTBuilder::buildPolicy(CP::PolicyContext *ctx,
                                              unsigned index) {
  Policy policy;
  bool ok = true;
  policy.range = locator.rangeOf(ctx);
  policy.effect = ctx->effect()->KW_PERMIT() ? Effect::Permit : Effect::Forbid;
  policy.effectLoc = locator.startOf(ctx->effect()->getStart());

  for (CP::AnnotationContext *annotationCtx : ctx->annotation()) {
    if (std::optional<Annotation> annotation = buildAnnotation(annotationCtx))
      policy.annotations.push_back(std::move(*annotation));
    else
      ok = false;
  }

  ok &= buildScope(ctx, policy);

  for (CP::ConditionContext *conditionCtx : ctx->condition()) {
    if (std::optional<Condition> condition = buildCondition(conditionCtx))
      policy.conditions.push_back(std::move(*condition));
    else
      ok = false;
  }

  if (const Annotation *id = policy.findAnnotation("id"))
    policy.id = id->value.value_or("");
  else
    policy.id = "policy" + std::to_string(index);

  if (!ok)
    return std::nullopt;
  return policy;
}

std::optional<Annotation>
ASTBuilder::buildAnnotation(CP::AnnotationContext *ctx) {
  Annotation annotation;
  annotation.range = locator.rangeOf(ctx);
  annotation.keyRange = locator.rangeOf(ctx->anyIdent());
  annotation.key = locator.textOf(annotation.keyRange).str();
  if (antlr4::tree::TerminalNode *value = ctx->STRING_LIT()) {
    std::optional<std::string> decoded = decodeString(value->getSymbol());
    if (!decoded)
      return std::nullopt;
    annotation.value = std::move(*decoded);
  }
  return annotation;
}

bool ASTBuilder::buildScope(CP::PolicyContext *ctx, Policy &policy) {
  static constexpr Var order[] = {Var::Principal, Var::Action, Var::Resource};
  ScopeConstraint *slots[] = {&policy.principal, &policy.action,
                              &policy.resource};
  policy.principal.var = Var::Principal;
  policy.action.var = Var::Action;
  policy.resource.var = Var::Resource;

  std::vector<CP::ScopeElementContext *> elements =
      ctx->scope()->scopeElement();
  bool ok = true;
  for (size_t i = 0, e = std::min<size_t>(elements.size(), 3); i != e; ++i) {
    antlr4::Token *varToken = elements[i]->scopeVar;
    Var var = *getVariable(varToken->getType());
    if (var != order[i]) {
      error(locator.startOf(varToken),
            "found the variable '" + toString(var) + "' where the variable '" +
                toString(order[i]) +
                "' must be used; policy scopes list principal, action and "
                "resource in that order",
            locator.rangeOf(varToken));
      ok = false;
      continue;
    }
    if (std::optional<ScopeConstraint> constraint =
            buildScopeElement(elements[i]))
      *slots[i] = std::move(*constraint);
    else
      ok = false;
  }
  if (elements.size() < 3) {
    error(locator.startOf(ctx->RPAREN()->getSymbol()),
          "this policy is missing the '" + toString(order[elements.size()]) +
              "' variable in the scope");
    ok = false;
  } else if (elements.size() > 3) {
    error(locator.startOf(elements[3]->getStart()),
          "this policy has an extra element in the scope; policy scopes list "
          "principal, action and resource",
          locator.rangeOf(elements[3]));
    ok = false;
  }
  return ok;
}

std::optional<ScopeConstraint>
ASTBuilder::buildScopeElement(CP::ScopeElementContext *ctx) {
  ScopeConstraint constraint;
  constraint.var = *getVariable(ctx->scopeVar->getType());
  constraint.range = locator.rangeOf(ctx);
  bool isAction = constraint.var == Var::Action;
  bool ok = true;

  if (antlr4::tree::TerminalNode *isToken = ctx->KW_IS()) {
    if (isAction) {
      error(locator.startOf(isToken->getSymbol()),
            "'is' cannot appear in the action scope; move the type test "
            "into a 'when' condition");
      ok = false;
    }
    constraint.entityType = buildPath(ctx->path());
  }

  CP::RelOpContext *relOp = ctx->relOp();
  if (!relOp) {
    constraint.kind = constraint.entityType ? ScopeConstraint::Kind::Is
                                            : ScopeConstraint::Kind::Any;
    if (!ok)
      return std::nullopt;
    return constraint;
  }

  antlr4::Token *opToken = relOp->getStart();
  llvm::SMLoc opLoc = locator.startOf(opToken);
  switch (opToken->getType()) {
  case CP::EQ_EQ:
    if (constraint.entityType) {
      error(opLoc, "'is' cannot be used together with '=='; use "
                   "'is ... in ...' to constrain both the type and the "
                   "hierarchy");
      ok = false;
    }
    constraint.kind = ScopeConstraint::Kind::Eq;
    break;
  case CP::KW_IN:
    constraint.kind = constraint.entityType ? ScopeConstraint::Kind::IsIn
                                            : ScopeConstraint::Kind::In;
    break;
  case CP::ASSIGN:
    error(opLoc, "'=' is not a valid operator in Cedar; did you mean '=='?");
    ok = false;
    break;
  default:
    error(opLoc, "invalid operator '" + locator.textOf(opToken) +
                     "' in the policy scope; " +
                     (isAction ? "the action scope can only use '==' and 'in'"
                               : "scopes can only use '==', 'in' and 'is'"));
    ok = false;
    break;
  }

  constraint.operand = buildExpr(ctx->expr());
  if (!constraint.operand || !ok)
    return std::nullopt;
  if (constraint.kind == ScopeConstraint::Kind::In &&
      llvm::isa<SetExpr>(*constraint.operand))
    constraint.kind = ScopeConstraint::Kind::InList;
  return constraint;
}

std::optional<Condition> ASTBuilder::buildCondition(CP::ConditionContext *ctx) {
  Condition condition;
  condition.kind =
      ctx->KW_WHEN() ? Condition::Kind::When : Condition::Kind::Unless;
  condition.range = locator.rangeOf(ctx);
  if (!ctx->expr()) {
    error(locator.startOf(ctx->getStart()),
          "'" + locator.textOf(ctx->getStart()) +
              "' condition clause cannot be empty",
          condition.range);
    return std::nullopt;
  }
  condition.body = buildExpr(ctx->expr());
  if (!condition.body)
    return std::nullopt;
  return condition;
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

ExprPtr ASTBuilder::buildExpr(CP::ExprContext *ctx) {
  if (auto *plain = dynamic_cast<CP::PlainExprContext *>(ctx))
    return buildOr(plain->orExpr());
  auto *ifCtx = static_cast<CP::IfExprContext *>(ctx);
  ExprPtr cond = buildExpr(ifCtx->expr(0));
  ExprPtr thenExpr = buildExpr(ifCtx->expr(1));
  ExprPtr elseExpr = buildExpr(ifCtx->expr(2));
  if (!cond || !thenExpr || !elseExpr)
    return nullptr;
  unsigned depth =
      std::max({depthOf(cond), depthOf(thenExpr), depthOf(elseExpr)});
  return finish(std::make_unique<IfExpr>(std::move(cond), std::move(thenExpr),
                                         std::move(elseExpr),
                                         locator.rangeOf(ctx)),
                depth);
}

/// Folds `operands` joined by the operator tokens `ops` into a
/// left-associative chain of `NodeT` (`||` and `&&`), building each operand
/// with `buildOperand`. An operand that fails to build fails the chain, but
/// every operand is still built so that all of its errors are reported.
template <typename NodeT, typename OperandT, typename BuildOperand>
ExprPtr ASTBuilder::buildLeftAssociative(
    const std::vector<OperandT *> &operands,
    const std::vector<antlr4::tree::TerminalNode *> &ops,
    BuildOperand buildOperand) {
  ExprPtr result = buildOperand(operands[0]);
  bool ok = result != nullptr;
  for (size_t i = 1, e = operands.size(); i != e; ++i) {
    ExprPtr rhs = buildOperand(operands[i]);
    if (!ok || !rhs) {
      ok = false;
      continue;
    }
    unsigned depth = std::max(depthOf(result), depthOf(rhs));
    llvm::SMRange range = {locator.rangeOf(operands[0]).Start,
                           locator.rangeOf(operands[i]).End};
    result = finish(
        std::make_unique<NodeT>(std::move(result), std::move(rhs), range,
                                locator.startOf(ops[i - 1]->getSymbol())),
        depth);
    ok = result != nullptr;
  }
  return ok ? std::move(result) : nullptr;
}

ExprPtr ASTBuilder::buildOr(CP::OrExprContext *ctx) {
  // Fetch the children once: the generated accessors scan all children.
  return buildLeftAssociative<OrExpr>(
      ctx->andExpr(), ctx->OR_OR(),
      [this](CP::AndExprContext *operand) { return buildAnd(operand); });
}

ExprPtr ASTBuilder::buildAnd(CP::AndExprContext *ctx) {
  return buildLeftAssociative<AndExpr>(
      ctx->relation(), ctx->AND_AND(),
      [this](CP::RelationContext *operand) { return buildRelation(operand); });
}

ExprPtr ASTBuilder::buildRelation(CP::RelationContext *ctx) {
  ExprPtr lhs = buildAdd(ctx->addExpr());
  CP::RelationTailContext *tail = ctx->relationTail();
  if (!tail)
    return lhs;
  llvm::SMRange range = locator.rangeOf(ctx);
  llvm::SMLoc opLoc = locator.startOf(tail->getStart());

  if (auto *has = dynamic_cast<CP::HasTailContext *>(tail)) {
    std::vector<std::string> attrs;
    CP::HasAttrsContext *attrsCtx = has->hasAttrs();
    if (antlr4::tree::TerminalNode *string = attrsCtx->STRING_LIT()) {
      std::optional<std::string> attr = decodeString(string->getSymbol());
      if (!attr)
        return nullptr;
      attrs.push_back(std::move(*attr));
    } else {
      for (CP::IdentContext *ident : attrsCtx->ident())
        attrs.push_back(locator.textOf(ident->getStart()).str());
    }
    if (!lhs)
      return nullptr;
    unsigned depth = depthOf(lhs);
    return finish(std::make_unique<HasExpr>(std::move(lhs), std::move(attrs),
                                            range, opLoc),
                  depth);
  }

  if (auto *like = dynamic_cast<CP::LikeTailContext *>(tail)) {
    antlr4::Token *patternToken = getBareStringLiteral(like->addExpr());
    if (!patternToken) {
      error(locator.startOf(like->addExpr()->getStart()),
            "the right-hand side of 'like' must be a pattern literal, i.e. "
            "a string",
            locator.rangeOf(like->addExpr()));
      return nullptr;
    }
    std::optional<std::vector<PatternElement>> pattern =
        decodePattern(patternToken);
    if (!lhs || !pattern)
      return nullptr;
    unsigned depth = depthOf(lhs);
    return finish(std::make_unique<LikeExpr>(std::move(lhs),
                                             std::move(*pattern), range, opLoc),
                  depth);
  }

  if (auto *is = dynamic_cast<CP::IsTailContext *>(tail)) {
    QualifiedName type = buildPath(is->path());
    ExprPtr inExpr;
    if (is->addExpr()) {
      inExpr = buildAdd(is->addExpr());
      if (!inExpr)
        return nullptr;
    }
    if (!lhs)
      return nullptr;
    unsigned depth = std::max(depthOf(lhs), depthOf(inExpr));
    return finish(std::make_unique<IsExpr>(std::move(lhs), std::move(type),
                                           std::move(inExpr), range, opLoc),
                  depth);
  }

  auto *compare = static_cast<CP::CompareTailContext *>(tail);
  std::vector<CP::RelOpContext *> ops = compare->relOp();
  if (ops.size() > 1) {
    error(locator.startOf(ops[1]->getStart()),
          "relational operators (==, <, in, ...) cannot be chained; add "
          "parentheses to make the order explicit",
          locator.rangeOf(ops[1]));
    return nullptr;
  }
  antlr4::Token *opToken = ops[0]->getStart();
  BinaryExpr::Op op;
  switch (opToken->getType()) {
  case CP::EQ_EQ:
    op = BinaryExpr::Op::Eq;
    break;
  case CP::NOT_EQ:
    op = BinaryExpr::Op::Ne;
    break;
  case CP::LESS:
    op = BinaryExpr::Op::Lt;
    break;
  case CP::LESS_EQ:
    op = BinaryExpr::Op::Le;
    break;
  case CP::GREATER:
    op = BinaryExpr::Op::Gt;
    break;
  case CP::GREATER_EQ:
    op = BinaryExpr::Op::Ge;
    break;
  case CP::KW_IN:
    op = BinaryExpr::Op::In;
    break;
  default:
    error(opLoc, "'=' is not a valid operator in Cedar; did you mean '=='?");
    return nullptr;
  }
  ExprPtr rhs = buildAdd(compare->addExpr(0));
  if (!lhs || !rhs)
    return nullptr;
  unsigned depth = std::max(depthOf(lhs), depthOf(rhs));
  return finish(std::make_unique<BinaryExpr>(op, std::move(lhs), std::move(rhs),
                                             range, opLoc),
                depth);
}

ExprPtr ASTBuilder::buildAdd(CP::AddExprContext *ctx) {
  std::vector<CP::MultExprContext *> operands = ctx->multExpr();
  std::vector<CP::AddOpContext *> ops = ctx->addOp();
  ExprPtr result = buildMult(operands[0]);
  bool ok = result != nullptr;
  for (size_t i = 1, e = operands.size(); i != e; ++i) {
    ExprPtr rhs = buildMult(operands[i]);
    if (!ok || !rhs) {
      ok = false;
      continue;
    }
    antlr4::Token *opToken = ops[i - 1]->getStart();
    BinaryExpr::Op op = opToken->getType() == CP::PLUS ? BinaryExpr::Op::Add
                                                       : BinaryExpr::Op::Sub;
    unsigned depth = std::max(depthOf(result), depthOf(rhs));
    llvm::SMRange range = {locator.rangeOf(operands[0]).Start,
                           locator.rangeOf(operands[i]).End};
    result = finish(std::make_unique<BinaryExpr>(op, std::move(result),
                                                 std::move(rhs), range,
                                                 locator.startOf(opToken)),
                    depth);
    ok = result != nullptr;
  }
  return ok ? std::move(result) : nullptr;
}

ExprPtr ASTBuilder::buildMult(CP::MultExprContext *ctx) {
  std::vector<CP::UnaryContext *> operands = ctx->unary();
  std::vector<CP::MultOpContext *> ops = ctx->multOp();
  ExprPtr result = buildUnary(operands[0]);
  bool ok = result != nullptr;
  for (size_t i = 1, e = operands.size(); i != e; ++i) {
    antlr4::Token *opToken = ops[i - 1]->getStart();
    if (opToken->getType() != CP::STAR) {
      error(locator.startOf(opToken),
            opToken->getType() == CP::SLASH
                ? "division is not supported in Cedar"
                : "the remainder operator '%' is not supported in Cedar");
      ok = false;
    }
    ExprPtr rhs = buildUnary(operands[i]);
    if (!ok || !rhs) {
      ok = false;
      continue;
    }
    unsigned depth = std::max(depthOf(result), depthOf(rhs));
    llvm::SMRange range = {locator.rangeOf(operands[0]).Start,
                           locator.rangeOf(operands[i]).End};
    result = finish(std::make_unique<BinaryExpr>(
                        BinaryExpr::Op::Mul, std::move(result), std::move(rhs),
                        range, locator.startOf(opToken)),
                    depth);
    ok = result != nullptr;
  }
  return ok ? std::move(result) : nullptr;
}

ExprPtr ASTBuilder::buildUnary(CP::UnaryContext *ctx) {
  std::vector<antlr4::tree::TerminalNode *> bangs = ctx->BANG();
  std::vector<antlr4::tree::TerminalNode *> minuses = ctx->MINUS();
  bool isNot = !bangs.empty();
  const std::vector<antlr4::tree::TerminalNode *> &ops =
      isNot ? bangs : minuses;
  // Cedar caps runs of a unary operator at four.
  if (ops.size() > 4) {
    error(locator.startOf(ops[4]->getSymbol()),
          "too many consecutive '" + llvm::Twine(isNot ? "!" : "-") +
              "' operators; at most 4 are allowed in a row");
    return nullptr;
  }

  llvm::SMLoc end = locator.rangeOf(ctx->member()).End;
  size_t remaining = ops.size();
  ExprPtr operand;
  if (!isNot && remaining != 0) {
    // `-` directly in front of an integer literal is part of the literal, so
    // that the most negative i64 can be written.
    if (antlr4::Token *digits = getBareIntegerLiteral(ctx->member())) {
      --remaining;
      operand = buildInteger(
          digits, {locator.startOf(ops[remaining]->getSymbol()), end},
          /*negate=*/true);
      if (!operand)
        return nullptr;
    }
  }
  if (!operand) {
    operand = buildMember(ctx->member());
    if (!operand)
      return nullptr;
  }
  while (remaining != 0) {
    --remaining;
    llvm::SMRange range = {locator.startOf(ops[remaining]->getSymbol()), end};
    unsigned depth = depthOf(operand);
    if (isNot)
      operand =
          finish(std::make_unique<NotExpr>(std::move(operand), range), depth);
    else
      operand =
          finish(std::make_unique<NegExpr>(std::move(operand), range), depth);
    if (!operand)
      return nullptr;
  }
  return operand;
}

ExprPtr ASTBuilder::buildMember(CP::MemberContext *ctx) {
  ExprPtr result = buildPrimary(ctx->primary());
  bool ok = result != nullptr;
  llvm::SMLoc start = locator.rangeOf(ctx).Start;
  for (CP::AccessContext *access : ctx->access()) {
    llvm::SMRange range = {start, locator.rangeOf(access).End};
    llvm::SMLoc opLoc = locator.startOf(access->getStart());

    if (auto *field = dynamic_cast<CP::FieldAccessContext *>(access)) {
      if (!ok)
        continue;
      llvm::SMRange attrRange = locator.rangeOf(field->ident());
      unsigned depth = depthOf(result);
      result = finish(std::make_unique<GetAttrExpr>(
                          std::move(result), locator.textOf(attrRange).str(),
                          attrRange, /*indexSyntax=*/false, range, opLoc),
                      depth);
      ok = result != nullptr;
      continue;
    }

    if (auto *index = dynamic_cast<CP::IndexAccessContext *>(access)) {
      antlr4::Token *attrToken = getBareStringLiteral(index->expr());
      if (!attrToken) {
        error(locator.startOf(index->expr()->getStart()),
              "the contents of an index expression must be a string literal",
              locator.rangeOf(index->expr()));
        ok = false;
        continue;
      }
      std::optional<std::string> attr = decodeString(attrToken);
      if (!attr)
        ok = false;
      if (!ok)
        continue;
      unsigned depth = depthOf(result);
      result = finish(
          std::make_unique<GetAttrExpr>(std::move(result), std::move(*attr),
                                        locator.rangeOf(attrToken),
                                        /*indexSyntax=*/true, range, opLoc),
          depth);
      ok = result != nullptr;
      continue;
    }

    auto *method = static_cast<CP::MethodAccessContext *>(access);
    std::optional<std::vector<ExprPtr>> args =
        buildExprList(method->exprList());
    if (!ok || !args) {
      ok = false;
      continue;
    }
    unsigned depth = depthOf(result);
    for (const ExprPtr &arg : *args)
      depth = std::max(depth, depthOf(arg));
    llvm::SMRange nameRange = locator.rangeOf(method->ident());
    result = finish(std::make_unique<MethodCallExpr>(
                        std::move(result), locator.textOf(nameRange).str(),
                        nameRange, std::move(*args), range),
                    depth);
    ok = result != nullptr;
  }
  return ok ? std::move(result) : nullptr;
}

std::optional<std::vector<ExprPtr>>
ASTBuilder::buildExprList(CP::ExprListContext *ctx) {
  std::vector<ExprPtr> elements;
  if (!ctx)
    return elements;
  bool ok = true;
  for (CP::ExprContext *element : ctx->expr()) {
    ExprPtr expr = buildExpr(element);
    if (expr)
      elements.push_back(std::move(expr));
    else
      ok = false;
  }
  if (!ok)
    return std::nullopt;
  return elements;
}

QualifiedName ASTBuilder::buildPath(CP::PathContext *ctx) {
  QualifiedName name;
  name.range = locator.rangeOf(ctx);
  for (CP::IdentContext *ident : ctx->ident())
    name.components.push_back(locator.textOf(ident->getStart()).str());
  return name;
}

ExprPtr ASTBuilder::buildLiteral(CP::LiteralContext *ctx) {
  llvm::SMRange range = locator.rangeOf(ctx);
  if (ctx->KW_TRUE() || ctx->KW_FALSE())
    return finish(
        std::make_unique<BoolLiteralExpr>(ctx->KW_TRUE() != nullptr, range), 0);
  if (antlr4::tree::TerminalNode *digits = ctx->INT_LIT())
    return buildInteger(digits->getSymbol(), range, /*negate=*/false);
  std::optional<std::string> value =
      decodeString(ctx->STRING_LIT()->getSymbol());
  if (!value)
    return nullptr;
  return finish(std::make_unique<StringLiteralExpr>(std::move(*value), range),
                0);
}

ExprPtr ASTBuilder::buildPrimary(CP::PrimaryContext *ctx) {
  llvm::SMRange range = locator.rangeOf(ctx);

  if (auto *literal = dynamic_cast<CP::LiteralPrimaryContext *>(ctx))
    return buildLiteral(literal->literal());

  if (auto *uid = dynamic_cast<CP::EntityUidPrimaryContext *>(ctx)) {
    QualifiedName type = buildPath(uid->entityUid()->path());
    std::optional<std::string> id =
        decodeString(uid->entityUid()->STRING_LIT()->getSymbol());
    if (!id)
      return nullptr;
    return finish(
        std::make_unique<EntityUidExpr>(std::move(type), std::move(*id), range),
        0);
  }

  if (auto *slot = dynamic_cast<CP::SlotPrimaryContext *>(ctx)) {
    llvm::StringRef name = locator.textOf(slot->SLOT());
    if (name == "?principal")
      return finish(std::make_unique<SlotExpr>(SlotKind::Principal, range), 0);
    if (name == "?resource")
      return finish(std::make_unique<SlotExpr>(SlotKind::Resource, range), 0);
    error(range.Start,
          "'" + name +
              "' is not a valid template slot; the slots are ?principal "
              "and ?resource",
          range);
    return nullptr;
  }

  if (auto *call = dynamic_cast<CP::CallPrimaryContext *>(ctx)) {
    QualifiedName name = buildPath(call->path());
    std::optional<std::vector<ExprPtr>> args = buildExprList(call->exprList());
    if (!args)
      return nullptr;
    unsigned depth = 0;
    for (const ExprPtr &arg : *args)
      depth = std::max(depth, depthOf(arg));
    return finish(std::make_unique<FunctionCallExpr>(std::move(name),
                                                     std::move(*args), range),
                  depth);
  }

  if (auto *name = dynamic_cast<CP::NamePrimaryContext *>(ctx)) {
    std::vector<CP::IdentContext *> idents = name->path()->ident();
    if (idents.size() == 1)
      if (std::optional<Var> var =
              getVariable(idents[0]->getStart()->getType()))
        return finish(std::make_unique<VarExpr>(*var, range), 0);
    llvm::StringRef text = locator.textOf(range);
    if (idents.size() == 1)
      error(range.Start,
            "unknown variable '" + text +
                "'; the variables are principal, action, resource and "
                "context (write \"" +
                text + "\" for a string)",
            range);
    else
      error(range.Start,
            "'" + text +
                "' is not an expression; an entity literal is written '" +
                text + "::\"id\"'",
            range);
    return nullptr;
  }

  if (auto *paren = dynamic_cast<CP::ParenPrimaryContext *>(ctx))
    return buildExpr(paren->expr());

  if (auto *set = dynamic_cast<CP::SetPrimaryContext *>(ctx)) {
    std::optional<std::vector<ExprPtr>> elements =
        buildExprList(set->exprList());
    if (!elements)
      return nullptr;
    unsigned depth = 0;
    for (const ExprPtr &element : *elements)
      depth = std::max(depth, depthOf(element));
    return finish(std::make_unique<SetExpr>(std::move(*elements), range),
                  depth);
  }

  auto *record = static_cast<CP::RecordPrimaryContext *>(ctx);
  std::vector<RecordEntry> entries;
  bool ok = true;
  unsigned depth = 0;
  if (CP::RecordEntriesContext *entriesCtx = record->recordEntries()) {
    for (CP::RecordEntryContext *entryCtx : entriesCtx->recordEntry()) {
      RecordEntry entry;
      if (CP::IdentContext *ident = entryCtx->ident()) {
        entry.keyRange = locator.rangeOf(ident);
        entry.key = locator.textOf(entry.keyRange).str();
      } else {
        antlr4::Token *keyToken = entryCtx->STRING_LIT()->getSymbol();
        entry.keyRange = locator.rangeOf(keyToken);
        std::optional<std::string> key = decodeString(keyToken);
        if (key)
          entry.key = std::move(*key);
        else
          ok = false;
      }
      entry.value = buildExpr(entryCtx->expr());
      if (!entry.value) {
        ok = false;
        continue;
      }
      depth = std::max(depth, depthOf(entry.value));
      entries.push_back(std::move(entry));
    }
  }
  if (!ok)
    return nullptr;
  return finish(std::make_unique<RecordExpr>(std::move(entries), range), depth);
}
