//===- DataSection.h - The [data] section of a .rune file -------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_FRONTEND_RUNE_DATASECTION_H
#define RUNE_LIB_FRONTEND_RUNE_DATASECTION_H

#include "rune/Frontend/Rune/RuneFile.h"
#include "rune/Support/Diagnostics.h"

namespace rune::runefile::detail {

/// Parses the [data] section of the buffer `bufferId` with toml++ into
/// `file.data` (the record `context.data`) and `file.dataFacts` (the facts
/// `K(v)` of every scalar leaf). Returns false after reporting TOML syntax
/// errors and values the rules cannot hold (floats, dates, integers beyond
/// the 62 bits of an `any` column), located in the whole file.
bool parseDataSection(unsigned bufferId, const Section &section, RuneFile &file,
                      DiagnosticEngine &diags);

} // namespace rune::runefile::detail

#endif // RUNE_LIB_FRONTEND_RUNE_DATASECTION_H
