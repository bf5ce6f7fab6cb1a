//===- RuneSema.h - Checks of .rune files ---------------------*- C++ -*-===//
//-*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The checks of a parsed .rune file, and the Datalog program its rules
// become:
//
//  * relations are declared implicitly with `any` columns: the request
//    relations (principal/1, action/1, resource/1, context/2, entity/1,
//    parent/2, attr/3), one relation per [data] key path (arity 1), and
//    every relation the rules use; each must be used with one arity;
//  * request relations are filled by the runtime and cannot be defined;
//  * a variable that occurs only in negated atoms is an error;
//  * aggregates `N = op(V, atom)` are over the distinct values of V,
//    grouped by the atom's variables bound elsewhere in the rule. They are
//    lowered to Soufflé's aggregates over an auxiliary relation
//    `_agg<k>(G1, ..., Gn, V) :- atom.` (its tuples are exactly the distinct
//    (group, value) pairs); when a group variable is bound only by the
//    head, the rule also scans `_agg<k>` to range over the groups that exist;
//  * then the Datalog checks (rune/Sema/SouffleSema.h: groundedness, tests)
//    on the lowered program, and Cedar's checks on the policies.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_SEMA_RUNESEMA_H
#define RUNE_SEMA_RUNESEMA_H

#include "rune/Frontend/Rune/RuneFile.h"
#include "rune/Support/Diagnostics.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace rune::runefile {

/// A relation whose tuples come from the request (or its entities).
struct RequestRelation {
  const char *name;
  unsigned arity;
};

/// principal(P), action(A), resource(R), context(Key, Value), entity(E),
/// parent(E, P), attr(E, Name, Value).
llvm::ArrayRef<RequestRelation> requestRelations();
bool isRequestRelation(llvm::StringRef name);

/// Names of relations whose derived tuples decide: `allow`/`allow_*`
/// permit, `deny`/`deny_*` forbid.
bool isAllowRelation(llvm::StringRef name);
bool isDenyRelation(llvm::StringRef name);

/// Checks `file` (rules and policies) and returns its Datalog program: the
/// declarations, the [data] facts, the rules with aggregates lowered, and an
/// `.output` for every relation the rules define. Returns nullopt after
/// reporting the errors.
std::optional<souffle::Program> checkRuneFile(RuneFile &file,
                                              DiagnosticEngine &diags);

} // namespace rune::runefile

#endif // RUNE_SEMA_RUNESEMA_H
