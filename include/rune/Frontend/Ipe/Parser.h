//===- Parser.h - IPE policy file parser -------------------------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_FRONTEND_IPE_PARSER_H
#define RUNE_FRONTEND_IPE_PARSER_H

#include "rune/Frontend/Ipe/AST.h"
#include "rune/Support/Diagnostics.h"

#include <optional>

namespace rune::ipe {

/// Parses the IPE policy file in `bufferId` of the engine's SourceMgr.
/// Returns nullopt after reporting located syntax errors.
std::optional<PolicyFile> parsePolicyFile(unsigned bufferId,
                                          DiagnosticEngine &diags);

} // namespace rune::ipe

#endif // RUNE_FRONTEND_IPE_PARSER_H
