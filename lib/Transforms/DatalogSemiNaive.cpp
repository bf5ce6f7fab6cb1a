//===- DatalogSemiNaive.cpp - Delta versions of recursive queries ---------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// A recursive rule only derives something new in an iteration if one of its
// recursive atoms matches a tuple found in the previous iteration. So a query
// with k atoms over the fixpoint's relations becomes k queries, the i-th
// reading the delta version at atom i and the full relations elsewhere (full
// includes the delta, so no derivation is lost).
//
//===----------------------------------------------------------------------===//

#include "rune/Dialect/Rune/RuneOps.h"
#include "rune/Transforms/DatalogPasses.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace rune;

namespace {

/// The atoms of `query` (outside aggregates) that read the full version of
/// one of `relations`, in a deterministic (walk) order.
std::vector<DlAtomOp>
recursiveAtoms(DlQueryOp query, const llvm::SmallVector<StringRef> &relations) {
  std::vector<DlAtomOp> atoms;
  query.walk([&](DlAtomOp atom) {
    if (atom.getVersion() == DlVersion::Full &&
        !atom->getParentOfType<DlAggregateOp>() &&
        llvm::is_contained(relations, atom.getRelation()))
      atoms.push_back(atom);
  });
  return atoms;
}

struct SemiNaivePass
    : public PassWrapper<SemiNaivePass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(SemiNaivePass)

  StringRef getArgument() const final { return "rune-dl-semi-naive"; }
  StringRef getDescription() const final {
    return "Rewrite recursive Datalog queries to read delta relations "
           "(semi-naive evaluation)";
  }

  void runOnOperation() override {
    getOperation().walk([&](DlFixpointOp fixpoint) {
      llvm::SmallVector<StringRef> relations;
      for (Attribute name : fixpoint.getRelations())
        relations.push_back(cast<FlatSymbolRefAttr>(name).getValue());
      std::vector<DlQueryOp> queries(
          fixpoint.getBody().front().getOps<DlQueryOp>().begin(),
          fixpoint.getBody().front().getOps<DlQueryOp>().end());
      for (DlQueryOp query : queries)
        rewrite(query, relations);
    });
  }

  void rewrite(DlQueryOp query, const llvm::SmallVector<StringRef> &relations) {
    size_t count = recursiveAtoms(query, relations).size();
    // Already rewritten, or planned: leave it.
    bool hasDelta = false;
    query.walk([&](Operation *op) {
      if (auto atom = dyn_cast<DlAtomOp>(op))
        hasDelta |= atom.getVersion() == DlVersion::Delta;
      if (isa<DlScanOp, DlLookupOp>(op))
        hasDelta = true;
    });
    if (count == 0 || hasDelta)
      return;
    OpBuilder builder(query);
    for (size_t i = 1; i < count; ++i) {
      auto copy = cast<DlQueryOp>(builder.clone(*query));
      recursiveAtoms(copy, relations)[i].setVersion(DlVersion::Delta);
    }
    recursiveAtoms(query, relations)[0].setVersion(DlVersion::Delta);
  }
};

} // namespace

std::unique_ptr<Pass> rune::createDatalogSemiNaivePass() {
  return std::make_unique<SemiNaivePass>();
}
