//===- ProgramImage.h - A decoded Datalog program (internal) ----*- C++ -*-===//
//
// The instruction tree decoded from a module's Datalog sections by the
// program verifier, run by the program interpreter. Every index in it has
// been checked: relations, versions, indexes, registers and operand kinds.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_LIB_DATALOG_PROGRAMIMAGE_H
#define RUNE_RUNTIME_LIB_DATALOG_PROGRAMIMAGE_H

#include "rune/Runtime/BytecodeFormat.h"
#include "rune/Runtime/Datalog/Program.h"
#include "rune/Runtime/Datalog/Relation.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rune::datalog::detail {

struct RelationInfo {
  std::string name;
  std::vector<std::string> columnNames;
  std::vector<ColumnType> types;
  RelationIO io;
  std::vector<IndexOrder> indexes;
};

struct Instr {
  bc::DatalogOpcode op;
  /// Compare/Arith/Functor/Test/Aggregate: the sub-operation.
  uint8_t kind = 0;
  ColumnType type = ColumnType::Number;
  bc::DatalogVersion version = bc::DatalogVersion::Full;
  uint16_t relation = 0;
  uint8_t index = 0;
  uint8_t count = 0; ///< key count, functor argument count
  uint16_t dst = 0;  ///< destination / first register
  uint16_t a = 0;    ///< first operand / key register
  uint16_t b = 0;    ///< second operand
  uint64_t word = 0; ///< ConstWord; ConstSymbol/ConstAnySymbol after load
  uint32_t string = 0;
  /// Lookup/NotExists: the evaluation state's lookup hint for this
  /// instruction (< ProgramImage::hintCount).
  uint32_t hint = 0;
  std::vector<uint16_t> relations; ///< Fixpoint
  std::vector<Instr> body;
};

struct ProgramImage {
  std::vector<RelationInfo> relations;
  uint32_t registerCount = 0;
  /// Number of Lookup and NotExists instructions, numbered by decoding
  /// (Instr::hint); the interpreter sizes its hints from the instructions.
  uint32_t hintCount = 0;
  std::vector<Instr> statements;
};

/// Decodes and verifies `module`'s Datalog sections into `image`.
bool decodeProgram(const bc::Module &module, ProgramImage &image,
                   std::string &error);

/// Runs every statement of `image` over `relations` (one per relation,
/// full versions), interning new strings in `symbols`.
void evaluate(const ProgramImage &image,
              std::vector<std::unique_ptr<Relation>> &relations,
              SymbolTable &symbols);

} // namespace rune::datalog::detail

#endif // RUNE_RUNTIME_LIB_DATALOG_PROGRAMIMAGE_H
