//===- IpeCSE.cpp - CSE only where there is something to share ------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// CSE starts afresh in every operation isolated from above, so CSE of a
// module of policies is CSE of each policy on its own. A policy is left
// alone when no two of its operations are ones CSE could merge: the test
// below takes the conditions of MLIR's CSE (not a terminator, at most one
// single-block region, no memory effects or a single read) and its notion
// of equivalence (OperationEquivalence, locations ignored), but not its
// dominance scopes, so it may send a policy to CSE that CSE then leaves as
// it is, never the other way round. Debug builds check it after every run
// by running CSE on the whole module again, which must change nothing.
//
//===----------------------------------------------------------------------===//

#include "rune/Transforms/IpeCSE.h"

#include "rune/Dialect/Rune/RuneIntentOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/CSE.h"
#include "llvm/ADT/DenseSet.h"

#include <cassert>

using namespace mlir;
using namespace rune;

namespace {

/// CSE's equivalence of operations: name, attributes, operands and result
/// types, locations ignored.
struct EquivalentOperation : llvm::DenseMapInfo<Operation *> {
  static unsigned getHashValue(const Operation *op) {
    return OperationEquivalence::computeHash(
        const_cast<Operation *>(op), OperationEquivalence::directHashValue,
        OperationEquivalence::ignoreHashValue,
        OperationEquivalence::IgnoreLocations);
  }
  static bool isEqual(const Operation *lhs, const Operation *rhs) {
    if (lhs == rhs)
      return true;
    if (lhs == getEmptyKey() || lhs == getTombstoneKey() ||
        rhs == getEmptyKey() || rhs == getTombstoneKey())
      return false;
    return OperationEquivalence::isEquivalentTo(
        const_cast<Operation *>(lhs), const_cast<Operation *>(rhs),
        OperationEquivalence::IgnoreLocations);
  }
};

/// Whether CSE could change anything in a policy.
class CandidateFinder {
public:
  bool mayEliminate(Operation *policy) {
    seen.clear();
    WalkResult result = policy->walk([&](Operation *op) {
      if (op == policy || neverChanged(op))
        return WalkResult::advance();
      if (op->use_empty())
        return WalkResult::interrupt(); // maybe dead: CSE erases those
      if (op->getNumRegions() > 1 ||
          (op->getNumRegions() == 1 && !op->getRegion(0).hasOneBlock()))
        return WalkResult::advance();
      if (!mayBeShared(op))
        return WalkResult::advance();
      return seen.insert(op).second ? WalkResult::advance()
                                    : WalkResult::interrupt();
    });
    return result.wasInterrupted();
  }

private:
  /// Terminators, and operations that say nothing about their effects
  /// (most rune.ipe ones: they can raise), are never merged nor erased by
  /// CSE. Asking an operation for its traits and interfaces costs lookups
  /// through its name, so the answer for each kind of operation is kept.
  bool neverChanged(Operation *op) {
    auto [it, fresh] = neverChangedKinds.try_emplace(op->getName(), false);
    if (fresh)
      it->second = op->hasTrait<OpTrait::IsTerminator>() ||
                   (!op->getName().hasInterface<MemoryEffectOpInterface>() &&
                    !op->hasTrait<OpTrait::HasRecursiveMemoryEffects>());
    return it->second;
  }

  /// Whether CSE may merge `op` with an equivalent one: it has no memory
  /// effects or reads only. mayEliminate runs on modules of rune.ipe
  /// operations only, whose effects come from their ODS traits (none
  /// computes them per operation), so without regions the answer holds for
  /// the kind; asking
  /// it per operation was most of this pass.
  bool mayBeShared(Operation *op) {
    // With regions, recursive effects depend on what the regions hold.
    if (op->getNumRegions() != 0)
      return isMemoryEffectFree(op) || hasSingleEffect<MemoryEffects::Read>(op);
    auto [it, fresh] = sharableKinds.try_emplace(op->getName(), false);
    if (fresh)
      it->second =
          isMemoryEffectFree(op) || hasSingleEffect<MemoryEffects::Read>(op);
    return it->second;
  }

  llvm::DenseMap<OperationName, bool> neverChangedKinds;
  llvm::DenseMap<OperationName, bool> sharableKinds;
  llvm::DenseSet<Operation *, EquivalentOperation> seen;
};

struct IpeCSEPass : PassWrapper<IpeCSEPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(IpeCSEPass)

  StringRef getArgument() const override { return "ipe-cse"; }
  StringRef getDescription() const override {
    return "Eliminate common subexpressions in the IPE policies that have "
           "any";
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    IRRewriter rewriter(&getContext());
    DominanceInfo dominance;
    bool onlyIntentOps = llvm::all_of(*module.getBody(), [](Operation &op) {
      return isa<IntentPolicyOp, IntentEnumOp, IntentIndexGroupOp,
                 IntentIndexAlwaysOp>(op);
    });
    if (!onlyIntentOps) {
      // Not a module of IPE policies: what `cse` does.
      eliminateCommonSubExpressions(rewriter, dominance, module);
      return;
    }
    CandidateFinder candidates;
    for (IntentPolicyOp policy : module.getOps<IntentPolicyOp>())
      if (candidates.mayEliminate(policy))
        eliminateCommonSubExpressions(rewriter, dominance, policy);
#ifndef NDEBUG
    bool changed = false;
    eliminateCommonSubExpressions(rewriter, dominance, module, &changed);
    assert(!changed && "ipe-cse skipped a policy CSE changes");
#endif
  }
};

} // namespace

std::unique_ptr<Pass> rune::createIpeCSEPass() {
  return std::make_unique<IpeCSEPass>();
}

void rune::registerIpeCSEPass() { PassRegistration<IpeCSEPass>(); }
