//===- PolicyCondition.h - The condition Cedar typechecks -------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Cedar does not typecheck a policy's `when` and `unless` clauses alone but
// its whole condition: the conjunction of the scope constraints and the
// clauses, ((principal && action) && resource) && body, with `unless {e}`
// read as `!e`. A PolicyCondition builds that expression for one policy,
// with Terms standing for the operations that have no AST node of their own.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_SEMA_POLICYCONDITION_H
#define RUNE_LIB_SEMA_POLICYCONDITION_H

#include "rune/Frontend/Cedar/AST.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"

#include <deque>
#include <string>
#include <vector>

namespace rune::cedar::validation {

/// A node of the condition Cedar typechecks. Most nodes are policy
/// expressions; the others stand for the operations Cedar introduces when
/// it desugars a policy (the scope constraints, `unless`, `is ... in`, and
/// `e has a.b` as `e has a && e.a has b`), which have no AST node.
struct Term {
  enum class Kind {
    /// `expr`.
    Expr,
    /// `left && right`.
    And,
    /// `!left`.
    Not,
    /// The literal `true` (an unconstrained scope, an empty body).
    True,
    /// `expr is name`.
    Is,
    /// `expr in other`.
    In,
    /// `expr == other`.
    Eq,
    /// `expr.path[0].path[1]...`.
    Path,
    /// `left has name`, where `left` is an Expr or Path term.
    Has,
  };

  Kind kind = Kind::True;
  const Expr *expr = nullptr;
  const Expr *other = nullptr;
  const Term *left = nullptr;
  const Term *right = nullptr;
  /// The entity type of Is, the attribute of Has. Terms are kept small
  /// (the typechecker recurses through them) and refer to storage owned
  /// by the policy or the PolicyCondition.
  llvm::StringRef name;
  llvm::ArrayRef<std::string> path;
  /// Where errors about this node point.
  llvm::SMRange range;
};

/// The condition of one policy as Cedar typechecks it. Owns the nodes it
/// needs beyond the policy's AST, which must outlive it.
class PolicyCondition {
public:
  explicit PolicyCondition(const Policy &policy);
  PolicyCondition(const PolicyCondition &) = delete;
  PolicyCondition &operator=(const PolicyCondition &) = delete;

  const Term &getRoot() const { return *root; }

private:
  const Term &scopeTerm(const ScopeConstraint &scope, const Expr &variable,
                        bool isAction);
  const Term &add(Term term);

  std::deque<Term> terms;
  std::vector<ExprPtr> syntheticExprs;
  std::deque<std::string> names;
  const Term *root = nullptr;
};

} // namespace rune::cedar::validation

#endif // RUNE_LIB_SEMA_POLICYCONDITION_H
