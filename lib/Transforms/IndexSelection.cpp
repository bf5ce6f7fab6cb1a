//===- IndexSelection.cpp - Index orders from lookup patterns -------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Transforms/IndexSelection.h"

#include <algorithm>

using namespace rune::dl;

IndexSelection rune::dl::selectIndexes(const std::vector<ColumnSet> &patterns,
                                       unsigned arity) {
  std::vector<ColumnSet> sorted = patterns;
  std::sort(sorted.begin(), sorted.end(),
            [](const ColumnSet &a, const ColumnSet &b) {
              return a.size() != b.size() ? a.size() < b.size() : a < b;
            });
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::vector<std::vector<ColumnSet>> chains;
  for (const ColumnSet &pattern : sorted) {
    if (pattern.empty())
      continue; // any index serves a full scan or an emptiness test
    auto chain = std::find_if(
        chains.begin(), chains.end(), [&](const std::vector<ColumnSet> &c) {
          return std::includes(pattern.begin(), pattern.end(), c.back().begin(),
                               c.back().end());
        });
    if (chain == chains.end())
      chains.push_back({pattern});
    else
      chain->push_back(pattern);
  }
  IndexSelection result;
  auto complete = [&](std::vector<int64_t> order) {
    for (unsigned column = 0; column < arity; ++column)
      if (std::find(order.begin(), order.end(), int64_t(column)) == order.end())
        order.push_back(column);
    return order;
  };
  for (size_t i = 0; i < chains.size(); ++i) {
    std::vector<int64_t> order;
    for (const ColumnSet &pattern : chains[i]) {
      for (int64_t column : pattern)
        if (std::find(order.begin(), order.end(), column) == order.end())
          order.push_back(column);
      result.indexOfPattern[pattern] = i;
    }
    result.orders.push_back(complete(std::move(order)));
  }
  if (result.orders.empty())
    result.orders.push_back(complete({}));
  result.indexOfPattern[ColumnSet()] = 0;
  return result;
}
