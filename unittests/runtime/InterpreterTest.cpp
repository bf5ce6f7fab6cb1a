//===- InterpreterTest.cpp - Decisions from interpreted bytecode ----------===//

#include "TestSupport.h"

namespace rune::test {
namespace {

using bc::Effect;
using bc::ExtFn;
using bc::Var;

constexpr const char *kEntities = R"([
  {"uid": {"type": "User", "id": "alice"},
   "attrs": {"dept": "eng", "level": 5, "email": "alice@example.com"},
   "parents": [{"type": "Group", "id": "staff"}],
   "tags": {"clearance": "high"}},
  {"uid": {"type": "User", "id": "bob"}, "attrs": {"dept": "ops"}},
  {"uid": {"type": "Group", "id": "staff"}, "parents": []}
])";

class InterpreterTest : public ::testing::Test {
protected:
  InterpreterTest() : env(kEntities, R"({"ip": "10.1.2.3", "n": 7})") {}

  Response run(bc::ModuleWriter &w) {
    env.useModule(finishModule(w));
    return env.authorize();
  }

  /// principal.<attr> == <string constant>, as the compiler would emit it.
  void emitAttrEquals(bc::ModuleWriter &w, bc::PolicyCode &p, uint16_t dst,
                      std::string_view attr, std::string_view value) {
    p.emit(Opcode::LoadVar, {dst, static_cast<int64_t>(Var::Principal)});
    p.emit(Opcode::GetAttr, {dst, dst, w.internString(attr)});
    p.emit(Opcode::LoadConst, {dst + 1, w.constantString(value)});
    p.emit(Opcode::Eq, {dst, dst, dst + 1});
  }

  Environment env;
};

TEST_F(InterpreterTest, DefaultDeny) {
  bc::ModuleWriter w;
  Response r = run(w);
  EXPECT_EQ(r.decision, Decision::Deny);
  EXPECT_TRUE(r.reasons.empty());
  EXPECT_TRUE(r.errors.empty());

  bc::ModuleWriter w2;
  addConstantPolicy(w2, "p", Effect::Permit, false);
  r = run(w2);
  EXPECT_EQ(r.decision, Decision::Deny);
  EXPECT_TRUE(r.reasons.empty());
}

TEST_F(InterpreterTest, PermitAllowsAndForbidOverrides) {
  bc::ModuleWriter w;
  addConstantPolicy(w, "p1", Effect::Permit, true);
  addConstantPolicy(w, "p2", Effect::Permit, false);
  addConstantPolicy(w, "p3", Effect::Permit, true);
  Response r = run(w);
  EXPECT_EQ(r.decision, Decision::Allow);
  EXPECT_EQ(r.reasons, (std::vector<std::string>{"p1", "p3"}));

  bc::ModuleWriter w2;
  addConstantPolicy(w2, "p1", Effect::Permit, true);
  addConstantPolicy(w2, "f1", Effect::Forbid, true);
  addConstantPolicy(w2, "f2", Effect::Forbid, false);
  addConstantPolicy(w2, "f3", Effect::Forbid, true);
  r = run(w2);
  EXPECT_EQ(r.decision, Decision::Deny);
  EXPECT_EQ(r.reasons, (std::vector<std::string>{"f1", "f3"}));
}

TEST_F(InterpreterTest, ErrorsSkipThePolicyAndNeverAllow) {
  bc::ModuleWriter w;
  {
    // principal.missing == "x": errors.
    bc::PolicyCode &p = w.addPolicy("broken", Effect::Permit, {});
    emitAttrEquals(w, p, 0, "missing", "x");
    p.emit(Opcode::Return, {0});
  }
  Response r = run(w);
  EXPECT_EQ(r.decision, Decision::Deny);
  EXPECT_TRUE(r.reasons.empty());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].policyId, "broken");
  EXPECT_EQ(r.errors[0].message, "entity `User::\"alice\"` does not have an "
                                 "attribute named `missing`");

  // An erroring forbid does not deny; the satisfied permit allows.
  bc::ModuleWriter w2;
  {
    bc::PolicyCode &f = w2.addPolicy("bad-forbid", Effect::Forbid, {});
    f.emit(Opcode::LoadConst, {0, w2.constantLong(1)});
    f.emit(Opcode::Return, {0}); // not a bool
  }
  addConstantPolicy(w2, "ok", Effect::Permit, true);
  r = run(w2);
  EXPECT_EQ(r.decision, Decision::Allow);
  EXPECT_EQ(r.reasons, (std::vector<std::string>{"ok"}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].policyId, "bad-forbid");
  EXPECT_EQ(r.errors[0].message, "type error: expected bool, got long");
}

TEST_F(InterpreterTest, ShortCircuitAndJumpToEnd) {
  bc::ModuleWriter w;
  {
    // principal.dept == "eng" && principal in Group::"staff"
    bc::PolicyCode &p = w.addPolicy("and", Effect::Permit, {});
    bc::Label done = p.createLabel();
    emitAttrEquals(w, p, 0, "dept", "eng");
    p.emit(Opcode::JumpIfFalse, {0, done.id});
    p.emit(Opcode::LoadVar, {1, static_cast<int64_t>(Var::Principal)});
    p.emit(Opcode::LoadConst, {2, w.constantEntity("Group", "staff")});
    p.emit(Opcode::In, {0, 1, 2});
    p.bindLabel(done);
    p.emit(Opcode::Return, {0});
  }
  {
    // false && <error>: the error is never reached.
    bc::PolicyCode &p = w.addPolicy("short", Effect::Permit, {});
    bc::Label done = p.createLabel();
    p.emit(Opcode::LoadConst, {0, w.constantBool(false)});
    p.emit(Opcode::JumpIfFalse, {0, done.id});
    p.emit(Opcode::LoadConst, {0, w.constantLong(1)});
    p.emit(Opcode::Neg, {0, 0});
    p.bindLabel(done);
    p.emit(Opcode::Return, {0});
  }
  {
    // true || ...: jump_if_true to a `return true`.
    bc::PolicyCode &p = w.addPolicy("or", Effect::Permit, {});
    bc::Label yes = p.createLabel();
    p.emit(Opcode::LoadConst, {0, w.constantBool(true)});
    p.emit(Opcode::JumpIfTrue, {0, yes.id});
    p.emit(Opcode::LoadConst, {0, w.constantBool(false)});
    p.bindLabel(yes);
    p.emit(Opcode::Return, {0});
  }
  {
    // Jumping to the end of the code: not satisfied, no error.
    bc::PolicyCode &p = w.addPolicy("to-end", Effect::Permit, {});
    bc::Label end = p.createLabel();
    p.emit(Opcode::LoadConst, {0, w.constantBool(true)});
    p.emit(Opcode::JumpIfTrue, {0, end.id});
    p.emit(Opcode::Jump, {end.id});
    p.bindLabel(end);
  }
  {
    // jump_if_false on a non-bool is an error.
    bc::PolicyCode &p = w.addPolicy("non-bool", Effect::Permit, {});
    bc::Label end = p.createLabel();
    p.emit(Opcode::LoadConst, {0, w.constantString("x")});
    p.emit(Opcode::JumpIfFalse, {0, end.id});
    p.bindLabel(end);
    p.emit(Opcode::Return, {0});
  }
  Response r = run(w);
  EXPECT_EQ(r.decision, Decision::Allow);
  EXPECT_EQ(r.reasons, (std::vector<std::string>{"and", "or"}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].policyId, "non-bool");
  EXPECT_EQ(r.errors[0].message, "type error: expected bool, got string");
}

TEST_F(InterpreterTest, AssertBool) {
  bc::ModuleWriter w;
  {
    bc::PolicyCode &p = w.addPolicy("p", Effect::Permit, {});
    p.emit(Opcode::LoadVar, {0, static_cast<int64_t>(Var::Context)});
    p.emit(Opcode::AssertBool, {0});
    p.emit(Opcode::Return, {0});
  }
  Response r = run(w);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "type error: expected bool, got record");
}

TEST_F(InterpreterTest, RegistersStartAsFalse) {
  bc::ModuleWriter w;
  bc::PolicyCode &p = w.addPolicy("p", Effect::Permit, {});
  p.setRegisterCount(8);
  p.emit(Opcode::Return, {7}); // never written
  Response r = run(w);
  EXPECT_EQ(r.decision, Decision::Deny);
  EXPECT_TRUE(r.errors.empty());
}

TEST_F(InterpreterTest, RichExpressions) {
  bc::ModuleWriter w;
  {
    // principal.email like "*@example.com"
    bc::PolicyCode &p = w.addPolicy("like", Effect::Permit, {});
    p.emit(Opcode::LoadVar, {0, static_cast<int64_t>(Var::Principal)});
    p.emit(Opcode::GetAttr, {0, 0, w.internString("email")});
    p.emit(Opcode::Like,
           {0, 0, w.constantPattern({{true, ""}, {false, "@example.com"}})});
    p.emit(Opcode::Return, {0});
  }
  {
    // ip(context.ip).isInRange(ip("10.0.0.0/8"))
    bc::PolicyCode &p = w.addPolicy("ip", Effect::Permit, {});
    p.emit(Opcode::LoadVar, {0, static_cast<int64_t>(Var::Context)});
    p.emit(Opcode::GetAttr, {0, 0, w.internString("ip")});
    p.emit(Opcode::CallExt, {0, static_cast<int64_t>(ExtFn::Ip), 0, 1});
    p.emit(Opcode::LoadConst, {1, w.constantString("10.0.0.0/8")});
    p.emit(Opcode::CallExt, {1, static_cast<int64_t>(ExtFn::Ip), 1, 1});
    p.emit(Opcode::CallExt, {0, static_cast<int64_t>(ExtFn::IsInRange), 0, 2});
    p.emit(Opcode::Return, {0});
  }
  {
    // [context.n, 7, 7].contains(7) && {a: 1, b: "x"}.b == "x"
    //   && principal is User && principal has dept
    //   && principal.hasTag("clearance") && -(context.n) * 2 + 20 == 6
    bc::PolicyCode &p = w.addPolicy("mix", Effect::Permit, {});
    bc::Label no = p.createLabel();
    p.emit(Opcode::LoadVar, {0, static_cast<int64_t>(Var::Context)});
    p.emit(Opcode::GetAttr, {1, 0, w.internString("n")});
    p.emit(Opcode::LoadConst, {2, w.constantLong(7)});
    p.emit(Opcode::Move, {3, 2});
    p.emit(Opcode::MakeSet, {4, 1, 3});
    p.emit(Opcode::Contains, {4, 4, 2});
    p.emit(Opcode::JumpIfFalse, {4, no.id});
    p.emit(Opcode::LoadConst, {5, w.constantLong(1)});
    p.emit(Opcode::LoadConst, {6, w.constantString("x")});
    p.emit(Opcode::MakeRecord, {7, w.constantNameList({"a", "b"}), 5, 2});
    p.emit(Opcode::GetAttr, {7, 7, w.internString("b")});
    p.emit(Opcode::Eq, {7, 7, 6});
    p.emit(Opcode::JumpIfFalse, {7, no.id});
    p.emit(Opcode::LoadVar, {8, static_cast<int64_t>(Var::Principal)});
    p.emit(Opcode::IsType, {9, 8, w.internString("User")});
    p.emit(Opcode::JumpIfFalse, {9, no.id});
    p.emit(Opcode::HasAttr, {9, 8, w.internString("dept")});
    p.emit(Opcode::JumpIfFalse, {9, no.id});
    p.emit(Opcode::LoadConst, {10, w.constantString("clearance")});
    p.emit(Opcode::HasTag, {9, 8, 10});
    p.emit(Opcode::JumpIfFalse, {9, no.id});
    p.emit(Opcode::Neg, {11, 1});
    p.emit(Opcode::LoadConst, {12, w.constantLong(2)});
    p.emit(Opcode::Mul, {11, 11, 12});
    p.emit(Opcode::LoadConst, {12, w.constantLong(20)});
    p.emit(Opcode::Add, {11, 11, 12});
    p.emit(Opcode::LoadConst, {12, w.constantLong(6)});
    p.emit(Opcode::Eq, {9, 11, 12});
    p.emit(Opcode::Return, {9});
    p.bindLabel(no);
    p.emit(Opcode::LoadConst, {9, w.constantBool(false)});
    p.emit(Opcode::Return, {9});
  }
  {
    // principal.getTag("clearance") == "high" && resource.isEmpty() errors
    bc::PolicyCode &p = w.addPolicy("tag-then-error", Effect::Forbid, {});
    p.emit(Opcode::LoadVar, {0, static_cast<int64_t>(Var::Principal)});
    p.emit(Opcode::LoadConst, {1, w.constantString("clearance")});
    p.emit(Opcode::GetTag, {0, 0, 1});
    p.emit(Opcode::LoadVar, {1, static_cast<int64_t>(Var::Resource)});
    p.emit(Opcode::IsEmpty, {1, 1});
    p.emit(Opcode::Return, {1});
  }
  Response r = run(w);
  EXPECT_EQ(r.decision, Decision::Allow);
  EXPECT_EQ(r.reasons, (std::vector<std::string>{"like", "ip", "mix"}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message,
            "type error: expected set, got (entity of type `Photo`)");
}

TEST_F(InterpreterTest, ManyCallsReuseScratchMemory) {
  bc::ModuleWriter w;
  bc::PolicyCode &p = w.addPolicy("p", Effect::Permit, {});
  p.emit(Opcode::LoadConst, {0, w.constantLong(1)});
  p.emit(Opcode::LoadConst, {1, w.constantLong(2)});
  p.emit(Opcode::MakeSet, {2, 0, 2});
  p.emit(Opcode::Contains, {2, 2, 1});
  p.emit(Opcode::Return, {2});
  env.useModule(finishModule(w));
  for (int i = 0; i < 1000; ++i) {
    Response r = env.authorize();
    ASSERT_EQ(r.decision, Decision::Allow);
    ASSERT_EQ(env.scratch.arena.bytesUsed(), 0u);
  }
}

TEST_F(InterpreterTest, EnginesMustMatch) {
  Environment other;
  bc::ModuleWriter w;
  env.useModule(finishModule(w));
  Response response;
  std::string error;
  EXPECT_FALSE(rune::authorize(*env.module, *other.store, *env.request,
                               env.scratch, response, error));
  EXPECT_EQ(error, "the module, the entities and the request were created "
                   "by different engines");
}

} // namespace
} // namespace rune::test
