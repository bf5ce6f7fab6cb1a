//===- RequestValidation.cpp - Requests checked against a schema ----------===//

#include "rune/Runtime/RequestValidation.h"

#include "rune/Runtime/CedarSyntax.h"

#include <algorithm>

namespace rune {

namespace {

std::string backquoted(std::string_view text) {
  return "`" + std::string(text) + "`";
}

/// Checks the principal or the resource (`role`) against the types the
/// action applies to.
bool checkEntity(const Schema &schema, std::string_view role,
                 const EntityUidData &uid,
                 const std::vector<std::string> &allowed,
                 const std::string &actionName, const SymbolTable &symbols,
                 std::string &error) {
  std::string_view type = symbols.name(uid.type);
  const bc::SchemaEntityType *declared = schema.entityType(type);
  if (!declared) {
    error = std::string(role) + " type " + backquoted(type) +
            " is not declared in the schema";
    return false;
  }
  if (std::find(allowed.begin(), allowed.end(), type) == allowed.end()) {
    error = std::string(role) + " type " + backquoted(type) +
            " is not valid for " + backquoted(actionName);
    if (allowed.empty()) {
      error += " (the action applies to no " + std::string(role) + ")";
    } else {
      error += " (valid " + std::string(role) + " types: ";
      for (size_t i = 0; i < allowed.size(); ++i)
        error += (i ? ", " : "") + backquoted(allowed[i]);
      error += ")";
    }
    return false;
  }
  if (!schema.isValidId(*declared, uid.id())) {
    error = std::string(role) + " " +
            backquoted(formatEntityUid(uid, symbols)) +
            " is of an enumerated entity type, but " +
            syntax::quoteString(uid.id()) + " is not one of its ids";
    return false;
  }
  return true;
}

} // namespace

bool validateRequest(const Schema &schema, const EntityUidData &principal,
                     const EntityUidData &action, const EntityUidData &resource,
                     const SymbolTable &symbols,
                     const bc::SchemaAction *&declared, std::string &error) {
  std::string actionName = formatEntityUid(action, symbols);
  declared = schema.action(symbols.name(action.type), action.id());
  if (!declared) {
    error = "request's action " + backquoted(actionName) +
            " is not declared in the schema";
    return false;
  }
  return checkEntity(schema, "principal", principal, declared->principalTypes,
                     actionName, symbols, error) &&
         checkEntity(schema, "resource", resource, declared->resourceTypes,
                     actionName, symbols, error);
}

} // namespace rune
