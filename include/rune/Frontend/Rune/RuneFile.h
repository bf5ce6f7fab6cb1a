//===- RuneFile.h - The parsed contents of a .rune file ---------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// A `.rune` file (docs/rune-language.md) bundles three optional sections
// after its version line: `[data]` (TOML), `[rules]` (Datalog) and
// `[policies]` (Cedar). The frontend parses each with its own parser but
// keeps every location in the whole file, so a diagnostic in any section
// points at the line and column the user sees.
//
// The rules are kept as written (`rules`, with .rune aggregates); Sema
// (rune/Sema/RuneSema.h) checks them and lowers them, together with the
// data facts and the built-in request relations, to the Datalog program the
// rest of the pipeline compiles.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_FRONTEND_RUNE_RUNEFILE_H
#define RUNE_FRONTEND_RUNE_RUNEFILE_H

#include "rune/Frontend/Cedar/AST.h"
#include "rune/Frontend/Souffle/AST.h"

#include "llvm/Support/SMLoc.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rune::runefile {

/// The version every .rune file must declare on its first line.
inline constexpr const char *SupportedVersion = "rune/1.0";

/// A value of the [data] section: the TOML types a .rune file can use
/// (strings, integers, booleans, arrays and tables). Floats and dates have
/// no counterpart in the rules' `any` columns and are rejected.
struct DataValue {
  enum class Kind { String, Integer, Boolean, Array, Table };
  Kind kind = Kind::String;
  std::string string;
  int64_t integer = 0;
  bool boolean = false;
  std::vector<DataValue> elements;                        ///< Array
  std::vector<std::pair<std::string, DataValue>> entries; ///< Table
  /// Where the value is written.
  llvm::SMRange range;
};

/// One fact `K(v)` contributed by the [data] section: the dotted key path of
/// a scalar leaf (or of an array of scalars, one fact per element).
struct DataFact {
  std::string relation;
  DataValue value; ///< String, Integer or Boolean
  /// The key path as written (for "declared here" notes).
  llvm::SMRange keyRange;
};

/// A section header and the text it governs.
struct Section {
  /// `[data]`, `[rules]` or `[policies]`.
  llvm::SMRange header;
  /// From the line after the header to the next header (or the end).
  llvm::SMRange body;
};

struct RuneFile {
  std::optional<Section> dataSection;
  std::optional<Section> rulesSection;
  std::optional<Section> policiesSection;

  /// The [data] section as a table (empty without one): the Cedar record
  /// `context.data`.
  DataValue data;
  /// The facts the [data] section gives the rules, in source order.
  std::vector<DataFact> dataFacts;
  /// The [rules] section as written: aggregates keep the .rune form (a Term
  /// of kind Aggregate with operands = {V} and body = {the atom}), and a
  /// lone aggregate has already been turned into `Last = aggregate`.
  std::vector<souffle::Clause> rules;
  /// The [policies] section.
  cedar::PolicySet policies;
};

} // namespace rune::runefile

#endif // RUNE_FRONTEND_RUNE_RUNEFILE_H
