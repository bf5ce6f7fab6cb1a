//===- TestCommand.cpp - rune-run test: Cedar integration tests -----------===//
//
// Runs tests in the Cedar integration-test format: each test names a policy
// file, an entities file and a schema (paths relative to --root), says
// whether the policies validate against the schema, and lists requests with
// the expected decision, reasons and errors (policy ids, compared as sets).
//
// Each policy set is compiled once through the rune dialect and run through
// the bytecode interpreter and/or native code. Native code is compiled in
// process (NativeJIT) from the same LLVM IR `runec --emit=obj` produces, so
// thousands of policy sets run natively without linking an executable each.
//
//===----------------------------------------------------------------------===//

#include "TestCommand.h"

#include "rune/Driver/Compiler.h"
#include "rune/Target/Native/NativeJIT.h"
#include "rune/rune.h"
#include "rune/rune_native.h"

#include "llvm/Support/raw_ostream.h"

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

namespace fs = std::filesystem;
namespace po = boost::program_options;

namespace rune::cli {
namespace {

enum class Backend { Bytecode, Native };

const char *backendName(Backend backend) {
  return backend == Backend::Bytecode ? "bytecode" : "native";
}

/// Owns a C API object and frees it with `Free`.
template <typename T, void (*Free)(T *)> struct Owned {
  T *ptr = nullptr;
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
};
using OwnedModule = Owned<rune_module, rune_module_free>;
using OwnedEntities = Owned<rune_entities, rune_entities_free>;
using OwnedRequest = Owned<rune_request, rune_request_free>;
using OwnedResponse = Owned<rune_response, rune_response_free>;

std::string takeError(char *error) {
  std::string message = error ? error : "unknown error";
  rune_string_free(error);
  return message;
}

/// Writes an entity uid in Cedar's syntax, escaping the id so that any
/// string (quotes, backslashes, NUL, control characters) survives.
std::string cedarUid(const nlohmann::json &uid) {
  std::string text = uid.at("type").get<std::string>() + "::\"";
  for (unsigned char c : uid.at("id").get<std::string>()) {
    switch (c) {
    case '"':
      text += "\\\"";
      break;
    case '\\':
      text += "\\\\";
      break;
    case '\n':
      text += "\\n";
      break;
    case '\r':
      text += "\\r";
      break;
    case '\t':
      text += "\\t";
      break;
    case '\0':
      text += "\\0";
      break;
    default:
      if (c < 0x20 || c == 0x7f)
        text += fmt::format("\\u{{{:x}}}", c);
      else
        text += static_cast<char>(c);
    }
  }
  return text + "\"";
}

std::string joinSet(const std::set<std::string> &items) {
  std::string text = "{";
  for (const std::string &item : items)
    text += (text.size() > 1 ? ", " : "") + item;
  return text + "}";
}

struct Outcome {
  bool allow = false;
  std::set<std::string> reasons;
  std::set<std::string> errors;
  std::vector<std::string> errorMessages;
};

class TestRunner {
public:
  TestRunner(fs::path root, std::vector<Backend> backends, bool verbose)
      : root(std::move(root)), backends(std::move(backends)),
        verbose(verbose), engine(rune_engine_create()) {}
  ~TestRunner() {
    entityCache.clear();
    rune_engine_free(engine);
  }

  bool initialize(std::string &error) {
    for (Backend backend : backends) {
      if (backend != Backend::Native)
        continue;
      llvm::Expected<std::unique_ptr<NativeJIT>> created = NativeJIT::create();
      if (!created) {
        error = llvm::toString(created.takeError());
        return false;
      }
      jit = std::move(*created);
    }
    return true;
  }

  void runFile(const fs::path &path);
  void runPath(const fs::path &path);

  int finish() {
    if (validationChecked != 0)
      std::cout << fmt::format("shouldValidate: {} agree, {} disagree\n",
                               validationChecked - validationDisagreements,
                               validationDisagreements);
    std::cout << fmt::format("{} passed, {} failed\n", passed, failed);
    return failed == 0 && validationDisagreements == 0 ? 0 : 1;
  }

private:
  fs::path resolve(const std::string &relative) const {
    fs::path path(relative);
    return path.is_absolute() ? path : root / path;
  }

  rune_entities *entitiesFor(const fs::path &path, std::string &error);
  bool compileModules(const fs::path &policies,
                      std::map<Backend, OwnedModule> &modules,
                      std::string &error);
  bool decide(rune_module *module, rune_entities *entities,
              const nlohmann::json &request, Outcome &outcome,
              std::string &error);
  void report(const std::string &line) { std::cout << line << "\n"; }

  fs::path root;
  std::vector<Backend> backends;
  bool verbose;
  rune_engine *engine;
  std::unique_ptr<NativeJIT> jit;
  unsigned jitModules = 0;
  std::map<std::string, OwnedEntities> entityCache;
  unsigned passed = 0, failed = 0;
  unsigned validationChecked = 0, validationDisagreements = 0;
};

rune_entities *TestRunner::entitiesFor(const fs::path &path,
                                       std::string &error) {
  auto found = entityCache.find(path.string());
  if (found != entityCache.end())
    return found->second.get();
  rune_entities *entities = nullptr;
  char *message = nullptr;
  if (rune_entities_load_file(engine, path.c_str(), &entities, &message) !=
      RUNE_OK) {
    error = takeError(message);
    return nullptr;
  }
  return entityCache.emplace(path.string(), OwnedEntities(entities))
      .first->second.get();
}

bool TestRunner::compileModules(const fs::path &policies,
                                std::map<Backend, OwnedModule> &modules,
                                std::string &error) {
  std::string diagnostics;
  llvm::raw_string_ostream diagnosticStream(diagnostics);
  Compiler compiler(diagnosticStream);
  mlir::OwningOpRef<mlir::ModuleOp> module = compiler.loadSource(policies.string());
  if (!module || mlir::failed(compiler.optimize(*module))) {
    error = "does not compile:\n" + diagnostics;
    return false;
  }
  for (Backend backend : backends) {
    rune_module *loaded = nullptr;
    char *message = nullptr;
    if (backend == Backend::Bytecode) {
      std::vector<uint8_t> bytecode;
      if (mlir::failed(compiler.emitBytecode(*module, bytecode))) {
        error = "bytecode emission failed:\n" + diagnostics;
        return false;
      }
      if (rune_module_load(engine, bytecode.data(), bytecode.size(), &loaded,
                           &message) != RUNE_OK) {
        error = "bytecode does not load: " + takeError(message);
        return false;
      }
    } else {
      std::string symbol = fmt::format("rune_test_module_{}", jitModules++);
      auto context = std::make_unique<llvm::LLVMContext>();
      std::unique_ptr<llvm::Module> llvmModule =
          compiler.emitLLVMIR(*module, *context, /*optLevel=*/2, symbol);
      if (!llvmModule) {
        error = "native code generation failed:\n" + diagnostics;
        return false;
      }
      llvm::Expected<const rune_native_module *> native =
          jit->load(std::move(llvmModule), std::move(context), symbol);
      if (!native) {
        error = "native code does not load: " +
                llvm::toString(native.takeError());
        return false;
      }
      if (rune_module_load_native(engine, *native, &loaded, &message) !=
          RUNE_OK) {
        error = "native module does not load: " + takeError(message);
        return false;
      }
    }
    modules.emplace(backend, OwnedModule(loaded));
  }
  return true;
}

bool TestRunner::decide(rune_module *module, rune_entities *entities,
                        const nlohmann::json &request, Outcome &outcome,
                        std::string &error) {
  std::string principal = cedarUid(request.at("principal"));
  std::string action = cedarUid(request.at("action"));
  std::string resource = cedarUid(request.at("resource"));
  std::string context =
      request.contains("context") ? request.at("context").dump() : "{}";
  rune_request *built = nullptr;
  char *message = nullptr;
  if (rune_request_create(engine, principal.c_str(), action.c_str(),
                          resource.c_str(), context.c_str(), &built,
                          &message) != RUNE_OK) {
    error = "invalid request: " + takeError(message);
    return false;
  }
  OwnedRequest ownedRequest(built);
  rune_response *response = nullptr;
  if (rune_authorize(module, entities, built, &response, &message) !=
      RUNE_OK) {
    error = "authorization failed: " + takeError(message);
    return false;
  }
  OwnedResponse ownedResponse(response);
  outcome.allow = rune_response_decision(response) == RUNE_ALLOW;
  for (size_t i = 0, e = rune_response_reason_count(response); i < e; ++i)
    outcome.reasons.insert(rune_response_reason(response, i));
  for (size_t i = 0, e = rune_response_error_count(response); i < e; ++i) {
    outcome.errors.insert(rune_response_error_policy(response, i));
    outcome.errorMessages.push_back(
        fmt::format("{}: {}", rune_response_error_policy(response, i),
                    rune_response_error_message(response, i)));
  }
  return true;
}

void TestRunner::runFile(const fs::path &path) {
  nlohmann::json test;
  try {
    std::ifstream in(path);
    if (!in)
      throw std::runtime_error("cannot read the file");
    test = nlohmann::json::parse(in);
  } catch (const std::exception &exception) {
    report(fmt::format("FAIL {}: not a valid test: {}", path.string(),
                       exception.what()));
    ++failed;
    return;
  }

  const nlohmann::json &requests = test.value("requests", nlohmann::json::array());
  auto failAll = [&](const std::string &why) {
    report(fmt::format("FAIL {}: {}", path.string(), why));
    failed += std::max<size_t>(requests.size(), 1);
  };

  std::map<Backend, OwnedModule> modules;
  std::string error;
  if (!compileModules(resolve(test.value("policies", "")), modules, error))
    return failAll(error);
  rune_entities *entities = entitiesFor(resolve(test.value("entities", "")), error);
  if (!entities)
    return failAll("entities: " + error);

  for (size_t index = 0; index < requests.size(); ++index) {
    const nlohmann::json &request = requests[index];
    std::string label = fmt::format("{} request {} ({})", path.string(), index,
                                    request.value("description", ""));
    bool requestPassed = true;
    try {
      bool expectAllow = request.at("decision").get<std::string>() == "allow";
      std::set<std::string> expectReasons, expectErrors;
      for (const auto &id : request.value("reason", nlohmann::json::array()))
        expectReasons.insert(id.get<std::string>());
      for (const auto &id : request.value("errors", nlohmann::json::array()))
        expectErrors.insert(id.get<std::string>());

      for (auto &[backend, module] : modules) {
        Outcome outcome;
        if (!decide(module.get(), entities, request, outcome, error)) {
          report(fmt::format("FAIL {} [{}]: {}", label, backendName(backend),
                             error));
          requestPassed = false;
          continue;
        }
        std::vector<std::string> differences;
        if (outcome.allow != expectAllow)
          differences.push_back(fmt::format(
              "decision: expected {}, got {}", expectAllow ? "allow" : "deny",
              outcome.allow ? "allow" : "deny"));
        if (outcome.reasons != expectReasons)
          differences.push_back(fmt::format("reasons: expected {}, got {}",
                                            joinSet(expectReasons),
                                            joinSet(outcome.reasons)));
        if (outcome.errors != expectErrors)
          differences.push_back(fmt::format("errors: expected {}, got {}",
                                            joinSet(expectErrors),
                                            joinSet(outcome.errors)));
        if (differences.empty())
          continue;
        requestPassed = false;
        std::string line =
            fmt::format("FAIL {} [{}]:", label, backendName(backend));
        for (const std::string &difference : differences)
          line += "\n    " + difference;
        for (const std::string &message : outcome.errorMessages)
          line += "\n    error " + message;
        report(line);
      }
    } catch (const std::exception &exception) {
      report(fmt::format("FAIL {}: malformed request: {}", label,
                         exception.what()));
      requestPassed = false;
    }
    if (requestPassed) {
      ++passed;
      if (verbose)
        report("PASS " + label);
    } else {
      ++failed;
    }
  }
}

void TestRunner::runPath(const fs::path &path) {
  if (!fs::is_directory(path))
    return runFile(path);
  std::vector<fs::path> files;
  for (const fs::directory_entry &entry : fs::directory_iterator(path)) {
    std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && entry.path().extension() == ".json" &&
        !name.ends_with(".entities.json"))
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path &file : files)
    runFile(file);
}

} // namespace

int runTest(int argc, const char *const *argv) {
  std::string rootDir = ".", backendName = "both";
  std::vector<std::string> inputs;
  po::options_description visible(
      "Usage: rune-run test [options] <test.json | directory>...\n\n"
      "Runs Cedar integration tests (decision, reasons and errors of each\n"
      "request) and ends with the line 'N passed, M failed'.\n\nOptions");
  visible.add_options()("help,h", "print this help and exit")(
      "root", po::value(&rootDir),
      "directory the paths inside the tests are relative to (default: .)")(
      "backend", po::value(&backendName),
      "bytecode, native or both (default: both)")(
      "verbose,v", "also list the requests that pass");
  po::options_description hidden;
  hidden.add_options()("input", po::value(&inputs));
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("input", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv)
                  .options(all)
                  .positional(positional)
                  .run(),
              vm);
    po::notify(vm);
  } catch (const po::error &error) {
    std::cerr << "rune-run: error: " << error.what() << " (see --help)\n";
    return 1;
  }
  if (vm.count("help")) {
    std::cout << visible << "\n";
    return 0;
  }
  std::vector<Backend> backends;
  if (backendName == "bytecode" || backendName == "both")
    backends.push_back(Backend::Bytecode);
  if (backendName == "native" || backendName == "both")
    backends.push_back(Backend::Native);
  if (backends.empty()) {
    std::cerr << "rune-run: error: --backend must be bytecode, native or both\n";
    return 1;
  }
  if (inputs.empty()) {
    std::cerr << "rune-run: error: no test files (see --help)\n";
    return 1;
  }
  TestRunner runner(rootDir, backends, vm.count("verbose") != 0);
  std::string error;
  if (!runner.initialize(error)) {
    std::cerr << "rune-run: error: " << error << "\n";
    return 1;
  }
  for (const std::string &input : inputs)
    runner.runPath(input);
  return runner.finish();
}

} // namespace rune::cli
