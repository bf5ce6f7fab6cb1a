//===- IpeEvalCommand.h - The `eval` command line for IPE -------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The command-line front end of IPE decisions, shared by `rune-run eval`
// (which can also compile .ipe sources) and by executables linked with an
// IPE module compiled by `runec --emit=obj` (whose policies are linked in):
//
//   rune-run eval policies.ipe|.rbc --request request.json [-v]
//                 [--format json] [--backend bytecode|native]
//   <linked executable> --request request.json [-v] [--format json]
//
// Prints the decision with the reasons people read: the intent sentence (or
// the `denies` reason) of every deciding policy, with its name and
// metadata; -v adds, for every policy that applied, the condition that
// decided it. Exit codes as `rune-run authorize`: 0 allow, 2 deny, 1 error
// (a bad policy file or request, reported with its location).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_CLI_IPEEVALCOMMAND_H
#define RUNE_CLI_IPEEVALCOMMAND_H

#include "rune/rune.h"

#include <functional>
#include <memory>
#include <string>

namespace rune::cli {

/// A loaded IPE module; the pointer also keeps alive whatever owns the
/// module's native code (an in-process JIT).
using IpeModuleRef = std::shared_ptr<rune_ipe_module>;

/// Loads the policy file given on the command line, for the native backend
/// or the bytecode one; on failure returns null with the located messages
/// (file:line:col: error: ...) or a one-line message in `diagnostics`.
/// Provided by rune-run; absent in linked executables.
using IpeModuleLoader = std::function<IpeModuleRef(
    const std::string &path, bool native, std::string &diagnostics)>;

/// Runs the command; argv[0] is the command's name. `linked` non-null: the
/// policies are the linked native module (no policy file is taken and
/// `load` is not called).
int runIpeEval(int argc, const char *const *argv,
               const rune_native_module *linked, const IpeModuleLoader &load);

} // namespace rune::cli

#endif // RUNE_CLI_IPEEVALCOMMAND_H
