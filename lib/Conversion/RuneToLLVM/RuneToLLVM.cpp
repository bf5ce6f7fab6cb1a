//===- RuneToLLVM.cpp - The convert-rune-to-llvm pass
//-----------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// convert-rune-to-llvm: lowers a compiled module to LLVM-dialect functions
// and the exported module descriptor (struct rune_native_module of
// rune_native.h) the runtime loads. Each source language has its own
// lowering: Cedar policies (CedarToLLVM.cpp), IPE policies and decisions
// (IpeToLLVM.cpp, IpeDecideToLLVM.cpp) and Datalog strata
// (DatalogToLLVM.cpp). The descriptor embeds the module's bytecode, from
// which the runtime builds constants, symbols and the schema.
//
//===----------------------------------------------------------------------===//

#include "rune/Conversion/Passes.h"

#include "CedarToLLVM.h"
#include "DatalogToLLVM.h"
#include "IpeToLLVM.h"
#include "rune/Dialect/Rune/RuneOps.h"
#include "rune/Target/Bytecode/BytecodeEmitter.h"
#include "rune/Target/Bytecode/IpeBytecodeEmitter.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"

namespace rune {
#define GEN_PASS_DEF_CONVERTRUNETOLLVM
#include "rune/Conversion/Passes.h.inc"
} // namespace rune

using namespace mlir;
using namespace rune;

namespace {

/// Must match RUNE_NATIVE_ABI_VERSION in runtime/include/rune/rune_native.h.
constexpr int32_t kNativeAbiVersion = 4;

/// Defines `bytes` as a private constant byte array and the exported
/// descriptor `symbol` (struct rune_native_module of rune_native.h).
void emitDescriptor(ModuleOp module, StringRef symbol,
                    const std::vector<uint8_t> &bytes,
                    ArrayRef<std::string> functionNames,
                    ArrayRef<std::string> stratumNames = {}) {
  MLIRContext *context = module.getContext();
  Location loc = module.getLoc();
  OpBuilder builder(context);
  builder.setInsertionPointToEnd(module.getBody());
  Type ptrType = LLVM::LLVMPointerType::get(context);
  Type i8Type = IntegerType::get(context, 8);
  Type i32Type = IntegerType::get(context, 32);
  Type i64Type = IntegerType::get(context, 64);

  std::string bytecodeName = (symbol + "_bytecode").str();
  builder.create<LLVM::GlobalOp>(
      loc, LLVM::LLVMArrayType::get(i8Type, bytes.size()),
      /*isConstant=*/true, LLVM::Linkage::Internal, bytecodeName,
      builder.getStringAttr(StringRef(
          reinterpret_cast<const char *>(bytes.data()), bytes.size())),
      /*alignment=*/8);

  std::string functionsName = (symbol + "_policy_fns").str();
  auto functionsType = LLVM::LLVMArrayType::get(
      ptrType, std::max<size_t>(functionNames.size(), 1));
  auto functions = builder.create<LLVM::GlobalOp>(
      loc, functionsType, /*isConstant=*/true, LLVM::Linkage::Internal,
      functionsName, Attribute(), /*alignment=*/8);
  {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(
        &functions.getInitializerRegion().emplaceBlock());
    Value table = builder.create<LLVM::UndefOp>(loc, functionsType);
    for (auto [i, name] : llvm::enumerate(functionNames)) {
      Value address = builder.create<LLVM::AddressOfOp>(loc, ptrType, name);
      table = builder.create<LLVM::InsertValueOp>(
          loc, table, address, ArrayRef<int64_t>{int64_t(i)});
    }
    if (functionNames.empty())
      table = builder.create<LLVM::InsertValueOp>(
          loc, table, builder.create<LLVM::ZeroOp>(loc, ptrType),
          ArrayRef<int64_t>{0});
    builder.create<LLVM::ReturnOp>(loc, table);
  }

  std::string stratumsName = (symbol + "_datalog_stratum_fns").str();
  if (!stratumNames.empty()) {
    auto stratumsType = LLVM::LLVMArrayType::get(ptrType, stratumNames.size());
    auto stratums = builder.create<LLVM::GlobalOp>(
        loc, stratumsType, /*isConstant=*/true, LLVM::Linkage::Internal,
        stratumsName, Attribute(), /*alignment=*/8);
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(
        &stratums.getInitializerRegion().emplaceBlock());
    Value table = builder.create<LLVM::UndefOp>(loc, stratumsType);
    for (auto [i, name] : llvm::enumerate(stratumNames))
      table = builder.create<LLVM::InsertValueOp>(
          loc, table, builder.create<LLVM::AddressOfOp>(loc, ptrType, name),
          ArrayRef<int64_t>{int64_t(i)});
    builder.create<LLVM::ReturnOp>(loc, table);
  }

  auto descriptorType = LLVM::LLVMStructType::getLiteral(
      context, {i32Type, i32Type, ptrType, i64Type, ptrType, i32Type, ptrType});
  auto descriptor = builder.create<LLVM::GlobalOp>(
      loc, descriptorType, /*isConstant=*/true, LLVM::Linkage::External, symbol,
      Attribute(), /*alignment=*/8);
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(
      &descriptor.getInitializerRegion().emplaceBlock());
  auto i32 = [&](int64_t v) -> Value {
    return builder.create<LLVM::ConstantOp>(loc, i32Type,
                                            builder.getI32IntegerAttr(v));
  };
  // ABI 3: the Datalog stratum functions (rune_datalog_native.h).
  Value stratumTable =
      stratumNames.empty()
          ? builder.create<LLVM::ZeroOp>(loc, ptrType).getResult()
          : builder.create<LLVM::AddressOfOp>(loc, ptrType, stratumsName)
                .getResult();
  SmallVector<Value> fields = {
      i32(kNativeAbiVersion),
      i32(functionNames.size()),
      builder.create<LLVM::AddressOfOp>(loc, ptrType, bytecodeName),
      builder.create<LLVM::ConstantOp>(loc, i64Type,
                                       builder.getI64IntegerAttr(bytes.size())),
      builder.create<LLVM::AddressOfOp>(loc, ptrType, functionsName),
      i32(stratumNames.size()),
      stratumTable};
  Value value = builder.create<LLVM::UndefOp>(loc, descriptorType);
  for (auto [i, field] : llvm::enumerate(fields))
    value = builder.create<LLVM::InsertValueOp>(loc, value, field,
                                                ArrayRef<int64_t>{int64_t(i)});
  builder.create<LLVM::ReturnOp>(loc, value);
}

struct ConvertRuneToLLVMPass
    : rune::impl::ConvertRuneToLLVMBase<ConvertRuneToLLVMPass> {
  using ConvertRuneToLLVMBase::ConvertRuneToLLVMBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (isIpeModule(module)) {
      if (failed(lowerIpeModule(module, symbolName)))
        signalPassFailure();
      return;
    }
    std::vector<uint8_t> bytecode;
    BytecodeLayout layout;
    if (failed(emitBytecode(module, bytecode, &layout)))
      return signalPassFailure();

    std::vector<std::string> functionNames;
    if (failed(lowerCedarPolicies(module, layout, symbolName, functionNames)))
      return signalPassFailure();
    std::vector<std::string> stratumNames;
    if (failed(lowerDatalogProgram(module, symbolName, bytecode, stratumNames)))
      return signalPassFailure();
    // The schema travels in the embedded bytecode.
    for (SchemaOp schema :
         llvm::make_early_inc_range(module.getOps<SchemaOp>()))
      schema->erase();
    emitDescriptor(module, symbolName, bytecode, functionNames, stratumNames);
  }
};

} // namespace

void rune::emitNativeModuleDescriptor(ModuleOp module, StringRef symbol,
                                      const std::vector<uint8_t> &bytecode,
                                      ArrayRef<std::string> functionNames) {
  emitDescriptor(module, symbol, bytecode, functionNames);
}
