//===- ValidatorTypes.cpp - Types of Cedar's policy validator -------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "ValidatorTypes.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>

using namespace rune;
using namespace rune::cedar::validation;

//===----------------------------------------------------------------------===//
// Type
//===----------------------------------------------------------------------===//

Type Type::getSet(Type element) {
  Type type(Kind::Set);
  type.element = std::make_shared<const Type>(std::move(element));
  return type;
}

Type Type::getRecord(std::shared_ptr<const Attributes> attributes, bool open) {
  Type type(Kind::Record);
  type.attributes = std::move(attributes);
  type.open = open;
  return type;
}

Type Type::getAnyRecord() {
  static const auto none = std::make_shared<const Attributes>();
  return getRecord(none, /*open=*/true);
}

Type Type::getEntity(std::string entityType) {
  Type type(Kind::Entity);
  type.entityTypes.push_back(std::move(entityType));
  return type;
}

Type Type::getEntityUnion(std::vector<std::string> entityTypes) {
  Type type(Kind::Entity);
  llvm::sort(entityTypes);
  entityTypes.erase(std::unique(entityTypes.begin(), entityTypes.end()),
                    entityTypes.end());
  type.entityTypes = std::move(entityTypes);
  return type;
}

Type Type::getActionEntity(std::string actionType) {
  Type type(Kind::ActionEntity);
  type.entityTypes.push_back(std::move(actionType));
  return type;
}

Type Type::getExtension(schema::ExtensionType extension) {
  Type type(Kind::Extension);
  type.extension = extension;
  return type;
}

const Attributes &Type::getAttributes() const { return *attributes; }

bool Type::operator==(const Type &other) const {
  if (kind != other.kind)
    return false;
  switch (kind) {
  case Kind::Set:
    if (!element || !other.element)
      return element == other.element;
    return *element == *other.element;
  case Kind::Record:
    return open == other.open &&
           (attributes == other.attributes || *attributes == *other.attributes);
  case Kind::Entity:
  case Kind::ActionEntity:
    return entityTypes == other.entityTypes;
  case Kind::Extension:
    return extension == other.extension;
  default:
    return true;
  }
}

std::string Type::str() const {
  switch (kind) {
  case Kind::Never:
    return "Never";
  case Kind::True:
  case Kind::False:
  case Kind::Bool:
    return "Bool";
  case Kind::Long:
    return "Long";
  case Kind::String:
    return "String";
  case Kind::Set:
    return element ? "Set<" + element->str() + ">" : "Set";
  case Kind::Record: {
    std::vector<std::string> parts;
    for (const auto &[name, attribute] : *attributes) {
      bool identifier =
          !name.empty() && (llvm::isAlpha(name[0]) || name[0] == '_') &&
          llvm::all_of(name,
                       [](char c) { return llvm::isAlnum(c) || c == '_'; });
      parts.push_back((identifier ? name : schema::quoteCedarString(name)) +
                      (attribute.required ? ": " : "?: ") +
                      attribute.type.str());
    }
    if (open)
      parts.push_back("...");
    return "{" + llvm::join(parts, ", ") + "}";
  }
  case Kind::Entity:
    return entityTypes.size() == 1 ? entityTypes.front()
                                   : "(" + llvm::join(entityTypes, " | ") + ")";
  case Kind::AnyEntity:
    return "entity";
  case Kind::ActionEntity:
    return entityTypes.front();
  case Kind::Extension:
    return schema::getExtensionTypeName(extension).str();
  }
  return "";
}

//===----------------------------------------------------------------------===//
// Schema types
//===----------------------------------------------------------------------===//

Type TypeSystem::convert(const schema::Type &type) {
  switch (type.getKind()) {
  case schema::Type::Kind::Bool:
    return Type::getBool();
  case schema::Type::Kind::Long:
    return Type::getLong();
  case schema::Type::Kind::String:
    return Type::getString();
  case schema::Type::Kind::Entity:
    return Type::getEntity(type.getEntityTypeName().str());
  case schema::Type::Kind::Set:
    return Type::getSet(convert(type.getElementType()));
  case schema::Type::Kind::Record:
    return convertRecord(type.getRecord());
  case schema::Type::Kind::Extension:
    return Type::getExtension(type.getExtensionType());
  }
  return Type::getNever();
}

Type TypeSystem::convertRecord(const schema::RecordType &record) {
  std::shared_ptr<const Attributes> &cached = recordCache[&record];
  if (!cached) {
    auto attributes = std::make_shared<Attributes>();
    for (const auto &[name, attribute] : record.attributes)
      attributes->emplace(
          name, AttributeType{convert(attribute.type), attribute.required});
    cached = std::move(attributes);
  }
  return Type::getRecord(cached, record.additionalAttributes);
}

std::shared_ptr<const Attributes>
TypeSystem::getEntityAttributes(llvm::StringRef name) {
  auto it = entityCache.find(name);
  if (it != entityCache.end())
    return it->second;
  std::shared_ptr<const Attributes> attributes;
  if (const schema::EntityTypeDef *def = schema.findEntityType(name)) {
    convertRecord(def->shape);
    attributes = recordCache[&def->shape];
  } else {
    attributes = std::make_shared<const Attributes>();
  }
  entityCache.emplace(name.str(), attributes);
  return attributes;
}

//===----------------------------------------------------------------------===//
// Subtyping and least upper bounds
//===----------------------------------------------------------------------===//

bool TypeSystem::isAttributesSubtype(const Attributes &sub,
                                     const Attributes &super,
                                     ValidationMode mode, bool depthOnly) {
  if (depthOnly && sub.size() != super.size())
    return false;
  for (const auto &[name, superAttribute] : super) {
    auto it = sub.find(name);
    if (it == sub.end())
      return false;
    const AttributeType &subAttribute = it->second;
    bool qualifierOk = mode == ValidationMode::Strict
                           ? subAttribute.required == superAttribute.required
                           : subAttribute.required || !superAttribute.required;
    if (!qualifierOk ||
        !isSubtype(subAttribute.type, superAttribute.type, mode))
      return false;
  }
  return true;
}

bool TypeSystem::isSubtype(const Type &sub, const Type &super,
                           ValidationMode mode) {
  using Kind = Type::Kind;
  bool strict = mode == ValidationMode::Strict;
  Kind a = sub.getKind(), b = super.getKind();
  if (a == Kind::Never)
    return true;
  switch (a) {
  case Kind::True:
  case Kind::False:
    return b == Kind::Bool || b == a;
  case Kind::Bool:
  case Kind::Long:
  case Kind::String:
    return a == b;
  case Kind::Set:
    if (b != Kind::Set)
      return false;
    if (!super.getElement())
      return true;
    if (!sub.getElement())
      return false;
    return isSubtype(*sub.getElement(), *super.getElement(), mode);
  case Kind::Record:
    if (b != Kind::Record || (sub.isOpen() && !super.isOpen()))
      return false;
    // Width subtyping only towards open records and never in strict mode.
    return (super.isOpen() && !strict &&
            isAttributesSubtype(sub.getAttributes(), super.getAttributes(),
                                mode, /*depthOnly=*/false)) ||
           isAttributesSubtype(sub.getAttributes(), super.getAttributes(), mode,
                               /*depthOnly=*/true);
  case Kind::ActionEntity:
    if (b == Kind::AnyEntity)
      return !strict;
    return b == Kind::ActionEntity && sub == super;
  case Kind::Entity:
    if (b == Kind::AnyEntity)
      return !strict;
    if (b != Kind::Entity)
      return false;
    if (strict)
      return sub.getEntityTypes() == super.getEntityTypes();
    return std::includes(
        super.getEntityTypes().begin(), super.getEntityTypes().end(),
        sub.getEntityTypes().begin(), sub.getEntityTypes().end());
  case Kind::AnyEntity:
    return b == Kind::AnyEntity;
  case Kind::Extension:
    return b == Kind::Extension && sub.getExtension() == super.getExtension();
  case Kind::Never:
    return true;
  }
  return false;
}

std::optional<Attributes> TypeSystem::attributesLub(const Attributes &a,
                                                    const Attributes &b,
                                                    ValidationMode mode,
                                                    LubFailure *failure) {
  bool strict = mode == ValidationMode::Strict;
  if (strict) {
    bool sameKeys =
        a.size() == b.size() && llvm::all_of(a, [&](const auto &entry) {
          return b.count(entry.first) != 0;
        });
    if (!sameKeys) {
      if (failure)
        *failure = LubFailure::RecordWidth;
      return std::nullopt;
    }
  }
  Attributes result;
  for (const auto &[name, attributeA] : a) {
    auto it = b.find(name);
    if (it == b.end())
      continue;
    const AttributeType &attributeB = it->second;
    LubFailure inner = LubFailure::None;
    std::optional<Type> type =
        leastUpperBound(attributeA.type, attributeB.type, mode, &inner);
    if (!type || (strict && attributeA.required != attributeB.required)) {
      // Permissive mode drops attributes without a common type.
      if (!strict)
        continue;
      if (failure)
        *failure = type ? LubFailure::AttributeQualifier : inner;
      return std::nullopt;
    }
    result.emplace(
        name, AttributeType{*type, attributeA.required && attributeB.required});
  }
  return result;
}

std::optional<Type> TypeSystem::leastUpperBound(const Type &a, const Type &b,
                                                ValidationMode mode,
                                                LubFailure *failure) {
  using Kind = Type::Kind;
  bool strict = mode == ValidationMode::Strict;
  if (isSubtype(a, b, mode))
    return b;
  if (isSubtype(b, a, mode))
    return a;
  auto fail = [&](LubFailure reason) -> std::optional<Type> {
    if (failure)
      *failure = reason;
    return std::nullopt;
  };
  Kind ka = a.getKind(), kb = b.getKind();
  if (a.isBoolean() && b.isBoolean())
    return Type::getBool();
  if (ka == Kind::Set && kb == Kind::Set) {
    if (!a.getElement() || !b.getElement())
      return Type::getAnySet();
    std::optional<Type> element =
        leastUpperBound(*a.getElement(), *b.getElement(), mode, failure);
    if (!element)
      return std::nullopt;
    return Type::getSet(*element);
  }
  auto isEntityLike = [](Kind k) {
    return k == Kind::Entity || k == Kind::AnyEntity || k == Kind::ActionEntity;
  };
  if (ka == Kind::Record && kb == Kind::Record) {
    std::optional<Attributes> attributes =
        attributesLub(a.getAttributes(), b.getAttributes(), mode, failure);
    if (!attributes)
      return std::nullopt;
    // The result is closed only if it lists every attribute of both.
    bool open = a.isOpen() || b.isOpen() ||
                attributes->size() != a.getAttributes().size() ||
                attributes->size() != b.getAttributes().size();
    return Type::getRecord(
        std::make_shared<const Attributes>(std::move(*attributes)), open);
  }
  if ((ka == Kind::Record && isEntityLike(kb)) ||
      (kb == Kind::Record && isEntityLike(ka)))
    return fail(LubFailure::EntityRecord);
  if (ka == Kind::ActionEntity && kb == Kind::ActionEntity) {
    // Actions have no attributes, so actions of one type always agree.
    if (a.getEntityTypes() == b.getEntityTypes())
      return a;
    if (strict)
      return fail(LubFailure::EntityType);
    return Type::getAnyEntity();
  }
  if (ka == Kind::Entity && kb == Kind::Entity) {
    if (strict)
      return fail(LubFailure::EntityType);
    std::vector<std::string> types = a.getEntityTypes();
    llvm::append_range(types, b.getEntityTypes());
    return Type::getEntityUnion(std::move(types));
  }
  if (isEntityLike(ka) && isEntityLike(kb)) {
    if (strict)
      return fail(LubFailure::EntityType);
    return Type::getAnyEntity();
  }
  return fail(LubFailure::Incompatible);
}

bool TypeSystem::areDisjoint(const Type &a, const Type &b) {
  auto entityTypesOf = [](const Type &t) -> const std::vector<std::string> * {
    if (t.is(Type::Kind::Entity) || t.is(Type::Kind::ActionEntity))
      return &t.getEntityTypes();
    return nullptr;
  };
  const std::vector<std::string> *ta = entityTypesOf(a);
  const std::vector<std::string> *tb = entityTypesOf(b);
  if (!ta || !tb)
    return false;
  return llvm::none_of(*ta, [&](const std::string &type) {
    return llvm::is_contained(*tb, type);
  });
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

std::shared_ptr<const Attributes>
TypeSystem::getUnionAttributes(const Type &entity) {
  const std::vector<std::string> &types = entity.getEntityTypes();
  if (types.size() == 1)
    return getEntityAttributes(types.front());
  std::optional<Attributes> result = *getEntityAttributes(types.front());
  for (size_t i = 1; i != types.size() && result; ++i)
    result = attributesLub(*result, *getEntityAttributes(types[i]),
                           ValidationMode::Permissive, nullptr);
  return std::make_shared<const Attributes>(result ? std::move(*result)
                                                   : Attributes());
}

std::optional<AttributeType> TypeSystem::lookupAttribute(const Type &type,
                                                         llvm::StringRef attr) {
  const Attributes *attributes = nullptr;
  std::shared_ptr<const Attributes> owner;
  switch (type.getKind()) {
  case Type::Kind::Record:
    attributes = &type.getAttributes();
    break;
  case Type::Kind::Entity:
    owner = getUnionAttributes(type);
    attributes = owner.get();
    break;
  default:
    // Actions have no attributes; "any entity" has no known ones.
    return std::nullopt;
  }
  auto it = attributes->find(attr.str());
  if (it == attributes->end())
    return std::nullopt;
  return it->second;
}

bool TypeSystem::mayHaveAttribute(const Type &type, llvm::StringRef attr) {
  switch (type.getKind()) {
  case Type::Kind::Never:
  case Type::Kind::AnyEntity:
    return true;
  case Type::Kind::Record:
    return type.isOpen() || type.getAttributes().count(attr.str()) != 0;
  case Type::Kind::Entity:
    for (const std::string &name : type.getEntityTypes()) {
      const schema::EntityTypeDef *def = schema.findEntityType(name);
      // Undeclared entity types (such as action types used as attribute
      // types) may have any attribute.
      if (!def || def->shape.additionalAttributes ||
          def->shape.attributes.count(attr.str()))
        return true;
    }
    return false;
  default:
    return false;
  }
}

std::vector<std::string> TypeSystem::getKnownAttributes(const Type &type) {
  std::vector<std::string> names;
  if (type.is(Type::Kind::Record))
    for (const auto &entry : type.getAttributes())
      names.push_back(entry.first);
  else if (type.is(Type::Kind::Entity))
    for (const auto &entry : *getUnionAttributes(type))
      names.push_back(entry.first);
  return names;
}
