//===- RuneOps.cpp - Verifiers and folders of the rune operations ---------===//
//
// Folding must keep Cedar's error semantics: an operation may only be folded
// away when doing so cannot hide an evaluation error the policy would have
// raised. Operations that can raise errors are not Pure, so the canonicalizer
// never deletes them even when their result becomes unused.
//
//===----------------------------------------------------------------------===//

#include "rune/Dialect/Rune/RuneOps.h"
#include "rune/Runtime/BytecodeFormat.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/SmallSet.h"

#include <limits>

using namespace mlir;
using namespace rune;

#define GET_OP_CLASSES
#include "rune/Dialect/Rune/RuneOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// True when `value` is certainly a boolean whenever it is computed without
/// error: the results of comparisons, tests and boolean operators.
static bool isKnownBool(Value value) {
  Operation *def = value.getDefiningOp();
  if (!def)
    return false;
  if (auto constant = dyn_cast<ConstantOp>(def))
    return isa<BoolAttr>(constant.getValue());
  return isa<EqOp, NeOp, LtOp, LeOp, GtOp, GeOp, NotOp, InOp, ContainsOp,
             ContainsAllOp, ContainsAnyOp, IsEmptyOp, LikeOp, IsTypeOp,
             HasAttrOp, HasTagOp, AndOp, OrOp>(def);
}

static std::optional<bool> getConstantBool(Value value) {
  if (auto constant = value.getDefiningOp<ConstantOp>())
    if (auto boolean = dyn_cast<BoolAttr>(constant.getValue()))
      return boolean.getValue();
  return std::nullopt;
}

/// True when evaluating `region` can never raise an error: every operation
/// in it is side-effect free (and so error free, see RuneDialect.td).
static bool cannotError(Region &region) {
  for (Operation &op : region.getOps())
    if (!isMemoryEffectFree(&op))
      return false;
  return true;
}

static YieldOp getYield(Region &region) {
  return cast<YieldOp>(region.front().getTerminator());
}

/// Replaces `op` by the ops of its single-block `region`; the value the
/// region yields takes the place of the op's result.
static void inlineRegionInPlaceOf(PatternRewriter &rewriter, Operation *op,
                                  Region &region) {
  Block *block = &region.front();
  YieldOp yield = getYield(region);
  Value result = yield.getValue();
  rewriter.inlineBlockBefore(block, op);
  rewriter.eraseOp(yield);
  rewriter.replaceOp(op, result);
}

static std::optional<int64_t> getLong(Attribute attr) {
  if (auto integer = dyn_cast_if_present<IntegerAttr>(attr))
    if (integer.getType().isInteger(64))
      return integer.getValue().getSExtValue();
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// PolicyOp
//===----------------------------------------------------------------------===//

LogicalResult PolicyOp::verify() {
  if (getPolicyId().empty())
    return emitOpError("policy id must not be empty");
  if (getBody().empty() || !isa<YieldOp>(getBody().front().back()))
    return emitOpError("body must end in rune.yield");
  if (DictionaryAttr annotations = getAnnotationsAttr())
    for (NamedAttribute annotation : annotations)
      if (!isa<StringAttr>(annotation.getValue()))
        return emitOpError("annotation '")
               << annotation.getName().getValue() << "' must be a string";
  return success();
}

namespace {
/// A policy whose condition is the constant `false` and that cannot raise
/// an error is never satisfied and never reported: it has no effect.
struct EraseNeverSatisfiedPolicy : OpRewritePattern<PolicyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PolicyOp policy,
                                PatternRewriter &rewriter) const override {
    if (getConstantBool(getYield(policy.getBody()).getValue()) != false ||
        !cannotError(policy.getBody()))
      return failure();
    rewriter.eraseOp(policy);
    return success();
  }
};
} // namespace

void PolicyOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                           MLIRContext *context) {
  results.add<EraseNeverSatisfiedPolicy>(context);
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

bool ConstantOp::isValidValue(Attribute value) {
  if (isa<BoolAttr, StringAttr, EntityUidAttr>(value))
    return true;
  return getLong(value).has_value();
}

LogicalResult ConstantOp::verify() {
  if (!isValidValue(getValue()))
    return emitOpError("value must be a bool, an i64, a string or an entity "
                       "uid, got ")
           << getValue();
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// Comparisons and arithmetic
//===----------------------------------------------------------------------===//

// Constants are uniqued attributes of distinct kinds, so two constant
// operands are equal exactly when their attributes are the same object
// (Cedar: values of different kinds compare unequal, never error).
static OpFoldResult foldEquality(Value lhs, Value rhs, Attribute lhsAttr,
                                 Attribute rhsAttr, bool wantEqual,
                                 MLIRContext *context) {
  if (lhs == rhs)
    return BoolAttr::get(context, wantEqual);
  if (!lhsAttr || !rhsAttr)
    return {};
  return BoolAttr::get(context, (lhsAttr == rhsAttr) == wantEqual);
}

OpFoldResult EqOp::fold(FoldAdaptor adaptor) {
  return foldEquality(getLhs(), getRhs(), adaptor.getLhs(), adaptor.getRhs(),
                      /*wantEqual=*/true, getContext());
}

OpFoldResult NeOp::fold(FoldAdaptor adaptor) {
  return foldEquality(getLhs(), getRhs(), adaptor.getLhs(), adaptor.getRhs(),
                      /*wantEqual=*/false, getContext());
}

template <typename Compare>
static OpFoldResult foldOrdering(Attribute lhs, Attribute rhs,
                                 MLIRContext *context, Compare compare) {
  auto a = getLong(lhs), b = getLong(rhs);
  if (!a || !b)
    return {};
  return BoolAttr::get(context, compare(*a, *b));
}

OpFoldResult LtOp::fold(FoldAdaptor adaptor) {
  return foldOrdering(adaptor.getLhs(), adaptor.getRhs(), getContext(),
                      std::less<int64_t>());
}
OpFoldResult LeOp::fold(FoldAdaptor adaptor) {
  return foldOrdering(adaptor.getLhs(), adaptor.getRhs(), getContext(),
                      std::less_equal<int64_t>());
}
OpFoldResult GtOp::fold(FoldAdaptor adaptor) {
  return foldOrdering(adaptor.getLhs(), adaptor.getRhs(), getContext(),
                      std::greater<int64_t>());
}
OpFoldResult GeOp::fold(FoldAdaptor adaptor) {
  return foldOrdering(adaptor.getLhs(), adaptor.getRhs(), getContext(),
                      std::greater_equal<int64_t>());
}

/// Folds checked arithmetic; an overflowing operation is left for the
/// runtime, which reports it as an evaluation error.
template <typename Checked>
static OpFoldResult foldArithmetic(Attribute lhs, Attribute rhs,
                                   MLIRContext *context, Checked checked) {
  auto a = getLong(lhs), b = getLong(rhs);
  if (!a || !b)
    return {};
  int64_t result;
  if (checked(*a, *b, &result))
    return {};
  return IntegerAttr::get(IntegerType::get(context, 64), result);
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  return foldArithmetic(
      adaptor.getLhs(), adaptor.getRhs(), getContext(),
      [](int64_t a, int64_t b, int64_t *r) {
        return __builtin_add_overflow(a, b, r);
      });
}
OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  return foldArithmetic(
      adaptor.getLhs(), adaptor.getRhs(), getContext(),
      [](int64_t a, int64_t b, int64_t *r) {
        return __builtin_sub_overflow(a, b, r);
      });
}
OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  return foldArithmetic(
      adaptor.getLhs(), adaptor.getRhs(), getContext(),
      [](int64_t a, int64_t b, int64_t *r) {
        return __builtin_mul_overflow(a, b, r);
      });
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  auto a = getLong(adaptor.getOperand());
  if (!a || *a == std::numeric_limits<int64_t>::min())
    return {};
  return IntegerAttr::get(IntegerType::get(getContext(), 64), -*a);
}

OpFoldResult NotOp::fold(FoldAdaptor adaptor) {
  if (auto boolean = dyn_cast_if_present<BoolAttr>(adaptor.getOperand()))
    return BoolAttr::get(getContext(), !boolean.getValue());
  // !!x == x only when x is a boolean; otherwise the inner `!` errors.
  if (auto inner = getOperand().getDefiningOp<NotOp>())
    if (isKnownBool(inner.getOperand()))
      return inner.getOperand();
  return {};
}

OpFoldResult IsTypeOp::fold(FoldAdaptor adaptor) {
  if (auto uid = dyn_cast_if_present<EntityUidAttr>(adaptor.getOperand()))
    return BoolAttr::get(getContext(), uid.getType() == getTypeName());
  return {};
}

//===----------------------------------------------------------------------===//
// Constructors and extension calls
//===----------------------------------------------------------------------===//

LogicalResult RecordOp::verify() {
  if (getKeys().size() != getValues().size())
    return emitOpError("has ") << getKeys().size() << " keys but "
                               << getValues().size() << " values";
  llvm::SmallSet<StringRef, 8> seen;
  for (Attribute key : getKeys())
    if (!seen.insert(cast<StringAttr>(key).getValue()).second)
      return emitOpError("duplicate key '")
             << cast<StringAttr>(key).getValue() << "'";
  return success();
}

LogicalResult ExtCallOp::verify() {
  for (const bc::ExtFnInfo &info : bc::kExtFnInfo) {
    if (llvm::StringRef(info.name.data(), info.name.size()) != getCallee())
      continue;
    if (getArgs().size() != info.arity)
      return emitOpError("'") << getCallee() << "' takes "
                              << unsigned(info.arity) << " argument(s), got "
                              << getArgs().size();
    return success();
  }
  return emitOpError("unknown extension function '") << getCallee() << "'";
}

//===----------------------------------------------------------------------===//
// Short-circuit operators
//===----------------------------------------------------------------------===//

namespace {
/// `true && rhs` is rhs when rhs is a boolean, `false && rhs` is false;
/// `lhs && true` is lhs when lhs is a boolean and rhs cannot error.
/// `||` is the dual. A non-boolean operand is an error at run time, so
/// those cases are left alone.
template <typename OpTy, bool ShortCircuitValue>
struct SimplifyShortCircuit : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Region &rhs = op.getRhs();
    Value rhsValue = getYield(rhs).getValue();
    if (std::optional<bool> lhs = getConstantBool(op.getLhs())) {
      if (*lhs == ShortCircuitValue) {
        rewriter.replaceOpWithNewOp<ConstantOp>(
            op, op.getType(), rewriter.getBoolAttr(ShortCircuitValue));
        return success();
      }
      if (!isKnownBool(rhsValue))
        return failure();
      inlineRegionInPlaceOf(rewriter, op, rhs);
      return success();
    }
    if (getConstantBool(rhsValue) == !ShortCircuitValue &&
        isKnownBool(op.getLhs()) && cannotError(rhs)) {
      rewriter.replaceOp(op, op.getLhs());
      return success();
    }
    return failure();
  }
};

struct SimplifyConstantIf : OpRewritePattern<IfOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(IfOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<bool> condition = getConstantBool(op.getCondition());
    if (!condition)
      return failure();
    inlineRegionInPlaceOf(rewriter, op,
                          *condition ? op.getThenRegion() : op.getElseRegion());
    return success();
  }
};
} // namespace

void AndOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                        MLIRContext *context) {
  results.add<SimplifyShortCircuit<AndOp, false>>(context);
}

void OrOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                       MLIRContext *context) {
  results.add<SimplifyShortCircuit<OrOp, true>>(context);
}

void IfOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                       MLIRContext *context) {
  results.add<SimplifyConstantIf>(context);
}

//===----------------------------------------------------------------------===//
// SchemaOp
//===----------------------------------------------------------------------===//

namespace {
/// Checks the dictionary encoding of schema types and declarations that
/// SchemaOp documents.
class SchemaChecker {
public:
  explicit SchemaChecker(SchemaOp op) : op(op) {}

  LogicalResult checkType(Attribute attr, const Twine &where) {
    auto dict = dyn_cast<DictionaryAttr>(attr);
    if (!dict)
      return fail(where, "a type must be a dictionary");
    auto kind = dict.getAs<StringAttr>("kind");
    if (!kind)
      return fail(where, "a type needs a string 'kind'");
    StringRef k = kind.getValue();
    if (k == "bool" || k == "long" || k == "string")
      return success();
    if (k == "entity")
      return requireString(dict, "name", where);
    if (k == "extension") {
      auto name = dict.getAs<StringAttr>("name");
      if (!name || !llvm::is_contained({"decimal", "ipaddr", "datetime",
                                        "duration"},
                                       name.getValue()))
        return fail(where, "unknown extension type");
      return success();
    }
    if (k == "set") {
      Attribute element = dict.get("element");
      if (!element)
        return fail(where, "a set type needs an 'element' type");
      return checkType(element, where + ".element");
    }
    if (k == "record")
      return checkRecord(dict, where);
    return fail(where, "unknown type kind '" + k + "'");
  }

  LogicalResult checkRecord(DictionaryAttr dict, const Twine &where) {
    if (dict.getAs<StringAttr>("kind").getValue() != "record")
      return fail(where, "must be a record type");
    auto attributes = dict.getAs<ArrayAttr>("attributes");
    if (!attributes || !dict.getAs<BoolAttr>("open"))
      return fail(where, "a record type needs 'attributes' and 'open'");
    llvm::SmallSet<StringRef, 8> names;
    for (Attribute entry : attributes) {
      auto attribute = dyn_cast<DictionaryAttr>(entry);
      if (!attribute || !attribute.getAs<StringAttr>("name") ||
          !attribute.getAs<BoolAttr>("required") || !attribute.get("type"))
        return fail(where, "an attribute needs 'name', 'required' and 'type'");
      StringRef name = attribute.getAs<StringAttr>("name").getValue();
      if (!names.insert(name).second)
        return fail(where, "duplicate attribute '" + name + "'");
      if (failed(checkType(attribute.get("type"), where + "." + name)))
        return failure();
    }
    return success();
  }

  LogicalResult requireString(DictionaryAttr dict, StringRef key,
                              const Twine &where) {
    if (!dict.getAs<StringAttr>(key))
      return fail(where, "needs a string '" + key + "'");
    return success();
  }

  LogicalResult requireStrings(DictionaryAttr dict, StringRef key,
                               const Twine &where) {
    auto array = dict.getAs<ArrayAttr>(key);
    if (!array || !llvm::all_of(array, [](Attribute a) {
          return isa<StringAttr>(a);
        }))
      return fail(where, "needs '" + key + "', a list of strings");
    return success();
  }

  LogicalResult fail(const Twine &where, const Twine &message) {
    return op.emitOpError() << where << ": " << message;
  }

private:
  SchemaOp op;
};
} // namespace

LogicalResult SchemaOp::verify() {
  SchemaChecker checker(*this);
  for (auto [index, attr] : llvm::enumerate(getEntityTypes())) {
    std::string where = "entity type " + std::to_string(index);
    auto entity = dyn_cast<DictionaryAttr>(attr);
    if (!entity)
      return checker.fail(where, "must be a dictionary");
    if (failed(checker.requireString(entity, "name", where)) ||
        failed(checker.requireStrings(entity, "member_of", where)))
      return failure();
    auto shape = entity.getAs<DictionaryAttr>("attributes");
    if (!shape || !shape.getAs<StringAttr>("kind") ||
        failed(checker.checkRecord(shape, where + ".attributes")))
      return failure();
    if (Attribute tags = entity.get("tags"))
      if (failed(checker.checkType(tags, where + ".tags")))
        return failure();
    if (entity.get("enum_ids") &&
        failed(checker.requireStrings(entity, "enum_ids", where)))
      return failure();
  }
  for (auto [index, attr] : llvm::enumerate(getActions())) {
    std::string where = "action " + std::to_string(index);
    auto action = dyn_cast<DictionaryAttr>(attr);
    if (!action)
      return checker.fail(where, "must be a dictionary");
    if (failed(checker.requireString(action, "type", where)) ||
        failed(checker.requireString(action, "id", where)) ||
        failed(checker.requireStrings(action, "principals", where)) ||
        failed(checker.requireStrings(action, "resources", where)))
      return failure();
    auto parents = action.getAs<ArrayAttr>("parents");
    if (!parents || !llvm::all_of(parents, [](Attribute parent) {
          auto pair = dyn_cast<ArrayAttr>(parent);
          return pair && pair.size() == 2 && isa<StringAttr>(pair[0]) &&
                 isa<StringAttr>(pair[1]);
        }))
      return checker.fail(where, "needs 'parents', a list of [type, id]");
    if (auto context = action.getAs<DictionaryAttr>("context"))
      if (!context.getAs<StringAttr>("kind") ||
          failed(checker.checkRecord(context, where + ".context")))
        return failure();
  }
  return success();
}
