//===- Parser.h - Cedar policy parser ---------------------------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Entry point of the Cedar frontend: source text to AST.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_FRONTEND_CEDAR_PARSER_H
#define RUNE_FRONTEND_CEDAR_PARSER_H

#include "rune/Frontend/Cedar/AST.h"
#include "rune/Support/Diagnostics.h"

#include <optional>

namespace rune::cedar {

/// Parses the buffer `bufferId` of the diagnostics' SourceMgr as a Cedar
/// policy set (zero or more policies). Returns nullopt, after reporting
/// every syntax error with its location, if the source is malformed.
///
/// Besides the grammar, this enforces what Cedar checks while parsing:
/// string escapes, 64-bit integer literals, `like` patterns, variable and
/// slot names, scope structure, and unsupported operators. Semantic rules
/// (operand forms, function names, extension literals, duplicates) are left
/// to checkPolicySet in rune/Sema/CedarSema.h.
std::optional<PolicySet> parsePolicySet(unsigned bufferId,
                                        DiagnosticEngine &diags);

} // namespace rune::cedar

#endif // RUNE_FRONTEND_CEDAR_PARSER_H
