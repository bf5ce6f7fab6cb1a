//===- JsonValueConverter.cpp - JSON values to Cedar values ---------------===//

#include "rune/Runtime/JsonValueConverter.h"

#include "rune/Runtime/CedarSyntax.h"
#include "rune/Runtime/ExtensionParsers.h"
#include "rune/Runtime/SourceDiagnostic.h"

#include <algorithm>
#include <cstdint>

namespace rune {

namespace {

/// The extension type an `__extn` function name produces, or "". `offset`
/// appears when Cedar writes out a datetime it computed: {"fn": "offset",
/// "args": [datetime, duration]}.
std::string_view extensionTypeOf(std::string_view function) {
  if (function == "offset")
    return "datetime";
  if (function == "decimal")
    return "decimal";
  if (function == "ip" || function == "ipaddr")
    return "ipaddr";
  if (function == "datetime")
    return "datetime";
  if (function == "duration")
    return "duration";
  return {};
}

bool isEscape(const json::Node &node) {
  return node.kind == json::Kind::Object &&
         (node.find("__entity") || node.find("__extn") || node.find("__expr"));
}

} // namespace

JsonValueConverter::JsonValueConverter(std::string_view text,
                                       std::string_view sourceName,
                                       SymbolTable &symbols, Arena &arena,
                                       const Schema *schema, std::string &error)
    : text(text), sourceName(sourceName), symbols(symbols), arena(arena),
      schema(schema), error(error) {}

bool JsonValueConverter::syntaxError(const json::ParseError &parseError) {
  error = formatSourceDiagnostic(sourceName, text, parseError.offset,
                                 parseError.message);
  return false;
}

bool JsonValueConverter::fail(size_t offset, std::string_view message) {
  std::string where;
  if (!entityName.empty())
    where = "in entity " + entityName;
  else if (root == Root::Context)
    where = "in context";
  if (!currentPath.empty()) {
    if (!where.empty())
      where += ", ";
    where += root == Root::EntityTags ? "tag `" : "attribute `";
    for (size_t i = 0; i < currentPath.size(); ++i) {
      if (i && currentPath[i] != "[]")
        where += '.';
      where += currentPath[i];
    }
    where += '`';
  }
  std::string full = where.empty() ? std::string(message)
                                   : where + ": " + std::string(message);
  error = formatSourceDiagnostic(sourceName, text, offset, full);
  return false;
}

bool JsonValueConverter::checkLength(const json::Node &node) {
  // Values store string lengths in 32 bits.
  if (node.text.size() >= UINT32_MAX)
    return fail(node.offset, "string too long");
  return true;
}

// --- Without a schema
// ---------------------------------------------------------

bool JsonValueConverter::convertValue(const json::Node &node, Value &out) {
  switch (node.kind) {
  case json::Kind::Null:
    return fail(node.offset, "null is not a valid Cedar value");
  case json::Kind::Bool:
    out = Value::boolean(node.boolean);
    return true;
  case json::Kind::Number:
    if (!node.isInteger) {
      bool integral = node.text.find_first_of(".eE") == std::string::npos;
      return fail(node.offset, integral
                                   ? "integer `" + node.text +
                                         "` is out of range for a Cedar long"
                                   : "number `" + node.text +
                                         "` is not an integer (Cedar longs are "
                                         "64-bit integers)");
    }
    out = Value::integer(node.integer);
    return true;
  case json::Kind::String:
    if (!checkLength(node))
      return false;
    out = Value::string(arena.copyString(node.text));
    return true;
  case json::Kind::Array: {
    std::vector<Value> elements(node.elements.size());
    currentPath.push_back("[]");
    for (size_t i = 0; i < node.elements.size(); ++i)
      if (!convertValue(node.elements[i], elements[i]))
        return false;
    currentPath.pop_back();
    out = makeSet(arena, elements.data(), elements.size());
    return true;
  }
  case json::Kind::Object:
    return convertObject(node, out);
  }
  return fail(node.offset, "unexpected JSON value");
}

bool JsonValueConverter::convertObject(const json::Node &node, Value &out) {
  if (node.find("__entity")) {
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

bool JsonValueConverter::convertRecord(const json::Node &node, Value &out) {
  std::vector<RecordField> fields(node.members.size());
  for (size_t i = 0; i < node.members.size(); ++i) {
    const json::Member &member = node.members[i];
    fields[i].key = symbols.intern(member.key);
    currentPath.push_back(member.key);
    if (!convertValue(member.value, fields[i].value))
      return false;
    currentPath.pop_back();
  }
  Symbol duplicate;
  if (!makeRecord(arena, fields.data(), fields.size(), out, duplicate))
    return fail(node.offset,
                "duplicate key `" + std::string(symbols.name(duplicate)) + "`");
  return true;
}

bool JsonValueConverter::convertUid(const json::Node &node,
                                    const EntityUidData *&out,
                                    std::string_view what) {
  if (node.kind != json::Kind::Object)
    return fail(node.offset, "expected " + std::string(what) +
                                 " (an object with `type` and `id`), got " +
                                 std::string(json::kindName(node.kind)));
  const json::Node *body = &node;
  if (const json::Node *escaped = node.find("__entity")) {
    if (node.members.size() != 1)
      return fail(node.offset, "an `__entity` escape must have no other keys");
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
      return fail(member.keyOffset, "unexpected key `" + member.key + "` in " +
                                        std::string(what) +
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
    return fail(type->offset,
                "invalid entity type name " + syntax::quoteString(type->text));
  if (!checkLength(*id))
    return false;
  out = makeEntityUid(arena, symbols.intern(type->text), id->text);
  return true;
}

bool JsonValueConverter::convertExtensionEscape(const json::Node &node,
                                                Value &out) {
  std::string_view typeName;
  return evaluateExtensionCall(node, typeName, out);
}

bool JsonValueConverter::evaluateExtensionCall(const json::Node &node,
                                               std::string_view &typeName,
                                               Value &out) {
  const json::Node *argument;
  if (!readExtensionCall(node, typeName, argument))
    return false;
  if (argument->kind == json::Kind::String)
    return convertExtension(*argument, typeName, out);

  // "args": the function applied to values, each itself an escape.
  std::string_view fn = node.find("fn")->text;
  bool isOffset = fn == "offset";
  size_t arity = isOffset ? 2 : 1;
  if (argument->elements.size() != arity)
    return fail(argument->offset, "`" + std::string(fn) + "` takes " +
                                      std::to_string(arity) +
                                      " argument(s) in `args`");
  if (!isOffset) {
    if (argument->elements[0].kind != json::Kind::String)
      return fail(argument->elements[0].offset,
                  "expected a string argument to `" + std::string(fn) + "`");
    return convertExtension(argument->elements[0], typeName, out);
  }
  Value start, offset;
  if (!convertValue(argument->elements[0], start) ||
      !convertValue(argument->elements[1], offset))
    return false;
  if (!start.is(ValueKind::Datetime) || !offset.is(ValueKind::Duration))
    return fail(argument->offset,
                "`offset` takes a datetime and a duration in `args`");
  int64_t millis;
  if (__builtin_add_overflow(start.asScalar(), offset.asScalar(), &millis))
    return fail(argument->offset, "`offset` overflows");
  out = Value::datetime(millis);
  return true;
}

bool JsonValueConverter::readExtensionCall(const json::Node &node,
                                           std::string_view &typeName,
                                           const json::Node *&argument) {
  if (node.kind != json::Kind::Object)
    return fail(node.offset, "expected an object with `fn` and `arg` in "
                             "`__extn`, got " +
                                 std::string(json::kindName(node.kind)));
  for (const json::Member &member : node.members)
    if (member.key != "fn" && member.key != "arg" && member.key != "args")
      return fail(member.keyOffset, "unexpected key `" + member.key +
                                        "` in `__extn` (expected `fn` and "
                                        "`arg` or `args`)");
  const json::Node *fn = node.find("fn");
  const json::Node *single = node.find("arg");
  const json::Node *several = node.find("args");
  if (!fn || fn->kind != json::Kind::String)
    return fail(fn ? fn->offset : node.offset, "`__extn` needs a string `fn`");
  if (single && several)
    return fail(several->offset, "`__extn` takes `arg` or `args`, not both");
  argument = single ? single : several;
  if (!argument || (single && single->kind != json::Kind::String) ||
      (several && several->kind != json::Kind::Array))
    return fail(argument ? argument->offset : node.offset,
                "`__extn` needs a string `arg` or an array `args`");
  if (several && fn->text != "offset" && extensionTypeOf(fn->text).empty())
    return fail(fn->offset, "unknown extension function `" + fn->text + "`");
  if (single && fn->text == "offset")
    return fail(single->offset, "`offset` takes `args`, not `arg`");
  typeName = extensionTypeOf(fn->text);
  if (typeName.empty())
    return fail(fn->offset, "unknown extension function `" + fn->text +
                                "` (expected decimal, ip, datetime or "
                                "duration)");
  return true;
}

bool JsonValueConverter::convertExtension(const json::Node &at,
                                          std::string_view typeName,
                                          Value &out) {
  const std::string &literal = at.text;
  std::string message;
  if (typeName == "decimal") {
    int64_t scaled;
    if (!ext::parseDecimal(literal, scaled, message))
      return fail(at.offset, "invalid decimal: " + message);
    out = Value::decimal(scaled);
    return true;
  }
  if (typeName == "ipaddr") {
    IpAddrData ip;
    if (!ext::parseIpAddr(literal, ip, message))
      return fail(at.offset, "invalid ip address: " + message);
    auto *stored = static_cast<IpAddrData *>(
        arena.allocate(sizeof(IpAddrData), alignof(IpAddrData)));
    *stored = ip;
    out = Value::ipAddr(stored);
    return true;
  }
  if (typeName == "datetime") {
    int64_t millis;
    if (!ext::parseDatetime(literal, millis, message))
      return fail(at.offset, "invalid datetime: " + message);
    out = Value::datetime(millis);
    return true;
  }
  int64_t millis;
  if (!ext::parseDuration(literal, millis, message))
    return fail(at.offset, "invalid duration: " + message);
  out = Value::duration(millis);
  return true;
}

// --- With a schema
// ------------------------------------------------------------

bool JsonValueConverter::typeMismatch(const json::Node &node, uint32_t type) {
  if (node.kind == json::Kind::Null)
    return fail(node.offset, "null is not a valid Cedar value");
  std::string got(json::kindName(node.kind));
  if (node.kind == json::Kind::Object) {
    if (node.find("__entity"))
      got = "an entity";
    else if (node.find("__extn"))
      got = "an extension value";
  }
  return fail(node.offset, "expected a value of type " +
                               schema->describeType(type) + ", got " + got);
}

bool JsonValueConverter::checkEnumeratedId(const EntityUidData &uid,
                                           size_t offset) {
  std::string_view typeName = symbols.name(uid.type);
  const bc::SchemaEntityType *entityType = schema->entityType(typeName);
  if (!entityType || schema->isValidId(*entityType, uid.id()))
    return true;
  std::string ids;
  for (size_t i = 0; i < entityType->enumIds.size(); ++i)
    ids += (i ? ", " : "") + syntax::quoteString(entityType->enumIds[i]);
  return fail(offset, "entity `" + formatEntityUid(uid, symbols) +
                          "` is of an enumerated entity type, but " +
                          syntax::quoteString(uid.id()) +
                          " is not one of its ids (" + ids + ")");
}

bool JsonValueConverter::convertTyped(const json::Node &node, uint32_t type,
                                      Value &out) {
  const bc::SchemaType &expected = schema->type(type);
  switch (expected.kind) {
  case bc::SchemaType::Kind::Bool:
  case bc::SchemaType::Kind::Long:
  case bc::SchemaType::Kind::String: {
    json::Kind needed =
        expected.kind == bc::SchemaType::Kind::Bool   ? json::Kind::Bool
        : expected.kind == bc::SchemaType::Kind::Long ? json::Kind::Number
                                                      : json::Kind::String;
    if (node.kind != needed)
      return typeMismatch(node, type);
    return convertValue(node, out);
  }
  case bc::SchemaType::Kind::Entity: {
    if (node.kind != json::Kind::Object || node.find("__extn") ||
        node.find("__expr"))
      return typeMismatch(node, type);
    const EntityUidData *uid;
    if (!convertUid(node, uid, "an entity uid"))
      return false;
    if (symbols.name(uid->type) != expected.name)
      return fail(node.offset, "expected an entity of type `" + expected.name +
                                   "`, got `" + formatEntityUid(*uid, symbols) +
                                   "`");
    if (!checkEnumeratedId(*uid, node.offset))
      return false;
    out = Value::entity(uid);
    return true;
  }
  case bc::SchemaType::Kind::Set: {
    if (node.kind != json::Kind::Array)
      return typeMismatch(node, type);
    std::vector<Value> elements(node.elements.size());
    currentPath.push_back("[]");
    for (size_t i = 0; i < node.elements.size(); ++i)
      if (!convertTyped(node.elements[i], expected.element, elements[i]))
        return false;
    currentPath.pop_back();
    out = makeSet(arena, elements.data(), elements.size());
    return true;
  }
  case bc::SchemaType::Kind::Record:
    if (node.kind != json::Kind::Object || isEscape(node))
      return typeMismatch(node, type);
    return convertTypedRecord(node, type, out);
  case bc::SchemaType::Kind::Extension: {
    // Cedar's implicit forms: the constructor's argument alone, or the
    // escape's body {"fn", "arg"} without `__extn`.
    if (node.kind == json::Kind::String)
      return convertExtension(node, expected.name, out);
    if (node.kind != json::Kind::Object || node.find("__entity") ||
        node.find("__expr"))
      return typeMismatch(node, type);
    const json::Node *call = &node;
    if (const json::Node *escaped = node.find("__extn")) {
      if (node.members.size() != 1)
        return fail(node.offset, "an `__extn` escape must have no other keys");
      call = escaped;
    } else if (!node.find("fn")) {
      return typeMismatch(node, type);
    }
    std::string_view typeName;
    const json::Node *argument;
    if (!readExtensionCall(*call, typeName, argument))
      return false;
    if (typeName != expected.name)
      return fail(node.offset, "expected a value of type " + expected.name +
                                   ", got " + std::string(typeName));
    return evaluateExtensionCall(*call, typeName, out);
  }
  }
  return typeMismatch(node, type);
}

bool JsonValueConverter::convertTypedRecord(const json::Node &node,
                                            uint32_t recordType, Value &out) {
  const bc::SchemaType &record = schema->type(recordType);
  const std::vector<bc::SchemaType::Attribute> &attributes = record.attributes;
  std::vector<RecordField> fields(node.members.size());
  // Keys are unique (the parser rejects duplicates), so counting the
  // required attributes present tells whether one is missing.
  size_t requiredPresent = 0;
  for (size_t i = 0; i < node.members.size(); ++i) {
    const json::Member &member = node.members[i];
    // Attributes are sorted by name (verified).
    auto attribute =
        std::lower_bound(attributes.begin(), attributes.end(), member.key,
                         [](const bc::SchemaType::Attribute &a,
                            const std::string &key) { return a.name < key; });
    bool declared =
        attribute != attributes.end() && attribute->name == member.key;
    if (!declared && !record.additionalAttributes)
      return fail(member.keyOffset, "attribute `" + member.key +
                                        "` is not declared in the schema");
    if (declared && attribute->required)
      ++requiredPresent;
    fields[i].key = symbols.intern(member.key);
    currentPath.push_back(member.key);
    bool converted =
        declared ? convertTyped(member.value, attribute->type, fields[i].value)
                 : convertValue(member.value, fields[i].value);
    if (!converted)
      return false;
    currentPath.pop_back();
  }
  size_t required = std::count_if(
      attributes.begin(), attributes.end(),
      [](const bc::SchemaType::Attribute &a) { return a.required; });
  if (requiredPresent < required)
    for (const bc::SchemaType::Attribute &attribute : attributes)
      if (attribute.required && !node.find(attribute.name))
        return fail(node.offset,
                    "missing required attribute `" + attribute.name + "`");
  Symbol duplicate;
  if (!makeRecord(arena, fields.data(), fields.size(), out, duplicate))
    return fail(node.offset,
                "duplicate key `" + std::string(symbols.name(duplicate)) + "`");
  return true;
}

} // namespace rune
