//===- DatalogEncoding.h - Relational ops in the runtime's terms -*- C++
//-*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// What both backends (bytecode, lib/Target/Bytecode/RelationalEmitter.cpp,
// and native code, lib/Conversion/RuneToLLVM/DatalogToLLVM.cpp) encode the
// same way. A `rune.dl.const` becomes the runtime's word for it
// (rune/Runtime/Datalog/Word.h): numbers, unsigned numbers, floats, and the
// booleans and integers of `any` columns are encoded at compile time;
// strings are interned by the runtime when the module loads, so a backend
// only learns which string (and whether it is an `any` symbol). A
// `rune.dl.functor` and a `rune.dl.test` become the runtime's functor and
// test kinds. One function each,
// so the two cannot encode differently or accept what the other rejects.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_DIALECT_RUNE_DATALOGENCODING_H
#define RUNE_DIALECT_RUNE_DATALOGENCODING_H

#include "rune/Dialect/Rune/RuneOps.h"
#include "rune/Runtime/BytecodeFormat.h"
#include "rune/Runtime/Datalog/Word.h"

#include "llvm/ADT/StringSwitch.h"

#include <cstdint>

namespace rune {

struct DlConstantWord {
  /// Set for every constant but strings.
  std::optional<uint64_t> word;
  /// A string constant: the text the runtime interns.
  llvm::StringRef symbol;
  /// The string is a value of an `any` column (tagged as such).
  bool anySymbol = false;
};

/// The word of `constant`, or failure (with an error on the op) for an
/// integer of an `any` column outside its 62 bits.
inline mlir::FailureOr<DlConstantWord> encodeDlConstant(DlConstOp constant) {
  mlir::Attribute value = constant.getValue();
  auto word = [](uint64_t w) { return DlConstantWord{w, {}, false}; };
  switch (constant.getType()) {
  case DlColumnType::Number:
    return word(datalog::encodeNumber(int32_t(
        mlir::cast<mlir::IntegerAttr>(value).getValue().getSExtValue())));
  case DlColumnType::Unsigned:
    return word(datalog::encodeUnsigned(uint32_t(
        mlir::cast<mlir::IntegerAttr>(value).getValue().getZExtValue())));
  case DlColumnType::Float:
    return word(datalog::encodeFloat(
        float(mlir::cast<mlir::FloatAttr>(value).getValueAsDouble())));
  case DlColumnType::Symbol:
    return DlConstantWord{
        std::nullopt, mlir::cast<mlir::StringAttr>(value).getValue(), false};
  case DlColumnType::Any:
    if (auto boolean = mlir::dyn_cast<mlir::BoolAttr>(value))
      return word(datalog::encodeAnyBool(boolean.getValue()));
    if (auto text = mlir::dyn_cast<mlir::StringAttr>(value))
      return DlConstantWord{std::nullopt, text.getValue(), true};
    {
      int64_t integer =
          mlir::cast<mlir::IntegerAttr>(value).getValue().getSExtValue();
      if (integer < datalog::kAnyIntegerMin ||
          integer > datalog::kAnyIntegerMax) {
        constant.emitOpError("integer ")
            << integer << " does not fit the 62 bits of an any word";
        return mlir::failure();
      }
      return word(datalog::encodeAnyInteger(integer));
    }
  }
  constant.emitOpError("has an unknown column type");
  return mlir::failure();
}

/// The runtime functor a `rune.dl.functor` names (its verifier accepts
/// only these names).
inline bc::DatalogFunctor datalogFunctorKind(DlFunctorOp functor) {
  return llvm::StringSwitch<bc::DatalogFunctor>(functor.getName())
      .Case("cat", bc::DatalogFunctor::Cat)
      .Case("strlen", bc::DatalogFunctor::Strlen)
      .Case("substr", bc::DatalogFunctor::Substr)
      .Case("to_number", bc::DatalogFunctor::ToNumber)
      .Default(bc::DatalogFunctor::ToString);
}

/// The runtime test a `rune.dl.test` names (its verifier accepts only these
/// names).
inline bc::DatalogTest datalogTestKind(DlTestOp test) {
  return llvm::StringSwitch<bc::DatalogTest>(test.getName())
      .Case("contains", bc::DatalogTest::Contains)
      .Case("match", bc::DatalogTest::Match)
      .Case("starts_with", bc::DatalogTest::StartsWith)
      .Default(bc::DatalogTest::EndsWith);
}

} // namespace rune

#endif // RUNE_DIALECT_RUNE_DATALOGENCODING_H
