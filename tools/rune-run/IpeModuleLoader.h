//===- IpeModuleLoader.h - IPE modules for eval and bench -------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// `rune-run eval` and `rune-run bench` take an IPE policy file (.ipe, compiled
// here through the whole pipeline) or a compiled module (.rbc), and run it
// on the bytecode interpreter or as native code compiled in process (ORC
// JIT; native needs the .ipe source).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_TOOLS_RUNE_RUN_IPEMODULELOADER_H
#define RUNE_TOOLS_RUNE_RUN_IPEMODULELOADER_H

#include "IpeEvalCommand.h"
#include "rune/Runtime/IpeEngine.h"

#include <memory>
#include <string>

namespace rune {
class NativeJIT;
}

namespace rune::cli {

enum class IpeBackend { Bytecode, Native };

/// Whether `path` names an IPE input `eval`/`bench` handle (.ipe, or a
/// compiled module whose sections say it is IPE).
bool isIpeInput(const std::string &path);

/// Whether the arguments of `eval` or `bench` name an IPE input; other
/// inputs go to their own command.
bool isIpeEvalInput(int argc, char **argv);

struct LoadedIpeModule {
  std::unique_ptr<ipert::Module> module;
  std::unique_ptr<NativeJIT> jit; // keeps native code alive
  LoadedIpeModule();
  ~LoadedIpeModule();
};

/// Compiles or reads `path` for `backend`. On failure `diagnostics` holds
/// the compiler's located messages (file:line:col: error: ...) or a
/// one-line message.
bool loadIpeModule(const std::string &path, IpeBackend backend,
                   LoadedIpeModule &out, std::string &diagnostics);

/// loadIpeModule for the eval command (IpeEvalCommand.h).
IpeModuleRef loadIpeModuleRef(const std::string &path, bool native,
                              std::string &diagnostics);

} // namespace rune::cli

#endif // RUNE_TOOLS_RUNE_RUN_IPEMODULELOADER_H
