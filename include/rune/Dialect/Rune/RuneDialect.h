//===- RuneDialect.h - The rune dialect -------------------------*- C++ -*-===//

#ifndef RUNE_DIALECT_RUNE_RUNEDIALECT_H
#define RUNE_DIALECT_RUNE_RUNEDIALECT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"

#include "rune/Dialect/Rune/RuneOpsDialect.h.inc"
#include "rune/Dialect/Rune/RuneEnums.h.inc"

#define GET_TYPEDEF_CLASSES
#include "rune/Dialect/Rune/RuneOpsTypes.h.inc"

#define GET_ATTRDEF_CLASSES
#include "rune/Dialect/Rune/RuneAttrs.h.inc"

#endif // RUNE_DIALECT_RUNE_RUNEDIALECT_H
