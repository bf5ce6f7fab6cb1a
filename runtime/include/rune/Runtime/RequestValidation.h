//===- RequestValidation.h - Requests checked against a schema --*- C++ -*-===//
//
// Cedar validates a request against a schema before evaluating it: the
// action must be declared, the principal and the resource must be of entity
// types the action applies to (`appliesTo`) and, for enumerated entity
// types, have one of the declared ids. The context is checked against the
// action's context type while it is read (JsonData.h).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_REQUESTVALIDATION_H
#define RUNE_RUNTIME_REQUESTVALIDATION_H

#include "rune/Runtime/Schema.h"
#include "rune/Runtime/SymbolTable.h"
#include "rune/Runtime/Value.h"

#include <string>

namespace rune {

/// On success stores the action's declaration in `declared`; otherwise
/// returns false with a message such as "principal type `Photo` is not
/// valid for `Action::\"view\"` (valid principal types: `User`)".
bool validateRequest(const Schema &schema, const EntityUidData &principal,
                     const EntityUidData &action, const EntityUidData &resource,
                     const SymbolTable &symbols,
                     const bc::SchemaAction *&declared, std::string &error);

} // namespace rune

#endif // RUNE_RUNTIME_REQUESTVALIDATION_H
