//===- SchemaResolver.cpp - Resolution of parsed schemas ------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Turns the declarations of either schema format into a Schema, following
// Cedar 4's rules:
//
//  * An unqualified name written in namespace NS denotes NS::Name if that is
//    declared, otherwise Name in the empty namespace. At each step a common
//    type wins over an entity type of the same name (RFC 24).
//  * The primitive and extension types are common types in the `__cedar`
//    namespace, aliased in the empty namespace unless the user declared an
//    entity or common type of that name there.
//  * `NS::Action` is an entity type wherever actions are declared in NS, so
//    attributes may hold actions.
//  * Declarations in a namespace may not shadow declarations in the empty
//    namespace (RFC 70), names may not use `__cedar` (RFC 52), and common
//    types may not be named like the JSON format's type keywords.
//  * Common types are inlined; cycles among them are errors, as are cycles
//    in the action hierarchy (entity type hierarchies may be cyclic).
//
//===----------------------------------------------------------------------===//

#include "SchemaFragment.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <map>
#include <set>

using namespace rune;
using namespace rune::schema;
using namespace rune::schema::detail;

std::string RawName::str() const { return llvm::join(components, "::"); }

bool rune::schema::detail::isReservedIdentifier(llvm::StringRef name) {
  return llvm::is_contained(
      {"true", "false", "if", "then", "else", "in", "is", "has", "like"}, name);
}

namespace {

/// The primitive and extension types, which live in `__cedar`.
const std::pair<llvm::StringLiteral, Type (*)()> builtinTypes[] = {
    {"Bool", Type::getBool},
    {"Long", Type::getLong},
    {"String", Type::getString},
    {"ipaddr", [] { return Type::getExtension(ExtensionType::IpAddr); }},
    {"decimal", [] { return Type::getExtension(ExtensionType::Decimal); }},
    {"datetime", [] { return Type::getExtension(ExtensionType::Datetime); }},
    {"duration", [] { return Type::getExtension(ExtensionType::Duration); }},
};

/// Names the JSON format uses as type keywords, which therefore cannot name
/// common types (in either format, for consistency).
constexpr llvm::StringLiteral reservedCommonTypeNames[] = {
    "Bool", "Boolean", "Entity", "Extension",
    "Long", "Record",  "Set",    "String"};

std::string qualify(llvm::StringRef ns, llvm::StringRef name) {
  return ns.empty() ? name.str() : (ns + "::" + name).str();
}

llvm::StringRef baseName(llvm::StringRef qualified) {
  size_t separator = qualified.rfind("::");
  return separator == llvm::StringRef::npos
             ? qualified
             : qualified.drop_front(separator + 2);
}

bool isUnqualified(llvm::StringRef name) { return !name.contains("::"); }

bool isIdentifier(llvm::StringRef text) {
  if (text.empty() || !(llvm::isAlpha(text[0]) || text[0] == '_'))
    return false;
  return llvm::all_of(text,
                      [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

enum class ReferenceKind { Entity, Common, EntityOrCommon };

/// Types may nest (sets of records of sets...) at most this deep, and
/// common types may be defined in terms of one another this deep: enough for
/// any real schema, and bounded so that the recursive consumers of types
/// cannot run out of stack.
constexpr unsigned MaxTypeDepth = 500;

struct ResolvedType {
  Type type;
  /// Levels of sets and records, 1 for a type without components.
  unsigned depth = 1;
};

class Resolver {
public:
  Resolver(RawSchema &raw, DiagnosticEngine &diags) : raw(raw), diags(diags) {}

  std::optional<Schema> run() {
    unsigned errorsBefore = diags.errorCount();
    collectDefinitions();
    if (diags.errorCount() == errorsBefore)
      checkShadowing();
    if (diags.errorCount() != errorsBefore)
      return std::nullopt;
    addBuiltinAliases();

    std::vector<CommonTypeDef> commonTypes;
    for (RawNamespace &ns : raw.namespaces)
      for (RawCommonType &common : ns.commonTypes) {
        std::string name = qualify(ns.name.str(), common.name);
        if (std::optional<ResolvedType> type = resolveCommonType(name))
          commonTypes.push_back({name, type->type, common.nameRange});
      }

    std::vector<EntityTypeDef> entityTypes;
    for (RawNamespace &ns : raw.namespaces)
      for (RawEntityType &entity : ns.entityTypes)
        if (std::optional<EntityTypeDef> def =
                resolveEntityType(ns.name.str(), entity))
          entityTypes.push_back(std::move(*def));

    std::vector<ActionDef> actions;
    for (RawNamespace &ns : raw.namespaces)
      for (RawAction &action : ns.actions)
        if (std::optional<ActionDef> def = resolveAction(ns.name.str(), action))
          actions.push_back(std::move(*def));

    if (diags.errorCount() != errorsBefore)
      return std::nullopt;
    checkDeclaredEntityTypes(actions);
    checkActionCycles(actions);
    if (diags.errorCount() != errorsBefore)
      return std::nullopt;
    return Schema(std::move(entityTypes), std::move(actions),
                  std::move(commonTypes));
  }

private:
  struct CommonTypeInfo {
    RawType *definition = nullptr;
    std::string ns;
    llvm::SMRange nameRange;
    /// Set while the definition is being resolved, to detect cycles.
    bool resolving = false;
    bool failed = false;
    std::optional<ResolvedType> resolved;
  };

  void error(llvm::SMRange range, const llvm::Twine &message) {
    diags.error(range.Start, message,
                range.Start != range.End ? llvm::ArrayRef(range)
                                         : llvm::ArrayRef<llvm::SMRange>());
  }

  /// Checks a declared name (or namespace component) against Cedar's rules
  /// for identifiers; `what` is e.g. "entity type".
  bool checkDeclaredName(llvm::StringRef name, llvm::SMRange range,
                         llvm::StringRef what) {
    std::string article = llvm::StringRef("aeiou").contains(what.front())
                              ? "an " + what.str()
                              : "a " + what.str();
    if (!isIdentifier(name)) {
      error(range,
            "invalid " + what + " name '" + name + "': expected an identifier");
      return false;
    }
    if (isReservedIdentifier(name)) {
      error(range, "'" + name + "' is a reserved word and cannot be used as " +
                       article + " name");
      return false;
    }
    if (name == "__cedar") {
      error(range,
            "'__cedar' is reserved and cannot be used as " + article + " name");
      return false;
    }
    return true;
  }

  void collectDefinitions() {
    std::map<std::string, llvm::SMRange> namespaces;
    for (RawNamespace &ns : raw.namespaces) {
      std::string nsName = ns.name.str();
      for (const std::string &component : ns.name.components)
        checkDeclaredName(component, ns.name.range, "namespace");
      auto [it, inserted] = namespaces.emplace(nsName, ns.name.range);
      if (!inserted) {
        error(ns.name.range, "namespace '" + nsName + "' is declared twice");
        if (it->second.Start.isValid())
          diags.note(it->second.Start, "previous declaration is here");
      }

      std::map<std::string, llvm::SMRange> entityNames, commonNames;
      std::map<std::string, llvm::SMRange> actionNames;
      for (RawEntityType &entity : ns.entityTypes) {
        checkDeclaredName(entity.name, entity.nameRange, "entity type");
        noteDuplicate(entityNames, entity.name, entity.nameRange,
                      "entity type");
        entityDefs.insert(qualify(nsName, entity.name));
      }
      for (RawCommonType &common : ns.commonTypes) {
        if (checkDeclaredName(common.name, common.nameRange, "common type") &&
            llvm::is_contained(reservedCommonTypeNames, common.name))
          error(common.nameRange, "'" + common.name +
                                      "' is reserved and cannot be the name "
                                      "of a common type");
        noteDuplicate(commonNames, common.name, common.nameRange,
                      "common type");
        std::string name = qualify(nsName, common.name);
        commonDefs.insert(name);
        commonTypeInfo[name] = {&common.type, nsName, common.nameRange};
        if (entityNames.count(common.name))
          diags.warning(common.nameRange.Start,
                        "common type '" + common.name +
                            "' shadows the entity type of the same name; "
                            "references to '" +
                            common.name + "' denote the common type");
      }
      for (RawAction &action : ns.actions) {
        noteDuplicate(actionNames, action.name, action.nameRange, "action");
        actionDefs.insert({qualify(nsName, "Action"), action.name});
      }
      if (!ns.actions.empty())
        actionTypes.insert(qualify(nsName, "Action"));
    }
  }

  void noteDuplicate(std::map<std::string, llvm::SMRange> &seen,
                     const std::string &name, llvm::SMRange range,
                     llvm::StringRef what) {
    auto [it, inserted] = seen.emplace(name, range);
    if (inserted)
      return;
    error(range, what + " '" + name +
                     "' is declared twice in the same "
                     "namespace");
    diags.note(it->second.Start, "previous declaration is here");
  }

  /// RFC 70: nothing declared in a namespace may share its base name with a
  /// declaration in the empty namespace.
  void checkShadowing() {
    std::vector<std::string> typeNames(entityDefs.begin(), entityDefs.end());
    typeNames.insert(typeNames.end(), commonDefs.begin(), commonDefs.end());
    for (const std::string &unqualified : typeNames) {
      if (!isUnqualified(unqualified))
        continue;
      for (const std::string &qualified : typeNames)
        if (!isUnqualified(qualified) && baseName(qualified) == unqualified) {
          error(declarationRange(qualified),
                "'" + qualified + "' shadows the declaration of '" +
                    unqualified + "' in the empty namespace");
          return;
        }
    }
    for (const EntityUid &unqualified : actionDefs) {
      if (!isUnqualified(unqualified.type))
        continue;
      for (const EntityUid &qualified : actionDefs)
        if (!isUnqualified(qualified.type) && qualified.id == unqualified.id) {
          error(actionRange(qualified),
                "action " + qualified.str() + " shadows the declaration of " +
                    unqualified.str() + " in the empty namespace");
          return;
        }
    }
  }

  llvm::SMRange declarationRange(llvm::StringRef qualified) {
    for (RawNamespace &ns : raw.namespaces) {
      std::string nsName = ns.name.str();
      for (RawEntityType &entity : ns.entityTypes)
        if (qualify(nsName, entity.name) == qualified)
          return entity.nameRange;
      for (RawCommonType &common : ns.commonTypes)
        if (qualify(nsName, common.name) == qualified)
          return common.nameRange;
    }
    return {};
  }

  llvm::SMRange actionRange(const EntityUid &uid) {
    for (RawNamespace &ns : raw.namespaces)
      for (RawAction &action : ns.actions)
        if (qualify(ns.name.str(), "Action") == uid.type &&
            action.name == uid.id)
          return action.nameRange;
    return {};
  }

  void addBuiltinAliases() {
    for (const auto &[name, make] : builtinTypes) {
      builtins.emplace(qualify("__cedar", name), make());
      std::string alias = name.str();
      if (!entityDefs.count(alias) && !commonDefs.count(alias))
        builtins.emplace(alias, make());
    }
  }

  bool isCommonDefined(const std::string &name) const {
    return commonDefs.count(name) || builtins.count(name);
  }
  bool isEntityDefined(const std::string &name) const {
    return entityDefs.count(name) || actionTypes.count(name);
  }

  /// Resolves `name`, written in namespace `ns`, to a fully qualified name
  /// declared as `kind`; `isCommon` tells which kind it resolved to.
  std::optional<std::string> resolveName(const RawName &name,
                                         llvm::StringRef ns, ReferenceKind kind,
                                         bool &isCommon) {
    std::vector<std::string> candidates;
    if (!name.isQualified() && !ns.empty())
      candidates.push_back(qualify(ns, name.str()));
    candidates.push_back(name.str());
    for (const std::string &candidate : candidates) {
      if (kind != ReferenceKind::Entity && isCommonDefined(candidate)) {
        isCommon = true;
        return candidate;
      }
      if (kind != ReferenceKind::Common && isEntityDefined(candidate)) {
        isCommon = false;
        return candidate;
      }
    }
    llvm::StringRef what = kind == ReferenceKind::Entity ? "an entity type"
                           : kind == ReferenceKind::Common
                               ? "a common type"
                               : "a common or entity type";
    std::string declared =
        candidates.size() == 1
            ? "'" + candidates[0] + "' has not been declared as " + what.str()
            : "neither '" + candidates[0] + "' nor '" + candidates[1] +
                  "' has been declared as " + what.str();
    error(name.range, "unknown type '" + name.str() + "': " + declared);
    return std::nullopt;
  }

  std::optional<ResolvedType> resolveCommonType(const std::string &name) {
    if (auto builtin = builtins.find(name); builtin != builtins.end())
      return ResolvedType{builtin->second};
    CommonTypeInfo &info = commonTypeInfo[name];
    if (info.resolved)
      return info.resolved;
    if (info.failed || !info.definition)
      return std::nullopt;
    if (info.resolving) {
      error(info.nameRange,
            "common type '" + name + "' is defined in terms of itself");
      info.failed = true;
      return std::nullopt;
    }
    if (resolutionDepth >= MaxTypeDepth) {
      error(info.nameRange, "common types are defined in terms of each "
                            "other more than " +
                                llvm::Twine(MaxTypeDepth) + " levels deep");
      info.failed = true;
      return std::nullopt;
    }
    info.resolving = true;
    ++resolutionDepth;
    std::optional<ResolvedType> type = resolve(*info.definition, info.ns);
    --resolutionDepth;
    info.resolving = false;
    if (!type || info.failed) {
      info.failed = true;
      return std::nullopt;
    }
    info.resolved = type;
    return type;
  }

  std::optional<Type> resolveType(RawType &type, llvm::StringRef ns) {
    std::optional<ResolvedType> resolved = resolve(type, ns);
    if (!resolved)
      return std::nullopt;
    return resolved->type;
  }

  /// Resolves `type`, written in namespace `ns`.
  std::optional<ResolvedType> resolve(RawType &type, llvm::StringRef ns) {
    std::optional<ResolvedType> resolved = resolveComponents(type, ns);
    if (resolved && resolved->depth > MaxTypeDepth) {
      error(type.range, "type is nested more than " +
                            llvm::Twine(MaxTypeDepth) + " levels deep");
      return std::nullopt;
    }
    return resolved;
  }

  std::optional<ResolvedType> resolveComponents(RawType &type,
                                                llvm::StringRef ns) {
    switch (type.kind) {
    case RawType::Kind::Bool:
      return ResolvedType{Type::getBool()};
    case RawType::Kind::Long:
      return ResolvedType{Type::getLong()};
    case RawType::Kind::String:
      return ResolvedType{Type::getString()};
    case RawType::Kind::Set: {
      std::optional<ResolvedType> element = resolve(*type.element, ns);
      if (!element)
        return std::nullopt;
      return ResolvedType{Type::getSet(element->type), element->depth + 1};
    }
    case RawType::Kind::Record:
      return resolveRecord(type, ns);
    case RawType::Kind::Extension: {
      std::optional<ExtensionType> extension =
          type.name.isQualified() ? std::nullopt
                                  : lookupExtensionType(type.name.str());
      if (!extension) {
        error(type.name.range, "unknown extension type '" + type.name.str() +
                                   "'; expected ipaddr, decimal, datetime "
                                   "or duration");
        return std::nullopt;
      }
      return ResolvedType{Type::getExtension(*extension)};
    }
    case RawType::Kind::Entity:
    case RawType::Kind::EntityOrCommon:
    case RawType::Kind::CommonType: {
      ReferenceKind kind = type.kind == RawType::Kind::Entity
                               ? ReferenceKind::Entity
                           : type.kind == RawType::Kind::CommonType
                               ? ReferenceKind::Common
                               : ReferenceKind::EntityOrCommon;
      bool isCommon = false;
      std::optional<std::string> name =
          resolveName(type.name, ns, kind, isCommon);
      if (!name)
        return std::nullopt;
      if (isCommon)
        return resolveCommonType(*name);
      return ResolvedType{Type::getEntity(*name)};
    }
    }
    return std::nullopt;
  }

  std::optional<ResolvedType> resolveRecord(RawType &type, llvm::StringRef ns) {
    auto record = std::make_shared<RecordType>();
    record->additionalAttributes = type.additionalAttributes;
    bool ok = true;
    unsigned depth = 1;
    for (RawAttribute &attribute : type.attributes) {
      std::optional<ResolvedType> attributeType = resolve(attribute.type, ns);
      if (!attributeType) {
        ok = false;
        continue;
      }
      depth = std::max(depth, attributeType->depth + 1);
      auto [it, inserted] = record->attributes.emplace(
          attribute.name,
          AttributeType{attributeType->type, attribute.required});
      if (!inserted) {
        error(attribute.nameRange,
              "attribute '" + attribute.name + "' is declared twice");
        ok = false;
      }
    }
    if (!ok)
      return std::nullopt;
    return ResolvedType{Type::getRecord(std::move(record)), depth};
  }

  /// Resolves a type that must denote a record: an entity shape or a
  /// context.
  std::optional<RecordType> resolveRecordOf(RawType &type, llvm::StringRef ns,
                                            const llvm::Twine &what) {
    std::optional<Type> resolved = resolveType(type, ns);
    if (!resolved)
      return std::nullopt;
    if (!resolved->isRecord()) {
      error(type.range, what + " must be a record type");
      return std::nullopt;
    }
    return resolved->getRecord();
  }

  std::optional<EntityTypeDef> resolveEntityType(llvm::StringRef ns,
                                                 RawEntityType &entity) {
    EntityTypeDef def;
    def.name = qualify(ns, entity.name);
    def.range = entity.nameRange;
    bool ok = true;
    if (entity.enumIds) {
      if (entity.enumIds->empty()) {
        error(entity.enumRange, "enumerated entity type '" + def.name +
                                    "' must have at least one entity id");
        ok = false;
      }
      def.enumIds = entity.enumIds;
    }
    for (const RawName &parent : entity.memberOfTypes) {
      bool isCommon = false;
      if (std::optional<std::string> name =
              resolveName(parent, ns, ReferenceKind::Entity, isCommon))
        def.memberOfTypes.push_back(*name);
      else
        ok = false;
    }
    if (entity.shape) {
      std::optional<RecordType> shape = resolveRecordOf(
          *entity.shape, ns, "the shape of entity type '" + def.name + "'");
      if (shape)
        def.shape = std::move(*shape);
      else
        ok = false;
    }
    if (entity.tags) {
      if (std::optional<Type> tags = resolveType(*entity.tags, ns))
        def.tags = *tags;
      else
        ok = false;
    }
    if (!ok)
      return std::nullopt;
    return def;
  }

  std::optional<ActionDef> resolveAction(llvm::StringRef ns,
                                         RawAction &action) {
    ActionDef def;
    def.uid = {qualify(ns, "Action"), action.name};
    def.range = action.nameRange;
    bool ok = true;
    for (const RawActionRef &parent : action.memberOf) {
      if (std::optional<EntityUid> uid = resolveActionRef(parent, ns))
        def.memberOf.push_back(*uid);
      else
        ok = false;
    }
    if (action.appliesTo) {
      RawAppliesTo &appliesTo = *action.appliesTo;
      for (auto [names, types] :
           {std::pair(&appliesTo.principalTypes, &def.principalTypes),
            std::pair(&appliesTo.resourceTypes, &def.resourceTypes)})
        for (const RawName &name : *names) {
          bool isCommon = false;
          if (std::optional<std::string> resolved =
                  resolveName(name, ns, ReferenceKind::Entity, isCommon)) {
            types->push_back(*resolved);
            appliesToRanges[*resolved].push_back(name.range);
          } else {
            ok = false;
          }
        }
      if (appliesTo.context) {
        std::optional<RecordType> context = resolveRecordOf(
            *appliesTo.context, ns, "the context of action " + def.uid.str());
        if (context)
          def.context = std::move(*context);
        else
          ok = false;
      }
    }
    if (!ok)
      return std::nullopt;
    return def;
  }

  std::optional<EntityUid> resolveActionRef(const RawActionRef &ref,
                                            llvm::StringRef ns) {
    RawName type = ref.type ? *ref.type : RawName{{"Action"}, ref.range};
    std::vector<std::string> candidates;
    if (!type.isQualified() && !ns.empty())
      candidates.push_back(qualify(ns, type.str()));
    candidates.push_back(type.str());
    for (const std::string &candidate : candidates) {
      EntityUid uid{candidate, ref.id};
      if (actionDefs.count(uid))
        return uid;
    }
    error(ref.range, "undeclared action " +
                         EntityUid{candidates.front(), ref.id}.str() +
                         " in 'memberOf'");
    return std::nullopt;
  }

  /// `appliesTo` may only list declared entity types, not action types.
  void checkDeclaredEntityTypes(const std::vector<ActionDef> &actions) {
    std::set<std::string> reported;
    for (const ActionDef &action : actions)
      for (const auto *types : {&action.principalTypes, &action.resourceTypes})
        for (const std::string &type : *types)
          if (!entityDefs.count(type) && reported.insert(type).second) {
            llvm::SMRange range = appliesToRanges[type].empty()
                                      ? action.range
                                      : appliesToRanges[type].front();
            error(range, "'" + type +
                             "' is not a declared entity type and cannot be "
                             "a principal or resource type");
          }
  }

  void checkActionCycles(const std::vector<ActionDef> &actions) {
    std::map<EntityUid, const ActionDef *> byUid;
    for (const ActionDef &action : actions)
      byUid[action.uid] = &action;
    // 0 = unvisited, 1 = on the current path, 2 = done.
    std::map<EntityUid, int> state;
    for (const ActionDef &root : actions) {
      if (state[root.uid])
        continue;
      // Iterative depth-first search over memberOf edges.
      std::vector<std::pair<const ActionDef *, size_t>> stack = {{&root, 0}};
      state[root.uid] = 1;
      while (!stack.empty()) {
        auto &[action, next] = stack.back();
        if (next == action->memberOf.size()) {
          state[action->uid] = 2;
          stack.pop_back();
          continue;
        }
        const EntityUid &parent = action->memberOf[next++];
        int &parentState = state[parent];
        if (parentState == 1) {
          error(byUid[parent]->range, "action " + parent.str() +
                                          " is transitively a member of "
                                          "itself");
          return;
        }
        if (parentState == 0 && byUid.count(parent)) {
          parentState = 1;
          stack.push_back({byUid[parent], 0});
        }
      }
    }
  }

  RawSchema &raw;
  DiagnosticEngine &diags;
  std::set<std::string> entityDefs;
  std::set<std::string> commonDefs;
  std::set<EntityUid> actionDefs;
  /// `NS::Action` for each namespace NS declaring actions.
  std::set<std::string> actionTypes;
  /// The builtin common types: `__cedar::Long` and its alias `Long`, ...
  std::map<std::string, Type> builtins;
  std::map<std::string, CommonTypeInfo> commonTypeInfo;
  /// Common type definitions being resolved, innermost last.
  unsigned resolutionDepth = 0;
  /// Where each entity type is used in `appliesTo`, for diagnostics.
  std::map<std::string, std::vector<llvm::SMRange>> appliesToRanges;
};

} // namespace

std::optional<Schema>
rune::schema::detail::resolveSchema(RawSchema raw, DiagnosticEngine &diags) {
  return Resolver(raw, diags).run();
}
