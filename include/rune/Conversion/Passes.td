//===- Passes.td - Conversions out of the rune dialect --------------------===//

#ifndef RUNE_CONVERSION_PASSES_TD
#define RUNE_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertRuneToLLVM : Pass<"convert-rune-to-llvm", "::mlir::ModuleOp"> {
  let summary = "Lower rune.policy operations to LLVM dialect functions";
  let description = [{
    Turns each `rune.policy` into an `llvm.func` that evaluates the policy's
    condition by calling the runtime's `rune_rt_*` helpers (see
    runtime/include/rune/rune_native.h), and defines the exported
    `rune_linked_module` descriptor that holds the module's bytecode (for
    its tables) and the table of policy functions. A planned
    `rune.dl.program` becomes one native stratum function per top-level
    statement (runtime/include/rune/rune_datalog_native.h), listed in the
    descriptor after the policy functions. The result holds only
    LLVM dialect operations and translates to LLVM IR.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
  let options = [
    Option<"symbolName", "symbol", "std::string",
           /*default=*/"\"rune_linked_module\"",
           "Name of the exported module descriptor">,
  ];
}

#endif // RUNE_CONVERSION_PASSES_TD
