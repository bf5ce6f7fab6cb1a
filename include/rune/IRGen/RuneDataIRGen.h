//===- RuneDataIRGen.h - The [data] record in Cedar policies ----*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// In a .rune file the [data] section is visible to the Cedar policies as the
// record `context.data`. The data is fixed when the file is compiled, so it
// is compiled into the policies rather than passed with every request:
// `context.data` becomes the record literal (rune.record / rune.set /
// rune.constant ops) and `context has data` the constant true. The
// optimizer then folds the lookups (`context.data.environment == "prod"`)
// at compile time, and a request's own context cannot override the data.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_IRGEN_RUNEDATAIRGEN_H
#define RUNE_IRGEN_RUNEDATAIRGEN_H

#include "rune/Frontend/Rune/RuneFile.h"

#include "mlir/IR/BuiltinOps.h"

namespace rune::runefile {

/// Replaces every `context.data` / `context has data` in the rune.policy
/// ops of `module` by the value of `data` (a Table).
void materializeData(mlir::ModuleOp module, const DataValue &data);

} // namespace rune::runefile

#endif // RUNE_IRGEN_RUNEDATAIRGEN_H
