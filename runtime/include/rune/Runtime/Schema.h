//===- Schema.h - A verified schema, indexed for reading data ---*- C++ -*-===//
//
// Schema wraps a verified bc::SchemaInfo with the lookups that reading
// entities, contexts and requests with a schema needs: entity types and
// actions by name, the parent types each entity type may have (closed
// transitively, as Cedar checks them), enumerated ids and action ancestors.
//
// A Schema is immutable once built and independent of any engine, so one
// schema serves any number of threads, modules and entity stores.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_SCHEMA_H
#define RUNE_RUNTIME_SCHEMA_H

#include "rune/Runtime/SchemaInfo.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace rune {

class Schema {
public:
  /// `info` must have passed bc::verifySchema.
  explicit Schema(bc::SchemaInfo info);
  /// Decodes and verifies the contents of a Schema section. On failure
  /// returns nullptr with a message starting with "Schema section".
  static std::unique_ptr<Schema> load(const uint8_t *data, size_t size,
                                      std::string &error);

  const bc::SchemaInfo &info() const { return schemaInfo; }
  const bc::SchemaType &type(uint32_t index) const {
    return schemaInfo.types[index];
  }

  /// The declared entity type `name`, or nullptr.
  const bc::SchemaEntityType *entityType(std::string_view name) const;
  /// The declared action `type::"id"`, or nullptr.
  const bc::SchemaAction *action(std::string_view type,
                                 std::string_view id) const;
  /// Entities of these types are actions: the types of declared actions and,
  /// as Cedar decides, any type whose last name component is `Action`.
  bool isActionType(std::string_view type) const;

  /// Whether an entity of `child` may have a parent of type `parent`: the
  /// parent type is in child's memberOfTypes, or in theirs, transitively.
  bool allowsParent(const bc::SchemaEntityType &child,
                    std::string_view parent) const;
  /// False only when `entityType` is enumerated and `id` is not one of its
  /// ids.
  bool isValidId(const bc::SchemaEntityType &entityType,
                 std::string_view id) const;
  /// Indices (into info().actions) of the action's ancestors: its parents,
  /// their parents, and so on.
  std::unordered_set<uint32_t> actionAncestors(uint32_t action) const;
  uint32_t actionIndex(const bc::SchemaAction &action) const {
    return static_cast<uint32_t>(&action - schemaInfo.actions.data());
  }

  /// The record type of the action's context: the declared one, or the
  /// empty record (no attribute allowed) when the action declares none.
  uint32_t contextType(const bc::SchemaAction &action) const {
    return action.context.value_or(emptyRecord);
  }

  /// The type as Cedar's schema syntax writes it: `Long`, `Set<NS::User>`,
  /// `{age: Long, nick?: String}`, `ipaddr`, ...
  std::string describeType(uint32_t index) const;

private:
  size_t entityTypeIndex(const bc::SchemaEntityType &entityType) const {
    return static_cast<size_t>(&entityType - schemaInfo.entityTypes.data());
  }
  void describeType(uint32_t index, unsigned depth, std::string &out) const;

  bc::SchemaInfo schemaInfo; // plus one synthetic type: the empty record
  uint32_t emptyRecord = 0;
  std::unordered_map<std::string, uint32_t> entityTypes;
  /// Keyed by "type" NUL "id": type names never hold NUL.
  std::unordered_map<std::string, uint32_t> actions;
  std::unordered_set<std::string> actionTypes;
  /// Per entity type: every type reachable through memberOfTypes.
  std::vector<std::unordered_set<std::string>> allowedParents;
  /// Per entity type: its enumerated ids (empty when not enumerated).
  std::vector<std::unordered_set<std::string>> enumIds;
};

} // namespace rune

#endif // RUNE_RUNTIME_SCHEMA_H
