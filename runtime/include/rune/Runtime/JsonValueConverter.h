//===- JsonValueConverter.h - JSON values to Cedar values -------*- C++ -*-===//
//
// Converts parsed JSON (Json.h) into runtime values, the way Cedar reads the
// values of entity attributes, tags and contexts:
//
// Without a schema: true/false -> bool, integers -> long, strings ->
// string, arrays -> set, objects -> record, {"__entity": {"type", "id"}} ->
// entity, {"__extn": {"fn", "arg"}} -> extension value.
//
// With a schema, each value is read as the type the schema gives it: a
// string is a decimal, ipaddr, datetime or duration where that type is
// expected (so is {"fn", "arg"} without the `__extn` wrapper), a
// {"type", "id"} object is an entity where an entity type is expected,
// records must have their required attributes and, unless open, no others,
// and a value of another type is an error.
//
// Every error is reported as "<source>:<line>:<col>: error: <message>" plus
// the source line and a caret, the message prefixed with where the value
// sits ("in entity `User::\"alice\"`, attribute `address.zip`: ...").
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_JSONVALUECONVERTER_H
#define RUNE_RUNTIME_JSONVALUECONVERTER_H

#include "rune/Runtime/Arena.h"
#include "rune/Runtime/Json.h"
#include "rune/Runtime/Schema.h"
#include "rune/Runtime/SymbolTable.h"
#include "rune/Runtime/Value.h"

#include <string>
#include <string_view>
#include <vector>

namespace rune {

class JsonValueConverter {
public:
  /// What the values being converted belong to, for error messages.
  enum class Root { EntityAttributes, EntityTags, Context };

  /// `schema` may be null; the typed conversions need one.
  JsonValueConverter(std::string_view text, std::string_view sourceName,
                     SymbolTable &symbols, Arena &arena, const Schema *schema,
                     std::string &error);

  void setRoot(Root newRoot) { root = newRoot; }
  /// The entity being converted, as `User::"alice"` (empty: none).
  void setEntity(std::string name) { entityName = std::move(name); }
  /// Record keys from the root down; "[]" stands for a set element.
  std::vector<std::string> &path() { return currentPath; }

  /// Reports a syntax error of the JSON text.
  bool syntaxError(const json::ParseError &parseError);
  /// Reports `message` at `offset`, prefixed with the current entity and
  /// attribute path. Always returns false.
  bool fail(size_t offset, std::string_view message);

  /// A value without a schema type.
  bool convertValue(const json::Node &node, Value &out);
  /// An object without a schema type as a record.
  bool convertRecord(const json::Node &node, Value &out);
  /// A value of schema type `type`.
  bool convertTyped(const json::Node &node, uint32_t type, Value &out);
  /// An object as a record of schema type `recordType`.
  bool convertTypedRecord(const json::Node &node, uint32_t recordType,
                          Value &out);
  /// An entity uid: {"type": .., "id": ..} or {"__entity": {...}}. `what`
  /// names it in messages ("an entity uid", "a parent uid").
  bool convertUid(const json::Node &node, const EntityUidData *&out,
                  std::string_view what);
  /// With a schema: the id of an entity of an enumerated type must be one
  /// of the type's ids.
  bool checkEnumeratedId(const EntityUidData &uid, size_t offset);

private:
  bool checkLength(const json::Node &node);
  bool convertObject(const json::Node &node, Value &out);
  bool convertExtensionEscape(const json::Node &node, Value &out);
  /// The value of an `__extn` body: {"fn", "arg": string} or {"fn", "args":
  /// [values]}; `typeName` receives the extension type it produces.
  bool evaluateExtensionCall(const json::Node &node, std::string_view &typeName,
                             Value &out);
  /// Reads {"fn", "arg"}: the name of the extension type and the argument.
  bool readExtensionCall(const json::Node &node, std::string_view &typeName,
                         const json::Node *&argument);
  bool convertExtension(const json::Node &at, std::string_view typeName,
                        Value &out);
  bool typeMismatch(const json::Node &node, uint32_t type);

  std::string_view text;
  std::string_view sourceName;
  SymbolTable &symbols;
  Arena &arena;
  const Schema *schema;
  std::string &error;
  Root root = Root::Context;
  std::string entityName;
  std::vector<std::string> currentPath;
};

} // namespace rune

#endif // RUNE_RUNTIME_JSONVALUECONVERTER_H
