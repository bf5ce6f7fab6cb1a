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
#include <cstdlib>

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

bool isIpeEvalInput(int argc, char **argv) {
  for (int i = 1; i < argc; ++i)
    if (argv[i][0] != '-' && isIpeInput(argv[i]))
      return true;
  return false;
}

namespace {

/// A module compiled for one backend: bytecode, or a native descriptor
/// with the JIT that holds its code.
struct CompiledIpe {
  std::vector<uint8_t> bytecode;
  std::unique_ptr<NativeJIT> jit;
  const rune_native_module *native = nullptr;
};

bool compileIpe(const std::string &path, IpeBackend backend, CompiledIpe &out,
                std::string &diagnostics) {
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
    auto *data = reinterpret_cast<const uint8_t *>((*buffer)->getBufferStart());
    out.bytecode.assign(data, data + (*buffer)->getBufferSize());
    return true;
  }
  Compiler compiler(stream);
  mlir::OwningOpRef<mlir::ModuleOp> module = compiler.loadSource(path);
  if (!module || mlir::failed(compiler.optimize(*module)))
    return false;
  if (backend == IpeBackend::Bytecode)
    return mlir::succeeded(compiler.emitBytecode(*module, out.bytecode));
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
  out.native = *native;
  return true;
}

} // namespace

bool loadIpeModule(const std::string &path, IpeBackend backend,
                   LoadedIpeModule &out, std::string &diagnostics) {
  CompiledIpe compiled;
  if (!compileIpe(path, backend, compiled, diagnostics))
    return false;
  std::string error;
  out.jit = std::move(compiled.jit);
  out.module = compiled.native
                   ? ipert::Module::loadNative(compiled.native, error)
                   : ipert::Module::load(compiled.bytecode.data(),
                                         compiled.bytecode.size(), error);
  if (!out.module) {
    diagnostics = path + ": " + error;
    return false;
  }
  return true;
}

IpeModuleRef loadIpeModuleRef(const std::string &path, bool native,
                              std::string &diagnostics) {
  CompiledIpe compiled;
  if (!compileIpe(path, native ? IpeBackend::Native : IpeBackend::Bytecode,
                  compiled, diagnostics))
    return nullptr;
  rune_ipe_module *module = nullptr;
  char *error = nullptr;
  rune_status status =
      compiled.native
          ? rune_ipe_module_load_native(compiled.native, &module, &error)
          : rune_ipe_module_load(compiled.bytecode.data(),
                                 compiled.bytecode.size(), &module, &error);
  if (status != RUNE_OK) {
    diagnostics = path + ": " + (error ? error : "cannot load the module");
    std::free(error);
    return nullptr;
  }
  // The deleter frees the module, then the JIT holding its code.
  std::shared_ptr<NativeJIT> jit = std::move(compiled.jit);
  return IpeModuleRef(module, [jit](rune_ipe_module *m) mutable {
    rune_ipe_module_free(m);
    jit.reset();
  });
}

} // namespace rune::cli
