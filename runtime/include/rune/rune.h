/*===- rune.h - The rune runtime's C API ----------------------------------===*\
|*                                                                            *|
|* The embedding API of the rune runtime. Applications load a compiled policy *|
|* module (a verified .rbc bytecode file, or a native module linked into the  *|
|* program), load entities, build requests and ask for decisions.             *|
|*                                                                            *|
|* Ownership: every object returned through an out-parameter is owned by the  *|
|* caller and released with its matching *_free function. Strings returned    *|
|* through `char **error` are released with rune_string_free. Strings read    *|
|* from a response stay valid until the response is freed.                   *|
|*                                                                            *|
|* Thread safety: an engine, a module, a schema and an entity set are         *|
|* immutable after creation and may be shared by threads; requests and       *|
|* responses may not.                                                         *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef RUNE_RUNE_H
#define RUNE_RUNE_H

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

typedef enum rune_status {
  RUNE_OK = 0,
  /* Malformed input: bad bytecode, JSON, entity uid, ... */
  RUNE_ERROR_INVALID_INPUT = 1,
  /* A file could not be read. */
  RUNE_ERROR_IO = 2,
} rune_status;

typedef enum rune_decision { RUNE_DENY = 0, RUNE_ALLOW = 1 } rune_decision;

/* Holds the symbol table (interned names) shared by the modules, entity sets
 * and requests created from it. Objects of different engines never mix. */
typedef struct rune_engine rune_engine;
/* A verified, loaded policy module. */
typedef struct rune_module rune_module;
/* An entity store: uids, attributes, tags and the ancestor relation. */
typedef struct rune_entities rune_entities;
/* principal, action, resource and context of one authorization request. */
typedef struct rune_request rune_request;
/* The decision with the ids of the deciding policies and the errors. */
typedef struct rune_response rune_response;
/* A Cedar schema: the entity types, actions and attribute types that
 * entities, contexts and requests are read and validated with. Immutable;
 * independent of any engine. */
typedef struct rune_schema rune_schema;
/* Defined in rune_native.h: the descriptor a native object file exports. */
typedef struct rune_native_module rune_native_module;

/* Version of the runtime library, e.g. "0.1.0". */
const char *rune_version(void);

void rune_string_free(char *s);

rune_engine *rune_engine_create(void);
void rune_engine_free(rune_engine *engine);

/* Verifies `size` bytes of bytecode completely (header, checksum, tables,
 * every instruction) and loads them. On failure returns non-zero, stores
 * nothing in *out and, if `error` is not NULL, a message in *error. */
/* What a compiled module holds: RUNE_HOLDS_* bits, read from its bytecode's
 * header and section table (for a native module, its embedded bytecode;
 * the loaders verify the rest); 0 when those are invalid. A Cedar module holds Cedar policies, an IPE
 * module IPE policies, a Soufflé program a Datalog program, a .rune module
 * Cedar policies and a Datalog program. */
#define RUNE_HOLDS_CEDAR 1u
#define RUNE_HOLDS_IPE 2u
#define RUNE_HOLDS_DATALOG 4u
unsigned rune_bytecode_contents(const uint8_t *data, size_t size);

rune_status rune_module_load(rune_engine *engine, const uint8_t *data,
                             size_t size, rune_module **out, char **error);
rune_status rune_module_load_file(rune_engine *engine, const char *path,
                                  rune_module **out, char **error);
/* Loads a module compiled to native code and linked into this program. The
 * module's embedded bytecode is verified as rune_module_load does; policies
 * then run as native code. */
rune_status rune_module_load_native(rune_engine *engine,
                                    const rune_native_module *native,
                                    rune_module **out, char **error);
void rune_module_free(rune_module *module);
size_t rune_module_policy_count(const rune_module *module);
const char *rune_module_policy_id(const rune_module *module, size_t index);
/* The schema the module was compiled with, or NULL when it has none. Owned
 * by the module: valid until the module is freed, never passed to
 * rune_schema_free. */
const rune_schema *rune_module_schema(const rune_module *module);

/* Loads a schema given apart from any module: `size` bytes in the format of
 * a module's Schema section (docs/bytecode.md), verified as completely as a
 * module. For tools that compile a schema on their own, such as
 * `rune-run authorize --schema`. Release with rune_schema_free. */
rune_status rune_schema_load(const uint8_t *data, size_t size,
                             rune_schema **out, char **error);
void rune_schema_free(rune_schema *schema);

/* Parses entities in Cedar's JSON format (an array of objects with "uid",
 * "attrs", "parents" and optionally "tags"). `source_name` names the input
 * in error messages, which read "<source_name>:<line>:<col>: error: ...". */
rune_status rune_entities_parse_json(rune_engine *engine, const char *json,
                                     size_t size, const char *source_name,
                                     rune_entities **out, char **error);
rune_status rune_entities_load_file(rune_engine *engine, const char *path,
                                    rune_entities **out, char **error);
/* Parses entities as Cedar does with a schema. Attribute and tag values take
 * the schema's types: a string is a decimal, ipaddr, datetime or duration
 * where that type is declared, {"type", "id"} an entity where an entity type
 * is. Every entity must conform: a declared entity type (and a declared id
 * of an enumerated type), its required attributes and no undeclared ones,
 * tags only where declared, parents only of the types its memberOfTypes
 * allow. The schema's actions are added as entities with their parents; an
 * action entity in the JSON must match its declaration. With a NULL schema,
 * exactly rune_entities_parse_json. */
rune_status rune_entities_parse_json_with_schema(
    rune_engine *engine, const rune_schema *schema, const char *json,
    size_t size, const char *source_name, rune_entities **out, char **error);
rune_status rune_entities_load_file_with_schema(rune_engine *engine,
                                                const rune_schema *schema,
                                                const char *path,
                                                rune_entities **out,
                                                char **error);
/* An empty entity store. */
rune_entities *rune_entities_create_empty(rune_engine *engine);
void rune_entities_free(rune_entities *entities);

/* Builds a request. principal, action and resource are entity uids in
 * Cedar's syntax (`User::"alice"`, `NS::Action::"view"`). context_json is a
 * JSON object, or NULL for the empty record. */
rune_status rune_request_create(rune_engine *engine, const char *principal,
                                const char *action, const char *resource,
                                const char *context_json, rune_request **out,
                                char **error);
/* As rune_request_create, validated against a schema as Cedar validates
 * requests: the action must be declared, the principal and resource types
 * among those the action applies to, and the context (NULL meaning {}) must
 * have the action's context type, its values read with that type. With a
 * NULL schema, exactly rune_request_create. */
rune_status
rune_request_create_with_schema(rune_engine *engine, const rune_schema *schema,
                                const char *principal, const char *action,
                                const char *resource, const char *context_json,
                                rune_request **out, char **error);
/* As rune_request_create_with_schema (schema may be NULL), with each entity
 * uid given as its type name (`NS::User`) and its id. Ids are taken as they
 * are, with no quoting or escapes: any UTF-8 text. */
rune_status rune_request_create_parts(
    rune_engine *engine, const rune_schema *schema, const char *principal_type,
    const char *principal_id, const char *action_type, const char *action_id,
    const char *resource_type, const char *resource_id,
    const char *context_json, rune_request **out, char **error);
void rune_request_free(rune_request *request);

/* Evaluates every policy of the module. Cedar's semantics: a policy whose
 * condition errors is skipped and reported; any satisfied forbid denies;
 * otherwise any satisfied permit allows; otherwise deny. */
rune_status rune_authorize(const rune_module *module,
                           const rune_entities *entities,
                           const rune_request *request, rune_response **out,
                           char **error);
rune_decision rune_response_decision(const rune_response *response);
/* Deciding policies: the satisfied forbids on deny, the satisfied permits on
 * allow, none for the default deny. In module order. */
size_t rune_response_reason_count(const rune_response *response);
const char *rune_response_reason(const rune_response *response, size_t index);
/* Policies whose evaluation failed, in module order, with a message each. */
size_t rune_response_error_count(const rune_response *response);
const char *rune_response_error_policy(const rune_response *response,
                                       size_t index);
const char *rune_response_error_message(const rune_response *response,
                                        size_t index);
void rune_response_free(rune_response *response);

/* ---- IPE intent policies (docs/ipe.md) ----------------------------------
 * An IPE module is compiled from an .ipe file. A request is one JSON
 * document, parsed once per decision and resolved into the module's slots.
 * A decision lists every policy that applied, with its outcome; the
 * decision is Deny when any policy denied or failed, Allow when none did
 * and at least one allowed, Deny ("no applicable policy") otherwise. */
typedef struct rune_ipe_module rune_ipe_module;
typedef struct rune_ipe_request rune_ipe_request;
typedef struct rune_ipe_decision rune_ipe_decision;

typedef enum rune_ipe_outcome {
  RUNE_IPE_NOT_APPLICABLE = 0,
  RUNE_IPE_ALLOW = 1,
  RUNE_IPE_DENY = 2,
  RUNE_IPE_ERROR = 3,
} rune_ipe_outcome;

rune_status rune_ipe_module_load(const uint8_t *data, size_t size,
                                 rune_ipe_module **out, char **error);
rune_status rune_ipe_module_load_native(const rune_native_module *native,
                                        rune_ipe_module **out, char **error);
void rune_ipe_module_free(rune_ipe_module *module);
size_t rune_ipe_module_policy_count(const rune_ipe_module *module);
const char *rune_ipe_module_policy_name(const rune_ipe_module *module,
                                        size_t index);
/* The intent sentence, and the `denies` reason (NULL when none). */
const char *rune_ipe_module_policy_intent(const rune_ipe_module *module,
                                          size_t index);
const char *rune_ipe_module_policy_reason(const rune_ipe_module *module,
                                          size_t index);
/* The policy's `metadata` entries in source order: each a key and its value
 * as JSON text (a string value is quoted). */
size_t rune_ipe_module_policy_metadata_count(const rune_ipe_module *module,
                                             size_t index);
const char *rune_ipe_module_policy_metadata_key(const rune_ipe_module *module,
                                                size_t index, size_t entry);
const char *rune_ipe_module_policy_metadata_value(const rune_ipe_module *module,
                                                  size_t index, size_t entry);

/* Parses a request; a syntax error is reported as "line:col: message". */
rune_status rune_ipe_request_parse(const rune_ipe_module *module,
                                   const char *json, size_t size,
                                   rune_ipe_request **out, char **error);
void rune_ipe_request_free(rune_ipe_request *request);

/* Decides `request`, which must have been parsed for `module` (another
 * module's request is refused with RUNE_ERROR_INVALID_INPUT). Each call sets
 * up an evaluator's scratch space and a decision: an application deciding
 * often keeps an evaluator instead (below). Release the decision with
 * rune_ipe_decision_free. */
rune_status rune_ipe_decide(const rune_ipe_module *module,
                            const rune_ipe_request *request,
                            rune_ipe_decision **out, char **error);
/* rune_ipe_decide, also recording for each applicable policy the condition
 * that decided it (rune_ipe_decision_policy_condition). Costs more: meant
 * for explanations, not for every decision. */
rune_status rune_ipe_decide_explained(const rune_ipe_module *module,
                                      const rune_ipe_request *request,
                                      rune_ipe_decision **out, char **error);

/* An evaluator holds the scratch space of decisions with one module and the
 * decision it made last, both reused from one decision to the next: once
 * warm, deciding allocates nothing (an error message aside), which makes
 * the per-decision cost the engine's alone. An evaluator is not
 * thread-safe: keep one per thread. The module must outlive it. */
typedef struct rune_ipe_evaluator rune_ipe_evaluator;
rune_status rune_ipe_evaluator_new(const rune_ipe_module *module,
                                   rune_ipe_evaluator **out, char **error);
void rune_ipe_evaluator_free(rune_ipe_evaluator *evaluator);
/* Decides `request` (parsed for the evaluator's module) into the
 * evaluator's decision, returned in `out`: it belongs to the evaluator and
 * stays valid until the evaluator's next decision or its release. Read it
 * with the rune_ipe_decision_* functions; never rune_ipe_decision_free it. */
rune_status rune_ipe_evaluator_decide(rune_ipe_evaluator *evaluator,
                                      const rune_ipe_request *request,
                                      const rune_ipe_decision **out,
                                      char **error);
/* The same, explained (as rune_ipe_decide_explained). */
rune_status rune_ipe_evaluator_decide_explained(
    rune_ipe_evaluator *evaluator, const rune_ipe_request *request,
    const rune_ipe_decision **out, char **error);
/* Decides requests[0..count) in turn, writing each one's result to
 * results[i]: for streams of requests parsed earlier (a log replayed against
 * a new policy set), faster than deciding them one by one since each
 * request is fetched from memory while the ones before it are decided. When
 * a request was parsed for another module nothing is decided or written.
 * The evaluator's decision is then the last request's. */
rune_status rune_ipe_evaluator_decide_batch(
    rune_ipe_evaluator *evaluator, const rune_ipe_request *const *requests,
    size_t count, rune_decision *results, char **error);

rune_decision rune_ipe_decision_result(const rune_ipe_decision *decision);
/* The policies that applied, in module order. For an `index` past
 * rune_ipe_decision_policy_count, policy_index gives SIZE_MAX,
 * policy_outcome RUNE_IPE_NOT_APPLICABLE and policy_reason NULL. */
size_t rune_ipe_decision_policy_count(const rune_ipe_decision *decision);
size_t rune_ipe_decision_policy_index(const rune_ipe_decision *decision,
                                      size_t index);
rune_ipe_outcome
rune_ipe_decision_policy_outcome(const rune_ipe_decision *decision,
                                 size_t index);
/* The reason people read: the error message for RUNE_IPE_ERROR, the
 * `denies` reason or the intent sentence otherwise. */
const char *rune_ipe_decision_policy_reason(const rune_ipe_decision *decision,
                                            size_t index);
/* How many policies the trigger index selected for evaluation. */
size_t rune_ipe_decision_evaluated_count(const rune_ipe_decision *decision);
/* For a decision of rune_ipe_decide_explained, the condition that decided
 * applicable policy `index` (the last one evaluated at its top level: `and`
 * and `or` stop at the operand that decides them): its source text, whether
 * it held, and why in words ("1 approval matched the filter"). NULL (and
 * 0) when none was recorded: an error outcome, or a decision that was not
 * explained. */
const char *
rune_ipe_decision_policy_condition(const rune_ipe_decision *decision,
                                   size_t index);
int rune_ipe_decision_policy_condition_result(
    const rune_ipe_decision *decision, size_t index);
const char *
rune_ipe_decision_policy_explanation(const rune_ipe_decision *decision,
                                     size_t index);
void rune_ipe_decision_free(rune_ipe_decision *decision);

/* ---- Datalog programs (a module compiled from a .dl program) ----------- */

/* A loaded Datalog program with its relations and symbol table. */
typedef struct rune_datalog rune_datalog;

/* Verifies the module completely and loads its Datalog program. */
rune_status rune_datalog_load(const uint8_t *data, size_t size,
                              rune_datalog **out, char **error);
rune_status rune_datalog_load_file(const char *path, rune_datalog **out,
                                   char **error);
/* Loads the Datalog program of a natively compiled module (`runec
 * --emit=obj`, rune_native.h): its embedded bytecode is verified in full and
 * rune_datalog_run calls its native stratum functions. */
rune_status rune_datalog_load_native(const rune_native_module *native,
                                     rune_datalog **out, char **error);
void rune_datalog_free(rune_datalog *program);
/* Reads every .input relation from `facts_dir` (Souffle's fact files). */
rune_status rune_datalog_load_facts(rune_datalog *program,
                                    const char *facts_dir, char **error);
/* Adds one tuple given as the text of its columns (as in a fact file). */
rune_status rune_datalog_insert(rune_datalog *program, const char *relation,
                                const char *const *columns, size_t count,
                                char **error);
/* Evaluates every stratum. */
rune_status rune_datalog_run(rune_datalog *program, char **error);
/* Writes the .output relations to `out_dir` ("-": standard output). */
rune_status rune_datalog_write_outputs(rune_datalog *program,
                                       const char *out_dir, char **error);
size_t rune_datalog_relation_count(const rune_datalog *program);
const char *rune_datalog_relation_name(const rune_datalog *program,
                                       size_t index);
/* The number of tuples of `relation`. */
rune_status rune_datalog_relation_size(const rune_datalog *program,
                                       const char *relation, size_t *out,
                                       char **error);
/* The tuples of `relation` in Souffle's output format (tab separated, one
 * per line); free *out with rune_string_free. */
rune_status rune_datalog_relation_text(const rune_datalog *program,
                                       const char *relation, char **out,
                                       char **error);

/* --- Modules compiled from .rune files: Cedar policies and rules ---------
 *
 * A decider prepares the decisions of a module over an entity set: it
 * evaluates once the rules that do not depend on the request (over the
 * module's [data] facts and the entity facts), so that each decision only
 * evaluates the rules that read the request. Decision (docs/rune-files.md):
 * Deny if a Cedar forbid is satisfied or a `deny`/`deny_*` relation holds a
 * tuple; otherwise Allow if a permit is satisfied or an `allow`/`allow_*`
 * relation holds one; otherwise Deny. The response's reasons list the
 * deciding policy ids, then the deciding relation names. A module without
 * rules decides as rune_authorize does.
 *
 * The module and the entities must outlive the decider. A decider is
 * immutable once created: threads may share it (each with its own
 * requests). */
typedef struct rune_decider rune_decider;

rune_status rune_decider_create(const rune_module *module,
                                const rune_entities *entities,
                                rune_decider **out, char **error);
void rune_decider_free(rune_decider *decider);
/* Top-level strata of the module's rules, and how many run per decision. */
size_t rune_decider_strata_count(const rune_decider *decider);
size_t rune_decider_request_strata_count(const rune_decider *decider);
rune_status rune_decide(const rune_decider *decider,
                        const rune_request *request, rune_response **out,
                        char **error);

#ifdef __cplusplus
}
#endif

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif /* RUNE_RUNE_H */
