//===- IpeCApi.cpp - The C API of IPE modules (rune.h) --------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Runtime/IpeEngine.h"
#include "rune/rune.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

struct rune_ipe_module {
  std::unique_ptr<rune::ipert::Module> module;
  /// Policy names, intents and reasons as NUL-terminated strings.
  std::vector<std::string> names, intents, reasons;
  /// Per policy, its metadata keys and values (JSON text).
  std::vector<std::vector<std::pair<std::string, std::string>>> metadata;
};

struct rune_ipe_request {
  std::unique_ptr<rune::ipert::Request> request;
  /// The module it was parsed for: its slots are that module's.
  const rune_ipe_module *module;
};

/// What decided one applicable policy (rune_ipe_decide_explained).
struct DecidingCondition {
  bool recorded = false;
  std::string condition;
  bool result = false;
  std::string explanation;
};

struct rune_ipe_decision {
  /// Where the reasons are read: they are the module's strings (or the
  /// decision's error messages), not copied per decision.
  const rune_ipe_module *module = nullptr;
  rune::ipert::Decision decision;
  /// One per applicable policy when explained, else empty.
  std::vector<DecidingCondition> deciding;
};

struct rune_ipe_evaluator {
  explicit rune_ipe_evaluator(const rune_ipe_module *module)
      : evaluator(*module->module) {
    decision.module = module;
  }
  rune::ipert::Evaluator evaluator;
  /// The last decision, reused by the next one (its vectors keep their
  /// capacity).
  rune_ipe_decision decision;
};

namespace {

void setError(char **error, const std::string &message) {
  if (!error)
    return;
  *error = static_cast<char *>(std::malloc(message.size() + 1));
  if (*error)
    std::memcpy(*error, message.c_str(), message.size() + 1);
}

/// Fills an explanation template: {a}, {b} and {a:noun} (a count, the noun
/// made plural unless it is 1).
std::string fillTemplate(const std::string &text, const std::string &a,
                         const std::string &b) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') {
      out += text[i];
      continue;
    }
    size_t close = text.find('}', i);
    if (close == std::string::npos) {
      out += text.substr(i);
      break;
    }
    std::string field = text.substr(i + 1, close - i - 1);
    std::string name = field.substr(0, field.find(':'));
    const std::string &value = name == "b" ? b : a;
    if (size_t colon = field.find(':'); colon != std::string::npos) {
      std::string noun = field.substr(colon + 1);
      out += value + " " + noun + (value == "1" ? "" : "s");
    } else {
      out += value;
    }
    i = close;
  }
  return out;
}

/// The condition that decided `policy`: the last one its evaluation
/// recorded at its top level.
DecidingCondition decidingCondition(const rune::ipert::Module &module,
                                    const rune::ipert::Decision &decision,
                                    uint32_t policy) {
  const rune::ipert::TraceEvent *last = nullptr;
  for (const rune::ipert::TraceEvent &event : decision.trace)
    if (event.policy == policy)
      last = &event;
  if (!last)
    return {};
  const auto &condition = module.tables().conditions[last->condition];
  return {true, std::string(module.string(condition.label)), last->result,
          fillTemplate(std::string(module.string(condition.explanation)),
                       last->a, last->b)};
}

/// Decides into `evaluator`'s decision; refuses a request parsed for
/// another module (its slots would be read as this module's).
rune_status decide(rune_ipe_evaluator &evaluator,
                   const rune_ipe_request *request, bool explain,
                   char **error) {
  rune_ipe_decision &result = evaluator.decision;
  if (request->module != result.module) {
    setError(error, "the request was parsed for another module");
    return RUNE_ERROR_INVALID_INPUT;
  }
  evaluator.evaluator.decide(*request->request, result.decision, explain);
  result.deciding.clear();
  if (explain)
    for (const rune::ipert::PolicyResult &r : result.decision.applicable)
      result.deciding.push_back(r.outcome == rune::ipert::Outcome::Error
                                    ? DecidingCondition{}
                                    : decidingCondition(*result.module->module,
                                                        result.decision,
                                                        r.policy));
  return RUNE_OK;
}

/// rune_ipe_evaluator_decide[_explained]: the decision stays the
/// evaluator's.
rune_status decideKept(rune_ipe_evaluator &evaluator,
                       const rune_ipe_request *request, bool explain,
                       const rune_ipe_decision **out, char **error) {
  rune_status status = decide(evaluator, request, explain, error);
  if (status == RUNE_OK)
    *out = &evaluator.decision;
  return status;
}

/// rune_ipe_decide and rune_ipe_decide_explained: an evaluator for one
/// decision, which the caller then owns.
rune_status decideOnce(const rune_ipe_module *module,
                       const rune_ipe_request *request, bool explain,
                       rune_ipe_decision **out, char **error) {
  rune_ipe_evaluator evaluator(module);
  rune_status status = decide(evaluator, request, explain, error);
  if (status == RUNE_OK)
    *out = new rune_ipe_decision(std::move(evaluator.decision));
  return status;
}

/// Entry `entry` of policy `index`'s metadata, or null.
const std::pair<std::string, std::string> *
metadataEntry(const rune_ipe_module *module, size_t index, size_t entry) {
  if (index >= module->metadata.size() ||
      entry >= module->metadata[index].size())
    return nullptr;
  return &module->metadata[index][entry];
}

rune_status wrap(std::unique_ptr<rune::ipert::Module> module,
                 rune_ipe_module **out) {
  auto *result = new rune_ipe_module{std::move(module), {}, {}, {}, {}};
  const rune::ipebc::Sections &tables = result->module->tables();
  for (size_t i = 0; i < tables.policies.size(); ++i) {
    result->names.emplace_back(result->module->policyName(i));
    result->intents.emplace_back(
        result->module->string(tables.policies[i].intent));
    uint32_t reason = tables.policies[i].reason;
    result->reasons.emplace_back(
        reason == rune::ipebc::kNoIndex ? "" : result->module->string(reason));
    auto &metadata = result->metadata.emplace_back();
    for (auto [key, value] : tables.policies[i].metadata)
      metadata.emplace_back(result->module->string(key),
                            result->module->string(value));
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

size_t rune_ipe_module_policy_metadata_count(const rune_ipe_module *module,
                                             size_t index) {
  return index < module->metadata.size() ? module->metadata[index].size() : 0;
}

const char *rune_ipe_module_policy_metadata_key(const rune_ipe_module *module,
                                                size_t index, size_t entry) {
  const auto *found = metadataEntry(module, index, entry);
  return found ? found->first.c_str() : nullptr;
}

const char *rune_ipe_module_policy_metadata_value(const rune_ipe_module *module,
                                                  size_t index, size_t entry) {
  const auto *found = metadataEntry(module, index, entry);
  return found ? found->second.c_str() : nullptr;
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
  *out = new rune_ipe_request{std::move(request), module};
  return RUNE_OK;
}

void rune_ipe_request_free(rune_ipe_request *request) { delete request; }

rune_status rune_ipe_decide(const rune_ipe_module *module,
                            const rune_ipe_request *request,
                            rune_ipe_decision **out, char **error) {
  return decideOnce(module, request, /*explain=*/false, out, error);
}

rune_status rune_ipe_decide_explained(const rune_ipe_module *module,
                                      const rune_ipe_request *request,
                                      rune_ipe_decision **out, char **error) {
  return decideOnce(module, request, /*explain=*/true, out, error);
}

rune_status rune_ipe_evaluator_new(const rune_ipe_module *module,
                                   rune_ipe_evaluator **out, char **error) {
  (void)error; // a loaded module always has an evaluator
  *out = new rune_ipe_evaluator(module);
  return RUNE_OK;
}

void rune_ipe_evaluator_free(rune_ipe_evaluator *evaluator) {
  delete evaluator;
}

rune_status rune_ipe_evaluator_decide(rune_ipe_evaluator *evaluator,
                                      const rune_ipe_request *request,
                                      const rune_ipe_decision **out,
                                      char **error) {
  return decideKept(*evaluator, request, /*explain=*/false, out, error);
}

rune_status rune_ipe_evaluator_decide_explained(rune_ipe_evaluator *evaluator,
                                                const rune_ipe_request *request,
                                                const rune_ipe_decision **out,
                                                char **error) {
  return decideKept(*evaluator, request, /*explain=*/true, out, error);
}

rune_status rune_ipe_evaluator_decide_batch(
    rune_ipe_evaluator *evaluator, const rune_ipe_request *const *requests,
    size_t count, rune_decision *results, char **error) {
  // All checked first: a refused batch writes nothing.
  for (size_t i = 0; i < count; ++i)
    if (requests[i]->module != evaluator->decision.module) {
      setError(error, "request " + std::to_string(i) +
                          " was parsed for another module");
      return RUNE_ERROR_INVALID_INPUT;
    }
  evaluator->decision.deciding.clear();
  evaluator->evaluator.decideEach(
      count,
      [requests](size_t i) -> const rune::ipert::Request & {
        return *requests[i]->request;
      },
      evaluator->decision.decision,
      [results](size_t i, const rune::ipert::Decision &decision) {
        results[i] = decision.allow ? RUNE_ALLOW : RUNE_DENY;
      });
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
  if (index >= decision->decision.applicable.size())
    return SIZE_MAX;
  return decision->decision.applicable[index].policy;
}

rune_ipe_outcome
rune_ipe_decision_policy_outcome(const rune_ipe_decision *decision,
                                 size_t index) {
  if (index >= decision->decision.applicable.size())
    return RUNE_IPE_NOT_APPLICABLE;
  return static_cast<rune_ipe_outcome>(
      decision->decision.applicable[index].outcome);
}

const char *rune_ipe_decision_policy_reason(const rune_ipe_decision *decision,
                                            size_t index) {
  const rune::ipert::Decision &d = decision->decision;
  if (index >= d.applicable.size())
    return nullptr;
  const rune::ipert::PolicyResult &r = d.applicable[index];
  if (r.outcome == rune::ipert::Outcome::Error)
    return d.message(index).data(); // a std::string's: NUL-terminated
  const rune_ipe_module &module = *decision->module;
  if (r.outcome == rune::ipert::Outcome::Deny &&
      module.module->tables().policies[r.policy].reason !=
          rune::ipebc::kNoIndex)
    return module.reasons[r.policy].c_str();
  return module.intents[r.policy].c_str();
}

size_t rune_ipe_decision_evaluated_count(const rune_ipe_decision *decision) {
  return decision->decision.candidateCount;
}

const char *
rune_ipe_decision_policy_condition(const rune_ipe_decision *decision,
                                   size_t index) {
  if (index >= decision->deciding.size() || !decision->deciding[index].recorded)
    return nullptr;
  return decision->deciding[index].condition.c_str();
}

int rune_ipe_decision_policy_condition_result(const rune_ipe_decision *decision,
                                              size_t index) {
  return index < decision->deciding.size() && decision->deciding[index].result;
}

const char *
rune_ipe_decision_policy_explanation(const rune_ipe_decision *decision,
                                     size_t index) {
  if (index >= decision->deciding.size() || !decision->deciding[index].recorded)
    return nullptr;
  return decision->deciding[index].explanation.c_str();
}

void rune_ipe_decision_free(rune_ipe_decision *decision) { delete decision; }

} // extern "C"
