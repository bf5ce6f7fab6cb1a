//===- DatalogQueryCommand.h - Linked Datalog programs ----------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The command line of an executable linked from a Datalog program compiled
// by `runec --emit=obj` (a Soufflé .dl program), as Soufflé's compiled
// programs take it:
//
//   <linked executable> [-F facts-dir] [-D output-dir|-]
//
// reads the .input relations from the facts directory, evaluates the
// program natively and writes the .output relations (<name>.csv, or to
// standard output with -D -). Exits 0, or 1 with a message on any error.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_CLI_DATALOGQUERYCOMMAND_H
#define RUNE_CLI_DATALOGQUERYCOMMAND_H

#include "rune/rune.h"

namespace rune::cli {

/// Runs the linked program `linked` on the command line's facts.
int runLinkedDatalog(int argc, const char *const *argv,
                     const rune_native_module *linked);

} // namespace rune::cli

#endif // RUNE_CLI_DATALOGQUERYCOMMAND_H
