//===- SchemaVerifier.h - Checking a decoded schema -------------*- C++ -*-===//
//
// verifySchema checks what a Schema section means, after decodeSchemaSection
// has checked its encoding: every type index is in range and the types are
// not recursive; entity type names are valid Cedar names, declared once, and
// every name that refers to an entity type is declared; records list their
// attributes sorted by name without duplicates; extension types are ones
// Cedar has; enumerated ids are unique; attribute, tag and context types are
// records where they must be; actions are declared once, their parents are
// declared actions and the action hierarchy has no cycle. After it succeeds,
// the runtime's schema lookups (Schema.h) need no further checks.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_SCHEMAVERIFIER_H
#define RUNE_RUNTIME_SCHEMAVERIFIER_H

#include "rune/Runtime/SchemaInfo.h"

#include <string>

namespace rune::bc {

/// Returns false with a message starting with "Schema section: " on the
/// first problem found.
bool verifySchema(const SchemaInfo &schema, std::string &error);

} // namespace rune::bc

#endif // RUNE_RUNTIME_SCHEMAVERIFIER_H
