//===- Request.cpp - One authorization request ----------------------------===//

#include "rune/Runtime/Request.h"

#include "rune/Runtime/CedarSyntax.h"
#include "rune/Runtime/JsonData.h"
#include "rune/Runtime/RequestValidation.h"
#include "rune/Runtime/Utf8.h"

#include <cstdint>

namespace rune {

Request::Request(std::shared_ptr<Engine> engine)
    : context(Value::record(nullptr, 0)), enginePtr(std::move(engine)),
      storage(1024) {}

bool parseEntityUidValue(std::string_view text, SymbolTable &symbols,
                         Arena &arena, Value &out, std::string &error) {
  syntax::ParsedEntityUid parsed;
  if (!syntax::parseEntityUid(text, parsed, error))
    return false;
  if (parsed.id.size() >= UINT32_MAX) {
    error = "entity id too long";
    return false;
  }
  out = Value::entity(
      makeEntityUid(arena, symbols.intern(parsed.type), parsed.id));
  return true;
}

bool Request::build(std::string_view principalUid, std::string_view actionUid,
                    std::string_view resourceUid, std::string_view contextJson,
                    std::string &error, const Schema *schema) {
  SymbolTable &symbols = enginePtr->symbols();
  struct Part {
    std::string_view name;
    std::string_view text;
    Value *slot;
  };
  const Part parts[] = {{"principal", principalUid, &principal},
                        {"action", actionUid, &action},
                        {"resource", resourceUid, &resource}};
  for (const Part &part : parts) {
    if (!parseEntityUidValue(part.text, symbols, storage, *part.slot, error)) {
      error = std::string(part.name) + ": " + error;
      return false;
    }
  }
  return finishBuild(contextJson, error, schema);
}

bool Request::buildFromParts(UidParts principalUid, UidParts actionUid,
                             UidParts resourceUid, std::string_view contextJson,
                             std::string &error, const Schema *schema) {
  SymbolTable &symbols = enginePtr->symbols();
  struct Part {
    std::string_view name;
    UidParts uid;
    Value *slot;
  };
  const Part parts[] = {{"principal", principalUid, &principal},
                        {"action", actionUid, &action},
                        {"resource", resourceUid, &resource}};
  for (const Part &part : parts) {
    std::string where(part.name);
    if (!syntax::isTypeName(part.uid.type)) {
      error = where + ": invalid entity type name " +
              syntax::quoteString(part.uid.type);
      return false;
    }
    // Cedar strings are Unicode; every other way in (JSON, Cedar syntax)
    // checks it too.
    if (!utf8::isValid(part.uid.id)) {
      error = where + ": the entity id is not valid UTF-8";
      return false;
    }
    if (part.uid.id.size() >= UINT32_MAX) {
      error = where + ": entity id too long";
      return false;
    }
    *part.slot = Value::entity(
        makeEntityUid(storage, symbols.intern(part.uid.type), part.uid.id));
  }
  return finishBuild(contextJson, error, schema);
}

bool Request::finishBuild(std::string_view contextJson, std::string &error,
                          const Schema *schema) {
  SymbolTable &symbols = enginePtr->symbols();
  const bc::SchemaAction *declared = nullptr;
  if (schema &&
      !validateRequest(*schema, principal.asEntity(), action.asEntity(),
                       resource.asEntity(), symbols, declared, error))
    return false;
  if (contextJson.empty()) {
    // Read as `{}`, so a schema's required context attributes are enforced.
    if (!schema) {
      context = Value::record(nullptr, 0);
      return true;
    }
    contextJson = "{}";
  }
  return parseContextJson(contextJson, "context", symbols, storage, context,
                          error, schema, declared);
}

} // namespace rune
