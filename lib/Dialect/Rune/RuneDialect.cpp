//===- RuneDialect.cpp - The rune dialect, its type and attributes --------===//

#include "rune/Dialect/Rune/RuneDialect.h"
#include "rune/Dialect/Rune/RuneOps.h"
#include "rune/Dialect/Rune/RuneIntentOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace rune;

#include "rune/Dialect/Rune/RuneOpsDialect.cpp.inc"
#include "rune/Dialect/Rune/RuneEnums.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "rune/Dialect/Rune/RuneOpsTypes.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "rune/Dialect/Rune/RuneAttrs.cpp.inc"

void RuneDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "rune/Dialect/Rune/RuneOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "rune/Dialect/Rune/RuneIntentOps.cpp.inc"
      >();
  addTypes<
#define GET_TYPEDEF_LIST
#include "rune/Dialect/Rune/RuneOpsTypes.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "rune/Dialect/Rune/RuneAttrs.cpp.inc"
      >();
}

Operation *RuneDialect::materializeConstant(OpBuilder &builder,
                                            Attribute value, Type type,
                                            Location loc) {
  // IPE conditions are i1 (RuneIntentOps.td).
  if (auto flag = dyn_cast<BoolAttr>(value); flag && type.isInteger(1))
    return builder.create<IntentBoolOp>(loc, flag.getValue());
  if (!isa<ValueType>(type) || !ConstantOp::isValidValue(value))
    return nullptr;
  return builder.create<ConstantOp>(loc, type, value);
}
