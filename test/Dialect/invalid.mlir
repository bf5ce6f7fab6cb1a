// The verifiers reject malformed rune operations with located errors.
// RUN: rune-opt %s --split-input-file --verify-diagnostics

rune.policy "p" permit {
  %a = rune.constant 1 : i64
  // expected-error @below {{duplicate key 'x'}}
  %r = rune.record ["x", "x"](%a, %a)
  rune.yield %r
}

// -----

rune.policy "p" permit {
  %a = rune.constant "1.0"
  // expected-error @below {{unknown extension function 'decimals'}}
  %d = rune.ext_call "decimals"(%a)
  rune.yield %d
}

// -----

rune.policy "p" permit {
  %a = rune.constant "1.0"
  // expected-error @below {{'lessThan' takes 2 argument(s), got 1}}
  %d = rune.ext_call "lessThan"(%a)
  rune.yield %d
}

// -----

rune.policy "p" permit {
  // expected-error @below {{value must be a bool, an i64, a string or an entity uid}}
  %a = rune.constant 1.5 : f32
  rune.yield %a
}

// -----

rune.policy "p" permit {
  %a = rune.constant 1 : i64
  // expected-error @below {{has 1 keys but 2 values}}
  %r = rune.record ["x"](%a, %a)
  rune.yield %r
}

// -----

// expected-error @below {{policy id must not be empty}}
rune.policy "" permit {
  %a = rune.constant true
  rune.yield %a
}

// -----

// expected-error @below {{annotation 'id' must be a string}}
rune.policy "p" permit annotations {id = 3 : i64} {
  %a = rune.constant true
  rune.yield %a
}
