//===- SchemaTestUtils.h - Helpers for the schema tests ---------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_UNITTESTS_SCHEMA_SCHEMATESTUTILS_H
#define RUNE_UNITTESTS_SCHEMA_SCHEMATESTUTILS_H

#include "rune/Frontend/Cedar/Parser.h"
#include "rune/Schema/SchemaParser.h"
#include "rune/Sema/CedarSema.h"
#include "rune/Sema/CedarValidator.h"
#include "rune/Support/Diagnostics.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <optional>
#include <string>

namespace rune::schema::test {

/// Parses schemas and validates policies, capturing the diagnostics.
class SchemaTest : public ::testing::Test {
protected:
  unsigned addBuffer(llvm::StringRef text, llvm::StringRef name) {
    return sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(text, name), llvm::SMLoc());
  }

  std::optional<Schema> parseCedar(llvm::StringRef text) {
    output.clear();
    return parseCedarSchema(addBuffer(text, "schema.cedarschema"), diags);
  }

  std::optional<Schema> parseJson(llvm::StringRef text) {
    output.clear();
    return parseJsonSchema(addBuffer(text, "schema.json"), diags);
  }

  /// The resolved schema printed back, or the diagnostics if it does not
  /// parse.
  std::string summary(llvm::StringRef cedarSchema) {
    std::optional<Schema> schema = parseCedar(cedarSchema);
    if (!schema)
      return "<error: " + output + ">";
    std::string text;
    llvm::raw_string_ostream os(text);
    printSchemaSummary(os, *schema);
    return text;
  }

  /// Validates `policies` against the Cedar-format `cedarSchema`; both must
  /// parse (and the policies pass Sema).
  bool validate(llvm::StringRef cedarSchema, llvm::StringRef policies) {
    std::optional<Schema> schema = parseCedar(cedarSchema);
    EXPECT_TRUE(schema.has_value()) << output;
    if (!schema)
      return false;
    unsigned bufferId = addBuffer(policies, "policy.cedar");
    std::optional<cedar::PolicySet> policySet =
        cedar::parsePolicySet(bufferId, diags);
    EXPECT_TRUE(policySet.has_value()) << output;
    if (!policySet)
      return false;
    EXPECT_TRUE(cedar::checkPolicySet(*policySet, diags)) << output;
    return cedar::validatePolicySet(*policySet, *schema, diags);
  }

  /// True if the diagnostics contain `text`.
  bool hasDiagnostic(llvm::StringRef text) const {
    return llvm::StringRef(output).contains(text);
  }

  std::string output;
  llvm::raw_string_ostream os{output};
  llvm::SourceMgr sourceMgr;
  DiagnosticEngine diags{sourceMgr, os};
};

} // namespace rune::schema::test

#endif // RUNE_UNITTESTS_SCHEMA_SCHEMATESTUTILS_H
