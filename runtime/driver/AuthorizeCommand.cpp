//===- AuthorizeCommand.cpp - The `authorize` command line ----------------===//
//
// Uses only the C API (rune.h) and header-only helpers, so the same library
// works whether the program links the static or the shared runtime (the
// shared one exports nothing else).
//
//===----------------------------------------------------------------------===//

#include "AuthorizeCommand.h"

#include "rune/Runtime/BytecodeFormat.h"
#include "rune/Runtime/SchemaSection.h"
#include "rune/Runtime/SourceDiagnostic.h"
#include "rune/rune.h"

#include <boost/program_options.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string_view>

namespace po = boost::program_options;

namespace rune::cli {

namespace {

constexpr const char *kProgramName = "rune-run";

/// A failure that ends the command with exit code 1.
struct CommandError {
  std::string message;
};

/// Messages that already carry a `file:line:col: error:` location are
/// printed as they are; the rest get the program's prefix.
void printError(const std::string &message) {
  if (message.find(": error: ") != std::string::npos)
    fmt::print(stderr, "{}\n", message);
  else
    fmt::print(stderr, "{}: error: {}\n", kProgramName, message);
}

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw CommandError{
        fmt::format("cannot open `{}`: {}", path, std::strerror(errno))};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad())
    throw CommandError{fmt::format("cannot read `{}`", path)};
  return std::move(buffer).str();
}

/// Owns a string returned through the C API's `char **error`.
struct CError {
  char *text = nullptr;
  ~CError() { rune_string_free(text); }
  std::string str() const { return text ? text : "unknown error"; }
};

template <typename T, void (*Free)(T *)> struct Deleter {
  void operator()(T *p) const { Free(p); }
};
using EnginePtr =
    std::unique_ptr<rune_engine, Deleter<rune_engine, rune_engine_free>>;
using ModulePtr =
    std::unique_ptr<rune_module, Deleter<rune_module, rune_module_free>>;
using SchemaPtr =
    std::unique_ptr<rune_schema, Deleter<rune_schema, rune_schema_free>>;
using EntitiesPtr =
    std::unique_ptr<rune_entities, Deleter<rune_entities, rune_entities_free>>;
using RequestPtr =
    std::unique_ptr<rune_request, Deleter<rune_request, rune_request_free>>;
using ResponsePtr =
    std::unique_ptr<rune_response, Deleter<rune_response, rune_response_free>>;
using DeciderPtr =
    std::unique_ptr<rune_decider, Deleter<rune_decider, rune_decider_free>>;

/// Quotes an entity id as a Cedar string literal the runtime's uid parser
/// reads back unchanged.
std::string quoteCedarString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{{{:x}}}", static_cast<unsigned>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

/// An entity uid of a request JSON file: a string in Cedar syntax, or an
/// object {"type", "id"} (optionally wrapped in "__entity").
std::string requestUid(const nlohmann::json &value, std::string_view field,
                       const std::string &path) {
  if (value.is_string())
    return value.get<std::string>();
  if (value.is_object()) {
    const nlohmann::json *body = &value;
    if (value.contains("__entity") && value.size() == 1)
      body = &value["__entity"];
    if (body->is_object() && body->size() == 2 && body->contains("type") &&
        body->contains("id") && (*body)["type"].is_string() &&
        (*body)["id"].is_string())
      return (*body)["type"].get<std::string>() +
             "::" + quoteCedarString((*body)["id"].get<std::string>());
  }
  throw CommandError{fmt::format(
      "{}: `{}` must be an entity uid: a string like \"User::\\\"alice\\\"\" "
      "or an object {{\"type\": ..., \"id\": ...}}",
      path, field)};
}

/// The message of a runtime context error without its location (which
/// refers to text the driver re-serialized, not to the user's file).
std::string withoutLocation(const std::string &message) {
  std::string firstLine = message.substr(0, message.find('\n'));
  size_t marker = firstLine.find(": error: ");
  if (marker != std::string::npos)
    return firstLine.substr(marker + 9);
  return firstLine;
}

struct RequestText {
  std::string principal, action, resource;
  std::optional<std::string> context; // JSON text
  /// How to report context errors: the --context file's path (its text is
  /// passed through unchanged, so locations stay valid) or empty.
  std::string contextPath;
  std::string requestJsonPath;
};

RequestText readRequestJson(const std::string &path) {
  std::string text = readFile(path);
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error &e) {
    std::string what = e.what();
    size_t column = what.find("column ");
    size_t detail = what.find(": ", column == std::string::npos ? 0 : column);
    std::string message =
        detail == std::string::npos ? what : what.substr(detail + 2);
    size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    throw CommandError{formatSourceDiagnostic(path, text, offset, message)};
  }
  if (!document.is_object())
    throw CommandError{
        fmt::format("{}: the request must be a JSON object", path)};
  RequestText request;
  request.requestJsonPath = path;
  for (auto &[key, value] : document.items()) {
    if (key == "principal")
      request.principal = requestUid(value, key, path);
    else if (key == "action")
      request.action = requestUid(value, key, path);
    else if (key == "resource")
      request.resource = requestUid(value, key, path);
    else if (key == "context") {
      if (!value.is_null())
        request.context = value.dump();
    } else
      throw CommandError{fmt::format(
          "{}: unexpected key `{}` (expected principal, action, resource "
          "and context)",
          path, key)};
  }
  for (auto [name, uid] : {std::pair{"principal", &request.principal},
                           std::pair{"action", &request.action},
                           std::pair{"resource", &request.resource}})
    if (uid->empty())
      throw CommandError{fmt::format("{}: missing `{}`", path, name)};
  return request;
}

ModulePtr loadPolicies(rune_engine *engine, const rune_native_module *linked,
                       const std::optional<std::string> &policiesPath,
                       const SourceCompileOptions &compileOptions,
                       const SourceCompiler &compile) {
  rune_module *module = nullptr;
  CError error;
  if (linked) {
    if (policiesPath)
      throw CommandError{"--policies cannot be used: this program's "
                         "policies are compiled in"};
    if (!compileOptions.linksPath.empty())
      throw CommandError{"--links cannot be used: this program's policies "
                         "are compiled in, with their templates linked"};
    if (rune_module_load_native(engine, linked, &module, &error.text) !=
        RUNE_OK)
      throw CommandError{error.str()};
    return ModulePtr(module);
  }
  if (!policiesPath)
    throw CommandError{"no policies given (use --policies FILE)"};
  const std::string &path = *policiesPath;
  std::string contents = readFile(path);
  std::vector<uint8_t> bytes(contents.begin(), contents.end());
  bool isBytecode =
      bytes.size() >= bc::kMagic.size() &&
      std::equal(bc::kMagic.begin(), bc::kMagic.end(), bytes.begin());
  if (isBytecode && !compileOptions.linksPath.empty())
    throw CommandError{fmt::format(
        "--links cannot be used with the bytecode file `{}`: link templates "
        "when compiling it (runec --links)",
        path)};
  if (!isBytecode) {
    if (!compile)
      throw CommandError{fmt::format(
          "`{}` is not a rune bytecode file, and this program cannot compile "
          "policy sources",
          path)};
    std::string compileError;
    bytes.clear();
    if (!compile(path, compileOptions, bytes, compileError))
      throw CommandError{compileError.empty()
                             ? fmt::format("cannot compile `{}`", path)
                             : compileError};
  }
  if (rune_module_load(engine, bytes.data(), bytes.size(), &module,
                       &error.text) != RUNE_OK)
    throw CommandError{fmt::format("{}: {}", path, error.str())};
  return ModulePtr(module);
}

/// Compiles the --schema file and loads it into the runtime, which
/// verifies it like a module's own schema.
SchemaPtr loadSchema(const std::string &path,
                     const SchemaCompiler &compileSchema) {
  if (!compileSchema)
    throw CommandError{fmt::format(
        "cannot use the schema `{}`: this program cannot compile schemas",
        path)};
  bc::SchemaInfo info;
  std::string compileError;
  if (!compileSchema(path, info, compileError))
    throw CommandError{compileError.empty()
                           ? fmt::format("cannot compile the schema `{}`", path)
                           : compileError};
  // The shared runtime exports only the C API, so the schema crosses over
  // in its bytecode encoding.
  std::vector<uint8_t> bytes = bc::encodeSchemaSection(info);
  rune_schema *schema = nullptr;
  CError error;
  if (rune_schema_load(bytes.data(), bytes.size(), &schema, &error.text) !=
      RUNE_OK)
    throw CommandError{
        fmt::format("{}: invalid schema: {}", path, error.str())};
  return SchemaPtr(schema);
}

int run(int argc, const char *const *argv, const rune_native_module *linked,
        const SourceCompiler &compile, const SchemaCompiler &compileSchema) {
  po::options_description options("Options");
  options.add_options()("help,h", "print this help and exit")(
      "policies,p", po::value<std::string>()->value_name("FILE"),
      "policies: a .rbc bytecode file or a policy source file")(
      "entities", po::value<std::string>()->value_name("FILE"),
      "entities in Cedar's JSON format (default: none)")(
      "principal,l", po::value<std::string>()->value_name("UID"),
      "the principal, e.g. 'User::\"alice\"'")(
      "action,a", po::value<std::string>()->value_name("UID"),
      "the action, e.g. 'Action::\"view\"'")(
      "resource,r", po::value<std::string>()->value_name("UID"),
      "the resource, e.g. 'Photo::\"a.jpg\"'")(
      "context,c", po::value<std::string>()->value_name("FILE"),
      "the context: a JSON object (default: {})")(
      "request-json", po::value<std::string>()->value_name("FILE"),
      "the whole request as JSON: principal, action, resource, context")(
      "links", po::value<std::string>()->value_name("FILE"),
      "Cedar template-link JSON: links the templates of a policy source")(
      "schema,s", po::value<std::string>()->value_name("FILE"),
      "a Cedar schema to read and validate entities, context and request "
      "with (default: the schema compiled into the policies, if any)")(
      "verbose,v", po::bool_switch(), "also print reasons and errors")(
      "timing,t", po::bool_switch(), "also print the time authorization took");

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(options).run(), vm);
    po::notify(vm);
  } catch (const po::error &e) {
    throw CommandError{e.what()};
  }
  if (vm.count("help")) {
    fmt::print("usage: {} [options]\n\nEvaluates an authorization request "
               "against Cedar policies and prints ALLOW or DENY.\nExit "
               "status: 0 allow, 2 deny, 1 error.\n\n",
               argc > 0 && argv[0] ? argv[0] : kProgramName);
    std::ostringstream text;
    text << options;
    fmt::print("{}", text.str());
    return 0;
  }
  auto optional = [&](const char *name) -> std::optional<std::string> {
    if (vm.count(name))
      return vm[name].as<std::string>();
    return std::nullopt;
  };

  RequestText request;
  if (auto path = optional("request-json")) {
    for (const char *flag : {"principal", "action", "resource", "context"})
      if (vm.count(flag))
        throw CommandError{
            fmt::format("--{} cannot be combined with --request-json", flag)};
    request = readRequestJson(*path);
  } else {
    for (auto [flag, slot] : {std::pair{"principal", &request.principal},
                              std::pair{"action", &request.action},
                              std::pair{"resource", &request.resource}}) {
      auto value = optional(flag);
      if (!value)
        throw CommandError{fmt::format("missing --{}", flag)};
      *slot = *value;
    }
    if (auto path = optional("context")) {
      request.context = readFile(*path);
      request.contextPath = *path;
    }
  }

  EnginePtr engine(rune_engine_create());
  if (!engine)
    throw CommandError{"cannot create the runtime engine"};
  SourceCompileOptions compileOptions;
  compileOptions.linksPath = optional("links").value_or("");
  ModulePtr module = loadPolicies(engine.get(), linked, optional("policies"),
                                  compileOptions, compile);

  // As Cedar's CLI: a schema given on the command line is the one the data
  // is read with; otherwise the one the policies were compiled with.
  SchemaPtr givenSchema;
  const rune_schema *schema = rune_module_schema(module.get());
  if (auto path = optional("schema")) {
    givenSchema = loadSchema(*path, compileSchema);
    schema = givenSchema.get();
  }

  EntitiesPtr entities;
  if (auto path = optional("entities")) {
    std::string text = readFile(*path);
    rune_entities *loaded = nullptr;
    CError error;
    if (rune_entities_parse_json_with_schema(engine.get(), schema, text.data(),
                                             text.size(), path->c_str(),
                                             &loaded, &error.text) != RUNE_OK)
      throw CommandError{error.str()};
    entities.reset(loaded);
  } else if (schema) {
    // The schema's action entities, with their hierarchy.
    rune_entities *loaded = nullptr;
    CError error;
    if (rune_entities_parse_json_with_schema(engine.get(), schema, "[]", 2,
                                             "<no entities>", &loaded,
                                             &error.text) != RUNE_OK)
      throw CommandError{error.str()};
    entities.reset(loaded);
  } else {
    entities.reset(rune_entities_create_empty(engine.get()));
    if (!entities)
      throw CommandError{"cannot create an empty entity store"};
  }

  rune_request *built = nullptr;
  {
    CError error;
    if (rune_request_create_with_schema(
            engine.get(), schema, request.principal.c_str(),
            request.action.c_str(), request.resource.c_str(),
            request.context ? request.context->c_str() : nullptr, &built,
            &error.text) != RUNE_OK) {
      std::string message = error.str();
      // The runtime names the context JSON "context" in its diagnostics.
      if (message.rfind("context:", 0) == 0) {
        if (!request.contextPath.empty())
          message = request.contextPath + message.substr(7);
        else
          message =
              fmt::format("{}: invalid context: {}", request.requestJsonPath,
                          withoutLocation(message));
      } else if (!request.requestJsonPath.empty()) {
        message = request.requestJsonPath + ": " + message;
      }
      throw CommandError{message};
    }
  }
  RequestPtr requestHandle(built);

  // Decisions go through a decider: for a module compiled from a .rune
  // file its rules' deny_*/allow_* relations decide with the Cedar
  // policies (a Cedar-only decision could allow what a rule denies); for
  // any other module it decides exactly as rune_authorize.
  rune_decider *createdDecider = nullptr;
  CError deciderError;
  if (rune_decider_create(module.get(), entities.get(), &createdDecider,
                          &deciderError.text) != RUNE_OK)
    throw CommandError{deciderError.str()};
  DeciderPtr decider(createdDecider);

  rune_response *answered = nullptr;
  CError error;
  auto start = std::chrono::steady_clock::now();
  rune_status status =
      rune_decide(decider.get(), requestHandle.get(), &answered, &error.text);
  auto elapsed = std::chrono::steady_clock::now() - start;
  if (status != RUNE_OK)
    throw CommandError{error.str()};
  ResponsePtr response(answered);

  bool allow = rune_response_decision(response.get()) == RUNE_ALLOW;
  std::string out = allow ? "ALLOW\n" : "DENY\n";
  if (vm["verbose"].as<bool>()) {
    for (size_t i = 0; i < rune_response_reason_count(response.get()); ++i)
      out +=
          fmt::format("reason: {}\n", rune_response_reason(response.get(), i));
    for (size_t i = 0; i < rune_response_error_count(response.get()); ++i)
      out += fmt::format("error: {}: {}\n",
                         rune_response_error_policy(response.get(), i),
                         rune_response_error_message(response.get(), i));
  }
  if (vm["timing"].as<bool>())
    out += fmt::format(
        "time: {} us\n",
        std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count());
  fmt::print("{}", out);
  std::fflush(stdout);
  return allow ? 0 : 2;
}

} // namespace

int runAuthorize(int argc, const char *const *argv,
                 const rune_native_module *linked,
                 const SourceCompiler &compile,
                 const SchemaCompiler &compileSchema) {
  try {
    return run(argc, argv, linked, compile, compileSchema);
  } catch (const CommandError &e) {
    printError(e.message);
  } catch (const std::exception &e) {
    printError(e.what());
  }
  return 1;
}

} // namespace rune::cli
