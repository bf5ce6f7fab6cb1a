//===- RuneIntentOps.cpp - IPE operations: verifiers and folds ------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Folds are limited to what cannot change an outcome: constant conditions
// through `not`, `and`, `or`, and `==`/`!=` between two literals (which
// never raise). Reads, ordering comparisons, `in` and truth tests can raise
// errors and are never folded away.
//
//===----------------------------------------------------------------------===//

#include "rune/Dialect/Rune/RuneIntentOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>

using namespace mlir;
using namespace rune;

#define GET_OP_CLASSES
#include "rune/Dialect/Rune/RuneIntentOps.cpp.inc"

namespace {

bool isScalarLiteral(Attribute attr) {
  if (isa<StringAttr, BoolAttr>(attr))
    return true;
  if (auto integer = dyn_cast<IntegerAttr>(attr))
    return integer.getType().isSignlessInteger(64);
  if (auto real = dyn_cast<FloatAttr>(attr))
    return real.getType().isF64();
  return false;
}

LogicalResult verifyConditionRegion(Operation *op, Region &region,
                                    StringRef what, unsigned arguments) {
  if (!region.hasOneBlock())
    return op->emitOpError() << what << " must have one block";
  Block &block = region.front();
  if (block.getNumArguments() != arguments)
    return op->emitOpError()
           << what << " must take " << arguments << " argument(s)";
  if (block.empty() || !isa<IntentYieldOp>(block.back()))
    return op->emitOpError() << what << " must end in rune.ipe.yield";
  return success();
}

std::optional<bool> constantCondition(Value value) {
  if (auto op = value.getDefiningOp<IntentBoolOp>())
    return op.getValue();
  return std::nullopt;
}

/// Replaces `op` by the operations of its single-block region, the yielded
/// value taking the place of its result.
void inlineRegion(PatternRewriter &rewriter, Operation *op, Region &region) {
  Block &block = region.front();
  auto yield = cast<IntentYieldOp>(block.getTerminator());
  Value result = yield.getValue();
  rewriter.inlineBlockBefore(&block, op);
  rewriter.eraseOp(yield);
  rewriter.replaceOp(op, result);
}

/// `true and rhs` is rhs, `false and rhs` is false; `or` is the dual. The
/// rhs region never runs when the lhs short-circuits, so dropping it cannot
/// hide an error.
template <typename OpTy, bool ShortCircuitValue>
struct SimplifyConstantLhs : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    std::optional<bool> lhs = constantCondition(op.getLhs());
    if (!lhs)
      return failure();
    if (*lhs == ShortCircuitValue) {
      rewriter.replaceOpWithNewOp<IntentBoolOp>(op, ShortCircuitValue);
      return success();
    }
    inlineRegion(rewriter, op, op.getRhs());
    return success();
  }
};

/// `literal == literal` and `!=`: equality of literals never raises.
struct FoldLiteralEquality : OpRewritePattern<IntentCompareOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(IntentCompareOp op,
                                PatternRewriter &rewriter) const override {
    StringRef predicate = op.getPredicate();
    if (predicate != "eq" && predicate != "ne")
      return failure();
    auto lhs = op.getLhs().getDefiningOp<IntentLiteralOp>();
    auto rhs = op.getRhs().getDefiningOp<IntentLiteralOp>();
    if (!lhs || !rhs)
      return failure();
    Attribute a = lhs.getValue(), b = rhs.getValue();
    auto number = [](Attribute attr) -> std::optional<double> {
      if (auto i = dyn_cast<IntegerAttr>(attr); i && !isa<BoolAttr>(attr))
        return double(i.getInt());
      if (auto f = dyn_cast<FloatAttr>(attr))
        return f.getValueAsDouble();
      return std::nullopt;
    };
    bool equal;
    std::optional<double> x = number(a), y = number(b);
    if (x && y) {
      // Integers compare exactly; only mixed pairs go through double.
      auto ia = dyn_cast<IntegerAttr>(a), ib = dyn_cast<IntegerAttr>(b);
      equal = ia && ib ? ia.getInt() == ib.getInt() : *x == *y;
    } else {
      equal = a == b;
    }
    rewriter.replaceOpWithNewOp<IntentBoolOp>(op, equal == (predicate == "eq"));
    return success();
  }
};

} // namespace

LogicalResult IntentPolicyOp::verify() {
  if (failed(verifyConditionRegion(*this, getTrigger(), "trigger", 0)))
    return failure();
  if (getDenies()) {
    if (!getRequirement().empty())
      return emitOpError("a 'denies' policy has no requirement region");
  } else {
    if (getReason())
      return emitOpError("only a 'denies' policy has a reason");
    if (failed(
            verifyConditionRegion(*this, getRequirement(), "requirement", 0)))
      return failure();
  }
  return success();
}

LogicalResult IntentEnumOp::verify() {
  if (getMembers().empty())
    return emitOpError("an enumeration needs at least one member");
  return success();
}

LogicalResult IntentReadOp::verify() {
  StringRef path = getPath();
  if (path.empty() || path.starts_with(".") || path.ends_with(".") ||
      path.contains(".."))
    return emitOpError("malformed path '") << path << "'";
  if (path == "principal" || path.starts_with("principal.") ||
      path == "requester" || path.starts_with("requester."))
    return emitOpError("'principal' and 'requester' must be rewritten to "
                       "'request.principal'");
  return success();
}

LogicalResult IntentLiteralOp::verify() {
  if (!isScalarLiteral(getValue()))
    return emitOpError("a literal is a string, an i64, an f64 or a boolean");
  return success();
}

LogicalResult IntentCompareOp::verify() {
  StringRef p = getPredicate();
  if (p != "eq" && p != "ne" && p != "lt" && p != "le" && p != "gt" &&
      p != "ge")
    return emitOpError("unknown comparison '") << p << "'";
  return success();
}

void IntentCompareOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                                  MLIRContext *context) {
  results.add<FoldLiteralEquality>(context);
}

LogicalResult IntentInOp::verify() {
  for (Attribute member : getMembers())
    if (!isScalarLiteral(member))
      return emitOpError("list members are string, i64, f64 or boolean "
                         "literals");
  return success();
}

OpFoldResult IntentBoolOp::fold(FoldAdaptor) { return getValueAttr(); }

OpFoldResult IntentNotOp::fold(FoldAdaptor adaptor) {
  if (auto value = dyn_cast_if_present<BoolAttr>(adaptor.getValue()))
    return BoolAttr::get(getContext(), !value.getValue());
  if (auto inner = getValue().getDefiningOp<IntentNotOp>())
    return inner.getValue();
  return {};
}

void IntentAndOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<SimplifyConstantLhs<IntentAndOp, false>>(context);
}

void IntentOrOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                             MLIRContext *context) {
  results.add<SimplifyConstantLhs<IntentOrOp, true>>(context);
}

LogicalResult IntentAggregateOp::verify() {
  StringRef mode = getMode();
  if (mode != "count" && mode != "any" && mode != "all")
    return emitOpError("unknown aggregate '") << mode << "'";
  if (!getFilter().empty() &&
      failed(verifyConditionRegion(*this, getFilter(), "filter", 1)))
    return failure();
  return success();
}

LogicalResult IntentIndexGroupOp::verify() {
  if (getPaths().empty())
    return emitOpError("needs at least one path");
  if (getKeys().size() != getPostings().size())
    return emitOpError("needs one posting list per key");
  for (Attribute key : getKeys()) {
    auto tuple = dyn_cast<ArrayAttr>(key);
    if (!tuple || tuple.size() != getPaths().size())
      return emitOpError("keys are tuples with one literal per path");
    for (Attribute element : tuple)
      if (!isScalarLiteral(element) || isa<FloatAttr>(element))
        return emitOpError("key literals are strings, i64 or booleans");
  }
  for (Attribute posting : getPostings()) {
    auto list = dyn_cast<ArrayAttr>(posting);
    if (!list ||
        !llvm::all_of(list, [](Attribute a) { return isa<StringAttr>(a); }))
      return emitOpError("postings are lists of policy names");
  }
  return success();
}
