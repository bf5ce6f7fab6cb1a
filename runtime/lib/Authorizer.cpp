//===- Authorizer.cpp - From policy results to a decision -----------------===//

#include "rune/Runtime/Authorizer.h"

#include "rune/Runtime/EvalContext.h"
#include "rune/Runtime/Interpreter.h"

#include <algorithm>

namespace rune {

namespace {

/// Resets the scratch arena when the evaluation ends, however it ends, so
/// no temporary outlives the call. Most decisions allocate nothing (native
/// code and the interpreter only allocate for sets, records and strings
/// they build), and then there is nothing to reset.
struct ArenaResetter {
  Arena &arena;
  ~ArenaResetter() {
    if (arena.bytesUsed() != 0)
      arena.reset();
  }
};

/// The message of a policy that did not return a clean 0 or 1 (fail
/// closed: anything else is an error). Clears the error slot for the next
/// policy (it is only ever written while `failed` is false, so the next
/// policy starts clean); out of line, as errors are the rare path.
[[gnu::noinline]] void recordPolicyError(const LoadedModule &module,
                                         size_t policy, int32_t result,
                                         EvalContext &ctx,
                                         std::vector<PolicyError> &errors) {
  std::string message =
      ctx.failed ? std::move(ctx.error)
      : result == -1
          ? std::string("policy reported an error without a message")
          : "policy returned the invalid result " + std::to_string(result);
  errors.push_back({std::string(module.policyId(policy)), std::move(message)});
  ctx.error.clear();
  ctx.failed = false;
}

/// Runs every policy of `module` and records which are satisfied (in
/// scratch.satisfiedPermits / satisfiedForbids) and which erred (in
/// `errors`). Returns the deciding policies (null for the default deny) and
/// sets `decision`.
const std::vector<uint32_t> *
evaluatePolicies(const LoadedModule &module, const EntityStore &entities,
                 const Request &request, EvalScratch &scratch,
                 Decision &decision, std::vector<PolicyError> &errors) {
  const bc::Module &image = module.bytecode();
  const rune_policy_fn *native = module.nativeFunctions();
  if (scratch.registers.size() < module.maxRegisterCount())
    scratch.registers.resize(module.maxRegisterCount());

  // Reset when the call ends, however it ends; every call does, so the
  // arena is already empty here and needs no reset on entry.
  ArenaResetter resetter{scratch.arena};
  EvalContext ctx;
  ctx.module = &module;
  ctx.entities = &entities;
  ctx.request = &request;
  ctx.arena = &scratch.arena;
  ctx.symbols = &module.engine().symbols();
  static_assert(sizeof(Value) == sizeof(rune_value) &&
                alignof(Value) == alignof(rune_value));
  auto raw = [](const Value &v) {
    return reinterpret_cast<const rune_value *>(&v);
  };
  ctx.frame.constants =
      reinterpret_cast<const rune_value *>(module.constantData());
  ctx.frame.vars[0] = raw(request.principal);
  ctx.frame.vars[1] = raw(request.action);
  ctx.frame.vars[2] = raw(request.resource);
  ctx.frame.vars[3] = raw(request.context);

  // Native code compares entities by pointer, then by hash, then asks
  // rune_rt_same_entity, which answers from the uids' cached store nodes
  // when both have one for this store: give the module's entity constants
  // and the request's uids theirs, once per store (and per request).
  if (native && entities.serial() != 0) {
    if (!module.entityConstantsResolvedIn(entities.serial()))
      module.resolveEntityConstants(entities);
    if (scratch.resolvedRequest != &request ||
        scratch.resolvedSerial != entities.serial()) {
      for (const Value *uid :
           {&request.principal, &request.action, &request.resource})
        if (uid->is(ValueKind::Entity))
          entities.resolve(uid->asEntity());
      scratch.resolvedRequest = &request;
      scratch.resolvedSerial = entities.serial();
    }
  }

  Value *registers = scratch.registers.data();
  std::vector<uint32_t> &permits = scratch.satisfiedPermits;
  std::vector<uint32_t> &forbids = scratch.satisfiedForbids;
  permits.clear();
  forbids.clear();
  const size_t policyCount = image.policies.size();
  for (size_t i = 0; i < policyCount; ++i) {
    int32_t result;
    if (native) {
      // Native code writes a register before reading it (rune_native.h).
      result = native[i](&ctx, reinterpret_cast<rune_value *>(registers));
    } else {
      // Registers start out as `false`: code that reads a register before
      // writing it sees a harmless value, never a stale pointer.
      std::fill(registers, registers + image.policies[i].registerCount,
                Value());
      result = interpretPolicy(ctx, i, registers);
    }
    if (result == 1 && !ctx.failed) {
      (image.policies[i].effect == bc::Effect::Forbid ? forbids : permits)
          .push_back(static_cast<uint32_t>(i));
    } else if (result != 0 || ctx.failed) {
      recordPolicyError(module, i, result, ctx, errors);
    }
  }
  if (!forbids.empty()) {
    decision = Decision::Deny;
    return &forbids;
  }
  if (!permits.empty()) {
    decision = Decision::Allow;
    return &permits;
  }
  decision = Decision::Deny;
  return nullptr;
}

/// authorize(IndexedResponse) for native modules: the same decision as
/// evaluatePolicies, with less per-call work. The evaluation state lives in
/// `scratch` and only its module fields are written on every call; the
/// request's variables and uid resolution are redone only when the request
/// or the store changes. Satisfied permits go straight into the response's
/// reasons and satisfied forbids replace them when there are any.
void authorizeNative(const LoadedModule &module, const EntityStore &entities,
                     const Request &request, EvalScratch &scratch,
                     IndexedResponse &response) {
  const rune_policy_fn *native = module.nativeFunctions();
  if (scratch.registers.size() < module.maxRegisterCount())
    scratch.registers.resize(module.maxRegisterCount());
  if (!scratch.nativeContext)
    scratch.nativeContext.reset(new EvalContext());
  EvalContext &ctx = *scratch.nativeContext;
  // Equal addresses mean the same live objects, so the pointers into them
  // stay right even when an object was replaced by another at that address.
  if (ctx.request != &request || ctx.entities != &entities) {
    ctx.request = &request;
    ctx.entities = &entities;
    auto raw = [](const Value &v) {
      return reinterpret_cast<const rune_value *>(&v);
    };
    ctx.frame.vars[0] = raw(request.principal);
    ctx.frame.vars[1] = raw(request.action);
    ctx.frame.vars[2] = raw(request.resource);
    ctx.frame.vars[3] = raw(request.context);
  }
  // The module may change from call to call: these are written every time.
  ctx.module = &module;
  ctx.symbols = &module.engine().symbols();
  ctx.arena = &scratch.arena;
  ctx.frame.constants =
      reinterpret_cast<const rune_value *>(module.constantData());
  // An exception may have left the slot set; fail() overwrites the message.
  ctx.failed = false;

  // See evaluatePolicies: entity constants once per store, the request's
  // uids once per (request, store).
  if (uint32_t serial = entities.serial()) {
    if (!module.entityConstantsResolvedIn(serial))
      module.resolveEntityConstants(entities);
    if (scratch.resolvedRequest != &request ||
        scratch.resolvedSerial != serial) {
      for (const Value *uid :
           {&request.principal, &request.action, &request.resource})
        if (uid->is(ValueKind::Entity))
          entities.resolve(uid->asEntity());
      scratch.resolvedRequest = &request;
      scratch.resolvedSerial = serial;
    }
  }

  ArenaResetter resetter{scratch.arena};
  std::vector<uint32_t> &permits = response.reasons;
  std::vector<uint32_t> &forbids = scratch.satisfiedForbids;
  permits.clear();
  forbids.clear();
  response.errors.clear();
  const std::vector<bc::PolicyEntry> &policies = module.bytecode().policies;
  auto *registers = reinterpret_cast<rune_value *>(scratch.registers.data());
  const size_t policyCount = policies.size();
  for (size_t i = 0; i < policyCount; ++i) {
    // Native code writes a register before reading it (rune_native.h).
    int32_t result = native[i](&ctx, registers);
    if (result == 1 && !ctx.failed)
      (policies[i].effect == bc::Effect::Forbid ? forbids : permits)
          .push_back(static_cast<uint32_t>(i));
    else if (result != 0 || ctx.failed)
      recordPolicyError(module, i, result, ctx, response.errors);
  }
  if (!forbids.empty()) {
    response.decision = Decision::Deny;
    // The buffers trade places; both stay owned and reused.
    permits.swap(forbids);
    return;
  }
  response.decision = permits.empty() ? Decision::Deny : Decision::Allow;
}

bool sameEngine(const LoadedModule &module, const EntityStore &entities,
                const Request &request, std::string &error) {
  if (&module.engine() != &entities.engine() ||
      &module.engine() != &request.engine()) {
    error = "the module, the entities and the request were created by "
            "different engines";
    return false;
  }
  return true;
}

} // namespace

void NativeContextDeleter::operator()(rune_eval_state *context) const {
  delete context;
}

bool authorize(const LoadedModule &module, const EntityStore &entities,
               const Request &request, EvalScratch &scratch, Response &response,
               std::string &error) {
  if (!sameEngine(module, entities, request, error))
    return false;
  response.reasons.clear();
  response.errors.clear();
  const std::vector<uint32_t> *deciding = evaluatePolicies(
      module, entities, request, scratch, response.decision, response.errors);
  if (deciding)
    for (uint32_t i : *deciding)
      response.reasons.emplace_back(module.policyId(i));
  return true;
}

bool authorize(const LoadedModule &module, const EntityStore &entities,
               const Request &request, EvalScratch &scratch,
               IndexedResponse &response, std::string &error) {
  if (!sameEngine(module, entities, request, error))
    return false;
  if (module.nativeFunctions()) {
    authorizeNative(module, entities, request, scratch, response);
    return true;
  }
  response.errors.clear();
  const std::vector<uint32_t> *deciding = evaluatePolicies(
      module, entities, request, scratch, response.decision, response.errors);
  if (deciding)
    response.reasons.assign(deciding->begin(), deciding->end());
  else
    response.reasons.clear();
  return true;
}

} // namespace rune
