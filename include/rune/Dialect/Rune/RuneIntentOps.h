//===- RuneIntentOps.h - IPE operations of the rune dialect -----*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_DIALECT_RUNE_RUNEINTENTOPS_H
#define RUNE_DIALECT_RUNE_RUNEINTENTOPS_H

#include "rune/Dialect/Rune/RuneOps.h"

#define GET_OP_CLASSES
#include "rune/Dialect/Rune/RuneIntentOps.h.inc"

#endif // RUNE_DIALECT_RUNE_RUNEINTENTOPS_H
