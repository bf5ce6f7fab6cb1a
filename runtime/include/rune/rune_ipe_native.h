/*===- rune_ipe_native.h - ABI between native IPE code and the runtime ----===*\
|*                                                                            *|
|* An IPE module compiled with `runec --emit=obj x.ipe` defines the same      *|
|* descriptor as a Cedar module (struct rune_native_module of rune_native.h): *|
|* its embedded bytecode carries the IPE sections (slots, literals, lists,    *|
|* enumerations, conditions, the trigger index), and its `policy_fns` hold   *|
|* one function per entry of the Policies section (policies, then aggregate  *|
|* filters), each of type rune_ipe_policy_fn, stored as rune_policy_fn.       *|
|*                                                                            *|
|* The runtime resolves every request path of the module once per request   *|
|* into the slot array; compiled code reads slots and literals in place and  *|
|* compares strings by their module symbol, and calls the rune_ipe_rt_*      *|
|* helpers only for the general cases and every error.                        *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef RUNE_RUNE_IPE_NATIVE_H
#define RUNE_RUNE_IPE_NATIVE_H

#include <stddef.h>
#include <stdint.h>

/* Everything declared here is exported by the shared runtime, which builds
 * the rest of its code with hidden visibility. */
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Value kinds (the word at offset 0). */
#define RUNE_IPE_MISSING 0u
#define RUNE_IPE_BOOL 1u
#define RUNE_IPE_INT 2u
#define RUNE_IPE_FLOAT 3u
#define RUNE_IPE_STRING 4u
#define RUNE_IPE_ARRAY 5u
#define RUNE_IPE_OBJECT 6u

/* One IPE value: 24 bytes, 8-byte aligned. Compiled code relies on:
 *   - kind (offset 0);
 *   - symbol (offset 4), for strings: the index of the module string with
 *     the same bytes, or -1 when the module has no such string. Two strings
 *     with symbols >= 0 are equal exactly when their symbols are; a string
 *     with symbol -1 never equals one with a symbol >= 0;
 *   - payload (offset 16): BOOL 0/1, INT the integer, FLOAT the double's
 *     bits, STRING the bytes, ARRAY/OBJECT a runtime-private pointer;
 *   - length (offset 8): STRING bytes, ARRAY elements.
 * Values never own memory and may be copied bytewise. */
typedef struct rune_ipe_value {
  uint32_t kind;
  int32_t symbol;
  uint64_t length;
  uint64_t payload;
} rune_ipe_value;

/* What compiled code reads directly; the evaluation state starts with it
 * (the rest is private to the runtime). */
typedef struct rune_ipe_frame {
  const rune_ipe_value *slots;    /* the request, one value per slot */
  const rune_ipe_value *literals; /* the module's literals */
} rune_ipe_frame;

/* A policy returns its outcome (0 not applicable, 1 allow, 2 deny); a
 * filter (its element in regs[0]) returns 1 when the element passes, 0
 * when not. Both return -1 after an error was recorded in the frame. */
typedef int32_t (*rune_ipe_policy_fn)(rune_ipe_frame *frame,
                                      rune_ipe_value *regs);

/* The module's whole decision with its trigger index compiled in (descriptor
 * layout 2, below): evaluates every policy the index selects for the
 * request in `frame` (the policies without an indexable trigger, and per
 * index group the policies of the key the request's values form, or the
 * whole group when one of its paths is missing or not a scalar), each at
 * most once, calling the policy functions with `regs`. For each policy that
 * applied it writes one entry, (policy << 2) | outcome with outcome 1
 * allow, 2 deny, 3 error, to `applicable` (room for one entry per policy),
 * in no particular order; it returns the number of entries and stores the
 * number of policies evaluated in `*evaluated`. The message of an error is
 * not kept: the runtime evaluates an erroring policy again to get it. */
typedef uint32_t (*rune_ipe_decide_fn)(rune_ipe_frame *frame,
                                       rune_ipe_value *regs,
                                       uint32_t *applicable,
                                       uint32_t *evaluated);

/* How a native IPE module fills the shared descriptor's function table
 * (rune_native_module.policy_fns, policy_count entries):
 *   layout 1: one rune_ipe_policy_fn per Policies entry (policies, then
 *             filters), nothing else;
 *   layout 2: the same, followed by the module's rune_ipe_decide_fn.
 * The loader tells them apart by policy_count (entries or entries + 1) and
 * refuses any other count and null functions; `runec` writes layout 2. */
#define RUNE_IPE_NATIVE_LAYOUT 2u

/* Helpers: each implements the IPE instruction of the same name
 * (BytecodeFormat.h). The tests return 1 (true), 0 (false) or -1 (error
 * recorded); the others 0 or -1. */
int32_t rune_ipe_rt_missing(rune_ipe_frame *frame, uint32_t slot);
int32_t rune_ipe_rt_load_collection(rune_ipe_frame *frame, rune_ipe_value *dst,
                                    uint32_t slot);
int32_t rune_ipe_rt_get_field(rune_ipe_frame *frame, rune_ipe_value *dst,
                              const rune_ipe_value *object, uint32_t key,
                              uint32_t display);
/* Not an instruction: the rows of the array at collection slot `slot` of
 * the request being decided, built on the first call in a decision, or NULL
 * (the slot holds no array). A row per element: the element, then one cell
 * per key aggregate filters read (the sorted, deduplicated IpeGetField key
 * operands of the filter entries), of kind missing (its other fields
 * undefined) until compiled code resolves it with rune_ipe_rt_element_field;
 * the rows are the caller's to write until the decision ends. Added without a
 * layout change: objects that call it need a runtime that defines it, which the
 * link checks. */
rune_ipe_value *rune_ipe_rt_element_rows(rune_ipe_frame *frame, uint32_t slot);
/* Not an instruction either: resolves cell `column` of `row` (a row of
 * rune_ipe_rt_element_rows) into the cell, row[1 + column]: what
 * rune_ipe_rt_get_field of the column's key gives on the row's element,
 * with the same errors (`display` names the field in them). Added without
 * a layout change, like rune_ipe_rt_element_rows. */
int32_t rune_ipe_rt_element_field(rune_ipe_frame *frame, rune_ipe_value *row,
                                  uint32_t column, uint32_t display);
int32_t rune_ipe_rt_compare(rune_ipe_frame *frame, const rune_ipe_value *a,
                            const rune_ipe_value *b, uint32_t condition);
int32_t rune_ipe_rt_in(rune_ipe_frame *frame, const rune_ipe_value *a,
                       uint32_t condition);
int32_t rune_ipe_rt_truth(rune_ipe_frame *frame, const rune_ipe_value *a,
                          uint32_t condition);
int32_t rune_ipe_rt_aggregate(rune_ipe_frame *frame, rune_ipe_value *dst,
                              const rune_ipe_value *array, uint32_t filter,
                              uint32_t mode);

/* Every helper, for JITs that bind them by address. */
#define RUNE_IPE_NATIVE_HELPERS(X)                                             \
  X(rune_ipe_rt_missing)                                                       \
  X(rune_ipe_rt_load_collection)                                               \
  X(rune_ipe_rt_get_field)                                                     \
  X(rune_ipe_rt_element_rows)                                                  \
  X(rune_ipe_rt_element_field)                                                 \
  X(rune_ipe_rt_compare)                                                       \
  X(rune_ipe_rt_in)                                                            \
  X(rune_ipe_rt_truth)                                                         \
  X(rune_ipe_rt_aggregate)

#ifdef __cplusplus
}
#endif

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif /* RUNE_RUNE_IPE_NATIVE_H */
