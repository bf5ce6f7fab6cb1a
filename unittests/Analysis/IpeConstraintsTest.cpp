//===- IpeConstraintsTest.cpp - The analysis' constraint domain -----------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Analysis/IpeConstraints.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace rune::ipe;
using namespace rune::ipe::analysis;

namespace {

Scalar str(const char *value) { return Scalar::ofString(value); }
Scalar num(double value) { return Scalar::ofNumber(value); }

TEST(IpeCompareScalars, RiskScaleOrdersByRankOtherStringsBytewise) {
  EnumOrders enums;
  EXPECT_EQ(compareScalars(str("critical"), CompareOp::Ge, str("high"), enums),
            Truth::True);
  // Bytewise "high" < "medium", by rank it is greater.
  EXPECT_EQ(compareScalars(str("high"), CompareOp::Gt, str("medium"), enums),
            Truth::True);
  // "i" is no risk level: bytewise against both.
  EXPECT_EQ(compareScalars(str("i"), CompareOp::Gt, str("high"), enums),
            Truth::True);
  EXPECT_EQ(compareScalars(str("i"), CompareOp::Lt, str("medium"), enums),
            Truth::True);
}

TEST(IpeCompareScalars, DeclaredEnumsAndKinds) {
  EnumOrders enums;
  enums.declare("Tier", {"gold", "silver", "bronze"});
  EXPECT_EQ(compareScalars(str("gold"), CompareOp::Lt, str("bronze"), enums),
            Truth::True);
  EXPECT_EQ(compareScalars(num(1), CompareOp::Eq, num(1.0), enums),
            Truth::True);
  EXPECT_EQ(compareScalars(Scalar::ofBool(true), CompareOp::Lt,
                           Scalar::ofBool(false), enums),
            Truth::Error);
  EXPECT_EQ(compareScalars(str("1"), CompareOp::Lt, num(2), enums),
            Truth::Error);
  EXPECT_EQ(compareScalars(str("1"), CompareOp::Eq, num(1), enums),
            Truth::Unknown);
  ASSERT_EQ(enums.enumsOf("silver").size(), 1u);
  EXPECT_EQ(enums.enumsOf("silver")[0], 1u);
}

TEST(IpeFieldDomain, StringEqualities) {
  EnumOrders enums;
  FieldDomain two(enums);
  two.addCompare(CompareOp::Eq, str("A"));
  two.addCompare(CompareOp::Eq, str("B"));
  EXPECT_FALSE(two.isSatisfiable());

  FieldDomain same(enums);
  same.addCompare(CompareOp::Eq, str("A"));
  same.addCompare(CompareOp::Ne, num(3)); // across kinds: no constraint
  ASSERT_TRUE(same.witness());
  EXPECT_EQ(same.witness()->toJSON(), "\"A\"");

  FieldDomain excluded(enums);
  excluded.addCompare(CompareOp::Ne, str("other"));
  excluded.addCompare(CompareOp::Ne, str("x"));
  ASSERT_TRUE(excluded.witness());
  EXPECT_NE(excluded.witness()->string, "other");
}

TEST(IpeFieldDomain, InLists) {
  EnumOrders enums;
  FieldDomain overlap(enums);
  overlap.addIn({str("a"), str("b")}, false);
  overlap.addIn({str("b"), str("c")}, false);
  ASSERT_TRUE(overlap.witness());
  EXPECT_EQ(overlap.witness()->string, "b");

  FieldDomain disjoint(enums);
  disjoint.addIn({str("a")}, false);
  disjoint.addIn({str("b")}, false);
  EXPECT_FALSE(disjoint.isSatisfiable());

  FieldDomain negatedIn(enums);
  negatedIn.addIn({str("a"), str("b")}, false);
  negatedIn.addIn({str("a"), str("b")}, true);
  EXPECT_FALSE(negatedIn.isSatisfiable());

  FieldDomain mixed(enums);
  mixed.addIn({str("a"), num(2)}, false);
  mixed.addCompare(CompareOp::Gt, num(1));
  ASSERT_TRUE(mixed.witness());
  EXPECT_EQ(mixed.witness()->toJSON(), "2");
}

TEST(IpeFieldDomain, NumberIntervals) {
  EnumOrders enums;
  FieldDomain empty(enums);
  empty.addCompare(CompareOp::Gt, num(5));
  empty.addCompare(CompareOp::Lt, num(3));
  EXPECT_FALSE(empty.isSatisfiable());

  FieldDomain point(enums);
  point.addCompare(CompareOp::Gt, num(5));
  point.addCompare(CompareOp::Le, num(6));
  ASSERT_TRUE(point.witness());
  EXPECT_EQ(point.witness()->number, 6);

  FieldDomain punctured(enums);
  punctured.addCompare(CompareOp::Ge, num(1));
  punctured.addCompare(CompareOp::Le, num(1));
  punctured.addCompare(CompareOp::Ne, num(1));
  EXPECT_FALSE(punctured.isSatisfiable());

  // Between two integers only fractions remain.
  FieldDomain fraction(enums);
  fraction.addCompare(CompareOp::Gt, num(1));
  fraction.addCompare(CompareOp::Lt, num(2));
  ASSERT_TRUE(fraction.witness());
  EXPECT_GT(fraction.witness()->number, 1);
  EXPECT_LT(fraction.witness()->number, 2);

  // No double lies strictly between adjacent doubles.
  FieldDomain adjacent(enums);
  adjacent.addCompare(CompareOp::Gt, num(1));
  adjacent.addCompare(CompareOp::Lt, num(std::nextafter(1.0, 2.0)));
  EXPECT_FALSE(adjacent.isSatisfiable());

  FieldDomain upperOnly(enums);
  upperOnly.addCompare(CompareOp::Lt, num(-2.5));
  upperOnly.addCompare(CompareOp::Ne, num(-3));
  ASSERT_TRUE(upperOnly.witness());
  EXPECT_EQ(upperOnly.witness()->number, -4);
}

TEST(IpeFieldDomain, CountsAreNonNegativeIntegers) {
  EnumOrders enums;
  FieldDomain between(enums, {/*countLike=*/true});
  between.addCompare(CompareOp::Gt, num(1));
  between.addCompare(CompareOp::Lt, num(2));
  EXPECT_FALSE(between.isSatisfiable());

  FieldDomain negative(enums, {/*countLike=*/true});
  negative.addCompare(CompareOp::Lt, num(0));
  EXPECT_FALSE(negative.isSatisfiable());

  FieldDomain atLeastTwo(enums, {/*countLike=*/true});
  atLeastTwo.addCompare(CompareOp::Ge, num(2));
  ASSERT_TRUE(atLeastTwo.witness());
  EXPECT_EQ(atLeastTwo.witness()->number, 2);

  FieldDomain notAString(enums, {/*countLike=*/true});
  notAString.addCompare(CompareOp::Eq, str("2"));
  EXPECT_FALSE(notAString.isSatisfiable());
}

TEST(IpeFieldDomain, EnumRanges) {
  EnumOrders enums;
  FieldDomain empty(enums);
  empty.addCompare(CompareOp::Ge, str("high"));
  empty.addCompare(CompareOp::Lt, str("medium"));
  EXPECT_FALSE(empty.isSatisfiable());
  EXPECT_EQ(empty.orderedEnum(), 0u);

  FieldDomain range(enums);
  range.addCompare(CompareOp::Ge, str("medium"));
  range.addCompare(CompareOp::Lt, str("critical"));
  range.addCompare(CompareOp::Ne, str("medium"));
  ASSERT_TRUE(range.witness());
  EXPECT_EQ(range.witness()->string, "high");

  // Ordered against the risk scale, the field holds a level: a typo is
  // never equal.
  FieldDomain typo(enums);
  typo.addCompare(CompareOp::Ge, str("low"));
  typo.addCompare(CompareOp::Eq, str("hihg"));
  EXPECT_FALSE(typo.isSatisfiable());

  enums.declare("Tier", {"bronze", "silver", "gold"});
  FieldDomain tier(enums);
  tier.addCompare(CompareOp::Gt, str("silver"));
  ASSERT_TRUE(tier.witness());
  EXPECT_EQ(tier.witness()->string, "gold");
}

TEST(IpeFieldDomain, BytewiseStrings) {
  EnumOrders enums;
  FieldDomain between(enums);
  between.addCompare(CompareOp::Gt, str("m"));
  between.addCompare(CompareOp::Lt, str("n"));
  ASSERT_TRUE(between.witness());
  EXPECT_GT(between.witness()->string, "m");
  EXPECT_LT(between.witness()->string, "n");

  FieldDomain point(enums);
  point.addCompare(CompareOp::Ge, str("v1"));
  point.addCompare(CompareOp::Le, str("v1"));
  point.addCompare(CompareOp::Ne, str("v1"));
  EXPECT_FALSE(point.isSatisfiable());

  // Nothing lies strictly between "a" and "a\0".
  FieldDomain adjacent(enums);
  adjacent.addCompare(CompareOp::Gt, str("a"));
  adjacent.addCompare(CompareOp::Lt, Scalar::ofString(std::string("a\0", 2)));
  EXPECT_FALSE(adjacent.isSatisfiable());
}

TEST(IpeFieldDomain, Booleans) {
  EnumOrders enums;
  FieldDomain both(enums);
  both.addCompare(CompareOp::Eq, Scalar::ofBool(true));
  both.addCompare(CompareOp::Ne, Scalar::ofBool(true));
  EXPECT_FALSE(both.isSatisfiable());

  FieldDomain notFalse(enums);
  notFalse.addCompare(CompareOp::Ne, Scalar::ofBool(false));
  notFalse.addCompare(CompareOp::Eq, Scalar::ofBool(true));
  ASSERT_TRUE(notFalse.witness());
  EXPECT_EQ(notFalse.witness()->toJSON(), "true");

  FieldDomain ordered(enums);
  ordered.addCompare(CompareOp::Eq, Scalar::ofBool(true));
  ordered.addCompare(CompareOp::Gt, num(0));
  EXPECT_FALSE(ordered.isSatisfiable());
}

TEST(IpeScalar, JSON) {
  EXPECT_EQ(num(3).toJSON(), "3");
  EXPECT_EQ(num(-2.5).toJSON(), "-2.5");
  EXPECT_EQ(str("a\"b\\").toJSON(), "\"a\\\"b\\\\\"");
  EXPECT_EQ(Scalar::ofString(std::string("a\0", 2)).toJSON(), "\"a\\u0000\"");
}

} // namespace
