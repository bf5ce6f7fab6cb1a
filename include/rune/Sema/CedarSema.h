//===- CedarSema.h - Semantic checks on Cedar policies ----------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The checks Cedar performs on a parsed policy set before it can be
// evaluated, each reported as a located error:
//
//  * policy ids (`@id` or the positional policy<N>) are unique, and no
//    policy repeats an annotation key;
//  * scope operands have the right form: an entity literal or the matching
//    slot for principal/resource `==`, `in` and `is ... in`; entity literals
//    of type [Namespace::]Action, or a set of them for `in`, in the action
//    scope; no slots in the action scope or in conditions;
//  * functions and methods exist and get the right number of arguments;
//  * literal arguments of decimal(), ip(), datetime() and duration() parse;
//  * record literals do not repeat a key;
//  * entity type names do not use the reserved `__cedar` namespace.
//
// After a successful check, consumers may rely on these invariants, e.g.
// that ScopeConstraint::getEntity() or getSlot() is non-null for Eq, In and
// IsIn.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_SEMA_CEDARSEMA_H
#define RUNE_SEMA_CEDARSEMA_H

#include "rune/Frontend/Cedar/AST.h"
#include "rune/Support/Diagnostics.h"

namespace rune::cedar {

/// Checks `policySet`, reporting every violation to `diags`. Returns true if
/// the policy set is valid.
bool checkPolicySet(PolicySet &policySet, DiagnosticEngine &diags);

} // namespace rune::cedar

#endif // RUNE_SEMA_CEDARSEMA_H
