//===- IpeKeyTableTest.cpp - The native trigger-index hash table ----------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// rune::ipe_keys::Table (include/rune/Conversion/IpeKeyTable.h): every row
// placed is found from its hash, values that are no row are not, and the
// table always keeps an empty bucket so that a probe ends.
//
//===----------------------------------------------------------------------===//

#include "rune/Conversion/IpeKeyTable.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <vector>

using rune::ipe_keys::Table;

namespace {

Table makeTable(const std::vector<std::vector<int64_t>> &rows) {
  Table table;
  table.width = rows.empty() ? 1 : rows.front().size();
  for (const auto &row : rows)
    table.rows.insert(table.rows.end(), row.begin(), row.end());
  table.place();
  return table;
}

TEST(IpeKeyTable, FindsEveryRowAndNothingElse) {
  // Symbols sharing prefixes, negative and extreme integers.
  std::vector<std::vector<int64_t>> rows;
  for (int64_t a = 0; a < 20; ++a)
    for (int64_t b : {int64_t(-3), int64_t(0), int64_t(7), INT64_MIN})
      rows.push_back({a, b, a * 31});
  rows.push_back({INT64_MAX, INT64_MAX, INT64_MAX});
  Table table = makeTable(rows);
  ASSERT_EQ(table.rowCount(), rows.size());
  EXPECT_GE(table.buckets.size(), 2 * rows.size());
  for (size_t r = 0; r < rows.size(); ++r)
    EXPECT_EQ(table.find(rows[r].data()), r);
  std::set<std::vector<int64_t>> present(rows.begin(), rows.end());
  for (const auto &row : rows)
    for (size_t word = 0; word < row.size(); ++word)
      for (int64_t delta : {-1, 1}) {
        std::vector<int64_t> probe = row;
        probe[word] = int64_t(uint64_t(probe[word]) + uint64_t(delta));
        if (!present.count(probe))
          EXPECT_FALSE(table.find(probe.data()).has_value());
      }
}

TEST(IpeKeyTable, KeepsAnEmptyBucket) {
  for (size_t count : {1, 2, 3, 4, 5, 8, 9, 1000}) {
    std::vector<std::vector<int64_t>> rows;
    for (size_t i = 0; i < count; ++i)
      rows.push_back({int64_t(i)});
    Table table = makeTable(rows);
    size_t empty = 0;
    for (uint32_t entry : table.buckets)
      empty += entry == 0;
    EXPECT_GE(empty, table.buckets.size() - count);
    EXPECT_GT(empty, 0u);
    int64_t absent = -1;
    EXPECT_FALSE(table.find(&absent).has_value());
  }
}

} // namespace
