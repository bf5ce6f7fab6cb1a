//===- AuthorizeCommand.h - The `authorize` command line --------*- C++ -*-===//
//
// The command-line front end shared by `rune-run` (which can also compile
// policy sources) and by natively compiled authorizers (whose policies are
// linked in). Flags follow Cedar's CLI `authorize`:
//
//   -p/--policies FILE   .rbc bytecode (recognized by its magic) or, through
//                        the SourceCompiler, a policy source file
//   --entities FILE      Cedar entities JSON (default: no entities)
//   -l/--principal UID, -a/--action UID, -r/--resource UID   Cedar syntax
//   -c/--context FILE    a JSON object
//   --request-json FILE  {"principal", "action", "resource", "context"}
//   -v/--verbose         also print reasons and errors
//   -t/--timing          also print the authorize call's duration
//
// Prints ALLOW or DENY; exits 0 on allow, 2 on deny, 1 on any failure.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_CLI_AUTHORIZECOMMAND_H
#define RUNE_CLI_AUTHORIZECOMMAND_H

#include "rune/rune_native.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace rune::cli {

/// Compiles a policy source file to bytecode; provided by rune-run, absent
/// in native executables.
using SourceCompiler =
    std::function<bool(const std::string &path, std::vector<uint8_t> &bytecode,
                       std::string &error)>;

/// Runs the command. `linked` non-null: the policies are the linked native
/// module (then --policies is rejected).
int runAuthorize(int argc, const char *const *argv,
                 const rune_native_module *linked,
                 const SourceCompiler &compile);

} // namespace rune::cli

#endif // RUNE_CLI_AUTHORIZECOMMAND_H
