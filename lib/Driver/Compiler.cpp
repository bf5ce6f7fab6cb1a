//===- Compiler.cpp - The compilation pipeline, stage by stage ------------===//

#include "rune/Driver/Compiler.h"
#include "rune/Analysis/IpeAnalysis.h"
#include "rune/Conversion/Passes.h"
#include "rune/Dialect/Rune/RuneDialect.h"
#include "rune/Dialect/Rune/RuneOps.h"
#include "rune/Frontend/Cedar/Formatter.h"
#include "rune/Frontend/Cedar/Parser.h"
#include "rune/Frontend/Souffle/Parser.h"
#include "rune/Frontend/Ipe/Parser.h"
#include "rune/IRGen/IpeIRGen.h"
#include "rune/Transforms/IpeTriggerIndex.h"
#include "rune/IRGen/CedarIRGen.h"
#include "rune/IRGen/DatalogIRGen.h"
#include "rune/IRGen/SchemaIRGen.h"
#include "rune/Schema/SchemaParser.h"
#include "rune/Sema/CedarValidator.h"
#include "rune/Sema/CedarSema.h"
#include "rune/Sema/SouffleSema.h"
#include "rune/Sema/IpeSema.h"
#include "rune/Sema/TemplateLinker.h"
#include "rune/Target/Bytecode/BytecodeEmitter.h"
#include "rune/Target/Bytecode/IpeBytecodeEmitter.h"
#include "rune/Target/Native/NativeEmitter.h"
#include "rune/Transforms/Pipeline.h"
#include "rune/Transforms/DatalogPasses.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace rune;

Compiler::Compiler(llvm::raw_ostream &diagnosticStream)
    : diagnostics(sourceMgr, diagnosticStream),
      diagnosticStream(diagnosticStream) {
  context.loadDialect<RuneDialect, mlir::LLVM::LLVMDialect>();
  // Diagnostics point at the source; the generic form of the operation
  // behind them means nothing to a user.
  context.printOpOnDiagnostic(false);
  // Print MLIR's diagnostics (verifiers, passes) against the same sources,
  // and count the errors among them.
  mlirDiagnostics = std::make_unique<mlir::SourceMgrDiagnosticHandler>(
      sourceMgr, &context, diagnosticStream);
  context.getDiagEngine().registerHandler([this](mlir::Diagnostic &diag) {
    if (diag.getSeverity() == mlir::DiagnosticSeverity::Error)
      ++mlirErrors;
    return mlir::failure(); // let the SourceMgr handler print it
  });
}

Compiler::~Compiler() = default;

unsigned Compiler::errorCount() const {
  return diagnostics.errorCount() + mlirErrors;
}

void Compiler::reportError(const llvm::Twine &message) {
  diagnostics.error(message);
}

bool Compiler::loadBuffer(llvm::StringRef path, unsigned &bufferId) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/true);
  if (std::error_code error = buffer.getError()) {
    diagnostics.error("cannot read '" + path + "': " + error.message());
    return false;
  }
  bufferId = sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  return true;
}

namespace {
enum class SourceLanguage { Cedar, Ipe, Souffle, Rune, Unknown };

SourceLanguage languageOf(llvm::StringRef path) {
  llvm::StringRef extension = llvm::sys::path::extension(path);
  if (extension == ".cedar" || path == "-")
    return SourceLanguage::Cedar;
  if (extension == ".ipe")
    return SourceLanguage::Ipe;
  if (extension == ".dl")
    return SourceLanguage::Souffle;
  if (extension == ".rune")
    return SourceLanguage::Rune;
  return SourceLanguage::Unknown;
}
} // namespace

bool Compiler::isRuneSource(llvm::StringRef path) {
  return languageOf(path) == SourceLanguage::Rune;
}

bool Compiler::isSouffleSource(llvm::StringRef path) {
  return languageOf(path) == SourceLanguage::Souffle;
}

bool Compiler::checkSouffleSource(llvm::StringRef path) {
  unsigned bufferId;
  if (!loadBuffer(path, bufferId))
    return false;
  std::optional<souffle::Program> program =
      souffle::parseProgram(bufferId, diagnostics);
  if (!program || diagnostics.hasErrors())
    return false;
  return souffle::checkProgram(*program, diagnostics);
}

bool Compiler::isIpeSource(llvm::StringRef path) {
  return languageOf(path) == SourceLanguage::Ipe;
}

bool Compiler::checkIpeSource(llvm::StringRef path) {
  unsigned bufferId;
  if (!loadBuffer(path, bufferId))
    return false;
  std::optional<ipe::PolicyFile> file =
      ipe::parsePolicyFile(bufferId, diagnostics);
  if (!file || diagnostics.hasErrors())
    return false;
  return ipe::checkPolicyFile(*file, diagnostics);
}

std::optional<unsigned> Compiler::analyzeIpeSource(llvm::StringRef path) {
  unsigned bufferId;
  if (!loadBuffer(path, bufferId))
    return std::nullopt;
  std::optional<ipe::PolicyFile> file =
      ipe::parsePolicyFile(bufferId, diagnostics);
  if (!file || diagnostics.hasErrors() ||
      !ipe::checkPolicyFile(*file, diagnostics))
    return std::nullopt;
  return ipe::analyzePolicyFile(*file, diagnostics).findings();
}

mlir::OwningOpRef<mlir::ModuleOp>
Compiler::loadIpeSource(llvm::StringRef path) {
  unsigned bufferId;
  if (!loadBuffer(path, bufferId))
    return nullptr;
  std::optional<ipe::PolicyFile> file =
      ipe::parsePolicyFile(bufferId, diagnostics);
  if (!file || diagnostics.hasErrors() ||
      !ipe::checkPolicyFile(*file, diagnostics))
    return nullptr;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      ipe::generateIR(context, std::move(*file), diagnostics);
  if (!module || errorCount() != 0)
    return nullptr;
  // Release builds verify an IPE module when asked (`runec --verify-ir`,
  // see Compiler::setVerifyIR), or before printing it (--emit=mlir):
  // on 10,000 policies each verification was a fifth of the compile. Debug
  // builds also verify what IRGen made, to catch an IRGen bug where it
  // happens.
#ifndef NDEBUG
  if (mlir::failed(mlir::verify(*module)))
    return nullptr;
#endif
  return module;
}

mlir::LogicalResult Compiler::indexIpeTriggers(mlir::ModuleOp module) {
  mlir::PassManager passes(&context);
  passes.addPass(createIpeTriggerIndexPass());
  return passes.run(module);
}

void Compiler::reportUnknownLanguage(llvm::StringRef path) {
  diagnostics.error("'" + path +
                    "': unknown source language (expected .cedar, .ipe, .dl "
                    "or .rune)");
}

mlir::OwningOpRef<mlir::ModuleOp>
Compiler::loadSource(llvm::StringRef path, const SourceOptions &options,
                     std::optional<bool> *validated) {
  if (languageOf(path) == SourceLanguage::Ipe)
    return loadIpeSource(path);
  if (languageOf(path) == SourceLanguage::Souffle) {
    unsigned bufferId;
    if (!loadBuffer(path, bufferId))
      return nullptr;
    std::optional<souffle::Program> program =
        souffle::parseProgram(bufferId, diagnostics);
    if (!program || diagnostics.hasErrors() ||
        !souffle::checkProgram(*program, diagnostics))
      return nullptr;
    mlir::OwningOpRef<mlir::ModuleOp> module =
        mlir::ModuleOp::create(mlir::UnknownLoc::get(&context));
    if (!souffle::generateDatalogIR(*module, *program, diagnostics) ||
        errorCount() != 0 || mlir::failed(mlir::verify(*module)))
      return nullptr;
    return module;
  }
  if (languageOf(path) == SourceLanguage::Rune)
    return loadRuneSource(path);
  if (languageOf(path) == SourceLanguage::Unknown) {
    reportUnknownLanguage(path);
    return nullptr;
  }
  unsigned bufferId;
  if (!loadBuffer(path, bufferId))
    return nullptr;
  std::optional<cedar::PolicySet> policies =
      cedar::parsePolicySet(bufferId, diagnostics);
  if (!policies || diagnostics.hasErrors())
    return nullptr;
  if (!cedar::checkPolicySet(*policies, diagnostics))
    return nullptr;
  if (!options.linksPath.empty()) {
    unsigned linksBufferId;
    if (!loadBuffer(options.linksPath, linksBufferId) ||
        !cedar::linkTemplates(*policies, linksBufferId, diagnostics))
      return nullptr;
  } else {
    cedar::dropUnlinkedTemplates(*policies, diagnostics);
  }
  std::optional<schema::Schema> schema;
  if (!options.schemaPath.empty()) {
    schema = schema::parseSchemaFile(options.schemaPath, diagnostics);
    if (!schema)
      return nullptr;
    if (options.validate) {
      // Validation errors are reported through their own engine: they say
      // the policies may misbehave, not that they cannot be compiled.
      DiagnosticEngine validation(sourceMgr, diagnosticStream);
      bool valid = cedar::validatePolicySet(*policies, *schema, validation);
      if (validated)
        *validated = valid;
    }
  }
  mlir::OwningOpRef<mlir::ModuleOp> module =
      cedar::generateIR(context, *policies, diagnostics);
  if (module && schema)
    generateSchemaOp(*module, *schema);
  if (!module || errorCount() != 0 || mlir::failed(mlir::verify(*module)))
    return nullptr;
  return module;
}

std::optional<std::string> Compiler::formatSource(llvm::StringRef path,
                                                  std::string *original) {
  if (languageOf(path) != SourceLanguage::Cedar) {
    if (languageOf(path) == SourceLanguage::Unknown)
      reportUnknownLanguage(path);
    else
      diagnostics.error("'" + path + "': only Cedar policies can be formatted");
    return std::nullopt;
  }
  unsigned bufferId;
  if (!loadBuffer(path, bufferId))
    return std::nullopt;
  if (original)
    *original = sourceMgr.getMemoryBuffer(bufferId)->getBuffer().str();
  return cedar::formatPolicySource(bufferId, diagnostics);
}

mlir::OwningOpRef<mlir::ModuleOp> Compiler::loadSchema(llvm::StringRef path) {
  std::optional<schema::Schema> schema =
      schema::parseSchemaFile(path, diagnostics);
  if (!schema)
    return nullptr;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::ModuleOp::create(mlir::UnknownLoc::get(&context));
  generateSchemaOp(*module, *schema);
  if (mlir::failed(mlir::verify(*module)))
    return nullptr;
  return module;
}

/// Verifying the whole module after every pass costs as much as a pass on
/// large policy sets (10,000 IPE policies: a fifth of the compile time).
/// Debug builds keep doing it to catch a pass that breaks the IR where it
/// happens; release builds verify once, after the pipeline, when asked
/// (Compiler::setVerifyIR).
static mlir::LogicalResult runPipeline(mlir::PassManager &passes,
                                       mlir::ModuleOp module, bool verifyIR) {
#ifdef NDEBUG
  passes.enableVerifier(false);
#endif
  if (mlir::failed(passes.run(module)))
    return mlir::failure();
#ifdef NDEBUG
  if (verifyIR)
    return mlir::verify(module);
#endif
  return mlir::success();
}

mlir::LogicalResult Compiler::optimize(mlir::ModuleOp module) {
  mlir::PassManager passes(&context);
  if (isIpeModule(module))
    buildIpeOptimizationPipeline(passes);
  else
    buildOptimizationPipeline(passes);
  return runPipeline(passes, module, verifyIR);
}

mlir::LogicalResult Compiler::planDatalog(mlir::ModuleOp module) {
  mlir::PassManager passes(&context);
  buildDatalogPipeline(passes);
  return runPipeline(passes, module, verifyIR);
}

mlir::LogicalResult Compiler::emitBytecode(mlir::ModuleOp module,
                                           std::vector<uint8_t> &bytecode) {
  return rune::emitBytecode(module, bytecode, /*layout=*/nullptr,
                            verifyOutput);
}

std::unique_ptr<llvm::Module>
Compiler::emitLLVMIR(mlir::ModuleOp module, llvm::LLVMContext &llvmContext,
                     unsigned optLevel, llvm::StringRef symbol) {
  mlir::OwningOpRef<mlir::ModuleOp> lowered = module.clone();
  mlir::PassManager passes(&context);
  ConvertRuneToLLVMOptions options;
  options.symbolName = symbol.str();
  passes.addPass(createConvertRuneToLLVM(options));
  if (mlir::failed(passes.run(*lowered)))
    return nullptr;
  std::string error;
  std::unique_ptr<llvm::Module> llvmModule =
      translateToLLVMIR(*lowered, llvmContext, optLevel, error);
  if (!llvmModule)
    diagnostics.error(error);
  return llvmModule;
}

mlir::LogicalResult Compiler::emitObject(mlir::ModuleOp module,
                                         unsigned optLevel,
                                         llvm::raw_pwrite_stream &os) {
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      emitLLVMIR(module, llvmContext, optLevel);
  if (!llvmModule)
    return mlir::failure();
  std::string error;
  if (!emitObjectFile(*llvmModule, os, error)) {
    diagnostics.error(error);
    return mlir::failure();
  }
  return mlir::success();
}
