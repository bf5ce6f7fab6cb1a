//===- SchemaParser.cpp - Choosing a schema format ------------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Schema/SchemaParser.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace rune;
using namespace rune::schema;

SchemaFormat rune::schema::getSchemaFormatForPath(llvm::StringRef path) {
  return llvm::sys::path::extension(path).equals_insensitive(".json")
             ? SchemaFormat::Json
             : SchemaFormat::Cedar;
}

std::optional<Schema> rune::schema::parseSchema(unsigned bufferId,
                                                DiagnosticEngine &diags) {
  llvm::StringRef name =
      diags.getSourceMgr().getMemoryBuffer(bufferId)->getBufferIdentifier();
  switch (getSchemaFormatForPath(name)) {
  case SchemaFormat::Json:
    return parseJsonSchema(bufferId, diags);
  case SchemaFormat::Cedar:
    return parseCedarSchema(bufferId, diags);
  }
  return std::nullopt;
}

std::optional<Schema> rune::schema::parseSchemaFile(llvm::StringRef path,
                                                    DiagnosticEngine &diags) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/true);
  if (std::error_code ec = buffer.getError()) {
    diags.error("cannot read schema '" + path + "': " + ec.message());
    return std::nullopt;
  }
  unsigned bufferId = diags.getSourceMgr().AddNewSourceBuffer(
      std::move(*buffer), llvm::SMLoc());
  return parseSchema(bufferId, diags);
}
