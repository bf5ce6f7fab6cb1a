//===- PrecedenceGraphTest.cpp - Strata and unstratifiable cycles ---------===//

#include "rune/Transforms/PrecedenceGraph.h"

#include <gtest/gtest.h>

using rune::dl::PrecedenceGraph;

namespace {

std::vector<std::vector<size_t>>
nodesOf(const std::vector<PrecedenceGraph::Component> &components) {
  std::vector<std::vector<size_t>> nodes;
  for (const auto &component : components)
    nodes.push_back(component.nodes);
  return nodes;
}

TEST(PrecedenceGraphTest, IndependentNodesKeepDeclarationOrder) {
  PrecedenceGraph graph(3);
  auto components = graph.components();
  EXPECT_EQ(nodesOf(components),
            (std::vector<std::vector<size_t>>{{0}, {1}, {2}}));
  for (const auto &component : components)
    EXPECT_FALSE(component.recursive);
}

TEST(PrecedenceGraphTest, DependenciesComeFirst) {
  // 0 is derived from 2, which is derived from 1.
  PrecedenceGraph graph(3);
  graph.addEdge(2, 0, false);
  graph.addEdge(1, 2, false);
  EXPECT_EQ(nodesOf(graph.components()),
            (std::vector<std::vector<size_t>>{{1}, {2}, {0}}));
}

TEST(PrecedenceGraphTest, CyclesAreOneRecursiveComponent) {
  // 1 <-> 2 mutually recursive, 3 from 2, 0 alone with a self loop.
  PrecedenceGraph graph(4);
  graph.addEdge(1, 2, false);
  graph.addEdge(2, 1, false);
  graph.addEdge(2, 3, false);
  graph.addEdge(0, 0, false);
  auto components = graph.components();
  ASSERT_EQ(components.size(), 3u);
  EXPECT_EQ(components[0].nodes, (std::vector<size_t>{0}));
  EXPECT_TRUE(components[0].recursive);
  EXPECT_EQ(components[1].nodes, (std::vector<size_t>{1, 2}));
  EXPECT_TRUE(components[1].recursive);
  EXPECT_EQ(components[2].nodes, (std::vector<size_t>{3}));
  EXPECT_FALSE(components[2].recursive);
  EXPECT_FALSE(graph.findNegativeCycle());
}

TEST(PrecedenceGraphTest, NegationBetweenStrataIsFine) {
  PrecedenceGraph graph(2);
  graph.addEdge(0, 1, /*negative=*/true);
  graph.addEdge(1, 1, false);
  EXPECT_FALSE(graph.findNegativeCycle());
}

TEST(PrecedenceGraphTest, NegativeCycleIsReportedAsAPath) {
  // p(0) depends negatively on q(1); q depends on r(2); r depends on p.
  PrecedenceGraph graph(3);
  graph.addEdge(1, 0, /*negative=*/true);
  graph.addEdge(2, 1, false);
  graph.addEdge(0, 2, false);
  auto cycle = graph.findNegativeCycle();
  ASSERT_TRUE(cycle);
  EXPECT_EQ(*cycle, (std::vector<size_t>{0, 1, 2, 0}));
}

TEST(PrecedenceGraphTest, NegativeSelfLoop) {
  PrecedenceGraph graph(1);
  graph.addEdge(0, 0, /*negative=*/true);
  auto cycle = graph.findNegativeCycle();
  ASSERT_TRUE(cycle);
  EXPECT_EQ(*cycle, (std::vector<size_t>{0, 0}));
}

TEST(PrecedenceGraphTest, LongChainsDoNotExhaustTheStack) {
  const size_t n = 200000;
  PrecedenceGraph graph(n);
  for (size_t i = 0; i + 1 < n; ++i)
    graph.addEdge(i, i + 1, false);
  auto components = graph.components();
  ASSERT_EQ(components.size(), n);
  EXPECT_EQ(components.front().nodes, (std::vector<size_t>{0}));
  EXPECT_EQ(components.back().nodes, (std::vector<size_t>{n - 1}));
}

} // namespace
