//===- SchemaParser.h - Parsing Cedar schemas -------------------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Entry points turning schema source into a resolved Schema. Both formats go
// through the same resolution (name qualification, common type inlining,
// hierarchy checks), so they accept the same schemas modulo syntax. Every
// problem is reported to the DiagnosticEngine with its location, and a
// malformed schema yields nullopt rather than a partial schema.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_SCHEMA_SCHEMAPARSER_H
#define RUNE_SCHEMA_SCHEMAPARSER_H

#include "rune/Schema/Schema.h"
#include "rune/Support/Diagnostics.h"

#include "llvm/ADT/StringRef.h"

#include <optional>

namespace rune::schema {

/// Parses buffer `bufferId` of the diagnostics' SourceMgr as a schema in
/// the Cedar schema format (`entity User in [Group] { ... };`).
std::optional<Schema> parseCedarSchema(unsigned bufferId,
                                       DiagnosticEngine &diags);

/// Parses buffer `bufferId` as a schema in Cedar's JSON schema format.
std::optional<Schema> parseJsonSchema(unsigned bufferId,
                                      DiagnosticEngine &diags);

enum class SchemaFormat { Cedar, Json };

/// The format of a schema file by its name: `.json` is the JSON format and
/// anything else (normally `.cedarschema`) the Cedar format, as in Cedar's
/// own tools.
SchemaFormat getSchemaFormatForPath(llvm::StringRef path);

/// Parses buffer `bufferId` in the format its buffer identifier (the file
/// name) implies.
std::optional<Schema> parseSchema(unsigned bufferId, DiagnosticEngine &diags);

/// Reads the file at `path` into the diagnostics' SourceMgr and parses it in
/// the format its name implies; reports an error if it cannot be read.
std::optional<Schema> parseSchemaFile(llvm::StringRef path,
                                      DiagnosticEngine &diags);

} // namespace rune::schema

#endif // RUNE_SCHEMA_SCHEMAPARSER_H
