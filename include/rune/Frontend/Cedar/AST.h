//===- AST.h - Abstract syntax tree of Cedar policies -----------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// An owned AST for the full Cedar 4.x policy language, independent of the
// ANTLR parse tree it is built from. Expressions form a class hierarchy with
// LLVM-style RTTI (`llvm::isa`, `llvm::cast`, `llvm::dyn_cast` on
// Expr::getKind()); every node owns its children through std::unique_ptr and
// records the source range it was parsed from.
//
// The parser produces the AST with lexical details resolved (string escapes
// decoded, `like` patterns split into wildcards and literal text, negative
// integer literals folded) and syntactic restrictions enforced; CedarSema
// then checks the semantic rules (scope operand forms, known functions and
// methods, extension literals, duplicates).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_FRONTEND_CEDAR_AST_H
#define RUNE_FRONTEND_CEDAR_AST_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Casting.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rune::cedar {

//===----------------------------------------------------------------------===//
// Basic vocabulary
//===----------------------------------------------------------------------===//

enum class Effect { Permit, Forbid };

/// The four request variables.
enum class Var { Principal, Action, Resource, Context };

/// Template slots. Only `?principal` and `?resource` exist in Cedar.
enum class SlotKind { Principal, Resource };

llvm::StringRef toString(Effect effect);
llvm::StringRef toString(Var var);
/// Spelling including the leading '?', e.g. "?principal".
llvm::StringRef toString(SlotKind slot);

/// A possibly namespaced name such as `User`, `PhotoApp::Photo` or
/// `decimal`: entity types and function names.
struct QualifiedName {
  /// The `::`-separated components, outermost namespace first; never empty
  /// in an AST produced by the parser.
  std::vector<std::string> components;
  llvm::SMRange range;

  bool isQualified() const { return components.size() > 1; }
  /// The last component, e.g. "Photo" for PhotoApp::Photo.
  llvm::StringRef getBaseName() const;
  /// The components joined by "::".
  std::string str() const;

  /// Compares the components only, not the location.
  bool operator==(const QualifiedName &other) const {
    return components == other.components;
  }
  bool operator!=(const QualifiedName &other) const {
    return !(*this == other);
  }
};

/// True for the words that cannot be used as identifiers in names and
/// attributes: true, false, if, then, else, in, is, has, like.
bool isReservedWord(llvm::StringRef word);
/// True if `text` can be written as a bare identifier (in `.attr`, record
/// keys, `has attr`, names): it matches [_a-zA-Z][_a-zA-Z0-9]* and is not a
/// reserved word.
bool isValidIdentifier(llvm::StringRef text);

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

class Expr {
public:
  enum class Kind {
    BoolLiteral,
    LongLiteral,
    StringLiteral,
    EntityUid,
    Var,
    Slot,
    If,
    And,
    Or,
    Not,
    Neg,
    Binary,
    Has,
    Like,
    Is,
    GetAttr,
    MethodCall,
    FunctionCall,
    Set,
    Record,
  };

  Expr(const Expr &) = delete;
  Expr &operator=(const Expr &) = delete;
  virtual ~Expr();

  Kind getKind() const { return kind; }
  /// The source text the expression was parsed from.
  llvm::SMRange getRange() const { return range; }
  /// The location diagnostics point at: the operator for binary and
  /// postfix expressions, the start of the expression otherwise.
  llvm::SMLoc getLoc() const { return loc; }

protected:
  Expr(Kind kind, llvm::SMRange range, llvm::SMLoc loc)
      : kind(kind), range(range), loc(loc.isValid() ? loc : range.Start) {}

private:
  const Kind kind;
  llvm::SMRange range;
  llvm::SMLoc loc;
};

using ExprPtr = std::unique_ptr<Expr>;

class BoolLiteralExpr : public Expr {
public:
  BoolLiteralExpr(bool value, llvm::SMRange range)
      : Expr(Kind::BoolLiteral, range, {}), value(value) {}
  bool getValue() const { return value; }
  static bool classof(const Expr *e) {
    return e->getKind() == Kind::BoolLiteral;
  }

private:
  bool value;
};

class LongLiteralExpr : public Expr {
public:
  LongLiteralExpr(int64_t value, llvm::SMRange range)
      : Expr(Kind::LongLiteral, range, {}), value(value) {}
  int64_t getValue() const { return value; }
  static bool classof(const Expr *e) {
    return e->getKind() == Kind::LongLiteral;
  }

private:
  int64_t value;
};

class StringLiteralExpr : public Expr {
public:
  StringLiteralExpr(std::string value, llvm::SMRange range)
      : Expr(Kind::StringLiteral, range, {}), value(std::move(value)) {}
  /// The string with escapes decoded (UTF-8).
  llvm::StringRef getValue() const { return value; }
  static bool classof(const Expr *e) {
    return e->getKind() == Kind::StringLiteral;
  }

private:
  std::string value;
};

/// An entity literal `Type::"id"`, e.g. `PhotoApp::User::"alice"`.
class EntityUidExpr : public Expr {
public:
  EntityUidExpr(QualifiedName type, std::string id, llvm::SMRange range)
      : Expr(Kind::EntityUid, range, {}), type(std::move(type)),
        id(std::move(id)) {}
  const QualifiedName &getType() const { return type; }
  /// The entity id with escapes decoded.
  llvm::StringRef getId() const { return id; }
  static bool classof(const Expr *e) { return e->getKind() == Kind::EntityUid; }

private:
  QualifiedName type;
  std::string id;
};

class VarExpr : public Expr {
public:
  VarExpr(Var var, llvm::SMRange range)
      : Expr(Kind::Var, range, {}), var(var) {}
  Var getVar() const { return var; }
  static bool classof(const Expr *e) { return e->getKind() == Kind::Var; }

private:
  Var var;
};

class SlotExpr : public Expr {
public:
  SlotExpr(SlotKind slot, llvm::SMRange range)
      : Expr(Kind::Slot, range, {}), slot(slot) {}
  SlotKind getSlot() const { return slot; }
  static bool classof(const Expr *e) { return e->getKind() == Kind::Slot; }

private:
  SlotKind slot;
};

/// `if cond then thenExpr else elseExpr`.
class IfExpr : public Expr {
public:
  IfExpr(ExprPtr cond, ExprPtr thenExpr, ExprPtr elseExpr, llvm::SMRange range)
      : Expr(Kind::If, range, {}), cond(std::move(cond)),
        thenExpr(std::move(thenExpr)), elseExpr(std::move(elseExpr)) {}
  const Expr &getCond() const { return *cond; }
  const Expr &getThen() const { return *thenExpr; }
  const Expr &getElse() const { return *elseExpr; }
  static bool classof(const Expr *e) { return e->getKind() == Kind::If; }

private:
  ExprPtr cond, thenExpr, elseExpr;
};

/// `lhs && rhs` (short-circuiting).
class AndExpr : public Expr {
public:
  AndExpr(ExprPtr lhs, ExprPtr rhs, llvm::SMRange range, llvm::SMLoc opLoc)
      : Expr(Kind::And, range, opLoc), lhs(std::move(lhs)),
        rhs(std::move(rhs)) {}
  const Expr &getLHS() const { return *lhs; }
  const Expr &getRHS() const { return *rhs; }
  static bool classof(const Expr *e) { return e->getKind() == Kind::And; }

private:
  ExprPtr lhs, rhs;
};

/// `lhs || rhs` (short-circuiting).
class OrExpr : public Expr {
public:
  OrExpr(ExprPtr lhs, ExprPtr rhs, llvm::SMRange range, llvm::SMLoc opLoc)
      : Expr(Kind::Or, range, opLoc), lhs(std::move(lhs)), rhs(std::move(rhs)) {
  }
  const Expr &getLHS() const { return *lhs; }
  const Expr &getRHS() const { return *rhs; }
  static bool classof(const Expr *e) { return e->getKind() == Kind::Or; }

private:
  ExprPtr lhs, rhs;
};

/// `!operand`.
class NotExpr : public Expr {
public:
  NotExpr(ExprPtr operand, llvm::SMRange range)
      : Expr(Kind::Not, range, {}), operand(std::move(operand)) {}
  const Expr &getOperand() const { return *operand; }
  static bool classof(const Expr *e) { return e->getKind() == Kind::Not; }

private:
  ExprPtr operand;
};

/// `-operand` (checked 64-bit negation). A minus directly in front of an
/// integer literal is folded into a LongLiteralExpr instead.
class NegExpr : public Expr {
public:
  NegExpr(ExprPtr operand, llvm::SMRange range)
      : Expr(Kind::Neg, range, {}), operand(std::move(operand)) {}
  const Expr &getOperand() const { return *operand; }
  static bool classof(const Expr *e) { return e->getKind() == Kind::Neg; }

private:
  ExprPtr operand;
};

/// Strict binary operators: comparisons, hierarchy membership and checked
/// 64-bit arithmetic.
class BinaryExpr : public Expr {
public:
  enum class Op { Eq, Ne, Lt, Le, Gt, Ge, Add, Sub, Mul, In };

  BinaryExpr(Op op, ExprPtr lhs, ExprPtr rhs, llvm::SMRange range,
             llvm::SMLoc opLoc)
      : Expr(Kind::Binary, range, opLoc), op(op), lhs(std::move(lhs)),
        rhs(std::move(rhs)) {}
  Op getOp() const { return op; }
  const Expr &getLHS() const { return *lhs; }
  const Expr &getRHS() const { return *rhs; }
  static bool classof(const Expr *e) { return e->getKind() == Kind::Binary; }

  /// The operator's spelling, e.g. "<=" or "in".
  static llvm::StringRef getSpelling(Op op);

private:
  Op op;
  ExprPtr lhs, rhs;
};

/// `object has a.b.c` (RFC 62): true if every attribute along the path is
/// present. Equivalent to `object has a && object.a has b && ...`.
class HasExpr : public Expr {
public:
  HasExpr(ExprPtr object, std::vector<std::string> attrs, llvm::SMRange range,
          llvm::SMLoc opLoc)
      : Expr(Kind::Has, range, opLoc), object(std::move(object)),
        attrs(std::move(attrs)) {}
  const Expr &getObject() const { return *object; }
  /// One or more attribute names, outermost first.
  const std::vector<std::string> &getAttrs() const { return attrs; }
  static bool classof(const Expr *e) { return e->getKind() == Kind::Has; }

private:
  ExprPtr object;
  std::vector<std::string> attrs;
};

/// One piece of a `like` pattern.
struct PatternElement {
  enum class Kind { Wildcard, Literal };
  Kind kind;
  /// For Literal: the text to match verbatim (an escaped `\*` is a literal
  /// star here). Empty for Wildcard.
  std::string text;

  static PatternElement wildcard() { return {Kind::Wildcard, {}}; }
  static PatternElement literal(std::string text) {
    return {Kind::Literal, std::move(text)};
  }
  bool isWildcard() const { return kind == Kind::Wildcard; }
  bool operator==(const PatternElement &other) const {
    return kind == other.kind && text == other.text;
  }
};

/// `object like "pattern"`. Consecutive literal characters are merged into
/// one Literal element; consecutive wildcards are kept as written.
class LikeExpr : public Expr {
public:
  LikeExpr(ExprPtr object, std::vector<PatternElement> pattern,
           llvm::SMRange range, llvm::SMLoc opLoc)
      : Expr(Kind::Like, range, opLoc), object(std::move(object)),
        pattern(std::move(pattern)) {}
  const Expr &getObject() const { return *object; }
  const std::vector<PatternElement> &getPattern() const { return pattern; }
  static bool classof(const Expr *e) { return e->getKind() == Kind::Like; }

private:
  ExprPtr object;
  std::vector<PatternElement> pattern;
};

/// `object is Type` or `object is Type in inExpr`.
class IsExpr : public Expr {
public:
  IsExpr(ExprPtr object, QualifiedName type, ExprPtr inExpr,
         llvm::SMRange range, llvm::SMLoc opLoc)
      : Expr(Kind::Is, range, opLoc), object(std::move(object)),
        type(std::move(type)), inExpr(std::move(inExpr)) {}
  const Expr &getObject() const { return *object; }
  const QualifiedName &getType() const { return type; }
  /// The `in` operand, or null for a plain `is`.
  const Expr *getInExpr() const { return inExpr.get(); }
  static bool classof(const Expr *e) { return e->getKind() == Kind::Is; }

private:
  ExprPtr object;
  QualifiedName type;
  ExprPtr inExpr;
};

/// Attribute access `object.attr` or `object["attr"]`.
class GetAttrExpr : public Expr {
public:
  GetAttrExpr(ExprPtr object, std::string attr, llvm::SMRange attrRange,
              bool indexSyntax, llvm::SMRange range, llvm::SMLoc opLoc)
      : Expr(Kind::GetAttr, range, opLoc), object(std::move(object)),
        attr(std::move(attr)), attrRange(attrRange), indexSyntax(indexSyntax) {}
  const Expr &getObject() const { return *object; }
  llvm::StringRef getAttr() const { return attr; }
  llvm::SMRange getAttrRange() const { return attrRange; }
  /// True if written `object["attr"]` rather than `object.attr`; kept so
  /// that the printer reproduces the source form.
  bool usesIndexSyntax() const { return indexSyntax; }
  static bool classof(const Expr *e) { return e->getKind() == Kind::GetAttr; }

private:
  ExprPtr object;
  std::string attr;
  llvm::SMRange attrRange;
  bool indexSyntax;
};

/// `receiver.name(args...)`: the built-in methods (contains, containsAll,
/// containsAny, isEmpty, getTag, hasTag) and the extension methods
/// (lessThan, isInRange, offset, toDays, ...). The name is checked by Sema.
class MethodCallExpr : public Expr {
public:
  MethodCallExpr(ExprPtr receiver, std::string name, llvm::SMRange nameRange,
                 std::vector<ExprPtr> args, llvm::SMRange range)
      : Expr(Kind::MethodCall, range, nameRange.Start),
        receiver(std::move(receiver)), name(std::move(name)),
        nameRange(nameRange), args(std::move(args)) {}
  const Expr &getReceiver() const { return *receiver; }
  llvm::StringRef getName() const { return name; }
  llvm::SMRange getNameRange() const { return nameRange; }
  /// The arguments besides the receiver.
  const std::vector<ExprPtr> &getArgs() const { return args; }
  static bool classof(const Expr *e) {
    return e->getKind() == Kind::MethodCall;
  }

private:
  ExprPtr receiver;
  std::string name;
  llvm::SMRange nameRange;
  std::vector<ExprPtr> args;
};

/// `name(args...)`: the extension constructors decimal, ip, datetime and
/// duration. The name is checked by Sema.
class FunctionCallExpr : public Expr {
public:
  FunctionCallExpr(QualifiedName name, std::vector<ExprPtr> args,
                   llvm::SMRange range)
      : Expr(Kind::FunctionCall, range, {}), name(std::move(name)),
        args(std::move(args)) {}
  const QualifiedName &getName() const { return name; }
  const std::vector<ExprPtr> &getArgs() const { return args; }
  static bool classof(const Expr *e) {
    return e->getKind() == Kind::FunctionCall;
  }

private:
  QualifiedName name;
  std::vector<ExprPtr> args;
};

/// Set literal `[e1, e2, ...]`.
class SetExpr : public Expr {
public:
  SetExpr(std::vector<ExprPtr> elements, llvm::SMRange range)
      : Expr(Kind::Set, range, {}), elements(std::move(elements)) {}
  const std::vector<ExprPtr> &getElements() const { return elements; }
  static bool classof(const Expr *e) { return e->getKind() == Kind::Set; }

private:
  std::vector<ExprPtr> elements;
};

struct RecordEntry {
  std::string key;
  llvm::SMRange keyRange;
  ExprPtr value;
};

/// Record literal `{a: 1, "b c": 2}`; entries in source order. Duplicate
/// keys are representable and rejected by Sema.
class RecordExpr : public Expr {
public:
  RecordExpr(std::vector<RecordEntry> entries, llvm::SMRange range)
      : Expr(Kind::Record, range, {}), entries(std::move(entries)) {}
  const std::vector<RecordEntry> &getEntries() const { return entries; }
  static bool classof(const Expr *e) { return e->getKind() == Kind::Record; }

private:
  std::vector<RecordEntry> entries;
};

/// Calls `fn(const Expr &)` on each direct child of `expr`, in source order.
template <typename Fn> void forEachChild(const Expr &expr, Fn &&fn);

/// Structural equality: same node kinds, operators, names and values, with
/// source locations ignored. GetAttrExpr's syntax flag is ignored too, since
/// `e.a` and `e["a"]` mean the same.
bool structurallyEqual(const Expr &lhs, const Expr &rhs);

//===----------------------------------------------------------------------===//
// Policies
//===----------------------------------------------------------------------===//

/// `@key` or `@key("value")`.
struct Annotation {
  std::string key;
  /// Absent for `@key`; Cedar treats that as the empty string.
  std::optional<std::string> value;
  /// The whole annotation, from '@' to ')'.
  llvm::SMRange range;
  llvm::SMRange keyRange;
};

/// The constraint a policy scope places on principal, action or resource.
struct ScopeConstraint {
  enum class Kind {
    /// `principal`: no constraint.
    Any,
    /// `principal == E`.
    Eq,
    /// `principal in E`.
    In,
    /// `principal is T`.
    Is,
    /// `principal is T in E`.
    IsIn,
    /// `action in [E1, E2, ...]`; the parser produces it for any variable
    /// whose `in` operand is a set literal, Sema rejects it outside the
    /// action scope.
    InList,
  };

  Var var = Var::Principal;
  Kind kind = Kind::Any;
  /// The `is` type, for Is and IsIn.
  std::optional<QualifiedName> entityType;
  /// The right-hand side for Eq, In and IsIn (an EntityUidExpr or SlotExpr
  /// once Sema accepted it) and InList (a SetExpr of EntityUidExprs); null
  /// for Any and Is.
  ExprPtr operand;
  /// The whole scope element, e.g. `principal is User in Group::"g"`.
  llvm::SMRange range;

  /// The operand as an entity literal, or null.
  const EntityUidExpr *getEntity() const {
    return llvm::dyn_cast_or_null<EntityUidExpr>(operand.get());
  }
  /// The operand as a template slot, or null.
  const SlotExpr *getSlot() const {
    return llvm::dyn_cast_or_null<SlotExpr>(operand.get());
  }
  /// For InList: the entity literals of the set, skipping other elements
  /// (there are none once Sema accepted the policy).
  std::vector<const EntityUidExpr *> getEntityList() const;
};

struct Condition {
  enum class Kind { When, Unless };
  Kind kind = Kind::When;
  /// The body; a policy applies only if every `when` body is true and every
  /// `unless` body is false.
  ExprPtr body;
  /// The whole clause, from the keyword to '}'.
  llvm::SMRange range;
};

struct Policy {
  Effect effect = Effect::Permit;
  /// In source order; duplicate keys are representable and rejected by
  /// Sema.
  std::vector<Annotation> annotations;
  ScopeConstraint principal;
  ScopeConstraint action;
  ScopeConstraint resource;
  std::vector<Condition> conditions;
  /// The value of the `@id` annotation if present, otherwise "policy<N>"
  /// where N is the 0-based position of the policy in its file (Cedar's
  /// naming).
  std::string id;
  /// From the first annotation (or the effect) to the ';'.
  llvm::SMRange range;
  /// The `permit`/`forbid` keyword.
  llvm::SMLoc effectLoc;

  /// The first annotation with `key`, or null.
  const Annotation *findAnnotation(llvm::StringRef key) const;
  /// True if the policy is a template, i.e. its scope uses `?principal` or
  /// `?resource`.
  bool isTemplate() const;
};

struct PolicySet {
  std::vector<Policy> policies;
};

/// Deep copies, locations included (template linking instantiates one
/// template many times).
ExprPtr cloneExpr(const Expr &expr);
Policy clonePolicy(const Policy &policy);

//===----------------------------------------------------------------------===//
// Printing
//===----------------------------------------------------------------------===//

/// Prints the policies back as Cedar source, one blank line apart, with
/// parentheses only where precedence requires them. The output re-parses to
/// a structurally equal AST.
void print(llvm::raw_ostream &os, const PolicySet &policySet);
void print(llvm::raw_ostream &os, const Policy &policy);
void print(llvm::raw_ostream &os, const Expr &expr);
/// Cedar source for an expression, e.g. for diagnostics.
std::string toSource(const Expr &expr);

//===----------------------------------------------------------------------===//
// Implementation details
//===----------------------------------------------------------------------===//

template <typename Fn> void forEachChild(const Expr &expr, Fn &&fn) {
  switch (expr.getKind()) {
  case Expr::Kind::BoolLiteral:
  case Expr::Kind::LongLiteral:
  case Expr::Kind::StringLiteral:
  case Expr::Kind::EntityUid:
  case Expr::Kind::Var:
  case Expr::Kind::Slot:
    return;
  case Expr::Kind::If: {
    const auto &e = llvm::cast<IfExpr>(expr);
    fn(e.getCond());
    fn(e.getThen());
    fn(e.getElse());
    return;
  }
  case Expr::Kind::And:
    fn(llvm::cast<AndExpr>(expr).getLHS());
    fn(llvm::cast<AndExpr>(expr).getRHS());
    return;
  case Expr::Kind::Or:
    fn(llvm::cast<OrExpr>(expr).getLHS());
    fn(llvm::cast<OrExpr>(expr).getRHS());
    return;
  case Expr::Kind::Not:
    fn(llvm::cast<NotExpr>(expr).getOperand());
    return;
  case Expr::Kind::Neg:
    fn(llvm::cast<NegExpr>(expr).getOperand());
    return;
  case Expr::Kind::Binary:
    fn(llvm::cast<BinaryExpr>(expr).getLHS());
    fn(llvm::cast<BinaryExpr>(expr).getRHS());
    return;
  case Expr::Kind::Has:
    fn(llvm::cast<HasExpr>(expr).getObject());
    return;
  case Expr::Kind::Like:
    fn(llvm::cast<LikeExpr>(expr).getObject());
    return;
  case Expr::Kind::Is: {
    const auto &e = llvm::cast<IsExpr>(expr);
    fn(e.getObject());
    if (const Expr *in = e.getInExpr())
      fn(*in);
    return;
  }
  case Expr::Kind::GetAttr:
    fn(llvm::cast<GetAttrExpr>(expr).getObject());
    return;
  case Expr::Kind::MethodCall: {
    const auto &e = llvm::cast<MethodCallExpr>(expr);
    fn(e.getReceiver());
    for (const ExprPtr &arg : e.getArgs())
      fn(*arg);
    return;
  }
  case Expr::Kind::FunctionCall:
    for (const ExprPtr &arg : llvm::cast<FunctionCallExpr>(expr).getArgs())
      fn(*arg);
    return;
  case Expr::Kind::Set:
    for (const ExprPtr &element : llvm::cast<SetExpr>(expr).getElements())
      fn(*element);
    return;
  case Expr::Kind::Record:
    for (const RecordEntry &entry : llvm::cast<RecordExpr>(expr).getEntries())
      fn(*entry.value);
    return;
  }
}

} // namespace rune::cedar

#endif // RUNE_FRONTEND_CEDAR_AST_H
