//===- RuneDecisionState.h - What a RuneDecider keeps -----------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Shared by RuneDecider.cpp (creating a decider: cold, compiled for size)
// and RuneDecision.cpp (deciding: hot, compiled for speed).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_LIB_RUNEDECISIONSTATE_H
#define RUNE_RUNTIME_LIB_RUNEDECISIONSTATE_H

#include "../Datalog/NativeStrata.h"
#include "../Datalog/ProgramImage.h"

#include "rune/Runtime/CedarSyntax.h"
#include "rune/Runtime/Datalog/Word.h"
#include "rune/Runtime/RuneDecision.h"

#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

namespace rune::runedecision {

using datalog::Relation;
using datalog::Word;
using datalog::detail::Instr;
using datalog::detail::ProgramImage;

/// One column of a fact: a string (interned when inserted) or an already
/// encoded integer or boolean.
struct Column {
  bool isString = false;
  std::string text;
  Word word = 0;
};

/// Converts a scalar Cedar value; false for sets, records, extension values
/// and longs beyond 62 bits.
inline bool toColumn(const Value &value, const SymbolTable &symbols,
                     Column &column) {
  switch (value.kind()) {
  case ValueKind::Bool:
    column.word = datalog::encodeAnyBool(value.asBool());
    return true;
  case ValueKind::Long:
    if (value.asLong() < datalog::kAnyIntegerMin ||
        value.asLong() > datalog::kAnyIntegerMax)
      return false;
    column.word = datalog::encodeAnyInteger(value.asLong());
    return true;
  case ValueKind::String:
    column.isString = true;
    column.text = std::string(value.asString());
    return true;
  case ValueKind::Entity:
    column.isString = true;
    column.text = formatEntityUid(value.asEntity(), symbols);
    return true;
  default:
    return false;
  }
}

/// Adds the tuple of `columns` (at most three: attr/3 is the widest request
/// relation), interning its strings in the evaluation's symbol table.
inline void insertFact(Relation &relation, datalog::SymbolTable &symbols,
                       std::initializer_list<const Column *> columns) {
  Word tuple[3];
  size_t i = 0;
  for (const Column *column : columns)
    tuple[i++] = column->isString
                     ? datalog::encodeAnySymbol(symbols.intern(column->text))
                     : column->word;
  relation.insert(tuple);
}

} // namespace rune::runedecision

namespace rune {

struct RuneDecider::State {
  /// The whole program (relation names and types) and the request part.
  runedecision::ProgramImage image;
  runedecision::ProgramImage requestImage;
  size_t strata = 0;
  datalog::SymbolTable symbols;
  /// The static snapshot: every relation after the static strata ran.
  std::vector<std::unique_ptr<datalog::Relation>> staticRelations;
  /// Slots each decision builds afresh: the request relations and those
  /// request-dependent strata write.
  std::vector<bool> perRequest;
  unsigned principalSlot = 0, actionSlot = 0, resourceSlot = 0, contextSlot = 0;
  /// The allow*/deny* relations, in program order.
  std::vector<unsigned> decidingSlots;
  /// A native module's strata (rune_datalog_native.h): when `native`, the
  /// request strata run as `requestNative` instead of requestImage.
  bool native = false;
  std::vector<rune_dl_stratum_fn> requestNative;
  std::vector<uint64_t> nativeSymbols;
};

} // namespace rune

#endif // RUNE_RUNTIME_LIB_RUNEDECISIONSTATE_H
