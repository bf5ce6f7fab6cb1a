//===- JsonData.cpp - Cedar entities and contexts from JSON ---------------===//

#include "rune/Runtime/JsonData.h"

#include "rune/Runtime/CedarSyntax.h"
#include "rune/Runtime/ExtensionParsers.h"
#include "rune/Runtime/Json.h"
#include "rune/Runtime/SourceDiagnostic.h"

#include <cstdint>
#include <vector>

namespace rune {

namespace {

/// Converts JSON nodes to values, tracking where in the document it is so
/// errors can say which entity and attribute they concern.
class ValueConverter {
public:
  ValueConverter(std::string_view text, std::string_view sourceName,
                 SymbolTable &symbols, Arena &arena,
                 const JsonParseOptions &options, std::string &error)
      : text(text), sourceName(sourceName), symbols(symbols), arena(arena),
        options(options), error(error) {}

  bool syntaxError(const json::ParseError &parseError) {
    error = formatSourceDiagnostic(sourceName, text, parseError.offset,
                                   parseError.message);
    return false;
  }

  /// Reports `message` at `offset`, prefixed with the current entity and
  /// attribute path.
  bool fail(size_t offset, std::string_view message) {
    std::string where;
    if (!entityName.empty())
      where = "in entity " + entityName;
    else if (root == ValueSite::Root::Context)
      where = "in context";
    if (!path.empty()) {
      if (!where.empty())
        where += ", ";
      where += root == ValueSite::Root::EntityTags ? "tag `" : "attribute `";
      for (size_t i = 0; i < path.size(); ++i) {
        if (i && path[i] != "[]")
          where += '.';
        where += path[i];
      }
      where += '`';
    }
    std::string full = where.empty() ? std::string(message)
                                     : where + ": " + std::string(message);
    error = formatSourceDiagnostic(sourceName, text, offset, full);
    return false;
  }

  void setEntity(std::string name, std::string_view type) {
    entityName = std::move(name);
    entityType = type;
  }
  void setRoot(ValueSite::Root r) { root = r; }
  std::vector<std::string> &currentPath() { return path; }

  bool convertValue(const json::Node &node, Value &out) {
    TypeHint hint = TypeHint::None;
    if (options.typeHint)
      hint = options.typeHint(ValueSite{root, entityType, path});
    switch (node.kind) {
    case json::Kind::Null:
      return fail(node.offset, "null is not a valid Cedar value");
    case json::Kind::Bool:
      out = Value::boolean(node.boolean);
      return true;
    case json::Kind::Number:
      if (!node.isInteger) {
        bool integral = node.text.find_first_of(".eE") == std::string::npos;
        return fail(node.offset,
                    integral ? "integer `" + node.text +
                                   "` is out of range for a Cedar long"
                             : "number `" + node.text +
                                   "` is not an integer (Cedar longs are "
                                   "64-bit integers)");
      }
      out = Value::integer(node.integer);
      return true;
    case json::Kind::String:
      if (hint != TypeHint::None && hint != TypeHint::Entity)
        return convertExtension(node, hint, node.text, out);
      out = Value::string(arena.copyString(node.text));
      return true;
    case json::Kind::Array: {
      std::vector<Value> elements(node.elements.size());
      path.push_back("[]");
      for (size_t i = 0; i < node.elements.size(); ++i)
        if (!convertValue(node.elements[i], elements[i]))
          return false;
      path.pop_back();
      out = makeSet(arena, elements.data(), elements.size());
      return true;
    }
    case json::Kind::Object:
      return convertObject(node, hint, out);
    }
    return fail(node.offset, "unexpected JSON value");
  }

  /// An entity uid: {"type": .., "id": ..} or {"__entity": {...}}.
  bool convertUid(const json::Node &node, const EntityUidData *&out,
                  std::string_view what) {
    if (node.kind != json::Kind::Object)
      return fail(node.offset, "expected " + std::string(what) +
                                   " (an object with `type` and `id`), got " +
                                   std::string(json::kindName(node.kind)));
    const json::Node *body = &node;
    if (const json::Node *escaped = node.find("__entity")) {
      if (node.members.size() != 1)
        return fail(node.offset,
                    "an `__entity` escape must have no other keys");
      body = escaped;
      if (body->kind != json::Kind::Object)
        return fail(body->offset,
                    "expected an object with `type` and `id` in `__entity`, "
                    "got " +
                        std::string(json::kindName(body->kind)));
    }
    const json::Node *type = body->find("type");
    const json::Node *id = body->find("id");
    for (const json::Member &member : body->members)
      if (member.key != "type" && member.key != "id")
        return fail(member.keyOffset, "unexpected key `" + member.key +
                                          "` in " + std::string(what) +
                                          " (expected `type` and `id`)");
    if (!type)
      return fail(body->offset, std::string(what) + " is missing `type`");
    if (!id)
      return fail(body->offset, std::string(what) + " is missing `id`");
    if (type->kind != json::Kind::String)
      return fail(type->offset, "expected a string for the entity type, got " +
                                    std::string(json::kindName(type->kind)));
    if (id->kind != json::Kind::String)
      return fail(id->offset, "expected a string for the entity id, got " +
                                  std::string(json::kindName(id->kind)));
    if (!syntax::isTypeName(type->text))
      return fail(type->offset, "invalid entity type name " +
                                    syntax::quoteString(type->text));
    if (!checkLength(*id))
      return false;
    out = makeEntityUid(arena, symbols.intern(type->text), id->text);
    return true;
  }

  bool convertRecord(const json::Node &node, Value &out) {
    std::vector<RecordField> fields(node.members.size());
    for (size_t i = 0; i < node.members.size(); ++i) {
      const json::Member &member = node.members[i];
      fields[i].key = symbols.intern(member.key);
      path.push_back(member.key);
      if (!convertValue(member.value, fields[i].value))
        return false;
      path.pop_back();
    }
    Symbol duplicate;
    if (!makeRecord(arena, fields.data(), fields.size(), out, duplicate))
      return fail(node.offset, "duplicate key `" +
                                   std::string(symbols.name(duplicate)) + "`");
    return true;
  }

private:
  bool checkLength(const json::Node &node) {
    if (node.text.size() >= UINT32_MAX)
      return fail(node.offset, "string too long");
    return true;
  }

  bool convertObject(const json::Node &node, TypeHint hint, Value &out) {
    if (node.find("__entity") ||
        (hint == TypeHint::Entity && node.find("type") && node.find("id"))) {
      const EntityUidData *uid;
      if (!convertUid(node, uid, "an entity uid"))
        return false;
      out = Value::entity(uid);
      return true;
    }
    if (const json::Node *extension = node.find("__extn")) {
      if (node.members.size() != 1)
        return fail(node.offset, "an `__extn` escape must have no other keys");
      return convertExtensionEscape(*extension, out);
    }
    if (node.find("__expr"))
      return fail(node.offset, "the `__expr` escape is not supported; use "
                               "`__entity` or `__extn`");
    return convertRecord(node, out);
  }

  bool convertExtensionEscape(const json::Node &node, Value &out) {
    if (node.kind != json::Kind::Object)
      return fail(node.offset, "expected an object with `fn` and `arg` in "
                               "`__extn`, got " +
                                   std::string(json::kindName(node.kind)));
    for (const json::Member &member : node.members)
      if (member.key != "fn" && member.key != "arg")
        return fail(member.keyOffset, "unexpected key `" + member.key +
                                          "` in `__extn` (expected `fn` and "
                                          "`arg`)");
    const json::Node *fn = node.find("fn");
    const json::Node *arg = node.find("arg");
    if (!fn || fn->kind != json::Kind::String)
      return fail(fn ? fn->offset : node.offset,
                  "`__extn` needs a string `fn`");
    if (!arg || arg->kind != json::Kind::String)
      return fail(arg ? arg->offset : node.offset,
                  "`__extn` needs a string `arg`");
    TypeHint kind;
    if (fn->text == "decimal")
      kind = TypeHint::Decimal;
    else if (fn->text == "ip" || fn->text == "ipaddr")
      kind = TypeHint::IpAddr;
    else if (fn->text == "datetime")
      kind = TypeHint::Datetime;
    else if (fn->text == "duration")
      kind = TypeHint::Duration;
    else
      return fail(fn->offset, "unknown extension function `" + fn->text +
                                  "` (expected decimal, ip, datetime or "
                                  "duration)");
    return convertExtension(*arg, kind, arg->text, out);
  }

  bool convertExtension(const json::Node &at, TypeHint kind,
                        const std::string &literal, Value &out) {
    std::string message;
    switch (kind) {
    case TypeHint::Decimal: {
      int64_t scaled;
      if (!ext::parseDecimal(literal, scaled, message))
        return fail(at.offset, "invalid decimal: " + message);
      out = Value::decimal(scaled);
      return true;
    }
    case TypeHint::IpAddr: {
      IpAddrData ip;
      if (!ext::parseIpAddr(literal, ip, message))
        return fail(at.offset, "invalid ip address: " + message);
      auto *stored = static_cast<IpAddrData *>(
          arena.allocate(sizeof(IpAddrData), alignof(IpAddrData)));
      *stored = ip;
      out = Value::ipAddr(stored);
      return true;
    }
    case TypeHint::Datetime: {
      int64_t millis;
      if (!ext::parseDatetime(literal, millis, message))
        return fail(at.offset, "invalid datetime: " + message);
      out = Value::datetime(millis);
      return true;
    }
    case TypeHint::Duration: {
      int64_t millis;
      if (!ext::parseDuration(literal, millis, message))
        return fail(at.offset, "invalid duration: " + message);
      out = Value::duration(millis);
      return true;
    }
    case TypeHint::None:
    case TypeHint::Entity:
      break;
    }
    out = Value::string(arena.copyString(literal));
    return true;
  }

  std::string_view text;
  std::string_view sourceName;
  SymbolTable &symbols;
  Arena &arena;
  const JsonParseOptions &options;
  std::string &error;
  ValueSite::Root root = ValueSite::Root::Context;
  std::string entityName; // `User::"alice"` while converting an entity
  std::string entityType;
  std::vector<std::string> path;
};

bool checkInputSize(std::string_view text, std::string_view sourceName,
                    std::string &error) {
  // Values store string lengths in 32 bits.
  if (text.size() >= UINT32_MAX) {
    error = std::string(sourceName) + ": error: input too large";
    return false;
  }
  return true;
}

} // namespace

bool parseEntitiesJson(std::string_view text, std::string_view sourceName,
                       EntityStore &store, std::string &error,
                       const JsonParseOptions &options) {
  if (!checkInputSize(text, sourceName, error))
    return false;
  SymbolTable &symbols = store.engine().symbols();
  ValueConverter converter(text, sourceName, symbols, store.arena(), options,
                           error);
  converter.setRoot(ValueSite::Root::EntityAttributes);
  json::Node document;
  json::ParseError parseError;
  if (!json::parse(text, document, parseError))
    return converter.syntaxError(parseError);
  if (document.kind != json::Kind::Array)
    return converter.fail(document.offset,
                          "expected an array of entities, got " +
                              std::string(json::kindName(document.kind)));

  std::vector<const EntityUidData *> parents;
  std::vector<TagEntry> tags;
  for (const json::Node &entity : document.elements) {
    converter.setEntity("", "");
    converter.currentPath().clear();
    converter.setRoot(ValueSite::Root::EntityAttributes);
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
    converter.setEntity("`" + formatEntityUid(*uid, symbols) + "`",
                        symbols.name(uid->type));

    Value attributes = Value::record(nullptr, 0);
    if (const json::Node *attrs = entity.find("attrs")) {
      if (attrs->kind != json::Kind::Object)
        return converter.fail(attrs->offset,
                              "expected an object for `attrs`, got " +
                                  std::string(json::kindName(attrs->kind)));
      if (!converter.convertRecord(*attrs, attributes))
        return false;
    }

    tags.clear();
    if (const json::Node *tagsNode = entity.find("tags")) {
      if (tagsNode->kind != json::Kind::Object)
        return converter.fail(tagsNode->offset,
                              "expected an object for `tags`, got " +
                                  std::string(json::kindName(tagsNode->kind)));
      converter.setRoot(ValueSite::Root::EntityTags);
      for (const json::Member &member : tagsNode->members) {
        TagEntry tag;
        tag.key = store.arena().copyString(member.key);
        converter.currentPath().push_back(member.key);
        if (!converter.convertValue(member.value, tag.value))
          return false;
        converter.currentPath().pop_back();
        tags.push_back(tag);
      }
      converter.setRoot(ValueSite::Root::EntityAttributes);
    }

    parents.clear();
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
        parents.push_back(parent);
      }
    }

    if (!store.addEntity(uid, attributes, tags, parents)) {
      converter.setEntity("", "");
      return converter.fail(uidNode->offset,
                            "duplicate entity `" +
                                formatEntityUid(*uid, symbols) + "`");
    }
  }
  store.finalize();
  return true;
}

bool parseContextJson(std::string_view text, std::string_view sourceName,
                      SymbolTable &symbols, Arena &arena, Value &out,
                      std::string &error, const JsonParseOptions &options) {
  if (!checkInputSize(text, sourceName, error))
    return false;
  ValueConverter converter(text, sourceName, symbols, arena, options, error);
  converter.setRoot(ValueSite::Root::Context);
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
  return converter.convertRecord(document, out);
}

} // namespace rune
