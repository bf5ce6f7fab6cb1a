//===- NativeJIT.h - Run native policy code in process ----------*- C++ -*-===//
//
// Compiles the LLVM IR of policy modules to machine code in memory (ORC
// LLJIT) and hands back their rune_native_module descriptors, resolving the
// rune_rt_* helpers to the runtime linked into this process. It is the same
// code an object file would hold; `rune-run test` uses it to run thousands
// of policy sets natively without linking an executable for each.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_TARGET_NATIVE_NATIVEJIT_H
#define RUNE_TARGET_NATIVE_NATIVEJIT_H

#include "rune/rune_native.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace llvm::orc {
class LLJIT;
}

namespace rune {

class NativeJIT {
public:
  static llvm::Expected<std::unique_ptr<NativeJIT>> create();
  ~NativeJIT();

  /// Compiles `module` (whose descriptor is named `symbol`, unique among
  /// the modules of this JIT) and returns its descriptor, valid as long as
  /// the JIT lives.
  llvm::Expected<const rune_native_module *>
  load(std::unique_ptr<llvm::Module> module,
       std::unique_ptr<llvm::LLVMContext> context, llvm::StringRef symbol);

private:
  explicit NativeJIT(std::unique_ptr<llvm::orc::LLJIT> jit);
  std::unique_ptr<llvm::orc::LLJIT> jit;
};

} // namespace rune

#endif // RUNE_TARGET_NATIVE_NATIVEJIT_H
