//===- WordOperations.h - What Datalog operations do to words (internal) -===//
//
// The value semantics of the Datalog instructions that interpret words:
// comparisons, arithmetic, string functors and tests, aggregates. Shared by
// the interpreter (ProgramInterpreter.cpp) and the helpers native code calls
// (NativeHelpers.cpp), so both backends compute exactly the same words.
//
// Soufflé's semantics: `number` and `unsigned` arithmetic is 32-bit and
// wraps, division truncates (by zero it yields 0: Datalog has no evaluation
// errors), floats are IEEE float32; `any` (.rune) integers are 62-bit and
// operations on a non-integer yield 0.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_LIB_DATALOG_WORDOPERATIONS_H
#define RUNE_RUNTIME_LIB_DATALOG_WORDOPERATIONS_H

#include "rune/Runtime/BytecodeFormat.h"
#include "rune/Runtime/Datalog/SymbolTable.h"
#include "rune/Runtime/Datalog/Word.h"

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace rune::datalog::detail {

/// The running state of one aggregate.
struct Accumulator {
  bc::DatalogAggregate kind;
  ColumnType type;
  uint64_t count = 0;
  int64_t integerSum = 0;
  uint32_t unsignedSum = 0;
  double floatSum = 0;
  Word best = 0;
  bool hasBest = false;
};

/// Operations on words of one program, interning new strings in its symbol
/// table. Not thread-safe (it caches compiled regular expressions).
class WordOperations {
public:
  explicit WordOperations(SymbolTable &symbols) : symbols(symbols) {}

  bool compare(bc::DatalogCompare op, ColumnType type, Word a, Word b);
  Word arith(bc::DatalogArith op, ColumnType type, Word a, Word b);
  Word functor(bc::DatalogFunctor kind, ColumnType domain, const Word *args,
               unsigned count);
  bool test(bc::DatalogTest op, ColumnType domain, Word a, Word b);
  /// Adds one value to an aggregate (count ignores it).
  void add(Accumulator &acc, Word value);
  /// The aggregate's result; none for min, max and mean of nothing.
  std::optional<Word> finish(const Accumulator &acc);

private:
  /// The string a symbol or `any` word stands for, if it is one.
  std::optional<std::string_view> text(ColumnType domain, Word word);
  Word makeString(ColumnType domain, std::string_view value);
  Word makeNumber(ColumnType domain, int64_t value);
  std::optional<int64_t> number(ColumnType domain, Word word);

  SymbolTable &symbols;
  std::unordered_map<std::string, std::optional<std::regex>> regexes;
};

} // namespace rune::datalog::detail

#endif // RUNE_RUNTIME_LIB_DATALOG_WORDOPERATIONS_H
