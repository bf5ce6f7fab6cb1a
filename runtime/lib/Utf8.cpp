//===- Utf8.cpp - UTF-8 validation and decoding ---------------------------===//

#include "rune/Runtime/Utf8.h"

namespace rune::utf8 {

size_t sequenceLength(std::string_view text, size_t pos) {
  auto byte = [&](size_t i) -> uint8_t {
    return static_cast<uint8_t>(text[i]);
  };
  size_t left = text.size() - pos;
  uint8_t b0 = byte(pos);
  if (b0 < 0x80)
    return 1;
  auto cont = [&](size_t i) { return (byte(pos + i) & 0xC0) == 0x80; };
  if (b0 >= 0xC2 && b0 <= 0xDF)
    return left >= 2 && cont(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (left < 3 || !cont(1) || !cont(2))
      return 0;
    uint8_t b1 = byte(pos + 1);
    if (b0 == 0xE0 && b1 < 0xA0) // overlong
      return 0;
    if (b0 == 0xED && b1 >= 0xA0) // surrogates
      return 0;
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (left < 4 || !cont(1) || !cont(2) || !cont(3))
      return 0;
    uint8_t b1 = byte(pos + 1);
    if (b0 == 0xF0 && b1 < 0x90) // overlong
      return 0;
    if (b0 == 0xF4 && b1 >= 0x90) // above U+10FFFF
      return 0;
    return 4;
  }
  return 0;
}

bool isValid(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    // Fast path for ASCII runs.
    if (static_cast<uint8_t>(text[pos]) < 0x80) {
      ++pos;
      continue;
    }
    size_t length = sequenceLength(text, pos);
    if (length == 0)
      return false;
    pos += length;
  }
  return true;
}

uint32_t decode(std::string_view text, size_t &pos) {
  uint8_t b0 = static_cast<uint8_t>(text[pos]);
  auto cont = [&](size_t i) {
    return static_cast<uint32_t>(static_cast<uint8_t>(text[pos + i]) & 0x3F);
  };
  uint32_t cp;
  if (b0 < 0x80) {
    cp = b0;
    pos += 1;
  } else if (b0 < 0xE0) {
    cp = ((b0 & 0x1Fu) << 6) | cont(1);
    pos += 2;
  } else if (b0 < 0xF0) {
    cp = ((b0 & 0x0Fu) << 12) | (cont(1) << 6) | cont(2);
    pos += 3;
  } else {
    cp = ((b0 & 0x07u) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
    pos += 4;
  }
  return cp;
}

void append(std::string &out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

} // namespace rune::utf8
