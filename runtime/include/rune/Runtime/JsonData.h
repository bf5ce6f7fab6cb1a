//===- JsonData.h - Cedar entities and contexts from JSON -------*- C++ -*-===//
//
// Converts Cedar's JSON data formats into runtime values:
//
//   entities  [{"uid": {"type": "User", "id": "alice"},
//               "attrs": {...}, "parents": [uid, ...], "tags": {...}}, ...]
//   context   {"key": value, ...}
//
// Values: true/false -> bool, integers -> long, strings -> string, arrays ->
// set, objects -> record, {"__entity": {"type": .., "id": ..}} -> entity,
// {"__extn": {"fn": "decimal"|"ip"|"ipaddr"|"datetime"|"duration", "arg":
// ".."}} -> extension value. Uids may be written {"type", "id"} or wrapped in
// "__entity".
//
// Every error, syntactic or not, is reported as
// "<source>:<line>:<col>: error: <message>" plus the source line and a caret;
// messages about values name the entity and the attribute path.
//
// Schema-aware parsing hook: without a schema, Cedar only turns JSON into
// extension values through explicit `__extn` escapes. A schema can say that a
// plain string is, say, an ipaddr. JsonParseOptions::typeHint is where such
// knowledge plugs in: it is asked about every value with the value's site
// and may answer with the Cedar type to parse it as.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_JSONDATA_H
#define RUNE_RUNTIME_JSONDATA_H

#include "rune/Runtime/Arena.h"
#include "rune/Runtime/EntityStore.h"
#include "rune/Runtime/SymbolTable.h"
#include "rune/Runtime/Value.h"

#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace rune {

/// What a type hint may ask a JSON value to be parsed as.
enum class TypeHint {
  /// Convert as without a schema.
  None,
  /// A JSON string holding a decimal / ipaddr / datetime / duration literal.
  Decimal,
  IpAddr,
  Datetime,
  Duration,
  /// A {"type": .., "id": ..} object is an entity uid, not a record.
  Entity,
};

/// Where a value sits, for a type hint callback.
struct ValueSite {
  enum class Root { EntityAttributes, EntityTags, Context };
  Root root;
  /// The entity's type name (empty for a context).
  std::string_view entityType;
  /// Record keys from the root down; "[]" stands for "an element of the
  /// set at the path so far".
  std::span<const std::string> path;
};

struct JsonParseOptions {
  std::function<TypeHint(const ValueSite &)> typeHint;
};

/// Parses an entities document into `store` and finalizes it.
bool parseEntitiesJson(std::string_view text, std::string_view sourceName,
                       EntityStore &store, std::string &error,
                       const JsonParseOptions &options = {});

/// Parses a context object into a record value allocated in `arena`.
bool parseContextJson(std::string_view text, std::string_view sourceName,
                      SymbolTable &symbols, Arena &arena, Value &out,
                      std::string &error, const JsonParseOptions &options = {});

} // namespace rune

#endif // RUNE_RUNTIME_JSONDATA_H
