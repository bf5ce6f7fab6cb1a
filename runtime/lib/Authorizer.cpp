//===- Authorizer.cpp - From policy results to a decision -----------------===//

#include "rune/Runtime/Authorizer.h"

#include "rune/Runtime/EvalContext.h"
#include "rune/Runtime/Interpreter.h"
#include "rune/Runtime/NativeAuthorizer.h"

#include <algorithm>

namespace rune {

/// See NativeAuthorizer.h. Clears the error slot for the next policy (it is
/// only ever written while `failed` is false, so the next policy starts
/// clean).
void detail::recordPolicyError(const LoadedModule &module, size_t policy,
                               int32_t result, EvalContext &ctx,
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

namespace {

using detail::ArenaResetter;
using detail::recordPolicyError;

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
  if (native) {
    ctx.frame.symbols = module.stringSymbolData();
    entities.describeTo(ctx.frame);
  }

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

constexpr const char *kDifferentEngines =
    "the module, the entities and the request were created by different "
    "engines";

} // namespace

// See NativeAuthorizer.h.
EvalContext &detail::bindNative(const LoadedModule &module,
                                const EntityStore &entities,
                                const Request &request, EvalScratch &scratch) {
  if (scratch.registers.size() < module.maxRegisterCount())
    scratch.registers.resize(module.maxRegisterCount());
  if (!scratch.nativeContext)
    scratch.nativeContext.reset(new EvalContext());
  EvalContext &ctx = *scratch.nativeContext;
  ctx.request = &request;
  ctx.entities = &entities;
  auto raw = [](const Value &v) {
    return reinterpret_cast<const rune_value *>(&v);
  };
  ctx.frame.vars[0] = raw(request.principal);
  ctx.frame.vars[1] = raw(request.action);
  ctx.frame.vars[2] = raw(request.resource);
  ctx.frame.vars[3] = raw(request.context);
  entities.describeTo(ctx.frame);
  ctx.module = &module;
  ctx.symbols = &module.engine().symbols();
  ctx.arena = &scratch.arena;
  ctx.frame.constants =
      reinterpret_cast<const rune_value *>(module.constantData());
  ctx.frame.symbols = module.stringSymbolData();

  uint32_t serial = entities.serial();
  if (serial) {
    if (!module.entityConstantsResolvedIn(serial))
      module.resolveEntityConstants(entities);
    for (const Value *uid :
         {&request.principal, &request.action, &request.resource})
      if (uid->is(ValueKind::Entity))
        entities.resolve(uid->asEntity());
  }
  // A store without a serial caches nothing: set up on every call.
  ctx.boundModule = serial ? module.serial() : 0;
  ctx.boundStore = serial;
  return ctx;
}

void NativeContextDeleter::operator()(rune_eval_state *context) const {
  delete context;
}

bool authorize(const LoadedModule &module, const EntityStore &entities,
               const Request &request, EvalScratch &scratch, Response &response,
               std::string &error) {
  if (!detail::sameEngine(module, entities, request)) {
    error = kDifferentEngines;
    return false;
  }
  response.reasons.clear();
  response.errors.clear();
  const std::vector<uint32_t> *deciding = evaluatePolicies(
      module, entities, request, scratch, response.decision, response.errors);
  if (deciding)
    for (uint32_t i : *deciding)
      response.reasons.emplace_back(module.policyId(i));
  return true;
}

const char *authorize(const LoadedModule &module, const EntityStore &entities,
                      const Request &request, EvalScratch &scratch,
                      IndexedResponse &response) {
  if (!detail::sameEngine(module, entities, request))
    return kDifferentEngines;
  if (module.nativeFunctions()) {
    detail::authorizeNative(module, entities, request, scratch, response);
    return nullptr;
  }
  response.errors.clear();
  const std::vector<uint32_t> *deciding = evaluatePolicies(
      module, entities, request, scratch, response.decision, response.errors);
  if (deciding)
    response.reasons.assign(deciding->begin(), deciding->end());
  else
    response.reasons.clear();
  return nullptr;
}

} // namespace rune
