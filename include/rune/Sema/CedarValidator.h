//===- CedarValidator.h - Validating policies against a schema --*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Cedar's strict policy validation (as of Cedar 4.10): a policy set
// validates against a schema if, for every policy,
//
//  * every entity type it names is declared (or is an action type), every
//    action it names is declared, and every entity of an enumerated entity
//    type it names uses one of the declared ids;
//  * its scope admits at least one (principal type, action, resource type)
//    combination of some action's `appliesTo` ("no applicable action");
//  * its condition typechecks under strict rules in every request
//    environment the schema defines: each action with each of its principal
//    and resource types (and, for templates, each way of linking the slots).
//
// Every violation is reported as a located error naming the policy. A policy
// whose condition is false in every environment is reported with a warning
// ("impossible policy"), which does not fail validation, as in Cedar.
//
// Validation expects a policy set that passed checkPolicySet
// (rune/Sema/CedarSema.h), but tolerates any parsed policy set.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_SEMA_CEDARVALIDATOR_H
#define RUNE_SEMA_CEDARVALIDATOR_H

#include "rune/Frontend/Cedar/AST.h"
#include "rune/Schema/Schema.h"
#include "rune/Support/Diagnostics.h"

namespace rune::cedar {

/// Validates `policySet` against `schema`, reporting every error (and the
/// impossible-policy warnings) to `diags`. Returns true if no error was
/// found.
bool validatePolicySet(const PolicySet &policySet, const schema::Schema &schema,
                       DiagnosticEngine &diags);

} // namespace rune::cedar

#endif // RUNE_SEMA_CEDARVALIDATOR_H
