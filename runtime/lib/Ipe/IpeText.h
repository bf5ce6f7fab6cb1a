//===- IpeText.h - Comparing and hashing short texts by words ---*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Requests intern every string they hold (aggregate elements' fields during
// decisions) and element fields are found by their member names: hashing
// and comparing these short names must not cost a library call each (a
// memcpy of a variable length, a memcmp), so the functions here read whole
// words, overlapping at the end instead of reading past it.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_LIB_IPE_IPETEXT_H
#define RUNE_RUNTIME_LIB_IPE_IPETEXT_H

#include <cstdint>
#include <cstring>
#include <string_view>

namespace rune::ipert {

inline uint64_t loadWord(const char *p) {
  uint64_t word;
  std::memcpy(&word, p, 8);
  return word;
}

inline uint32_t loadHalf(const char *p) {
  uint32_t half;
  std::memcpy(&half, p, 4);
  return half;
}

/// The `n` (1 to 7) bytes at `p` as a word: every byte is in it, so two
/// texts of the same length and the same word are equal.
inline uint64_t shortWord(const char *p, size_t n) {
  if (n >= 4)
    return loadHalf(p) | uint64_t(loadHalf(p + n - 4)) << 32;
  return uint8_t(p[0]) | uint64_t(uint8_t(p[n / 2])) << 8 |
         uint64_t(uint8_t(p[n - 1])) << 16;
}

/// Whether two texts have the same bytes.
inline bool sameText(std::string_view a, std::string_view b) {
  size_t n = a.size();
  if (n != b.size())
    return false;
  if (n < 8)
    return n == 0 || shortWord(a.data(), n) == shortWord(b.data(), n);
  for (size_t i = 0; i + 8 < n; i += 8)
    if (loadWord(a.data() + i) != loadWord(b.data() + i))
      return false;
  return loadWord(a.data() + n - 8) == loadWord(b.data() + n - 8);
}

} // namespace rune::ipert

#endif // RUNE_RUNTIME_LIB_IPE_IPETEXT_H
