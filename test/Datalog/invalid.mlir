// The verifiers of the relational operations reject malformed programs.
// RUN: rune-opt %s --split-input-file --verify-diagnostics

rune.dl.program {
  rune.dl.relation @r(a: number)
  rune.dl.query "q" {
    // expected-error @below {{has 2 results but relation @r has arity 1}}
    %0:2 = rune.dl.atom @r full : i64, i64
  }
}

// -----

rune.dl.program {
  rune.dl.relation @r(a: number)
  rune.dl.query "q" {
    // expected-error @below {{refers to the undeclared relation @s}}
    rune.dl.scan @s full {
    ^bb0(%a: i64):
    }
  }
}

// -----

rune.dl.program {
  rune.dl.relation @r(a: number)
  rune.dl.query "q" {
    // expected-error @below {{reads or writes the delta version of @r, which only exists inside a fixpoint over it}}
    rune.dl.scan @r delta {
    ^bb0(%a: i64):
    }
  }
}

// -----

rune.dl.program {
  rune.dl.relation @r(a: number, b: number) indexes [[1, 0]]
  rune.dl.query "q" {
    %k = rune.dl.const 1 : i64 number
    // expected-error @below {{columns are not a prefix of index 0}}
    rune.dl.lookup @r full [0] (%k) index 0 {
    ^bb0(%a: i64, %b: i64):
    }
  }
}

// -----

rune.dl.program {
  // expected-error @below {{index [0, 0] is not a permutation of 2 columns}}
  rune.dl.relation @r(a: number, b: number) indexes [[0, 0]]
}

// -----

rune.dl.program {
  rune.dl.relation @r(a: number)
  rune.dl.query "q" {
    %k = rune.dl.const 1 : i64 number
    // expected-error @below {{inserts 2 values into relation @r of arity 1}}
    rune.dl.insert @r full (%k, %k)
  }
}

// -----

rune.dl.program {
  rune.dl.relation @r(a: number)
  rune.dl.query "q" {
    %n = rune.dl.aggregate sum number {
      // expected-error @below {{a sum accumulates a value}}
      rune.dl.accumulate
    }
  }
}

// -----

rune.dl.program {
  rune.dl.relation @r(a: number)
  rune.dl.query "q" {
    // expected-error @below {{a symbol constant must be a string}}
    %k = rune.dl.const 1 : i64 symbol
  }
}

// -----

rune.dl.program {
  rune.dl.relation @r(a: symbol)
  rune.dl.query "q" {
    %k = rune.dl.const "x" symbol
    // expected-error @below {{'substr' takes 3 arguments, not 1}}
    %s = rune.dl.functor "substr" symbol(%k)
  }
}

// -----

rune.dl.program {
  rune.dl.query "q" {
  }
  // expected-error @below {{relations must be declared before the program's statements}}
  rune.dl.relation @r(a: number)
}

// -----

rune.dl.program {
  // expected-error @below {{an auxiliary relation is never input or output}}
  rune.dl.relation @r(a: number) output {IO = "stdout"} auxiliary
}
