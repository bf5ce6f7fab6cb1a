//===- Schema.cpp - A verified schema, indexed for reading data -----------===//

#include "rune/Runtime/Schema.h"

#include "rune/Runtime/CedarSyntax.h"
#include "rune/Runtime/SchemaSection.h"
#include "rune/Runtime/SchemaVerifier.h"

#include <deque>

namespace rune {

namespace {

std::string actionKey(std::string_view type, std::string_view id) {
  std::string key(type);
  key += '\0';
  key += id;
  return key;
}

} // namespace

Schema::Schema(bc::SchemaInfo info) : schemaInfo(std::move(info)) {
  // Actions without a declared context take the empty, closed record.
  emptyRecord = static_cast<uint32_t>(schemaInfo.types.size());
  bc::SchemaType empty;
  empty.kind = bc::SchemaType::Kind::Record;
  schemaInfo.types.push_back(std::move(empty));

  const std::vector<bc::SchemaEntityType> &declared = schemaInfo.entityTypes;
  for (size_t i = 0; i < declared.size(); ++i)
    entityTypes.emplace(declared[i].name, static_cast<uint32_t>(i));
  for (size_t i = 0; i < schemaInfo.actions.size(); ++i) {
    const bc::SchemaAction &action = schemaInfo.actions[i];
    actions.emplace(actionKey(action.type, action.id),
                    static_cast<uint32_t>(i));
    actionTypes.insert(action.type);
  }

  // memberOfTypes may form cycles (a Group in a Group), hence a search with
  // a visited set per type rather than a recursive union.
  allowedParents.resize(declared.size());
  enumIds.resize(declared.size());
  for (size_t i = 0; i < declared.size(); ++i) {
    enumIds[i].insert(declared[i].enumIds.begin(), declared[i].enumIds.end());
    std::unordered_set<std::string> &reached = allowedParents[i];
    std::deque<std::string_view> pending(declared[i].memberOfTypes.begin(),
                                         declared[i].memberOfTypes.end());
    while (!pending.empty()) {
      std::string_view parent = pending.front();
      pending.pop_front();
      if (!reached.insert(std::string(parent)).second)
        continue;
      auto next = entityTypes.find(std::string(parent));
      if (next == entityTypes.end())
        continue;
      for (const std::string &grandparent :
           declared[next->second].memberOfTypes)
        pending.push_back(grandparent);
    }
  }
}

std::unique_ptr<Schema> Schema::load(const uint8_t *data, size_t size,
                                     std::string &error) {
  bc::SchemaInfo info;
  if (!bc::decodeSchemaSection(data, size, info, error) ||
      !bc::verifySchema(info, error))
    return nullptr;
  return std::make_unique<Schema>(std::move(info));
}

const bc::SchemaEntityType *Schema::entityType(std::string_view name) const {
  auto it = entityTypes.find(std::string(name));
  return it == entityTypes.end() ? nullptr
                                 : &schemaInfo.entityTypes[it->second];
}

const bc::SchemaAction *Schema::action(std::string_view type,
                                       std::string_view id) const {
  auto it = actions.find(actionKey(type, id));
  return it == actions.end() ? nullptr : &schemaInfo.actions[it->second];
}

bool Schema::isActionType(std::string_view type) const {
  if (actionTypes.count(std::string(type)))
    return true;
  return type == "Action" || type.ends_with("::Action");
}

bool Schema::allowsParent(const bc::SchemaEntityType &child,
                          std::string_view parent) const {
  return allowedParents[entityTypeIndex(child)].count(std::string(parent)) != 0;
}

bool Schema::isValidId(const bc::SchemaEntityType &entityType,
                       std::string_view id) const {
  const std::unordered_set<std::string> &ids =
      enumIds[entityTypeIndex(entityType)];
  return entityType.enumIds.empty() || ids.count(std::string(id)) != 0;
}

std::unordered_set<uint32_t> Schema::actionAncestors(uint32_t index) const {
  std::unordered_set<uint32_t> ancestors;
  std::deque<uint32_t> pending = {index};
  while (!pending.empty()) {
    const bc::SchemaAction &current = schemaInfo.actions[pending.front()];
    pending.pop_front();
    for (const auto &[type, id] : current.parents) {
      // Verified: every parent is a declared action.
      uint32_t parent = actions.at(actionKey(type, id));
      if (ancestors.insert(parent).second)
        pending.push_back(parent);
    }
  }
  return ancestors;
}

std::string Schema::describeType(uint32_t index) const {
  std::string out;
  describeType(index, 0, out);
  return out;
}

void Schema::describeType(uint32_t index, unsigned depth,
                          std::string &out) const {
  // Messages stay readable: deep or wide types are elided.
  constexpr unsigned kMaxDepth = 4;
  constexpr size_t kMaxAttributes = 8;
  if (depth > kMaxDepth) {
    out += "...";
    return;
  }
  const bc::SchemaType &t = schemaInfo.types[index];
  switch (t.kind) {
  case bc::SchemaType::Kind::Bool:
    out += "Bool";
    return;
  case bc::SchemaType::Kind::Long:
    out += "Long";
    return;
  case bc::SchemaType::Kind::String:
    out += "String";
    return;
  case bc::SchemaType::Kind::Entity:
  case bc::SchemaType::Kind::Extension:
    out += t.name;
    return;
  case bc::SchemaType::Kind::Set:
    out += "Set<";
    describeType(t.element, depth + 1, out);
    out += ">";
    return;
  case bc::SchemaType::Kind::Record:
    out += "{";
    for (size_t i = 0; i < t.attributes.size(); ++i) {
      if (i)
        out += ", ";
      if (i == kMaxAttributes) {
        out += "...";
        break;
      }
      const bc::SchemaType::Attribute &attribute = t.attributes[i];
      out += syntax::isIdentifier(attribute.name)
                 ? attribute.name
                 : syntax::quoteString(attribute.name);
      out += attribute.required ? ": " : "?: ";
      describeType(attribute.type, depth + 1, out);
    }
    out += "}";
    return;
  }
}

} // namespace rune
