//===- RuneDecision.h - The combined decision of a .rune module -*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// A module compiled from a .rune file holds Cedar policies and a Datalog
// program. Its decision (docs/rune-language.md):
//
//  * the Cedar policies decide as in Cedar (Authorizer.h): a satisfied
//    forbid forbids, a satisfied permit permits;
//  * a derived tuple in a relation named `allow` or `allow_*` permits, one
//    in `deny` or `deny_*` forbids;
//  * Deny if anything forbids, otherwise Allow if anything permits,
//    otherwise Deny. Errors never allow.
//
// The rules see the request and the entities as facts, every value in the
// `any` encoding (Word.h):
//
//   principal(P) action(A) resource(R)   the request's entity uids
//   context(Key, Value)                  the context's top-level scalars
//   entity(E) parent(E, P) attr(E, Name, Value)
//                                        the entity store: every entity, its
//                                        direct parents, its scalar
//                                        attributes
//
// An entity uid is the string of its Cedar syntax, `User::"alice"` (so a
// rule compares it with "User::\"alice\"" and [data] lists it as
// 'User::"alice"'); a Cedar string is a string, a long an integer (longs
// beyond 62 bits are left out of the facts), a boolean a boolean. Sets,
// records and extension values are not scalars and give no facts.
//
// Evaluation is split once, when the decider is created. The program's
// top-level strata are taken in order; a stratum is request-dependent when
// it reads principal, action, resource or context, or a relation a
// request-dependent stratum writes. The other (static) strata run once,
// over the [data] facts compiled into the program and the entity facts:
// their relations are the static snapshot, immutable from then on. Each
// decision runs only the request-dependent strata, over fresh relations for
// what they write and the request relations, reading the snapshot's
// relations in place (no copy). Decisions may therefore run concurrently on
// one decider; the symbol table they intern request strings into is
// thread-safe.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_RUNEDECISION_H
#define RUNE_RUNTIME_RUNEDECISION_H

#include "rune/Runtime/Authorizer.h"
#include "rune/Runtime/Datalog/Relation.h"
#include "rune/Runtime/Datalog/SymbolTable.h"
#include "rune/Runtime/EntityStore.h"
#include "rune/Runtime/Module.h"
#include "rune/Runtime/Request.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rune {

namespace datalog::detail {
struct ProgramImage;
}

/// The names of the relations whose tuples decide.
bool isAllowRelationName(std::string_view name);
bool isDenyRelationName(std::string_view name);

/// Every relation of one decision's evaluation: the static snapshot's and
/// the request's own (for explanations, `rune-run eval -v`).
class RuneEvaluation {
public:
  size_t relationCount() const { return relations.size(); }
  std::string_view relationName(unsigned slot) const;
  std::optional<unsigned> findRelation(std::string_view name) const;
  const datalog::Relation &relation(unsigned slot) const {
    return *relations[slot];
  }
  const datalog::SymbolTable &symbols() const { return *symbolTable; }

private:
  friend class RuneDecider;
  const datalog::detail::ProgramImage *image = nullptr;
  const datalog::SymbolTable *symbolTable = nullptr;
  /// Static relations (owned by the decider) or the request's (owned here).
  std::vector<const datalog::Relation *> relations;
  std::vector<std::unique_ptr<datalog::Relation>> owned;
  /// Keeps the decider's static part alive.
  std::shared_ptr<const void> keepAlive;
};

struct RuneResponse {
  Decision decision = Decision::Deny;
  /// What decided, policies (in module order) then relations (in program
  /// order): the forbidding ones on a deny, the permitting ones on an allow,
  /// none for the default deny.
  std::vector<std::string> reasons;
  /// Cedar's part, as Cedar decides alone.
  Response cedar;
  /// The allow*/deny* relations holding tuples, in program order.
  std::vector<std::string> permittingRelations;
  std::vector<std::string> forbiddingRelations;
  /// The relations of the evaluation, when decide() was asked to keep them.
  std::shared_ptr<const RuneEvaluation> evaluation;
};

class RuneDecider {
public:
  ~RuneDecider();

  /// Prepares the decisions of `module` over `entities` (both must outlive
  /// the decider) and evaluates the static strata. A module without a
  /// Datalog program decides with its Cedar policies alone. Returns null
  /// with `error` if the program lacks a request relation.
  static std::unique_ptr<RuneDecider> create(const LoadedModule &module,
                                             const EntityStore &entities,
                                             std::string &error);

  /// Decides `request`. Returns false (with `error`) only when the inputs
  /// cannot be used together; evaluation errors of policies are in the
  /// response and never allow. With `keepEvaluation` the response holds the
  /// evaluation's relations.
  bool decide(const Request &request, EvalScratch &scratch,
              RuneResponse &response, std::string &error,
              bool keepEvaluation = false) const;

  bool hasRules() const { return state != nullptr; }
  /// Top-level strata of the program, and how many run per request.
  size_t strataCount() const;
  size_t requestStrataCount() const;

private:
  struct State;
  RuneDecider(const LoadedModule &module, const EntityStore &entities);

  const LoadedModule &module;
  const EntityStore &entities;
  std::shared_ptr<State> state;
};

} // namespace rune

#endif // RUNE_RUNTIME_RUNEDECISION_H
