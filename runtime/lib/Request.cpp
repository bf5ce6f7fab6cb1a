//===- Request.cpp - One authorization request ----------------------------===//

#include "rune/Runtime/Request.h"

#include "rune/Runtime/CedarSyntax.h"
#include "rune/Runtime/JsonData.h"

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
                    std::string &error) {
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
  if (contextJson.empty()) {
    context = Value::record(nullptr, 0);
    return true;
  }
  return parseContextJson(contextJson, "context", symbols, storage, context,
                          error);
}

} // namespace rune
