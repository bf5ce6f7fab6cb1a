//===- IpeSema.cpp - Compile-time checks of IPE policy files --------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Sema/IpeSema.h"

#include "llvm/ADT/StringMap.h"

using namespace rune;
using namespace rune::ipe;

namespace {

bool isAggregateName(llvm::StringRef name) {
  return name == "count" || name == "any" || name == "all";
}

/// Whether `expr` applies `.count`, `.any` or `.all` to a collection.
bool hasAggregate(const Expr &expr) {
  if ((expr.kind == Expr::Kind::Path || expr.kind == Expr::Kind::Call) &&
      expr.path.size() >= 2 && isAggregateName(expr.path.back()))
    return true;
  for (const ExprPtr &operand : expr.operands)
    if (hasAggregate(*operand))
      return true;
  return false;
}

bool isBoolLiteral(const Expr &expr) {
  return expr.kind == Expr::Kind::Literal &&
         expr.literal.kind == Value::Kind::Bool;
}

/// Reports ordering comparisons of boolean literals anywhere in `expr`.
void checkOrdering(const Expr &expr, DiagnosticEngine &diags) {
  if (expr.kind == Expr::Kind::Compare && isOrdering(expr.op)) {
    for (const ExprPtr &side : expr.operands) {
      if (!isBoolLiteral(*side))
        continue;
      diags.error(expr.opRange.Start,
                  llvm::Twine("booleans cannot be ordered with '") +
                      spelling(expr.op) + "'; only '==' and '!=' apply to them",
                  {expr.opRange, side->range});
      break;
    }
  }
  for (const ExprPtr &operand : expr.operands)
    checkOrdering(*operand, diags);
}

} // namespace

bool rune::ipe::checkPolicyFile(const PolicyFile &file,
                                DiagnosticEngine &diags) {
  unsigned errorsBefore = diags.errorCount();

  llvm::StringMap<const EnumDecl *> enums;
  for (const EnumDecl &decl : file.enums) {
    auto [it, inserted] = enums.try_emplace(decl.name, &decl);
    if (!inserted) {
      diags.error(decl.nameRange.Start,
                  "duplicate enum declaration '" + decl.name + "'",
                  {decl.nameRange});
      diags.note(it->second->nameRange.Start,
                 "previous declaration of '" + decl.name + "' is here");
    }
    llvm::StringMap<const EnumMember *> members;
    for (const EnumMember &member : decl.members) {
      auto [mit, fresh] = members.try_emplace(member.name, &member);
      if (fresh)
        continue;
      diags.error(member.range.Start,
                  "duplicate member '" + member.name + "' in enum '" +
                      decl.name + "'",
                  {member.range});
      diags.note(mit->second->range.Start,
                 "previous occurrence of '" + member.name + "' is here");
    }
  }

  llvm::StringMap<const Policy *> names;
  for (const Policy &policy : file.policies) {
    auto [it, inserted] = names.try_emplace(policy.name, &policy);
    if (!inserted) {
      diags.error(policy.nameRange.Start,
                  "duplicate policy name '" + policy.name + "'",
                  {policy.nameRange});
      diags.note(it->second->nameRange.Start,
                 "previous definition of '" + policy.name + "' is here");
    }

    const Requirement &req = policy.requirement;
    if (req.kind == Requirement::Kind::Requires && req.where &&
        !hasAggregate(*req.condition)) {
      diags.error(req.whereRange.Start,
                  "'where' clause without an aggregate in its 'requires' "
                  "expression",
                  {req.whereRange});
      diags.note(req.condition->range.Start,
                 "a 'where' filter applies to '.count', '.any' or '.all' "
                 "of a collection, as in 'approvals.count >= 2'");
    }

    checkOrdering(*policy.trigger, diags);
    if (req.condition)
      checkOrdering(*req.condition, diags);
    if (req.where)
      checkOrdering(*req.where, diags);
  }
  return diags.errorCount() == errorsBefore;
}
