/*===- rune_datalog_native.h - ABI between native Datalog code and runtime
-===*\
|*                                                                            *|
|* A module with a Datalog program (a `.dl` file, or the [rules] of a .rune  *|
|* file) compiled with `runec --emit=obj` carries, in its rune_native_module *|
|* descriptor (rune_native.h, ABI version 3), one native function per        *|
|* top-level statement of the program's DatalogCode section, in the order of *|
|* that section. Each function evaluates its whole statement (a stratum, a  *|
|* fixpoint or a query): the loop nests of its queries and the semi-naive    *|
|* loops of its fixpoints are native code; relation storage stays the        *|
|* runtime's, reached through the rune_dl_rt_* helpers below. The runtime    *|
|* calls the functions in order (a .rune decider calls only the static ones  *|
|* at load and the request-dependent ones per request).                     *|
|*                                                                            *|
|* Words: every column value is a 64-bit word encoded as                     *|
|* runtime/include/rune/Runtime/Datalog/Word.h says (number: int32 sign-     *|
|* extended; unsigned: uint32; float: binary32 bits; symbol: interned id;    *|
|* any: 2-bit tag in bits 62..63 over a 62-bit payload). Compiled code does  *|
|* number/unsigned arithmetic and comparisons inline with those encodings    *|
|* and calls the helpers for the rest (symbol order, `any`, string functors, *|
|* aggregates), which are the interpreter's own code.                        *|
|*                                                                            *|
|* Relation, version and index operands are the numbers of the bytecode's   *|
|* DatalogRelations section (relations in declaration order; version 0 full, *|
|* 1 delta, 2 new; index: position in the relation's index list). `hint` is *|
|* the number the bytecode verifier gives the Lookup/NotExists instruction   *|
|* (their order in the DatalogCode section): the runtime keeps one lookup    *|
|* hint per such instruction, as the interpreter does.                       *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef RUNE_RUNE_DATALOG_NATIVE_H
#define RUNE_RUNE_DATALOG_NATIVE_H

#include <stdint.h>

/* Everything declared here is exported by the shared runtime, which builds
 * the rest of its code with hidden visibility. */
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* What compiled code reads directly. The evaluation state starts with it
 * (a state pointer is a frame pointer); the rest is private to the runtime.
 */
typedef struct rune_dl_frame {
  /* One entry per string of the module's string table: for the strings a
   * symbol constant of the program names, the id they were interned as in
   * the program's symbol table (a `symbol` word; OR in (1 << 62) for an
   * `any` word). Other entries are 0. */
  const uint64_t *symbols;
} rune_dl_frame;

/* Storage for one scan or lookup in progress, owned by compiled code (a
 * stack slot per loop) and opaque to it. A cursor is live from a
 * *_begin call that returned non-null until rune_dl_rt_cursor_next returns
 * null; the runtime releases it then. Loops therefore run to their end. */
#define RUNE_DL_CURSOR_WORDS 48
typedef struct rune_dl_cursor {
  uint64_t opaque[RUNE_DL_CURSOR_WORDS];
} rune_dl_cursor;

/* Storage for one aggregate being computed, opaque to compiled code. */
#define RUNE_DL_ACCUMULATOR_WORDS 8
typedef struct rune_dl_accumulator {
  uint64_t opaque[RUNE_DL_ACCUMULATOR_WORDS];
} rune_dl_accumulator;

/* Evaluates one top-level statement of the program. */
typedef void (*rune_dl_stratum_fn)(rune_dl_frame *frame);

/* Scans: return a pointer to the first tuple's words (arity words in
 * column order, valid until the next call on the cursor) or null when
 * there is none. `keys` holds `key_count` words: the first key_count
 * columns of index `index`'s column order. */
const uint64_t *rune_dl_rt_scan_begin(rune_dl_frame *frame,
                                      rune_dl_cursor *cursor, uint32_t relation,
                                      uint32_t version);
const uint64_t *rune_dl_rt_lookup_begin(rune_dl_frame *frame,
                                        rune_dl_cursor *cursor,
                                        uint32_t relation, uint32_t version,
                                        uint32_t index, const uint64_t *keys,
                                        uint32_t key_count, uint32_t hint);
/* The next tuple of the scan or lookup, or null at its end. */
const uint64_t *rune_dl_rt_cursor_next(rune_dl_cursor *cursor);

/* 1 when some tuple of the relation matches the keys (not_exists fails),
 * 0 otherwise. */
int32_t rune_dl_rt_exists(rune_dl_frame *frame, uint32_t relation,
                          uint32_t version, uint32_t index,
                          const uint64_t *keys, uint32_t key_count,
                          uint32_t hint);
/* Inserts `tuple` (arity words) into the full or new version. */
void rune_dl_rt_insert(rune_dl_frame *frame, uint32_t relation,
                       uint32_t version, const uint64_t *tuple);

/* Semi-naive loops over the `count` relations of `relations`: begin makes
 * each delta a copy of the relation and each new empty; advance merges new
 * into the relations, makes the really new tuples the next deltas, and
 * returns 1 when some delta is not empty (run the queries again), 0 when
 * the fixpoint is reached; end releases the deltas and news. */
void rune_dl_rt_fixpoint_begin(rune_dl_frame *frame, const uint32_t *relations,
                               uint32_t count);
int32_t rune_dl_rt_fixpoint_advance(rune_dl_frame *frame,
                                    const uint32_t *relations, uint32_t count);
void rune_dl_rt_fixpoint_end(rune_dl_frame *frame, const uint32_t *relations,
                             uint32_t count);

/* Values: `predicate`, `op`, `kind` and `type` are the bytecode's
 * DatalogCompare, DatalogArith, DatalogFunctor, DatalogTest and
 * DatalogColumnType numbers. compare and test return 1 or 0. */
int32_t rune_dl_rt_compare(rune_dl_frame *frame, uint32_t predicate,
                           uint32_t type, uint64_t a, uint64_t b);
uint64_t rune_dl_rt_arith(rune_dl_frame *frame, uint32_t op, uint32_t type,
                          uint64_t a, uint64_t b);
uint64_t rune_dl_rt_functor(rune_dl_frame *frame, uint32_t kind, uint32_t type,
                            const uint64_t *args, uint32_t count);
int32_t rune_dl_rt_test(rune_dl_frame *frame, uint32_t kind, uint32_t type,
                        uint64_t a, uint64_t b);

/* Aggregates (`kind`: the bytecode's DatalogAggregate): begin, one
 * accumulate per value (count ignores it), then finish, which returns 1 and
 * stores the result, or 0 when it does not exist (min, max or mean of
 * nothing: the rest of the enclosing body is skipped). */
void rune_dl_rt_aggregate_begin(rune_dl_frame *frame,
                                rune_dl_accumulator *accumulator, uint32_t kind,
                                uint32_t type);
void rune_dl_rt_accumulate(rune_dl_frame *frame,
                           rune_dl_accumulator *accumulator, uint64_t value);
int32_t rune_dl_rt_aggregate_finish(rune_dl_frame *frame,
                                    rune_dl_accumulator *accumulator,
                                    uint64_t *result);

/* Every helper, for JITs that bind them by address. */
#define RUNE_DL_NATIVE_HELPERS(X)                                              \
  X(rune_dl_rt_scan_begin)                                                     \
  X(rune_dl_rt_lookup_begin)                                                   \
  X(rune_dl_rt_cursor_next)                                                    \
  X(rune_dl_rt_exists)                                                         \
  X(rune_dl_rt_insert)                                                         \
  X(rune_dl_rt_fixpoint_begin)                                                 \
  X(rune_dl_rt_fixpoint_advance)                                               \
  X(rune_dl_rt_fixpoint_end)                                                   \
  X(rune_dl_rt_compare)                                                        \
  X(rune_dl_rt_arith)                                                          \
  X(rune_dl_rt_functor)                                                        \
  X(rune_dl_rt_test)                                                           \
  X(rune_dl_rt_aggregate_begin)                                                \
  X(rune_dl_rt_accumulate)                                                     \
  X(rune_dl_rt_aggregate_finish)

#ifdef __cplusplus
}
#endif

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif /* RUNE_RUNE_DATALOG_NATIVE_H */
