//===- RuneDataIRGen.cpp - The [data] record in Cedar policies ------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/IRGen/RuneDataIRGen.h"
#include "rune/Dialect/Rune/RuneOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/SmallVector.h"

using namespace mlir;
using namespace rune;
using namespace rune::runefile;

namespace {

/// True if `value` is `rune.var context`.
bool isContext(Value value) {
  auto var = value.getDefiningOp<VarOp>();
  return var && var.getVar() == RequestVar::Context;
}

Value buildValue(OpBuilder &builder, Location location, Type valueType,
                 const DataValue &data) {
  switch (data.kind) {
  case DataValue::Kind::String:
    return builder.create<ConstantOp>(location, valueType,
                                      builder.getStringAttr(data.string));
  case DataValue::Kind::Integer:
    return builder.create<ConstantOp>(location, valueType,
                                      builder.getI64IntegerAttr(data.integer));
  case DataValue::Kind::Boolean:
    return builder.create<ConstantOp>(location, valueType,
                                      builder.getBoolAttr(data.boolean));
  case DataValue::Kind::Array: {
    SmallVector<Value> elements;
    for (const DataValue &element : data.elements)
      elements.push_back(buildValue(builder, location, valueType, element));
    return builder.create<SetOp>(location, valueType, elements);
  }
  case DataValue::Kind::Table: {
    SmallVector<Attribute> keys;
    SmallVector<Value> values;
    for (const auto &[key, value] : data.entries) {
      keys.push_back(builder.getStringAttr(key));
      values.push_back(buildValue(builder, location, valueType, value));
    }
    return builder.create<RecordOp>(location, valueType,
                                    builder.getArrayAttr(keys), values);
  }
  }
  llvm_unreachable("unknown data value kind");
}

} // namespace

void rune::runefile::materializeData(ModuleOp module, const DataValue &data) {
  SmallVector<Operation *> uses;
  module.walk([&](Operation *op) {
    if (auto get = dyn_cast<GetAttrOp>(op)) {
      if (get.getName() == "data" && isContext(get.getObject()))
        uses.push_back(op);
    } else if (auto has = dyn_cast<HasAttrOp>(op)) {
      if (has.getName() == "data" && isContext(has.getObject()))
        uses.push_back(op);
    }
  });
  OpBuilder builder(module.getContext());
  for (Operation *op : uses) {
    builder.setInsertionPoint(op);
    Type valueType = op->getResult(0).getType();
    Value replacement =
        isa<HasAttrOp>(op) ? builder
                                 .create<ConstantOp>(op->getLoc(), valueType,
                                                     builder.getBoolAttr(true))
                                 .getResult()
                           : buildValue(builder, op->getLoc(), valueType, data);
    op->getResult(0).replaceAllUsesWith(replacement);
    op->erase();
  }
}
