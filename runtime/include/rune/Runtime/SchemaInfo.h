//===- SchemaInfo.h - A Cedar schema as a module carries it -----*- C++ -*-===//
//
// The part of a Cedar schema the runtime needs to read entities, contexts and
// requests the way Cedar reads them with a schema: the types of attributes,
// tags and contexts, the entity types with their allowed parents and
// enumerated ids, and the actions with their hierarchy and `appliesTo`.
//
// The compiler fills it in (common types resolved, names fully qualified)
// and stores it with ModuleWriter::setSchema as the module's Schema section
// (docs/bytecode.md); the reader returns it in bc::Module::schema after
// verifying it (SchemaVerifier.h). Types refer to each other by index into
// `types`, so a SchemaInfo is a plain value without pointers.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_SCHEMAINFO_H
#define RUNE_RUNTIME_SCHEMAINFO_H

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rune::bc {

struct SchemaType {
  enum class Kind : uint8_t {
    Bool,
    Long,
    String,
    Entity,
    Set,
    Record,
    Extension
  };
  Kind kind = Kind::Bool;
  /// Entity: the entity type name ("NS::User"); Extension: "decimal" |
  /// "ipaddr" | "datetime" | "duration".
  std::string name;
  /// Set: index of the element type in SchemaInfo::types.
  uint32_t element = 0;
  struct Attribute {
    std::string name;
    bool required = true;
    uint32_t type = 0;
    bool operator==(const Attribute &) const = default;
  };
  /// Record, sorted by name.
  std::vector<Attribute> attributes;
  /// Record: open record (attributes not listed are allowed, untyped).
  bool additionalAttributes = false;
  bool operator==(const SchemaType &) const = default;
};

struct SchemaEntityType {
  std::string name;                       // "NS::User"
  uint32_t attributes = 0;                // index of a Record type
  std::optional<uint32_t> tags;           // index of the tags' value type
  std::vector<std::string> enumIds;       // enumerated ids, empty if not enum
  std::vector<std::string> memberOfTypes; // allowed parent types
  bool operator==(const SchemaEntityType &) const = default;
};

struct SchemaAction {
  std::string type, id; // "NS::Action", "view"
  /// (type, id) of the actions this one is a member of.
  std::vector<std::pair<std::string, std::string>> parents;
  std::vector<std::string> principalTypes, resourceTypes; // appliesTo
  std::optional<uint32_t> context; // index of a Record type
  bool operator==(const SchemaAction &) const = default;
};

struct SchemaInfo {
  std::vector<SchemaType> types;
  std::vector<SchemaEntityType> entityTypes;
  std::vector<SchemaAction> actions;
  bool operator==(const SchemaInfo &) const = default;
};

} // namespace rune::bc

#endif // RUNE_RUNTIME_SCHEMAINFO_H
