//===- Interpreter.h - Running verified bytecode ----------------*- C++ -*-===//

#ifndef RUNE_RUNTIME_INTERPRETER_H
#define RUNE_RUNTIME_INTERPRETER_H

#include "rune/Runtime/EvalContext.h"

#include <cstddef>
#include <cstdint>

namespace rune {

/// Runs policy `policyIndex` of ctx.module over `registers` (at least the
/// policy's register count, initialized by the caller). Returns 1 when the
/// condition holds, 0 when it does not and -1 on an evaluation error, whose
/// message is in ctx.error: the same contract as a native rune_policy_fn.
///
/// The code must come from a verified module: operands are not
/// bounds-checked here.
int32_t interpretPolicy(EvalContext &ctx, size_t policyIndex, Value *registers);

} // namespace rune

#endif // RUNE_RUNTIME_INTERPRETER_H
