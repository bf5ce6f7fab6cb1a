//===- ConformanceValidateMain.cpp - Cedar validation conformance ---------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Runs the `shouldValidate` expectations of Cedar's integration tests
// against rune's schema parsers and validator:
//
//   RuneSchemaConformance [-v] <conformance-root>...
//
// Every JSON file under a root that describes a test (an object with
// "policies", "schema" and "shouldValidate", paths relative to the root)
// is run: the schema and the policies are parsed, checked by Sema and
// validated, and the outcome is compared with shouldValidate. Mismatches
// are printed one per line (with the diagnostics under -v), followed by a
// final line "N agree, M disagree". The exit status is 0 only if every test
// agrees.
//
//===----------------------------------------------------------------------===//

#include "rune/Frontend/Cedar/Parser.h"
#include "rune/Schema/SchemaParser.h"
#include "rune/Sema/CedarSema.h"
#include "rune/Sema/CedarValidator.h"
#include "rune/Support/Diagnostics.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

using namespace rune;

namespace {

struct TestCase {
  std::string descriptor;
  std::string policies;
  std::string schema;
  bool shouldValidate = false;
};

/// The test described by the JSON file at `path`, if it describes one.
std::optional<TestCase> readTestCase(llvm::StringRef root,
                                     llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return std::nullopt;
  nlohmann::json json = nlohmann::json::parse(
      (*buffer)->getBuffer().begin(), (*buffer)->getBuffer().end(),
      /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("policies") ||
      !json.contains("schema") || !json.contains("shouldValidate") ||
      !json["policies"].is_string() || !json["schema"].is_string() ||
      !json["shouldValidate"].is_boolean())
    return std::nullopt;
  auto resolve = [&](const std::string &relative) {
    llvm::SmallString<256> full(root);
    llvm::sys::path::append(full, relative);
    return std::string(full);
  };
  return TestCase{path.str(), resolve(json["policies"]),
                  resolve(json["schema"]), json["shouldValidate"]};
}

/// Whether the test's policies validate; `log` receives the diagnostics.
bool runTest(const TestCase &test, std::string &log) {
  llvm::raw_string_ostream os(log);
  llvm::SourceMgr sourceMgr;
  DiagnosticEngine diags(sourceMgr, os);
  diags.setErrorLimit(0);
  std::optional<schema::Schema> schema =
      schema::parseSchemaFile(test.schema, diags);
  if (!schema) {
    os << "(schema rejected)\n";
    return false;
  }
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(test.policies, /*IsText=*/true);
  if (!buffer) {
    os << "cannot read " << test.policies << "\n";
    return false;
  }
  unsigned bufferId =
      sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  std::optional<cedar::PolicySet> policies =
      cedar::parsePolicySet(bufferId, diags);
  if (!policies) {
    os << "(policies rejected by the parser)\n";
    return false;
  }
  if (!cedar::checkPolicySet(*policies, diags)) {
    os << "(policies rejected by Sema)\n";
    return false;
  }
  return cedar::validatePolicySet(*policies, *schema, diags);
}

} // namespace

int main(int argc, char **argv) {
  bool verbose = false;
  std::vector<std::string> roots;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if (arg == "-v")
      verbose = true;
    else
      roots.push_back(arg.str());
  }
  if (roots.empty()) {
    llvm::errs() << "usage: " << argv[0] << " [-v] <conformance-root>...\n";
    return 2;
  }

  std::vector<TestCase> tests;
  for (const std::string &root : roots) {
    std::error_code ec;
    for (llvm::sys::fs::recursive_directory_iterator it(root, ec), end;
         it != end && !ec; it.increment(ec)) {
      llvm::StringRef path = it->path();
      if (!path.ends_with(".json") || path.ends_with(".entities.json"))
        continue;
      if (std::optional<TestCase> test = readTestCase(root, path))
        tests.push_back(std::move(*test));
    }
    if (ec) {
      llvm::errs() << "error: cannot read " << root << ": " << ec.message()
                   << "\n";
      return 2;
    }
  }
  std::sort(tests.begin(), tests.end(),
            [](const TestCase &a, const TestCase &b) {
              return a.descriptor < b.descriptor;
            });

  unsigned agree = 0, disagree = 0;
  for (const TestCase &test : tests) {
    std::string log;
    bool validates = runTest(test, log);
    if (validates == test.shouldValidate) {
      ++agree;
      continue;
    }
    ++disagree;
    llvm::outs() << "MISMATCH " << test.descriptor << ": expected "
                 << (test.shouldValidate ? "valid" : "invalid") << ", got "
                 << (validates ? "valid" : "invalid") << "\n";
    if (verbose)
      llvm::outs() << log;
  }
  llvm::outs() << agree << " agree, " << disagree << " disagree\n";
  return disagree == 0 ? 0 : 1;
}
