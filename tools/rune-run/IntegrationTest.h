//===- IntegrationTest.h - Cedar integration tests, loaded ------*- C++ -*-===//
//
// Loads tests in the Cedar integration-test format (policies, entities and
// schema paths relative to a root, `shouldValidate`, requests with expected
// decisions) and prepares them to run: the policy set compiled through the
// rune dialect into a bytecode module and/or a native module (compiled in
// process by NativeJIT), the entities and the requests read with the schema.
// Shared by `rune-run test` (conformance) and `rune-run bench` (speed).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_TOOLS_RUNE_RUN_INTEGRATIONTEST_H
#define RUNE_TOOLS_RUNE_RUN_INTEGRATIONTEST_H

#include "rune/Target/Native/NativeJIT.h"
#include "rune/rune.h"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace rune::cli {

enum class Backend { Bytecode, Native };
const char *backendName(Backend backend);
/// Parses "bytecode", "native" or "both".
std::optional<std::vector<Backend>> parseBackends(const std::string &name);

/// Owns a C API object and frees it with `Free`.
template <typename T, void (*Free)(T *)> class Owned {
public:
  Owned() = default;
  explicit Owned(T *ptr) : ptr(ptr) {}
  Owned(Owned &&other) noexcept : ptr(std::exchange(other.ptr, nullptr)) {}
  Owned &operator=(Owned &&other) noexcept {
    std::swap(ptr, other.ptr);
    return *this;
  }
  ~Owned() {
    if (ptr)
      Free(ptr);
  }
  T *get() const { return ptr; }

private:
  T *ptr = nullptr;
};
using OwnedModule = Owned<rune_module, rune_module_free>;
using OwnedEntities = Owned<rune_entities, rune_entities_free>;
using OwnedRequest = Owned<rune_request, rune_request_free>;
using OwnedResponse = Owned<rune_response, rune_response_free>;

/// Takes ownership of a C API error message.
std::string takeError(char *error);

struct ExpectedRequest {
  std::string description;
  nlohmann::json json; // principal, action, resource, context
  bool allow = false;
  std::set<std::string> reasons;
  std::set<std::string> errors;
};

struct IntegrationTest {
  std::filesystem::path file;
  std::filesystem::path policies, entities, schema;
  std::optional<bool> shouldValidate;
  std::vector<ExpectedRequest> requests;
};

/// The command line shared by the commands that run integration tests:
/// `--root`, `--backend`, `--help` and the test files or directories.
struct SuiteCommandLine {
  std::string root = ".";
  std::vector<Backend> backends;
  std::vector<std::string> inputs;
  boost::program_options::variables_map options;
};

/// Parses `argv` with the suite options plus `extra` (documented under
/// `usage`). Returns an exit code when the command should stop here (help
/// printed: 0; bad arguments reported: 1), nothing when it should go on.
std::optional<int>
parseSuiteCommandLine(int argc, const char *const *argv, const char *usage,
                      const boost::program_options::options_description &extra,
                      SuiteCommandLine &commandLine);

/// Reads one test file; paths inside are resolved against `root`.
bool readIntegrationTest(const std::filesystem::path &file,
                         const std::filesystem::path &root,
                         IntegrationTest &test, std::string &error);

/// Test files named on the command line: files as given, directories
/// expanded to their *.json files (except *.entities.json), sorted.
std::vector<std::filesystem::path>
collectTestFiles(const std::vector<std::string> &inputs);

/// What a decision came to, as the tests state it.
struct Outcome {
  bool allow = false;
  std::set<std::string> reasons;
  std::set<std::string> errors;
  std::vector<std::string> errorMessages;
};

/// Compiles policy sets and loads their data for the chosen backends.
class TestLoader {
public:
  explicit TestLoader(std::vector<Backend> backends);
  ~TestLoader();

  bool initialize(std::string &error);
  const std::vector<Backend> &getBackends() const { return backends; }

  struct Prepared {
    std::map<Backend, OwnedModule> modules;
    /// Whether the policies validate against the schema (when checked).
    std::optional<bool> validates;
    /// Read with the schema the modules were compiled with.
    rune_entities *entities = nullptr;
  };

  /// Compiles the test's policies (with its schema) for every backend and
  /// loads its entities. Compiler diagnostics go into `error`.
  bool prepare(const IntegrationTest &test, Prepared &prepared,
               std::string &error);

  /// Builds the request of `expected` against `module`'s schema.
  bool buildRequest(const rune_module *module, const ExpectedRequest &expected,
                    OwnedRequest &request, std::string &error);

  /// Decides `request` and reads the outcome.
  bool decide(const rune_module *module, const rune_entities *entities,
              const rune_request *request, Outcome &outcome,
              std::string &error);

private:
  std::vector<Backend> backends;
  rune_engine *engine;
  std::unique_ptr<NativeJIT> jit;
  unsigned jitModules = 0;
  /// Entities by (entities file, schema file): hand-written tests share them.
  std::map<std::pair<std::string, std::string>, OwnedEntities> entityCache;
};

} // namespace rune::cli

#endif // RUNE_TOOLS_RUNE_RUN_INTEGRATIONTEST_H
