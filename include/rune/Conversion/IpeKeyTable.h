//===- IpeKeyTable.h - Trigger-index keys as a constant hash table -*- C++
//-*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// A native IPE module finds the key a request's values form in each index
// group by probing a constant open-addressing table placed here, when the
// module is compiled (lib/Conversion/RuneToLLVM/IpeDecideToLLVM.cpp emits
// the probe: the same hash, unrolled, then linear probing). The keys were a
// tree of switches once: cheap to run, but for 10,000 policies LLVM took
// three times as long to optimize them as the policies themselves.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_CONVERSION_IPEKEYTABLE_H
#define RUNE_CONVERSION_IPEKEYTABLE_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace rune::ipe_keys {

/// The multiplier of the hash (2^64 / golden ratio: Fibonacci hashing).
constexpr uint64_t kHashMultiplier = 0x9E3779B97F4A7C15ull;

/// The hash of a key's values: per value, xor then multiply; the table
/// index is the top `bits` bits, which depend on every bit of every value.
inline uint64_t hashValues(const int64_t *values, size_t width) {
  uint64_t hash = 0;
  for (size_t i = 0; i < width; ++i)
    hash = (hash ^ uint64_t(values[i])) * kHashMultiplier;
  return hash;
}

/// An index group's keys of one kind signature: `rows` (`width` values
/// each) and the buckets, a power of two (1 << bits) at least twice the
/// rows, each holding row + 1 or 0 (empty), so a probe always ends.
struct Table {
  std::vector<int64_t> rows;
  size_t width = 0;
  std::vector<uint32_t> buckets;
  unsigned bits = 0;

  size_t rowCount() const { return width ? rows.size() / width : 0; }

  size_t home(const int64_t *values) const {
    return size_t(hashValues(values, width) >> (64 - bits));
  }

  /// Places the rows (distinct); call once all rows are added.
  void place() {
    bits = 1;
    while ((size_t(1) << bits) < 2 * rowCount())
      ++bits;
    buckets.assign(size_t(1) << bits, 0);
    size_t mask = buckets.size() - 1;
    for (size_t row = 0; row < rowCount(); ++row) {
      size_t bucket = home(&rows[row * width]);
      while (buckets[bucket] != 0)
        bucket = (bucket + 1) & mask;
      buckets[bucket] = uint32_t(row + 1);
    }
  }

  /// What the emitted probe computes: the row equal to `values`, if any.
  std::optional<size_t> find(const int64_t *values) const {
    size_t mask = buckets.size() - 1;
    for (size_t bucket = home(values);; bucket = (bucket + 1) & mask) {
      uint32_t entry = buckets[bucket];
      if (entry == 0)
        return std::nullopt;
      const int64_t *row = &rows[size_t(entry - 1) * width];
      size_t i = 0;
      while (i < width && row[i] == values[i])
        ++i;
      if (i == width)
        return entry - 1;
    }
  }
};

} // namespace rune::ipe_keys

#endif // RUNE_CONVERSION_IPEKEYTABLE_H
