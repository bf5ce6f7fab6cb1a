//===- ValidatorTypes.h - Types of Cedar's policy validator -----*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The types the validator assigns to policy expressions, following Cedar's
// typechecker: besides the schema's types there are singleton booleans
// (`true` and `false` literals, and expressions known to always be one of
// them), the bottom type Never, "any entity", and action entity types.
// Strict validation compares types without width subtyping and without
// unions of distinct entity types; expectations such as "must be an entity
// or a record" are checked permissively, as in Cedar.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_SEMA_VALIDATORTYPES_H
#define RUNE_LIB_SEMA_VALIDATORTYPES_H

#include "rune/Schema/Schema.h"

#include "llvm/ADT/StringRef.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rune::cedar::validation {

struct AttributeType;
using Attributes = std::map<std::string, AttributeType>;

class Type {
public:
  enum class Kind {
    Never,
    True,
    False,
    Bool,
    Long,
    String,
    Set,
    Record,
    /// An entity of one of the listed types (a least upper bound of entity
    /// types; always a single type in strict mode).
    Entity,
    AnyEntity,
    /// An action entity of the given action entity type.
    ActionEntity,
    Extension,
  };

  Type() = default;

  static Type getNever() { return Type(Kind::Never); }
  static Type getBool() { return Type(Kind::Bool); }
  static Type getSingletonBool(bool value) {
    return Type(value ? Kind::True : Kind::False);
  }
  static Type getLong() { return Type(Kind::Long); }
  static Type getString() { return Type(Kind::String); }
  static Type getSet(Type element);
  /// The set of anything: only used as an expectation.
  static Type getAnySet() { return Type(Kind::Set); }
  static Type getRecord(std::shared_ptr<const Attributes> attributes,
                        bool open);
  /// The open record with no known attributes, a supertype of all records
  /// under permissive subtyping: only used as an expectation.
  static Type getAnyRecord();
  static Type getEntity(std::string entityType);
  static Type getEntityUnion(std::vector<std::string> entityTypes);
  static Type getAnyEntity() { return Type(Kind::AnyEntity); }
  static Type getActionEntity(std::string actionType);
  static Type getExtension(schema::ExtensionType extension);

  Kind getKind() const { return kind; }
  bool is(Kind k) const { return kind == k; }
  bool isBoolean() const {
    return kind == Kind::True || kind == Kind::False || kind == Kind::Bool;
  }

  /// For Set: the element type, or null for getAnySet().
  const Type *getElement() const { return element.get(); }
  /// For Record.
  const Attributes &getAttributes() const;
  bool isOpen() const { return open; }
  /// For Entity: the sorted entity types; for ActionEntity: its type.
  const std::vector<std::string> &getEntityTypes() const { return entityTypes; }
  schema::ExtensionType getExtension() const { return extension; }

  bool operator==(const Type &other) const;
  bool operator!=(const Type &other) const { return !(*this == other); }

  /// The type as Cedar users write it, for messages.
  std::string str() const;

private:
  explicit Type(Kind kind) : kind(kind) {}

  Kind kind = Kind::Never;
  std::shared_ptr<const Type> element;
  std::shared_ptr<const Attributes> attributes;
  bool open = false;
  std::vector<std::string> entityTypes;
  schema::ExtensionType extension = schema::ExtensionType::IpAddr;
};

struct AttributeType {
  Type type;
  bool required = true;
  bool operator==(const AttributeType &other) const {
    return required == other.required && type == other.type;
  }
};

enum class ValidationMode { Strict, Permissive };

/// Why two types have no least upper bound, for messages.
enum class LubFailure {
  None,
  /// Records with different attributes.
  RecordWidth,
  /// An attribute required in one record and optional in the other.
  AttributeQualifier,
  /// Different entity types.
  EntityType,
  /// An entity and a record.
  EntityRecord,
  /// Anything else, e.g. Long and String.
  Incompatible,
};

/// The type operations that need the schema: attributes of entity types,
/// subtyping, least upper bounds. Conversions of schema types are cached,
/// so one TypeSystem should serve a whole policy set.
class TypeSystem {
public:
  explicit TypeSystem(const schema::Schema &schema) : schema(schema) {}

  const schema::Schema &getSchema() const { return schema; }

  /// The validator type of a schema type.
  Type convert(const schema::Type &type);
  Type convertRecord(const schema::RecordType &record);
  /// The attributes of entity type `name` (empty for unknown types).
  std::shared_ptr<const Attributes> getEntityAttributes(llvm::StringRef name);

  bool isSubtype(const Type &sub, const Type &super, ValidationMode mode);
  /// The least upper bound, or nullopt with `failure` set.
  std::optional<Type> leastUpperBound(const Type &a, const Type &b,
                                      ValidationMode mode,
                                      LubFailure *failure = nullptr);
  /// True if no value has both types: only decided for entity types, as
  /// in Cedar (sets of different types share the empty set, and so on).
  static bool areDisjoint(const Type &a, const Type &b);

  /// The type of attribute `attr` of records and entities; nullopt if the
  /// attribute is not known to exist (or the type has no attributes).
  std::optional<AttributeType> lookupAttribute(const Type &type,
                                               llvm::StringRef attr);
  /// True if values of `type` may have attribute `attr`.
  bool mayHaveAttribute(const Type &type, llvm::StringRef attr);
  /// The attribute names known for `type`, for suggestions.
  std::vector<std::string> getKnownAttributes(const Type &type);

private:
  bool isAttributesSubtype(const Attributes &sub, const Attributes &super,
                           ValidationMode mode, bool depthOnly);
  std::optional<Attributes> attributesLub(const Attributes &a,
                                          const Attributes &b,
                                          ValidationMode mode,
                                          LubFailure *failure);
  /// The attributes of an entity type union: the attributes all members
  /// share, each with the least upper bound of its types.
  std::shared_ptr<const Attributes> getUnionAttributes(const Type &entity);

  const schema::Schema &schema;
  std::map<const schema::RecordType *, std::shared_ptr<const Attributes>>
      recordCache;
  std::map<std::string, std::shared_ptr<const Attributes>, std::less<>>
      entityCache;
};

} // namespace rune::cedar::validation

#endif // RUNE_LIB_SEMA_VALIDATORTYPES_H
