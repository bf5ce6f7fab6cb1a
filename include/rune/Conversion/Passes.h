//===- Passes.h - Conversions out of the rune dialect -----------*- C++ -*-===//

#ifndef RUNE_CONVERSION_PASSES_H
#define RUNE_CONVERSION_PASSES_H

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Pass/Pass.h"

namespace rune {

#define GEN_PASS_DECL
#include "rune/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "rune/Conversion/Passes.h.inc"

} // namespace rune

#endif // RUNE_CONVERSION_PASSES_H
