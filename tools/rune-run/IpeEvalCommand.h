//===- IpeEvalCommand.h - rune-run eval for IPE policies --------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_TOOLS_RUNE_RUN_IPEEVALCOMMAND_H
#define RUNE_TOOLS_RUNE_RUN_IPEEVALCOMMAND_H

namespace rune::cli {

/// Whether the arguments of `eval` name an IPE input (.ipe, or a .rbc
/// holding an IPE module); other `eval` inputs go to their own command.
bool isIpeEvalInput(int argc, char **argv);

/// `rune-run eval` on IPE policies; argv[0] is "eval".
int runIpeEval(int argc, char **argv);

} // namespace rune::cli

#endif // RUNE_TOOLS_RUNE_RUN_IPEEVALCOMMAND_H
