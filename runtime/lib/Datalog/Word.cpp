//===- Word.cpp - Typed ordering of Datalog values ------------------------===//

#include "rune/Runtime/Datalog/Word.h"

#include "rune/Runtime/Datalog/SymbolTable.h"

#include <cmath>

namespace rune::datalog {

std::string_view columnTypeName(ColumnType type) {
  switch (type) {
  case ColumnType::Number:
    return "number";
  case ColumnType::Unsigned:
    return "unsigned";
  case ColumnType::Float:
    return "float";
  case ColumnType::Symbol:
    return "symbol";
  case ColumnType::Any:
    return "any";
  }
  return "?";
}

int compareFloats(Word a, Word b) {
  float x = decodeFloat(a), y = decodeFloat(b);
  // NaNs sort last and equal to each other, so the order stays total (the
  // min/max aggregates need one).
  bool xNan = std::isnan(x), yNan = std::isnan(y);
  if (xNan || yNan)
    return xNan == yNan ? 0 : (xNan ? 1 : -1);
  return x < y ? -1 : (x > y ? 1 : 0);
}

static int compareSymbolIds(uint32_t a, uint32_t b,
                            const SymbolTable *symbols) {
  if (a == b)
    return 0;
  if (!symbols)
    return a < b ? -1 : 1;
  // std::string_view::compare is a byte-wise (unsigned char) comparison,
  // the same as Soufflé's std::string comparison of symbols.
  int c = symbols->resolve(a).compare(symbols->resolve(b));
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

int compareValues(ColumnType type, Word a, Word b, const SymbolTable *symbols) {
  switch (type) {
  case ColumnType::Number:
    return compareNumbers(a, b);
  case ColumnType::Unsigned:
    return compareUnsigned(a, b);
  case ColumnType::Float:
    return compareFloats(a, b);
  case ColumnType::Symbol:
    return compareSymbolIds(decodeSymbol(a), decodeSymbol(b), symbols);
  case ColumnType::Any: {
    AnyKind kindA = anyKind(a), kindB = anyKind(b);
    if (kindA != kindB)
      return kindA < kindB ? -1 : 1;
    switch (kindA) {
    case AnyKind::Integer: {
      int64_t x = decodeAnyInteger(a), y = decodeAnyInteger(b);
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    case AnyKind::Symbol:
      return compareSymbolIds(decodeAnySymbol(a), decodeAnySymbol(b), symbols);
    default:
      // Booleans (and the unused tag 3) by payload: false < true.
      return a < b ? -1 : (a > b ? 1 : 0);
    }
  }
  }
  return 0;
}

} // namespace rune::datalog
