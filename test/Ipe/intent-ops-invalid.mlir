// The verifiers of the rune.ipe.* operations.
// RUN: rune-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{a 'denies' policy has no requirement region}}
rune.ipe.policy "A" denies intent "a" triggers {
  %0 = rune.ipe.bool true
  rune.ipe.yield %0
} requires {
  %0 = rune.ipe.bool true
  rune.ipe.yield %0
}

// -----

// expected-error @+1 {{only a 'denies' policy has a reason}}
rune.ipe.policy "A" intent "a" reason "r" triggers {
  %0 = rune.ipe.bool true
  rune.ipe.yield %0
} requires {
  %0 = rune.ipe.bool true
  rune.ipe.yield %0
}

// -----

rune.ipe.policy "A" denies intent "a" triggers {
  // expected-error @+1 {{'principal' and 'requester' must be rewritten to 'request.principal'}}
  %0 = rune.ipe.read "requester.id"
  %1 = rune.ipe.truth %0 label "x" explain "y"
  rune.ipe.yield %1
}

// -----

rune.ipe.policy "A" denies intent "a" triggers {
  %0 = rune.ipe.read "x"
  %1 = rune.ipe.literal 1 : i64
  // expected-error @+1 {{unknown comparison 'like'}}
  %2 = rune.ipe.compare "like" %0, %1 label "x" explain "y"
  rune.ipe.yield %2
}

// -----

rune.ipe.policy "A" denies intent "a" triggers {
  %0 = rune.ipe.read "x"
  // expected-error @+1 {{list members are string, i64, f64 or boolean literals}}
  %1 = rune.ipe.in %0 [[1]] label "x" explain "y"
  rune.ipe.yield %1
}

// -----

rune.ipe.policy "A" denies intent "a" triggers {
  %0 = rune.ipe.read "x" collection
  // expected-error @+1 {{unknown aggregate 'sum'}}
  %1 = rune.ipe.aggregate "sum" %0 element "item" {
  }
  %2 = rune.ipe.truth %1 label "x" explain "y"
  rune.ipe.yield %2
}

// -----

// expected-error @+1 {{needs one posting list per key}}
rune.ipe.index_group ["x"] keys [["a"], ["b"]] postings [["A"]] policies []

// -----

// expected-error @+1 {{keys are tuples with one literal per path}}
rune.ipe.index_group ["x", "y"] keys [["a"]] postings [["A"]] policies []
