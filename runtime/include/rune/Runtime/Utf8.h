//===- Utf8.h - UTF-8 validation and decoding -------------------*- C++ -*-===//

#ifndef RUNE_RUNTIME_UTF8_H
#define RUNE_RUNTIME_UTF8_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace rune::utf8 {

/// True for well-formed UTF-8: no overlong forms, no surrogates, nothing above
/// U+10FFFF.
bool isValid(std::string_view text);

/// Decodes the scalar value starting at text[pos] of VALID UTF-8 and advances
/// `pos` past it.
uint32_t decode(std::string_view text, size_t &pos);

/// Length of the valid UTF-8 sequence starting at text[pos], or 0 when the
/// bytes there are not one.
size_t sequenceLength(std::string_view text, size_t pos);

/// Appends the UTF-8 encoding of a Unicode scalar value.
void append(std::string &out, uint32_t scalar);

inline bool isScalarValue(uint32_t cp) {
  return cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
}

} // namespace rune::utf8

#endif // RUNE_RUNTIME_UTF8_H
