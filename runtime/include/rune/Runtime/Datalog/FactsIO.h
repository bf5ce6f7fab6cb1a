//===- FactsIO.h - Soufflé fact files in, Soufflé CSV out -------*- C++ -*-===//
//
// Reading follows Soufflé's CSV reader (IO=file, the default `.facts`):
//   * one tuple per line; lines end at '\n' and a trailing '\r' is dropped;
//     the text after the last '\n' is a line only when it is not empty;
//   * columns are separated by the delimiter (default a tab; any non-empty
//     string); exactly arity() columns per line -- a missing column or
//     extra text after the last column is an error (Soufflé silently drops
//     extra columns; we report them, as they always mean a wrong file);
//   * `number`: decimal int32 as std::stoi reads it (leading whitespace and
//     a '+' or '-' sign allowed; 0x / 0b are NOT accepted in fact files,
//     only in program text);
//   * `unsigned`: decimal, 0x hexadecimal or 0b binary uint32 (no sign);
//   * `float`: what std::strtof accepts (decimal or hexadecimal, exponents,
//     inf, nan), out-of-range values are errors;
//   * `symbol`: the raw text of the column (may be empty), no unescaping;
//   * `any` (.rune only): a decimal integer if the whole column is one,
//     `true` / `false` as booleans, anything else as a symbol.
// A nullary relation's file holds iff it has at least one line.
//
// Errors are clang-style and located at the offending column:
//
//   edges.facts:3:5: error: expected a number, got 'x7'
//   12	x7
//   	^
//
// Reading is all-or-nothing: on error the relation is left unchanged
// (symbols interned before the error stay in the table, which is harmless).
//
// Writing follows Soufflé's CSV writer: columns joined by the delimiter
// (default tab), one tuple per line, numbers in decimal, floats as
// `std::ostream << float` with precision 9 (max_digits10) prints them
// (%.9g), symbols raw, and a holding nullary relation as the line "()".
// Tuples are written in primary-index order (deterministic; Soufflé's
// comparison of outputs sorts lines anyway).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_DATALOG_FACTSIO_H
#define RUNE_RUNTIME_DATALOG_FACTSIO_H

#include "rune/Runtime/Datalog/Relation.h"
#include "rune/Runtime/Datalog/SymbolTable.h"
#include "rune/Runtime/Datalog/Word.h"

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace rune::datalog {

struct FactsOptions {
  /// Column separator (Soufflé's `delimiter` IO parameter). Must not be
  /// empty or contain '\n' (reading then fails with "<source>: error:
  /// invalid column delimiter").
  std::string delimiter = "\t";
};

/// Parses fact text `text` (called `sourceName` in messages) into `into`,
/// typed by into.columnTypes(). Returns true on success; otherwise false
/// with the located message in `error` and `into` unchanged.
bool parseFacts(std::string_view sourceName, std::string_view text,
                SymbolTable &symbols, Relation &into, std::string &error,
                const FactsOptions &options = {});

/// Reads the file at `path` as parseFacts() reads text (messages name
/// `path`), in 1 MiB blocks: memory use is one block plus the relation,
/// whatever the file's size. A file that cannot be read gives
/// "<path>: error: cannot open fact file: <why>" (or "cannot read").
bool readFactsFile(const std::string &path, SymbolTable &symbols,
                   Relation &into, std::string &error,
                   const FactsOptions &options = {});

/// Parses one column value as a fact file would. On failure returns nullopt
/// and a message without location (e.g. "expected a number, got 'x'").
std::optional<Word> parseFactValue(ColumnType type, std::string_view text,
                                   SymbolTable &symbols, std::string &error);

/// One value as Soufflé prints it (Any: integer decimal, symbol raw,
/// `true`/`false`).
std::string formatValue(ColumnType type, Word value,
                        const SymbolTable &symbols);
/// Appends formatValue() to `out` (no temporary string).
void appendValue(std::string &out, ColumnType type, Word value,
                 const SymbolTable &symbols);

/// The relation in Soufflé's CSV output format (see the file comment).
std::string formatFacts(const Relation &relation, const SymbolTable &symbols,
                        const FactsOptions &options = {});
void writeFacts(std::ostream &out, const Relation &relation,
                const SymbolTable &symbols, const FactsOptions &options = {});

/// Writes formatFacts() to `path` without ever leaving a half-written file:
/// the text goes to a temporary file in the same directory that is renamed
/// over `path`. Returns false with "<path>: error: ..." in `error`.
bool writeFactsFile(const std::string &path, const Relation &relation,
                    const SymbolTable &symbols, std::string &error,
                    const FactsOptions &options = {});

/// Soufflé's `IO=stdout` block for one relation:
///   ---------------\n<name>\n===============\n<tuples>===============\n
void writeStdoutBlock(std::ostream &out, std::string_view relationName,
                      const Relation &relation, const SymbolTable &symbols,
                      const FactsOptions &options = {});

} // namespace rune::datalog

#endif // RUNE_RUNTIME_DATALOG_FACTSIO_H
