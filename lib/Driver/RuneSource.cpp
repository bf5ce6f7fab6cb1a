//===- RuneSource.cpp - Compiling a .rune file ----------------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// A .rune file becomes one module: the rune.policy ops of its Cedar
// policies (with the [data] record compiled in, RuneDataIRGen.h) and the
// rune.dl.program of its facts and rules (DatalogIRGen.h), whose `allow*`
// and `deny*` relations take part in the decision.
//
//===----------------------------------------------------------------------===//

#include "rune/Driver/Compiler.h"
#include "rune/Frontend/Rune/Parser.h"
#include "rune/IRGen/CedarIRGen.h"
#include "rune/IRGen/DatalogIRGen.h"
#include "rune/IRGen/RuneDataIRGen.h"
#include "rune/Sema/RuneSema.h"

#include "mlir/IR/Verifier.h"

using namespace rune;

mlir::OwningOpRef<mlir::ModuleOp>
Compiler::loadRuneSource(llvm::StringRef path) {
  unsigned bufferId;
  if (!loadBuffer(path, bufferId))
    return nullptr;
  std::optional<runefile::RuneFile> file =
      runefile::parseRuneFile(bufferId, diagnostics);
  if (!file || diagnostics.hasErrors())
    return nullptr;
  std::optional<souffle::Program> program =
      runefile::checkRuneFile(*file, diagnostics);
  if (!program || diagnostics.hasErrors())
    return nullptr;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      cedar::generateIR(context, file->policies, diagnostics);
  if (!module)
    return nullptr;
  runefile::materializeData(*module, file->data);
  if (!program->clauses.empty() &&
      !souffle::generateDatalogIR(*module, *program, diagnostics))
    return nullptr;
  if (errorCount() != 0 || mlir::failed(mlir::verify(*module)))
    return nullptr;
  return module;
}
