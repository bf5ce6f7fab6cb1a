//===- RuneOps.h - Operations of the rune dialect ---------------*- C++ -*-===//

#ifndef RUNE_DIALECT_RUNE_RUNEOPS_H
#define RUNE_DIALECT_RUNE_RUNEOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "rune/Dialect/Rune/RuneDialect.h"

#define GET_OP_CLASSES
#include "rune/Dialect/Rune/RuneOps.h.inc"

#endif // RUNE_DIALECT_RUNE_RUNEOPS_H
