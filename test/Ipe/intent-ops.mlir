// The rune.ipe.* operations print and parse back (rune-opt round trip),
// the ipe-trigger-index pass runs from rune-opt, and canonicalization folds
// only what cannot raise: constant conditions and equality of literals,
// never a read or an ordering.
// RUN: rune-opt %s | rune-opt | FileCheck %s
// RUN: rune-opt --canonicalize %s | FileCheck %s --check-prefix=CANON
// runec's pipeline for IPE modules folds the same without the canonicalizer's
// region simplification (lib/Transforms/Pipeline.cpp), and indexes.
// RUN: rune-opt --rune-optimize-ipe %s | FileCheck %s --check-prefixes=CANON,INDEX
// RUN: rune-opt --ipe-trigger-index %s | FileCheck %s --check-prefix=INDEX

rune.ipe.enum "risk" ["low", "medium", "high", "critical"]

// CHECK-LABEL: rune.ipe.policy "P" predicate intent "p" metadata {owner = "x", tags = ["a", "b"]} triggers {
// CHECK:         %[[T:.*]] = rune.ipe.read "resource.type"
// CHECK:         rune.ipe.compare "eq" %[[T]], %{{.*}} label "t" explain "e"
// CHECK:         rune.ipe.aggregate "count" %{{.*}} element "approver" {
// CHECK:         ^bb0(%[[E:.*]]: !rune.value):
// CHECK:           rune.ipe.get %[[E]], "role" display "approver.role"
rune.ipe.policy "P" predicate intent "p" metadata {owner = "x", tags = ["a", "b"]} triggers {
  %0 = rune.ipe.read "resource.type"
  %1 = rune.ipe.literal "Deployment"
  %2 = rune.ipe.compare "eq" %0, %1 label "t" explain "e"
  rune.ipe.yield %2
} requires {
  %0 = rune.ipe.read "approvals" collection
  %1 = rune.ipe.aggregate "count" %0 element "approver" {
  ^bb0(%e: !rune.value):
    %r = rune.ipe.get %e, "role" display "approver.role"
    %s = rune.ipe.literal "sre"
    %c = rune.ipe.compare "eq" %r, %s label "r" explain "e"
    rune.ipe.yield %c
  }
  %2 = rune.ipe.literal 2 : i64
  %3 = rune.ipe.compare "ge" %1, %2 label "n" explain "{a:approval}"
  rune.ipe.yield %3
}

// `1 == 1.0` folds to true, `not not true` to true, `true and rhs` to rhs;
// the read and the ordering stay.
// CANON-LABEL: rune.ipe.policy "Folds" denies
// CANON-NEXT:    %[[L:.*]] = rune.ipe.literal 1 : i64
// CANON-NEXT:    %[[R:.*]] = rune.ipe.read "x"
// CANON-NEXT:    %[[C:.*]] = rune.ipe.compare "lt" %[[R]], %[[L]]
// CANON-NEXT:    rune.ipe.yield %[[C]]
// CANON-NEXT:  }
rune.ipe.policy "Folds" denies intent "f" reason "r" triggers {
  %a = rune.ipe.literal 1 : i64
  %b = rune.ipe.literal 1.0 : f64
  %eq = rune.ipe.compare "eq" %a, %b label "1 == 1.0" explain ""
  %n = rune.ipe.not %eq
  %nn = rune.ipe.not %n
  %and = rune.ipe.and %nn, {
    %x = rune.ipe.read "x"
    %lt = rune.ipe.compare "lt" %x, %a label "x < 1" explain ""
    rune.ipe.yield %lt
  }
  rune.ipe.yield %and
}

// INDEX: rune.ipe.index_group ["resource.type"] keys {{\[}}["Deployment"]] postings {{\[}}["P"]] policies ["P"]
// INDEX: rune.ipe.index_always ["Folds"]
