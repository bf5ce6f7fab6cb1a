//===- SectionCursor.h - Bounds-checked reads over one section --*- C++ -*-===//
//
// The reader decodes every table of a module through a SectionCursor: each
// read checks that the bytes are there, so a truncated or lying table is
// reported instead of read past.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_SECTIONCURSOR_H
#define RUNE_RUNTIME_SECTIONCURSOR_H

#include "rune/Runtime/InstructionDecoder.h"

#include <cstdint>

namespace rune::bc {

/// Little-endian reads over `size` bytes; each returns false (and reads
/// nothing) when too few bytes are left.
class SectionCursor {
public:
  SectionCursor(const uint8_t *data, uint32_t size) : data(data), size(size) {}

  bool u8(uint8_t &v) {
    if (left() < 1)
      return false;
    v = data[pos++];
    return true;
  }
  bool u16(uint16_t &v) {
    if (left() < 2)
      return false;
    v = loadU16(data + pos);
    pos += 2;
    return true;
  }
  bool u32(uint32_t &v) {
    if (left() < 4)
      return false;
    v = loadU32(data + pos);
    pos += 4;
    return true;
  }
  bool i64(int64_t &v) {
    if (left() < 8)
      return false;
    v = static_cast<int64_t>(loadU64(data + pos));
    pos += 8;
    return true;
  }
  bool bytes(uint32_t count, const uint8_t *&out) {
    if (left() < count)
      return false;
    out = data + pos;
    pos += count;
    return true;
  }
  uint32_t left() const { return size - pos; }

private:
  const uint8_t *data;
  uint32_t size;
  uint32_t pos = 0;
};

} // namespace rune::bc

#endif // RUNE_RUNTIME_SECTIONCURSOR_H
