//===- Authorizer.cpp - From policy results to a decision -----------------===//

#include "rune/Runtime/Authorizer.h"

#include "rune/Runtime/EvalContext.h"
#include "rune/Runtime/Interpreter.h"

#include <algorithm>

namespace rune {

namespace {

/// Resets the scratch arena when the evaluation ends, however it ends, so
/// no temporary outlives the call.
struct ArenaResetter {
  Arena &arena;
  ~ArenaResetter() { arena.reset(); }
};

} // namespace

bool authorize(const LoadedModule &module, const EntityStore &entities,
               const Request &request, EvalScratch &scratch, Response &response,
               std::string &error) {
  if (&module.engine() != &entities.engine() ||
      &module.engine() != &request.engine()) {
    error = "the module, the entities and the request were created by "
            "different engines";
    return false;
  }
  response.decision = Decision::Deny;
  response.reasons.clear();
  response.errors.clear();
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

  Value *registers = scratch.registers.data();
  std::vector<uint32_t> &permits = scratch.satisfiedPermits;
  std::vector<uint32_t> &forbids = scratch.satisfiedForbids;
  permits.clear();
  forbids.clear();
  for (size_t i = 0; i < image.policies.size(); ++i) {
    const bc::PolicyEntry &policy = image.policies[i];
    if (!ctx.error.empty())
      ctx.error.clear();
    ctx.failed = false;
    int32_t result;
    if (native) {
      // Native code writes a register before reading it (rune_native.h).
      result = native[i](&ctx, reinterpret_cast<rune_value *>(registers));
    } else {
      // Registers start out as `false`: code that reads a register before
      // writing it sees a harmless value, never a stale pointer.
      std::fill(registers, registers + policy.registerCount, Value());
      result = interpretPolicy(ctx, i, registers);
    }
    if (result == 1 && !ctx.failed) {
      (policy.effect == bc::Effect::Forbid ? forbids : permits)
          .push_back(static_cast<uint32_t>(i));
    } else if (result != 0 || ctx.failed) {
      // Fail closed: anything but a clean 0 or 1 is an error.
      std::string message =
          ctx.failed ? ctx.error
          : result == -1
              ? std::string("policy reported an error without a message")
              : "policy returned the invalid result " + std::to_string(result);
      response.errors.push_back(
          {std::string(module.policyId(i)), std::move(message)});
    }
  }
  const std::vector<uint32_t> *deciding = nullptr;
  if (!forbids.empty()) {
    response.decision = Decision::Deny;
    deciding = &forbids;
  } else if (!permits.empty()) {
    response.decision = Decision::Allow;
    deciding = &permits;
  }
  if (deciding)
    for (uint32_t i : *deciding)
      response.reasons.emplace_back(module.policyId(i));
  return true;
}

} // namespace rune
