//===- PendingTuples.cpp - Buffered inserts into a relation ---------------===//
//
// See PendingTuples.h.
//
//===----------------------------------------------------------------------===//

#include "PendingTuples.h"

#include <algorithm>
#include <numeric>

using namespace rune::datalog;
using namespace rune::datalog::detail;

void PendingTuples::radixSort(std::vector<uint64_t> &values,
                              std::vector<uint64_t> &buffer) {
  size_t n = values.size();
  // The histograms cost a fixed 16 KiB pass: small runs (the few tuples a
  // .rune decision derives) sort faster by comparison.
  if (n < 256) {
    std::sort(values.begin(), values.end());
    return;
  }
  size_t histograms[8][256] = {};
  for (uint64_t value : values)
    for (unsigned digit = 0; digit < 8; ++digit)
      ++histograms[digit][(value >> (8 * digit)) & 0xff];
  buffer.resize(n);
  for (unsigned digit = 0; digit < 8; ++digit) {
    size_t *counts = histograms[digit];
    if (counts[(values[0] >> (8 * digit)) & 0xff] == n)
      continue; // every value has the same byte here
    size_t offset = 0;
    for (unsigned b = 0; b < 256; ++b) {
      size_t c = counts[b];
      counts[b] = offset;
      offset += c;
    }
    for (uint64_t value : values)
      buffer[counts[(value >> (8 * digit)) & 0xff]++] = value;
    values.swap(buffer);
  }
}

void PendingTuples::flushKeysInto(Relation &relation) {
  if (keys.empty())
    return;
  radixSort(keys, scratch);
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  const IndexOrder &order = relation.indexOrder(0);
  const std::vector<ColumnType> &types = relation.columnTypes();
  Word tuple[2];
  for (uint64_t key : keys) {
    if (order.size() == 2) {
      tuple[order[0]] = unpackWord(types[order[0]], uint32_t(key >> 32));
      tuple[order[1]] = unpackWord(types[order[1]], uint32_t(key));
    } else {
      tuple[0] = unpackWord(types[0], uint32_t(key));
    }
    relation.insert(tuple);
  }
  keys.clear();
}

void PendingTuples::mergeInto(Relation &next, Relation &full, Relation &delta) {
  flushKeysInto(next);
  flushInto(next);
  direct = 0;
  if (!next.empty()) {
    full.insertAll(next, delta);
    next.clear();
  }
}

void PendingTuples::release() {
  std::vector<uint64_t>().swap(keys);
  std::vector<uint64_t>().swap(scratch);
  std::vector<Word>().swap(words);
  count = 0;
  direct = 0;
}

void PendingTuples::flushInto(Relation &relation) {
  if (count == 0)
    return;
  unsigned arity = relation.arity();
  if (arity == 0) {
    relation.insert(nullptr);
    words.clear();
    count = 0;
    return;
  }
  const IndexOrder &order = relation.indexOrder(0);
  bool packed = relation.isPacked();
  std::vector<uint32_t> positions(count);
  std::iota(positions.begin(), positions.end(), 0);
  auto less = [&](uint32_t a, uint32_t b) {
    const Word *x = &words[size_t(a) * arity], *y = &words[size_t(b) * arity];
    for (unsigned column : order) {
      // The index's order: unsigned, of the stored elements.
      Word u = packed ? packWord(x[column]) : x[column];
      Word v = packed ? packWord(y[column]) : y[column];
      if (u != v)
        return u < v;
    }
    return false;
  };
  std::sort(positions.begin(), positions.end(), less);
  for (size_t i = 0; i < positions.size(); ++i)
    if (i == 0 || less(positions[i - 1], positions[i]))
      relation.insert(&words[size_t(positions[i]) * arity]);
  words.clear();
  count = 0;
}
