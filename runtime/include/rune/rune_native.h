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
|* Compiled code keeps the policy's registers in a caller-provided array of   *|
|* rune_value (the same register numbering as the bytecode) and passes        *|
|* pointers into it.                                                          *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef RUNE_RUNE_NATIVE_H
#define RUNE_RUNE_NATIVE_H

#include "rune/rune.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RUNE_NATIVE_ABI_VERSION 1u

/* One runtime value: 16 bytes, 8-byte aligned. Its contents are private to
 * the runtime; compiled code only moves it around and passes its address. */
typedef struct rune_value {
  uint64_t word0;
  uint64_t word1;
} rune_value;

/* Per-evaluation state: request, entities, module constants, error slot. */
typedef struct rune_eval_state rune_eval_state;

/* Evaluates one policy's condition. `regs` has room for the register count
 * the policy's bytecode entry declares. Returns 1 when the condition holds,
 * 0 when it does not, -1 on an evaluation error (recorded in `state`). */
typedef int32_t (*rune_policy_fn)(rune_eval_state *state, rune_value *regs);

struct rune_native_module {
  uint32_t abi_version; /* RUNE_NATIVE_ABI_VERSION */
  uint32_t policy_count;
  const uint8_t *bytecode;
  uint64_t bytecode_size;
  /* policy_count functions, in the order of the bytecode's policy table. */
  const rune_policy_fn *policy_fns;
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
  X(rune_rt_raise) \
  X(rune_rt_to_bool)

#ifdef __cplusplus
}
#endif

#endif /* RUNE_RUNE_NATIVE_H */
