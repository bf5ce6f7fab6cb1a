//===- PrecedenceGraph.cpp - Datalog stratification -----------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Transforms/PrecedenceGraph.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <queue>
#include <set>

using namespace rune::dl;

void PrecedenceGraph::addEdge(size_t from, size_t to, bool negative) {
  edges[from].push_back({to, negative});
}

/// Tarjan's algorithm, iterative (programs may have long dependency chains
/// and a recursive version could exhaust the stack).
std::vector<size_t> PrecedenceGraph::componentIds(size_t &numComponents) const {
  constexpr size_t unvisited = std::numeric_limits<size_t>::max();
  size_t n = edges.size();
  std::vector<size_t> index(n, unvisited), lowLink(n, 0), component(n, 0);
  std::vector<bool> onStack(n, false);
  std::vector<size_t> stack;
  size_t nextIndex = 0;
  numComponents = 0;
  struct Frame {
    size_t node;
    size_t edge;
  };
  for (size_t root = 0; root < n; ++root) {
    if (index[root] != unvisited)
      continue;
    std::vector<Frame> frames{{root, 0}};
    index[root] = lowLink[root] = nextIndex++;
    stack.push_back(root);
    onStack[root] = true;
    while (!frames.empty()) {
      Frame &frame = frames.back();
      size_t node = frame.node;
      if (frame.edge < edges[node].size()) {
        size_t next = edges[node][frame.edge++].to;
        if (index[next] == unvisited) {
          index[next] = lowLink[next] = nextIndex++;
          stack.push_back(next);
          onStack[next] = true;
          frames.push_back({next, 0});
        } else if (onStack[next]) {
          lowLink[node] = std::min(lowLink[node], index[next]);
        }
        continue;
      }
      if (lowLink[node] == index[node]) {
        size_t member;
        do {
          member = stack.back();
          stack.pop_back();
          onStack[member] = false;
          component[member] = numComponents;
        } while (member != node);
        ++numComponents;
      }
      frames.pop_back();
      if (!frames.empty()) {
        size_t parent = frames.back().node;
        lowLink[parent] = std::min(lowLink[parent], lowLink[node]);
      }
    }
  }
  return component;
}

std::vector<PrecedenceGraph::Component> PrecedenceGraph::components() const {
  size_t numComponents;
  std::vector<size_t> ids = componentIds(numComponents);
  std::vector<Component> byId(numComponents);
  for (size_t node = 0; node < edges.size(); ++node)
    byId[ids[node]].nodes.push_back(node);
  // The condensation, ordered topologically (Kahn); among the components
  // that are ready, the one with the lowest node first, so the strata
  // follow declaration order wherever the dependencies allow.
  std::vector<std::set<size_t>> successors(numComponents);
  std::vector<size_t> pendingInputs(numComponents, 0);
  for (size_t node = 0; node < edges.size(); ++node) {
    for (const Edge &edge : edges[node]) {
      if (ids[edge.to] == ids[node]) {
        byId[ids[node]].recursive = true;
        continue;
      }
      if (successors[ids[node]].insert(ids[edge.to]).second)
        ++pendingInputs[ids[edge.to]];
    }
  }
  auto lowestNode = [&](size_t component) { return byId[component].nodes[0]; };
  auto later = [&](size_t a, size_t b) {
    return lowestNode(a) > lowestNode(b);
  };
  std::priority_queue<size_t, std::vector<size_t>, decltype(later)> ready(
      later);
  for (size_t c = 0; c < numComponents; ++c)
    if (pendingInputs[c] == 0)
      ready.push(c);
  std::vector<Component> result;
  while (!ready.empty()) {
    size_t c = ready.top();
    ready.pop();
    result.push_back(byId[c]);
    for (size_t next : successors[c])
      if (--pendingInputs[next] == 0)
        ready.push(next);
  }
  return result;
}

std::optional<std::vector<size_t>> PrecedenceGraph::findNegativeCycle() const {
  size_t numComponents;
  std::vector<size_t> ids = componentIds(numComponents);
  for (size_t from = 0; from < edges.size(); ++from) {
    for (const Edge &edge : edges[from]) {
      if (!edge.negative || ids[edge.to] != ids[from])
        continue;
      // `edge.to` depends negatively on `from`; close the cycle with a
      // shortest path from `edge.to` back to `from` inside the component.
      std::vector<size_t> parent(edges.size(),
                                 std::numeric_limits<size_t>::max());
      std::deque<size_t> queue{edge.to};
      parent[edge.to] = edge.to;
      while (!queue.empty() &&
             parent[from] == std::numeric_limits<size_t>::max()) {
        size_t node = queue.front();
        queue.pop_front();
        for (const Edge &next : edges[node]) {
          if (ids[next.to] != ids[from] ||
              parent[next.to] != std::numeric_limits<size_t>::max())
            continue;
          parent[next.to] = node;
          queue.push_back(next.to);
        }
      }
      // Walking the BFS parents from `from` lists each relation followed by
      // one it is derived from, back to `edge.to`, which closes the cycle
      // through the negative edge (edge.to depends negatively on from).
      std::vector<size_t> cycle{edge.to, from};
      for (size_t node = from; node != edge.to;) {
        node = parent[node];
        cycle.push_back(node);
      }
      return cycle;
    }
  }
  return std::nullopt;
}
