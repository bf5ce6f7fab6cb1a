//===- ParserTest.cpp - Tests of the Cedar parser and AST builder ---------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "CedarTestUtils.h"

#include <limits>

using namespace rune;
using namespace rune::cedar;
using namespace rune::cedar::test;
using llvm::cast;
using llvm::dyn_cast;
using llvm::isa;

namespace {

using ParserTest = CedarTest;

//===----------------------------------------------------------------------===//
// Policies, annotations and scopes
//===----------------------------------------------------------------------===//

TEST_F(ParserTest, EmptyInputIsAnEmptyPolicySet) {
  ASSERT_TRUE(parse(""));
  EXPECT_TRUE(policySet->policies.empty());
  ASSERT_TRUE(parse("// only a comment\n\n   // and another"));
  EXPECT_TRUE(policySet->policies.empty());
  EXPECT_EQ(diags.errorCount(), 0u);
}

TEST_F(ParserTest, MinimalPolicy) {
  ASSERT_TRUE(parse("permit(principal, action, resource);"));
  ASSERT_EQ(policySet->policies.size(), 1u);
  const Policy &p = policy();
  EXPECT_EQ(p.effect, Effect::Permit);
  EXPECT_EQ(p.id, "policy0");
  EXPECT_TRUE(p.annotations.empty());
  EXPECT_TRUE(p.conditions.empty());
  EXPECT_EQ(p.principal.var, Var::Principal);
  EXPECT_EQ(p.principal.kind, ScopeConstraint::Kind::Any);
  EXPECT_EQ(p.action.var, Var::Action);
  EXPECT_EQ(p.action.kind, ScopeConstraint::Kind::Any);
  EXPECT_EQ(p.resource.var, Var::Resource);
  EXPECT_EQ(p.resource.kind, ScopeConstraint::Kind::Any);
  EXPECT_FALSE(p.isTemplate());
}

TEST_F(ParserTest, PolicyIdsComeFromPositionOrAnnotation) {
  ASSERT_TRUE(parse(R"(
    forbid(principal, action, resource);
    @id("second") permit(principal, action, resource);
    permit(principal, action, resource);
  )"));
  ASSERT_EQ(policySet->policies.size(), 3u);
  EXPECT_EQ(policy(0).effect, Effect::Forbid);
  EXPECT_EQ(policy(0).id, "policy0");
  EXPECT_EQ(policy(1).id, "second");
  EXPECT_EQ(policy(2).id, "policy2");
}

TEST_F(ParserTest, Annotations) {
  ASSERT_TRUE(parse(R"(@id("a") @doc("line\none") @flag @if("kw")
permit(principal, action, resource);)"));
  const std::vector<Annotation> &annotations = policy().annotations;
  ASSERT_EQ(annotations.size(), 4u);
  EXPECT_EQ(annotations[0].key, "id");
  EXPECT_EQ(annotations[0].value, "a");
  EXPECT_EQ(annotations[1].key, "doc");
  EXPECT_EQ(annotations[1].value, "line\none");
  EXPECT_EQ(annotations[2].key, "flag");
  EXPECT_FALSE(annotations[2].value.has_value());
  // Annotation keys may be reserved words.
  EXPECT_EQ(annotations[3].key, "if");
  EXPECT_EQ(policy().findAnnotation("doc"), &annotations[1]);
  EXPECT_EQ(policy().findAnnotation("missing"), nullptr);
}

TEST_F(ParserTest, PrincipalAndResourceScopes) {
  ASSERT_TRUE(parse(R"(
    permit(principal == User::"alice", action, resource in Folder::"f");
    permit(principal is User, action, resource is NS::Photo in Album::"a");
    permit(principal in ?principal, action, resource == ?resource);
    permit(principal is User in ?principal, action, resource,);
  )"));
  const Policy &p0 = policy(0);
  EXPECT_EQ(p0.principal.kind, ScopeConstraint::Kind::Eq);
  ASSERT_NE(p0.principal.getEntity(), nullptr);
  EXPECT_EQ(p0.principal.getEntity()->getType().str(), "User");
  EXPECT_EQ(p0.principal.getEntity()->getId(), "alice");
  EXPECT_EQ(p0.resource.kind, ScopeConstraint::Kind::In);
  EXPECT_EQ(p0.resource.getEntity()->getType().str(), "Folder");

  const Policy &p1 = policy(1);
  EXPECT_EQ(p1.principal.kind, ScopeConstraint::Kind::Is);
  EXPECT_EQ(p1.principal.entityType->str(), "User");
  EXPECT_EQ(p1.principal.operand, nullptr);
  EXPECT_EQ(p1.resource.kind, ScopeConstraint::Kind::IsIn);
  EXPECT_EQ(p1.resource.entityType->components,
            (std::vector<std::string>{"NS", "Photo"}));
  EXPECT_EQ(p1.resource.getEntity()->getId(), "a");

  const Policy &p2 = policy(2);
  EXPECT_EQ(p2.principal.kind, ScopeConstraint::Kind::In);
  ASSERT_NE(p2.principal.getSlot(), nullptr);
  EXPECT_EQ(p2.principal.getSlot()->getSlot(), SlotKind::Principal);
  EXPECT_EQ(p2.resource.getSlot()->getSlot(), SlotKind::Resource);
  EXPECT_TRUE(p2.isTemplate());

  // A trailing comma after the scope is accepted, as in Cedar.
  const Policy &p3 = policy(3);
  EXPECT_EQ(p3.principal.kind, ScopeConstraint::Kind::IsIn);
  EXPECT_EQ(p3.principal.getSlot()->getSlot(), SlotKind::Principal);
}

TEST_F(ParserTest, ActionScopes) {
  ASSERT_TRUE(parse(R"(
    permit(principal, action == Action::"view", resource);
    permit(principal, action in Action::"readOnly", resource);
    permit(principal, action in [Action::"a", NS::Action::"b",], resource);
    permit(principal, action in [], resource);
  )"));
  EXPECT_EQ(policy(0).action.kind, ScopeConstraint::Kind::Eq);
  EXPECT_EQ(policy(0).action.getEntity()->getId(), "view");
  EXPECT_EQ(policy(1).action.kind, ScopeConstraint::Kind::In);
  EXPECT_EQ(policy(2).action.kind, ScopeConstraint::Kind::InList);
  std::vector<const EntityUidExpr *> actions = policy(2).action.getEntityList();
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0]->getId(), "a");
  EXPECT_EQ(actions[1]->getType().str(), "NS::Action");
  EXPECT_EQ(policy(3).action.kind, ScopeConstraint::Kind::InList);
  EXPECT_TRUE(policy(3).action.getEntityList().empty());
}

TEST_F(ParserTest, Conditions) {
  ASSERT_TRUE(parse(R"(permit(principal, action, resource)
    when { true } unless { false } when { 1 == 1 };)"));
  const std::vector<Condition> &conditions = policy().conditions;
  ASSERT_EQ(conditions.size(), 3u);
  EXPECT_EQ(conditions[0].kind, Condition::Kind::When);
  EXPECT_EQ(conditions[1].kind, Condition::Kind::Unless);
  EXPECT_EQ(conditions[2].kind, Condition::Kind::When);
  EXPECT_TRUE(isa<BoolLiteralExpr>(*conditions[1].body));
  EXPECT_TRUE(isa<BinaryExpr>(*conditions[2].body));
}

//===----------------------------------------------------------------------===//
// Literals and primaries
//===----------------------------------------------------------------------===//

TEST_F(ParserTest, BoolAndIntegerLiterals) {
  const Expr *e = parseExpr("true");
  ASSERT_TRUE(e);
  EXPECT_TRUE(cast<BoolLiteralExpr>(e)->getValue());
  e = parseExpr("false");
  EXPECT_FALSE(cast<BoolLiteralExpr>(e)->getValue());
  e = parseExpr("9223372036854775807");
  EXPECT_EQ(cast<LongLiteralExpr>(e)->getValue(),
            std::numeric_limits<int64_t>::max());
  e = parseExpr("0");
  EXPECT_EQ(cast<LongLiteralExpr>(e)->getValue(), 0);
}

TEST_F(ParserTest, MinusFoldsIntoIntegerLiterals) {
  const Expr *e = parseExpr("-9223372036854775808");
  ASSERT_TRUE(e);
  EXPECT_EQ(cast<LongLiteralExpr>(e)->getValue(),
            std::numeric_limits<int64_t>::min());
  e = parseExpr("- 5");
  EXPECT_EQ(cast<LongLiteralExpr>(e)->getValue(), -5);
  // Only the innermost minus is folded.
  e = parseExpr("--5");
  ASSERT_TRUE(isa<NegExpr>(e));
  EXPECT_EQ(cast<LongLiteralExpr>(cast<NegExpr>(e)->getOperand()).getValue(),
            -5);
  // Parentheses make it a negation of a positive literal.
  e = parseExpr("-(5)");
  ASSERT_TRUE(isa<NegExpr>(e));
  EXPECT_EQ(cast<LongLiteralExpr>(cast<NegExpr>(e)->getOperand()).getValue(),
            5);
  // A literal with a member access is not a bare literal.
  e = parseExpr("-5.foo");
  ASSERT_TRUE(isa<NegExpr>(e));
  EXPECT_TRUE(isa<GetAttrExpr>(cast<NegExpr>(e)->getOperand()));
  e = parseExpr("1 - -1");
  const auto *sub = cast<BinaryExpr>(e);
  EXPECT_EQ(sub->getOp(), BinaryExpr::Op::Sub);
  EXPECT_EQ(cast<LongLiteralExpr>(sub->getRHS()).getValue(), -1);
}

TEST_F(ParserTest, StringEscapes) {
  const Expr *e =
      parseExpr(R"("a\n\r\t\\\"\'\0\x41\u{48}\u{1F600}\u{10_FFFF}")");
  ASSERT_TRUE(e) << diagnostics();
  EXPECT_EQ(
      cast<StringLiteralExpr>(e)->getValue(),
      llvm::StringRef("a\n\r\t\\\"'\0AH\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF", 18));
  // Non-ASCII text passes through unchanged.
  e = parseExpr("\"h\xC3\xA9llo \xE2\x9C\x93\"");
  EXPECT_EQ(cast<StringLiteralExpr>(e)->getValue(),
            "h\xC3\xA9llo \xE2\x9C\x93");
  // Backslash-newline continues the string without the indentation.
  e = parseExpr("\"ab\\\n     cd\"");
  EXPECT_EQ(cast<StringLiteralExpr>(e)->getValue(), "abcd");
}

TEST_F(ParserTest, EntityLiterals) {
  const Expr *e = parseExpr(R"(A::B::C::"id \"quoted\"")");
  ASSERT_TRUE(e);
  const auto *uid = cast<EntityUidExpr>(e);
  EXPECT_EQ(uid->getType().components,
            (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(uid->getType().getBaseName(), "C");
  EXPECT_TRUE(uid->getType().isQualified());
  EXPECT_EQ(uid->getId(), "id \"quoted\"");
  // Keywords that are not reserved may be used in names.
  e = parseExpr(R"(principal::action::"x")");
  ASSERT_TRUE(e);
  EXPECT_EQ(cast<EntityUidExpr>(e)->getType().str(), "principal::action");
}

TEST_F(ParserTest, Variables) {
  const char *names[] = {"principal", "action", "resource", "context"};
  Var vars[] = {Var::Principal, Var::Action, Var::Resource, Var::Context};
  for (int i = 0; i < 4; ++i) {
    const Expr *e = parseExpr(names[i]);
    ASSERT_TRUE(e);
    EXPECT_EQ(cast<VarExpr>(e)->getVar(), vars[i]);
    EXPECT_EQ(toString(vars[i]), names[i]);
  }
}

TEST_F(ParserTest, SetsAndRecords) {
  const Expr *e = parseExpr(R"([1, "two", [true], {},])");
  ASSERT_TRUE(e);
  const auto *set = cast<SetExpr>(e);
  ASSERT_EQ(set->getElements().size(), 4u);
  EXPECT_TRUE(isa<SetExpr>(*set->getElements()[2]));
  EXPECT_TRUE(isa<RecordExpr>(*set->getElements()[3]));
  EXPECT_TRUE(cast<SetExpr>(parseExpr("[]"))->getElements().empty());

  e = parseExpr(R"({b: 1, "a key": [2], principal: context, })");
  ASSERT_TRUE(e);
  const std::vector<RecordEntry> &entries = cast<RecordExpr>(e)->getEntries();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].key, "b");
  EXPECT_EQ(entries[1].key, "a key");
  EXPECT_EQ(entries[2].key, "principal");
  EXPECT_TRUE(isa<VarExpr>(*entries[2].value));
}

TEST_F(ParserTest, AttributeAccess) {
  const Expr *e = parseExpr(R"(principal.manager["full name"].first)");
  ASSERT_TRUE(e);
  const auto *outer = cast<GetAttrExpr>(e);
  EXPECT_EQ(outer->getAttr(), "first");
  EXPECT_FALSE(outer->usesIndexSyntax());
  const auto *middle = cast<GetAttrExpr>(&outer->getObject());
  EXPECT_EQ(middle->getAttr(), "full name");
  EXPECT_TRUE(middle->usesIndexSyntax());
  const auto *inner = cast<GetAttrExpr>(&middle->getObject());
  EXPECT_EQ(inner->getAttr(), "manager");
  EXPECT_TRUE(isa<VarExpr>(inner->getObject()));
}

TEST_F(ParserTest, MethodCalls) {
  const Expr *e = parseExpr("[1, 2].containsAll([1]).isEmpty()");
  ASSERT_TRUE(e);
  const auto *isEmpty = cast<MethodCallExpr>(e);
  EXPECT_EQ(isEmpty->getName(), "isEmpty");
  EXPECT_TRUE(isEmpty->getArgs().empty());
  const auto *containsAll = cast<MethodCallExpr>(&isEmpty->getReceiver());
  EXPECT_EQ(containsAll->getName(), "containsAll");
  ASSERT_EQ(containsAll->getArgs().size(), 1u);
  EXPECT_TRUE(isa<SetExpr>(containsAll->getReceiver()));

  e = parseExpr(R"(context.ip.isInRange(ip("10.0.0.0/8")))");
  ASSERT_TRUE(e);
  const auto *isInRange = cast<MethodCallExpr>(e);
  EXPECT_EQ(isInRange->getName(), "isInRange");
  EXPECT_TRUE(isa<FunctionCallExpr>(*isInRange->getArgs()[0]));
}

TEST_F(ParserTest, FunctionCalls) {
  const Expr *e = parseExpr(R"(decimal("1.25"))");
  ASSERT_TRUE(e);
  const auto *call = cast<FunctionCallExpr>(e);
  EXPECT_EQ(call->getName().str(), "decimal");
  EXPECT_FALSE(call->getName().isQualified());
  ASSERT_EQ(call->getArgs().size(), 1u);
  EXPECT_EQ(cast<StringLiteralExpr>(*call->getArgs()[0]).getValue(), "1.25");

  e = parseExpr("ext::lib::fn(1, 2,)");
  ASSERT_TRUE(e);
  call = cast<FunctionCallExpr>(e);
  EXPECT_EQ(call->getName().components,
            (std::vector<std::string>{"ext", "lib", "fn"}));
  EXPECT_EQ(call->getArgs().size(), 2u);
  EXPECT_TRUE(cast<FunctionCallExpr>(parseExpr("f()"))->getArgs().empty());
}

TEST_F(ParserTest, Slots) {
  ASSERT_TRUE(parse("permit(principal == ?principal, action, resource);"));
  EXPECT_EQ(policy().principal.getSlot()->getSlot(), SlotKind::Principal);
  EXPECT_EQ(toString(SlotKind::Resource), "?resource");
}

//===----------------------------------------------------------------------===//
// Relations and operators
//===----------------------------------------------------------------------===//

TEST_F(ParserTest, HasWithIdentifierStringAndPath) {
  const auto *has = cast<HasExpr>(parseExpr("principal has name"));
  EXPECT_EQ(has->getAttrs(), std::vector<std::string>{"name"});
  has = cast<HasExpr>(parseExpr(R"(principal has "full name")"));
  EXPECT_EQ(has->getAttrs(), std::vector<std::string>{"full name"});
  has = cast<HasExpr>(parseExpr("context has a.b.principal"));
  EXPECT_EQ(has->getAttrs(), (std::vector<std::string>{"a", "b", "principal"}));
  EXPECT_TRUE(isa<VarExpr>(has->getObject()));
}

TEST_F(ParserTest, LikePatterns) {
  const auto *like =
      cast<LikeExpr>(parseExpr(R"(resource.name like "a*b\*c")"));
  const std::vector<PatternElement> &pattern = like->getPattern();
  ASSERT_EQ(pattern.size(), 3u);
  EXPECT_EQ(pattern[0], PatternElement::literal("a"));
  EXPECT_TRUE(pattern[1].isWildcard());
  EXPECT_EQ(pattern[2], PatternElement::literal("b*c"));

  like = cast<LikeExpr>(parseExpr(R"("x" like "**")"));
  EXPECT_EQ(like->getPattern().size(), 2u);
  like = cast<LikeExpr>(parseExpr(R"("x" like "")"));
  EXPECT_TRUE(like->getPattern().empty());
  like = cast<LikeExpr>(parseExpr(R"("x" like "\u{2A}\n")"));
  // Cedar decodes escapes before finding wildcards: only \* is a literal
  // star.
  ASSERT_EQ(like->getPattern().size(), 2u);
  EXPECT_TRUE(like->getPattern()[0].isWildcard());
  EXPECT_EQ(like->getPattern()[1], PatternElement::literal("\n"));
}

TEST_F(ParserTest, IsExpressions) {
  const auto *is = cast<IsExpr>(parseExpr("resource is Photo"));
  EXPECT_EQ(is->getType().str(), "Photo");
  EXPECT_EQ(is->getInExpr(), nullptr);
  is = cast<IsExpr>(parseExpr(R"(resource is NS::Photo in Album::"a")"));
  EXPECT_EQ(is->getType().str(), "NS::Photo");
  ASSERT_NE(is->getInExpr(), nullptr);
  EXPECT_TRUE(isa<EntityUidExpr>(*is->getInExpr()));
}

TEST_F(ParserTest, IfThenElse) {
  const auto *ifExpr = cast<IfExpr>(
      parseExpr("if context.a then 1 else if false then 2 else 3"));
  EXPECT_TRUE(isa<GetAttrExpr>(ifExpr->getCond()));
  EXPECT_TRUE(isa<LongLiteralExpr>(ifExpr->getThen()));
  EXPECT_TRUE(isa<IfExpr>(ifExpr->getElse()));
}

TEST_F(ParserTest, BinaryOperators) {
  struct Case {
    const char *source;
    BinaryExpr::Op op;
  } cases[] = {
      {"1 == 2", BinaryExpr::Op::Eq}, {"1 != 2", BinaryExpr::Op::Ne},
      {"1 < 2", BinaryExpr::Op::Lt},  {"1 <= 2", BinaryExpr::Op::Le},
      {"1 > 2", BinaryExpr::Op::Gt},  {"1 >= 2", BinaryExpr::Op::Ge},
      {"1 + 2", BinaryExpr::Op::Add}, {"1 - 2", BinaryExpr::Op::Sub},
      {"1 * 2", BinaryExpr::Op::Mul}, {"principal in 2", BinaryExpr::Op::In},
  };
  for (const Case &c : cases) {
    const Expr *e = parseExpr(c.source);
    ASSERT_TRUE(e) << c.source;
    EXPECT_EQ(cast<BinaryExpr>(e)->getOp(), c.op) << c.source;
  }
  EXPECT_EQ(BinaryExpr::getSpelling(BinaryExpr::Op::Le), "<=");
  EXPECT_EQ(BinaryExpr::getSpelling(BinaryExpr::Op::In), "in");
}

/// Precedence and associativity, checked through the printer which
/// parenthesises every nested operation here.
TEST_F(ParserTest, Precedence) {
  auto shape = [&](llvm::StringRef source) -> std::string {
    const Expr *e = parseExpr(source);
    if (!e)
      return "<error>";
    // Render the tree with explicit grouping.
    std::function<std::string(const Expr &)> render =
        [&](const Expr &expr) -> std::string {
      if (const auto *b = dyn_cast<BinaryExpr>(&expr))
        return "(" + render(b->getLHS()) + " " +
               BinaryExpr::getSpelling(b->getOp()).str() + " " +
               render(b->getRHS()) + ")";
      if (const auto *a = dyn_cast<AndExpr>(&expr))
        return "(" + render(a->getLHS()) + " && " + render(a->getRHS()) + ")";
      if (const auto *o = dyn_cast<OrExpr>(&expr))
        return "(" + render(o->getLHS()) + " || " + render(o->getRHS()) + ")";
      if (const auto *n = dyn_cast<NotExpr>(&expr))
        return "!" + render(n->getOperand());
      if (const auto *n = dyn_cast<NegExpr>(&expr))
        return "-" + render(n->getOperand());
      if (const auto *h = dyn_cast<HasExpr>(&expr))
        return "(" + render(h->getObject()) + " has " + h->getAttrs()[0] + ")";
      if (const auto *i = dyn_cast<IfExpr>(&expr))
        return "(if " + render(i->getCond()) + " then " + render(i->getThen()) +
               " else " + render(i->getElse()) + ")";
      return toSource(expr);
    };
    return render(*e);
  };
  EXPECT_EQ(shape("1 + 2 * 3"), "(1 + (2 * 3))");
  EXPECT_EQ(shape("1 * 2 + 3"), "((1 * 2) + 3)");
  EXPECT_EQ(shape("1 - 2 - 3"), "((1 - 2) - 3)");
  EXPECT_EQ(shape("1 - 2 + 3"), "((1 - 2) + 3)");
  EXPECT_EQ(shape("2 * 3 * 4"), "((2 * 3) * 4)");
  EXPECT_EQ(shape("true || false && true"), "(true || (false && true))");
  EXPECT_EQ(shape("true && false || true"), "((true && false) || true)");
  EXPECT_EQ(shape("1 + 2 < 3 * 4"), "((1 + 2) < (3 * 4))");
  EXPECT_EQ(shape("1 == 2 && 3 != 4"), "((1 == 2) && (3 != 4))");
  EXPECT_EQ(shape("!true && false"), "(!true && false)");
  EXPECT_EQ(shape("!!true"), "!!true");
  EXPECT_EQ(shape("-principal.age * 2"), "(-principal.age * 2)");
  EXPECT_EQ(shape("principal has a || false"), "((principal has a) || false)");
  EXPECT_EQ(shape("if true then 1 else 2 + 3"),
            "(if true then 1 else (2 + 3))");
  EXPECT_EQ(shape("(true || false) && true"), "((true || false) && true)");
  EXPECT_EQ(shape("principal in resource || false"),
            "((principal in resource) || false)");
}

TEST_F(ParserTest, SourceRangesAndLocations) {
  ASSERT_TRUE(parse("permit(principal, action, resource)\n"
                    "when {\n"
                    "  principal.age >= 21\n"
                    "};"));
  const Expr &body = *policy().conditions[0].body;
  EXPECT_EQ(diags.getLineAndColumn(body.getRange().Start),
            std::make_pair(3u, 3u));
  EXPECT_EQ(diags.getLineAndColumn(body.getLoc()), std::make_pair(3u, 17u));
  EXPECT_EQ(diags.getLineAndColumn(body.getRange().End),
            std::make_pair(3u, 22u));
  const auto &lhs = cast<BinaryExpr>(body).getLHS();
  EXPECT_EQ(diags.getLineAndColumn(lhs.getLoc()), std::make_pair(3u, 12u));
  EXPECT_EQ(diags.getLineAndColumn(policy().effectLoc), std::make_pair(1u, 1u));
  EXPECT_EQ(diags.getLineAndColumn(policy().range.End), std::make_pair(4u, 3u));
}

TEST_F(ParserTest, CommentsAndWhitespace) {
  ASSERT_TRUE(parse("// leading\n"
                    "permit( // scope\n"
                    "  principal,\taction,\r\n  resource\n"
                    ") // after\n"
                    "when { true // inside\n"
                    "};// end"));
  EXPECT_EQ(policySet->policies.size(), 1u);
}

TEST_F(ParserTest, ByteOrderMarkIsIgnored) {
  ASSERT_TRUE(parse("\xEF\xBB\xBFpermit(principal, action, resource);"));
  EXPECT_EQ(policySet->policies.size(), 1u);
}

//===----------------------------------------------------------------------===//
// Syntax errors
//===----------------------------------------------------------------------===//

TEST_F(ParserTest, MissingSemicolonIsReportedAfterThePolicy) {
  EXPECT_FALSE(parse("permit(principal, action, resource)\n"
                     "permit(principal, action, resource);"));
  EXPECT_EQ(diagnostics(),
            "input.cedar:1:36: error: expected ';' after policy\n"
            "permit(principal, action, resource)\n"
            "                                   ^\n");
}

TEST_F(ParserTest, UnexpectedTokens) {
  EXPECT_FALSE(parse("permit(principal, action resource);"));
  EXPECT_TRUE(hasDiagnostic(
      "input.cedar:1:26: error: unexpected token 'resource'; expected ',' or "
      "')'"));
  output.clear();
  EXPECT_FALSE(parse("allow(principal, action, resource);"));
  EXPECT_TRUE(hasDiagnostic("input.cedar:1:1: error: unexpected token "
                            "'allow'; expected 'permit' or 'forbid'"));
  output.clear();
  EXPECT_FALSE(parse("permit(principal, action, resource) when { 1 + };"));
  EXPECT_TRUE(hasDiagnostic("input.cedar:1:48: error: unexpected token '}'; "
                            "expected expression"));
  output.clear();
  EXPECT_FALSE(parse("permit(principal, action, resource) when { true"));
  EXPECT_TRUE(
      hasDiagnostic("input.cedar:1:48: error: unexpected end of input"));
}

TEST_F(ParserTest, ScopeSyntaxErrors) {
  EXPECT_FALSE(parse("permit(context, action, resource);"));
  EXPECT_TRUE(hasDiagnostic("input.cedar:1:8: error: unexpected token "
                            "'context'; expected 'principal'"));
  output.clear();
  EXPECT_FALSE(parse("permit(principal: User, action, resource);"));
  EXPECT_TRUE(hasDiagnostic("input.cedar:1:17: error: type constraints using "
                            "':' are not supported"));
  output.clear();
  EXPECT_FALSE(parse("@id(\"x\" permit(principal, action, resource);"));
  EXPECT_TRUE(hasDiagnostic("input.cedar:1:8: error: expected ')'"));
}

TEST_F(ParserTest, ReservedWordsAsIdentifiers) {
  EXPECT_FALSE(
      parse("permit(principal, action, resource) when { principal.if };"));
  EXPECT_TRUE(hasDiagnostic("input.cedar:1:54: error: 'if' is a reserved word "
                            "and cannot be used as an identifier"));
  output.clear();
  EXPECT_FALSE(parse("permit(principal, action, resource) when { {in: 1} };"));
  EXPECT_TRUE(hasDiagnostic("'in' is a reserved word"));
  output.clear();
  EXPECT_FALSE(
      parse("permit(principal, action, resource) when { context has then };"));
  EXPECT_TRUE(hasDiagnostic("'then' is a reserved word"));
}

TEST_F(ParserTest, LexicalErrors) {
  EXPECT_FALSE(parse("permit(principal, action, resource) when { \"abc };"));
  EXPECT_TRUE(
      hasDiagnostic("input.cedar:1:44: error: unterminated string literal"));
  output.clear();
  EXPECT_FALSE(parse("permit(principal, action, resource) when { a # b };"));
  EXPECT_TRUE(hasDiagnostic("input.cedar:1:46: error: invalid character '#'"));
  output.clear();
  EXPECT_FALSE(
      parse("permit(principal, action, resource) when { true & false };"));
  EXPECT_TRUE(hasDiagnostic("invalid character '&'; did you mean '&&'?"));
  output.clear();
  EXPECT_FALSE(parse("permit(principal, action, resource) when { \"\xFF\" };"));
  EXPECT_TRUE(hasDiagnostic("input.cedar:1:45: error: invalid UTF-8 in source "
                            "file"));
}

TEST_F(ParserTest, InvalidEscapes) {
  struct Case {
    const char *literal;
    const char *message;
  } cases[] = {
      {R"("a\qb")", "1:46: error: invalid escape sequence '\\q'"},
      {R"("\*")", "1:45: error: invalid escape sequence '\\*'; '\\*' is only "
                  "valid in 'like' patterns"},
      {R"("\x80")", "1:45: error: '\\x80' is out of range"},
      {R"("\x4")", "1:45: error: '\\x' escape must be followed by two "
                   "hexadecimal digits"},
      {R"("\u{}")", "1:45: error: empty unicode escape"},
      {R"("\u{1234567}")", "1:45: error: unicode escape has more than 6 "
                           "hexadecimal digits"},
      {R"("\u{110000}")", "is out of range; the maximum is \\u{10FFFF}"},
      {R"("\u{D800}")", "is a surrogate, not a character"},
      {R"("\u{12")", "unterminated unicode escape"},
      {R"("\u1234")", "unicode escapes must be written '\\u{...}'"},
      {R"("\u{_1}")", "invalid character in unicode escape"},
  };
  for (const Case &c : cases) {
    output.clear();
    EXPECT_FALSE(parseExpr(c.literal)) << c.literal;
    EXPECT_TRUE(hasDiagnostic(c.message)) << c.literal << "\n" << output;
  }
  output.clear();
  EXPECT_FALSE(parseExpr("\"a\rb\""));
  EXPECT_TRUE(hasDiagnostic("bare carriage return in string literal"));
}

TEST_F(ParserTest, InvalidPatternEscapeIsReported) {
  EXPECT_FALSE(parseExpr(R"("x" like "a\qb")"));
  EXPECT_TRUE(hasDiagnostic("1:55: error: invalid escape sequence '\\q'"));
}

TEST_F(ParserTest, IntegerLiteralRange) {
  EXPECT_FALSE(parseExpr("9223372036854775808"));
  EXPECT_TRUE(hasDiagnostic("input.cedar:1:44: error: integer literal "
                            "'9223372036854775808' is too large"));
  output.clear();
  EXPECT_FALSE(parseExpr("-9223372036854775809"));
  EXPECT_TRUE(hasDiagnostic("integer literal '-9223372036854775809' is too "
                            "large"));
  output.clear();
  EXPECT_FALSE(parseExpr("123456789012345678901234567890"));
  EXPECT_TRUE(hasDiagnostic("is too large"));
  output.clear();
  // -9223372036854775808 is only valid as a literal, not negated later.
  EXPECT_FALSE(parseExpr("-(9223372036854775808)"));
}

TEST_F(ParserTest, UnknownVariablesAndSlots) {
  EXPECT_FALSE(parseExpr("user.name"));
  EXPECT_TRUE(
      hasDiagnostic("input.cedar:1:44: error: unknown variable 'user'"));
  output.clear();
  EXPECT_FALSE(parseExpr("A::B"));
  EXPECT_TRUE(hasDiagnostic("'A::B' is not an expression"));
  output.clear();
  EXPECT_FALSE(parse("permit(principal == ?user, action, resource);"));
  EXPECT_TRUE(hasDiagnostic("input.cedar:1:21: error: '?user' is not a valid "
                            "template slot"));
}

TEST_F(ParserTest, OperatorErrors) {
  EXPECT_FALSE(parseExpr("1 < 2 < 3"));
  EXPECT_TRUE(hasDiagnostic("input.cedar:1:50: error: relational operators "
                            "(==, <, in, ...) cannot be chained"));
  output.clear();
  EXPECT_FALSE(parseExpr("principal = resource"));
  EXPECT_TRUE(hasDiagnostic("input.cedar:1:54: error: '=' is not a valid "
                            "operator in Cedar; did you mean '=='?"));
  output.clear();
  EXPECT_FALSE(parseExpr("4 / 2"));
  EXPECT_TRUE(hasDiagnostic("1:46: error: division is not supported"));
  output.clear();
  EXPECT_FALSE(parseExpr("4 % 2"));
  EXPECT_TRUE(hasDiagnostic("1:46: error: the remainder operator '%' is not "
                            "supported"));
  output.clear();
  EXPECT_TRUE(parseExpr("!!!!true"));
  EXPECT_FALSE(parseExpr("!!!!!true"));
  EXPECT_TRUE(hasDiagnostic("1:48: error: too many consecutive '!' operators"));
  output.clear();
  EXPECT_TRUE(parseExpr("----1"));
  EXPECT_FALSE(parseExpr("-----1"));
  EXPECT_TRUE(hasDiagnostic("too many consecutive '-' operators"));
}

TEST_F(ParserTest, LikeAndIndexNeedStringLiterals) {
  EXPECT_FALSE(parseExpr("principal.name like context.pattern"));
  EXPECT_TRUE(hasDiagnostic("input.cedar:1:64: error: the right-hand side of "
                            "'like' must be a pattern literal"));
  output.clear();
  EXPECT_FALSE(parseExpr("principal[context.key]"));
  EXPECT_TRUE(hasDiagnostic("input.cedar:1:54: error: the contents of an index "
                            "expression must be a string literal"));
}

TEST_F(ParserTest, EmptyConditionClause) {
  EXPECT_FALSE(parse("permit(principal, action, resource) when {};"));
  EXPECT_TRUE(hasDiagnostic("input.cedar:1:37: error: 'when' condition clause "
                            "cannot be empty"));
}

TEST_F(ParserTest, ScopeStructureErrors) {
  struct Case {
    const char *source;
    const char *message;
  } cases[] = {
      {"permit(action, principal, resource);",
       "1:8: error: found the variable 'action' where the variable "
       "'principal' must be used"},
      {"permit(principal, action);",
       "1:25: error: this policy is missing the 'resource' variable"},
      {"permit();", "1:8: error: this policy is missing the 'principal'"},
      {"permit(principal, action, resource, resource);",
       "1:37: error: this policy has an extra element in the scope"},
      {"permit(principal, action is Action, resource);",
       "1:26: error: 'is' cannot appear in the action scope"},
      {"permit(principal is User == User::\"a\", action, resource);",
       "1:26: error: 'is' cannot be used together with '=='"},
      {"permit(principal < User::\"a\", action, resource);",
       "1:18: error: invalid operator '<' in the policy scope"},
      {"permit(principal, action != Action::\"a\", resource);",
       "1:26: error: invalid operator '!=' in the policy scope; the action "
       "scope can only use '==' and 'in'"},
      {"permit(principal = User::\"a\", action, resource);",
       "1:18: error: '=' is not a valid operator in Cedar"},
  };
  for (const Case &c : cases) {
    output.clear();
    EXPECT_FALSE(parse(c.source)) << c.source;
    EXPECT_TRUE(hasDiagnostic(c.message)) << c.source << "\n" << output;
  }
}

TEST_F(ParserTest, ErrorsAreReportedInSourceOrder) {
  EXPECT_FALSE(
      parse("permit(principal, action, resource) when { foo };\n"
            "permit(principal, action, resource) when { 1 + };\n"
            "permit(principal, action, resource) when { \"\\q\" };\n"));
  EXPECT_EQ(diags.errorCount(), 3u);
  size_t first = output.find("input.cedar:1:");
  size_t second = output.find("input.cedar:2:");
  size_t third = output.find("input.cedar:3:");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  ASSERT_NE(third, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
}

TEST_F(ParserTest, RecoversBetweenPolicies) {
  // Errors in several policies are all reported.
  EXPECT_FALSE(parse("permit(principal, action, resource) when { 1 + };\n"
                     "junk junk;\n"
                     "forbid(principal, action, resource) when { ( };\n"
                     "permit(principal, action, resource);\n"));
  EXPECT_TRUE(hasDiagnostic("input.cedar:1:"));
  EXPECT_TRUE(hasDiagnostic("input.cedar:2:1: error: unexpected token 'junk'"));
  EXPECT_TRUE(hasDiagnostic("input.cedar:3:"));
}

//===----------------------------------------------------------------------===//
// Robustness
//===----------------------------------------------------------------------===//

TEST_F(ParserTest, DeepNestingIsRejectedNotCrashing) {
  std::string source = "permit(principal, action, resource) when { ";
  source += std::string(100000, '(') + "true" + std::string(100000, ')');
  source += " };";
  EXPECT_FALSE(parse(source));
  EXPECT_TRUE(hasDiagnostic("policy is nested too deeply"));

  output.clear();
  std::string ifs = "permit(principal, action, resource) when { ";
  for (int i = 0; i < 5000; ++i)
    ifs += "if true then true else ";
  ifs += "true };";
  EXPECT_FALSE(parse(ifs));
  EXPECT_TRUE(hasDiagnostic("policy is nested too deeply"));

  // Moderate nesting is fine.
  output.clear();
  std::string moderate = "permit(principal, action, resource) when { ";
  moderate += std::string(100, '[') + "1" + std::string(100, ']') + " };";
  EXPECT_TRUE(parse(moderate)) << output;
}

TEST_F(ParserTest, LongOperatorChainsAreBounded) {
  std::string chain = "permit(principal, action, resource) when { 1";
  for (int i = 0; i < 100000; ++i)
    chain += " + 1";
  chain += " == 0 };";
  EXPECT_FALSE(parse(chain));
  EXPECT_TRUE(hasDiagnostic("expression is nested too deeply"));

  output.clear();
  std::string sets = "permit(principal, action, resource) when { [";
  for (int i = 0; i < 20000; ++i)
    sets += "if true then 1 else 2, ";
  sets += "1].contains(1) };";
  EXPECT_TRUE(parse(sets)) << output.substr(0, 200);
}

TEST_F(ParserTest, EveryPrefixOfAPolicyIsHandled) {
  const std::string source = R"(@id("x")
permit (principal == A::"a", action in [Action::"v"], resource is T in B::"b")
when { context.x.contains(-1) && principal has a.b || !(resource["k"] like "*\*") }
unless { if ip("1.2.3.4").isLoopback() then {k: [1, "s"]} == {} else -5 < 3 };
)";
  for (size_t length = 0; length <= source.size(); ++length) {
    output.clear();
    bool ok = parse(source.substr(0, length));
    // Only the empty prefix and the complete text are valid.
    EXPECT_EQ(ok, length == 0 || length >= source.size() - 1) << length;
    if (!ok) {
      EXPECT_GT(diags.errorCount(), 0u);
    }
  }
}

TEST_F(ParserTest, GarbageInputsDoNotCrash) {
  const char *inputs[] = {
      ";;;;",
      "@",
      "@id(",
      "permit",
      "permit(",
      "permit(principal",
      "permit(principal ==",
      "permit(principal is",
      "permit(principal, action in [",
      "permit(principal, action, resource) when",
      "permit(principal, action, resource) when {",
      "permit(principal, action, resource) when { if",
      "permit(principal, action, resource) when { principal.",
      "permit(principal, action, resource) when { principal[",
      "permit(principal, action, resource) when { A::",
      "permit(principal, action, resource) when { {a:",
      "permit(principal, action, resource) when { [1,,2] };",
      "permit(principal, action, resource) when { f(,) };",
      ")))]]]}}}",
      "\"",
      "\"\\",
      "?",
      "permit(?principal, action, resource);",
      "permit(principal == , action, resource);",
      "forbid(principal, action, resource) when { 1 } unless",
      "@id(\"a\") @id(\"b\") forbid",
      "\x01\x02\x03",
      "permit(principal, action, resource) when { 1 }; garbage",
  };
  for (const char *input : inputs) {
    output.clear();
    EXPECT_FALSE(parse(input)) << input;
    EXPECT_GT(diags.errorCount(), 0u) << input;
  }
}

} // namespace
