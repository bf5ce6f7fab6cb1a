//===- BytecodeEmitter.h - rune dialect -> .rbc bytecode --------*- C++ -*-===//
//
// Serializes a module of rune.policy operations into the bytecode format of
// runtime/include/rune/Runtime/BytecodeFormat.h. The native backend embeds
// the same bytes in its object files (for the module's tables), so it asks
// for the BytecodeLayout too: the constant and string indices the emitter
// gave each operation.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_TARGET_BYTECODE_BYTECODEEMITTER_H
#define RUNE_TARGET_BYTECODE_BYTECODEEMITTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/DenseMap.h"

#include <cstdint>
#include <vector>

namespace rune {

class SchemaOp;
namespace bc {
struct SchemaInfo;
}

/// Table indices the bytecode gives to operations, so that native code
/// refers to the same constants and strings as the interpreter does.
struct BytecodeLayout {
  /// rune.constant: its constant; rune.like: its pattern; rune.record: its
  /// key list; rune.and / rune.or: the boolean they produce when they
  /// short-circuit.
  llvm::DenseMap<mlir::Operation *, uint32_t> constantIndex;
  /// rune.get_attr / rune.has_attr: the attribute name; rune.is_type: the
  /// type name; rune.raise: the message.
  llvm::DenseMap<mlir::Operation *, uint32_t> stringIndex;
  /// The rune.policy operations in bytecode order.
  std::vector<mlir::Operation *> policies;
};

/// The runtime's form of a rune.schema operation.
bc::SchemaInfo decodeSchema(SchemaOp op);

/// Emits `module` as bytecode into `out`. Reports errors (e.g. a policy too
/// large for 16-bit register numbers) on the operations and fails.
/// `verifyOutput`: whether the writer re-reads the module it wrote with the
/// runtime's verifier (bc::ModuleWriter::setVerifyOutput).
mlir::LogicalResult emitBytecode(mlir::ModuleOp module,
                                 std::vector<uint8_t> &out,
                                 BytecodeLayout *layout = nullptr,
                                 bool verifyOutput = true);

} // namespace rune

#endif // RUNE_TARGET_BYTECODE_BYTECODEEMITTER_H
