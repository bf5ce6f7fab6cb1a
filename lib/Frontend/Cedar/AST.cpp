//===- AST.cpp - Abstract syntax tree of Cedar policies -------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Frontend/Cedar/AST.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ErrorHandling.h"

using namespace rune::cedar;

llvm::StringRef rune::cedar::toString(Effect effect) {
  return effect == Effect::Permit ? "permit" : "forbid";
}

llvm::StringRef rune::cedar::toString(Var var) {
  switch (var) {
  case Var::Principal:
    return "principal";
  case Var::Action:
    return "action";
  case Var::Resource:
    return "resource";
  case Var::Context:
    return "context";
  }
  llvm_unreachable("unknown variable");
}

llvm::StringRef rune::cedar::toString(SlotKind slot) {
  return slot == SlotKind::Principal ? "?principal" : "?resource";
}

llvm::StringRef QualifiedName::getBaseName() const {
  return components.empty() ? llvm::StringRef() : components.back();
}

std::string QualifiedName::str() const { return llvm::join(components, "::"); }

bool rune::cedar::isReservedWord(llvm::StringRef word) {
  static constexpr llvm::StringLiteral reserved[] = {
      "true", "false", "if", "then", "else", "in", "is", "has", "like"};
  return llvm::is_contained(reserved, word);
}

bool rune::cedar::isValidIdentifier(llvm::StringRef text) {
  if (text.empty() || isReservedWord(text))
    return false;
  auto isStart = [](char c) { return llvm::isAlpha(c) || c == '_'; };
  auto isBody = [](char c) { return llvm::isAlnum(c) || c == '_'; };
  return isStart(text.front()) && llvm::all_of(text.drop_front(), isBody);
}

Expr::~Expr() = default;

llvm::StringRef BinaryExpr::getSpelling(Op op) {
  switch (op) {
  case Op::Eq:
    return "==";
  case Op::Ne:
    return "!=";
  case Op::Lt:
    return "<";
  case Op::Le:
    return "<=";
  case Op::Gt:
    return ">";
  case Op::Ge:
    return ">=";
  case Op::Add:
    return "+";
  case Op::Sub:
    return "-";
  case Op::Mul:
    return "*";
  case Op::In:
    return "in";
  }
  llvm_unreachable("unknown binary operator");
}

static bool equalLists(const std::vector<ExprPtr> &lhs,
                       const std::vector<ExprPtr> &rhs) {
  if (lhs.size() != rhs.size())
    return false;
  for (size_t i = 0, e = lhs.size(); i != e; ++i)
    if (!structurallyEqual(*lhs[i], *rhs[i]))
      return false;
  return true;
}

bool rune::cedar::structurallyEqual(const Expr &lhs, const Expr &rhs) {
  if (lhs.getKind() != rhs.getKind())
    return false;
  switch (lhs.getKind()) {
  case Expr::Kind::BoolLiteral:
    return llvm::cast<BoolLiteralExpr>(lhs).getValue() ==
           llvm::cast<BoolLiteralExpr>(rhs).getValue();
  case Expr::Kind::LongLiteral:
    return llvm::cast<LongLiteralExpr>(lhs).getValue() ==
           llvm::cast<LongLiteralExpr>(rhs).getValue();
  case Expr::Kind::StringLiteral:
    return llvm::cast<StringLiteralExpr>(lhs).getValue() ==
           llvm::cast<StringLiteralExpr>(rhs).getValue();
  case Expr::Kind::EntityUid: {
    const auto &l = llvm::cast<EntityUidExpr>(lhs);
    const auto &r = llvm::cast<EntityUidExpr>(rhs);
    return l.getType() == r.getType() && l.getId() == r.getId();
  }
  case Expr::Kind::Var:
    return llvm::cast<VarExpr>(lhs).getVar() ==
           llvm::cast<VarExpr>(rhs).getVar();
  case Expr::Kind::Slot:
    return llvm::cast<SlotExpr>(lhs).getSlot() ==
           llvm::cast<SlotExpr>(rhs).getSlot();
  case Expr::Kind::If: {
    const auto &l = llvm::cast<IfExpr>(lhs);
    const auto &r = llvm::cast<IfExpr>(rhs);
    return structurallyEqual(l.getCond(), r.getCond()) &&
           structurallyEqual(l.getThen(), r.getThen()) &&
           structurallyEqual(l.getElse(), r.getElse());
  }
  case Expr::Kind::And: {
    const auto &l = llvm::cast<AndExpr>(lhs);
    const auto &r = llvm::cast<AndExpr>(rhs);
    return structurallyEqual(l.getLHS(), r.getLHS()) &&
           structurallyEqual(l.getRHS(), r.getRHS());
  }
  case Expr::Kind::Or: {
    const auto &l = llvm::cast<OrExpr>(lhs);
    const auto &r = llvm::cast<OrExpr>(rhs);
    return structurallyEqual(l.getLHS(), r.getLHS()) &&
           structurallyEqual(l.getRHS(), r.getRHS());
  }
  case Expr::Kind::Not:
    return structurallyEqual(llvm::cast<NotExpr>(lhs).getOperand(),
                             llvm::cast<NotExpr>(rhs).getOperand());
  case Expr::Kind::Neg:
    return structurallyEqual(llvm::cast<NegExpr>(lhs).getOperand(),
                             llvm::cast<NegExpr>(rhs).getOperand());
  case Expr::Kind::Binary: {
    const auto &l = llvm::cast<BinaryExpr>(lhs);
    const auto &r = llvm::cast<BinaryExpr>(rhs);
    return l.getOp() == r.getOp() &&
           structurallyEqual(l.getLHS(), r.getLHS()) &&
           structurallyEqual(l.getRHS(), r.getRHS());
  }
  case Expr::Kind::Has: {
    const auto &l = llvm::cast<HasExpr>(lhs);
    const auto &r = llvm::cast<HasExpr>(rhs);
    return l.getAttrs() == r.getAttrs() &&
           structurallyEqual(l.getObject(), r.getObject());
  }
  case Expr::Kind::Like: {
    const auto &l = llvm::cast<LikeExpr>(lhs);
    const auto &r = llvm::cast<LikeExpr>(rhs);
    return l.getPattern() == r.getPattern() &&
           structurallyEqual(l.getObject(), r.getObject());
  }
  case Expr::Kind::Is: {
    const auto &l = llvm::cast<IsExpr>(lhs);
    const auto &r = llvm::cast<IsExpr>(rhs);
    if (l.getType() != r.getType() ||
        !structurallyEqual(l.getObject(), r.getObject()))
      return false;
    if (!l.getInExpr() || !r.getInExpr())
      return !l.getInExpr() && !r.getInExpr();
    return structurallyEqual(*l.getInExpr(), *r.getInExpr());
  }
  case Expr::Kind::GetAttr: {
    const auto &l = llvm::cast<GetAttrExpr>(lhs);
    const auto &r = llvm::cast<GetAttrExpr>(rhs);
    return l.getAttr() == r.getAttr() &&
           structurallyEqual(l.getObject(), r.getObject());
  }
  case Expr::Kind::MethodCall: {
    const auto &l = llvm::cast<MethodCallExpr>(lhs);
    const auto &r = llvm::cast<MethodCallExpr>(rhs);
    return l.getName() == r.getName() &&
           structurallyEqual(l.getReceiver(), r.getReceiver()) &&
           equalLists(l.getArgs(), r.getArgs());
  }
  case Expr::Kind::FunctionCall: {
    const auto &l = llvm::cast<FunctionCallExpr>(lhs);
    const auto &r = llvm::cast<FunctionCallExpr>(rhs);
    return l.getName() == r.getName() && equalLists(l.getArgs(), r.getArgs());
  }
  case Expr::Kind::Set:
    return equalLists(llvm::cast<SetExpr>(lhs).getElements(),
                      llvm::cast<SetExpr>(rhs).getElements());
  case Expr::Kind::Record: {
    const auto &l = llvm::cast<RecordExpr>(lhs).getEntries();
    const auto &r = llvm::cast<RecordExpr>(rhs).getEntries();
    if (l.size() != r.size())
      return false;
    for (size_t i = 0, e = l.size(); i != e; ++i)
      if (l[i].key != r[i].key || !structurallyEqual(*l[i].value, *r[i].value))
        return false;
    return true;
  }
  }
  llvm_unreachable("unknown expression kind");
}

std::vector<const EntityUidExpr *> ScopeConstraint::getEntityList() const {
  std::vector<const EntityUidExpr *> entities;
  if (const auto *set = llvm::dyn_cast_or_null<SetExpr>(operand.get()))
    for (const ExprPtr &element : set->getElements())
      if (const auto *entity = llvm::dyn_cast<EntityUidExpr>(element.get()))
        entities.push_back(entity);
  return entities;
}

const Annotation *Policy::findAnnotation(llvm::StringRef key) const {
  for (const Annotation &annotation : annotations)
    if (annotation.key == key)
      return &annotation;
  return nullptr;
}

bool Policy::isTemplate() const {
  return principal.getSlot() != nullptr || resource.getSlot() != nullptr;
}
