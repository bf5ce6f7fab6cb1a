//===- DatalogIRGen.h - Datalog AST -> relational ops -----------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Turns a checked Datalog program (a Soufflé `.dl` file, or the `[rules]` of
// a `.rune` file, which share the souffle::Program AST) into one
// `rune.dl.program`: the relation declarations with resolved column types
// and IO directives, then one unplanned `rune.dl.query` per fact and rule,
// in source order. The passes of lib/Transforms (DatalogPasses.h) stratify,
// make the evaluation semi-naive, choose join orders and indexes.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_IRGEN_DATALOGIRGEN_H
#define RUNE_IRGEN_DATALOGIRGEN_H

#include "rune/Frontend/Souffle/AST.h"
#include "rune/Support/Diagnostics.h"

#include "mlir/IR/BuiltinOps.h"

namespace rune::souffle {

/// Appends the rune.dl.program of `program` (already accepted by
/// checkProgram) to `module`. Returns false after reporting errors (type
/// mismatches Soufflé rejects, such as a symbol in a number column).
bool generateDatalogIR(mlir::ModuleOp module, const Program &program,
                       DiagnosticEngine &diagnostics);

} // namespace rune::souffle

#endif // RUNE_IRGEN_DATALOGIRGEN_H
