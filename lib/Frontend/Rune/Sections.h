//===- Sections.h - Version line and section headers of .rune ---*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_FRONTEND_RUNE_SECTIONS_H
#define RUNE_LIB_FRONTEND_RUNE_SECTIONS_H

#include "rune/Frontend/Rune/RuneFile.h"
#include "rune/Support/Diagnostics.h"

#include "llvm/ADT/StringRef.h"

namespace rune::runefile::detail {

/// Checks the version line and splits `text` (a whole .rune buffer) into
/// its sections, storing them in `file`. Reports a missing or unsupported
/// version, duplicate and unknown sections, TOML table headers outside
/// [data] and text before the first section. Returns false on error.
bool splitSections(llvm::StringRef text, RuneFile &file,
                   DiagnosticEngine &diags);

/// A copy of `text` in which every byte outside `keep` is a space, except
/// line breaks, so that lines and columns in the copy are those of `text`.
std::string blankOutside(llvm::StringRef text, llvm::SMRange keep);

} // namespace rune::runefile::detail

#endif // RUNE_LIB_FRONTEND_RUNE_SECTIONS_H
