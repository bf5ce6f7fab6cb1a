//===- NativePolicies.cpp - A hand-written stand-in for runec output ------===//
//
// Defines rune_linked_module the way an object file from `runec --emit=obj`
// does: the embedded bytecode plus one function per policy calling the
// rune_rt_* helpers. Uses nothing but rune_native.h, so it links against the
// static or the shared runtime alike.
//
//===----------------------------------------------------------------------===//

#include "rune/rune_native.h"

#include "NativeTestModule.inc"

namespace {

// principal in Group::"staff" (constant 0).
int32_t staffPolicy(rune_eval_state *state, rune_value *regs) {
  int32_t result;
  if (rune_rt_load_var(state, &regs[0], 0) ||
      rune_rt_load_const(state, &regs[1], 0) ||
      rune_rt_in(state, &regs[0], &regs[0], &regs[1]) ||
      rune_rt_to_bool(state, &regs[0], &result))
    return -1;
  return result;
}

const rune_policy_fn kPolicies[] = {staffPolicy};

} // namespace

extern "C" const rune_native_module rune_linked_module = {
    RUNE_NATIVE_ABI_VERSION, 1, kBytecode, sizeof(kBytecode), kPolicies};
