//===- IndexSelection.h - Index orders from lookup patterns -----*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Every lookup reads a relation by a set of bound columns. An index (a
// column order) serves every set that is a prefix of its order, so sets
// forming a chain under inclusion ({1} ⊂ {1, 2}) share one index. Covering
// the sets with chains greedily (smallest sets first, each appended to the
// first chain whose last set it contains) gives few indexes; a chain's
// order lists its sets' columns in order of appearance, then the remaining
// columns ascending.
//
// Plain data (no MLIR), so that it can be unit tested on its own.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_TRANSFORMS_INDEXSELECTION_H
#define RUNE_TRANSFORMS_INDEXSELECTION_H

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <vector>

namespace rune::dl {

using ColumnSet = std::set<int64_t>;

struct IndexSelection {
  /// Complete column orders (permutations of the columns); at least one.
  std::vector<std::vector<int64_t>> orders;
  /// For each pattern given (and the empty set): the index serving it.
  std::map<ColumnSet, size_t> indexOfPattern;
};

/// The indexes a relation of `arity` columns needs for `patterns` (sets of
/// bound columns, in any order, duplicates allowed).
IndexSelection selectIndexes(const std::vector<ColumnSet> &patterns,
                             unsigned arity);

} // namespace rune::dl

#endif // RUNE_TRANSFORMS_INDEXSELECTION_H
