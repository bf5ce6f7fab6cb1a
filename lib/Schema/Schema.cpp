//===- Schema.cpp - Cedar schemas -----------------------------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Schema/Schema.h"

#include <functional>

using namespace rune;
using namespace rune::schema;

llvm::StringRef schema::getExtensionTypeName(ExtensionType type) {
  switch (type) {
  case ExtensionType::IpAddr:
    return "ipaddr";
  case ExtensionType::Decimal:
    return "decimal";
  case ExtensionType::Datetime:
    return "datetime";
  case ExtensionType::Duration:
    return "duration";
  }
  return "ipaddr";
}

std::optional<ExtensionType> schema::lookupExtensionType(llvm::StringRef name) {
  for (ExtensionType type : {ExtensionType::IpAddr, ExtensionType::Decimal,
                             ExtensionType::Datetime, ExtensionType::Duration})
    if (getExtensionTypeName(type) == name)
      return type;
  return std::nullopt;
}

Type Type::getEntity(std::string name) {
  Type type(Kind::Entity);
  type.name = std::move(name);
  return type;
}

Type Type::getSet(Type element) {
  Type type(Kind::Set);
  type.element = std::make_shared<const Type>(std::move(element));
  return type;
}

Type Type::getRecord(std::shared_ptr<const RecordType> record) {
  Type type(Kind::Record);
  type.record = std::move(record);
  return type;
}

Type Type::getExtension(ExtensionType extension) {
  Type type(Kind::Extension);
  type.extension = extension;
  return type;
}

std::string EntityUid::str() const {
  return type + "::" + quoteCedarString(id);
}

bool Schema::isActionTypeName(llvm::StringRef typeName) {
  size_t separator = typeName.rfind("::");
  llvm::StringRef baseName = separator == llvm::StringRef::npos
                                 ? typeName
                                 : typeName.drop_front(separator + 2);
  return baseName == "Action";
}

namespace {

/// Computes, for each node, the set of nodes reachable through `children`
/// (the transitive closure of the inverted membership relation).
template <typename Key>
std::vector<std::set<Key>>
closeTransitively(const std::vector<Key> &nodes,
                  const std::map<Key, std::vector<Key>> &children) {
  std::vector<std::set<Key>> result(nodes.size());
  for (size_t i = 0; i != nodes.size(); ++i) {
    // Iterative depth-first search: hierarchies can be long chains.
    std::vector<Key> worklist = {nodes[i]};
    std::set<Key> &reached = result[i];
    while (!worklist.empty()) {
      Key current = std::move(worklist.back());
      worklist.pop_back();
      auto it = children.find(current);
      if (it == children.end())
        continue;
      for (const Key &child : it->second)
        if (reached.insert(child).second)
          worklist.push_back(child);
    }
  }
  return result;
}

} // namespace

Schema::Schema(std::vector<EntityTypeDef> entityTypesIn,
               std::vector<ActionDef> actionsIn,
               std::vector<CommonTypeDef> commonTypesIn)
    : entityTypes(std::move(entityTypesIn)), actions(std::move(actionsIn)),
      commonTypes(std::move(commonTypesIn)) {
  std::vector<std::string> typeNames;
  std::map<std::string, std::vector<std::string>> typeChildren;
  for (size_t i = 0; i != entityTypes.size(); ++i) {
    const EntityTypeDef &def = entityTypes[i];
    entityTypeIndex.emplace(def.name, i);
    typeNames.push_back(def.name);
    for (const std::string &parent : def.memberOfTypes)
      typeChildren[parent].push_back(def.name);
  }
  entityTypeDescendants = closeTransitively(typeNames, typeChildren);

  std::vector<EntityUid> actionUids;
  std::map<EntityUid, std::vector<EntityUid>> actionChildren;
  for (size_t i = 0; i != actions.size(); ++i) {
    const ActionDef &def = actions[i];
    actionIndex.emplace(def.uid, i);
    actionUids.push_back(def.uid);
    for (const EntityUid &parent : def.memberOf)
      actionChildren[parent].push_back(def.uid);
  }
  actionDescendants = closeTransitively(actionUids, actionChildren);
}

const EntityTypeDef *Schema::findEntityType(llvm::StringRef name) const {
  auto it = entityTypeIndex.find(name);
  return it == entityTypeIndex.end() ? nullptr : &entityTypes[it->second];
}

const ActionDef *Schema::findAction(const EntityUid &uid) const {
  auto it = actionIndex.find(uid);
  return it == actionIndex.end() ? nullptr : &actions[it->second];
}

const std::set<std::string> &
Schema::getDescendantTypes(llvm::StringRef name) const {
  static const std::set<std::string> none;
  auto it = entityTypeIndex.find(name);
  return it == entityTypeIndex.end() ? none : entityTypeDescendants[it->second];
}

const std::set<EntityUid> &
Schema::getDescendantActions(const EntityUid &uid) const {
  static const std::set<EntityUid> none;
  auto it = actionIndex.find(uid);
  return it == actionIndex.end() ? none : actionDescendants[it->second];
}
