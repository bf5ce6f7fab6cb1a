//===- Compiler.h - The compilation pipeline, stage by stage ----*- C++ -*-===//
//
// Drives one source file through the pipeline: source -> AST -> checks ->
// rune dialect -> optimization -> bytecode or native code. Every road to a
// backend goes through the rune dialect. Errors from any stage are reported
// like clang's (file:line:col, the source line, a caret).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_DRIVER_COMPILER_H
#define RUNE_DRIVER_COMPILER_H

#include "rune/Support/Diagnostics.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/SourceMgr.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
class SourceMgrDiagnosticHandler;
}

namespace rune {

/// How a policy source is compiled.
struct SourceOptions {
  /// A Cedar schema (.cedarschema or JSON) to compile with: it is embedded
  /// in the module, and the runtime reads entities and requests with it.
  std::string schemaPath;
  /// Validate the policies against the schema (Cedar's strict mode).
  bool validate = false;
  /// Cedar's template-link JSON: each link instantiates a template of the
  /// source as a new policy, and the templates themselves are dropped.
  std::string linksPath;
};

class Compiler {
public:
  explicit Compiler(llvm::raw_ostream &diagnosticStream = llvm::errs());
  ~Compiler();

  /// Reads `path` (or stdin for "-"), parses and checks it and generates the
  /// rune dialect. Returns null after reporting the errors. With
  /// `options.validate`, `validated` (if given) receives whether the
  /// policies passed validation; a failed validation is reported but does
  /// not stop the compilation (Cedar authorizes unvalidated policies too).
  mlir::OwningOpRef<mlir::ModuleOp>
  loadSource(llvm::StringRef path, const SourceOptions &options = {},
             std::optional<bool> *validated = nullptr);

  /// Whether `path` names an IPE policy file (.ipe).
  static bool isIpeSource(llvm::StringRef path);

  /// Reads the IPE policy file at `path`, parses it and runs its
  /// compile-time checks. Returns false after reporting the errors.
  bool checkIpeSource(llvm::StringRef path);

  /// Runs only the IPE trigger index pass (what -O0 still needs: the index
  /// is part of every compiled IPE module).
  mlir::LogicalResult indexIpeTriggers(mlir::ModuleOp module);

  /// `runec --analyze`: checks the IPE policy file at `path`, then reports
  /// the findings of the analysis (docs/ipe-analysis.md) as warnings.
  /// Returns nullopt after reporting errors, else the number of findings.
  std::optional<unsigned> analyzeIpeSource(llvm::StringRef path);

  /// Whether `path` names a .rune file (data, rules and Cedar policies).
  static bool isRuneSource(llvm::StringRef path);

  /// Whether `path` names a Soufflé Datalog program (`.dl`).
  static bool isSouffleSource(llvm::StringRef path);

  /// Parses and checks the Soufflé Datalog program `path` (`runec --check`
  /// on a `.dl` file). Returns false after reporting the errors.
  bool checkSouffleSource(llvm::StringRef path);

  /// Reads `path` (or stdin for "-") and lays its policies out as
  /// `cedar format` does. Returns nullopt after reporting the syntax errors.
  /// `original` (if given) receives the source as read.
  std::optional<std::string> formatSource(llvm::StringRef path,
                                          std::string *original = nullptr);

  /// A module holding only the rune.schema of the schema at `path`.
  mlir::OwningOpRef<mlir::ModuleOp> loadSchema(llvm::StringRef path);


  /// Runs the optimization pipeline on the rune dialect.
  mlir::LogicalResult optimize(mlir::ModuleOp module);

  /// Runs only the Datalog passes (stratify, semi-naive, plan, indexes),
  /// which every backend needs even without optimization (-O0).
  mlir::LogicalResult planDatalog(mlir::ModuleOp module);

  mlir::LogicalResult emitBytecode(mlir::ModuleOp module,
                                   std::vector<uint8_t> &bytecode);
  /// Whether emitBytecode has the writer re-read the module it wrote with
  /// the runtime's reader and verifier. Debug builds do by default; release
  /// builds only when asked (`runec --verify-output`): every runtime verifies
  /// a module in full before it runs it, and the re-read was 8% of
  /// compiling 10,000 IPE policies.
  void setVerifyOutput(bool verify) { verifyOutput = verify; }
  /// Whether optimize() verifies the module its passes produced (with
  /// MLIR's verifier: every op's invariants, symbols, dominance). Debug
  /// builds verify after every pass; release builds only when asked
  /// (`runec --verify-ir`), as clang leaves LLVM's verifier off in release:
  /// the passes' input and output are the compiler's own IR, not user input,
  /// the verification was a quarter of compiling 10,000 IPE policies, and a
  /// module that a compiler bug broke is still refused by the runtime's
  /// verifier before it runs. Cedar, Datalog and .rune IRGen output is
  /// verified on load either way.
  void setVerifyIR(bool verify) { verifyIR = verify; }

  /// Lowers a copy of `module` to LLVM IR (optimized at `optLevel`). The
  /// module descriptor is exported as `symbol` (rune_native.h).
  std::unique_ptr<llvm::Module>
  emitLLVMIR(mlir::ModuleOp module, llvm::LLVMContext &llvmContext,
             unsigned optLevel, llvm::StringRef symbol = "rune_linked_module");

  /// Lowers a copy of `module` to a relocatable object for the host.
  mlir::LogicalResult emitObject(mlir::ModuleOp module, unsigned optLevel,
                                 llvm::raw_pwrite_stream &os);

  /// Reports an error that has no source location.
  void reportError(const llvm::Twine &message);

  unsigned errorCount() const;
  mlir::MLIRContext &getContext() { return context; }

private:
  bool loadBuffer(llvm::StringRef path, unsigned &bufferId);
  /// loadSource for .rune files (lib/Driver/RuneSource.cpp): the Cedar
  /// policies with the [data] record compiled in, and the Datalog program.
  mlir::OwningOpRef<mlir::ModuleOp> loadRuneSource(llvm::StringRef path);
  void reportUnknownLanguage(llvm::StringRef path);
  mlir::OwningOpRef<mlir::ModuleOp> loadIpeSource(llvm::StringRef path);

  llvm::SourceMgr sourceMgr;
  DiagnosticEngine diagnostics;
  // Policies are small: compiling them on one thread beats starting a pool.
  mlir::MLIRContext context{mlir::MLIRContext::Threading::DISABLED};
  std::unique_ptr<mlir::SourceMgrDiagnosticHandler> mlirDiagnostics;
  llvm::raw_ostream &diagnosticStream;
  unsigned mlirErrors = 0;
#ifdef NDEBUG
  bool verifyOutput = false;
  bool verifyIR = false;
#else
  bool verifyOutput = true;
  bool verifyIR = true;
#endif
};

} // namespace rune

#endif // RUNE_DRIVER_COMPILER_H
