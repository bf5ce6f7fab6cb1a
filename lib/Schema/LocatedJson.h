//===- LocatedJson.h - JSON documents with source positions -----*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// nlohmann::json's DOM forgets where values came from, which would leave
// schema errors unlocated. parseLocatedJson runs nlohmann's SAX parser over
// the buffer through an iterator that records how far the parser has read,
// and builds a small DOM in which every value and object key carries its
// byte offset.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_SCHEMA_LOCATEDJSON_H
#define RUNE_LIB_SCHEMA_LOCATEDJSON_H

#include "rune/Runtime/Json.h"
#include "rune/Support/Diagnostics.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace rune::schema::detail {

struct JsonMember;

struct JsonValue {
  using Kind = json::Kind;

  Kind kind = Kind::Null;
  bool boolean = false;
  /// For String: the decoded string.
  std::string string;
  std::vector<JsonValue> elements;
  /// For Object: members in document order; keys are unique.
  std::vector<JsonMember> members;
  /// Byte offset of the value's first character in the buffer.
  size_t offset = 0;

  bool isObject() const { return kind == Kind::Object; }
  bool isArray() const { return kind == Kind::Array; }
  bool isString() const { return kind == Kind::String; }
  /// The member `key` of an object, or null.
  const JsonValue *find(llvm::StringRef key) const;
  /// "an object", "a string", ... for messages.
  llvm::StringRef describe() const;
};

struct JsonMember {
  std::string key;
  /// Byte offset of the key's opening quote.
  size_t keyOffset = 0;
  JsonValue value;
};

/// Parses buffer `bufferId` as a JSON document (no comments, no trailing
/// data), reporting syntax errors, duplicate object keys and documents
/// nested deeper than `maxDepth` to `diags`.
std::optional<JsonValue>
parseLocatedJson(unsigned bufferId, DiagnosticEngine &diags, unsigned maxDepth);

} // namespace rune::schema::detail

#endif // RUNE_LIB_SCHEMA_LOCATEDJSON_H
