//===- SchemaPrinter.cpp - Printing resolved schemas ----------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Prints a resolved Schema in the Cedar schema syntax. The output is meant
// for people and golden tests: every name is fully qualified (so no
// namespace blocks are needed), common types appear inlined where they are
// used as well as in their own declarations, and each entity type and
// action lists its transitive descendants in a comment.
//
//===----------------------------------------------------------------------===//

#include "rune/Schema/Schema.h"

#include "llvm/ADT/StringExtras.h"

using namespace rune;
using namespace rune::schema;

namespace {

bool isPlainIdentifier(llvm::StringRef name) {
  if (name.empty() || !(llvm::isAlpha(name[0]) || name[0] == '_'))
    return false;
  return llvm::all_of(name,
                      [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

void printAttributeName(llvm::raw_ostream &os, llvm::StringRef name) {
  if (isPlainIdentifier(name))
    os << name;
  else
    os << quoteCedarString(name);
}

void printRecord(llvm::raw_ostream &os, const RecordType &record) {
  os << '{';
  bool first = true;
  for (const auto &[name, attribute] : record.attributes) {
    os << (first ? "" : ", ");
    first = false;
    printAttributeName(os, name);
    os << (attribute.required ? ": " : "?: ");
    printType(os, attribute.type);
  }
  if (record.additionalAttributes)
    os << (first ? "..." : ", ...");
  os << '}';
}

template <typename Range> std::string joined(const Range &names) {
  std::vector<std::string> parts;
  for (const auto &name : names) {
    if constexpr (std::is_same_v<std::decay_t<decltype(name)>, EntityUid>)
      parts.push_back(name.str());
    else
      parts.push_back(name);
  }
  return llvm::join(parts, ", ");
}

} // namespace

void rune::schema::printType(llvm::raw_ostream &os, const Type &type) {
  switch (type.getKind()) {
  case Type::Kind::Bool:
    os << "Bool";
    return;
  case Type::Kind::Long:
    os << "Long";
    return;
  case Type::Kind::String:
    os << "String";
    return;
  case Type::Kind::Entity:
    os << type.getEntityTypeName();
    return;
  case Type::Kind::Set:
    os << "Set<";
    printType(os, type.getElementType());
    os << '>';
    return;
  case Type::Kind::Record:
    printRecord(os, type.getRecord());
    return;
  case Type::Kind::Extension:
    os << getExtensionTypeName(type.getExtensionType());
    return;
  }
}

void rune::schema::printSchemaSummary(llvm::raw_ostream &os,
                                      const Schema &schema) {
  for (const CommonTypeDef &common : schema.getCommonTypes()) {
    os << "type " << common.name << " = ";
    printType(os, common.type);
    os << ";\n";
  }
  for (const EntityTypeDef &entity : schema.getEntityTypes()) {
    os << "entity " << entity.name;
    if (entity.isEnum()) {
      std::vector<std::string> ids;
      for (const std::string &id : *entity.enumIds)
        ids.push_back(quoteCedarString(id));
      os << " enum [" << llvm::join(ids, ", ") << "];";
    } else {
      if (!entity.memberOfTypes.empty())
        os << " in [" << joined(entity.memberOfTypes) << ']';
      os << ' ';
      printRecord(os, entity.shape);
      if (entity.tags) {
        os << " tags ";
        printType(os, *entity.tags);
      }
      os << ';';
    }
    const std::set<std::string> &descendants =
        schema.getDescendantTypes(entity.name);
    if (!descendants.empty())
      os << " // descendants: " << joined(descendants);
    os << '\n';
  }
  for (const ActionDef &action : schema.getActions()) {
    os << "action " << action.uid.str();
    if (!action.memberOf.empty())
      os << " in [" << joined(action.memberOf) << ']';
    if (!action.principalTypes.empty() || !action.resourceTypes.empty()) {
      os << " appliesTo { principal: [" << joined(action.principalTypes)
         << "], resource: [" << joined(action.resourceTypes) << "], context: ";
      printRecord(os, action.context);
      os << " }";
    }
    os << ';';
    const std::set<EntityUid> &descendants =
        schema.getDescendantActions(action.uid);
    if (!descendants.empty())
      os << " // descendants: " << joined(descendants);
    os << '\n';
  }
}
