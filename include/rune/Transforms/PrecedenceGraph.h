//===- PrecedenceGraph.h - Datalog stratification ---------------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The precedence graph of a Datalog program: one node per relation, an edge
// from each relation a rule reads to the relation it derives, marked
// negative when the rule reads it under negation or in an aggregate. Its
// strongly connected components, in topological order, are the strata; a
// negative edge inside a component makes the program unstratifiable.
//
// Plain data (no MLIR), so that it can be unit tested on its own.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_TRANSFORMS_PRECEDENCEGRAPH_H
#define RUNE_TRANSFORMS_PRECEDENCEGRAPH_H

#include <cstddef>
#include <optional>
#include <vector>

namespace rune::dl {

class PrecedenceGraph {
public:
  explicit PrecedenceGraph(size_t numNodes) : edges(numNodes) {}

  /// `to` is derived from `from` (negatively: `to` needs all of `from`).
  void addEdge(size_t from, size_t to, bool negative);

  size_t size() const { return edges.size(); }

  struct Component {
    std::vector<size_t> nodes; ///< ascending
    /// A node of the component is derived from the component itself (a
    /// cycle, or a self loop): it needs a fixpoint.
    bool recursive = false;
  };

  /// The strongly connected components, each after every component it
  /// depends on.
  std::vector<Component> components() const;

  /// A cycle through a negative edge, if any: nodes n0, n1, ..., n0 where
  /// each is derived from the next (n0 depends negatively on n1).
  std::optional<std::vector<size_t>> findNegativeCycle() const;

private:
  struct Edge {
    size_t to;
    bool negative;
  };
  std::vector<std::vector<Edge>> edges;

  std::vector<size_t> componentIds(size_t &numComponents) const;
};

} // namespace rune::dl

#endif // RUNE_TRANSFORMS_PRECEDENCEGRAPH_H
