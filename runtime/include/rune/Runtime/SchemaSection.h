//===- SchemaSection.h - Encoding a SchemaInfo as a Schema section -*- C++ -*-//
//
// The byte layout is defined in BytecodeFormat.h and docs/bytecode.md. The
// encoder is header-only on purpose: the command-line driver links only the
// C API (it must work with the shared runtime, which exports nothing else)
// and hands a schema it compiled to rune_schema_load as these bytes. The
// decoder lives in the library, next to the module reader.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_SCHEMASECTION_H
#define RUNE_RUNTIME_SCHEMASECTION_H

#include "rune/Runtime/BytecodeFormat.h"
#include "rune/Runtime/SchemaInfo.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rune::bc {

namespace detail {

/// Builds a Schema section: the type and declaration tables are written
/// first, naming strings by pool index; the pool goes in front at the end.
class SchemaSectionEncoder {
public:
  std::vector<uint8_t> encode(const SchemaInfo &schema) {
    putU32(static_cast<uint32_t>(schema.types.size()));
    for (const SchemaType &type : schema.types)
      putType(type);
    putU32(static_cast<uint32_t>(schema.entityTypes.size()));
    for (const SchemaEntityType &entityType : schema.entityTypes) {
      putString(entityType.name);
      putU32(entityType.attributes);
      putU8(entityType.tags ? 1 : 0);
      putU32(entityType.tags.value_or(0));
      putStrings(entityType.enumIds);
      putStrings(entityType.memberOfTypes);
    }
    putU32(static_cast<uint32_t>(schema.actions.size()));
    for (const SchemaAction &action : schema.actions) {
      putString(action.type);
      putString(action.id);
      putU32(static_cast<uint32_t>(action.parents.size()));
      for (const auto &[type, id] : action.parents) {
        putString(type);
        putString(id);
      }
      putStrings(action.principalTypes);
      putStrings(action.resourceTypes);
      putU8(action.context ? 1 : 0);
      putU32(action.context.value_or(0));
    }

    std::vector<uint8_t> section;
    appendU32(section, static_cast<uint32_t>(pool.size()));
    for (const std::string &s : pool) {
      appendU32(section, static_cast<uint32_t>(s.size()));
      section.insert(section.end(), s.begin(), s.end());
    }
    section.insert(section.end(), body.begin(), body.end());
    return section;
  }

private:
  static void appendU32(std::vector<uint8_t> &out, uint32_t v) {
    for (int i = 0; i < 4; ++i)
      out.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void putU8(uint8_t v) { body.push_back(v); }
  void putU32(uint32_t v) { appendU32(body, v); }
  void putString(const std::string &s) {
    auto [it, added] =
        poolIndex.try_emplace(s, static_cast<uint32_t>(pool.size()));
    if (added)
      pool.push_back(s);
    putU32(it->second);
  }
  void putStrings(const std::vector<std::string> &strings) {
    putU32(static_cast<uint32_t>(strings.size()));
    for (const std::string &s : strings)
      putString(s);
  }
  void putType(const SchemaType &type) {
    putU8(static_cast<uint8_t>(type.kind));
    switch (type.kind) {
    case SchemaType::Kind::Bool:
    case SchemaType::Kind::Long:
    case SchemaType::Kind::String:
      break;
    case SchemaType::Kind::Entity:
    case SchemaType::Kind::Extension:
      putString(type.name);
      break;
    case SchemaType::Kind::Set:
      putU32(type.element);
      break;
    case SchemaType::Kind::Record:
      putU8(type.additionalAttributes ? kSchemaRecordOpen : 0);
      putU32(static_cast<uint32_t>(type.attributes.size()));
      for (const SchemaType::Attribute &attribute : type.attributes) {
        putString(attribute.name);
        putU8(attribute.required ? 1 : 0);
        putU32(attribute.type);
      }
      break;
    }
  }

  std::vector<uint8_t> body;
  std::vector<std::string> pool;
  std::unordered_map<std::string, uint32_t> poolIndex;
};

} // namespace detail

/// The contents of a Schema section holding `schema`. Encodes anything;
/// whether the schema is well formed is the verifier's call
/// (SchemaVerifier.h), which every reader of the bytes runs.
inline std::vector<uint8_t> encodeSchemaSection(const SchemaInfo &schema) {
  return detail::SchemaSectionEncoder().encode(schema);
}

/// Decodes the contents of a Schema section: counts, kinds, flag bytes,
/// string indices and UTF-8 are checked, the section must be consumed
/// exactly. Type indices and names are left to verifySchema. On failure
/// returns false with a message (without the "bytecode: " prefix).
bool decodeSchemaSection(const uint8_t *data, size_t size, SchemaInfo &out,
                         std::string &error);

} // namespace rune::bc

#endif // RUNE_RUNTIME_SCHEMASECTION_H
