//===- IpeTriggerIndex.cpp - Indexing IPE policies by their triggers ------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// A policy may be skipped for a request only when evaluating it would give
// NotApplicable without an error. `and` evaluates left to right, so the
// pass looks at the leading run of the trigger's top-level conjuncts that
// are `path == literal` or `path in [literals]` (the indexable prefix). Such
// a test never raises on a present value, so when every path of the prefix
// up to the chosen conjunct is present and scalar and the chosen one does
// not match, the trigger is false with no error: skipping is exact.
//
// Policies whose prefixes test the same paths in the same order form a
// group, indexed by the tuple of values of those paths (an `in` list stands
// for one tuple per value), so a request finds its candidates with one hash
// lookup per group, however many policies there are. When a path of a group
// is missing or not a scalar, the whole group is evaluated in full.
// Policies with no indexable prefix are always checked.
//
//===----------------------------------------------------------------------===//

#include "rune/Transforms/IpeTriggerIndex.h"

#include "rune/Dialect/Rune/RuneIntentOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringMap.h"

#include <map>

using namespace mlir;
using namespace rune;

namespace {

struct Test {
  StringRef path;
  SmallVector<Attribute> keys;
};

bool isKey(Attribute attr) {
  return isa<StringAttr, BoolAttr>(attr) ||
         (isa<IntegerAttr>(attr) &&
          cast<IntegerAttr>(attr).getType().isSignlessInteger(64));
}

std::optional<StringRef> plainReadPath(mlir::Value v) {
  auto read = v.getDefiningOp<IntentReadOp>();
  if (!read || read.getCollection())
    return std::nullopt;
  return read.getPath();
}

/// `path == literal`, `literal == path` or `path in [literals]`.
std::optional<Test> indexableTest(mlir::Value condition) {
  if (auto cmp = condition.getDefiningOp<IntentCompareOp>()) {
    if (cmp.getPredicate() != "eq")
      return std::nullopt;
    for (auto [pathSide, literalSide] :
         {std::pair(cmp.getLhs(), cmp.getRhs()),
          std::pair(cmp.getRhs(), cmp.getLhs())}) {
      std::optional<StringRef> path = plainReadPath(pathSide);
      auto literal = literalSide.getDefiningOp<IntentLiteralOp>();
      if (path && literal && isKey(literal.getValue()))
        return Test{*path, {literal.getValue()}};
    }
    return std::nullopt;
  }
  if (auto in = condition.getDefiningOp<IntentInOp>()) {
    std::optional<StringRef> path = plainReadPath(in.getValue());
    if (!path || in.getMembers().empty())
      return std::nullopt;
    Test test{*path, {}};
    for (Attribute member : in.getMembers()) {
      if (!isKey(member))
        return std::nullopt;
      if (!llvm::is_contained(test.keys, member))
        test.keys.push_back(member);
    }
    return test;
  }
  return std::nullopt;
}

/// The top-level conjuncts of `condition`, in evaluation order.
void conjuncts(mlir::Value condition, SmallVectorImpl<mlir::Value> &out) {
  if (auto andOp = condition.getDefiningOp<IntentAndOp>()) {
    conjuncts(andOp.getLhs(), out);
    auto yield = cast<IntentYieldOp>(andOp.getRhs().front().getTerminator());
    conjuncts(yield.getValue(), out);
    return;
  }
  out.push_back(condition);
}

struct IpeTriggerIndexPass
    : PassWrapper<IpeTriggerIndexPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(IpeTriggerIndexPass)

  StringRef getArgument() const override { return "ipe-trigger-index"; }
  StringRef getDescription() const override {
    return "Index IPE policies by the equality and `in` tests of their "
           "triggers";
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (Operation &op : llvm::make_early_inc_range(*module.getBody()))
      if (isa<IntentIndexGroupOp, IntentIndexAlwaysOp>(op))
        op.erase();
    SmallVector<IntentPolicyOp> policies(module.getOps<IntentPolicyOp>());
    if (policies.empty())
      return;

    // The indexable prefix of every policy, cut where the tuples it
    // stands for would become too many.
    constexpr size_t kMaxTuples = 64;
    struct Group {
      llvm::MapVector<Attribute, SmallVector<Attribute>> postings;
      SmallVector<Attribute> policies;
    };
    // In order of first appearance; found by the paths joined with '\0'
    // (paths never contain it).
    std::vector<std::pair<SmallVector<StringRef>, Group>> groups;
    std::map<std::string, size_t> groupIndex;
    SmallVector<Attribute> always;
    for (IntentPolicyOp policy : policies) {
      Attribute name = policy.getSymNameAttr();
      auto yield =
          cast<IntentYieldOp>(policy.getTrigger().front().getTerminator());
      SmallVector<mlir::Value> list;
      conjuncts(yield.getValue(), list);
      SmallVector<Test> prefix;
      size_t tuples = 1;
      for (mlir::Value conjunct : list) {
        std::optional<Test> test = indexableTest(conjunct);
        if (!test || tuples * test->keys.size() > kMaxTuples)
          break;
        tuples *= test->keys.size();
        prefix.push_back(std::move(*test));
      }
      if (prefix.empty()) {
        always.push_back(name);
        continue;
      }
      std::string signature;
      SmallVector<StringRef> paths;
      for (const Test &test : prefix) {
        signature += test.path.str() + '\0';
        paths.push_back(test.path);
      }
      auto [it, fresh] = groupIndex.try_emplace(signature, groups.size());
      if (fresh)
        groups.push_back({paths, Group()});
      Group &group = groups[it->second].second;
      group.policies.push_back(name);
      // Every combination of the tests' values is one key of the group.
      SmallVector<SmallVector<Attribute>> keys = {{}};
      for (const Test &test : prefix) {
        SmallVector<SmallVector<Attribute>> extended;
        for (const SmallVector<Attribute> &partial : keys)
          for (Attribute value : test.keys) {
            extended.push_back(partial);
            extended.back().push_back(value);
          }
        keys = std::move(extended);
      }
      OpBuilder tupleBuilder(module.getContext());
      for (const SmallVector<Attribute> &key : keys) {
        SmallVector<Attribute> &posting =
            group.postings[tupleBuilder.getArrayAttr(key)];
        if (posting.empty() || posting.back() != name)
          posting.push_back(name);
      }
    }

    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    Location loc = module.getLoc();
    for (auto &[paths, group] : groups) {
      SmallVector<Attribute> keys, postings;
      for (auto &[key, names] : group.postings) {
        keys.push_back(key);
        postings.push_back(builder.getArrayAttr(names));
      }
      builder.create<IntentIndexGroupOp>(
          loc, builder.getStrArrayAttr(paths), builder.getArrayAttr(keys),
          builder.getArrayAttr(postings), builder.getArrayAttr(group.policies));
    }
    builder.create<IntentIndexAlwaysOp>(loc, builder.getArrayAttr(always));
  }
};

} // namespace

std::unique_ptr<Pass> rune::createIpeTriggerIndexPass() {
  return std::make_unique<IpeTriggerIndexPass>();
}

void rune::registerIpeTriggerIndexPass() {
  PassRegistration<IpeTriggerIndexPass>();
}
