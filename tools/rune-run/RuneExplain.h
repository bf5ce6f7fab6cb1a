//===- RuneExplain.h - Why a derived tuple holds ----------------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Provenance for `rune-run eval -v`: one derivation tree of a derived tuple,
// found over the relations of a finished evaluation with the rules of the
// .rune file (the Datalog program its Sema lowered them to).
//
// The evaluation computed the least fixpoint, so every tuple has a finite,
// acyclic derivation: a rule instance whose positive body tuples have
// derivations of their own, down to facts. The explainer searches one
// depth-first, matching each rule's body against the final relations and
// refusing a tuple already on the path (which would make the tree
// cyclic); negations, comparisons, string tests and aggregates are checked
// against the same relations. Only -v pays for it: decisions never do.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_TOOLS_RUNE_RUN_RUNEEXPLAIN_H
#define RUNE_TOOLS_RUNE_RUN_RUNEEXPLAIN_H

#include "rune/Frontend/Souffle/AST.h"
#include "rune/Runtime/RuneDecision.h"

#include "llvm/Support/SourceMgr.h"

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace rune::cli {

class DerivationExplainer {
public:
  /// `program` is the lowered Datalog program of the .rune file whose
  /// locations are in `sourceMgr`; `evaluation` ran its compiled form.
  DerivationExplainer(const souffle::Program &program,
                      const llvm::SourceMgr &sourceMgr,
                      const RuneEvaluation &evaluation);
  ~DerivationExplainer();

  /// Prints the first tuple of `relation` and, indented below, why it
  /// holds. Returns false (printing nothing) if the relation is empty or no
  /// derivation was found within the search budget.
  bool explainFirst(std::string_view relation, std::ostream &os);

private:
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace rune::cli

#endif // RUNE_TOOLS_RUNE_RUN_RUNEEXPLAIN_H
