//===- IpeAnalysis.h - Conflict analysis of IPE policy sets ------*- C++
//-*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// `runec --analyze`: what a policy author wants to know before deploying a
// checked policy file (docs/ipe-analysis.md). Every finding is a located
// warning naming the policies, with notes pointing at the other policy and
// at the conditions involved:
//
//  * a `denies` policy and a `requires` policy that can both trigger on one
//    request on which the latter would allow (the deny wins);
//  * two `requires` policies that can both trigger on one request whose
//    requirements cannot both hold there (such requests are always denied);
//  * a policy that can never trigger, and a `requires` policy whose
//    requirement can never hold when it triggers (it never allows);
//  * duplicate policies: the same trigger and requirement up to the order
//    of `and` / `or` operands and `in` members.
//
// "Can never" findings are sound for the constraint domain of
// IpeConstraints.h (under its stated assumptions, which the notes repeat).
// "Can both trigger" is confirmed by evaluating both triggers on a witness
// request, printed with the finding; when that is not possible the finding
// says the policies "may" both trigger.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_ANALYSIS_IPEANALYSIS_H
#define RUNE_ANALYSIS_IPEANALYSIS_H

#include "rune/Frontend/Ipe/AST.h"
#include "rune/Support/Diagnostics.h"

namespace rune::ipe {

struct AnalysisSummary {
  unsigned denyAllowConflicts = 0;
  unsigned requirementConflicts = 0;
  unsigned neverTrigger = 0;
  unsigned neverAllow = 0;
  unsigned duplicates = 0;
  /// Policies whose conditions were too large to analyse (their DNF
  /// exceeds the limit); they take part in no finding.
  unsigned skipped = 0;

  unsigned findings() const {
    return denyAllowConflicts + requirementConflicts + neverTrigger +
           neverAllow + duplicates;
  }
};

/// Analyses a file that passed checkPolicyFile, reporting every finding as
/// a warning on `diags`.
AnalysisSummary analyzePolicyFile(const PolicyFile &file,
                                  DiagnosticEngine &diags);

} // namespace rune::ipe

#endif // RUNE_ANALYSIS_IPEANALYSIS_H
