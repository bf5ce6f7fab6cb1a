//===- RulesParser.h - The [rules] section of a .rune file ------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_FRONTEND_RUNE_RULESPARSER_H
#define RUNE_LIB_FRONTEND_RUNE_RULESPARSER_H

#include "rune/Frontend/Souffle/AST.h"
#include "rune/Support/Diagnostics.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <vector>

namespace rune::runefile::detail {

/// Parses `text`, the body of the [rules] section (a slice of the file's
/// SourceMgr buffer, so that every location points into the file), into
/// clauses in the .rune form (see RuneFile::rules). Returns nullopt after
/// reporting the syntax errors and the malformed constructs (unknown
/// methods and aggregates, misplaced aggregates, out-of-range integers).
std::optional<std::vector<souffle::Clause>> parseRules(llvm::StringRef text,
                                                       DiagnosticEngine &diags);

} // namespace rune::runefile::detail

#endif // RUNE_LIB_FRONTEND_RUNE_RULESPARSER_H
