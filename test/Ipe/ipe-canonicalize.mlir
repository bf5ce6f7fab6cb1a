// ipe-canonicalize (runec's canonicalization of IPE modules) must give what
// the canonicalizer gives: each policy below starts a fold from another case
// of mayCanonicalizeIntentOp (lib/Transforms/IpeCanonicalize.cpp), and the
// same CHECK lines hold for both passes. A policy with nothing to fold stays
// as it is.
// RUN: rune-opt --canonicalize %s | FileCheck %s
// RUN: rune-opt --ipe-canonicalize %s | FileCheck %s

// CHECK-LABEL: rune.ipe.policy "Untouched"
// CHECK-NEXT:    %[[R:.*]] = rune.ipe.read "a"
// CHECK-NEXT:    %[[L:.*]] = rune.ipe.literal "x"
// CHECK-NEXT:    %[[C:.*]] = rune.ipe.compare "eq" %[[R]], %[[L]]
// CHECK-NEXT:    %[[N:.*]] = rune.ipe.not %[[C]]
// CHECK-NEXT:    rune.ipe.yield %[[N]]
rune.ipe.policy "Untouched" denies intent "u" triggers {
  %r = rune.ipe.read "a"
  %l = rune.ipe.literal "x"
  %c = rune.ipe.compare "eq" %r, %l label "a == x" explain ""
  %n = rune.ipe.not %c
  rune.ipe.yield %n
}

// `not` of a constant.
// CHECK-LABEL: rune.ipe.policy "NotConstant"
// CHECK-NEXT:    %[[B:.*]] = rune.ipe.bool true
// CHECK-NEXT:    rune.ipe.yield %[[B]]
rune.ipe.policy "NotConstant" denies intent "n" triggers {
  %f = rune.ipe.bool false
  %n = rune.ipe.not %f
  rune.ipe.yield %n
}

// `not not x` is x.
// CHECK-LABEL: rune.ipe.policy "NotNot"
// CHECK-NEXT:    %[[R:.*]] = rune.ipe.read "b"
// CHECK-NEXT:    %[[T:.*]] = rune.ipe.truth %[[R]]
// CHECK-NEXT:    rune.ipe.yield %[[T]]
rune.ipe.policy "NotNot" denies intent "nn" triggers {
  %r = rune.ipe.read "b"
  %t = rune.ipe.truth %r label "b" explain ""
  %n = rune.ipe.not %t
  %nn = rune.ipe.not %n
  rune.ipe.yield %nn
}

// `false or rhs` is rhs, in a filter (isolated from above) of a requirement.
// CHECK-LABEL: rune.ipe.policy "OrInFilter"
// CHECK:         rune.ipe.aggregate "any"
// CHECK-NEXT:    ^bb0(%[[E:.*]]: !rune.value):
// CHECK-NEXT:      %[[G:.*]] = rune.ipe.get %[[E]], "ok"
// CHECK-NEXT:      %[[T:.*]] = rune.ipe.truth %[[G]]
// CHECK-NEXT:      rune.ipe.yield %[[T]]
rune.ipe.policy "OrInFilter" intent "o" triggers {
  %r = rune.ipe.read "c"
  %t = rune.ipe.truth %r label "c" explain ""
  rune.ipe.yield %t
} requires {
  %items = rune.ipe.read "items" collection
  %any = rune.ipe.aggregate "any" %items element "item" {
  ^bb0(%e: !rune.value):
    %f = rune.ipe.bool false
    %or = rune.ipe.or %f, {
      %g = rune.ipe.get %e, "ok" display "item.ok"
      %ok = rune.ipe.truth %g label "item.ok" explain ""
      rune.ipe.yield %ok
    }
    rune.ipe.yield %or
  }
  %one = rune.ipe.literal true
  %c = rune.ipe.compare "eq" %any, %one label "any" explain ""
  rune.ipe.yield %c
}

// `literal != literal`.
// CHECK-LABEL: rune.ipe.policy "LiteralInequality"
// CHECK-NEXT:    %[[B:.*]] = rune.ipe.bool false
// CHECK-NEXT:    rune.ipe.yield %[[B]]
rune.ipe.policy "LiteralInequality" denies intent "l" triggers {
  %a = rune.ipe.literal "p"
  %b = rune.ipe.literal "p"
  %c = rune.ipe.compare "ne" %a, %b label "p != p" explain ""
  rune.ipe.yield %c
}

// An unused literal is erased.
// CHECK-LABEL: rune.ipe.policy "Dead"
// CHECK-NEXT:    %[[R:.*]] = rune.ipe.read "d"
// CHECK-NEXT:    %[[T:.*]] = rune.ipe.truth %[[R]]
// CHECK-NEXT:    rune.ipe.yield %[[T]]
rune.ipe.policy "Dead" denies intent "d" triggers {
  %unused = rune.ipe.literal 7 : i64
  %r = rune.ipe.read "d"
  %t = rune.ipe.truth %r label "d" explain ""
  rune.ipe.yield %t
}

// A constant deep in the trigger moves to the start of it.
// CHECK-LABEL: rune.ipe.policy "Hoisted"
// CHECK-NEXT:    %[[B:.*]] = rune.ipe.bool true
// CHECK-NEXT:    %[[R:.*]] = rune.ipe.read "h"
// CHECK-NEXT:    %[[T:.*]] = rune.ipe.truth %[[R]]
// CHECK-NEXT:    %[[A:.*]] = rune.ipe.and %[[T]], {
// CHECK-NEXT:      rune.ipe.yield %[[B]]
rune.ipe.policy "Hoisted" denies intent "h" triggers {
  %r = rune.ipe.read "h"
  %t = rune.ipe.truth %r label "h" explain ""
  %a = rune.ipe.and %t, {
    %b = rune.ipe.bool true
    rune.ipe.yield %b
  }
  rune.ipe.yield %a
}
