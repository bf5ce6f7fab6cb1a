//===- IpeCApi.cpp - The C API of IPE modules (rune.h) --------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Runtime/IpeEngine.h"
#include "rune/rune.h"

#include <cstdlib>
#include <cstring>

struct rune_ipe_module {
  std::unique_ptr<rune::ipert::Module> module;
  /// Policy names, intents and reasons as NUL-terminated strings.
  std::vector<std::string> names, intents, reasons;
};

struct rune_ipe_request {
  std::unique_ptr<rune::ipert::Request> request;
};

struct rune_ipe_decision {
  rune::ipert::Decision decision;
  std::vector<std::string> reasons;
};

namespace {

void setError(char **error, const std::string &message) {
  if (!error)
    return;
  *error = static_cast<char *>(std::malloc(message.size() + 1));
  if (*error)
    std::memcpy(*error, message.c_str(), message.size() + 1);
}

rune_status wrap(std::unique_ptr<rune::ipert::Module> module,
                 rune_ipe_module **out) {
  auto *result = new rune_ipe_module{std::move(module), {}, {}, {}};
  const rune::ipebc::Sections &tables = result->module->tables();
  for (size_t i = 0; i < tables.policies.size(); ++i) {
    result->names.emplace_back(result->module->policyName(i));
    result->intents.emplace_back(
        result->module->string(tables.policies[i].intent));
    uint32_t reason = tables.policies[i].reason;
    result->reasons.emplace_back(
        reason == rune::ipebc::kNoIndex ? "" : result->module->string(reason));
  }
  *out = result;
  return RUNE_OK;
}

} // namespace

extern "C" {

rune_status rune_ipe_module_load(const uint8_t *data, size_t size,
                                 rune_ipe_module **out, char **error) {
  std::string message;
  auto module = rune::ipert::Module::load(data, size, message);
  if (!module) {
    setError(error, message);
    return RUNE_ERROR_INVALID_INPUT;
  }
  return wrap(std::move(module), out);
}

rune_status rune_ipe_module_load_native(const rune_native_module *native,
                                        rune_ipe_module **out, char **error) {
  std::string message;
  auto module = rune::ipert::Module::loadNative(native, message);
  if (!module) {
    setError(error, message);
    return RUNE_ERROR_INVALID_INPUT;
  }
  return wrap(std::move(module), out);
}

void rune_ipe_module_free(rune_ipe_module *module) { delete module; }

size_t rune_ipe_module_policy_count(const rune_ipe_module *module) {
  return module->names.size();
}

const char *rune_ipe_module_policy_name(const rune_ipe_module *module,
                                        size_t index) {
  return index < module->names.size() ? module->names[index].c_str() : nullptr;
}

const char *rune_ipe_module_policy_intent(const rune_ipe_module *module,
                                          size_t index) {
  return index < module->intents.size() ? module->intents[index].c_str()
                                        : nullptr;
}

const char *rune_ipe_module_policy_reason(const rune_ipe_module *module,
                                          size_t index) {
  if (index >= module->reasons.size() ||
      module->module->tables().policies[index].reason == rune::ipebc::kNoIndex)
    return nullptr;
  return module->reasons[index].c_str();
}

rune_status rune_ipe_request_parse(const rune_ipe_module *module,
                                   const char *json, size_t size,
                                   rune_ipe_request **out, char **error) {
  std::string message;
  auto request = rune::ipert::Request::parse(
      *module->module, std::string_view(json, size), message);
  if (!request) {
    setError(error, message);
    return RUNE_ERROR_INVALID_INPUT;
  }
  *out = new rune_ipe_request{std::move(request)};
  return RUNE_OK;
}

void rune_ipe_request_free(rune_ipe_request *request) { delete request; }

rune_status rune_ipe_decide(const rune_ipe_module *module,
                            const rune_ipe_request *request,
                            rune_ipe_decision **out, char **error) {
  (void)error; // deciding cannot fail: errors are per-policy outcomes
  auto *result = new rune_ipe_decision;
  rune::ipert::Evaluator evaluator(*module->module);
  evaluator.decide(*request->request, result->decision);
  const auto &tables = module->module->tables();
  for (const rune::ipert::PolicyResult &r : result->decision.applicable) {
    if (r.outcome == rune::ipert::Outcome::Error)
      result->reasons.push_back(r.message);
    else if (r.outcome == rune::ipert::Outcome::Deny &&
             tables.policies[r.policy].reason != rune::ipebc::kNoIndex)
      result->reasons.push_back(module->reasons[r.policy]);
    else
      result->reasons.push_back(module->intents[r.policy]);
  }
  *out = result;
  return RUNE_OK;
}

rune_decision rune_ipe_decision_result(const rune_ipe_decision *decision) {
  return decision->decision.allow ? RUNE_ALLOW : RUNE_DENY;
}

size_t rune_ipe_decision_policy_count(const rune_ipe_decision *decision) {
  return decision->decision.applicable.size();
}

size_t rune_ipe_decision_policy_index(const rune_ipe_decision *decision,
                                      size_t index) {
  return decision->decision.applicable[index].policy;
}

rune_ipe_outcome
rune_ipe_decision_policy_outcome(const rune_ipe_decision *decision,
                                 size_t index) {
  return static_cast<rune_ipe_outcome>(
      decision->decision.applicable[index].outcome);
}

const char *rune_ipe_decision_policy_reason(const rune_ipe_decision *decision,
                                            size_t index) {
  return decision->reasons[index].c_str();
}

void rune_ipe_decision_free(rune_ipe_decision *decision) { delete decision; }

} // extern "C"
