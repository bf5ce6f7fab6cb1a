//===- IpeCanonicalize.cpp - Canonicalizing only what can fold ------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Policies are isolated from above and share nothing the folds read, so
// canonicalizing each policy on its own gives what canonicalizing the whole
// module gives; a policy in which no operation can change is left alone.
// The test is mayCanonicalizeIntentOp, which mirrors the folds and patterns
// of RuneIntentOps.cpp: a fold added there needs its case here. Debug builds
// check the claim after every run by canonicalizing the whole module again,
// which must change nothing.
//
//===----------------------------------------------------------------------===//

#include "rune/Transforms/IpeCanonicalize.h"

#include "rune/Dialect/Rune/RuneIntentOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cassert>

using namespace mlir;
using namespace rune;

bool rune::mayCanonicalizeIntentOp(Operation *op) {
  // The canonicalizer erases unused operations without effects; an unused
  // result is rare enough not to ask whether the op has effects.
  if (op->getNumResults() != 0 && op->use_empty())
    return true;
  auto definedBy = [](mlir::Value value, auto... kinds) {
    Operation *def = value.getDefiningOp();
    return def && (isa<decltype(kinds)>(def) || ...);
  };
  return TypeSwitch<Operation *, bool>(op)
      // Constants are deduplicated and moved to the start of their region.
      .Case([](IntentBoolOp) { return true; })
      // `not` of a constant or of a `not`.
      .Case([&](IntentNotOp notOp) {
        return definedBy(notOp.getValue(), IntentBoolOp(), IntentNotOp());
      })
      // `and` / `or` with a constant left-hand side.
      .Case<IntentAndOp, IntentOrOp>([&](Operation *logical) {
        return definedBy(logical->getOperand(0), IntentBoolOp());
      })
      // `==` / `!=` between two literals.
      .Case([&](IntentCompareOp cmp) {
        return (cmp.getPredicate() == "eq" || cmp.getPredicate() == "ne") &&
               definedBy(cmp.getLhs(), IntentLiteralOp()) &&
               definedBy(cmp.getRhs(), IntentLiteralOp());
      })
      // No folds and no patterns.
      .Case<IntentPolicyOp, IntentYieldOp, IntentEnumOp, IntentReadOp,
            IntentGetOp, IntentLiteralOp, IntentInOp, IntentTruthOp,
            IntentAggregateOp, IntentIndexGroupOp, IntentIndexAlwaysOp>(
          [](Operation *) { return false; })
      .Default([](Operation *) { return true; });
}

namespace {

struct IpeCanonicalizePass
    : PassWrapper<IpeCanonicalizePass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(IpeCanonicalizePass)

  StringRef getArgument() const override { return "ipe-canonicalize"; }
  StringRef getDescription() const override {
    return "Canonicalize the IPE policies that hold something to fold";
  }

  /// The canonicalizer's patterns: those of every loaded dialect and
  /// registered operation.
  LogicalResult initialize(MLIRContext *context) override {
    RewritePatternSet owning(context);
    for (Dialect *dialect : context->getLoadedDialects())
      dialect->getCanonicalizationPatterns(owning);
    for (RegisteredOperationName name : context->getRegisteredOperations())
      name.getCanonicalizationPatterns(owning, context);
    patterns = FrozenRewritePatternSet(std::move(owning));
    return success();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // IPE regions are single blocks, in which region simplification finds
    // nothing the driver does not erase itself (Pipeline.h).
    GreedyRewriteConfig config;
    config.enableRegionSimplification = GreedySimplifyRegionLevel::Disabled;
    bool onlyIntentOps = llvm::all_of(*module.getBody(), [](Operation &op) {
      return isa<IntentPolicyOp, IntentEnumOp, IntentIndexGroupOp,
                 IntentIndexAlwaysOp>(op);
    });
    if (!onlyIntentOps) {
      // Not a module of IPE policies: the canonicalizer's behavior.
      (void)applyPatternsAndFoldGreedily(module, patterns, config);
      return;
    }
    for (IntentPolicyOp policy : module.getOps<IntentPolicyOp>()) {
      WalkResult found = policy->walk([](Operation *op) {
        return mayCanonicalizeIntentOp(op) ? WalkResult::interrupt()
                                           : WalkResult::advance();
      });
      if (found.wasInterrupted())
        (void)applyPatternsAndFoldGreedily(policy, patterns, config);
    }
#ifndef NDEBUG
    bool changed = false;
    (void)applyPatternsAndFoldGreedily(module, patterns, config, &changed);
    assert(!changed && "mayCanonicalizeIntentOp missed a fold");
#endif
  }

  FrozenRewritePatternSet patterns;
};

} // namespace

std::unique_ptr<Pass> rune::createIpeCanonicalizePass() {
  return std::make_unique<IpeCanonicalizePass>();
}

void rune::registerIpeCanonicalizePass() {
  PassRegistration<IpeCanonicalizePass>();
}
