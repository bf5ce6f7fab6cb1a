//===- NativeAuthorizer.h - The decision path of native modules -*- C++ -*-===//
//
// authorize(IndexedResponse) for native modules, inline: the C API's
// rune_authorize runs it without a call layer (about a fifth of what a
// native decision costs is the fixed path around the policy code). Only
// the runtime includes it; Authorizer.h is the interface.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_NATIVEAUTHORIZER_H
#define RUNE_RUNTIME_NATIVEAUTHORIZER_H

#include "rune/Runtime/Authorizer.h"
#include "rune/Runtime/EvalContext.h"

namespace rune::detail {

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

inline bool sameEngine(const LoadedModule &module, const EntityStore &entities,
                       const Request &request) {
  return &module.engine() == &entities.engine() &&
         &module.engine() == &request.engine();
}

/// The message of a policy that did not return a clean 0 or 1 (fail
/// closed: anything else is an error), appended to `errors`; clears the
/// error slot for the next policy. Out of line: errors are the rare path.
[[gnu::noinline]] void recordPolicyError(const LoadedModule &module,
                                         size_t policy, int32_t result,
                                         EvalContext &ctx,
                                         std::vector<PolicyError> &errors);

/// Sets up the evaluation state kept in `scratch` for deciding `request`
/// with `module` and `entities`: the request's variables, the store's
/// tables (rune_native.h, ABI 4), the module's fields, the register file,
/// and the entity constants' and request uids' store nodes. Out of line: a
/// repeated decision (same module, store, request and scratch) skips it.
[[gnu::noinline]] EvalContext &bindNative(const LoadedModule &module,
                                          const EntityStore &entities,
                                          const Request &request,
                                          EvalScratch &scratch);

/// authorize(IndexedResponse) for native modules: the same decision as
/// evaluatePolicies, with less per-call work. The evaluation state lives in
/// `scratch` and is set up again (bindNative) only when the module, the
/// store or the request changes. Satisfied permits
/// go straight into the response's reasons and satisfied forbids replace
/// them when there are any.
inline void authorizeNative(const LoadedModule &module,
                            const EntityStore &entities, const Request &request,
                            EvalScratch &scratch, IndexedResponse &response) {
  EvalContext *bound = scratch.nativeContext.get();
  // Serials are never reused and never 0 for a bound state, so equal
  // serials mean the very module and store the state was set up for; a
  // request at the address of a freed one reads its own variables through
  // the same pointers.
  if (!bound || bound->boundModule != module.serial() ||
      bound->boundStore != entities.serial() || bound->request != &request)
      [[unlikely]]
    bound = &bindNative(module, entities, request, scratch);
  EvalContext &ctx = *bound;
  // The scratch (and the state with it) may have moved since.
  ctx.arena = &scratch.arena;
  // An exception may have left the slot set; fail() overwrites the message.
  ctx.failed = false;

  const rune_policy_fn *native = module.nativeFunctions();
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

} // namespace rune::detail

namespace rune {

/// authorize(IndexedResponse), with the native path inline.
inline const char *authorizeInline(const LoadedModule &module,
                                   const EntityStore &entities,
                                   const Request &request, EvalScratch &scratch,
                                   IndexedResponse &response) {
  if (module.nativeFunctions() && detail::sameEngine(module, entities, request))
      [[likely]] {
    detail::authorizeNative(module, entities, request, scratch, response);
    return nullptr;
  }
  return authorize(module, entities, request, scratch, response);
}

} // namespace rune

#endif // RUNE_RUNTIME_NATIVEAUTHORIZER_H
