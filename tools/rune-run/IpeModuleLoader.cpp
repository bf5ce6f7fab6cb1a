//===- IpeModuleLoader.cpp - IPE modules for eval and bench ---------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "IpeModuleLoader.h"

#include "rune/Driver/Compiler.h"
#include "rune/Runtime/BytecodeReader.h"
#include "rune/Target/Native/NativeJIT.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>

namespace rune::cli {

LoadedIpeModule::LoadedIpeModule() = default;

LoadedIpeModule::~LoadedIpeModule() {
  // The module refers to the JIT's code: release it first.
  module.reset();
  jit.reset();
}

bool isIpeInput(const std::string &path) {
  llvm::StringRef name(path);
  if (name.ends_with(".ipe"))
    return true;
  if (!name.ends_with(".rbc"))
    return false;
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return false;
  auto *data = reinterpret_cast<const uint8_t *>((*buffer)->getBufferStart());
  bc::Module module;
  std::string error;
  return bc::readModule(data, (*buffer)->getBufferSize(), module, error) &&
         module.ipe.has_value();
}

bool loadIpeModule(const std::string &path, IpeBackend backend,
                   LoadedIpeModule &out, std::string &diagnostics) {
  llvm::raw_string_ostream stream(diagnostics);
  if (llvm::StringRef(path).ends_with(".rbc")) {
    if (backend == IpeBackend::Native) {
      diagnostics = path + ": the native backend compiles the .ipe source; "
                           "a .rbc module runs on the bytecode backend";
      return false;
    }
    auto buffer = llvm::MemoryBuffer::getFile(path);
    if (!buffer) {
      diagnostics = path + ": " + buffer.getError().message();
      return false;
    }
    std::string error;
    out.module = ipert::Module::load(
        reinterpret_cast<const uint8_t *>((*buffer)->getBufferStart()),
        (*buffer)->getBufferSize(), error);
    if (!out.module) {
      diagnostics = path + ": " + error;
      return false;
    }
    return true;
  }
  Compiler compiler(stream);
  mlir::OwningOpRef<mlir::ModuleOp> module = compiler.loadSource(path);
  if (!module || mlir::failed(compiler.optimize(*module)))
    return false;
  std::string error;
  if (backend == IpeBackend::Bytecode) {
    std::vector<uint8_t> bytes;
    if (mlir::failed(compiler.emitBytecode(*module, bytes)))
      return false;
    out.module = ipert::Module::load(bytes.data(), bytes.size(), error);
  } else {
    static std::atomic<unsigned> counter{0};
    std::string symbol = "rune_ipe_module_" + std::to_string(counter++);
    auto context = std::make_unique<llvm::LLVMContext>();
    std::unique_ptr<llvm::Module> llvmModule =
        compiler.emitLLVMIR(*module, *context, /*optLevel=*/2, symbol);
    if (!llvmModule)
      return false;
    auto jit = NativeJIT::create();
    if (!jit) {
      diagnostics = llvm::toString(jit.takeError());
      return false;
    }
    out.jit = std::move(*jit);
    auto native =
        out.jit->load(std::move(llvmModule), std::move(context), symbol);
    if (!native) {
      diagnostics = llvm::toString(native.takeError());
      return false;
    }
    out.module = ipert::Module::loadNative(*native, error);
  }
  if (!out.module) {
    diagnostics = path + ": " + error;
    return false;
  }
  return true;
}

} // namespace rune::cli
