//===- IntegrationTest.cpp - Cedar integration tests, loaded --------------===//

#include "IntegrationTest.h"

#include "rune/Driver/Compiler.h"
#include "rune/rune_native.h"

#include "llvm/Support/raw_ostream.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>

namespace fs = std::filesystem;

namespace rune::cli {

const char *backendName(Backend backend) {
  return backend == Backend::Bytecode ? "bytecode" : "native";
}

std::optional<std::vector<Backend>> parseBackends(const std::string &name) {
  if (name == "bytecode")
    return std::vector<Backend>{Backend::Bytecode};
  if (name == "native")
    return std::vector<Backend>{Backend::Native};
  if (name == "both")
    return std::vector<Backend>{Backend::Bytecode, Backend::Native};
  return std::nullopt;
}

std::string takeError(char *error) {
  std::string message = error ? error : "unknown error";
  rune_string_free(error);
  return message;
}

std::optional<int>
parseSuiteCommandLine(int argc, const char *const *argv, const char *usage,
                      const boost::program_options::options_description &extra,
                      SuiteCommandLine &commandLine) {
  namespace po = boost::program_options;
  std::string backendChoice = "both";
  po::options_description visible(usage);
  visible.add_options()("help,h", "print this help and exit")(
      "root", po::value(&commandLine.root),
      "directory the paths inside the tests are relative to (default: .)")(
      "backend", po::value(&backendChoice),
      "bytecode, native or both (default: both)");
  visible.add(extra);
  po::options_description hidden;
  hidden.add_options()("input", po::value(&commandLine.inputs));
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("input", -1);
  try {
    po::store(po::command_line_parser(argc, argv)
                  .options(all)
                  .positional(positional)
                  .run(),
              commandLine.options);
    po::notify(commandLine.options);
  } catch (const po::error &error) {
    std::cerr << "rune-run: error: " << error.what() << " (see --help)\n";
    return 1;
  }
  if (commandLine.options.count("help")) {
    std::cout << visible << "\n";
    return 0;
  }
  std::optional<std::vector<Backend>> backends = parseBackends(backendChoice);
  if (!backends) {
    std::cerr << "rune-run: error: --backend must be bytecode, native or "
                 "both\n";
    return 1;
  }
  commandLine.backends = *backends;
  if (commandLine.inputs.empty()) {
    std::cerr << "rune-run: error: no test files (see --help)\n";
    return 1;
  }
  return std::nullopt;
}

bool readIntegrationTest(const fs::path &file, const fs::path &root,
                         IntegrationTest &test, std::string &error) {
  try {
    std::ifstream in(file);
    if (!in) {
      error = "cannot read the file";
      return false;
    }
    nlohmann::json json = nlohmann::json::parse(in);
    auto resolve = [&](const char *key) -> fs::path {
      if (!json.contains(key) || json[key].is_null())
        return {};
      fs::path path(json.at(key).get<std::string>());
      return path.is_absolute() ? path : root / path;
    };
    test.file = file;
    test.policies = resolve("policies");
    test.entities = resolve("entities");
    test.schema = resolve("schema");
    if (json.contains("shouldValidate"))
      test.shouldValidate = json.at("shouldValidate").get<bool>();
    for (const nlohmann::json &request : json.value("requests", nlohmann::json::array())) {
      ExpectedRequest expected;
      expected.description = request.value("description", "");
      expected.json = request;
      expected.allow = request.at("decision").get<std::string>() == "allow";
      for (const auto &id : request.value("reason", nlohmann::json::array()))
        expected.reasons.insert(id.get<std::string>());
      for (const auto &id : request.value("errors", nlohmann::json::array()))
        expected.errors.insert(id.get<std::string>());
      test.requests.push_back(std::move(expected));
    }
    return true;
  } catch (const std::exception &exception) {
    error = std::string("not a valid test: ") + exception.what();
    return false;
  }
}

std::vector<fs::path> collectTestFiles(const std::vector<std::string> &inputs) {
  std::vector<fs::path> files;
  for (const std::string &input : inputs) {
    if (!fs::is_directory(input)) {
      files.emplace_back(input);
      continue;
    }
    std::vector<fs::path> found;
    for (const fs::directory_entry &entry : fs::directory_iterator(input)) {
      std::string name = entry.path().filename().string();
      if (entry.is_regular_file() && entry.path().extension() == ".json" &&
          !name.ends_with(".entities.json"))
        found.push_back(entry.path());
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

TestLoader::TestLoader(std::vector<Backend> backends)
    : backends(std::move(backends)), engine(rune_engine_create()) {}

TestLoader::~TestLoader() {
  entityCache.clear();
  rune_engine_free(engine);
}

bool TestLoader::initialize(std::string &error) {
  if (std::find(backends.begin(), backends.end(), Backend::Native) ==
      backends.end())
    return true;
  llvm::Expected<std::unique_ptr<NativeJIT>> created = NativeJIT::create();
  if (!created) {
    error = llvm::toString(created.takeError());
    return false;
  }
  jit = std::move(*created);
  return true;
}

bool TestLoader::prepare(const IntegrationTest &test, Prepared &prepared,
                         std::string &error) {
  std::string diagnostics;
  llvm::raw_string_ostream diagnosticStream(diagnostics);
  Compiler compiler(diagnosticStream);
  SourceOptions options;
  options.schemaPath = test.schema.string();
  options.validate = test.shouldValidate.has_value() && !test.schema.empty();
  mlir::OwningOpRef<mlir::ModuleOp> module =
      compiler.loadSource(test.policies.string(), options, &prepared.validates);
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
    prepared.modules.emplace(backend, OwnedModule(loaded));
  }

  // Every backend's module carries the same schema.
  const rune_schema *schema =
      rune_module_schema(prepared.modules.begin()->second.get());
  auto key = std::make_pair(test.entities.string(), test.schema.string());
  auto cached = entityCache.find(key);
  if (cached == entityCache.end()) {
    rune_entities *entities = nullptr;
    char *message = nullptr;
    if (rune_entities_load_file_with_schema(engine, schema,
                                            test.entities.c_str(), &entities,
                                            &message) != RUNE_OK) {
      error = "entities: " + takeError(message);
      return false;
    }
    cached = entityCache.emplace(key, OwnedEntities(entities)).first;
  }
  prepared.entities = cached->second.get();
  return true;
}

/// Writes an entity uid in Cedar's syntax, escaping the id so that any
/// string survives, NUL bytes included (which C strings could not carry).
static std::string cedarUid(const nlohmann::json &uid) {
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

bool TestLoader::buildRequest(const rune_module *module,
                              const ExpectedRequest &expected,
                              OwnedRequest &request, std::string &error) {
  const nlohmann::json &json = expected.json;
  try {
    std::string context = json.contains("context") ? json.at("context").dump()
                                                   : std::string("{}");
    // Requests the test does not want validated are read without schema.
    const rune_schema *schema = json.value("validateRequest", true)
                                    ? rune_module_schema(module)
                                    : nullptr;
    rune_request *built = nullptr;
    char *message = nullptr;
    std::string principal = cedarUid(json.at("principal"));
    std::string action = cedarUid(json.at("action"));
    std::string resource = cedarUid(json.at("resource"));
    if (rune_request_create_with_schema(engine, schema, principal.c_str(),
                                        action.c_str(), resource.c_str(),
                                        context.c_str(), &built,
                                        &message) != RUNE_OK) {
      error = "invalid request: " + takeError(message);
      return false;
    }
    request = OwnedRequest(built);
    return true;
  } catch (const std::exception &exception) {
    error = std::string("malformed request: ") + exception.what();
    return false;
  }
}

bool TestLoader::decide(const rune_module *module,
                        const rune_entities *entities,
                        const rune_request *request, Outcome &outcome,
                        std::string &error) {
  rune_response *response = nullptr;
  char *message = nullptr;
  if (rune_authorize(module, entities, request, &response, &message) !=
      RUNE_OK) {
    error = "authorization failed: " + takeError(message);
    return false;
  }
  OwnedResponse owned(response);
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

} // namespace rune::cli
