//===- EvalContext.h - State of one evaluation ------------------*- C++ -*-===//
//
// rune_eval_state, opaque in rune_native.h, is what every operation gets:
// the module (constants, interned strings), the entity store, the request,
// the scratch arena for temporaries and the error slot. The interpreter and
// natively compiled policies share it, so both report errors the same way.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_EVALCONTEXT_H
#define RUNE_RUNTIME_EVALCONTEXT_H

#include "rune/Runtime/Arena.h"
#include "rune/Runtime/EntityStore.h"
#include "rune/Runtime/Module.h"
#include "rune/Runtime/Request.h"
#include "rune/rune_native.h"

#include <string>

struct rune_eval_state {
  /// Must stay the first member: compiled code reads it through the state
  /// pointer (rune_native.h). Set by the authorizer for native modules.
  rune_eval_frame frame{};
  const rune::LoadedModule *module = nullptr;
  const rune::EntityStore *entities = nullptr;
  const rune::Request *request = nullptr;
  rune::Arena *arena = nullptr;
  const rune::SymbolTable *symbols = nullptr;
  /// The first error of the current policy; `failed` says whether it is set.
  std::string error;
  bool failed = false;
  /// What a state kept from one native authorization to the next
  /// (EvalScratch::nativeContext) was last set up for: the module's and the
  /// store's serials (0: not set up). Serials are never reused, so equal
  /// serials (and the same request) mean every field above is still right
  /// but `arena`, which is rewritten on every call.
  uint64_t boundModule = 0;
  uint32_t boundStore = 0;
};

namespace rune {

using EvalContext = ::rune_eval_state;

/// Records an evaluation error and returns false, so operations can write
/// `return fail(ctx, ...)`.
inline bool fail(EvalContext &ctx, std::string message) {
  if (!ctx.failed) {
    ctx.error = std::move(message);
    ctx.failed = true;
  }
  return false;
}

} // namespace rune

#endif // RUNE_RUNTIME_EVALCONTEXT_H
