//===- PolicyCondition.cpp - The condition Cedar typechecks ---------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "PolicyCondition.h"

using namespace rune;
using namespace rune::cedar;
using namespace rune::cedar::validation;

const Term &PolicyCondition::add(Term term) {
  terms.push_back(std::move(term));
  return terms.back();
}

const Term &PolicyCondition::scopeTerm(const ScopeConstraint &scope,
                                       const Expr &variable, bool isAction) {
  auto binary = [&](Term::Kind kind, const Expr &other) -> const Term & {
    Term term;
    term.kind = kind;
    term.expr = &variable;
    term.other = &other;
    term.range = scope.range;
    return add(std::move(term));
  };
  auto isType = [&]() -> const Term & {
    Term term;
    term.kind = Term::Kind::Is;
    term.expr = &variable;
    names.push_back(scope.entityType ? scope.entityType->str() : "");
    term.name = names.back();
    term.range = scope.range;
    return add(std::move(term));
  };
  const Expr *operand = scope.operand.get();
  switch (scope.kind) {
  case ScopeConstraint::Kind::Any:
    break;
  case ScopeConstraint::Kind::Eq:
    if (operand)
      return binary(Term::Kind::Eq, *operand);
    break;
  case ScopeConstraint::Kind::In:
    if (!operand)
      break;
    // Cedar's action scope is a list even when written without brackets:
    // `action in A` means `action in [A]`.
    if (const auto *uid = llvm::dyn_cast<EntityUidExpr>(operand);
        uid && isAction) {
      std::vector<ExprPtr> elements;
      elements.push_back(std::make_unique<EntityUidExpr>(
          uid->getType(), uid->getId().str(), uid->getRange()));
      syntheticExprs.push_back(
          std::make_unique<SetExpr>(std::move(elements), uid->getRange()));
      return binary(Term::Kind::In, *syntheticExprs.back());
    }
    return binary(Term::Kind::In, *operand);
  case ScopeConstraint::Kind::InList:
    if (operand)
      return binary(Term::Kind::In, *operand);
    break;
  case ScopeConstraint::Kind::Is:
    if (scope.entityType)
      return isType();
    break;
  case ScopeConstraint::Kind::IsIn:
    if (scope.entityType && operand) {
      Term both;
      both.kind = Term::Kind::And;
      both.left = &isType();
      both.right = &binary(Term::Kind::In, *operand);
      both.range = scope.range;
      return add(std::move(both));
    }
    break;
  }
  Term always;
  always.kind = Term::Kind::True;
  always.range = scope.range;
  return add(std::move(always));
}

PolicyCondition::PolicyCondition(const Policy &policy) {
  auto variable = [&](Var var, llvm::SMRange range) -> const Expr & {
    syntheticExprs.push_back(std::make_unique<VarExpr>(var, range));
    return *syntheticExprs.back();
  };
  auto conjunction = [&](const Term &left, const Term &right) -> const Term & {
    Term term;
    term.kind = Term::Kind::And;
    term.left = &left;
    term.right = &right;
    term.range = policy.range;
    return add(std::move(term));
  };
  const Term &principal = scopeTerm(
      policy.principal, variable(Var::Principal, policy.principal.range),
      /*isAction=*/false);
  const Term &action = scopeTerm(
      policy.action, variable(Var::Action, policy.action.range), true);
  const Term &resource = scopeTerm(
      policy.resource, variable(Var::Resource, policy.resource.range), false);
  const Term &scope = conjunction(conjunction(principal, action), resource);

  // `when {a} unless {b} when {c}` is `(a && !b) && c`.
  const Term *body = nullptr;
  for (const Condition &condition : policy.conditions) {
    if (!condition.body)
      continue;
    Term clause;
    clause.kind = Term::Kind::Expr;
    clause.expr = condition.body.get();
    clause.range = condition.body->getRange();
    const Term *term = &add(std::move(clause));
    if (condition.kind == Condition::Kind::Unless) {
      Term negation;
      negation.kind = Term::Kind::Not;
      negation.left = term;
      negation.range = condition.range;
      term = &add(std::move(negation));
    }
    body = body ? &conjunction(*body, *term) : term;
  }
  if (!body) {
    Term always;
    always.kind = Term::Kind::True;
    always.range = policy.range;
    body = &add(std::move(always));
  }
  root = &conjunction(scope, *body);
}
