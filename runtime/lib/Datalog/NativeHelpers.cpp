//===- NativeHelpers.cpp - The rune_dl_rt_* helpers of native Datalog -----===//
//
// Native stratum functions receive a pointer to the rune_dl_frame at the
// start of a NativeEvaluation; every helper casts it back. The helpers do
// what the interpreter does for the same instruction (ProgramInterpreter.cpp)
// and share its value semantics (WordOperations), so the backends agree.
//
// Tuples derived into a `new` version go through PendingTuples (sorted
// runs instead of random-order inserts); they are all in `new` before it is
// merged into the relation, and nothing reads a `new` version before that
// (the bytecode verifier rejects such reads, and native code is compiled
// from the same program), so the result is the same set.
//
// Cursors live in storage the compiled code owns (rune_dl_cursor): a
// Relation::Cursor is constructed there by *_begin and destroyed by the call
// that finds the end, which is the only way compiled loops leave.
//
//===----------------------------------------------------------------------===//

#include "NativeStrata.h"
#include "PendingTuples.h"
#include "WordOperations.h"

#include <new>

using namespace rune;
using namespace rune::datalog;
using namespace rune::datalog::detail;

namespace {

struct NativeEvaluation {
  // First member: native code receives &frame as the evaluation.
  rune_dl_frame frame;
  std::vector<std::unique_ptr<Relation>> &full;
  std::vector<std::unique_ptr<Relation>> delta, next;
  /// One per relation once a fixpoint started (inserts into `new` happen
  /// only inside fixpoints; a .rune decision without one allocates none).
  std::vector<PendingTuples> pending;
  WordOperations operations;
  std::vector<Relation::LookupHint> hints;

  NativeEvaluation(const ProgramImage &image,
                   const std::vector<uint64_t> &symbolWords,
                   std::vector<std::unique_ptr<Relation>> &full,
                   SymbolTable &symbols)
      : frame{symbolWords.data()}, full(full), delta(full.size()),
        next(full.size()), operations(symbols),
        hints(image.hintCount) {}

  Relation &version(uint32_t rel, uint32_t v) {
    switch (static_cast<bc::DatalogVersion>(v)) {
    case bc::DatalogVersion::Delta:
      return *delta[rel];
    case bc::DatalogVersion::New:
      return *next[rel];
    default:
      return *full[rel];
    }
  }

  Relation::LookupHint *hint(uint32_t number) {
    // Compiled code numbers hints as the verifier does; a mismatch only
    // costs the hint, never correctness.
    return number < hints.size() ? &hints[number] : nullptr;
  }
};

static_assert(std::is_standard_layout_v<rune_dl_frame>);
static_assert(sizeof(Relation::Cursor) <= sizeof(rune_dl_cursor) &&
                  alignof(Relation::Cursor) <= alignof(rune_dl_cursor),
              "rune_dl_cursor must hold a Relation::Cursor");
static_assert(sizeof(Accumulator) <= sizeof(rune_dl_accumulator) &&
                  alignof(Accumulator) <= alignof(rune_dl_accumulator),
              "rune_dl_accumulator must hold an Accumulator");

NativeEvaluation &evaluationOf(rune_dl_frame *frame) {
  return *reinterpret_cast<NativeEvaluation *>(frame);
}

Relation::Cursor *cursorIn(rune_dl_cursor *storage) {
  return std::launder(reinterpret_cast<Relation::Cursor *>(storage));
}

/// Builds the cursor `make` returns in place (no copy of its tuple
/// buffer); keeps it when it has a tuple and ends it otherwise.
template <typename Make>
const uint64_t *start(rune_dl_cursor *storage, Make &&make) {
  auto *cursor = new (static_cast<void *>(storage)) Relation::Cursor(make());
  if (cursor->valid())
    return cursor->tuple();
  cursor->~Cursor();
  return nullptr;
}

Accumulator *accumulatorIn(rune_dl_accumulator *storage) {
  return std::launder(reinterpret_cast<Accumulator *>(storage));
}

} // namespace

extern "C" {

const uint64_t *rune_dl_rt_scan_begin(rune_dl_frame *frame,
                                      rune_dl_cursor *cursor, uint32_t relation,
                                      uint32_t version) {
  const Relation &rel = evaluationOf(frame).version(relation, version);
  return start(cursor, [&] { return rel.scan(0); });
}

const uint64_t *rune_dl_rt_lookup_begin(rune_dl_frame *frame,
                                        rune_dl_cursor *cursor,
                                        uint32_t relation, uint32_t version,
                                        uint32_t index, const uint64_t *keys,
                                        uint32_t key_count, uint32_t hint) {
  NativeEvaluation &evaluation = evaluationOf(frame);
  const Relation &rel = evaluation.version(relation, version);
  if (Relation::LookupHint *warm = evaluation.hint(hint))
    return start(cursor,
                 [&] { return rel.lookup(index, keys, key_count, *warm); });
  return start(cursor, [&] { return rel.lookup(index, keys, key_count); });
}

const uint64_t *rune_dl_rt_cursor_next(rune_dl_cursor *storage) {
  Relation::Cursor *cursor = cursorIn(storage);
  cursor->next();
  if (cursor->valid())
    return cursor->tuple();
  cursor->~Cursor();
  return nullptr;
}

int32_t rune_dl_rt_exists(rune_dl_frame *frame, uint32_t relation,
                          uint32_t version, uint32_t index,
                          const uint64_t *keys, uint32_t key_count,
                          uint32_t hint) {
  NativeEvaluation &evaluation = evaluationOf(frame);
  const Relation &rel = evaluation.version(relation, version);
  if (Relation::LookupHint *warm = evaluation.hint(hint))
    return rel.lookup(index, keys, key_count, *warm).valid() ? 1 : 0;
  return rel.lookup(index, keys, key_count).valid() ? 1 : 0;
}

void rune_dl_rt_insert(rune_dl_frame *frame, uint32_t relation,
                       uint32_t version, const uint64_t *tuple) {
  NativeEvaluation &evaluation = evaluationOf(frame);
  // Tuples already known are dropped when `new` is merged into the
  // relation (rune_dl_rt_fixpoint_advance), as in the interpreter.
  if (static_cast<bc::DatalogVersion>(version) == bc::DatalogVersion::New) {
    evaluation.pending[relation].add(tuple, *evaluation.next[relation]);
  } else
    evaluation.full[relation]->insert(tuple);
}

void rune_dl_rt_fixpoint_begin(rune_dl_frame *frame, const uint32_t *relations,
                               uint32_t count) {
  NativeEvaluation &evaluation = evaluationOf(frame);
  if (evaluation.pending.empty())
    evaluation.pending.resize(evaluation.full.size());
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t rel = relations[i];
    evaluation.delta[rel] = std::make_unique<Relation>(*evaluation.full[rel]);
    evaluation.next[rel] =
        std::make_unique<Relation>(evaluation.full[rel]->emptyCopy());
  }
}

int32_t rune_dl_rt_fixpoint_advance(rune_dl_frame *frame,
                                    const uint32_t *relations, uint32_t count) {
  NativeEvaluation &evaluation = evaluationOf(frame);
  // delta := new - full; full += new.
  bool changed = false;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t rel = relations[i];
    evaluation.delta[rel]->clear();
    evaluation.pending[rel].mergeInto(
        *evaluation.next[rel], *evaluation.full[rel], *evaluation.delta[rel]);
    changed |= !evaluation.delta[rel]->empty();
  }
  return changed ? 1 : 0;
}

void rune_dl_rt_fixpoint_end(rune_dl_frame *frame, const uint32_t *relations,
                             uint32_t count) {
  NativeEvaluation &evaluation = evaluationOf(frame);
  for (uint32_t i = 0; i < count; ++i) {
    evaluation.delta[relations[i]].reset();
    evaluation.next[relations[i]].reset();
    evaluation.pending[relations[i]].release();
  }
}

int32_t rune_dl_rt_compare(rune_dl_frame *frame, uint32_t predicate,
                           uint32_t type, uint64_t a, uint64_t b) {
  return evaluationOf(frame).operations.compare(
             static_cast<bc::DatalogCompare>(predicate),
             static_cast<ColumnType>(type), a, b)
             ? 1
             : 0;
}

uint64_t rune_dl_rt_arith(rune_dl_frame *frame, uint32_t op, uint32_t type,
                          uint64_t a, uint64_t b) {
  return evaluationOf(frame).operations.arith(
      static_cast<bc::DatalogArith>(op), static_cast<ColumnType>(type), a, b);
}

uint64_t rune_dl_rt_functor(rune_dl_frame *frame, uint32_t kind, uint32_t type,
                            const uint64_t *args, uint32_t count) {
  return evaluationOf(frame).operations.functor(
      static_cast<bc::DatalogFunctor>(kind), static_cast<ColumnType>(type),
      args, count);
}

int32_t rune_dl_rt_test(rune_dl_frame *frame, uint32_t kind, uint32_t type,
                        uint64_t a, uint64_t b) {
  return evaluationOf(frame).operations.test(static_cast<bc::DatalogTest>(kind),
                                             static_cast<ColumnType>(type), a,
                                             b)
             ? 1
             : 0;
}

void rune_dl_rt_aggregate_begin(rune_dl_frame *, rune_dl_accumulator *storage,
                                uint32_t kind, uint32_t type) {
  new (static_cast<void *>(storage)) Accumulator{
      static_cast<bc::DatalogAggregate>(kind), static_cast<ColumnType>(type)};
}

void rune_dl_rt_accumulate(rune_dl_frame *frame, rune_dl_accumulator *storage,
                           uint64_t value) {
  evaluationOf(frame).operations.add(*accumulatorIn(storage), value);
}

int32_t rune_dl_rt_aggregate_finish(rune_dl_frame *frame,
                                    rune_dl_accumulator *storage,
                                    uint64_t *result) {
  std::optional<Word> value =
      evaluationOf(frame).operations.finish(*accumulatorIn(storage));
  if (!value)
    return 0;
  *result = *value;
  return 1;
}

} // extern "C"

//===----------------------------------------------------------------------===//
// Running native strata
//===----------------------------------------------------------------------===//

static void collectSymbolWords(const std::vector<Instr> &body,
                               std::vector<uint64_t> &words) {
  for (const Instr &instr : body) {
    if (instr.op == bc::DatalogOpcode::ConstSymbol ||
        instr.op == bc::DatalogOpcode::ConstAnySymbol) {
      if (instr.string >= words.size())
        words.resize(size_t(instr.string) + 1, 0);
      // Both encodings keep the symbol id in the low 32 bits.
      words[instr.string] = decodeSymbol(instr.word);
    }
    collectSymbolWords(instr.body, words);
  }
}

std::vector<uint64_t>
rune::datalog::detail::nativeSymbolWords(const ProgramImage &image) {
  std::vector<uint64_t> words;
  collectSymbolWords(image.statements, words);
  if (words.empty())
    words.push_back(0); // a valid pointer for the frame
  return words;
}

bool rune::datalog::detail::checkNativeStrata(
    const ProgramImage &image, const rune_dl_stratum_fn *functions,
    uint32_t count, std::string &error) {
  if (count != image.statements.size()) {
    error = "native module: " + std::to_string(count) +
            " Datalog stratum functions but the bytecode has " +
            std::to_string(image.statements.size()) + " statements";
    return false;
  }
  if (count != 0 && !functions) {
    error = "native module: missing Datalog stratum function table";
    return false;
  }
  for (uint32_t i = 0; i < count; ++i) {
    if (!functions[i]) {
      error = "native module: Datalog stratum function " + std::to_string(i) +
              " is null";
      return false;
    }
  }
  return true;
}

void rune::datalog::detail::evaluateNative(
    const ProgramImage &image, const std::vector<rune_dl_stratum_fn> &functions,
    const std::vector<uint64_t> &symbolWords,
    std::vector<std::unique_ptr<Relation>> &relations, SymbolTable &symbols) {
  NativeEvaluation evaluation(image, symbolWords, relations, symbols);
  for (rune_dl_stratum_fn function : functions)
    function(&evaluation.frame);
}
