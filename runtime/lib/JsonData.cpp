//===- JsonData.cpp - Cedar entities and contexts from JSON ---------------===//

#include "rune/Runtime/JsonData.h"

#include "rune/Runtime/CedarSyntax.h"
#include "rune/Runtime/Json.h"
#include "rune/Runtime/JsonValueConverter.h"

#include <cstdint>
#include <unordered_set>
#include <vector>

namespace rune {

namespace {

bool checkInputSize(std::string_view text, std::string_view sourceName,
                    std::string &error) {
  // Values store string lengths in 32 bits.
  if (text.size() >= UINT32_MAX) {
    error = std::string(sourceName) + ": error: input too large";
    return false;
  }
  return true;
}

std::string backquoted(std::string_view name) {
  return "`" + std::string(name) + "`";
}

/// Reads an entities document into a store, entity by entity.
class EntitiesReader {
public:
  EntitiesReader(std::string_view text, std::string_view sourceName,
                 EntityStore &store, const Schema *schema, std::string &error)
      : text(text), store(store), symbols(store.engine().symbols()),
        schema(schema),
        converter(text, sourceName, symbols, store.arena(), schema, error) {}

  bool read() {
    json::Node document;
    json::ParseError parseError;
    if (!json::parse(text, document, parseError))
      return converter.syntaxError(parseError);
    converter.setRoot(JsonValueConverter::Root::EntityAttributes);
    if (document.kind != json::Kind::Array)
      return converter.fail(document.offset,
                            "expected an array of entities, got " +
                                std::string(json::kindName(document.kind)));
    for (const json::Node &entity : document.elements)
      if (!readEntity(entity))
        return false;
    if (schema)
      addSchemaActions();
    store.finalize();
    return true;
  }

private:
  bool readEntity(const json::Node &entity) {
    converter.setEntity("");
    converter.path().clear();
    converter.setRoot(JsonValueConverter::Root::EntityAttributes);
    if (entity.kind != json::Kind::Object)
      return converter.fail(entity.offset,
                            "expected an entity object, got " +
                                std::string(json::kindName(entity.kind)));
    for (const json::Member &member : entity.members)
      if (member.key != "uid" && member.key != "attrs" &&
          member.key != "parents" && member.key != "tags")
        return converter.fail(member.keyOffset,
                              "unexpected key `" + member.key +
                                  "` in entity (expected `uid`, `attrs`, "
                                  "`parents` or `tags`)");
    const json::Node *uidNode = entity.find("uid");
    if (!uidNode)
      return converter.fail(entity.offset, "entity is missing `uid`");
    const EntityUidData *uid;
    if (!converter.convertUid(*uidNode, uid, "an entity uid"))
      return false;
    converter.setEntity(backquoted(formatEntityUid(*uid, symbols)));

    const bc::SchemaEntityType *declared = nullptr;
    if (schema) {
      std::string_view typeName = symbols.name(uid->type);
      if (schema->isActionType(typeName))
        return readActionEntity(entity, *uidNode, *uid);
      declared = schema->entityType(typeName);
      if (!declared)
        return converter.fail(uidNode->offset,
                              "entity type " + backquoted(typeName) +
                                  " is not declared in the schema");
      if (!converter.checkEnumeratedId(*uid, uidNode->offset))
        return false;
    }

    Value attributes = Value::record(nullptr, 0);
    if (!readAttributes(entity, declared, attributes) ||
        !readTags(entity, declared) || !readParents(entity, declared))
      return false;
    if (!store.addEntity(uid, attributes, tags, parents)) {
      converter.setEntity("");
      return converter.fail(uidNode->offset,
                            "duplicate entity `" +
                                formatEntityUid(*uid, symbols) + "`");
    }
    return true;
  }

  bool readAttributes(const json::Node &entity,
                      const bc::SchemaEntityType *declared, Value &out) {
    const json::Node *attrs = entity.find("attrs");
    if (attrs && attrs->kind != json::Kind::Object)
      return converter.fail(attrs->offset,
                            "expected an object for `attrs`, got " +
                                std::string(json::kindName(attrs->kind)));
    if (declared) {
      // No `attrs` is no attributes, which the schema may not allow.
      json::Node none;
      none.kind = json::Kind::Object;
      none.offset = entity.offset;
      return converter.convertTypedRecord(attrs ? *attrs : none,
                                          declared->attributes, out);
    }
    return !attrs || converter.convertRecord(*attrs, out);
  }

  bool readTags(const json::Node &entity,
                const bc::SchemaEntityType *declared) {
    tags.clear();
    const json::Node *tagsNode = entity.find("tags");
    if (!tagsNode)
      return true;
    if (tagsNode->kind != json::Kind::Object)
      return converter.fail(tagsNode->offset,
                            "expected an object for `tags`, got " +
                                std::string(json::kindName(tagsNode->kind)));
    for (const json::Member &member : tagsNode->members) {
      if (declared && !declared->tags)
        return converter.fail(member.keyOffset,
                              "tag `" + member.key +
                                  "` is not allowed: the schema declares no "
                                  "tags for " +
                                  backquoted(declared->name));
      TagEntry tag;
      tag.key = store.arena().copyString(member.key);
      converter.setRoot(JsonValueConverter::Root::EntityTags);
      converter.path().push_back(member.key);
      bool converted =
          declared
              ? converter.convertTyped(member.value, *declared->tags, tag.value)
              : converter.convertValue(member.value, tag.value);
      if (!converted)
        return false;
      converter.path().pop_back();
      converter.setRoot(JsonValueConverter::Root::EntityAttributes);
      tags.push_back(tag);
    }
    return true;
  }

  bool readParents(const json::Node &entity,
                   const bc::SchemaEntityType *declared) {
    parents.clear();
    const json::Node *parentsNode = entity.find("parents");
    if (!parentsNode)
      return true;
    if (parentsNode->kind != json::Kind::Array)
      return converter.fail(parentsNode->offset,
                            "expected an array for `parents`, got " +
                                std::string(json::kindName(parentsNode->kind)));
    for (const json::Node &parentNode : parentsNode->elements) {
      const EntityUidData *parent;
      if (!converter.convertUid(parentNode, parent, "a parent uid"))
        return false;
      if (declared) {
        std::string_view parentType = symbols.name(parent->type);
        if (!schema->allowsParent(*declared, parentType))
          return converter.fail(
              parentNode.offset,
              "entity type " + backquoted(declared->name) +
                  " may not have a parent of type " + backquoted(parentType) +
                  " (not in its memberOfTypes in the schema)");
        if (!converter.checkEnumeratedId(*parent, parentNode.offset))
          return false;
      }
      parents.push_back(parent);
    }
    return true;
  }

  /// An action entity in the JSON must be declared and match its
  /// declaration: no attributes, no tags, the same ancestors. It is not
  /// added here: every declared action is added from the schema.
  bool readActionEntity(const json::Node &entity, const json::Node &uidNode,
                        const EntityUidData &uid) {
    std::string name = formatEntityUid(uid, symbols);
    const bc::SchemaAction *declared =
        schema->action(symbols.name(uid.type), uid.id());
    if (!declared)
      return converter.fail(uidNode.offset, "action " + backquoted(name) +
                                                " is not declared in the "
                                                "schema");
    auto isEmptyObject = [](const json::Node *node) {
      return !node ||
             (node->kind == json::Kind::Object && node->members.empty());
    };
    bool matches = isEmptyObject(entity.find("attrs")) &&
                   isEmptyObject(entity.find("tags"));
    std::unordered_set<uint32_t> ancestors;
    if (const json::Node *parentsNode = entity.find("parents")) {
      if (parentsNode->kind != json::Kind::Array)
        return converter.fail(
            parentsNode->offset,
            "expected an array for `parents`, got " +
                std::string(json::kindName(parentsNode->kind)));
      for (const json::Node &parentNode : parentsNode->elements) {
        const EntityUidData *parent;
        if (!converter.convertUid(parentNode, parent, "a parent uid"))
          return false;
        const bc::SchemaAction *parentAction =
            schema->action(symbols.name(parent->type), parent->id());
        if (!parentAction) {
          matches = false;
          continue;
        }
        uint32_t index = schema->actionIndex(*parentAction);
        ancestors.insert(index);
        for (uint32_t above : schema->actionAncestors(index))
          ancestors.insert(above);
      }
    }
    uint32_t index = schema->actionIndex(*declared);
    if (!matches || ancestors != schema->actionAncestors(index))
      return converter.fail(
          uidNode.offset,
          "the definition of action " + backquoted(name) +
              " does not match its declaration in the schema (actions "
              "come from the schema; leave them out of the entities)");
    if (!actionsInJson.insert(index).second) {
      converter.setEntity("");
      return converter.fail(uidNode.offset,
                            "duplicate entity " + backquoted(name));
    }
    return true;
  }

  void addSchemaActions() {
    for (const bc::SchemaAction &action : schema->info().actions) {
      const EntityUidData *uid =
          makeEntityUid(store.arena(), symbols.intern(action.type), action.id);
      parents.clear();
      for (const auto &[type, id] : action.parents)
        parents.push_back(
            makeEntityUid(store.arena(), symbols.intern(type), id));
      // Cannot collide: entities of action types never reach the store
      // from the JSON.
      store.addEntity(uid, Value::record(nullptr, 0), {}, parents);
    }
  }

  std::string_view text;
  EntityStore &store;
  SymbolTable &symbols;
  const Schema *schema;
  JsonValueConverter converter;
  // Per entity, reused.
  std::vector<const EntityUidData *> parents;
  std::vector<TagEntry> tags;
  std::unordered_set<uint32_t> actionsInJson;
};

} // namespace

bool parseEntitiesJson(std::string_view text, std::string_view sourceName,
                       EntityStore &store, std::string &error,
                       const Schema *schema) {
  if (!checkInputSize(text, sourceName, error))
    return false;
  return EntitiesReader(text, sourceName, store, schema, error).read();
}

bool parseContextJson(std::string_view text, std::string_view sourceName,
                      SymbolTable &symbols, Arena &arena, Value &out,
                      std::string &error, const Schema *schema,
                      const bc::SchemaAction *action) {
  if (!checkInputSize(text, sourceName, error))
    return false;
  JsonValueConverter converter(text, sourceName, symbols, arena, schema, error);
  converter.setRoot(JsonValueConverter::Root::Context);
  json::Node document;
  json::ParseError parseError;
  if (!json::parse(text, document, parseError))
    return converter.syntaxError(parseError);
  if (document.kind != json::Kind::Object)
    return converter.fail(document.offset,
                          "the context must be a JSON object, got " +
                              std::string(json::kindName(document.kind)));
  if (document.find("__entity") || document.find("__extn"))
    return converter.fail(document.offset,
                          "the context must be a record, not an escape");
  if (schema && action)
    return converter.convertTypedRecord(document, schema->contextType(*action),
                                        out);
  return converter.convertRecord(document, out);
}

} // namespace rune
