//===- DatalogPlan.cpp - Join order and loop nests for Datalog queries ----===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// An unplanned query is a flat block: atoms (each binding its columns) and
// guards in any order that respects SSA. Planning rebuilds it as a loop
// nest, greedily:
//
//   1. place every guard and value whose operands are available (so a
//      filter runs as soon as it can prune);
//   2. pick the next atom: one reading a delta relation first (it is the
//      small one in semi-naive evaluation), then the one with the most
//      columns bound by an equality with an available value, then source
//      order;
//   3. open a scan over it, or an index lookup on its bound columns (the
//      equality guards it makes redundant are dropped), and continue in
//      its body.
//
// Inserts (and an aggregate's accumulate) go innermost, after every atom.
// Aggregate bodies are planned the same way, with the values of the
// enclosing nest available.
//
//===----------------------------------------------------------------------===//

#include "rune/Dialect/Rune/RuneOps.h"
#include "rune/Transforms/DatalogPasses.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;
using namespace rune;

namespace {

class BlockPlanner {
public:
  explicit BlockPlanner(Block &block) : block(block) {}

  LogicalResult plan() {
    for (Operation &op : llvm::make_early_inc_range(block)) {
      op.remove();
      pending.push_back(&op);
      for (Value result : op.getResults())
        unavailable.insert(result);
    }
    Block *insertion = &block;
    while (true) {
      placeReadyOps(*insertion);
      DlAtomOp atom = pickAtom();
      if (!atom)
        break;
      insertion = openLoop(atom, *insertion);
    }
    if (!pending.empty()) {
      pending.front()->emitError(
          "cannot plan this query: an operand is never bound");
      return failure();
    }
    for (DlAggregateOp aggregate : aggregates)
      if (failed(BlockPlanner(aggregate.getBody().front()).plan()))
        return failure();
    return success();
  }

private:
  bool isAvailable(Value value) const { return !unavailable.contains(value); }

  bool isReady(Operation *op) const {
    if (isa<DlAtomOp>(op))
      return false;
    // Inserts and accumulates need every atom to have been opened.
    if (isa<DlInsertOp, DlAccumulateOp>(op) && hasPendingAtom())
      return false;
    for (Value operand : op->getOperands())
      if (!isAvailable(operand))
        return false;
    // Values an aggregate's body uses from outside it. (Pending operations
    // are unlinked from any block, so MLIR's region utilities, which go
    // through parent regions, cannot be used here.)
    bool capturesUnavailable = false;
    if (op->getNumRegions())
      op->walk([&](Operation *inner) {
        for (Value operand : inner->getOperands()) {
          Operation *owner = operand.getDefiningOp();
          if (!owner)
            owner = cast<BlockArgument>(operand).getOwner()->getParentOp();
          if (!op->isAncestor(owner) && !isAvailable(operand))
            capturesUnavailable = true;
        }
      });
    return !capturesUnavailable;
  }

  bool hasPendingAtom() const {
    return llvm::any_of(pending,
                        [](Operation *op) { return isa<DlAtomOp>(op); });
  }

  void placeReadyOps(Block &insertion) {
    bool progress = true;
    while (progress) {
      progress = false;
      for (size_t i = 0; i < pending.size(); ++i) {
        Operation *op = pending[i];
        if (!isReady(op))
          continue;
        insertion.push_back(op);
        for (Value result : op->getResults())
          unavailable.erase(result);
        if (auto aggregate = dyn_cast<DlAggregateOp>(op))
          aggregates.push_back(aggregate);
        pending.erase(pending.begin() + i);
        --i;
        progress = true;
      }
    }
  }

  /// An equality guard `filter (cmp eq %column, %value)` with %value
  /// available: the column is bound to %value.
  struct Binding {
    unsigned column;
    Value value;
    DlFilterOp filter;
  };

  std::vector<Binding> boundColumns(DlAtomOp atom) const {
    std::vector<Binding> bindings;
    for (Operation *op : pending) {
      auto filter = dyn_cast<DlFilterOp>(op);
      if (!filter)
        continue;
      auto compare = filter.getCondition().getDefiningOp<DlCompareOp>();
      if (!compare || compare.getPredicate() != DlCompare::Eq ||
          !compare->hasOneUse())
        continue;
      for (int side = 0; side < 2; ++side) {
        Value column = side ? compare.getRhs() : compare.getLhs();
        Value value = side ? compare.getLhs() : compare.getRhs();
        auto result = dyn_cast<OpResult>(column);
        if (!result || result.getOwner() != atom.getOperation() ||
            !isAvailable(value))
          continue;
        unsigned index = result.getResultNumber();
        if (llvm::any_of(bindings,
                         [&](const Binding &b) { return b.column == index; }))
          continue;
        bindings.push_back({index, value, filter});
        break;
      }
    }
    return bindings;
  }

  DlAtomOp pickAtom() const {
    DlAtomOp best;
    std::pair<int, size_t> bestScore{-1, 0};
    for (Operation *op : pending) {
      auto atom = dyn_cast<DlAtomOp>(op);
      if (!atom)
        continue;
      std::pair<int, size_t> score{atom.getVersion() == DlVersion::Delta ? 1
                                                                         : 0,
                                   boundColumns(atom).size()};
      if (!best || score > bestScore) {
        best = atom;
        bestScore = score;
      }
    }
    return best;
  }

  Block *openLoop(DlAtomOp atom, Block &insertion) {
    std::vector<Binding> bindings = boundColumns(atom);
    llvm::sort(bindings, [](const Binding &a, const Binding &b) {
      return a.column < b.column;
    });
    OpBuilder builder(atom.getContext());
    builder.setInsertionPointToEnd(&insertion);
    Region *body;
    if (bindings.empty()) {
      auto scan = builder.create<DlScanOp>(atom.getLoc(), atom.getRelation(),
                                           atom.getVersion());
      body = &scan.getBody();
    } else {
      llvm::SmallVector<int64_t> columns;
      llvm::SmallVector<Value> keys;
      for (const Binding &binding : bindings) {
        columns.push_back(binding.column);
        keys.push_back(binding.value);
      }
      auto lookup = builder.create<DlLookupOp>(
          atom.getLoc(), atom.getRelation(), atom.getVersion(), columns, keys,
          IntegerAttr());
      body = &lookup.getBody();
    }
    Block *inner = new Block();
    body->push_back(inner);
    for (Value column : atom.getResults())
      column.replaceAllUsesWith(
          inner->addArgument(column.getType(), atom.getLoc()));
    // The lookup guarantees the equalities it was chosen for.
    for (Binding &binding : bindings) {
      Operation *compare = binding.filter.getCondition().getDefiningOp();
      llvm::erase(pending, binding.filter.getOperation());
      llvm::erase(pending, compare);
      binding.filter->destroy();
      compare->destroy();
    }
    llvm::erase(pending, atom.getOperation());
    atom->destroy();
    return inner;
  }

  Block &block;
  std::vector<Operation *> pending;
  llvm::DenseSet<Value> unavailable;
  std::vector<DlAggregateOp> aggregates;
};

struct PlanPass : public PassWrapper<PlanPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(PlanPass)

  StringRef getArgument() const final { return "rune-dl-plan"; }
  StringRef getDescription() const final {
    return "Order the joins of Datalog queries and build their loop nests "
           "(scans, index lookups, guards placed early)";
  }

  void runOnOperation() override {
    std::vector<DlQueryOp> queries;
    getOperation().walk([&](DlQueryOp query) { queries.push_back(query); });
    for (DlQueryOp query : queries) {
      // Facts and already planned queries have no atoms left.
      bool unplanned = false;
      query.walk([&](DlAtomOp) { unplanned = true; });
      if (unplanned && failed(BlockPlanner(query.getBody().front()).plan()))
        return signalPassFailure();
    }
  }
};

} // namespace

std::unique_ptr<Pass> rune::createDatalogPlanPass() {
  return std::make_unique<PlanPass>();
}
