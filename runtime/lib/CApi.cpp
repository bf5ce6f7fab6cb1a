//===- CApi.cpp - The C API of rune.h -------------------------------------===//
//
// Each C object wraps its C++ counterpart. Every entry point catches all
// exceptions (allocation failure is the only one the runtime can raise) and
// rejects null arguments, so no input, however bad, crashes the caller.
//
//===----------------------------------------------------------------------===//

// Seen first and with default visibility: these are the library's exports.
#pragma GCC visibility push(default)
#include "rune/rune.h"
#include "rune/rune_native.h"
#pragma GCC visibility pop

#include "rune/Runtime/Authorizer.h"
#include "rune/Runtime/BytecodeReader.h"
#include "rune/Runtime/EntityStore.h"
#include "rune/Runtime/InstructionDecoder.h"
#include "rune/Runtime/JsonData.h"
#include "rune/Runtime/Module.h"
#include "rune/Runtime/NativeAuthorizer.h"
#include "rune/Runtime/Request.h"
#include "rune/Runtime/RuneDecision.h"
#include "rune/Runtime/Schema.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <new>
#include <sstream>
#include <string>
#include <vector>

struct rune_engine {
  std::shared_ptr<rune::Engine> engine;
};

struct rune_schema {
  std::shared_ptr<const rune::Schema> schema;
};

using PolicyIds = std::vector<std::string>;

struct rune_module {
  explicit rune_module(std::unique_ptr<rune::LoadedModule> loaded)
      : module(std::move(loaded)) {
    // Ids are not NUL-terminated inside the bytecode.
    auto ids = std::make_shared<PolicyIds>();
    for (size_t i = 0; i < module->policyCount(); ++i)
      ids->emplace_back(module->policyId(i));
    policyIds = std::move(ids);
    if (module->schema())
      schema = std::make_unique<rune_schema>(rune_schema{module->schema()});
  }
  std::unique_ptr<rune::LoadedModule> module;
  /// Shared with the responses of rune_authorize, which name their reasons
  /// by index: a response stays readable after its module is freed.
  std::shared_ptr<const PolicyIds> policyIds;
  std::unique_ptr<rune_schema> schema; // null when the module has none
};

struct rune_entities {
  std::unique_ptr<rune::EntityStore> store;
};

struct rune_request {
  std::unique_ptr<rune::Request> request;
  /// Requests are single-threaded by contract, so the scratch memory reused
  /// by every authorization of this request can live here.
  rune::EvalScratch scratch;
};

/// rune_authorize's responses keep the deciding policies as indices into
/// the module's ids (`indexed`, `policyIds` set); rune_decide's, which also
/// name relations, keep strings (`response`, `policyIds` null).
struct rune_response {
  rune::Response response;
  rune::IndexedResponse indexed;
  std::shared_ptr<const PolicyIds> policyIds;

  const std::vector<rune::PolicyError> &errors() const {
    return policyIds ? indexed.errors : response.errors;
  }
};

namespace {

/// Stores a malloc'ed copy of `message` in *error when error is not null.
void setError(char **error, const std::string &message) {
  if (!error)
    return;
  *error = nullptr;
  char *copy = static_cast<char *>(std::malloc(message.size() + 1));
  if (!copy)
    return;
  std::memcpy(copy, message.c_str(), message.size() + 1);
  *error = copy;
}

/// One spare response per thread, reused by rune_authorize.
struct ResponseCache {
  std::unique_ptr<rune_response> spare;
};

ResponseCache &responseCache() {
  // initial-exec: no __tls_get_addr, so no dependency on the dynamic loader
  // (the footprint test); one pointer fits in the static TLS surplus.
  thread_local ResponseCache cache __attribute__((tls_model("initial-exec")));
  return cache;
}

// Inline: as a call of its own it cost about 12 instructions per decision.
[[gnu::always_inline]] inline std::unique_ptr<rune_response>
takeCachedResponse() {
  ResponseCache &cache = responseCache();
  if (cache.spare)
    return std::move(cache.spare);
  return std::make_unique<rune_response>();
}

/// rune_response_free's other cases: rune_decide's responses are cleared
/// before they are kept; when a response is kept already, this one is
/// freed.
[[gnu::noinline]] void keepOrFreeResponse(rune_response *response) {
  ResponseCache &cache = responseCache();
  if (cache.spare) {
    delete response;
    return;
  }
  response->response.reasons.clear();
  response->response.errors.clear();
  cache.spare.reset(response);
}

rune_status failWith(char **error, rune_status status,
                     const std::string &message) {
  setError(error, message);
  return status;
}

/// Runs `body`, mapping exceptions to RUNE_ERROR_INVALID_INPUT.
template <typename Body> rune_status guarded(char **error, Body body) {
  if (error)
    *error = nullptr;
  try {
    return body();
  } catch (const std::bad_alloc &) {
    return failWith(error, RUNE_ERROR_INVALID_INPUT, "out of memory");
  } catch (const std::exception &e) {
    return failWith(error, RUNE_ERROR_INVALID_INPUT,
                    std::string("internal error: ") + e.what());
  } catch (...) {
    return failWith(error, RUNE_ERROR_INVALID_INPUT, "internal error");
  }
}

const rune::Schema *schemaOf(const rune_schema *schema) {
  return schema ? schema->schema.get() : nullptr;
}

rune_status parseEntities(rune_engine *engine, const rune_schema *schema,
                          const char *json, size_t size, const char *sourceName,
                          rune_entities **out, char **error,
                          const char *function) {
  if (!engine || !out || (!json && size != 0))
    return failWith(error, RUNE_ERROR_INVALID_INPUT,
                    std::string(function) + ": null argument");
  *out = nullptr;
  auto store = std::make_unique<rune::EntityStore>(engine->engine);
  std::string message;
  if (!rune::parseEntitiesJson(std::string_view(json ? json : "", size),
                               sourceName ? sourceName : "<entities>", *store,
                               message, schemaOf(schema)))
    return failWith(error, RUNE_ERROR_INVALID_INPUT, message);
  *out = new rune_entities{std::move(store)};
  return RUNE_OK;
}

/// A null context is the empty record; an empty string is not JSON.
bool checkContext(const char *contextJson, char **error) {
  if (contextJson && !*contextJson) {
    setError(error, "context: empty JSON text");
    return false;
  }
  return true;
}

/// Wraps a request that `build` fills in.
template <typename Build>
rune_status createRequest(rune_engine *engine, rune_request **out, char **error,
                          Build build) {
  auto request = std::make_unique<rune::Request>(engine->engine);
  std::string message;
  if (!build(*request, message))
    return failWith(error, RUNE_ERROR_INVALID_INPUT, message);
  *out = new rune_request{std::move(request), {}};
  return RUNE_OK;
}

bool readFile(const char *path, std::string &contents, std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::string(path) + ": cannot open file: " + std::strerror(errno);
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    error = std::string(path) + ": read error";
    return false;
  }
  contents = std::move(buffer).str();
  return true;
}

rune_status loadEntitiesFile(rune_engine *engine, const rune_schema *schema,
                             const char *path, rune_entities **out,
                             char **error, const char *function) {
  if (!engine || !path || !out)
    return failWith(error, RUNE_ERROR_INVALID_INPUT,
                    std::string(function) + ": null argument");
  *out = nullptr;
  std::string contents, message;
  if (!readFile(path, contents, message))
    return failWith(error, RUNE_ERROR_IO, message);
  return parseEntities(engine, schema, contents.data(), contents.size(), path,
                       out, error, function);
}

} // namespace

extern "C" {

const char *rune_version(void) { return "0.1.0"; }

void rune_string_free(char *s) { std::free(s); }

rune_engine *rune_engine_create(void) {
  try {
    return new rune_engine{std::make_shared<rune::Engine>()};
  } catch (...) {
    return nullptr;
  }
}

void rune_engine_free(rune_engine *engine) { delete engine; }

rune_status rune_module_load(rune_engine *engine, const uint8_t *data,
                             size_t size, rune_module **out, char **error) {
  return guarded(error, [&] {
    if (!engine || !out || (!data && size != 0))
      return failWith(error, RUNE_ERROR_INVALID_INPUT,
                      "rune_module_load: null argument");
    *out = nullptr;
    std::string message;
    std::unique_ptr<rune::LoadedModule> module =
        rune::LoadedModule::load(engine->engine, data, size, message);
    if (!module)
      return failWith(error, RUNE_ERROR_INVALID_INPUT, message);
    *out = new rune_module(std::move(module));
    return RUNE_OK;
  });
}

rune_status rune_module_load_file(rune_engine *engine, const char *path,
                                  rune_module **out, char **error) {
  return guarded(error, [&] {
    if (!engine || !path || !out)
      return failWith(error, RUNE_ERROR_INVALID_INPUT,
                      "rune_module_load_file: null argument");
    *out = nullptr;
    std::string contents, message;
    if (!readFile(path, contents, message))
      return failWith(error, RUNE_ERROR_IO, message);
    std::unique_ptr<rune::LoadedModule> module = rune::LoadedModule::load(
        engine->engine, reinterpret_cast<const uint8_t *>(contents.data()),
        contents.size(), message);
    if (!module)
      return failWith(error, RUNE_ERROR_INVALID_INPUT,
                      std::string(path) + ": " + message);
    *out = new rune_module(std::move(module));
    return RUNE_OK;
  });
}

unsigned rune_bytecode_contents(const uint8_t *data, size_t size) {
  if (!data)
    return 0;
  try {
    // The section table says what the module holds; loading it verifies
    // the rest, so it is not decoded twice.
    rune::bc::Module layout;
    std::string error;
    if (!rune::bc::readLayout(data, size, layout, error))
      return 0;
    bool ipe = false, datalog = false;
    uint32_t policyCount = 0;
    for (const rune::bc::SectionEntry &section : layout.sections) {
      switch (section.kind) {
      case rune::bc::SectionKind::IpeModule:
        ipe = true;
        break;
      case rune::bc::SectionKind::DatalogCode:
        datalog = true;
        break;
      case rune::bc::SectionKind::Policies:
        if (section.size >= 4)
          policyCount = rune::bc::loadU32(layout.bytes.get() + section.offset);
        break;
      default:
        break;
      }
    }
    unsigned contents = 0;
    if (ipe)
      contents |= RUNE_HOLDS_IPE;
    if (datalog)
      contents |= RUNE_HOLDS_DATALOG;
    if (!ipe && (policyCount != 0 || !datalog))
      contents |= RUNE_HOLDS_CEDAR;
    return contents;
  } catch (...) {
    return 0; // allocation failure
  }
}

rune_status rune_module_load_native(rune_engine *engine,
                                    const rune_native_module *native,
                                    rune_module **out, char **error) {
  return guarded(error, [&] {
    if (!engine || !native || !out)
      return failWith(error, RUNE_ERROR_INVALID_INPUT,
                      "rune_module_load_native: null argument");
    *out = nullptr;
    std::string message;
    std::unique_ptr<rune::LoadedModule> module =
        rune::LoadedModule::loadNative(engine->engine, native, message);
    if (!module)
      return failWith(error, RUNE_ERROR_INVALID_INPUT, message);
    *out = new rune_module(std::move(module));
    return RUNE_OK;
  });
}

void rune_module_free(rune_module *module) { delete module; }

size_t rune_module_policy_count(const rune_module *module) {
  return module ? module->module->policyCount() : 0;
}

const char *rune_module_policy_id(const rune_module *module, size_t index) {
  if (!module || index >= module->module->policyCount())
    return nullptr;
  return (*module->policyIds)[index].c_str();
}

const rune_schema *rune_module_schema(const rune_module *module) {
  return module ? module->schema.get() : nullptr;
}

rune_status rune_schema_load(const uint8_t *data, size_t size,
                             rune_schema **out, char **error) {
  return guarded(error, [&] {
    if (!out || (!data && size != 0))
      return failWith(error, RUNE_ERROR_INVALID_INPUT,
                      "rune_schema_load: null argument");
    *out = nullptr;
    std::string message;
    std::shared_ptr<const rune::Schema> schema =
        rune::Schema::load(data, size, message);
    if (!schema)
      return failWith(error, RUNE_ERROR_INVALID_INPUT, message);
    *out = new rune_schema{std::move(schema)};
    return RUNE_OK;
  });
}

void rune_schema_free(rune_schema *schema) { delete schema; }

rune_status rune_entities_parse_json(rune_engine *engine, const char *json,
                                     size_t size, const char *source_name,
                                     rune_entities **out, char **error) {
  return guarded(error, [&] {
    return parseEntities(engine, nullptr, json, size, source_name, out, error,
                         "rune_entities_parse_json");
  });
}

rune_status rune_entities_parse_json_with_schema(
    rune_engine *engine, const rune_schema *schema, const char *json,
    size_t size, const char *source_name, rune_entities **out, char **error) {
  return guarded(error, [&] {
    return parseEntities(engine, schema, json, size, source_name, out, error,
                         "rune_entities_parse_json_with_schema");
  });
}

rune_status rune_entities_load_file(rune_engine *engine, const char *path,
                                    rune_entities **out, char **error) {
  return guarded(error, [&] {
    return loadEntitiesFile(engine, nullptr, path, out, error,
                            "rune_entities_load_file");
  });
}

rune_status rune_entities_load_file_with_schema(rune_engine *engine,
                                                const rune_schema *schema,
                                                const char *path,
                                                rune_entities **out,
                                                char **error) {
  return guarded(error, [&] {
    return loadEntitiesFile(engine, schema, path, out, error,
                            "rune_entities_load_file_with_schema");
  });
}

rune_entities *rune_entities_create_empty(rune_engine *engine) {
  if (!engine)
    return nullptr;
  try {
    auto store = std::make_unique<rune::EntityStore>(engine->engine);
    store->finalize();
    return new rune_entities{std::move(store)};
  } catch (...) {
    return nullptr;
  }
}

void rune_entities_free(rune_entities *entities) { delete entities; }

rune_status rune_request_create(rune_engine *engine, const char *principal,
                                const char *action, const char *resource,
                                const char *context_json, rune_request **out,
                                char **error) {
  return rune_request_create_with_schema(engine, nullptr, principal, action,
                                         resource, context_json, out, error);
}

rune_status
rune_request_create_with_schema(rune_engine *engine, const rune_schema *schema,
                                const char *principal, const char *action,
                                const char *resource, const char *context_json,
                                rune_request **out, char **error) {
  return guarded(error, [&] {
    if (!engine || !principal || !action || !resource || !out)
      return failWith(error, RUNE_ERROR_INVALID_INPUT,
                      schema ? "rune_request_create_with_schema: null argument"
                             : "rune_request_create: null argument");
    *out = nullptr;
    if (!checkContext(context_json, error))
      return RUNE_ERROR_INVALID_INPUT;
    return createRequest(
        engine, out, error, [&](rune::Request &request, std::string &message) {
          return request.build(principal, action, resource,
                               context_json ? context_json : "", message,
                               schemaOf(schema));
        });
  });
}

rune_status rune_request_create_parts(
    rune_engine *engine, const rune_schema *schema, const char *principal_type,
    const char *principal_id, const char *action_type, const char *action_id,
    const char *resource_type, const char *resource_id,
    const char *context_json, rune_request **out, char **error) {
  return guarded(error, [&] {
    if (!engine || !principal_type || !principal_id || !action_type ||
        !action_id || !resource_type || !resource_id || !out)
      return failWith(error, RUNE_ERROR_INVALID_INPUT,
                      "rune_request_create_parts: null argument");
    *out = nullptr;
    if (!checkContext(context_json, error))
      return RUNE_ERROR_INVALID_INPUT;
    return createRequest(
        engine, out, error, [&](rune::Request &request, std::string &message) {
          return request.buildFromParts(
              {principal_type, principal_id}, {action_type, action_id},
              {resource_type, resource_id}, context_json ? context_json : "",
              message, schemaOf(schema));
        });
  });
}

void rune_request_free(rune_request *request) { delete request; }

rune_status rune_authorize(const rune_module *module,
                           const rune_entities *entities,
                           const rune_request *request, rune_response **out,
                           char **error) {
  return guarded(error, [&] {
    if (!module || !entities || !request || !out)
      return failWith(error, RUNE_ERROR_INVALID_INPUT,
                      "rune_authorize: null argument");
    *out = nullptr;
    std::unique_ptr<rune_response> response = takeCachedResponse();
    // The scratch memory is logically not part of the request's value.
    auto &scratch = const_cast<rune_request *>(request)->scratch;
    if (const char *message = rune::authorizeInline(
            *module->module, *entities->store, *request->request, scratch,
            response->indexed))
      return failWith(error, RUNE_ERROR_INVALID_INPUT, message);
    // The cached response usually holds this module's ids already: then no
    // reference count changes.
    if (response->policyIds != module->policyIds)
      response->policyIds = module->policyIds;
    *out = response.release();
    return RUNE_OK;
  });
}

rune_decision rune_response_decision(const rune_response *response) {
  if (!response)
    return RUNE_DENY;
  rune::Decision decision = response->policyIds ? response->indexed.decision
                                                : response->response.decision;
  return decision == rune::Decision::Allow ? RUNE_ALLOW : RUNE_DENY;
}

size_t rune_response_reason_count(const rune_response *response) {
  if (!response)
    return 0;
  return response->policyIds ? response->indexed.reasons.size()
                             : response->response.reasons.size();
}

const char *rune_response_reason(const rune_response *response, size_t index) {
  if (!response || index >= rune_response_reason_count(response))
    return nullptr;
  if (response->policyIds)
    return (*response->policyIds)[response->indexed.reasons[index]].c_str();
  return response->response.reasons[index].c_str();
}

size_t rune_response_error_count(const rune_response *response) {
  return response ? response->errors().size() : 0;
}

const char *rune_response_error_policy(const rune_response *response,
                                       size_t index) {
  if (!response || index >= response->errors().size())
    return nullptr;
  return response->errors()[index].policyId.c_str();
}

const char *rune_response_error_message(const rune_response *response,
                                        size_t index) {
  if (!response || index >= response->errors().size())
    return nullptr;
  return response->errors()[index].message.c_str();
}

void rune_response_free(rune_response *response) {
  // Keep one response (with its vectors' capacity) per thread for the next
  // rune_authorize: a decision then allocates nothing in the common case,
  // a response of rune_authorize taken back into an empty cache, which
  // needs no clearing (rune_authorize overwrites its part); the other cases
  // are out of line. The module's ids stay referenced, so the next
  // decision on the same module does not touch their reference count.
  if (!response)
    return;
  ResponseCache &cache = responseCache();
  if (!cache.spare && response->policyIds) [[likely]] {
    cache.spare.reset(response);
    return;
  }
  keepOrFreeResponse(response);
}

} // extern "C"

//===----------------------------------------------------------------------===//
// Modules compiled from .rune files (RuneDecision.h)
//===----------------------------------------------------------------------===//

struct rune_decider {
  std::unique_ptr<rune::RuneDecider> decider;
};

rune_status rune_decider_create(const rune_module *module,
                                const rune_entities *entities,
                                rune_decider **out, char **error) {
  return guarded(error, [&] {
    if (!module || !entities || !out)
      return failWith(error, RUNE_ERROR_INVALID_INPUT,
                      "rune_decider_create: null argument");
    *out = nullptr;
    std::string message;
    std::unique_ptr<rune::RuneDecider> decider =
        rune::RuneDecider::create(*module->module, *entities->store, message);
    if (!decider)
      return failWith(error, RUNE_ERROR_INVALID_INPUT, message);
    *out = new rune_decider{std::move(decider)};
    return RUNE_OK;
  });
}

void rune_decider_free(rune_decider *decider) { delete decider; }

size_t rune_decider_strata_count(const rune_decider *decider) {
  return decider ? decider->decider->strataCount() : 0;
}

size_t rune_decider_request_strata_count(const rune_decider *decider) {
  return decider ? decider->decider->requestStrataCount() : 0;
}

rune_status rune_decide(const rune_decider *decider,
                        const rune_request *request, rune_response **out,
                        char **error) {
  return guarded(error, [&] {
    if (!decider || !request || !out)
      return failWith(error, RUNE_ERROR_INVALID_INPUT,
                      "rune_decide: null argument");
    *out = nullptr;
    std::unique_ptr<rune_response> response = takeCachedResponse();
    std::string message;
    auto &scratch = const_cast<rune_request *>(request)->scratch;
    rune::RuneResponse combined;
    if (!decider->decider->decide(*request->request, scratch, combined,
                                  message))
      return failWith(error, RUNE_ERROR_INVALID_INPUT, message);
    response->policyIds.reset();
    response->response.decision = combined.decision;
    response->response.reasons = std::move(combined.reasons);
    response->response.errors = std::move(combined.cedar.errors);
    *out = response.release();
    return RUNE_OK;
  });
}
