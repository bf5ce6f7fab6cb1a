//===- NativeJIT.cpp - Run native policy code in process ------------------===//

#include "rune/Target/Native/NativeJIT.h"
#include "rune/rune_datalog_native.h"
#include "rune/rune_ipe_native.h"

#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/ThreadSafeModule.h"
#include "llvm/Support/TargetSelect.h"

using namespace llvm;
using namespace llvm::orc;

namespace rune {

NativeJIT::NativeJIT(std::unique_ptr<LLJIT> jit) : jit(std::move(jit)) {}
NativeJIT::~NativeJIT() = default;

Expected<std::unique_ptr<NativeJIT>> NativeJIT::create() {
  static std::once_flag initialized;
  std::call_once(initialized, [] {
    InitializeNativeTarget();
    InitializeNativeTargetAsmPrinter();
  });
  Expected<std::unique_ptr<LLJIT>> jit = LLJITBuilder().create();
  if (!jit)
    return jit.takeError();
  // The helpers come from the runtime linked into this process, by address:
  // no dependency on the executable exporting its symbols.
  SymbolMap helpers;
  MangleAndInterner mangle((*jit)->getExecutionSession(),
                           (*jit)->getDataLayout());
#define RUNE_DEFINE_HELPER(name)                                               \
  helpers[mangle(#name)] = ExecutorSymbolDef(                                  \
      ExecutorAddr::fromPtr(&name),                                            \
      JITSymbolFlags::Exported | JITSymbolFlags::Callable);
  RUNE_NATIVE_HELPERS(RUNE_DEFINE_HELPER)
  RUNE_IPE_NATIVE_HELPERS(RUNE_DEFINE_HELPER)
  RUNE_DL_NATIVE_HELPERS(RUNE_DEFINE_HELPER)
#undef RUNE_DEFINE_HELPER
  if (Error error =
          (*jit)->getMainJITDylib().define(absoluteSymbols(std::move(helpers))))
    return std::move(error);
  return std::unique_ptr<NativeJIT>(new NativeJIT(std::move(*jit)));
}

Expected<const rune_native_module *>
NativeJIT::load(std::unique_ptr<Module> module,
                std::unique_ptr<LLVMContext> context, StringRef symbol) {
  module->setDataLayout(jit->getDataLayout());
  if (Error error = jit->addIRModule(
          ThreadSafeModule(std::move(module), std::move(context))))
    return std::move(error);
  Expected<ExecutorAddr> address = jit->lookup(symbol);
  if (!address)
    return address.takeError();
  return address->toPtr<const rune_native_module *>();
}

} // namespace rune
