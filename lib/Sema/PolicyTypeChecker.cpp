//===- PolicyTypeChecker.cpp - Cedar's strict typechecker -----------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// A transcription of the typing rules of Cedar 4's validator (strict mode).
// Some behaviours matter for agreeing with Cedar on which policies validate
// and are kept on purpose:
//
//  * A failed subexpression does not stop checking: the rest of the
//    expression is still checked (reporting its errors too), but the result
//    is marked failed and carries no capabilities.
//  * `&&` does not check its right operand when the left one has type
//    `false`, nor `||` when the left one has type `true`, nor `if` the
//    branch its condition rules out.
//  * When the left operand of `&&` has type `true`, Cedar keeps only the
//    right operand's capabilities.
//  * `==` and `contains` only require compatible operand types when their
//    result is not already known to be `true` or `false`.
//
//===----------------------------------------------------------------------===//

#include "PolicyTypeChecker.h"

#include "ExtensionFunctionTypes.h"

#include "rune/Runtime/ExtensionParsers.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <set>

using namespace rune;
using namespace rune::cedar;
using namespace rune::cedar::validation;

//===----------------------------------------------------------------------===//
// Capabilities and answers
//===----------------------------------------------------------------------===//

namespace {

/// Expressions nested deeper than this are reported rather than checked.
/// The parser accepts far less, and the validator runs deep policies on a
/// thread whose stack holds this depth (see CedarValidator.cpp).
constexpr unsigned MaxDepth = 10000;

/// An attribute or tag known to exist.
struct Capability {
  enum class Kind { Attribute, Tag };
  Kind kind = Kind::Attribute;
  /// For attributes: `base.path[0]. ... .path[n-1]` exists (the last
  /// element is the attribute itself).
  const Expr *base = nullptr;
  std::vector<std::string> path;
  /// For tags: `base.hasTag(tag)` holds.
  const Expr *tag = nullptr;

  bool operator==(const Capability &other) const {
    return kind == other.kind && path == other.path &&
           structurallyEqual(*base, *other.base) &&
           (kind == Kind::Attribute || structurallyEqual(*tag, *other.tag));
  }
};

class CapabilitySet {
public:
  static CapabilitySet of(Capability capability) {
    CapabilitySet set;
    set.items.push_back(std::move(capability));
    return set;
  }
  bool contains(const Capability &capability) const {
    return llvm::is_contained(items, capability);
  }
  CapabilitySet unite(const CapabilitySet &other) const {
    CapabilitySet result = *this;
    for (const Capability &capability : other.items)
      if (!result.contains(capability))
        result.items.push_back(capability);
    return result;
  }
  CapabilitySet intersect(const CapabilitySet &other) const {
    CapabilitySet result;
    for (const Capability &capability : items)
      if (other.contains(capability))
        result.items.push_back(capability);
    return result;
  }

private:
  std::vector<Capability> items;
};

/// The result of typechecking an expression: its type if known, whether it
/// typechecked, and what it proves about attributes when it is true.
struct Answer {
  std::optional<Type> type;
  bool ok = true;
  CapabilitySet capabilities;
};

Answer success(std::optional<Type> type, CapabilitySet capabilities = {}) {
  return {std::move(type), true, std::move(capabilities)};
}
Answer failure(std::optional<Type> type) {
  return {std::move(type), false, {}};
}

/// Continues with `next` after `answer`: a failed answer still gets its
/// continuation checked, without capabilities, and the result fails too.
template <typename Next> Answer then(Answer answer, Next &&next) {
  if (answer.ok)
    return next(answer.type, answer.capabilities);
  Answer result = next(answer.type, CapabilitySet());
  result.ok = false;
  result.capabilities = CapabilitySet();
  return result;
}

bool isType(const std::optional<Type> &type, Type::Kind kind) {
  return type && type->is(kind);
}

/// A literal, for deciding `==` between literals.
struct LiteralValue {
  enum class Kind { Bool, Long, String, Entity };
  Kind kind;
  int64_t number = 0;
  std::string text;
  std::string entityType;

  bool operator==(const LiteralValue &other) const {
    return kind == other.kind && number == other.number && text == other.text &&
           entityType == other.entityType;
  }
};

/// Where a least upper bound was needed, for messages.
enum class LubContext {
  Set,
  Conditional,
  Equality,
  Contains,
  ContainsAnyAll,
  GetTag
};

std::string describe(LubContext context) {
  switch (context) {
  case LubContext::Set:
    return "the elements of a set literal have incompatible types";
  case LubContext::Conditional:
    return "the branches of 'if' have incompatible types";
  case LubContext::Equality:
    return "'==' compares values of incompatible types";
  case LubContext::Contains:
    return "'contains' looks for a value whose type is incompatible with the "
           "set's elements";
  case LubContext::ContainsAnyAll:
    return "the sets compared have incompatible element types";
  case LubContext::GetTag:
    return "the tags of the possible entity types have incompatible types";
  }
  return "incompatible types";
}

std::string describe(LubFailure failure) {
  switch (failure) {
  case LubFailure::RecordWidth:
    return "; records must have the same attributes under strict validation";
  case LubFailure::AttributeQualifier:
    return "; an attribute is required in one record and optional in the "
           "other";
  case LubFailure::EntityType:
    return "; entities of different types cannot be mixed under strict "
           "validation";
  case LubFailure::EntityRecord:
    return "; entities and records cannot be mixed";
  default:
    return "";
  }
}

/// How an expected type reads in messages.
std::string describeExpected(const Type &type) {
  switch (type.getKind()) {
  case Type::Kind::AnyEntity:
    return "an entity";
  case Type::Kind::Record:
    if (type.isOpen() && type.getAttributes().empty())
      return "a record";
    break;
  case Type::Kind::Set:
    if (!type.getElement())
      return "a set";
    if (type.getElement()->is(Type::Kind::AnyEntity))
      return "a set of entities";
    break;
  default:
    break;
  }
  return type.str();
}

/// `expr` without its trailing attribute accesses, and those attributes:
/// `principal.a.b` is `principal` with path [a, b].
std::pair<const Expr *, std::vector<std::string>> splitPath(const Expr &expr) {
  std::vector<std::string> path;
  const Expr *base = &expr;
  while (const auto *access = llvm::dyn_cast<GetAttrExpr>(base)) {
    path.insert(path.begin(), access->getAttr().str());
    base = &access->getObject();
  }
  return {base, std::move(path)};
}

class Checker {
public:
  Checker(const RequestEnv &env, TypeSystem &types,
          std::vector<TypeError> &errors)
      : env(env), types(types), schema(types.getSchema()), errors(errors) {}

  Answer check(const CapabilitySet &prior, const Term &term);
  Answer expectOneOf(const CapabilitySet &prior, const Term &operand,
                     llvm::ArrayRef<Type> expected);

private:
  static Term exprTerm(const Expr &expr) {
    Term term;
    term.kind = Term::Kind::Expr;
    term.expr = &expr;
    term.range = expr.getRange();
    return term;
  }

  void error(llvm::SMRange range, const llvm::Twine &message) {
    errors.push_back({range.Start, range, message.str()});
  }

  Answer checkExpr(const CapabilitySet &prior, const Expr &expr);
  Answer dispatch(const CapabilitySet &prior, const Expr &expr);
  LLVM_ATTRIBUTE_NOINLINE Answer checkEntityUid(const EntityUidExpr &uid);
  LLVM_ATTRIBUTE_NOINLINE Answer checkVar(const VarExpr &var);
  /// `&&`, `||`, `!`, `-` and `like`.
  LLVM_ATTRIBUTE_NOINLINE Answer checkOperator(const CapabilitySet &prior,
                                               const Expr &expr);
  LLVM_ATTRIBUTE_NOINLINE Answer checkBinary(const CapabilitySet &prior,
                                             const BinaryExpr &expr);
  LLVM_ATTRIBUTE_NOINLINE Answer checkIsExpr(const CapabilitySet &prior,
                                             const IsExpr &expr);
  LLVM_ATTRIBUTE_NOINLINE Answer checkGetAttrExpr(const CapabilitySet &prior,
                                                  const GetAttrExpr &expr);
  LLVM_ATTRIBUTE_NOINLINE Answer
  checkFunctionCall(const CapabilitySet &prior, const FunctionCallExpr &expr);
  LLVM_ATTRIBUTE_NOINLINE Answer checkIf(const CapabilitySet &prior,
                                         const IfExpr &expr);
  Answer checkAnd(const CapabilitySet &prior, const Term &left,
                  const Term &right);
  Answer checkOr(const CapabilitySet &prior, const Term &left,
                 const Term &right);
  Answer checkNot(const CapabilitySet &prior, const Term &operand);
  Answer checkEq(const CapabilitySet &prior, const Expr &lhs, const Expr &rhs,
                 llvm::SMRange range);
  Answer checkCompare(const CapabilitySet &prior, const Expr &lhs,
                      const Expr &rhs);
  Answer checkArithmetic(const CapabilitySet &prior, const Expr &lhs,
                         const Expr &rhs);
  Answer checkIn(const CapabilitySet &prior, const Expr &lhs, const Expr &rhs,
                 llvm::SMRange range);
  LLVM_ATTRIBUTE_NOINLINE Answer checkHasExpr(const CapabilitySet &prior,
                                              const HasExpr &expr);
  Answer checkHas(const CapabilitySet &prior, const Term &object,
                  llvm::StringRef attr);
  Answer checkGetAttr(const CapabilitySet &prior, const Term &object,
                      llvm::StringRef attr, llvm::SMRange range);
  Answer checkPath(const CapabilitySet &prior, const Term &path);
  Answer checkIs(const CapabilitySet &prior, const Term &object,
                 llvm::StringRef typeName);
  LLVM_ATTRIBUTE_NOINLINE Answer checkSet(const CapabilitySet &prior,
                                          const SetExpr &expr);
  LLVM_ATTRIBUTE_NOINLINE Answer checkRecord(const CapabilitySet &prior,
                                             const RecordExpr &expr);
  LLVM_ATTRIBUTE_NOINLINE Answer checkMethod(const CapabilitySet &prior,
                                             const MethodCallExpr &expr);
  Answer checkTag(const CapabilitySet &prior, const MethodCallExpr &expr,
                  bool isGet);
  Answer checkExtension(const CapabilitySet &prior, llvm::StringRef name,
                        llvm::ArrayRef<const Expr *> arguments,
                        llvm::SMRange range);

  /// The least upper bound of `types`, reporting an error if there is none.
  /// Unknown types (from failed subexpressions) yield nullopt silently.
  std::optional<Type> lubOrError(llvm::ArrayRef<std::optional<Type>> types,
                                 llvm::SMRange range, LubContext context);
  /// `==`'s strictness: the operand types must be compatible unless the
  /// result is known.
  Answer enforceStrictEquality(const Type &result,
                               const std::optional<Type> &lhs,
                               const std::optional<Type> &rhs,
                               llvm::SMRange range, LubContext context);
  Type typeOfEquality(const Expr &lhs, const std::optional<Type> &lhsType,
                      const Expr &rhs, const std::optional<Type> &rhsType);

  std::optional<LiteralValue> literalOf(const Expr &expr) const;
  /// An entity literal or the `action` variable, as a uid.
  std::optional<schema::EntityUid> uidOf(const Expr &expr) const;
  /// A uid, or a set literal of nothing but uids.
  std::optional<std::vector<schema::EntityUid>> uidsOf(const Expr &expr) const;
  Answer typeOfActionIn(const schema::EntityUid &lhs,
                        llvm::ArrayRef<schema::EntityUid> rhs);
  bool mayBeDescendant(llvm::ArrayRef<std::string> lhs,
                       llvm::ArrayRef<std::string> rhs) const;
  std::vector<Type> tagTypes(const Type &entity);

  /// The capability of accessing `attr` on `object`, an Expr or Path term.
  static Capability attributeCapability(const Term &object,
                                        llvm::StringRef attr) {
    auto [base, path] = splitPath(*object.expr);
    Capability capability;
    capability.base = base;
    capability.path = std::move(path);
    // A Path term stands for further accesses on its expression.
    llvm::append_range(capability.path, object.path);
    capability.path.push_back(attr.str());
    return capability;
  }

  const RequestEnv &env;
  TypeSystem &types;
  const schema::Schema &schema;
  std::vector<TypeError> &errors;
  unsigned depth = 0;
  bool reportedDepth = false;
};

} // namespace

//===----------------------------------------------------------------------===//
// Dispatch
//===----------------------------------------------------------------------===//

Answer Checker::check(const CapabilitySet &prior, const Term &term) {
  switch (term.kind) {
  case Term::Kind::Expr:
    return checkExpr(prior, *term.expr);
  case Term::Kind::And:
    return checkAnd(prior, *term.left, *term.right);
  case Term::Kind::Not:
    return checkNot(prior, *term.left);
  case Term::Kind::True:
    return success(Type::getSingletonBool(true));
  case Term::Kind::Is:
    return checkIs(prior, exprTerm(*term.expr), term.name);
  case Term::Kind::In:
    return checkIn(prior, *term.expr, *term.other, term.range);
  case Term::Kind::Eq:
    return checkEq(prior, *term.expr, *term.other, term.range);
  case Term::Kind::Path:
    return checkPath(prior, term);
  case Term::Kind::Has:
    return checkHas(prior, *term.left, term.name);
  }
  return failure(std::nullopt);
}

Answer Checker::checkExpr(const CapabilitySet &prior, const Expr &expr) {
  if (depth >= MaxDepth) {
    if (!reportedDepth)
      error(expr.getRange(), "expression is nested too deeply to validate");
    reportedDepth = true;
    return failure(std::nullopt);
  }
  ++depth;
  Answer answer = dispatch(prior, expr);
  --depth;
  return answer;
}

Answer Checker::dispatch(const CapabilitySet &prior, const Expr &expr) {
  // Each rule that builds terms lives in a function of its own, so that
  // the frames of this recursion stay small: expressions may nest as deep
  // as the parser allows.
  switch (expr.getKind()) {
  case Expr::Kind::BoolLiteral:
    return success(
        Type::getSingletonBool(llvm::cast<BoolLiteralExpr>(expr).getValue()));
  case Expr::Kind::LongLiteral:
    return success(Type::getLong());
  case Expr::Kind::StringLiteral:
    return success(Type::getString());
  case Expr::Kind::EntityUid:
    return checkEntityUid(llvm::cast<EntityUidExpr>(expr));
  case Expr::Kind::Var:
    return checkVar(llvm::cast<VarExpr>(expr));
  case Expr::Kind::Slot: {
    const std::optional<std::string> &linked =
        llvm::cast<SlotExpr>(expr).getSlot() == SlotKind::Principal
            ? env.principalSlot
            : env.resourceSlot;
    return success(linked ? Type::getEntity(*linked) : Type::getAnyEntity());
  }
  case Expr::Kind::If:
    return checkIf(prior, llvm::cast<IfExpr>(expr));
  case Expr::Kind::And:
  case Expr::Kind::Or:
  case Expr::Kind::Not:
  case Expr::Kind::Neg:
  case Expr::Kind::Like:
    return checkOperator(prior, expr);
  case Expr::Kind::Binary:
    return checkBinary(prior, llvm::cast<BinaryExpr>(expr));
  case Expr::Kind::Has:
    return checkHasExpr(prior, llvm::cast<HasExpr>(expr));
  case Expr::Kind::Is:
    return checkIsExpr(prior, llvm::cast<IsExpr>(expr));
  case Expr::Kind::GetAttr:
    return checkGetAttrExpr(prior, llvm::cast<GetAttrExpr>(expr));
  case Expr::Kind::MethodCall:
    return checkMethod(prior, llvm::cast<MethodCallExpr>(expr));
  case Expr::Kind::FunctionCall:
    return checkFunctionCall(prior, llvm::cast<FunctionCallExpr>(expr));
  case Expr::Kind::Set:
    return checkSet(prior, llvm::cast<SetExpr>(expr));
  case Expr::Kind::Record:
    return checkRecord(prior, llvm::cast<RecordExpr>(expr));
  }
  return failure(std::nullopt);
}

Answer Checker::checkVar(const VarExpr &var) {
  switch (var.getVar()) {
  case Var::Principal:
    return success(Type::getEntity(env.principalType));
  case Var::Action:
    return success(Type::getActionEntity(env.action->uid.type));
  case Var::Resource:
    return success(Type::getEntity(env.resourceType));
  case Var::Context:
    return success(env.context);
  }
  return failure(std::nullopt);
}

Answer Checker::checkOperator(const CapabilitySet &prior, const Expr &expr) {
  auto alwaysType = [](Type type) {
    return [type](const std::optional<Type> &, const CapabilitySet &) {
      return success(type);
    };
  };
  switch (expr.getKind()) {
  case Expr::Kind::And: {
    const auto &e = llvm::cast<AndExpr>(expr);
    Term left = exprTerm(e.getLHS()), right = exprTerm(e.getRHS());
    return checkAnd(prior, left, right);
  }
  case Expr::Kind::Or: {
    const auto &e = llvm::cast<OrExpr>(expr);
    Term left = exprTerm(e.getLHS()), right = exprTerm(e.getRHS());
    return checkOr(prior, left, right);
  }
  case Expr::Kind::Not: {
    Term operand = exprTerm(llvm::cast<NotExpr>(expr).getOperand());
    return checkNot(prior, operand);
  }
  case Expr::Kind::Neg: {
    Term operand = exprTerm(llvm::cast<NegExpr>(expr).getOperand());
    return then(expectOneOf(prior, operand, {Type::getLong()}),
                alwaysType(Type::getLong()));
  }
  default: {
    Term object = exprTerm(llvm::cast<LikeExpr>(expr).getObject());
    return then(expectOneOf(prior, object, {Type::getString()}),
                alwaysType(Type::getBool()));
  }
  }
}

Answer Checker::checkBinary(const CapabilitySet &prior, const BinaryExpr &e) {
  llvm::SMRange opRange = {e.getLoc(), e.getLoc()};
  switch (e.getOp()) {
  case BinaryExpr::Op::Eq:
    return checkEq(prior, e.getLHS(), e.getRHS(), opRange);
  case BinaryExpr::Op::Ne: {
    // Cedar reads `a != b` as `!(a == b)`.
    Term equality;
    equality.kind = Term::Kind::Eq;
    equality.expr = &e.getLHS();
    equality.other = &e.getRHS();
    equality.range = opRange;
    return checkNot(prior, equality);
  }
  case BinaryExpr::Op::Lt:
  case BinaryExpr::Op::Le:
  case BinaryExpr::Op::Gt:
  case BinaryExpr::Op::Ge:
    return checkCompare(prior, e.getLHS(), e.getRHS());
  case BinaryExpr::Op::Add:
  case BinaryExpr::Op::Sub:
  case BinaryExpr::Op::Mul:
    return checkArithmetic(prior, e.getLHS(), e.getRHS());
  case BinaryExpr::Op::In:
    return checkIn(prior, e.getLHS(), e.getRHS(), opRange);
  }
  return failure(std::nullopt);
}

Answer Checker::checkIsExpr(const CapabilitySet &prior, const IsExpr &e) {
  std::string typeName = e.getType().str();
  Term object = exprTerm(e.getObject());
  if (!e.getInExpr())
    return checkIs(prior, object, typeName);
  // Cedar reads `e is T in x` as `e is T && e in x`.
  Term isTerm;
  isTerm.kind = Term::Kind::Is;
  isTerm.expr = &e.getObject();
  isTerm.name = typeName;
  isTerm.range = e.getRange();
  Term inTerm;
  inTerm.kind = Term::Kind::In;
  inTerm.expr = &e.getObject();
  inTerm.other = e.getInExpr();
  inTerm.range = e.getRange();
  return checkAnd(prior, isTerm, inTerm);
}

Answer Checker::checkGetAttrExpr(const CapabilitySet &prior,
                                 const GetAttrExpr &e) {
  Term object = exprTerm(e.getObject());
  return checkGetAttr(prior, object, e.getAttr(), e.getAttrRange());
}

Answer Checker::checkFunctionCall(const CapabilitySet &prior,
                                  const FunctionCallExpr &e) {
  std::vector<const Expr *> arguments;
  for (const ExprPtr &argument : e.getArgs())
    arguments.push_back(argument.get());
  return checkExtension(prior, e.getName().str(), arguments, e.getRange());
}

Answer Checker::expectOneOf(const CapabilitySet &prior, const Term &operand,
                            llvm::ArrayRef<Type> expected) {
  Answer actual = check(prior, operand);
  return then(std::move(actual), [&](const std::optional<Type> &type,
                                     const CapabilitySet &capabilities) {
    if (!type)
      return failure(std::nullopt);
    // Permissive subtyping, as in Cedar: "an entity" or "a record" accepts
    // any entity or record.
    if (llvm::any_of(expected, [&](const Type &candidate) {
          return types.isSubtype(*type, candidate, ValidationMode::Permissive);
        }))
      return success(type, capabilities);
    std::vector<std::string> names;
    for (const Type &candidate : expected)
      names.push_back(describeExpected(candidate));
    error(operand.range, "unexpected type: expected " +
                             llvm::join(names, " or ") + " but found " +
                             type->str());
    return failure(std::nullopt);
  });
}

//===----------------------------------------------------------------------===//
// Rules
//===----------------------------------------------------------------------===//

Answer Checker::checkEntityUid(const EntityUidExpr &uid) {
  std::string type = uid.getType().str();
  // Undeclared entity types and actions are reported once per policy by
  // the validator; here they only make the expression fail.
  if (schema::Schema::isActionTypeName(type)) {
    if (schema.findAction({type, uid.getId().str()}))
      return success(Type::getActionEntity(type));
    return failure(std::nullopt);
  }
  if (schema.findEntityType(type))
    return success(Type::getEntity(type));
  return failure(std::nullopt);
}

Answer Checker::checkIf(const CapabilitySet &prior, const IfExpr &expr) {
  Term cond = exprTerm(expr.getCond());
  Answer test = expectOneOf(prior, cond, {Type::getBool()});
  return then(std::move(test), [&](const std::optional<Type> &testType,
                                   const CapabilitySet &testCaps) {
    if (isType(testType, Type::Kind::True)) {
      Answer thenAnswer = checkExpr(prior.unite(testCaps), expr.getThen());
      return then(std::move(thenAnswer), [&](const std::optional<Type> &type,
                                             const CapabilitySet &caps) {
        return success(type, caps.unite(testCaps));
      });
    }
    if (isType(testType, Type::Kind::False)) {
      Answer elseAnswer = checkExpr(prior, expr.getElse());
      return then(std::move(elseAnswer), [&](const std::optional<Type> &type,
                                             const CapabilitySet &caps) {
        return success(type, caps);
      });
    }
    Answer thenAnswer = checkExpr(prior.unite(testCaps), expr.getThen());
    if (thenAnswer.ok)
      thenAnswer.capabilities = thenAnswer.capabilities.unite(testCaps);
    Answer elseAnswer = checkExpr(prior, expr.getElse());
    return then(std::move(thenAnswer), [&](const std::optional<Type> &thenType,
                                           const CapabilitySet &thenCaps) {
      return then(
          std::move(elseAnswer), [&](const std::optional<Type> &elseType,
                                     const CapabilitySet &elseCaps) {
            std::optional<Type> lub = lubOrError(
                {thenType, elseType}, expr.getRange(), LubContext::Conditional);
            if (!lub)
              return failure(std::nullopt);
            return success(lub, elseCaps.intersect(thenCaps));
          });
    });
  });
}

Answer Checker::checkAnd(const CapabilitySet &prior, const Term &left,
                         const Term &right) {
  Answer leftAnswer = expectOneOf(prior, left, {Type::getBool()});
  return then(std::move(leftAnswer), [&](const std::optional<Type> &leftType,
                                         const CapabilitySet &leftCaps) {
    // A false left operand makes the right one unreachable.
    if (isType(leftType, Type::Kind::False))
      return success(leftType);
    Answer rightAnswer =
        expectOneOf(prior.unite(leftCaps), right, {Type::getBool()});
    return then(std::move(rightAnswer),
                [&](const std::optional<Type> &rightType,
                    const CapabilitySet &rightCaps) {
                  if (!leftType || !rightType)
                    return failure(Type::getBool());
                  if (rightType->is(Type::Kind::False))
                    return success(Type::getSingletonBool(false));
                  if (rightType->is(Type::Kind::True))
                    return success(leftType, leftCaps.unite(rightCaps));
                  if (leftType->is(Type::Kind::True))
                    return success(rightType, rightCaps);
                  return success(Type::getBool(), leftCaps.unite(rightCaps));
                });
  });
}

Answer Checker::checkOr(const CapabilitySet &prior, const Term &left,
                        const Term &right) {
  Answer leftAnswer = expectOneOf(prior, left, {Type::getBool()});
  return then(std::move(leftAnswer), [&](const std::optional<Type> &leftType,
                                         const CapabilitySet &leftCaps) {
    // A true left operand makes the right one unreachable.
    if (isType(leftType, Type::Kind::True))
      return success(leftType, leftCaps);
    // The right operand is reached when the left one is false, so it
    // learns nothing from the left one's capabilities.
    Answer rightAnswer = expectOneOf(prior, right, {Type::getBool()});
    return then(
        std::move(rightAnswer), [&](const std::optional<Type> &rightType,
                                    const CapabilitySet &rightCaps) {
          if (!leftType || !rightType)
            return failure(Type::getBool());
          if (rightType->is(Type::Kind::True))
            return success(Type::getSingletonBool(true), rightCaps);
          if (rightType->is(Type::Kind::False))
            return success(leftType, leftCaps);
          if (leftType->is(Type::Kind::False))
            return success(rightType, rightCaps);
          return success(Type::getBool(), rightCaps.intersect(leftCaps));
        });
  });
}

Answer Checker::checkNot(const CapabilitySet &prior, const Term &operand) {
  return then(expectOneOf(prior, operand, {Type::getBool()}),
              [](const std::optional<Type> &type, const CapabilitySet &) {
                if (!type)
                  return failure(Type::getBool());
                if (type->is(Type::Kind::True))
                  return success(Type::getSingletonBool(false));
                if (type->is(Type::Kind::False))
                  return success(Type::getSingletonBool(true));
                return success(Type::getBool());
              });
}

std::optional<LiteralValue> Checker::literalOf(const Expr &expr) const {
  switch (expr.getKind()) {
  case Expr::Kind::BoolLiteral:
    return LiteralValue{LiteralValue::Kind::Bool,
                        llvm::cast<BoolLiteralExpr>(expr).getValue(), "", ""};
  case Expr::Kind::LongLiteral:
    return LiteralValue{LiteralValue::Kind::Long,
                        llvm::cast<LongLiteralExpr>(expr).getValue(), "", ""};
  case Expr::Kind::StringLiteral:
    return LiteralValue{LiteralValue::Kind::String, 0,
                        llvm::cast<StringLiteralExpr>(expr).getValue().str(),
                        ""};
  default:
    if (std::optional<schema::EntityUid> uid = uidOf(expr))
      return LiteralValue{LiteralValue::Kind::Entity, 0, uid->id, uid->type};
    return std::nullopt;
  }
}

std::optional<schema::EntityUid> Checker::uidOf(const Expr &expr) const {
  if (const auto *uid = llvm::dyn_cast<EntityUidExpr>(&expr))
    return schema::EntityUid{uid->getType().str(), uid->getId().str()};
  if (const auto *var = llvm::dyn_cast<VarExpr>(&expr);
      var && var->getVar() == Var::Action)
    return env.action->uid;
  return std::nullopt;
}

std::optional<std::vector<schema::EntityUid>>
Checker::uidsOf(const Expr &expr) const {
  if (std::optional<schema::EntityUid> uid = uidOf(expr))
    return std::vector<schema::EntityUid>{*uid};
  const auto *set = llvm::dyn_cast<SetExpr>(&expr);
  if (!set)
    return std::nullopt;
  std::vector<schema::EntityUid> uids;
  for (const ExprPtr &element : set->getElements()) {
    std::optional<schema::EntityUid> uid = uidOf(*element);
    if (!uid)
      return std::nullopt;
    uids.push_back(std::move(*uid));
  }
  return uids;
}

Type Checker::typeOfEquality(const Expr &lhs,
                             const std::optional<Type> &lhsType,
                             const Expr &rhs,
                             const std::optional<Type> &rhsType) {
  if (lhsType && rhsType && TypeSystem::areDisjoint(*lhsType, *rhsType))
    return Type::getSingletonBool(false);
  std::optional<LiteralValue> left = literalOf(lhs), right = literalOf(rhs);
  if (left && right)
    return Type::getSingletonBool(*left == *right);
  return Type::getBool();
}

Answer Checker::enforceStrictEquality(const Type &result,
                                      const std::optional<Type> &lhs,
                                      const std::optional<Type> &rhs,
                                      llvm::SMRange range, LubContext context) {
  if (result.is(Type::Kind::True) || result.is(Type::Kind::False) || !lhs ||
      !rhs)
    return success(result);
  LubFailure reason = LubFailure::None;
  if (types.leastUpperBound(*lhs, *rhs, ValidationMode::Strict, &reason))
    return success(result);
  error(range, describe(context) + ": " + lhs->str() + " and " + rhs->str() +
                   describe(reason));
  return failure(result);
}

Answer Checker::checkEq(const CapabilitySet &prior, const Expr &lhs,
                        const Expr &rhs, llvm::SMRange range) {
  Answer left = checkExpr(prior, lhs);
  Answer right = checkExpr(prior, rhs);
  return then(std::move(left), [&](const std::optional<Type> &lhsType,
                                   const CapabilitySet &) {
    return then(std::move(right),
                [&](const std::optional<Type> &rhsType, const CapabilitySet &) {
                  Type result = typeOfEquality(lhs, lhsType, rhs, rhsType);
                  return enforceStrictEquality(result, lhsType, rhsType, range,
                                               LubContext::Equality);
                });
  });
}

Answer Checker::checkCompare(const CapabilitySet &prior, const Expr &lhs,
                             const Expr &rhs) {
  // Long, and the extension types with comparison operators.
  auto comparable = [](const Type &type) {
    return type.is(Type::Kind::Long) ||
           (type.is(Type::Kind::Extension) &&
            (type.getExtension() == schema::ExtensionType::Datetime ||
             type.getExtension() == schema::ExtensionType::Duration));
  };
  const std::string anyComparable = "Long, datetime or duration";
  return then(checkExpr(prior, lhs), [&](const std::optional<Type> &t1,
                                         const CapabilitySet &) {
    return then(checkExpr(prior, rhs), [&](const std::optional<Type> &t2,
                                           const CapabilitySet &) {
      if (!t1 || !t2)
        return failure(Type::getBool());
      auto mismatch = [&](const Expr &operand, const std::string &expected,
                          const Type &found) {
        error(operand.getRange(), "unexpected type: expected " + expected +
                                      " but found " + found.str());
      };
      bool never1 = t1->is(Type::Kind::Never),
           never2 = t2->is(Type::Kind::Never);
      if (never1 && never2)
        return failure(Type::getBool());
      if (never1 || never2) {
        const Type &other = never1 ? *t2 : *t1;
        if (comparable(other))
          return success(Type::getBool());
        mismatch(never1 ? rhs : lhs, anyComparable, other);
        return failure(Type::getBool());
      }
      if (*t1 == *t2 && comparable(*t1))
        return success(Type::getBool());
      if (t1->is(Type::Kind::Long))
        mismatch(rhs, "Long", *t2);
      else if (t2->is(Type::Kind::Long))
        mismatch(lhs, "Long", *t1);
      else if (comparable(*t1))
        mismatch(rhs, t1->str(), *t2);
      else if (comparable(*t2))
        mismatch(lhs, t2->str(), *t1);
      else {
        mismatch(lhs, anyComparable, *t1);
        mismatch(rhs, anyComparable, *t2);
      }
      return failure(Type::getBool());
    });
  });
}

Answer Checker::checkArithmetic(const CapabilitySet &prior, const Expr &lhs,
                                const Expr &rhs) {
  Term left = exprTerm(lhs), right = exprTerm(rhs);
  return then(expectOneOf(prior, left, {Type::getLong()}),
              [&](const std::optional<Type> &, const CapabilitySet &) {
                return then(
                    expectOneOf(prior, right, {Type::getLong()}),
                    [](const std::optional<Type> &, const CapabilitySet &) {
                      return success(Type::getLong());
                    });
              });
}

bool Checker::mayBeDescendant(llvm::ArrayRef<std::string> lhs,
                              llvm::ArrayRef<std::string> rhs) const {
  for (const std::string &child : lhs)
    for (const std::string &ancestor : rhs) {
      if (child == ancestor || schema.getDescendantTypes(ancestor).count(child))
        return true;
      // Actions can be members of action groups of other action types.
      for (const schema::ActionDef &action : schema.getActions())
        if (action.uid.type == ancestor &&
            llvm::any_of(schema.getDescendantActions(action.uid),
                         [&](const schema::EntityUid &descendant) {
                           return descendant.type == child;
                         }))
          return true;
    }
  return false;
}

Answer Checker::typeOfActionIn(const schema::EntityUid &lhs,
                               llvm::ArrayRef<schema::EntityUid> rhs) {
  // Actions are only ever in actions, so non-actions on the right never
  // match.
  std::vector<schema::EntityUid> actions;
  for (const schema::EntityUid &uid : rhs)
    if (schema::Schema::isActionTypeName(uid.type))
      actions.push_back(uid);
  if (actions.empty())
    return success(Type::getSingletonBool(false));
  bool member = false;
  for (const schema::EntityUid &group : actions) {
    // Undeclared actions are reported by the validator.
    if (!schema.findAction(group))
      return failure(Type::getBool());
    if (group == lhs || schema.getDescendantActions(group).count(lhs))
      member = true;
  }
  return success(Type::getSingletonBool(member));
}

Answer Checker::checkIn(const CapabilitySet &prior, const Expr &lhs,
                        const Expr &rhs, llvm::SMRange range) {
  Term left = exprTerm(lhs), right = exprTerm(rhs);
  Answer leftAnswer = expectOneOf(prior, left, {Type::getAnyEntity()});
  Answer rightAnswer = expectOneOf(
      prior, right, {Type::getSet(Type::getAnyEntity()), Type::getAnyEntity()});
  bool operandsOk = leftAnswer.ok && rightAnswer.ok;
  return then(std::move(leftAnswer), [&](const std::optional<Type> &lhsType,
                                         const CapabilitySet &) {
    return then(std::move(rightAnswer), [&](const std::optional<Type> &rhsType,
                                            const CapabilitySet &) {
      if (!operandsOk)
        return failure(Type::getBool());
      std::optional<schema::EntityUid> lhsUid = uidOf(lhs);
      std::optional<std::vector<schema::EntityUid>> rhsUids = uidsOf(rhs);
      Answer result;
      if (lhsUid && rhsUids && schema::Schema::isActionTypeName(lhsUid->type)) {
        result = typeOfActionIn(*lhsUid, *rhsUids);
      } else {
        auto entityTypesOf =
            [](const Type *type) -> const std::vector<std::string> * {
          if (type && (type->is(Type::Kind::Entity) ||
                       type->is(Type::Kind::ActionEntity)))
            return &type->getEntityTypes();
          return nullptr;
        };
        const Type *rhs = rhsType ? &*rhsType : nullptr;
        const std::vector<std::string> *lhsTypes =
            entityTypesOf(lhsType ? &*lhsType : nullptr);
        const std::vector<std::string> *rhsTypes = entityTypesOf(rhs);
        if (!rhsTypes && rhs && rhs->is(Type::Kind::Set))
          rhsTypes = entityTypesOf(rhs->getElement());
        // An entity can only be in entities of its own type or of the
        // types it may be a member of.
        bool alwaysFalse =
            lhsTypes && rhsTypes && !mayBeDescendant(*lhsTypes, *rhsTypes);
        result = success(alwaysFalse ? Type::getSingletonBool(false)
                                     : Type::getBool());
      }
      // The result carries no capabilities.
      return then(std::move(result),
                  [](const std::optional<Type> &type, const CapabilitySet &) {
                    return success(type);
                  });
    });
  });
}

Answer Checker::checkHasExpr(const CapabilitySet &prior, const HasExpr &expr) {
  const std::vector<std::string> &attrs = expr.getAttrs();
  Term object = exprTerm(expr.getObject());
  llvm::SMRange range = {expr.getLoc(), expr.getRange().End};
  if (attrs.size() <= 1)
    return checkHas(prior, object, attrs.empty() ? "" : attrs.front());
  // Cedar reads `e has a.b.c` as `(e has a && e.a has b) && e.a.b has c`.
  std::deque<Term> terms;
  auto add = [&](Term term) -> const Term & {
    terms.push_back(std::move(term));
    return terms.back();
  };
  Term first;
  first.kind = Term::Kind::Has;
  first.left = &object;
  first.name = attrs[0];
  first.range = range;
  const Term *result = &add(std::move(first));
  for (size_t i = 1; i != attrs.size(); ++i) {
    Term path;
    path.kind = Term::Kind::Path;
    path.expr = &expr.getObject();
    path.path = llvm::ArrayRef(attrs).take_front(i);
    path.range = range;
    Term step;
    step.kind = Term::Kind::Has;
    step.left = &add(std::move(path));
    step.name = attrs[i];
    step.range = range;
    Term conjunction;
    conjunction.kind = Term::Kind::And;
    conjunction.left = result;
    conjunction.right = &add(std::move(step));
    conjunction.range = range;
    result = &add(std::move(conjunction));
  }
  return check(prior, *result);
}

Answer Checker::checkHas(const CapabilitySet &prior, const Term &object,
                         llvm::StringRef attr) {
  Answer actual =
      expectOneOf(prior, object, {Type::getAnyEntity(), Type::getAnyRecord()});
  return then(std::move(actual), [&](const std::optional<Type> &type,
                                     const CapabilitySet &) {
    if (!type)
      return failure(Type::getBool());
    Capability capability = attributeCapability(object, attr);
    bool known = prior.contains(capability);
    if (std::optional<AttributeType> attribute =
            types.lookupAttribute(*type, attr)) {
      // A required attribute of a record is always there; an entity might
      // not exist, in which case it has no attributes at all.
      bool alwaysTrue =
          known || (attribute->required && type->is(Type::Kind::Record));
      return success(alwaysTrue ? Type::getSingletonBool(true)
                                : Type::getBool(),
                     CapabilitySet::of(std::move(capability)));
    }
    return success(types.mayHaveAttribute(*type, attr)
                       ? Type::getBool()
                       : Type::getSingletonBool(false));
  });
}

Answer Checker::checkGetAttr(const CapabilitySet &prior, const Term &object,
                             llvm::StringRef attr, llvm::SMRange range) {
  Answer actual =
      expectOneOf(prior, object, {Type::getAnyEntity(), Type::getAnyRecord()});
  return then(std::move(actual), [&](const std::optional<Type> &type,
                                     const CapabilitySet &) {
    if (!type)
      return failure(std::nullopt);
    if (std::optional<AttributeType> attribute =
            types.lookupAttribute(*type, attr)) {
      if (attribute->required ||
          prior.contains(attributeCapability(object, attr)))
        return success(attribute->type);
      error(range, "attribute '" + attr + "' of " + type->str() +
                       " is optional; test for it with `has` before "
                       "accessing it");
      return failure(attribute->type);
    }
    std::string message =
        "attribute '" + attr.str() + "' does not exist on " + type->str();
    std::optional<std::string> suggestion;
    unsigned best = 3;
    for (const std::string &known : types.getKnownAttributes(*type)) {
      unsigned distance = llvm::StringRef(known).edit_distance(attr, true, 2);
      if (distance < best) {
        best = distance;
        suggestion = known;
      }
    }
    if (suggestion)
      message += "; did you mean '" + *suggestion + "'?";
    error(range, message);
    return failure(std::nullopt);
  });
}

Answer Checker::checkPath(const CapabilitySet &prior, const Term &path) {
  if (path.path.empty())
    return checkExpr(prior, *path.expr);
  Term prefix = path;
  prefix.path = prefix.path.drop_back();
  if (prefix.path.empty())
    prefix.kind = Term::Kind::Expr;
  return checkGetAttr(prior, prefix, path.path.back(), path.range);
}

Answer Checker::checkIs(const CapabilitySet &prior, const Term &object,
                        llvm::StringRef typeName) {
  Answer actual = expectOneOf(prior, object, {Type::getAnyEntity()});
  return then(std::move(actual), [&](const std::optional<Type> &type,
                                     const CapabilitySet &) {
    if (!type)
      return failure(Type::getBool());
    switch (type->getKind()) {
    case Type::Kind::Entity: {
      const std::vector<std::string> &candidates = type->getEntityTypes();
      if (!llvm::is_contained(candidates, typeName))
        return success(Type::getSingletonBool(false));
      if (candidates.size() == 1)
        return success(Type::getSingletonBool(true));
      return success(Type::getBool());
    }
    case Type::Kind::ActionEntity:
      return success(
          Type::getSingletonBool(type->getEntityTypes().front() == typeName));
    case Type::Kind::AnyEntity:
      return success(Type::getBool());
    default:
      return failure(Type::getBool());
    }
  });
}

Answer Checker::checkSet(const CapabilitySet &prior, const SetExpr &expr) {
  bool anyFailed = false;
  std::vector<std::optional<Type>> elementTypes;
  for (const ExprPtr &element : expr.getElements()) {
    Answer answer = checkExpr(prior, *element);
    anyFailed |= !answer.ok;
    elementTypes.push_back(std::move(answer.type));
  }
  std::optional<Type> lub =
      lubOrError(elementTypes, expr.getRange(), LubContext::Set);
  Answer result;
  if (expr.getElements().empty()) {
    error(expr.getRange(),
          "empty set literals are not allowed under strict validation, as "
          "their element type is unknown");
    result = failure(std::nullopt);
  } else if (lub) {
    result = success(Type::getSet(*lub));
  } else {
    result = failure(std::nullopt);
  }
  if (anyFailed)
    result = failure(result.type);
  return result;
}

Answer Checker::checkRecord(const CapabilitySet &prior,
                            const RecordExpr &expr) {
  bool anyFailed = false, allTyped = true;
  auto attributes = std::make_shared<Attributes>();
  for (const RecordEntry &entry : expr.getEntries()) {
    Answer answer = checkExpr(prior, *entry.value);
    anyFailed |= !answer.ok;
    if (!answer.type)
      allTyped = false;
    else
      attributes->emplace(entry.key, AttributeType{*answer.type, true});
  }
  if (!allTyped)
    return failure(std::nullopt);
  Type type = Type::getRecord(std::move(attributes), /*open=*/false);
  return anyFailed ? failure(type) : success(type);
}

std::vector<Type> Checker::tagTypes(const Type &entity) {
  std::vector<Type> result;
  auto addTagsOf = [&](const schema::EntityTypeDef &def) {
    if (!def.tags)
      return;
    Type tags = types.convert(*def.tags);
    if (!llvm::is_contained(result, tags))
      result.push_back(std::move(tags));
  };
  if (entity.is(Type::Kind::Entity)) {
    for (const std::string &name : entity.getEntityTypes())
      if (const schema::EntityTypeDef *def = schema.findEntityType(name))
        addTagsOf(*def);
  } else if (entity.is(Type::Kind::AnyEntity)) {
    for (const schema::EntityTypeDef &def : schema.getEntityTypes())
      addTagsOf(def);
  }
  // Actions cannot have tags.
  return result;
}

Answer Checker::checkTag(const CapabilitySet &prior, const MethodCallExpr &expr,
                         bool isGet) {
  Term receiver = exprTerm(expr.getReceiver());
  Term tag = exprTerm(*expr.getArgs().front());
  llvm::SMRange range = expr.getRange();
  Answer entity = expectOneOf(prior, receiver, {Type::getAnyEntity()});
  return then(std::move(entity), [&](const std::optional<Type> &entityType,
                                     const CapabilitySet &) {
    return then(
        expectOneOf(prior, tag, {Type::getString()}),
        [&](const std::optional<Type> &, const CapabilitySet &) {
          if (!entityType)
            return failure(std::nullopt);
          Capability capability;
          capability.kind = Capability::Kind::Tag;
          capability.base = &expr.getReceiver();
          capability.tag = expr.getArgs().front().get();
          bool known = prior.contains(capability);
          std::vector<Type> candidates = tagTypes(*entityType);
          if (!isGet) {
            Type result = candidates.empty() ? Type::getSingletonBool(false)
                          : known            ? Type::getSingletonBool(true)
                                             : Type::getBool();
            return success(result, CapabilitySet::of(std::move(capability)));
          }
          if (!known) {
            error(range, "cannot guarantee that " + entityType->str() +
                             " has this tag; test for it with `hasTag` before "
                             "accessing it");
            return failure(std::nullopt);
          }
          if (candidates.empty()) {
            error(range, entityType->str() + " entities cannot have tags");
            return failure(std::nullopt);
          }
          std::vector<std::optional<Type>> tagTypes(candidates.begin(),
                                                    candidates.end());
          std::optional<Type> lub =
              lubOrError(tagTypes, range, LubContext::GetTag);
          if (!lub)
            return failure(std::nullopt);
          return success(lub);
        });
  });
}

Answer Checker::checkMethod(const CapabilitySet &prior,
                            const MethodCallExpr &expr) {
  llvm::StringRef name = expr.getName();
  const std::vector<ExprPtr> &args = expr.getArgs();
  Term receiver = exprTerm(expr.getReceiver());
  llvm::SMRange range = expr.getRange();
  auto arityOk = [&](size_t expected) {
    if (args.size() == expected)
      return true;
    error(expr.getNameRange(), "'" + name + "' takes " + llvm::Twine(expected) +
                                   " argument" + (expected == 1 ? "" : "s") +
                                   ", got " + llvm::Twine(args.size()));
    checkExpr(prior, expr.getReceiver());
    for (const ExprPtr &arg : args)
      checkExpr(prior, *arg);
    return false;
  };

  if (name == "contains") {
    if (!arityOk(1))
      return failure(Type::getBool());
    return then(expectOneOf(prior, receiver, {Type::getAnySet()}),
                [&](const std::optional<Type> &setType, const CapabilitySet &) {
                  return then(checkExpr(prior, *args[0]),
                              [&](const std::optional<Type> &elementType,
                                  const CapabilitySet &) {
                                std::optional<Type> setElement;
                                if (setType && setType->getElement())
                                  setElement = *setType->getElement();
                                return enforceStrictEquality(
                                    Type::getBool(), setElement, elementType,
                                    range, LubContext::Contains);
                              });
                });
  }
  if (name == "containsAll" || name == "containsAny") {
    if (!arityOk(1))
      return failure(Type::getBool());
    Term argument = exprTerm(*args[0]);
    return then(
        expectOneOf(prior, receiver, {Type::getAnySet()}),
        [&](const std::optional<Type> &lhs, const CapabilitySet &) {
          return then(
              expectOneOf(prior, argument, {Type::getAnySet()}),
              [&](const std::optional<Type> &rhs, const CapabilitySet &) {
                return enforceStrictEquality(Type::getBool(), lhs, rhs, range,
                                             LubContext::ContainsAnyAll);
              });
        });
  }
  if (name == "isEmpty") {
    if (!arityOk(0))
      return failure(Type::getBool());
    return then(expectOneOf(prior, receiver, {Type::getAnySet()}),
                [](const std::optional<Type> &, const CapabilitySet &) {
                  return success(Type::getBool());
                });
  }
  if (name == "hasTag" || name == "getTag") {
    if (!arityOk(1))
      return failure(std::nullopt);
    return checkTag(prior, expr, name == "getTag");
  }
  std::vector<const Expr *> arguments = {&expr.getReceiver()};
  for (const ExprPtr &arg : args)
    arguments.push_back(arg.get());
  const ExtensionFunctionType *function = lookupExtensionFunction(name);
  if (!function || function->isConstructor) {
    error(expr.getNameRange(), "unknown method '" + name + "'");
    for (const Expr *argument : arguments)
      checkExpr(prior, *argument);
    return failure(std::nullopt);
  }
  return checkExtension(prior, name, arguments, range);
}

Answer Checker::checkExtension(const CapabilitySet &prior, llvm::StringRef name,
                               llvm::ArrayRef<const Expr *> arguments,
                               llvm::SMRange range) {
  const ExtensionFunctionType *function = lookupExtensionFunction(name);
  auto checkAll = [&] {
    for (const Expr *argument : arguments)
      checkExpr(prior, *argument);
  };
  if (!function) {
    error(range, "unknown extension function '" + name + "'");
    checkAll();
    return failure(std::nullopt);
  }
  Type result = function->result;
  bool failed = false;
  if (arguments.size() != function->arguments.size()) {
    error(range, "'" + name + "' takes " +
                     llvm::Twine(function->arguments.size()) +
                     " argument(s), got " + llvm::Twine(arguments.size()));
    failed = true;
  }
  if (function->isConstructor && arguments.size() == 1)
    if (const auto *literal = llvm::dyn_cast<StringLiteralExpr>(arguments[0])) {
      // The runtime's parsers define what the constructors accept.
      std::string_view text(literal->getValue().data(),
                            literal->getValue().size());
      std::string problem;
      int64_t number = 0;
      IpAddrData address;
      bool valid = name == "decimal" ? ext::parseDecimal(text, number, problem)
                   : name == "ip"    ? ext::parseIpAddr(text, address, problem)
                   : name == "datetime"
                       ? ext::parseDatetime(text, number, problem)
                       : ext::parseDuration(text, number, problem);
      if (!valid) {
        error(literal->getRange(),
              "invalid argument to '" + name + "': " + problem);
        failed = true;
      }
    }
  // Strict validation only accepts constructors applied to literals, so
  // that every extension value in a policy is known to be well formed.
  if (function->isConstructor &&
      !llvm::all_of(arguments, [](const Expr *argument) {
        return llvm::isa<BoolLiteralExpr, LongLiteralExpr, StringLiteralExpr,
                         EntityUidExpr>(argument);
      })) {
    error(range, "'" + name +
                     "' must be applied to a string literal under "
                     "strict validation");
    failed = true;
  }
  if (failed) {
    checkAll();
    return failure(result);
  }
  bool anyFailed = false;
  for (size_t i = 0; i != arguments.size(); ++i) {
    Term argument = exprTerm(*arguments[i]);
    anyFailed |= !expectOneOf(prior, argument, {function->arguments[i]}).ok;
  }
  return anyFailed ? failure(result) : success(result);
}

std::optional<Type>
Checker::lubOrError(llvm::ArrayRef<std::optional<Type>> candidates,
                    llvm::SMRange range, LubContext context) {
  if (llvm::any_of(candidates,
                   [](const std::optional<Type> &type) { return !type; }))
    return std::nullopt;
  Type lub = Type::getNever();
  for (const std::optional<Type> &type : candidates) {
    LubFailure reason = LubFailure::None;
    std::optional<Type> next =
        types.leastUpperBound(lub, *type, ValidationMode::Strict, &reason);
    if (!next) {
      std::vector<std::string> names;
      for (const std::optional<Type> &candidate : candidates)
        if (!llvm::is_contained(names, candidate->str()))
          names.push_back(candidate->str());
      error(range, describe(context) + ": " + llvm::join(names, ", ") +
                       describe(reason));
      return std::nullopt;
    }
    lub = std::move(*next);
  }
  return lub;
}

bool rune::cedar::validation::typecheckCondition(
    const PolicyCondition &condition, const RequestEnv &env, TypeSystem &types,
    std::vector<TypeError> &errors) {
  Checker checker(env, types, errors);
  Answer answer = checker.expectOneOf(CapabilitySet(), condition.getRoot(),
                                      {Type::getBool()});
  return isType(answer.type, Type::Kind::False);
}
