//===- SchemaVerifier.cpp - Checking a decoded schema ---------------------===//

#include "rune/Runtime/SchemaVerifier.h"

#include "rune/Runtime/CedarSyntax.h"

#include <array>
#include <cinttypes>
#include <cstdio>
#include <map>
#include <set>
#include <string_view>
#include <unordered_set>

namespace rune::bc {

namespace {

std::string format(const char *fmt, auto... args) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, fmt, args...);
  return buffer;
}

/// `name` in backquotes, with Cedar's escapes for anything unprintable.
std::string quoted(std::string_view name) {
  std::string text = syntax::quoteString(name);
  return "`" + text.substr(1, text.size() - 2) + "`";
}

constexpr std::array<std::string_view, 4> kExtensionTypes = {
    "decimal", "ipaddr", "datetime", "duration"};

/// Depth-first search for a cycle, without recursion (a hostile schema can
/// chain millions of types). `successors(node, out)` lists a node's edges.
/// Returns the node on a cycle, or -1.
template <typename Successors>
int64_t findCycle(size_t nodeCount, Successors successors) {
  enum : uint8_t { Unvisited, OnPath, Done };
  std::vector<uint8_t> state(nodeCount, Unvisited);
  struct Frame {
    uint32_t node;
    std::vector<uint32_t> next;
    size_t position = 0;
  };
  std::vector<Frame> path;
  for (uint32_t start = 0; start < nodeCount; ++start) {
    if (state[start] != Unvisited)
      continue;
    state[start] = OnPath;
    path.push_back({start, {}});
    successors(start, path.back().next);
    while (!path.empty()) {
      Frame &frame = path.back();
      if (frame.position == frame.next.size()) {
        state[frame.node] = Done;
        path.pop_back();
        continue;
      }
      uint32_t next = frame.next[frame.position++];
      if (state[next] == OnPath)
        return next;
      if (state[next] == Unvisited) {
        state[next] = OnPath;
        path.push_back({next, {}}); // invalidates `frame`
        successors(next, path.back().next);
      }
    }
  }
  return -1;
}

class SchemaVerifier {
public:
  SchemaVerifier(const SchemaInfo &schema, std::string &error)
      : schema(schema), error(error) {}

  bool verify() {
    for (const SchemaEntityType &entityType : schema.entityTypes)
      entityTypeNames.insert(entityType.name);
    for (const SchemaAction &action : schema.actions)
      actionTypeNames.insert(action.type);
    return verifyTypes() && verifyEntityTypes() && verifyActions();
  }

private:
  bool fail(std::string message) {
    error = "Schema section: " + std::move(message);
    return false;
  }

  bool typeInRange(uint32_t index) const { return index < schema.types.size(); }
  std::string typeOutOfRange(std::string_view what, uint32_t index) const {
    return format("%.*s type %" PRIu32
                  " out of range (the schema has %zu types)",
                  int(what.size()), what.data(), index, schema.types.size());
  }
  bool isRecord(uint32_t index) const {
    return schema.types[index].kind == SchemaType::Kind::Record;
  }

  bool verifyTypes() {
    for (size_t i = 0; i < schema.types.size(); ++i) {
      const SchemaType &type = schema.types[i];
      std::string where = format("type %zu: ", i);
      switch (type.kind) {
      case SchemaType::Kind::Bool:
      case SchemaType::Kind::Long:
      case SchemaType::Kind::String:
        break;
      case SchemaType::Kind::Entity:
        if (!syntax::isTypeName(type.name))
          return fail(where + "invalid entity type name " + quoted(type.name));
        if (!entityTypeNames.count(type.name) &&
            !actionTypeNames.count(type.name))
          return fail(where + "entity type " + quoted(type.name) +
                      " is not declared");
        break;
      case SchemaType::Kind::Extension: {
        bool known = false;
        for (std::string_view name : kExtensionTypes)
          known = known || type.name == name;
        if (!known)
          return fail(where + "unknown extension type " + quoted(type.name) +
                      " (expected decimal, ipaddr, datetime or duration)");
        break;
      }
      case SchemaType::Kind::Set:
        if (!typeInRange(type.element))
          return fail(where + typeOutOfRange("element", type.element));
        break;
      case SchemaType::Kind::Record:
        for (size_t a = 0; a < type.attributes.size(); ++a) {
          const SchemaType::Attribute &attribute = type.attributes[a];
          if (!typeInRange(attribute.type))
            return fail(where + "attribute " + quoted(attribute.name) + ": " +
                        typeOutOfRange("its", attribute.type));
          if (a == 0)
            continue;
          const std::string &previous = type.attributes[a - 1].name;
          if (previous == attribute.name)
            return fail(where + "duplicate attribute " +
                        quoted(attribute.name));
          if (previous > attribute.name)
            return fail(where + "attributes are not sorted by name (" +
                        quoted(previous) + " comes before " +
                        quoted(attribute.name) + ")");
        }
        break;
      default:
        return fail(where + format("unknown kind %u", unsigned(type.kind)));
      }
    }
    int64_t cyclic = findCycle(
        schema.types.size(), [&](uint32_t node, std::vector<uint32_t> &out) {
          const SchemaType &type = schema.types[node];
          if (type.kind == SchemaType::Kind::Set)
            out.push_back(type.element);
          else if (type.kind == SchemaType::Kind::Record)
            for (const SchemaType::Attribute &attribute : type.attributes)
              out.push_back(attribute.type);
        });
    if (cyclic >= 0)
      return fail(format("type %" PRId64 " contains itself (schema types "
                         "cannot be recursive)",
                         cyclic));
    return true;
  }

  bool verifyEntityTypes() {
    std::unordered_set<std::string_view> seen;
    for (size_t i = 0; i < schema.entityTypes.size(); ++i) {
      const SchemaEntityType &entityType = schema.entityTypes[i];
      std::string where = format("entity type %zu: ", i);
      if (!syntax::isTypeName(entityType.name))
        return fail(where + "invalid entity type name " +
                    quoted(entityType.name));
      if (!seen.insert(entityType.name).second)
        return fail(where + "entity type " + quoted(entityType.name) +
                    " is declared twice");
      if (!typeInRange(entityType.attributes))
        return fail(where +
                    typeOutOfRange("attributes", entityType.attributes));
      if (!isRecord(entityType.attributes))
        return fail(where + format("attributes type %" PRIu32
                                   " is not a record",
                                   entityType.attributes));
      if (entityType.tags && !typeInRange(*entityType.tags))
        return fail(where + typeOutOfRange("tags", *entityType.tags));
      std::unordered_set<std::string_view> ids;
      for (const std::string &id : entityType.enumIds)
        if (!ids.insert(id).second)
          return fail(where + "enumerated id " + syntax::quoteString(id) +
                      " is listed twice");
      for (const std::string &parent : entityType.memberOfTypes)
        if (!entityTypeNames.count(parent))
          return fail(where + "parent type " + quoted(parent) +
                      " is not a declared entity type");
    }
    return true;
  }

  bool verifyActions() {
    std::map<std::pair<std::string_view, std::string_view>, uint32_t> index;
    for (size_t i = 0; i < schema.actions.size(); ++i) {
      const SchemaAction &action = schema.actions[i];
      std::string where = format("action %zu: ", i);
      if (!syntax::isTypeName(action.type))
        return fail(where + "invalid action type name " + quoted(action.type));
      if (!index
               .emplace(std::pair{std::string_view(action.type),
                                  std::string_view(action.id)},
                        static_cast<uint32_t>(i))
               .second)
        return fail(where + "action " +
                    syntax::formatEntityUid(action.type, action.id) +
                    " is declared twice");
    }
    std::vector<std::vector<uint32_t>> parents(schema.actions.size());
    for (size_t i = 0; i < schema.actions.size(); ++i) {
      const SchemaAction &action = schema.actions[i];
      std::string where = format("action %zu: ", i);
      for (const auto &[type, id] : action.parents) {
        auto parent = index.find({type, id});
        if (parent == index.end())
          return fail(where + "parent " + syntax::formatEntityUid(type, id) +
                      " is not a declared action");
        parents[i].push_back(parent->second);
      }
      for (const auto *list : {&action.principalTypes, &action.resourceTypes})
        for (const std::string &type : *list)
          if (!entityTypeNames.count(type))
            return fail(
                where +
                (list == &action.principalTypes ? "principal" : "resource") +
                " type " + quoted(type) + " is not a declared entity type");
      if (action.context) {
        if (!typeInRange(*action.context))
          return fail(where + typeOutOfRange("context", *action.context));
        if (!isRecord(*action.context))
          return fail(where + format("context type %" PRIu32 " is not a record",
                                     *action.context));
      }
    }
    int64_t cyclic = findCycle(schema.actions.size(),
                               [&](uint32_t node, std::vector<uint32_t> &out) {
                                 out = parents[node];
                               });
    if (cyclic >= 0) {
      const SchemaAction &action = schema.actions[cyclic];
      return fail("action " + syntax::formatEntityUid(action.type, action.id) +
                  " is its own ancestor (the action hierarchy has a cycle)");
    }
    return true;
  }

  const SchemaInfo &schema;
  std::string &error;
  std::set<std::string_view> entityTypeNames;
  std::set<std::string_view> actionTypeNames;
};

} // namespace

bool verifySchema(const SchemaInfo &schema, std::string &error) {
  return SchemaVerifier(schema, error).verify();
}

} // namespace rune::bc
