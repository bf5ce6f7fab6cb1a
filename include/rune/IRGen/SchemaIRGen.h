//===- SchemaIRGen.h - Cedar schema -> rune.schema --------------*- C++ -*-===//

#ifndef RUNE_IRGEN_SCHEMAIRGEN_H
#define RUNE_IRGEN_SCHEMAIRGEN_H

#include "rune/Schema/Schema.h"

#include "mlir/IR/BuiltinOps.h"

namespace rune {

/// Adds a rune.schema operation describing `schema` at the start of
/// `module`, so that the backends carry it to the runtime.
void generateSchemaOp(mlir::ModuleOp module, const schema::Schema &schema);

} // namespace rune

#endif // RUNE_IRGEN_SCHEMAIRGEN_H
