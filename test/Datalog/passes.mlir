// Each Datalog pass on its own, from IRGen's unplanned form.
// RUN: rune-opt %s --rune-dl-stratify | FileCheck %s --check-prefix=STRATA
// RUN: rune-opt %s --rune-dl-stratify --rune-dl-semi-naive | FileCheck %s --check-prefix=SEMI
// RUN: rune-opt %s --rune-dl-pipeline | FileCheck %s --check-prefix=PLAN

rune.dl.program {
  rune.dl.relation @e(a: number, b: number)
  rune.dl.relation @t(a: number, b: number)
  rune.dl.query "t(x, y) :- e(x, y)." {
    %0:2 = rune.dl.atom @e full : i64, i64
    rune.dl.insert @t full (%0#0, %0#1)
  }
  rune.dl.query "t(x, z) :- t(x, y), t(y, z)." {
    %0:2 = rune.dl.atom @t full : i64, i64
    %1:2 = rune.dl.atom @t full : i64, i64
    %2 = rune.dl.cmp eq number %1#0, %0#1
    rune.dl.filter %2
    rune.dl.insert @t full (%0#0, %1#1)
  }
  rune.dl.query "e(1, 2)." {
    %0 = rune.dl.const 1 : i64 number
    %1 = rune.dl.const 2 : i64 number
    rune.dl.insert @e full (%0, %1)
  }
}

// The fact's stratum comes first; t's base rule runs once before the
// fixpoint of its recursive rule, which inserts into the new version.
// STRATA:      rune.dl.stratum {
// STRATA-NEXT:   rune.dl.query "e(1, 2)."
// STRATA:      rune.dl.stratum {
// STRATA-NEXT:   rune.dl.query "t(x, y) :- e(x, y)."
// STRATA:        rune.dl.fixpoint [@t] {
// STRATA-NEXT:     rune.dl.query "t(x, z) :- t(x, y), t(y, z)."
// STRATA-NEXT:       rune.dl.atom @t full
// STRATA-NEXT:       rune.dl.atom @t full
// STRATA:            rune.dl.insert @t new

// One version per recursive atom, each reading one delta.
// SEMI:      rune.dl.fixpoint [@t] {
// SEMI-NEXT:   rune.dl.query "t(x, z) :- t(x, y), t(y, z)."
// SEMI-NEXT:     rune.dl.atom @t full
// SEMI-NEXT:     rune.dl.atom @t delta
// SEMI:        rune.dl.query "t(x, z) :- t(x, y), t(y, z)."
// SEMI-NEXT:     rune.dl.atom @t delta
// SEMI-NEXT:     rune.dl.atom @t full

// The delta is scanned first; the other atom is looked up by the bound
// column through the index (1, 0), the equality guard is gone.
// PLAN: rune.dl.relation @t(a: number, b: number) indexes {{\[\[}}0, 1], [1, 0{{\]\]}}
// PLAN:      rune.dl.scan @t delta {
// PLAN-NEXT: ^bb0(%arg0: i64, %arg1: i64):
// PLAN-NEXT:   rune.dl.lookup @t full [1] (%arg0) index 1 {
// PLAN-NEXT:   ^bb0(%arg2: i64, %arg3: i64):
// PLAN-NEXT:     rune.dl.insert @t new (%arg2, %arg1)
// PLAN:      rune.dl.scan @t delta {
// PLAN-NEXT: ^bb0(%arg0: i64, %arg1: i64):
// PLAN-NEXT:   rune.dl.lookup @t full [0] (%arg1) index 0 {
// PLAN-NEXT:   ^bb0(%arg2: i64, %arg3: i64):
// PLAN-NEXT:     rune.dl.insert @t new (%arg0, %arg3)
// PLAN-NOT: rune.dl.filter
