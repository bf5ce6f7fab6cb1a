//===- CedarIRGen.h - Cedar AST -> rune dialect -----------------*- C++ -*-===//

#ifndef RUNE_IRGEN_CEDARIRGEN_H
#define RUNE_IRGEN_CEDARIRGEN_H

#include "rune/Frontend/Cedar/AST.h"
#include "rune/Support/Diagnostics.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace rune::cedar {

/// Generates one rune.policy per policy of a checked policy set. Each
/// policy's body computes its whole condition: the scope constraints, then
/// every `when` and the negation of every `unless`, joined by short-circuit
/// `rune.and`, in Cedar's evaluation order.
mlir::OwningOpRef<mlir::ModuleOp> generateIR(mlir::MLIRContext &context,
                                             const PolicySet &policies,
                                             DiagnosticEngine &diagnostics);

} // namespace rune::cedar

#endif // RUNE_IRGEN_CEDARIRGEN_H
