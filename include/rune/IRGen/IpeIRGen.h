//===- IpeIRGen.h - IPE policy files to the rune dialect --------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Turns a checked IPE policy file (AST.h) into `rune.ipe.*` operations
// (RuneIntentOps.td): the built-in `risk` enumeration and the declared
// enums, then one `rune.ipe.policy` per policy. Paths are resolved against
// the request model of docs/ipe.md; aggregates take the `where` filter of
// their `requires`.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_IRGEN_IPEIRGEN_H
#define RUNE_IRGEN_IPEIRGEN_H

#include "rune/Frontend/Ipe/AST.h"
#include "rune/Support/Diagnostics.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

namespace rune::ipe {

/// Returns null after reporting located errors (an unknown function, a
/// condition used as a value, a nested list in an `in` list).
mlir::OwningOpRef<mlir::ModuleOp> generateIR(mlir::MLIRContext &context,
                                             const PolicyFile &file,
                                             DiagnosticEngine &diagnostics);

/// The same, freeing each policy's AST once its operations are made: the
/// memory of the AST is then reused for the module instead of both being
/// held at once (on 10,000 policies the AST is about 70 MB).
mlir::OwningOpRef<mlir::ModuleOp> generateIR(mlir::MLIRContext &context,
                                             PolicyFile &&file,
                                             DiagnosticEngine &diagnostics);

} // namespace rune::ipe

#endif // RUNE_IRGEN_IPEIRGEN_H
