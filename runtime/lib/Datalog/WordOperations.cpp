//===- WordOperations.cpp - What Datalog operations do to words -----------===//
//
// See WordOperations.h. Moved out of the interpreter unchanged so that the
// native backend's helpers share it.
//
//===----------------------------------------------------------------------===//

#include "WordOperations.h"

#include <charconv>
#include <cmath>

using namespace rune;
using namespace rune::datalog;
using namespace rune::datalog::detail;

bool WordOperations::compare(bc::DatalogCompare op, ColumnType type, Word a,
                             Word b) {
  // Words are canonical, so equality of words is equality of values --
  // except for floats, which compare as IEEE numbers (0.0 = -0.0).
  if (type != ColumnType::Float) {
    if (op == bc::DatalogCompare::Eq)
      return a == b;
    if (op == bc::DatalogCompare::Ne)
      return a != b;
  }
  if (type == ColumnType::Float) {
    float x = decodeFloat(a), y = decodeFloat(b);
    switch (op) {
    case bc::DatalogCompare::Eq:
      return x == y;
    case bc::DatalogCompare::Ne:
      return x != y;
    case bc::DatalogCompare::Lt:
      return x < y;
    case bc::DatalogCompare::Le:
      return x <= y;
    case bc::DatalogCompare::Gt:
      return x > y;
    case bc::DatalogCompare::Ge:
      return x >= y;
    }
  }
  int order = compareValues(type, a, b, &symbols);
  switch (op) {
  case bc::DatalogCompare::Lt:
    return order < 0;
  case bc::DatalogCompare::Le:
    return order <= 0;
  case bc::DatalogCompare::Gt:
    return order > 0;
  case bc::DatalogCompare::Ge:
    return order >= 0;
  default:
    return false;
  }
}

Word WordOperations::arith(bc::DatalogArith op, ColumnType type, Word a,
                           Word b) {
  if (op == bc::DatalogArith::Min || op == bc::DatalogArith::Max) {
    int order = compareValues(type, a, b, &symbols);
    bool pickA = op == bc::DatalogArith::Min ? order <= 0 : order >= 0;
    return pickA ? a : b;
  }
  switch (type) {
  case ColumnType::Number: {
    int32_t x = decodeNumber(a), y = decodeNumber(b);
    uint32_t ux = uint32_t(x), uy = uint32_t(y);
    switch (op) {
    case bc::DatalogArith::Add:
      return encodeNumber(int32_t(ux + uy));
    case bc::DatalogArith::Sub:
      return encodeNumber(int32_t(ux - uy));
    case bc::DatalogArith::Mul:
      return encodeNumber(int32_t(ux * uy));
    case bc::DatalogArith::Div:
      if (y == 0)
        return encodeNumber(0);
      if (y == -1)
        return encodeNumber(int32_t(0u - ux)); // INT_MIN / -1 wraps
      return encodeNumber(x / y);
    case bc::DatalogArith::Mod:
      if (y == 0 || y == -1)
        return encodeNumber(0);
      return encodeNumber(x % y);
    default:
      return 0;
    }
  }
  case ColumnType::Unsigned: {
    uint32_t x = decodeUnsigned(a), y = decodeUnsigned(b);
    switch (op) {
    case bc::DatalogArith::Add:
      return encodeUnsigned(x + y);
    case bc::DatalogArith::Sub:
      return encodeUnsigned(x - y);
    case bc::DatalogArith::Mul:
      return encodeUnsigned(x * y);
    case bc::DatalogArith::Div:
      return encodeUnsigned(y ? x / y : 0);
    case bc::DatalogArith::Mod:
      return encodeUnsigned(y ? x % y : 0);
    default:
      return 0;
    }
  }
  case ColumnType::Float: {
    float x = decodeFloat(a), y = decodeFloat(b);
    switch (op) {
    case bc::DatalogArith::Add:
      return encodeFloat(x + y);
    case bc::DatalogArith::Sub:
      return encodeFloat(x - y);
    case bc::DatalogArith::Mul:
      return encodeFloat(x * y);
    case bc::DatalogArith::Div:
      return encodeFloat(x / y);
    case bc::DatalogArith::Mod:
      return encodeFloat(std::fmod(x, y));
    default:
      return 0;
    }
  }
  case ColumnType::Any: {
    if (anyKind(a) != AnyKind::Integer || anyKind(b) != AnyKind::Integer)
      return encodeAnyInteger(0);
    // 62-bit wrapping arithmetic: compute in 64 bits, keep 62.
    uint64_t x = uint64_t(decodeAnyInteger(a)),
             y = uint64_t(decodeAnyInteger(b));
    int64_t sx = decodeAnyInteger(a), sy = decodeAnyInteger(b);
    switch (op) {
    case bc::DatalogArith::Add:
      return encodeAnyInteger(int64_t(x + y));
    case bc::DatalogArith::Sub:
      return encodeAnyInteger(int64_t(x - y));
    case bc::DatalogArith::Mul:
      return encodeAnyInteger(int64_t(x * y));
    case bc::DatalogArith::Div:
      return encodeAnyInteger(sy ? sx / sy : 0);
    case bc::DatalogArith::Mod:
      return encodeAnyInteger(sy ? sx % sy : 0);
    default:
      return 0;
    }
  }
  case ColumnType::Symbol:
    return 0; // rejected by the compiler
  }
  return 0;
}

/// The string a symbol or `any` word stands for, if it is one.
std::optional<std::string_view> WordOperations::text(ColumnType domain,
                                                     Word word) {
  if (domain == ColumnType::Any) {
    if (anyKind(word) != AnyKind::Symbol)
      return std::nullopt;
    return symbols.resolve(decodeAnySymbol(word));
  }
  return symbols.resolve(decodeSymbol(word));
}

Word WordOperations::makeString(ColumnType domain, std::string_view value) {
  SymbolId id = symbols.intern(value);
  return domain == ColumnType::Any ? encodeAnySymbol(id) : encodeSymbol(id);
}

Word WordOperations::makeNumber(ColumnType domain, int64_t value) {
  return domain == ColumnType::Any ? encodeAnyInteger(value)
                                   : encodeNumber(int32_t(value));
}

std::optional<int64_t> WordOperations::number(ColumnType domain, Word word) {
  if (domain == ColumnType::Any) {
    if (anyKind(word) != AnyKind::Integer)
      return std::nullopt;
    return decodeAnyInteger(word);
  }
  return decodeNumber(word);
}

Word WordOperations::functor(bc::DatalogFunctor kind, ColumnType domain,
                             const Word *args, unsigned count) {
  switch (kind) {
  case bc::DatalogFunctor::Cat: {
    std::string result;
    for (unsigned i = 0; i < count; ++i) {
      if (std::optional<std::string_view> part = text(domain, args[i]))
        result += *part;
      else if (std::optional<int64_t> n = number(domain, args[i]))
        result += std::to_string(*n);
    }
    return makeString(domain, result);
  }
  case bc::DatalogFunctor::Strlen: {
    std::optional<std::string_view> s = text(domain, args[0]);
    return makeNumber(domain, s ? int64_t(s->size()) : 0);
  }
  case bc::DatalogFunctor::Substr: {
    std::optional<std::string_view> s = text(domain, args[0]);
    std::optional<int64_t> start = number(domain, args[1]);
    std::optional<int64_t> length = number(domain, args[2]);
    // Soufflé returns the empty string when the range is invalid.
    if (!s || !start || !length || *start < 0 || *start > int64_t(s->size()) ||
        *length < 0)
      return makeString(domain, "");
    return makeString(domain, s->substr(size_t(*start), size_t(*length)));
  }
  case bc::DatalogFunctor::ToNumber: {
    std::optional<std::string_view> s = text(domain, args[0]);
    int64_t value = 0;
    if (s) {
      std::string_view digits = *s;
      while (!digits.empty() &&
             (digits.front() == ' ' || digits.front() == '\t'))
        digits.remove_prefix(1);
      if (!digits.empty() && digits.front() == '+')
        digits.remove_prefix(1);
      std::from_chars(digits.data(), digits.data() + digits.size(), value);
    }
    return makeNumber(domain, value);
  }
  case bc::DatalogFunctor::ToString: {
    std::optional<int64_t> n = number(domain, args[0]);
    if (!n) // to_string of a string in .rune: itself
      return args[0];
    return makeString(domain, std::to_string(*n));
  }
  }
  return 0;
}

bool WordOperations::test(bc::DatalogTest op, ColumnType domain, Word a,
                          Word b) {
  std::optional<std::string_view> x = text(domain, a), y = text(domain, b);
  if (!x || !y)
    return false;
  switch (op) {
  case bc::DatalogTest::Contains:
    return y->find(*x) != std::string_view::npos;
  case bc::DatalogTest::StartsWith:
    return y->size() <= x->size() && x->substr(0, y->size()) == *y;
  case bc::DatalogTest::EndsWith:
    return y->size() <= x->size() && x->substr(x->size() - y->size()) == *y;
  case bc::DatalogTest::Match: {
    auto it = regexes.find(std::string(*x));
    if (it == regexes.end()) {
      std::optional<std::regex> compiled;
      try {
        compiled.emplace(std::string(*x), std::regex::ECMAScript);
      } catch (const std::regex_error &) {
        // Soufflé warns and treats an invalid pattern as not matching.
      }
      it = regexes.emplace(std::string(*x), std::move(compiled)).first;
    }
    return it->second && std::regex_match(y->begin(), y->end(), *it->second);
  }
  }
  return false;
}

void WordOperations::add(Accumulator &acc, Word value) {
  ++acc.count;
  switch (acc.kind) {
  case bc::DatalogAggregate::Count:
    return;
  case bc::DatalogAggregate::Sum:
  case bc::DatalogAggregate::Mean:
    switch (acc.type) {
    case ColumnType::Number:
      acc.integerSum += decodeNumber(value);
      return;
    case ColumnType::Unsigned:
      acc.unsignedSum += decodeUnsigned(value);
      acc.integerSum += decodeUnsigned(value);
      return;
    case ColumnType::Float:
      acc.floatSum += decodeFloat(value);
      return;
    case ColumnType::Any:
      if (anyKind(value) == AnyKind::Integer)
        acc.integerSum += decodeAnyInteger(value);
      return;
    case ColumnType::Symbol:
      return;
    }
    return;
  case bc::DatalogAggregate::Min:
  case bc::DatalogAggregate::Max: {
    if (!acc.hasBest) {
      acc.best = value;
      acc.hasBest = true;
      return;
    }
    int order = acc.type == ColumnType::Float
                    ? compareFloats(value, acc.best)
                    : compareValues(acc.type, value, acc.best, &symbols);
    if ((acc.kind == bc::DatalogAggregate::Min && order < 0) ||
        (acc.kind == bc::DatalogAggregate::Max && order > 0))
      acc.best = value;
    return;
  }
  }
}

std::optional<Word> WordOperations::finish(const Accumulator &acc) {
  switch (acc.kind) {
  case bc::DatalogAggregate::Count:
    return acc.type == ColumnType::Any ? encodeAnyInteger(int64_t(acc.count))
           : acc.type == ColumnType::Unsigned
               ? encodeUnsigned(uint32_t(acc.count))
               : encodeNumber(int32_t(acc.count));
  case bc::DatalogAggregate::Sum:
    switch (acc.type) {
    case ColumnType::Number:
      return encodeNumber(int32_t(uint32_t(acc.integerSum)));
    case ColumnType::Unsigned:
      return encodeUnsigned(acc.unsignedSum);
    case ColumnType::Float:
      return encodeFloat(float(acc.floatSum));
    case ColumnType::Any:
      return encodeAnyInteger(acc.integerSum);
    case ColumnType::Symbol:
      return std::nullopt;
    }
    return std::nullopt;
  case bc::DatalogAggregate::Min:
  case bc::DatalogAggregate::Max:
    if (!acc.hasBest)
      return std::nullopt;
    return acc.best;
  case bc::DatalogAggregate::Mean: {
    if (acc.count == 0)
      return std::nullopt;
    double sum =
        acc.type == ColumnType::Float ? acc.floatSum : double(acc.integerSum);
    double mean = sum / double(acc.count);
    if (acc.type == ColumnType::Any)
      return encodeAnyInteger(int64_t(mean));
    return encodeFloat(float(mean));
  }
  }
  return std::nullopt;
}
