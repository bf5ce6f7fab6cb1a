//===- JsonData.h - Cedar entities and contexts from JSON -------*- C++ -*-===//
//
// Reads Cedar's JSON data formats into runtime values:
//
//   entities  [{"uid": {"type": "User", "id": "alice"},
//               "attrs": {...}, "parents": [uid, ...], "tags": {...}}, ...]
//   context   {"key": value, ...}
//
// Uids may be written {"type", "id"} or wrapped in "__entity"; values are
// converted as JsonValueConverter.h describes.
//
// With a schema, data is read as Cedar reads it with a schema: values take
// the types the schema declares for attributes, tags and the action's
// context; every entity must be of a declared entity type, have the required
// attributes and no undeclared ones (unless its attribute record is open),
// tags only if its type declares them, a declared enumerated id if its type
// is enumerated, and parents only of types its memberOfTypes allow
// (transitively). Action entities come from the schema, with their parents;
// an action entity in the JSON must match the schema's declaration.
//
// Every error is reported as "<source>:<line>:<col>: error: <message>" plus
// the source line and a caret; messages about values name the entity and
// the attribute path.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_JSONDATA_H
#define RUNE_RUNTIME_JSONDATA_H

#include "rune/Runtime/Arena.h"
#include "rune/Runtime/EntityStore.h"
#include "rune/Runtime/Schema.h"
#include "rune/Runtime/SymbolTable.h"
#include "rune/Runtime/Value.h"

#include <string>
#include <string_view>

namespace rune {

/// Parses an entities document into `store` and finalizes it. With a
/// schema, also adds the schema's action entities.
bool parseEntitiesJson(std::string_view text, std::string_view sourceName,
                       EntityStore &store, std::string &error,
                       const Schema *schema = nullptr);

/// Parses a context object into a record value allocated in `arena`. With a
/// schema and the request's declared `action`, the record must have the
/// type of the action's context (the empty record if it declares none).
/// Without both, the context is read as without a schema.
bool parseContextJson(std::string_view text, std::string_view sourceName,
                      SymbolTable &symbols, Arena &arena, Value &out,
                      std::string &error, const Schema *schema = nullptr,
                      const bc::SchemaAction *action = nullptr);

} // namespace rune

#endif // RUNE_RUNTIME_JSONDATA_H
