//===- Parser.h - .rune file parser -----------------------------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_FRONTEND_RUNE_PARSER_H
#define RUNE_FRONTEND_RUNE_PARSER_H

#include "rune/Frontend/Rune/RuneFile.h"
#include "rune/Support/Diagnostics.h"

#include <optional>

namespace rune::runefile {

/// Parses the buffer `bufferId` of the diagnostics' SourceMgr as a .rune
/// file: the version line, the sections, the TOML data, the rules and the
/// Cedar policies. Returns nullopt after reporting every error found, each
/// located in the whole file.
///
/// The Cedar parser reads whole buffers, so the policies are parsed from a
/// second buffer (same name) holding the file with every byte outside the
/// [policies] section replaced by a space, newlines kept: lines and columns
/// are those of the file.
std::optional<RuneFile> parseRuneFile(unsigned bufferId,
                                      DiagnosticEngine &diags);

} // namespace rune::runefile

#endif // RUNE_FRONTEND_RUNE_PARSER_H
