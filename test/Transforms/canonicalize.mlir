// Folding and canonicalization simplify policies without changing their
// decisions or the errors they report.
// RUN: rune-opt %s --canonicalize --split-input-file | FileCheck %s

// Constant arithmetic and comparisons fold: `1 + 2 < 4 && "a" == "a"`.
// CHECK-LABEL: rune.policy "arith" permit {
// CHECK-NEXT:    %[[T:.*]] = rune.constant true
// CHECK-NEXT:    rune.yield %[[T]]
rune.policy "arith" permit {
  %1 = rune.constant 1 : i64
  %2 = rune.constant 2 : i64
  %4 = rune.constant 4 : i64
  %sum = rune.add %1, %2
  %lt = rune.lt %sum, %4
  %a1 = rune.constant "a"
  %a2 = rune.constant "a"
  %eq = rune.eq %a1, %a2
  %and = rune.and %lt, {
    rune.yield %eq
  }
  rune.yield %and
}

// -----

// Overflow is an evaluation error at run time: it is not folded.
// CHECK-LABEL: rune.policy "overflow" permit {
// CHECK:         rune.add
rune.policy "overflow" permit {
  %max = rune.constant 9223372036854775807 : i64
  %1 = rune.constant 1 : i64
  %sum = rune.add %max, %1
  %lt = rune.lt %sum, %1
  rune.yield %lt
}

// -----

// `true && (principal == X)` is the comparison itself.
// CHECK-LABEL: rune.policy "and-true" permit {
// CHECK-NOT:     rune.and
// CHECK:         %[[EQ:.*]] = rune.eq
// CHECK-NEXT:    rune.yield %[[EQ]]
rune.policy "and-true" permit {
  %t = rune.constant true
  %and = rune.and %t, {
    %p = rune.var principal
    %u = rune.constant #rune.uid<"User", "alice">
    %eq = rune.eq %p, %u
    rune.yield %eq
  }
  rune.yield %and
}

// -----

// `true && principal.flag` keeps the `&&`: it errors unless the attribute
// is a boolean.
// CHECK-LABEL: rune.policy "and-true-nonbool" permit {
// CHECK:         rune.and
rune.policy "and-true-nonbool" permit {
  %t = rune.constant true
  %and = rune.and %t, {
    %p = rune.var principal
    %flag = rune.get_attr %p, "flag"
    rune.yield %flag
  }
  rune.yield %and
}

// -----

// A policy whose condition folds to false and cannot error is dropped.
// CHECK-NOT: rune.policy "never"
rune.policy "never" permit {
  %p = rune.var principal
  %f = rune.constant false
  %and = rune.and %f, {
    %attr = rune.get_attr %p, "x"
    rune.yield %attr
  }
  rune.yield %and
}

// -----

// ... but not when an operation before it can raise an error the user
// must see: `principal.x == 1 || true` still reads principal.x.
// CHECK-LABEL: rune.policy "keeps-error" permit {
// CHECK:         rune.get_attr
rune.policy "keeps-error" permit {
  %p = rune.var principal
  %x = rune.get_attr %p, "x"
  %f = rune.constant false
  rune.yield %f
}

// -----

// `!!(a == b)` is `a == b`; a value compared with itself is equal.
// CHECK-LABEL: rune.policy "not-not" permit {
// CHECK-NEXT:    %[[T:.*]] = rune.constant true
// CHECK-NEXT:    rune.yield %[[T]]
rune.policy "not-not" permit {
  %p = rune.var principal
  %eq = rune.eq %p, %p
  %n1 = rune.not %eq
  %n2 = rune.not %n1
  rune.yield %n2
}

// -----

// A constant `if` becomes the taken branch; `is` on a literal folds.
// CHECK-LABEL: rune.policy "if-const" permit {
// CHECK-NOT:     rune.if
// CHECK:         %[[C:.*]] = rune.constant true
// CHECK-NEXT:    rune.yield %[[C]]
rune.policy "if-const" permit {
  %u = rune.constant #rune.uid<"User", "alice">
  %is = rune.is_type %u, "User"
  %r = rune.if %is then {
    %t = rune.constant true
    rune.yield %t
  } else {
    %f = rune.constant false
    rune.yield %f
  }
  rune.yield %r
}
