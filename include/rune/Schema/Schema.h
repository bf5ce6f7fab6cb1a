//===- Schema.h - Cedar schemas ---------------------------------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The resolved form of a Cedar schema, as the validator consumes it: every
// type reference is fully qualified, common types are inlined, and the entity
// type and action hierarchies are transitively closed.
//
// Names are fully qualified strings joined by "::" ("PhotoApp::User"); the
// entity type of an action is "<namespace>::Action", or "Action" in the empty
// namespace. Both schema formats (the Cedar format and JSON) are parsed into
// this one model by rune/Schema/SchemaParser.h.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_SCHEMA_SCHEMA_H
#define RUNE_SCHEMA_SCHEMA_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/raw_ostream.h"

#include <compare>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace rune::schema {

/// The types provided by Cedar's extensions.
enum class ExtensionType { IpAddr, Decimal, Datetime, Duration };

/// The schema spelling of an extension type: "ipaddr", "decimal", ...
llvm::StringRef getExtensionTypeName(ExtensionType type);
/// The extension type spelled `name`, if any.
std::optional<ExtensionType> lookupExtensionType(llvm::StringRef name);

struct RecordType;

/// A type in the schema: the type of an attribute, a tag, an element or a
/// context. Cheap to copy; the components of sets and records are shared.
class Type {
public:
  enum class Kind { Bool, Long, String, Entity, Set, Record, Extension };

  /// A Bool; default-constructed types are Bool so that Type can live in
  /// standard containers.
  Type() = default;

  static Type getBool() { return Type(Kind::Bool); }
  static Type getLong() { return Type(Kind::Long); }
  static Type getString() { return Type(Kind::String); }
  /// A reference to entities of the (fully qualified) type `name`.
  static Type getEntity(std::string name);
  static Type getSet(Type element);
  static Type getRecord(std::shared_ptr<const RecordType> record);
  static Type getExtension(ExtensionType extension);

  Kind getKind() const { return kind; }
  bool isRecord() const { return kind == Kind::Record; }

  /// For Entity: the fully qualified entity type name.
  llvm::StringRef getEntityTypeName() const { return name; }
  /// For Set: the element type.
  const Type &getElementType() const { return *element; }
  /// For Record: the attributes.
  const RecordType &getRecord() const { return *record; }
  /// For Record: the shared attributes; identical pointers denote the same
  /// record declaration, which lets consumers cache per-record work.
  const std::shared_ptr<const RecordType> &getRecordPtr() const {
    return record;
  }
  /// For Extension: which one.
  ExtensionType getExtensionType() const { return extension; }

private:
  explicit Type(Kind kind) : kind(kind) {}

  Kind kind = Kind::Bool;
  std::string name;
  std::shared_ptr<const Type> element;
  std::shared_ptr<const RecordType> record;
  ExtensionType extension = ExtensionType::IpAddr;
};

struct AttributeType {
  Type type;
  /// False for attributes declared with `?` (or `"required": false`).
  bool required = true;
};

/// The attributes of a record, an entity type (its shape) or a context.
struct RecordType {
  /// Sorted by name.
  std::map<std::string, AttributeType> attributes;
  /// True if values may carry attributes beyond the declared ones (JSON
  /// `"additionalAttributes": true`); never the case in the Cedar format.
  bool additionalAttributes = false;
};

/// An entity uid such as `PhotoApp::Action::"view"`.
struct EntityUid {
  /// Fully qualified entity type name.
  std::string type;
  /// The entity id, unescaped.
  std::string id;

  auto operator<=>(const EntityUid &) const = default;
  bool operator==(const EntityUid &) const = default;
  /// Cedar source form: `Type::"id"` with the id escaped.
  std::string str() const;
};

struct EntityTypeDef {
  /// Fully qualified name.
  std::string name;
  /// The attributes of entities of this type; empty for enumerated types.
  RecordType shape;
  /// The type of the entity's tags; absent if entities have no tags.
  std::optional<Type> tags;
  /// The entity types entities of this type may directly be members of.
  std::vector<std::string> memberOfTypes;
  /// For an enumerated entity type (`entity Color enum ["red", "blue"]`),
  /// the only valid entity ids.
  std::optional<std::vector<std::string>> enumIds;
  /// The declaration, for diagnostics.
  llvm::SMRange range;

  bool isEnum() const { return enumIds.has_value(); }
};

struct ActionDef {
  /// E.g. `NS::Action::"view"`.
  EntityUid uid;
  /// The action groups this action is directly a member of.
  std::vector<EntityUid> memberOf;
  /// The `appliesTo` entity types; both empty if the action applies to no
  /// request (e.g. an action group declared without `appliesTo`).
  std::vector<std::string> principalTypes;
  std::vector<std::string> resourceTypes;
  /// The type of `context` in requests for this action.
  RecordType context;
  llvm::SMRange range;
};

struct CommonTypeDef {
  /// Fully qualified name.
  std::string name;
  /// The definition, with references to other common types inlined.
  Type type;
  llvm::SMRange range;
};

/// A resolved schema. Constructed by the schema parsers, which guarantee
/// that every referenced entity type and action is declared and that the
/// action hierarchy is acyclic.
class Schema {
public:
  Schema() = default;
  /// Indexes the definitions and computes the transitive closures of both
  /// hierarchies.
  Schema(std::vector<EntityTypeDef> entityTypes, std::vector<ActionDef> actions,
         std::vector<CommonTypeDef> commonTypes);

  /// In declaration order.
  llvm::ArrayRef<EntityTypeDef> getEntityTypes() const { return entityTypes; }
  llvm::ArrayRef<ActionDef> getActions() const { return actions; }
  llvm::ArrayRef<CommonTypeDef> getCommonTypes() const { return commonTypes; }

  /// The declared (non-action) entity type `name`, or null.
  const EntityTypeDef *findEntityType(llvm::StringRef name) const;
  /// The action `uid`, or null.
  const ActionDef *findAction(const EntityUid &uid) const;

  /// The entity types whose entities can be transitively `in` an entity of
  /// type `name` (not including `name` itself unless the hierarchy has a
  /// cycle through it). Empty for unknown types.
  const std::set<std::string> &getDescendantTypes(llvm::StringRef name) const;
  /// The actions transitively in the action group `uid`. Empty for unknown
  /// actions.
  const std::set<EntityUid> &getDescendantActions(const EntityUid &uid) const;

  /// True if `typeName` names an action entity type, i.e. its last component
  /// is `Action` (Cedar's rule, independent of any schema).
  static bool isActionTypeName(llvm::StringRef typeName);

private:
  std::vector<EntityTypeDef> entityTypes;
  std::vector<ActionDef> actions;
  std::vector<CommonTypeDef> commonTypes;
  std::map<std::string, size_t, std::less<>> entityTypeIndex;
  std::map<EntityUid, size_t> actionIndex;
  /// Parallel to entityTypes and actions.
  std::vector<std::set<std::string>> entityTypeDescendants;
  std::vector<std::set<EntityUid>> actionDescendants;
};

/// `text` as a Cedar string literal, quotes included, escaping quotes,
/// backslashes and control characters; for messages and printing.
std::string quoteCedarString(llvm::StringRef text);

/// Prints the schema in the Cedar schema format, fully resolved (common
/// types inlined, names qualified, hierarchies closed), one declaration per
/// line; meant for debugging and golden tests.
void printSchemaSummary(llvm::raw_ostream &os, const Schema &schema);
/// Prints a type in the Cedar schema syntax, e.g. `Set<{a?: Long}>`.
void printType(llvm::raw_ostream &os, const Type &type);

} // namespace rune::schema

#endif // RUNE_SCHEMA_SCHEMA_H
