//===- Parser.h - Soufflé Datalog parser ------------------------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_FRONTEND_SOUFFLE_PARSER_H
#define RUNE_FRONTEND_SOUFFLE_PARSER_H

#include "rune/Frontend/Souffle/AST.h"
#include "rune/Support/Diagnostics.h"

#include <optional>

namespace rune::souffle {

/// Parses the buffer `bufferId` of the diagnostics' SourceMgr as a Soufflé
/// program. Returns nullopt, after reporting every syntax error with its
/// location, if the source is malformed. Lines starting with `#` (the
/// C preprocessor's) are skipped.
std::optional<Program> parseProgram(unsigned bufferId,
                                    DiagnosticEngine &diags);

} // namespace rune::souffle

#endif // RUNE_FRONTEND_SOUFFLE_PARSER_H
