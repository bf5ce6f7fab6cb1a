//===- NativeEmitter.cpp - LLVM dialect -> optimized host object ----------===//

#include "rune/Target/Native/NativeEmitter.h"

#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

using namespace llvm;

namespace rune {

static TargetMachine *hostTargetMachine(unsigned optLevel,
                                        std::string &error) {
  static std::once_flag initialized;
  std::call_once(initialized, [] {
    InitializeNativeTarget();
    InitializeNativeTargetAsmPrinter();
  });
  std::string triple = sys::getDefaultTargetTriple();
  const Target *target = TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  TargetOptions options;
  CodeGenOptLevel level = optLevel == 0   ? CodeGenOptLevel::None
                          : optLevel == 1 ? CodeGenOptLevel::Less
                          : optLevel == 2 ? CodeGenOptLevel::Default
                                          : CodeGenOptLevel::Aggressive;
  // Position-independent so the object links into PIE executables and
  // shared libraries alike.
  return target->createTargetMachine(triple, "generic", "", options,
                                     Reloc::PIC_, std::nullopt, level);
}

std::unique_ptr<Module> translateToLLVMIR(mlir::ModuleOp module,
                                          LLVMContext &context,
                                          unsigned optLevel,
                                          std::string &error) {
  mlir::DialectRegistry registry;
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
  module->getContext()->appendDialectRegistry(registry);

  std::unique_ptr<Module> llvmModule =
      mlir::translateModuleToLLVMIR(module, context, "rune-policies");
  if (!llvmModule) {
    error = "translation to LLVM IR failed";
    return nullptr;
  }
  std::unique_ptr<TargetMachine> machine(hostTargetMachine(optLevel, error));
  if (!machine)
    return nullptr;
  llvmModule->setTargetTriple(machine->getTargetTriple().str());
  llvmModule->setDataLayout(machine->createDataLayout());
  if (optLevel == 0)
    return llvmModule;

  LoopAnalysisManager loopAnalyses;
  FunctionAnalysisManager functionAnalyses;
  CGSCCAnalysisManager cgsccAnalyses;
  ModuleAnalysisManager moduleAnalyses;
  PassBuilder passBuilder(machine.get());
  passBuilder.registerModuleAnalyses(moduleAnalyses);
  passBuilder.registerCGSCCAnalyses(cgsccAnalyses);
  passBuilder.registerFunctionAnalyses(functionAnalyses);
  passBuilder.registerLoopAnalyses(loopAnalyses);
  passBuilder.crossRegisterProxies(loopAnalyses, functionAnalyses,
                                   cgsccAnalyses, moduleAnalyses);
  OptimizationLevel level = optLevel == 1   ? OptimizationLevel::O1
                            : optLevel == 2 ? OptimizationLevel::O2
                                            : OptimizationLevel::O3;
  passBuilder.buildPerModuleDefaultPipeline(level).run(*llvmModule,
                                                       moduleAnalyses);
  return llvmModule;
}

bool emitObjectFile(Module &module, raw_pwrite_stream &os,
                    std::string &error) {
  std::unique_ptr<TargetMachine> machine(hostTargetMachine(2, error));
  if (!machine)
    return false;
  legacy::PassManager passes;
  if (machine->addPassesToEmitFile(passes, os, nullptr,
                                   CodeGenFileType::ObjectFile)) {
    error = "the host target cannot emit object files";
    return false;
  }
  passes.run(module);
  return true;
}

} // namespace rune
