//===- JsonSchemaParser.cpp - Cedar's JSON schema format ------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Reads Cedar's JSON schema format into the format-neutral RawSchema:
//
//   { "NS": { "commonTypes": {...}, "entityTypes": {...}, "actions": {...},
//             "annotations": {...} } }
//
// Like Cedar, unknown keys are errors, `entityTypes` and `actions` are
// required, and a type is an object whose "type" is String, Long, Boolean,
// Set (with "element"), Record (with "attributes" and optional
// "additionalAttributes"), Entity, Extension or EntityOrCommon (with
// "name"), or else the name of a common type. Errors point at the offending
// key or value.
//
//===----------------------------------------------------------------------===//

#include "rune/Schema/SchemaParser.h"

#include "LocatedJson.h"
#include "SchemaFragment.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace rune;
using namespace rune::schema;
using namespace rune::schema::detail;

namespace {

/// JSON nesting accepted; far beyond any real schema.
constexpr unsigned MaxJsonDepth = 200;

class JsonSchemaReader {
public:
  JsonSchemaReader(llvm::StringRef text, DiagnosticEngine &diags)
      : text(text), diags(diags) {}

  std::optional<RawSchema> read(const JsonValue &root) {
    unsigned errorsBefore = diags.errorCount();
    RawSchema schema;
    if (expect(root, JsonValue::Kind::Object, "the schema"))
      for (const JsonMember &member : root.members)
        readNamespace(member, schema.namespaces.emplace_back());
    if (diags.errorCount() != errorsBefore)
      return std::nullopt;
    return schema;
  }

private:
  llvm::SMLoc locAt(size_t offset) const {
    return llvm::SMLoc::getFromPointer(text.data() +
                                       std::min(offset, text.size()));
  }

  /// The range of a string value or key starting at `offset`.
  llvm::SMRange stringRange(size_t offset) const {
    size_t end = offset + 1;
    while (end < text.size() && text[end] != '"')
      end += text[end] == '\\' ? 2 : 1;
    return {locAt(offset), locAt(std::min(end + 1, text.size()))};
  }

  void error(size_t offset, const llvm::Twine &message) {
    diags.error(locAt(offset), message);
  }

  bool expect(const JsonValue &value, JsonValue::Kind kind,
              const llvm::Twine &what) {
    if (value.kind == kind)
      return true;
    JsonValue expected;
    expected.kind = kind;
    error(value.offset, "expected " + expected.describe() + " for " + what +
                            ", found " + value.describe());
    return false;
  }

  /// Reports the members of `object` whose keys are not in `allowed`.
  void checkKeys(const JsonValue &object,
                 std::initializer_list<llvm::StringLiteral> allowed,
                 const llvm::Twine &what) {
    for (const JsonMember &member : object.members)
      if (!llvm::is_contained(allowed, member.key)) {
        std::vector<std::string> names;
        for (llvm::StringLiteral name : allowed)
          names.push_back("\"" + name.str() + "\"");
        error(member.keyOffset, "unknown field \"" + member.key + "\" in " +
                                    what + "; expected " +
                                    llvm::join(names, ", "));
      }
  }

  RawName parseName(const std::string &name, size_t offset) {
    RawName raw;
    llvm::SMRange range = stringRange(offset);
    // Cedar requires names in normalized form: components separated by
    // "::" with nothing else in between.
    llvm::SmallVector<llvm::StringRef> components;
    llvm::StringRef(name).split(components, "::");
    for (llvm::StringRef component : components)
      raw.components.push_back(component.str());
    raw.range = range;
    return raw;
  }

  void checkAnnotations(const JsonValue *annotations) {
    if (!annotations ||
        !expect(*annotations, JsonValue::Kind::Object, "\"annotations\""))
      return;
    for (const JsonMember &member : annotations->members)
      if (member.value.kind != JsonValue::Kind::String &&
          member.value.kind != JsonValue::Kind::Null)
        error(member.value.offset, "annotation values must be strings, found " +
                                       member.value.describe());
  }

  void readNamespace(const JsonMember &member, RawNamespace &ns) {
    if (!member.key.empty())
      ns.name = parseName(member.key, member.keyOffset);
    else
      ns.name.range = stringRange(member.keyOffset);
    const JsonValue &def = member.value;
    std::string what = member.key.empty() ? std::string("the empty namespace")
                                          : "namespace \"" + member.key + "\"";
    if (!expect(def, JsonValue::Kind::Object, what))
      return;
    checkKeys(def, {"commonTypes", "entityTypes", "actions", "annotations"},
              what);
    if (const JsonValue *annotations = def.find("annotations")) {
      if (member.key.empty())
        error(annotations->offset,
              "annotations are not allowed on the empty namespace");
      checkAnnotations(annotations);
    }
    const JsonValue *entityTypes = def.find("entityTypes");
    const JsonValue *actions = def.find("actions");
    if (!entityTypes)
      error(def.offset, "missing field \"entityTypes\" in " + what);
    if (!actions)
      error(def.offset, "missing field \"actions\" in " + what);
    if (const JsonValue *commonTypes = def.find("commonTypes");
        commonTypes &&
        expect(*commonTypes, JsonValue::Kind::Object, "\"commonTypes\""))
      for (const JsonMember &common : commonTypes->members) {
        RawCommonType &raw = ns.commonTypes.emplace_back();
        raw.name = common.key;
        raw.nameRange = stringRange(common.keyOffset);
        if (std::optional<RawType> type =
                readType(common.value, /*allowAttributeKeys=*/false,
                         "common type \"" + common.key + "\""))
          raw.type = std::move(*type);
      }
    if (entityTypes &&
        expect(*entityTypes, JsonValue::Kind::Object, "\"entityTypes\""))
      for (const JsonMember &entity : entityTypes->members)
        readEntityType(entity, ns.entityTypes.emplace_back());
    if (actions && expect(*actions, JsonValue::Kind::Object, "\"actions\""))
      for (const JsonMember &action : actions->members)
        readAction(action, ns.actions.emplace_back());
  }

  void readEntityType(const JsonMember &member, RawEntityType &entity) {
    entity.name = member.key;
    entity.nameRange = stringRange(member.keyOffset);
    std::string what = "entity type \"" + member.key + "\"";
    const JsonValue &def = member.value;
    if (!expect(def, JsonValue::Kind::Object, what))
      return;
    checkKeys(def, {"memberOfTypes", "shape", "tags", "enum", "annotations"},
              what);
    checkAnnotations(def.find("annotations"));
    if (const JsonValue *choices = def.find("enum")) {
      // An enumerated type has nothing but its ids.
      for (llvm::StringRef key : {"memberOfTypes", "shape", "tags"})
        if (const JsonValue *extra = def.find(key))
          error(extra->offset,
                "unexpected field \"" + key + "\" in enumerated " + what);
      entity.enumRange = {locAt(choices->offset), locAt(choices->offset + 1)};
      std::vector<std::string> ids;
      if (expect(*choices, JsonValue::Kind::Array, "\"enum\""))
        for (const JsonValue &id : choices->elements)
          if (expect(id, JsonValue::Kind::String, "an enumerated entity id"))
            ids.push_back(id.string);
      entity.enumIds = std::move(ids);
      return;
    }
    if (const JsonValue *parents = def.find("memberOfTypes");
        parents &&
        expect(*parents, JsonValue::Kind::Array, "\"memberOfTypes\""))
      for (const JsonValue &parent : parents->elements)
        if (expect(parent, JsonValue::Kind::String, "an entity type name"))
          entity.memberOfTypes.push_back(
              parseName(parent.string, parent.offset));
    if (const JsonValue *shape = def.find("shape"))
      entity.shape = readType(*shape, false, "the shape of " + what);
    if (const JsonValue *tags = def.find("tags"))
      entity.tags = readType(*tags, false, "the tags of " + what);
  }

  void readAction(const JsonMember &member, RawAction &action) {
    action.name = member.key;
    action.nameRange = stringRange(member.keyOffset);
    std::string what = "action \"" + member.key + "\"";
    const JsonValue &def = member.value;
    if (!expect(def, JsonValue::Kind::Object, what))
      return;
    checkKeys(def, {"attributes", "appliesTo", "memberOf", "annotations"},
              what);
    checkAnnotations(def.find("annotations"));
    if (const JsonValue *attributes = def.find("attributes");
        attributes && attributes->kind != JsonValue::Kind::Null &&
        expect(*attributes, JsonValue::Kind::Object, "\"attributes\"") &&
        !attributes->members.empty())
      error(attributes->offset, "action attributes are not supported");
    if (const JsonValue *parents = def.find("memberOf");
        parents && parents->kind != JsonValue::Kind::Null &&
        expect(*parents, JsonValue::Kind::Array, "\"memberOf\""))
      for (const JsonValue &parent : parents->elements)
        readActionRef(parent, action.memberOf);
    if (const JsonValue *appliesTo = def.find("appliesTo");
        appliesTo && appliesTo->kind != JsonValue::Kind::Null)
      readAppliesTo(*appliesTo, what, action);
  }

  void readActionRef(const JsonValue &value,
                     std::vector<RawActionRef> &memberOf) {
    if (!expect(value, JsonValue::Kind::Object, "an action reference"))
      return;
    checkKeys(value, {"id", "type"}, "an action reference");
    RawActionRef ref;
    ref.range = {locAt(value.offset), locAt(value.offset + 1)};
    const JsonValue *id = value.find("id");
    if (!id) {
      error(value.offset, "missing field \"id\" in an action reference");
      return;
    }
    if (!expect(*id, JsonValue::Kind::String, "\"id\""))
      return;
    ref.id = id->string;
    if (const JsonValue *type = value.find("type")) {
      if (!expect(*type, JsonValue::Kind::String, "\"type\""))
        return;
      ref.type = parseName(type->string, type->offset);
    }
    memberOf.push_back(std::move(ref));
  }

  void readAppliesTo(const JsonValue &value, const std::string &what,
                     RawAction &action) {
    if (!expect(value, JsonValue::Kind::Object, "\"appliesTo\""))
      return;
    checkKeys(value, {"principalTypes", "resourceTypes", "context"},
              "\"appliesTo\" of " + what);
    RawAppliesTo &appliesTo = action.appliesTo.emplace();
    appliesTo.range = {locAt(value.offset), locAt(value.offset + 1)};
    for (auto [key, types] :
         {std::pair("principalTypes", &appliesTo.principalTypes),
          std::pair("resourceTypes", &appliesTo.resourceTypes)}) {
      const JsonValue *list = value.find(key);
      if (!list) {
        error(value.offset, llvm::Twine("missing field \"") + key +
                                "\" in \"appliesTo\" of " + what);
        continue;
      }
      if (!expect(*list, JsonValue::Kind::Array,
                  llvm::Twine("\"") + key + "\""))
        continue;
      for (const JsonValue &type : list->elements)
        if (expect(type, JsonValue::Kind::String, "an entity type name"))
          types->push_back(parseName(type.string, type.offset));
    }
    if (const JsonValue *context = value.find("context"))
      appliesTo.context = readType(*context, false, "the context of " + what);
  }

  /// Reads a type. Attribute types (`allowAttributeKeys`) may also carry
  /// "required".
  std::optional<RawType> readType(const JsonValue &value,
                                  bool allowAttributeKeys,
                                  const llvm::Twine &what) {
    if (!expect(value, JsonValue::Kind::Object, what))
      return std::nullopt;
    const JsonValue *typeField = value.find("type");
    if (!typeField) {
      error(value.offset, "missing field \"type\" in " + what);
      return std::nullopt;
    }
    if (!expect(*typeField, JsonValue::Kind::String, "\"type\""))
      return std::nullopt;
    checkAnnotations(value.find("annotations"));

    llvm::StringRef kind = typeField->string;
    RawType type;
    type.range = {locAt(value.offset), locAt(value.offset + 1)};
    auto keys = [&](std::initializer_list<llvm::StringLiteral> extra) {
      std::vector<llvm::StringLiteral> allowed = {"type", "annotations"};
      if (allowAttributeKeys)
        allowed.push_back("required");
      allowed.insert(allowed.end(), extra.begin(), extra.end());
      for (const JsonMember &member : value.members)
        if (!llvm::is_contained(allowed, member.key))
          error(member.keyOffset, "unknown field \"" + member.key +
                                      "\" in a type of kind \"" + kind + "\"");
    };
    auto nameField = [&]() -> bool {
      const JsonValue *name = value.find("name");
      if (!name) {
        error(value.offset,
              "missing field \"name\" in a type of kind \"" + kind + "\"");
        return false;
      }
      if (!expect(*name, JsonValue::Kind::String, "\"name\""))
        return false;
      type.name = parseName(name->string, name->offset);
      return true;
    };

    if (kind == "String" || kind == "Long" || kind == "Boolean") {
      keys({});
      type.kind = kind == "String" ? RawType::Kind::String
                  : kind == "Long" ? RawType::Kind::Long
                                   : RawType::Kind::Bool;
      return type;
    }
    if (kind == "Set") {
      keys({"element"});
      type.kind = RawType::Kind::Set;
      const JsonValue *element = value.find("element");
      if (!element) {
        error(value.offset, "missing field \"element\" in a set type");
        return std::nullopt;
      }
      std::optional<RawType> elementType =
          readType(*element, false, "a set element type");
      if (!elementType)
        return std::nullopt;
      type.element = std::make_unique<RawType>(std::move(*elementType));
      return type;
    }
    if (kind == "Record") {
      keys({"attributes", "additionalAttributes"});
      type.kind = RawType::Kind::Record;
      if (const JsonValue *open = value.find("additionalAttributes");
          open &&
          expect(*open, JsonValue::Kind::Bool, "\"additionalAttributes\""))
        type.additionalAttributes = open->boolean;
      const JsonValue *attributes = value.find("attributes");
      if (!attributes)
        return type;
      if (!expect(*attributes, JsonValue::Kind::Object, "\"attributes\""))
        return std::nullopt;
      bool ok = true;
      for (const JsonMember &member : attributes->members) {
        std::optional<RawType> attributeType =
            readType(member.value, /*allowAttributeKeys=*/true,
                     "attribute \"" + member.key + "\"");
        bool required = true;
        if (const JsonValue *requiredField = member.value.find("required")) {
          if (expect(*requiredField, JsonValue::Kind::Bool, "\"required\""))
            required = requiredField->boolean;
          else
            ok = false;
        }
        if (!attributeType) {
          ok = false;
          continue;
        }
        type.attributes.push_back({member.key, stringRange(member.keyOffset),
                                   std::move(*attributeType), required});
      }
      if (!ok)
        return std::nullopt;
      return type;
    }
    if (kind == "Entity" || kind == "Extension" || kind == "EntityOrCommon") {
      keys({"name"});
      type.kind = kind == "Entity"      ? RawType::Kind::Entity
                  : kind == "Extension" ? RawType::Kind::Extension
                                        : RawType::Kind::EntityOrCommon;
      if (!nameField())
        return std::nullopt;
      return type;
    }
    // Any other "type" names a common type.
    keys({});
    type.kind = RawType::Kind::CommonType;
    type.name = parseName(typeField->string, typeField->offset);
    return type;
  }

  llvm::StringRef text;
  DiagnosticEngine &diags;
};

} // namespace

std::optional<Schema> rune::schema::parseJsonSchema(unsigned bufferId,
                                                    DiagnosticEngine &diags) {
  std::optional<JsonValue> root =
      parseLocatedJson(bufferId, diags, MaxJsonDepth);
  if (!root)
    return std::nullopt;
  llvm::StringRef text =
      diags.getSourceMgr().getMemoryBuffer(bufferId)->getBuffer();
  std::optional<RawSchema> raw = JsonSchemaReader(text, diags).read(*root);
  if (!raw)
    return std::nullopt;
  return resolveSchema(std::move(*raw), diags);
}
