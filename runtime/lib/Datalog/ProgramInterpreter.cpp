//===- ProgramInterpreter.cpp - Runs a decoded Datalog program ------------===//
//
// A tree-walking interpreter over the verified instruction tree: registers
// are 64-bit words, a guard that fails returns from the body it is in (the
// rest of that body is skipped for the current bindings), scans and lookups
// run their body once per tuple. Fixpoints are semi-naive: delta starts as a
// copy of the relation; each iteration's `new` tuples (not checked against
// the relation when inserted) are merged into it in one ordered pass, and
// those that were really new become the next delta.
//
// Semantics of values follow Soufflé: `number` and `unsigned` arithmetic is
// 32-bit and wraps, division truncates (by zero it yields 0: Datalog has no
// evaluation errors), floats are IEEE float32; `any` (.rune) integers are
// 62-bit and operations on a non-integer yield 0.
//
//===----------------------------------------------------------------------===//

#include "PendingTuples.h"
#include "ProgramImage.h"
#include "WordOperations.h"

#include "rune/Runtime/Datalog/FactsIO.h"
#include "rune/Runtime/Datalog/SymbolTable.h"

#include <algorithm>
#include <limits>

using namespace rune;
using namespace rune::datalog;
using namespace rune::datalog::detail;
using bc::DatalogOpcode;

namespace {

class Evaluator {
public:
  Evaluator(const ProgramImage &image,
            std::vector<std::unique_ptr<Relation>> &full, SymbolTable &symbols)
      : image(image), full(full), delta(full.size()), next(full.size()),
        symbols(symbols), operations(symbols), regs(image.registerCount, 0),
        hints(hintSlots(image.statements)) {}

  void run() {
    for (const Instr &statement : image.statements)
      runStatement(statement);
  }

private:
  /// One more than the highest hint slot used: images assembled from parts
  /// of a decoded one (a .rune decision's static and per-request halves)
  /// keep the slots decoding gave their instructions.
  static size_t hintSlots(const std::vector<Instr> &body) {
    size_t slots = 0;
    for (const Instr &instr : body) {
      if (instr.op == DatalogOpcode::Lookup ||
          instr.op == DatalogOpcode::NotExists)
        slots = std::max<size_t>(slots, instr.hint + 1);
      slots = std::max(slots, hintSlots(instr.body));
    }
    return slots;
  }

  void runStatement(const Instr &statement) {
    switch (statement.op) {
    case DatalogOpcode::Stratum:
      for (const Instr &inner : statement.body)
        runStatement(inner);
      break;
    case DatalogOpcode::Fixpoint:
      runFixpoint(statement);
      break;
    case DatalogOpcode::Query:
      runBody(statement.body);
      break;
    default:
      break; // the verifier allows nothing else here
    }
  }

  void runFixpoint(const Instr &fixpoint) {
    if (pending.empty())
      pending.resize(full.size());
    for (uint16_t rel : fixpoint.relations) {
      delta[rel] = std::make_unique<Relation>(*full[rel]);
      next[rel] = std::make_unique<Relation>(full[rel]->emptyCopy());
    }
    while (true) {
      for (const Instr &query : fixpoint.body)
        runStatement(query);
      // delta := new - full; full += new.
      bool changed = false;
      for (uint16_t rel : fixpoint.relations) {
        delta[rel]->clear();
        pending[rel].mergeInto(*next[rel], *full[rel], *delta[rel]);
        changed |= !delta[rel]->empty();
      }
      if (!changed)
        break;
    }
    for (uint16_t rel : fixpoint.relations) {
      delta[rel].reset();
      next[rel].reset();
      pending[rel].release();
    }
  }

  Relation &version(uint16_t rel, bc::DatalogVersion v) {
    switch (v) {
    case bc::DatalogVersion::Delta:
      return *delta[rel];
    case bc::DatalogVersion::New:
      return *next[rel];
    default:
      return *full[rel];
    }
  }

  /// Runs `body`; returns early when a guard fails.
  void runBody(const std::vector<Instr> &body) {
    for (const Instr &instr : body) {
      switch (instr.op) {
      case DatalogOpcode::Scan: {
        const Relation &rel = version(instr.relation, instr.version);
        unsigned arity = rel.arity();
        for (auto cursor = rel.scan(0); cursor.valid(); cursor.next()) {
          const Word *tuple = cursor.tuple();
          for (unsigned c = 0; c < arity; ++c)
            regs[instr.dst + c] = tuple[c];
          runBody(instr.body);
        }
        break;
      }
      case DatalogOpcode::Lookup: {
        const Relation &rel = version(instr.relation, instr.version);
        unsigned arity = rel.arity();
        for (auto cursor = rel.lookup(instr.index, regs.data() + instr.a,
                                      instr.count, hints[instr.hint]);
             cursor.valid(); cursor.next()) {
          const Word *tuple = cursor.tuple();
          for (unsigned c = 0; c < arity; ++c)
            regs[instr.dst + c] = tuple[c];
          runBody(instr.body);
        }
        break;
      }
      case DatalogOpcode::NotExists: {
        const Relation &rel = version(instr.relation, instr.version);
        if (rel.lookup(instr.index, regs.data() + instr.a, instr.count,
                       hints[instr.hint])
                .valid())
          return;
        break;
      }
      case DatalogOpcode::Insert: {
        const Word *tuple = regs.data() + instr.a;
        if (instr.version == bc::DatalogVersion::New) {
          // Buffered and inserted in sorted runs (PendingTuples.h); tuples
          // already known are dropped when `new` is merged into the
          // relation: one ordered pass instead of a probe per derivation.
          pending[instr.relation].add(tuple, *next[instr.relation]);
        } else {
          full[instr.relation]->insert(tuple);
        }
        break;
      }
      case DatalogOpcode::Filter:
        if (regs[instr.a] == 0)
          return;
        break;
      case DatalogOpcode::Aggregate: {
        Accumulator acc{static_cast<bc::DatalogAggregate>(instr.kind),
                        instr.type};
        accumulators.push_back(&acc);
        runBody(instr.body);
        accumulators.pop_back();
        std::optional<Word> result = operations.finish(acc);
        if (!result)
          return;
        regs[instr.dst] = *result;
        break;
      }
      case DatalogOpcode::Accumulate:
        operations.add(*accumulators.back(), regs[instr.a]);
        break;
      case DatalogOpcode::ConstWord:
      case DatalogOpcode::ConstSymbol:
      case DatalogOpcode::ConstAnySymbol:
        regs[instr.dst] = instr.word;
        break;
      case DatalogOpcode::Move:
        regs[instr.dst] = regs[instr.a];
        break;
      case DatalogOpcode::Compare:
        regs[instr.dst] =
            operations.compare(static_cast<bc::DatalogCompare>(instr.kind),
                               instr.type, regs[instr.a], regs[instr.b]);
        break;
      case DatalogOpcode::Arith:
        regs[instr.dst] =
            operations.arith(static_cast<bc::DatalogArith>(instr.kind),
                             instr.type, regs[instr.a], regs[instr.b]);
        break;
      case DatalogOpcode::Functor:
        regs[instr.dst] =
            operations.functor(static_cast<bc::DatalogFunctor>(instr.kind),
                               instr.type, regs.data() + instr.a, instr.count);
        break;
      case DatalogOpcode::Test:
        regs[instr.dst] =
            operations.test(static_cast<bc::DatalogTest>(instr.kind),
                            instr.type, regs[instr.a], regs[instr.b]);
        break;
      default:
        break;
      }
    }
  }

  const ProgramImage &image;
  std::vector<std::unique_ptr<Relation>> &full;
  std::vector<std::unique_ptr<Relation>> delta, next;
  /// Tuples derived into `next`, not yet inserted (one per relation).
  std::vector<PendingTuples> pending;
  SymbolTable &symbols;
  WordOperations operations;
  std::vector<Word> regs;
  /// Where each Lookup/NotExists instruction's previous lookup ended: the
  /// keys of a semi-naive join mostly ascend, so the next lookup starts
  /// there instead of at the root.
  std::vector<Relation::LookupHint> hints;
  std::vector<Accumulator *> accumulators;
};

} // namespace

void rune::datalog::detail::evaluate(
    const ProgramImage &image,
    std::vector<std::unique_ptr<Relation>> &relations, SymbolTable &symbols) {
  Evaluator(image, relations, symbols).run();
}
