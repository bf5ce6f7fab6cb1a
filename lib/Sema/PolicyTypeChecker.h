//===- PolicyTypeChecker.h - Cedar's strict typechecker ---------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Typechecks a policy's condition in one request environment (a principal
// type, an action, a resource type and the action's context type), with the
// rules of Cedar's strict validator:
//
//  * The condition includes the scope (see PolicyCondition.h), so scope
//    constraints that cannot hold make the rest unreachable, and
//    unreachable subexpressions are not checked.
//  * Expressions have singleton boolean types where the outcome is known
//    (literals, `has` on closed records, `in` across unrelated entity
//    types, `==` between disjoint entity types...), which drives the
//    short-circuiting of `&&`, `||` and `if`.
//  * Capabilities record which attributes and tags are known to exist
//    after a `has`/`hasTag` guard, flowing through `&&`, `||` and `if`.
//
// Errors are collected rather than reported, since the same error may show
// up in many environments; the validator deduplicates and reports them.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_SEMA_POLICYTYPECHECKER_H
#define RUNE_LIB_SEMA_POLICYTYPECHECKER_H

#include "PolicyCondition.h"
#include "ValidatorTypes.h"

#include "rune/Schema/Schema.h"

#include "llvm/Support/SMLoc.h"

#include <optional>
#include <string>
#include <vector>

namespace rune::cedar::validation {

struct RequestEnv {
  std::string principalType;
  const schema::ActionDef *action = nullptr;
  std::string resourceType;
  Type context;
  /// The entity types the template slots are linked to in this
  /// environment, for templates.
  std::optional<std::string> principalSlot;
  std::optional<std::string> resourceSlot;
};

struct TypeError {
  llvm::SMLoc loc;
  llvm::SMRange range;
  std::string message;
  /// Notes attached to the error: location and text.
  std::vector<std::pair<llvm::SMLoc, std::string>> notes = {};
};

/// Typechecks `condition` in `env`, appending the errors found to `errors`.
/// Returns true if the condition has type `false` in this environment
/// (the policy cannot apply to such requests).
bool typecheckCondition(const PolicyCondition &condition, const RequestEnv &env,
                        TypeSystem &types, std::vector<TypeError> &errors);

} // namespace rune::cedar::validation

#endif // RUNE_LIB_SEMA_POLICYTYPECHECKER_H
