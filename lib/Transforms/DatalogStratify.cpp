//===- DatalogStratify.cpp - Strata and fixpoints from the SCCs -----------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Dialect/Rune/RuneOps.h"
#include "rune/Transforms/DatalogPasses.h"
#include "rune/Transforms/PrecedenceGraph.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"

#include <map>

using namespace mlir;
using namespace rune;

namespace {

/// The relation a query derives (IRGen writes one insert per query).
StringRef headOf(DlQueryOp query) {
  StringRef head;
  query.walk([&](DlInsertOp insert) { head = insert.getRelation(); });
  return head;
}

struct Read {
  StringRef relation;
  bool negative;
  Operation *op;
};

/// Every relation a query reads; reads under negation or inside an
/// aggregate are negative (they need the whole relation).
std::vector<Read> readsOf(DlQueryOp query) {
  std::vector<Read> reads;
  query.walk([&](Operation *op) {
    bool inAggregate = op->getParentOfType<DlAggregateOp>() != nullptr;
    if (auto atom = dyn_cast<DlAtomOp>(op))
      reads.push_back({atom.getRelation(), inAggregate, op});
    else if (auto scan = dyn_cast<DlScanOp>(op))
      reads.push_back({scan.getRelation(), inAggregate, op});
    else if (auto lookup = dyn_cast<DlLookupOp>(op))
      reads.push_back({lookup.getRelation(), inAggregate, op});
    else if (auto negation = dyn_cast<DlNotExistsOp>(op))
      reads.push_back({negation.getRelation(), true, op});
  });
  return reads;
}

struct StratifyPass
    : public PassWrapper<StratifyPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(StratifyPass)

  StringRef getArgument() const final { return "rune-dl-stratify"; }
  StringRef getDescription() const final {
    return "Group Datalog queries into strata and fixpoints (precedence "
           "graph SCCs); reject negation or aggregation through recursion";
  }

  void runOnOperation() override {
    for (auto program : getOperation().getOps<DlProgramOp>())
      if (failed(stratify(program)))
        return signalPassFailure();
  }

  LogicalResult stratify(DlProgramOp program) {
    Block &body = program.getBody().front();
    std::vector<DlQueryOp> queries;
    for (Operation &op : body) {
      if (isa<DlStratumOp, DlFixpointOp>(op))
        return success(); // already stratified
      if (auto query = dyn_cast<DlQueryOp>(op))
        queries.push_back(query);
    }
    std::vector<DlRelationOp> relations(body.getOps<DlRelationOp>().begin(),
                                        body.getOps<DlRelationOp>().end());
    llvm::StringMap<size_t> ids;
    for (size_t i = 0; i < relations.size(); ++i)
      ids[relations[i].getSymName()] = i;

    dl::PrecedenceGraph graph(relations.size());
    // The operation that reads `from` negatively for `to`, for the error.
    std::map<std::pair<size_t, size_t>, Operation *> negativeReads;
    std::vector<size_t> heads;
    for (DlQueryOp query : queries) {
      size_t head = ids.lookup(headOf(query));
      heads.push_back(head);
      for (const Read &read : readsOf(query)) {
        size_t from = ids.lookup(read.relation);
        graph.addEdge(from, head, read.negative);
        if (read.negative)
          negativeReads.emplace(std::make_pair(from, head), read.op);
      }
    }

    if (std::optional<std::vector<size_t>> cycle = graph.findNegativeCycle()) {
      // Auxiliary relations (what a .rune aggregate ranges over) are not in
      // the source; the error points at the aggregate itself.
      std::string path;
      for (size_t node : *cycle) {
        if (relations[node].getAuxiliary())
          continue;
        path +=
            (path.empty() ? "" : " -> ") + relations[node].getSymName().str();
      }
      Operation *at = negativeReads.at({(*cycle)[1], (*cycle)[0]});
      at->emitError("the program cannot be stratified: ")
          << path << " (a relation depends on itself through "
          << (isa<DlNotExistsOp>(at) ? "negation" : "an aggregate") << ")";
      return failure();
    }

    OpBuilder builder(program.getContext());
    builder.setInsertionPointToEnd(&body);
    for (const dl::PrecedenceGraph::Component &component : graph.components()) {
      llvm::SmallVector<size_t> members(component.nodes.begin(),
                                        component.nodes.end());
      auto inComponent = [&](StringRef relation) {
        return llvm::is_contained(members, ids.lookup(relation));
      };
      std::vector<DlQueryOp> base, recursive;
      for (size_t i = 0; i < queries.size(); ++i) {
        if (!inComponent(relations[heads[i]].getSymName()))
          continue;
        bool isRecursive =
            llvm::any_of(readsOf(queries[i]), [&](const Read &r) {
              return inComponent(r.relation);
            });
        (isRecursive ? recursive : base).push_back(queries[i]);
      }
      if (base.empty() && recursive.empty())
        continue; // only input relations: nothing to evaluate
      auto stratum = builder.create<DlStratumOp>(program.getLoc());
      Block *stratumBody = new Block();
      stratum.getBody().push_back(stratumBody);
      for (DlQueryOp query : base)
        query->moveBefore(stratumBody, stratumBody->end());
      if (recursive.empty())
        continue;
      llvm::SmallVector<Attribute> names;
      for (size_t member : members)
        names.push_back(
            FlatSymbolRefAttr::get(relations[member].getSymNameAttr()));
      OpBuilder inner(program.getContext());
      inner.setInsertionPointToEnd(stratumBody);
      auto fixpoint = inner.create<DlFixpointOp>(program.getLoc(),
                                                 inner.getArrayAttr(names));
      Block *fixpointBody = new Block();
      fixpoint.getBody().push_back(fixpointBody);
      for (DlQueryOp query : recursive) {
        query->moveBefore(fixpointBody, fixpointBody->end());
        query.walk(
            [](DlInsertOp insert) { insert.setVersion(DlVersion::New); });
      }
    }
    return success();
  }
};

} // namespace

std::unique_ptr<Pass> rune::createDatalogStratifyPass() {
  return std::make_unique<StratifyPass>();
}
