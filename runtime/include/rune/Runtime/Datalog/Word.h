//===- Word.h - One Datalog value and its encodings -------------*- C++ -*-===//
//
// Every element of a Datalog tuple is one 64-bit Word at the API of the
// relation store, whatever the declared column type. The column type says
// how the bits are read:
//
//   Number    Soufflé `number`: an int32 sign-extended to 64 bits. Arithmetic
//             is done in 32 bits and wraps, as Soufflé's default build does.
//   Unsigned  Soufflé `unsigned`: a uint32 zero-extended.
//   Float     Soufflé `float`: the IEEE-754 binary32 bits zero-extended
//             (Soufflé's default float is 32-bit).
//   Symbol    an interned string id (see SymbolTable.h) zero-extended.
//   Any       the dynamically typed column of .rune rules: a 2-bit tag in the
//             top bits says what the low 62 bits hold:
//               tag 0  a signed 62-bit integer (two's complement),
//               tag 1  a symbol id,
//               tag 2  a boolean (0 or 1).
//
// The four Soufflé types fit 32 bits, which lets relations store them packed
// (Relation.h). Encodings are canonical: one value has exactly one Word, so
// equality of values is equality of Words for every column type (floats
// compare by bits here, as Soufflé's indexes do: 0.0 and -0.0 differ, a NaN
// equals itself).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_DATALOG_WORD_H
#define RUNE_RUNTIME_DATALOG_WORD_H

#include <bit>
#include <cstdint>
#include <string_view>

namespace rune::datalog {

using Word = uint64_t;

enum class ColumnType : uint8_t { Number, Unsigned, Float, Symbol, Any };

/// The type's name as Soufflé spells it (`number`, `unsigned`, `float`,
/// `symbol`) and `any` for the .rune dynamic type.
std::string_view columnTypeName(ColumnType type);

/// True for the types whose Words only use their low 32 bits once the
/// sign extension of Number is undone: relations store those as uint32.
constexpr bool isThirtyTwoBit(ColumnType type) {
  return type != ColumnType::Any;
}

//===----------------------------------------------------------------------===//
// Soufflé types
//===----------------------------------------------------------------------===//

constexpr Word encodeNumber(int32_t value) {
  return static_cast<Word>(static_cast<int64_t>(value));
}
constexpr int32_t decodeNumber(Word word) {
  return static_cast<int32_t>(static_cast<uint32_t>(word));
}

constexpr Word encodeUnsigned(uint32_t value) { return value; }
constexpr uint32_t decodeUnsigned(Word word) {
  return static_cast<uint32_t>(word);
}

constexpr Word encodeFloat(float value) {
  return std::bit_cast<uint32_t>(value);
}
constexpr float decodeFloat(Word word) {
  return std::bit_cast<float>(static_cast<uint32_t>(word));
}

constexpr Word encodeSymbol(uint32_t symbolId) { return symbolId; }
constexpr uint32_t decodeSymbol(Word word) {
  return static_cast<uint32_t>(word);
}

/// The 32 bits a relation stores for a Word of a 32-bit column type, and
/// back. Packing keeps the low half; unpacking sign-extends for Number so
/// the round trip is exact for canonical Words.
constexpr uint32_t packWord(Word word) { return static_cast<uint32_t>(word); }
constexpr Word unpackWord(ColumnType type, uint32_t packed) {
  return type == ColumnType::Number ? static_cast<Word>(static_cast<int64_t>(
                                          static_cast<int32_t>(packed)))
                                    : static_cast<Word>(packed);
}

//===----------------------------------------------------------------------===//
// The .rune `any` type
//===----------------------------------------------------------------------===//

enum class AnyKind : uint8_t { Integer = 0, Symbol = 1, Bool = 2 };

inline constexpr unsigned kAnyTagShift = 62;
inline constexpr Word kAnyPayloadMask = (Word(1) << kAnyTagShift) - 1;
/// Range of integers an `any` column holds exactly.
inline constexpr int64_t kAnyIntegerMin = -(int64_t(1) << 61);
inline constexpr int64_t kAnyIntegerMax = (int64_t(1) << 61) - 1;

/// The tag of an `any` Word. Tag 3 is never produced by the encoders;
/// anyKindIsValid() rejects it (e.g. when verifying bytecode constants).
constexpr AnyKind anyKind(Word word) {
  return static_cast<AnyKind>(word >> kAnyTagShift);
}
constexpr bool anyKindIsValid(Word word) { return (word >> kAnyTagShift) < 3; }

/// Keeps the low 62 bits of `value` (callers range-check with
/// kAnyIntegerMin/Max first when overflow must be an error).
constexpr Word encodeAnyInteger(int64_t value) {
  return static_cast<Word>(value) & kAnyPayloadMask;
}
/// Sign-extends the 62-bit payload.
constexpr int64_t decodeAnyInteger(Word word) {
  return static_cast<int64_t>(word << 2) >> 2;
}
constexpr Word encodeAnySymbol(uint32_t symbolId) {
  return (Word(1) << kAnyTagShift) | symbolId;
}
constexpr uint32_t decodeAnySymbol(Word word) {
  return static_cast<uint32_t>(word);
}
constexpr Word encodeAnyBool(bool value) {
  return (Word(2) << kAnyTagShift) | (value ? 1 : 0);
}
constexpr bool decodeAnyBool(Word word) { return (word & 1) != 0; }

//===----------------------------------------------------------------------===//
// Typed ordering
//===----------------------------------------------------------------------===//

class SymbolTable;

/// Three-way comparison (-1, 0, 1) of two values of one column type, in the
/// order Soufflé's comparison constraints and min/max use:
///   Number    signed numeric, Unsigned unsigned numeric,
///   Float     numeric (IEEE `<`; a NaN is ordered after every number and
///             equal to itself so the order is total),
///   Symbol    lexicographic by the bytes of the strings (Soufflé compares
///             symbols as std::string) -- needs `symbols`; with a null
///             table symbols compare by id, which is only an equality test,
///   Any       by kind first (integer < symbol < bool), then by value
///             (integers signed, symbols as above, false < true).
int compareValues(ColumnType type, Word a, Word b, const SymbolTable *symbols);

/// Convenience for the numeric types (no symbol table needed).
inline int compareNumbers(Word a, Word b) {
  int32_t x = decodeNumber(a), y = decodeNumber(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}
inline int compareUnsigned(Word a, Word b) {
  uint32_t x = decodeUnsigned(a), y = decodeUnsigned(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}
int compareFloats(Word a, Word b);

} // namespace rune::datalog

#endif // RUNE_RUNTIME_DATALOG_WORD_H
