//===- RelationalEmitter.h - Datalog programs -> bytecode -------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Encodes a planned rune.dl.program (after the Datalog passes) as the
// DatalogRelations and DatalogCode sections of a module (BytecodeFormat.h,
// docs/bytecode.md).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_TARGET_BYTECODE_RELATIONALEMITTER_H
#define RUNE_TARGET_BYTECODE_RELATIONALEMITTER_H

#include "mlir/Support/LogicalResult.h"

namespace rune {

class DlProgramOp;
namespace bc {
class ModuleWriter;
}

/// Adds `program`'s sections to `writer`. Fails (with an error on the
/// offending operation) on an unplanned query or an unindexed lookup.
mlir::LogicalResult emitDatalogProgram(DlProgramOp program,
                                       bc::ModuleWriter &writer);

} // namespace rune

#endif // RUNE_TARGET_BYTECODE_RELATIONALEMITTER_H
