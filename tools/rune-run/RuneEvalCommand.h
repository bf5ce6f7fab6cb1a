//===- RuneEvalCommand.h - `rune-run eval` for .rune files ------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
//   rune-run eval <file.rune> --principal P --action A --resource R
//                 [--context JSON] [--entities FILE] [-v]
//
// Compiles the .rune file (through the rune dialect to bytecode), loads it,
// and prints the combined decision of its Cedar policies and rules
// (rune/Runtime/RuneDecision.h): ALLOW or DENY, exit code 0 or 2 (1 on any
// error), as `rune-run authorize`. With -v it lists what decided (Cedar
// policy ids and allow*/deny* relations) and, for each deciding relation,
// one derivation tree of its first tuple (RuneExplain.h).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_TOOLS_RUNE_RUN_RUNEEVALCOMMAND_H
#define RUNE_TOOLS_RUNE_RUN_RUNEEVALCOMMAND_H

#include <string_view>

namespace rune::cli {

/// Whether the `eval` command line names a .rune file.
bool isRuneEvalCommandLine(int argc, const char *const *argv);

/// Runs `eval` (argv[0] is "eval").
int runRuneEval(int argc, const char *const *argv);

} // namespace rune::cli

#endif // RUNE_TOOLS_RUNE_RUN_RUNEEVALCOMMAND_H
