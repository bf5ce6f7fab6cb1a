//===- PendingTuples.h - Buffered inserts into `new` -----------*- C++ -*-===//
//
// Tuples derived into a relation's `new` version during a semi-naive
// iteration, by the interpreter (ProgramInterpreter.cpp) and by native code
// (NativeHelpers.cpp). Inserting them into `new`
// one by one in derivation order made random-order B-tree inserts more than
// half of transitive closure's time. Instead they are buffered in runs of
// kRunTuples; each run is sorted in the order of the relation's first index
// (for one or two 32-bit columns as one 64-bit key each, with a radix sort),
// deduplicated and inserted in that order, which takes the B-tree's append
// fast path. At the end of the iteration the last run goes in and `new` is
// merged into the relation as before: the same "delta := new - full;
// full += new".
//
// (Merging sorted keys straight into the relation without building `new`
// was measured too: no clear gain in time on the loaded benchmark machine,
// and 20-40% more peak memory for the key buffer.)
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_LIB_DATALOG_PENDINGTUPLES_H
#define RUNE_RUNTIME_LIB_DATALOG_PENDINGTUPLES_H

#include "rune/Runtime/Datalog/Relation.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rune::datalog::detail {

class PendingTuples {
public:
  /// Tuples buffered before a run is sorted: long sorted runs, small enough
  /// to stay in cache.
  static constexpr size_t kRunTuples = 1 << 15;
  /// Tuples of an iteration inserted straight into `next` before buffering
  /// starts: the few tuples a .rune decision derives per request would pay
  /// more for the buffers than they save.
  static constexpr size_t kDirectTuples = 256;

  /// Buffers `tuple` (next.arity() words), derived into `next`, the
  /// relation's new version.
  void add(const Word *tuple, Relation &next) {
    if (direct < kDirectTuples) {
      ++direct;
      next.insert(tuple);
      return;
    }
    if (isKeyed(next)) {
      keys.push_back(keyOf(tuple, next));
      if (keys.size() >= kRunTuples)
        flushKeysInto(next);
      return;
    }
    words.insert(words.end(), tuple, tuple + next.arity());
    if (++count >= kRunTuples)
      flushInto(next);
  }

  /// Ends an iteration: every tuple buffered or in `next` goes into `full`,
  /// and those `full` did not hold into `delta`. Empties `next` and the
  /// buffer.
  void mergeInto(Relation &next, Relation &full, Relation &delta);

  /// Frees the buffers (the fixpoint is over).
  void release();

  /// Tuples buffered and not yet in any relation.
  size_t size() const { return keys.size() + count; }

  /// Sorts `values` ascending (least-significant-digit radix passes over
  /// bytes, skipping bytes every value shares); `buffer` is scratch space.
  static void radixSort(std::vector<uint64_t> &values,
                        std::vector<uint64_t> &buffer);

private:
  /// One or two 32-bit columns: a tuple fits one 64-bit key.
  static bool isKeyed(const Relation &relation) {
    return relation.isPacked() && relation.arity() >= 1 &&
           relation.arity() <= 2;
  }
  /// The stored elements in the first index's order, the first in the high
  /// half: keys sort as the index does.
  static uint64_t keyOf(const Word *tuple, const Relation &relation) {
    const IndexOrder &order = relation.indexOrder(0);
    uint64_t key = packWord(tuple[order[0]]);
    if (order.size() == 2)
      key = (key << 32) | packWord(tuple[order[1]]);
    return key;
  }
  /// Inserts the buffered keys into `relation` sorted, each once.
  void flushKeysInto(Relation &relation);
  /// Inserts the buffered tuples of a relation that is not keyed into
  /// `relation` sorted, each distinct tuple once.
  void flushInto(Relation &relation);

  std::vector<uint64_t> keys, scratch;
  std::vector<Word> words;
  size_t count = 0;
  /// Tuples of this iteration inserted straight into `next`.
  size_t direct = 0;
};

} // namespace rune::datalog::detail

#endif // RUNE_RUNTIME_LIB_DATALOG_PENDINGTUPLES_H
