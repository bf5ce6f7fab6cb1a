//===- SchemaFragment.h - Unresolved schemas --------------------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The common output of the two schema parsers: declarations grouped by
// namespace, with type references still spelled as written. resolveSchema
// then applies Cedar's rules once for both formats: qualifying names
// (current namespace first, then the empty namespace; common types before
// entity types), inlining common types, and checking the declarations.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_SCHEMA_SCHEMAFRAGMENT_H
#define RUNE_LIB_SCHEMA_SCHEMAFRAGMENT_H

#include "rune/Schema/Schema.h"
#include "rune/Support/Diagnostics.h"

#include "llvm/Support/SMLoc.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rune::schema::detail {

/// A name as written, e.g. `User` or `PhotoApp::User`.
struct RawName {
  std::vector<std::string> components;
  llvm::SMRange range;

  bool isQualified() const { return components.size() > 1; }
  std::string str() const;
};

struct RawAttribute;

/// A type as written.
struct RawType {
  enum class Kind {
    Bool,
    Long,
    String,
    Set,
    Record,
    /// Must name an entity type (JSON `"type": "Entity"`).
    Entity,
    /// Must name an extension type (JSON `"type": "Extension"`).
    Extension,
    /// A common type if one is declared under the name, else an entity type
    /// (every name in the Cedar format, JSON `"EntityOrCommon"`).
    EntityOrCommon,
    /// Must name a common type (JSON `{"type": "Name"}`, Cedar-format
    /// `context: Name`).
    CommonType,
  };

  Kind kind = Kind::Bool;
  /// For Entity, Extension, EntityOrCommon and CommonType.
  RawName name;
  /// For Set.
  std::unique_ptr<RawType> element;
  /// For Record, in source order.
  std::vector<RawAttribute> attributes;
  bool additionalAttributes = false;
  /// The whole type as written.
  llvm::SMRange range;
};

struct RawAttribute {
  std::string name;
  llvm::SMRange nameRange;
  RawType type;
  bool required = true;
};

struct RawEntityType {
  std::string name;
  llvm::SMRange nameRange;
  std::vector<RawName> memberOfTypes;
  /// Absent for an entity type without attributes.
  std::optional<RawType> shape;
  std::optional<RawType> tags;
  std::optional<std::vector<std::string>> enumIds;
  llvm::SMRange enumRange;
};

/// A reference to an action: `"id"` or `Type::"id"`.
struct RawActionRef {
  /// Absent for a bare id, which denotes an action of the current
  /// namespace.
  std::optional<RawName> type;
  std::string id;
  llvm::SMRange range;
};

struct RawAppliesTo {
  std::vector<RawName> principalTypes;
  std::vector<RawName> resourceTypes;
  /// Absent for an empty context.
  std::optional<RawType> context;
  llvm::SMRange range;
};

struct RawAction {
  std::string name;
  llvm::SMRange nameRange;
  std::vector<RawActionRef> memberOf;
  /// Absent if the action applies to no request.
  std::optional<RawAppliesTo> appliesTo;
};

struct RawCommonType {
  std::string name;
  llvm::SMRange nameRange;
  RawType type;
};

struct RawNamespace {
  /// Empty for the empty namespace.
  RawName name;
  std::vector<RawEntityType> entityTypes;
  std::vector<RawAction> actions;
  std::vector<RawCommonType> commonTypes;
};

struct RawSchema {
  std::vector<RawNamespace> namespaces;
};

/// Resolves and checks `raw`, reporting every problem to `diags`. Returns
/// nullopt if there was any.
std::optional<Schema> resolveSchema(RawSchema raw, DiagnosticEngine &diags);

/// True for the names Cedar does not allow as identifiers in schemas: the
/// reserved words of the policy language.
bool isReservedIdentifier(llvm::StringRef name);

} // namespace rune::schema::detail

#endif // RUNE_LIB_SCHEMA_SCHEMAFRAGMENT_H
