/*===- rune_native.h - ABI between native policy code and the runtime -----===*\
|*                                                                            *|
|* `runec --emit=obj` produces an object file that defines one symbol,        *|
|*   const rune_native_module rune_linked_module;                             *|
|* holding the module's bytecode (verified and used for its tables: strings,  *|
|* constants, policy ids and effects) and one native function per policy.     *|
|* The functions call the rune_rt_* helpers below, which implement each       *|
|* bytecode instruction with exactly the interpreter's semantics, so both     *|
|* backends give the same decisions, reasons and errors.                      *|
|*                                                                            *|
|* Since ABI version 2 compiled code also does the common cases inline: the  *|
|* value layout contract and the evaluation frame below let it read          *|
|* constants and request variables in place and test, compare and add bools *|
|* and longs itself, calling a helper only for every other case (which       *|
|* includes every error, so messages stay the helpers'). Helpers added      *|
|* since (rune_rt_in_entities, rune_rt_equals_any, rune_rt_same_entity)     *|
|* leave the descriptor as it was: objects that call them need a runtime    *|
|* that defines them, which the link checks.                                *|
|*                                                                            *|
|* Since ABI version 4 compiled code also reads entities itself: attribute   *|
|* reads, `in` between two entities and entity equality are done inline     *|
|* when the uids' cached store nodes answer, through the store tables in    *|
|* the frame and the layouts below (rune_uid_layout, rune_store_node,       *|
|* rune_store_entity, rune_record_field); every other case calls a helper.  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef RUNE_RUNE_NATIVE_H
#define RUNE_RUNE_NATIVE_H

#include "rune/rune.h"
#include "rune/rune_datalog_native.h"

/* Everything declared here is exported by the shared runtime, which builds
 * the rest of its code with hidden visibility. */
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* 2: the value layout contract, rune_eval_frame at the start of the state,
 *    `regs` no longer cleared before each policy.
 * 3: the Datalog stratum functions after the policy functions
 *    (rune_datalog_native.h). Loaders still accept version 2 descriptors,
 *    which end after `policy_fns` and carry no Datalog code.
 * 4: the entity store in the frame (symbols, store_serial, nodes, entities,
 *    ancestors) and the layouts of uids, store nodes, store entities and
 *    record fields. The frame only grew at its end, so loaders still accept
 *    versions 2 and 3, whose code reads only its first fields. */
#define RUNE_NATIVE_ABI_VERSION 4u
#define RUNE_NATIVE_ABI_VERSION_MIN 2u

/* One runtime value: 16 bytes, 8-byte aligned. Compiled code may rely on
 * this much of its layout, and on nothing else:
 *   - the byte at offset RUNE_VALUE_KIND_OFFSET is the value's kind;
 *   - for the kinds RUNE_KIND_BOOL and RUNE_KIND_LONG, the 64-bit word at
 *     RUNE_VALUE_PAYLOAD_OFFSET is the payload (bool: 0 or 1; long: the
 *     two's complement integer) and bytes 1..7 are zero, so such a value can
 *     be made by storing 0 at word 0, the kind at byte 0 and the payload;
 *   - for RUNE_KIND_ENTITY the payload word is a pointer identifying the
 *     uid: equal pointers mean equal uids (unequal pointers mean nothing;
 *     the uid may still be equal). It points to 8-byte aligned data whose
 *     first 64-bit word is a hash of the uid: different hashes mean
 *     different uids (equal hashes mean nothing, ask rune_rt_eq);
 *   - for RUNE_KIND_RECORD (ABI 4) the 32-bit word at RUNE_VALUE_AUX_OFFSET
 *     is the field count and the payload points to that many
 *     rune_record_field, sorted by key (ascending, no duplicates);
 *   - for RUNE_KIND_SET (ABI 4) that word is the element count and the
 *     payload points to that many rune_value, all different;
 *   - for RUNE_KIND_STRING (ABI 4) that word is the length in bytes and
 *     the payload points to the UTF-8 bytes (not NUL-terminated);
 *   - values never own memory, so a value may be copied bytewise.
 * Every other kind and field is private to the runtime. */
typedef struct rune_value {
  uint64_t word0;
  uint64_t word1;
} rune_value;

#define RUNE_VALUE_KIND_OFFSET 0
#define RUNE_VALUE_PAYLOAD_OFFSET 8
#define RUNE_KIND_BOOL 1
#define RUNE_KIND_LONG 2
#define RUNE_KIND_ENTITY 4
#define RUNE_KIND_STRING 3
#define RUNE_KIND_SET 5
#define RUNE_KIND_RECORD 6
#define RUNE_VALUE_AUX_OFFSET 4

/* ABI 4: what an entity value's payload points to. `store_node` says where
 * the last entity store that looked the uid up found it: the store's serial
 * in the high 32 bits and its node index + 1 in the low 32 bits (0 when that
 * store has no node for the uid); 0 when no store has looked. The runtime
 * writes it whole (a relaxed atomic store) while policies run, so compiled
 * code reads it whole with one aligned 64-bit load and trusts it only when
 * the serial is the frame's `store_serial`. */
typedef struct rune_uid_layout {
  uint64_t hash;
  uint32_t type;
  uint32_t id_length;
  const char *id_data;
  uint64_t store_node;
} rune_uid_layout;

/* ABI 4: one node of an entity store (every uid that has an entity or is
 * named as a parent). */
typedef struct rune_store_node {
  const rune_uid_layout *uid;
  /* Index into the frame's `entities`, or UINT32_MAX when the uid has no
   * entity of its own (only named as a parent). */
  uint32_t entity;
  /* The node's transitive ancestors: ancestors_count node indices at
   * ancestors[ancestors_begin], sorted ascending. */
  uint32_t ancestors_begin;
  uint32_t ancestors_count;
} rune_store_node;

/* ABI 4: one entity of an entity store; only `attributes` (a
 * RUNE_KIND_RECORD value) is for compiled code, the rest is private. */
typedef struct rune_store_entity {
  const rune_uid_layout *uid;
  rune_value attributes;
  const void *private_fields[4];
} rune_store_entity;

/* ABI 4: one field of a record. `key` is the attribute name's symbol in the
 * engine the module was loaded into (the frame's `symbols` maps the
 * module's string indices to them: symbols differ between engines, so
 * compiled code must not embed them). */
typedef struct rune_record_field {
  uint32_t key;
  uint32_t reserved;
  rune_value value;
} rune_record_field;

/* Per-evaluation state: request, entities, module constants, error slot.
 * It starts with a rune_eval_frame (a state pointer is a frame pointer);
 * the rest is private to the runtime. */
typedef struct rune_eval_state rune_eval_state;

/* What compiled code reads directly, set once per authorization and
 * constant while the policies run. */
typedef struct rune_eval_frame {
  /* The module's constants, indexed like rune_rt_load_const's `constant`
   * (only the indices rune_rt_load_const accepts hold values). */
  const rune_value *constants;
  /* principal, action, resource, context (rune_rt_load_var's `var`). */
  const rune_value *vars[4];
  /* Since ABI 4. The symbol of each string of the module's bytecode, indexed
   * like rune_rt_get_attr's `name`. */
  const uint32_t *symbols;
  /* The entity store's serial (compare with a uid's store_node >> 32), or
   * UINT64_MAX when the store caches nothing (no uid matches it). */
  uint64_t store_serial;
  /* The store's tables: node i is nodes[i], entity j is entities[j]. */
  const rune_store_node *nodes;
  const rune_store_entity *entities;
  const uint32_t *ancestors;
} rune_eval_frame;

/* Evaluates one policy's condition. `regs` has room for the register count
 * the policy's bytecode entry declares; its contents on entry are
 * unspecified (write a register before reading it). Returns 1 when the
 * condition holds, 0 when it does not, -1 on an evaluation error (recorded
 * in `state`). */
typedef int32_t (*rune_policy_fn)(rune_eval_state *state, rune_value *regs);

struct rune_native_module {
  uint32_t abi_version; /* RUNE_NATIVE_ABI_VERSION */
  uint32_t policy_count;
  const uint8_t *bytecode;
  uint64_t bytecode_size;
  /* policy_count functions, in the order of the bytecode's policy table. */
  const rune_policy_fn *policy_fns;
  /* Since version 3: datalog_stratum_count functions, one per top-level
   * statement of the bytecode's DatalogCode section, in its order (0 and
   * null when the module has no Datalog program). */
  uint32_t datalog_stratum_count;
  const rune_dl_stratum_fn *datalog_stratum_fns;
};

/* Helpers called by compiled code. Each implements the bytecode instruction
 * of the same name (see BytecodeFormat.h); each returns 0 on success and
 * non-zero after recording an evaluation error in `state`. Register operands
 * are pointers to values; Const, Str, Var and Ext operands are indices. For
 * the instructions taking a register range (make_set, make_record,
 * call_ext), `first` points at `count` consecutive values. */
int32_t rune_rt_load_const(rune_eval_state *state, rune_value *dst,
                           uint32_t constant);
int32_t rune_rt_load_var(rune_eval_state *state, rune_value *dst,
                         uint32_t var);
int32_t rune_rt_get_attr(rune_eval_state *state, rune_value *dst,
                         const rune_value *obj, uint32_t name);
int32_t rune_rt_has_attr(rune_eval_state *state, rune_value *dst,
                         const rune_value *obj, uint32_t name);
int32_t rune_rt_get_tag(rune_eval_state *state, rune_value *dst,
                        const rune_value *obj, const rune_value *key);
int32_t rune_rt_has_tag(rune_eval_state *state, rune_value *dst,
                        const rune_value *obj, const rune_value *key);
int32_t rune_rt_eq(rune_eval_state *state, rune_value *dst,
                   const rune_value *a, const rune_value *b);
int32_t rune_rt_ne(rune_eval_state *state, rune_value *dst,
                   const rune_value *a, const rune_value *b);
int32_t rune_rt_lt(rune_eval_state *state, rune_value *dst,
                   const rune_value *a, const rune_value *b);
int32_t rune_rt_le(rune_eval_state *state, rune_value *dst,
                   const rune_value *a, const rune_value *b);
int32_t rune_rt_gt(rune_eval_state *state, rune_value *dst,
                   const rune_value *a, const rune_value *b);
int32_t rune_rt_ge(rune_eval_state *state, rune_value *dst,
                   const rune_value *a, const rune_value *b);
int32_t rune_rt_add(rune_eval_state *state, rune_value *dst,
                    const rune_value *a, const rune_value *b);
int32_t rune_rt_sub(rune_eval_state *state, rune_value *dst,
                    const rune_value *a, const rune_value *b);
int32_t rune_rt_mul(rune_eval_state *state, rune_value *dst,
                    const rune_value *a, const rune_value *b);
int32_t rune_rt_neg(rune_eval_state *state, rune_value *dst,
                    const rune_value *a);
int32_t rune_rt_not(rune_eval_state *state, rune_value *dst,
                    const rune_value *a);
int32_t rune_rt_in(rune_eval_state *state, rune_value *dst,
                   const rune_value *a, const rune_value *b);
int32_t rune_rt_contains(rune_eval_state *state, rune_value *dst,
                         const rune_value *a, const rune_value *b);
int32_t rune_rt_contains_all(rune_eval_state *state, rune_value *dst,
                             const rune_value *a, const rune_value *b);
int32_t rune_rt_contains_any(rune_eval_state *state, rune_value *dst,
                             const rune_value *a, const rune_value *b);
int32_t rune_rt_is_empty(rune_eval_state *state, rune_value *dst,
                         const rune_value *a);
int32_t rune_rt_like(rune_eval_state *state, rune_value *dst,
                     const rune_value *a, uint32_t pattern_constant);
int32_t rune_rt_is_type(rune_eval_state *state, rune_value *dst,
                        const rune_value *a, uint32_t type_name);
int32_t rune_rt_make_set(rune_eval_state *state, rune_value *dst,
                         const rune_value *first, uint32_t count);
int32_t rune_rt_make_record(rune_eval_state *state, rune_value *dst,
                            uint32_t names_constant, const rune_value *first,
                            uint32_t count);
int32_t rune_rt_call_ext(rune_eval_state *state, rune_value *dst,
                         uint32_t ext_fn, const rune_value *first,
                         uint32_t count);
/* a in [first[0], ..., first[count - 1]]: the result and errors of
 * rune_rt_in on a set of those values, without building the set (compiled
 * code passes the elements of a set literal this way). */
int32_t rune_rt_in_entities(rune_eval_state *state, rune_value *dst,
                            const rune_value *a, const rune_value *first,
                            uint32_t count);
/* [first[0], ..., first[count - 1]].contains(element): the result of
 * rune_rt_contains on a set of those values, without building the set. */
int32_t rune_rt_equals_any(rune_eval_state *state, rune_value *dst,
                           const rune_value *element, const rune_value *first,
                           uint32_t count);
/* 1 when the two RUNE_KIND_ENTITY values name the same uid, else 0. Never
 * fails and needs no state: compiled code calls it for `==` on entities
 * whose pointers differ but whose uid hashes are equal. */
int32_t rune_rt_same_entity(const rune_value *a, const rune_value *b);
/* Always fails, recording the evaluation error strings[message]. */
int32_t rune_rt_raise(rune_eval_state *state, uint32_t message);
/* Control flow: returns 0 and stores 1/0 in *out when the value is the bool
 * true/false; records a type error and returns non-zero otherwise. Used for
 * assert_bool, jump_if_false, jump_if_true and return. */
int32_t rune_rt_to_bool(rune_eval_state *state, const rune_value *value,
                        int32_t *out);

/* Every helper above, for hosts that compile policies in process (a JIT)
 * and must resolve the helpers' addresses themselves. */
#define RUNE_NATIVE_HELPERS(X) \
  X(rune_rt_load_const) \
  X(rune_rt_load_var) \
  X(rune_rt_get_attr) \
  X(rune_rt_has_attr) \
  X(rune_rt_get_tag) \
  X(rune_rt_has_tag) \
  X(rune_rt_eq) \
  X(rune_rt_ne) \
  X(rune_rt_lt) \
  X(rune_rt_le) \
  X(rune_rt_gt) \
  X(rune_rt_ge) \
  X(rune_rt_add) \
  X(rune_rt_sub) \
  X(rune_rt_mul) \
  X(rune_rt_neg) \
  X(rune_rt_not) \
  X(rune_rt_in) \
  X(rune_rt_contains) \
  X(rune_rt_contains_all) \
  X(rune_rt_contains_any) \
  X(rune_rt_is_empty) \
  X(rune_rt_like) \
  X(rune_rt_is_type) \
  X(rune_rt_make_set) \
  X(rune_rt_make_record) \
  X(rune_rt_call_ext) \
  X(rune_rt_in_entities) \
  X(rune_rt_equals_any) \
  X(rune_rt_same_entity) \
  X(rune_rt_raise) \
  X(rune_rt_to_bool)

#ifdef __cplusplus
}
#endif

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif /* RUNE_RUNE_NATIVE_H */
