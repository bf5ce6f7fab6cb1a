//===- IndexSelectionTest.cpp - Index orders from lookup patterns ---------===//

#include "rune/Transforms/IndexSelection.h"

#include <gtest/gtest.h>

using rune::dl::ColumnSet;
using rune::dl::selectIndexes;

namespace {

using Orders = std::vector<std::vector<int64_t>>;

TEST(IndexSelectionTest, NoLookupsGiveTheColumnOrder) {
  auto selection = selectIndexes({}, 3);
  EXPECT_EQ(selection.orders, (Orders{{0, 1, 2}}));
  EXPECT_EQ(selection.indexOfPattern.at(ColumnSet()), 0u);
}

TEST(IndexSelectionTest, NullaryRelations) {
  auto selection = selectIndexes({ColumnSet()}, 0);
  EXPECT_EQ(selection.orders, (Orders{{}}));
}

TEST(IndexSelectionTest, ChainsShareOneIndex) {
  // {1} ⊂ {1, 2} ⊂ {0, 1, 2}: one order serves all three as prefixes.
  auto selection = selectIndexes({{1, 2}, {1}, {0, 1, 2}, {1}}, 3);
  EXPECT_EQ(selection.orders, (Orders{{1, 2, 0}}));
  EXPECT_EQ(selection.indexOfPattern.at({1}), 0u);
  EXPECT_EQ(selection.indexOfPattern.at({1, 2}), 0u);
  EXPECT_EQ(selection.indexOfPattern.at({0, 1, 2}), 0u);
}

TEST(IndexSelectionTest, IncomparablePatternsNeedTwoIndexes) {
  auto selection = selectIndexes({{0}, {1}}, 2);
  EXPECT_EQ(selection.orders, (Orders{{0, 1}, {1, 0}}));
  EXPECT_EQ(selection.indexOfPattern.at({0}), 0u);
  EXPECT_EQ(selection.indexOfPattern.at({1}), 1u);
}

TEST(IndexSelectionTest, EveryPatternIsAPrefixOfItsIndex) {
  std::vector<ColumnSet> patterns = {{0}, {2}, {0, 2}, {1, 3}, {3}, {0, 1, 2}};
  auto selection = selectIndexes(patterns, 4);
  for (const ColumnSet &pattern : patterns) {
    const auto &order = selection.orders[selection.indexOfPattern.at(pattern)];
    ASSERT_EQ(order.size(), 4u);
    ColumnSet prefix(order.begin(), order.begin() + pattern.size());
    EXPECT_EQ(prefix, pattern);
  }
  // {0} ⊂ {0,2} ⊂ {0,1,2}; {2}; {3} ⊂ {1,3}: three chains.
  EXPECT_EQ(selection.orders.size(), 3u);
}

} // namespace
