//===- Authorizer.h - From policy results to a decision ---------*- C++ -*-===//
//
// Evaluates every policy of a module, through the interpreter or the
// module's native functions, and assembles Cedar's decision: a policy whose
// evaluation errors is skipped and reported; any satisfied forbid denies;
// otherwise any satisfied permit allows; otherwise the default deny. Errors
// never allow.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_AUTHORIZER_H
#define RUNE_RUNTIME_AUTHORIZER_H

#include "rune/Runtime/Arena.h"
#include "rune/Runtime/EntityStore.h"
#include "rune/Runtime/Module.h"
#include "rune/Runtime/Request.h"
#include "rune/Runtime/Value.h"

#include <memory>
#include <string>
#include <vector>

struct rune_eval_state; // EvalContext.h, kept out of this header

namespace rune {

/// Frees a native evaluation state (EvalScratch::nativeContext), where the
/// type is complete.
struct NativeContextDeleter {
  void operator()(rune_eval_state *context) const;
};

enum class Decision { Deny, Allow };

struct PolicyError {
  std::string policyId;
  std::string message;
};

struct Response {
  Decision decision = Decision::Deny;
  /// Deciding policies in module order: the satisfied forbids on deny, the
  /// satisfied permits on allow, none for the default deny.
  std::vector<std::string> reasons;
  std::vector<PolicyError> errors; // in module order
};

/// A decision as the C API keeps it: the deciding policies as indices into
/// the module's policy table, so no policy id is copied per decision (the C
/// API reads the names from the module when asked).
struct IndexedResponse {
  Decision decision = Decision::Deny;
  /// Indices of the deciding policies, in module order (see Response).
  std::vector<uint32_t> reasons;
  std::vector<PolicyError> errors; // in module order
};

/// Memory reused from one authorization to the next: the arena for
/// temporaries (reset after each call) and the register file.
struct EvalScratch {
  Arena arena{16 * 1024};
  std::vector<Value> registers;
  /// Indices of the satisfied policies of the current call.
  std::vector<uint32_t> satisfiedPermits;
  std::vector<uint32_t> satisfiedForbids;
  /// The request whose uids were last looked up in the store with serial
  /// `resolvedSerial` (evaluatePolicies on native modules): a hint that
  /// saves the lookups, never a correctness matter.
  const Request *resolvedRequest = nullptr;
  uint32_t resolvedSerial = 0;
  /// The evaluation state of native modules, kept from one authorization
  /// to the next: its request and store fields (and the frame's request
  /// variables) are only rewritten when the request or the store changes,
  /// so a repeated decision sets up only the module's fields.
  /// Allocated by the first native authorization.
  std::unique_ptr<rune_eval_state, NativeContextDeleter> nativeContext;
};

/// Returns false (with a message) only when the inputs cannot be used
/// together (different engines); evaluation errors go into the response.
bool authorize(const LoadedModule &module, const EntityStore &entities,
               const Request &request, EvalScratch &scratch, Response &response,
               std::string &error);
/// The same decision, reasons by policy index. Returns nullptr, or why the
/// inputs cannot be used together (a static string: the C API's hot path
/// builds no std::string).
const char *authorize(const LoadedModule &module, const EntityStore &entities,
                      const Request &request, EvalScratch &scratch,
                      IndexedResponse &response);

} // namespace rune

#endif // RUNE_RUNTIME_AUTHORIZER_H
