//===- NativeStrata.h - Running natively compiled strata (internal) -*- C++
//-*-===//
//
// The runtime side of rune_datalog_native.h: the evaluation state whose
// frame native stratum functions receive, and the helpers they call.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_LIB_DATALOG_NATIVESTRATA_H
#define RUNE_RUNTIME_LIB_DATALOG_NATIVESTRATA_H

#include "ProgramImage.h"

#include "rune/rune_datalog_native.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rune::datalog::detail {

/// The frame's symbol table (rune_dl_frame::symbols) for `image`, whose
/// symbol constants have been interned: indexed by module string.
std::vector<uint64_t> nativeSymbolWords(const ProgramImage &image);

/// Checks a descriptor's stratum table against the decoded program: one
/// non-null function per top-level statement.
bool checkNativeStrata(const ProgramImage &image,
                       const rune_dl_stratum_fn *functions, uint32_t count,
                       std::string &error);

/// Calls `functions` in order over `relations` (one per relation, full
/// versions), interning new strings in `symbols`. `image` gives the number
/// of relations and lookup hints; `symbolWords` is nativeSymbolWords(image).
void evaluateNative(const ProgramImage &image,
                    const std::vector<rune_dl_stratum_fn> &functions,
                    const std::vector<uint64_t> &symbolWords,
                    std::vector<std::unique_ptr<Relation>> &relations,
                    SymbolTable &symbols);

} // namespace rune::datalog::detail

#endif // RUNE_RUNTIME_LIB_DATALOG_NATIVESTRATA_H
