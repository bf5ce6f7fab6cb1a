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
//   --links FILE         Cedar template-link JSON for a policy source,
//                        through the SourceCompiler (rejected for .rbc
//                        files, whose templates were linked when compiled)
//   -s/--schema FILE     a Cedar schema, through the SchemaCompiler:
//                        entities, context and request are read and
//                        validated with it (a .rbc's own schema is used
//                        when this is absent)
//   -v/--verbose         also print reasons and errors
//   -t/--timing          also print the authorize call's duration
//
// Prints ALLOW or DENY; exits 0 on allow, 2 on deny, 1 on any failure.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_CLI_AUTHORIZECOMMAND_H
#define RUNE_CLI_AUTHORIZECOMMAND_H

#include "rune/Runtime/SchemaInfo.h"
#include "rune/rune_native.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace rune::cli {

/// How the SourceCompiler compiles a policy source.
struct SourceCompileOptions {
  /// Cedar template-link JSON to link the source's templates with; empty
  /// for none.
  std::string linksPath;
};

/// Compiles a policy source file to bytecode; provided by rune-run, absent
/// in native executables.
using SourceCompiler = std::function<bool(
    const std::string &path, const SourceCompileOptions &options,
    std::vector<uint8_t> &bytecode, std::string &error)>;

/// Compiles a schema file (Cedar's schema syntax or JSON); provided by
/// rune-run, absent in native executables.
using SchemaCompiler = std::function<bool(
    const std::string &path, bc::SchemaInfo &schema, std::string &error)>;

/// Runs the command. `linked` non-null: the policies are the linked native
/// module (then --policies is rejected). Without `compileSchema`, --schema
/// is rejected.
int runAuthorize(int argc, const char *const *argv,
                 const rune_native_module *linked,
                 const SourceCompiler &compile,
                 const SchemaCompiler &compileSchema = nullptr);

} // namespace rune::cli

#endif // RUNE_CLI_AUTHORIZECOMMAND_H
