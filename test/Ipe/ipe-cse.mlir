// ipe-cse (runec's CSE of IPE modules) must give what CSE gives: it runs
// CSE only on the policies holding two operations CSE could merge, and the
// same CHECK lines hold for both passes.
// RUN: rune-opt --cse %s | FileCheck %s
// RUN: rune-opt --ipe-cse %s | FileCheck %s

// Nothing to share: left as it is.
// CHECK-LABEL: rune.ipe.policy "Distinct"
// CHECK-NEXT:    rune.ipe.read "a"
// CHECK-NEXT:    rune.ipe.literal "x"
// CHECK-NEXT:    rune.ipe.compare
// CHECK-NEXT:    rune.ipe.yield
rune.ipe.policy "Distinct" denies intent "d" triggers {
  %r = rune.ipe.read "a"
  %l = rune.ipe.literal "x"
  %c = rune.ipe.compare "eq" %r, %l label "a == x" explain ""
  rune.ipe.yield %c
}

// The literal of the `or`'s right-hand side is the one before it; reads
// are never shared (they can raise).
// CHECK-LABEL: rune.ipe.policy "Shared"
// CHECK-NEXT:    %[[A:.*]] = rune.ipe.read "a"
// CHECK-NEXT:    %[[X:.*]] = rune.ipe.literal "x"
// CHECK-NEXT:    %[[C:.*]] = rune.ipe.compare "eq" %[[A]], %[[X]]
// CHECK-NEXT:    rune.ipe.or %[[C]], {
// CHECK-NEXT:      %[[A2:.*]] = rune.ipe.read "a"
// CHECK-NEXT:      %[[C2:.*]] = rune.ipe.compare "ne" %[[A2]], %[[X]]
// CHECK-NEXT:      rune.ipe.yield %[[C2]]
rune.ipe.policy "Shared" denies intent "s" triggers {
  %a = rune.ipe.read "a"
  %x = rune.ipe.literal "x"
  %c = rune.ipe.compare "eq" %a, %x label "a == x" explain ""
  %or = rune.ipe.or %c, {
    %a2 = rune.ipe.read "a"
    %x2 = rune.ipe.literal "x"
    %c2 = rune.ipe.compare "ne" %a2, %x2 label "a != x" explain ""
    rune.ipe.yield %c2
  }
  rune.ipe.yield %or
}

// Equal literals in the trigger and the requirement: neither dominates the
// other, so both stay.
// CHECK-LABEL: rune.ipe.policy "Siblings"
// CHECK:         rune.ipe.literal 1 : i64
// CHECK:       } requires {
// CHECK:         rune.ipe.literal 1 : i64
rune.ipe.policy "Siblings" intent "t" triggers {
  %r = rune.ipe.read "n"
  %one = rune.ipe.literal 1 : i64
  %c = rune.ipe.compare "ge" %r, %one label "n >= 1" explain ""
  rune.ipe.yield %c
} requires {
  %r = rune.ipe.read "m"
  %one = rune.ipe.literal 1 : i64
  %c = rune.ipe.compare "le" %r, %one label "m <= 1" explain ""
  rune.ipe.yield %c
}

// An unused literal is erased.
// CHECK-LABEL: rune.ipe.policy "Dead"
// CHECK-NEXT:    rune.ipe.read "d"
// CHECK-NEXT:    rune.ipe.truth
rune.ipe.policy "Dead" denies intent "d" triggers {
  %unused = rune.ipe.literal 7 : i64
  %r = rune.ipe.read "d"
  %t = rune.ipe.truth %r label "d" explain ""
  rune.ipe.yield %t
}
