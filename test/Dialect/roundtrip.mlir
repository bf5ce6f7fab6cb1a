// Every rune operation parses, verifies and prints back identically.
// RUN: rune-opt %s > %t.1.mlir
// RUN: rune-opt %t.1.mlir > %t.2.mlir
// RUN: diff %t.1.mlir %t.2.mlir
// RUN: FileCheck %s --input-file %t.1.mlir

// CHECK-LABEL: rune.policy "everything" permit annotations {id = "everything", note = ""} {
rune.policy "everything" permit annotations {id = "everything", note = ""} {
  // CHECK: %[[P:.*]] = rune.var principal
  %p = rune.var principal
  %a = rune.var action
  %r = rune.var resource
  %c = rune.var context
  // CHECK: rune.constant #rune.uid<"NS::User", "alice">
  %alice = rune.constant #rune.uid<"NS::User", "alice">
  // CHECK: rune.constant 42 : i64
  %n = rune.constant 42 : i64
  // CHECK: rune.constant "text"
  %s = rune.constant "text"
  %t = rune.constant true
  // CHECK: rune.get_attr %[[P]], "dept"
  %dept = rune.get_attr %p, "dept"
  %has = rune.has_attr %r, "dept"
  %tag = rune.get_tag %r, %s
  %hastag = rune.has_tag %r, %s
  %eq = rune.eq %p, %alice
  %ne = rune.ne %dept, %s
  %lt = rune.lt %n, %n
  %le = rune.le %n, %n
  %gt = rune.gt %n, %n
  %ge = rune.ge %n, %n
  %add = rune.add %n, %n
  %sub = rune.sub %n, %n
  %mul = rune.mul %n, %n
  %neg = rune.neg %n
  %not = rune.not %t
  %in = rune.in %p, %alice
  // CHECK: rune.set(%{{.*}}, %{{.*}})
  %set = rune.set(%alice, %p)
  %empty = rune.set()
  %contains = rune.contains %set, %p
  %all = rune.contains_all %set, %empty
  %any = rune.contains_any %set, %empty
  %isempty = rune.is_empty %empty
  // CHECK: rune.like %{{.*}}, "a*b\\*"
  %like = rune.like %s, "a*b\\*"
  // CHECK: rune.is_type %[[P]], "NS::User"
  %is = rune.is_type %p, "NS::User"
  // CHECK: rune.record ["a", "b"](%{{.*}}, %{{.*}})
  %rec = rune.record ["a", "b"](%n, %s)
  // CHECK: rune.ext_call "ip"(%{{.*}})
  %ip = rune.ext_call "ip"(%s)
  %range = rune.ext_call "isInRange"(%ip, %ip)
  // CHECK: rune.and %{{.*}}, {
  %and = rune.and %eq, {
    rune.yield %in
  }
  %or = rune.or %and, {
    rune.yield %lt
  }
  // CHECK: rune.if %{{.*}} then {
  // CHECK: } else {
  %if = rune.if %or then {
    rune.yield %t
  } else {
    rune.yield %not
  }
  rune.yield %if
}

// CHECK-LABEL: rune.policy "policy1" forbid {
rune.policy "policy1" forbid {
  %f = rune.constant false
  rune.yield %f
}
