//===- DatalogIndexSelection.cpp - The indexes each relation needs --------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Every lookup and negation reads a relation by a set of bound columns. An
// index (a column order) serves every set that is a prefix of its order, so
// sets that form a chain under inclusion ({1} ⊂ {1, 2}) share one index.
// Covering the sets with few chains (greedy, smallest sets first, each set
// appended to a chain whose last set it contains) gives few indexes; each
// chain's order lists its sets' columns in order of appearance, then the
// remaining columns. The orders are recorded on the relation (`indexes`),
// and every lookup names its index and lists its key columns in that
// index's order, which is the order the backends pass keys in.
//
//===----------------------------------------------------------------------===//

#include "rune/Dialect/Rune/RuneOps.h"
#include "rune/Transforms/DatalogPasses.h"
#include "rune/Transforms/IndexSelection.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"

#include <map>
#include <set>

using namespace mlir;
using namespace rune;

namespace {

using dl::ColumnSet;

struct RelationIndexes {
  std::vector<ColumnSet> patterns;
  dl::IndexSelection selection;
};

/// Reorders `columns` and `keys` to the index's order.
template <typename OpT> void assignIndex(OpT op, RelationIndexes &rel) {
  ColumnSet pattern(op.getColumns().begin(), op.getColumns().end());
  size_t index = rel.selection.indexOfPattern.at(pattern);
  llvm::ArrayRef<int64_t> order = rel.selection.orders[index];
  llvm::SmallVector<int64_t> columns(op.getColumns());
  llvm::SmallVector<Value> keys(op.getKeys());
  llvm::SmallVector<int64_t> newColumns;
  llvm::SmallVector<Value> newKeys;
  for (int64_t column : order.take_front(columns.size())) {
    size_t position = llvm::find(columns, column) - columns.begin();
    newColumns.push_back(column);
    newKeys.push_back(keys[position]);
  }
  op.setColumns(newColumns);
  op.getKeysMutable().assign(newKeys);
  op.setIndex(index);
}

struct IndexSelectionPass
    : public PassWrapper<IndexSelectionPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(IndexSelectionPass)

  StringRef getArgument() const final { return "rune-dl-select-indexes"; }
  StringRef getDescription() const final {
    return "Choose the column orders each Datalog relation is indexed by "
           "(a chain cover of its lookup patterns)";
  }

  void runOnOperation() override {
    for (auto program : getOperation().getOps<DlProgramOp>()) {
      llvm::StringMap<RelationIndexes> indexes;
      program.walk([&](Operation *op) {
        if (auto lookup = dyn_cast<DlLookupOp>(op))
          indexes[lookup.getRelation()].patterns.emplace_back(
              lookup.getColumns().begin(), lookup.getColumns().end());
        else if (auto negation = dyn_cast<DlNotExistsOp>(op))
          indexes[negation.getRelation()].patterns.emplace_back(
              negation.getColumns().begin(), negation.getColumns().end());
      });
      Builder builder(program.getContext());
      for (DlRelationOp relation :
           program.getBody().front().getOps<DlRelationOp>()) {
        RelationIndexes &rel = indexes[relation.getSymName()];
        rel.selection = dl::selectIndexes(rel.patterns, relation.getArity());
        llvm::SmallVector<Attribute> orders;
        for (const auto &order : rel.selection.orders)
          orders.push_back(builder.getDenseI64ArrayAttr(order));
        relation.setIndexesAttr(builder.getArrayAttr(orders));
      }
      program.walk([&](Operation *op) {
        if (auto lookup = dyn_cast<DlLookupOp>(op))
          assignIndex(lookup, indexes[lookup.getRelation()]);
        else if (auto negation = dyn_cast<DlNotExistsOp>(op))
          assignIndex(negation, indexes[negation.getRelation()]);
      });
    }
  }
};

} // namespace

std::unique_ptr<Pass> rune::createDatalogIndexSelectionPass() {
  return std::make_unique<IndexSelectionPass>();
}
