//===- CedarIRGen.cpp - Cedar AST -> rune dialect -------------------------===//
//
// Generates the rune dialect for a checked Cedar policy set. Evaluation order
// is Cedar's: the principal, action and resource constraints, then each
// `when` and `unless` clause in source order, all joined by `&&`; operands
// are evaluated left to right; `&&`, `||` and `if` evaluate lazily, so their
// lazy operands go into regions.
//
//===----------------------------------------------------------------------===//

#include "rune/IRGen/CedarIRGen.h"
#include "rune/Dialect/Rune/RuneOps.h"
#include "rune/Runtime/BytecodeFormat.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringSwitch.h"

#include <functional>

using namespace mlir;

namespace rune::cedar {
namespace {

class IRGenerator {
public:
  IRGenerator(MLIRContext &context, DiagnosticEngine &diagnostics)
      : context(context), builder(&context), diagnostics(diagnostics),
        valueType(ValueType::get(&context)) {}

  OwningOpRef<ModuleOp> generate(const PolicySet &policySet) {
    OwningOpRef<ModuleOp> module = ModuleOp::create(UnknownLoc::get(&context));
    for (const Policy &policy : policySet.policies)
      generatePolicy(policy, *module);
    if (failed)
      return nullptr;
    return module;
  }

private:
  using ValueGenerator = std::function<Value()>;

  Location loc(llvm::SMLoc sourceLoc) {
    if (!sourceLoc.isValid())
      return UnknownLoc::get(&context);
    llvm::SourceMgr &sourceMgr = diagnostics.getSourceMgr();
    unsigned buffer = sourceMgr.FindBufferContainingLoc(sourceLoc);
    if (buffer == 0)
      return UnknownLoc::get(&context);
    auto [line, column] = diagnostics.getLineAndColumn(sourceLoc);
    return FileLineColLoc::get(
        &context, sourceMgr.getMemoryBuffer(buffer)->getBufferIdentifier(),
        line, column);
  }

  void error(llvm::SMLoc at, const llvm::Twine &message) {
    diagnostics.error(at, message);
    failed = true;
  }

  void generatePolicy(const Policy &policy, ModuleOp module) {
    builder.setInsertionPointToEnd(module.getBody());
    SmallVector<NamedAttribute> annotations;
    for (const Annotation &annotation : policy.annotations)
      annotations.push_back(builder.getNamedAttr(
          annotation.key, builder.getStringAttr(annotation.value.value_or(""))));
    auto policyOp = builder.create<PolicyOp>(
        loc(policy.effectLoc), builder.getStringAttr(policy.id),
        EffectAttr::get(&context, policy.effect == cedar::Effect::Forbid
                                      ? rune::Effect::Forbid
                                      : rune::Effect::Permit),
        annotations.empty() ? DictionaryAttr()
                            : builder.getDictionaryAttr(annotations));
    Block *body = builder.createBlock(&policyOp.getBody());
    builder.setInsertionPointToStart(body);

    std::vector<ValueGenerator> clauses;
    for (const ScopeConstraint *scope :
         {&policy.principal, &policy.action, &policy.resource})
      if (scope->kind != ScopeConstraint::Kind::Any)
        clauses.push_back([this, scope] { return generateScope(*scope); });
    for (const Condition &condition : policy.conditions)
      clauses.push_back([this, &condition]() -> Value {
        Value value = generate(*condition.body);
        if (condition.kind == Condition::Kind::Unless)
          return make<NotOp>(loc(condition.range.Start), value);
        return value;
      });

    Value holds = clauses.empty()
                      ? constant(loc(policy.effectLoc), builder.getBoolAttr(true))
                      : generateConjunction(clauses, 0, loc(policy.effectLoc));
    builder.create<YieldOp>(loc(policy.effectLoc), holds);
  }

  /// clauses[first] && clauses[first+1] && ..., nested to the right.
  Value generateConjunction(const std::vector<ValueGenerator> &clauses,
                            size_t first, Location location) {
    Value lhs = clauses[first]();
    if (first + 1 == clauses.size())
      return lhs;
    return generateAnd(location, lhs, [&] {
      return generateConjunction(clauses, first + 1, location);
    });
  }

  template <typename OpTy>
  Value generateShortCircuit(Location location, Value lhs,
                             const ValueGenerator &rhs) {
    auto op = builder.create<OpTy>(location, valueType, lhs);
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(builder.createBlock(&op.getRhs()));
    builder.create<YieldOp>(location, rhs());
    return op;
  }

  Value generateAnd(Location location, Value lhs, const ValueGenerator &rhs) {
    return generateShortCircuit<AndOp>(location, lhs, rhs);
  }

  /// Creates a value operation; all of them produce a !rune.value.
  template <typename OpTy, typename... Args>
  Value make(Location location, Args &&...args) {
    return builder.create<OpTy>(location, valueType,
                                std::forward<Args>(args)...);
  }

  Value constant(Location location, Attribute value) {
    return builder.create<ConstantOp>(location, valueType, value);
  }

  Value entity(const EntityUidExpr &uid) {
    return constant(loc(uid.getRange().Start),
                    EntityUidAttr::get(&context, uid.getType().str(),
                                       uid.getId()));
  }

  Value var(Location location, cedar::Var which) {
    RequestVar requestVar;
    switch (which) {
    case cedar::Var::Principal:
      requestVar = RequestVar::Principal;
      break;
    case cedar::Var::Action:
      requestVar = RequestVar::Action;
      break;
    case cedar::Var::Resource:
      requestVar = RequestVar::Resource;
      break;
    case cedar::Var::Context:
      requestVar = RequestVar::Context;
      break;
    }
    return make<VarOp>(location,
                                 RequestVarAttr::get(&context, requestVar));
  }

  /// The entity a scope constraint compares with: an entity literal, or a
  /// template slot, which must be linked before a policy can be compiled.
  Value scopeOperand(const ScopeConstraint &scope) {
    if (const EntityUidExpr *uid = scope.getEntity())
      return entity(*uid);
    if (const SlotExpr *slot = scope.getSlot())
      error(slot->getRange().Start,
            "template slot '" + toString(slot->getSlot()) +
                "' must be linked before the policy is compiled");
    else
      error(scope.range.Start, "unsupported scope operand");
    return constant(loc(scope.range.Start), builder.getBoolAttr(false));
  }

  Value generateScope(const ScopeConstraint &scope) {
    Location location = loc(scope.range.Start);
    Value variable = var(location, scope.var);
    switch (scope.kind) {
    case ScopeConstraint::Kind::Any:
      return constant(location, builder.getBoolAttr(true));
    case ScopeConstraint::Kind::Eq:
      return make<EqOp>(location, variable, scopeOperand(scope));
    case ScopeConstraint::Kind::In:
      return make<InOp>(location, variable, scopeOperand(scope));
    case ScopeConstraint::Kind::Is:
      return make<IsTypeOp>(location, variable,
                                      scope.entityType->str());
    case ScopeConstraint::Kind::IsIn: {
      Value isType =
          make<IsTypeOp>(location, variable, scope.entityType->str());
      return generateAnd(location, isType, [&]() -> Value {
        return make<InOp>(location, variable, scopeOperand(scope));
      });
    }
    case ScopeConstraint::Kind::InList: {
      SmallVector<Value> entities;
      for (const EntityUidExpr *uid : scope.getEntityList())
        entities.push_back(entity(*uid));
      Value set = builder.create<SetOp>(location, valueType, entities);
      return make<InOp>(location, variable, set);
    }
    }
    llvm_unreachable("unknown scope constraint");
  }

  static std::string patternToDialectForm(
      const std::vector<cedar::PatternElement> &pattern) {
    std::string text;
    for (const cedar::PatternElement &element : pattern) {
      if (element.isWildcard()) {
        text += '*';
        continue;
      }
      for (char c : element.text) {
        if (c == '*' || c == '\\')
          text += '\\';
        text += c;
      }
    }
    return text;
  }

  Value generateHasPath(Location location, Value object,
                        const std::vector<std::string> &attrs, size_t index) {
    Value has = make<HasAttrOp>(location, object, attrs[index]);
    if (index + 1 == attrs.size())
      return has;
    return generateAnd(location, has, [&]() -> Value {
      Value inner = make<GetAttrOp>(location, object, attrs[index]);
      return generateHasPath(location, inner, attrs, index + 1);
    });
  }

  Value generateMethodCall(const MethodCallExpr &call) {
    Location location = loc(call.getLoc());
    Value receiver = generate(call.getReceiver());
    SmallVector<Value> args{receiver};
    for (const ExprPtr &arg : call.getArgs())
      args.push_back(generate(*arg));
    llvm::StringRef name = call.getName();
    auto binary = [&](auto tag) -> Value {
      using OpTy = decltype(tag);
      return make<OpTy>(location, args[0], args[1]);
    };
    if (name == "contains" && args.size() == 2)
      return binary(ContainsOp());
    if (name == "containsAll" && args.size() == 2)
      return binary(ContainsAllOp());
    if (name == "containsAny" && args.size() == 2)
      return binary(ContainsAnyOp());
    if (name == "getTag" && args.size() == 2)
      return binary(GetTagOp());
    if (name == "hasTag" && args.size() == 2)
      return binary(HasTagOp());
    if (name == "isEmpty" && args.size() == 1)
      return make<IsEmptyOp>(location, args[0]);
    return extensionCall(location, name, args, /*receiverCounts=*/true);
  }

  /// Calls an extension function. Cedar checks the argument count when it
  /// evaluates the call, after evaluating the arguments: a wrong count
  /// becomes a rune.raise there.
  Value extensionCall(Location location, llvm::StringRef name,
                      ValueRange args, bool receiverCounts) {
    for (const bc::ExtFnInfo &info : bc::kExtFnInfo) {
      if (llvm::StringRef(info.name.data(), info.name.size()) != name)
        continue;
      if (args.size() == info.arity)
        return builder.create<ExtCallOp>(location, valueType, name, args);
      unsigned expected = info.arity - (receiverCounts ? 1 : 0);
      unsigned got = args.size() - (receiverCounts ? 1 : 0);
      return make<RaiseOp>(
          location, ("wrong number of arguments in call to `" + name +
                     "`: expected " + llvm::Twine(expected) + ", got " +
                     llvm::Twine(got))
                        .str());
    }
    // Sema rejects unknown functions before IRGen runs.
    diagnostics.error("unknown extension function '" + name + "'");
    failed = true;
    return make<RaiseOp>(location, ("unknown function `" + name + "`").str());
  }

  Value generate(const Expr &expr) {
    Location location = loc(expr.getLoc());
    switch (expr.getKind()) {
    case Expr::Kind::BoolLiteral:
      return constant(location, builder.getBoolAttr(
                                    llvm::cast<BoolLiteralExpr>(expr).getValue()));
    case Expr::Kind::LongLiteral:
      return constant(location,
                      builder.getI64IntegerAttr(
                          llvm::cast<LongLiteralExpr>(expr).getValue()));
    case Expr::Kind::StringLiteral:
      return constant(location,
                      builder.getStringAttr(
                          llvm::cast<StringLiteralExpr>(expr).getValue()));
    case Expr::Kind::EntityUid:
      return entity(llvm::cast<EntityUidExpr>(expr));
    case Expr::Kind::Var:
      return var(location, llvm::cast<VarExpr>(expr).getVar());
    case Expr::Kind::Slot:
      error(expr.getLoc(), "template slot '" +
                               toString(llvm::cast<SlotExpr>(expr).getSlot()) +
                               "' must be linked before the policy is compiled");
      return constant(location, builder.getBoolAttr(false));
    case Expr::Kind::If: {
      const auto &ifExpr = llvm::cast<IfExpr>(expr);
      Value condition = generate(ifExpr.getCond());
      auto op = builder.create<IfOp>(location, valueType, condition);
      OpBuilder::InsertionGuard guard(builder);
      builder.setInsertionPointToStart(builder.createBlock(&op.getThenRegion()));
      builder.create<YieldOp>(location, generate(ifExpr.getThen()));
      builder.setInsertionPointToStart(builder.createBlock(&op.getElseRegion()));
      builder.create<YieldOp>(location, generate(ifExpr.getElse()));
      return op;
    }
    case Expr::Kind::And: {
      const auto &andExpr = llvm::cast<AndExpr>(expr);
      Value lhs = generate(andExpr.getLHS());
      return generateShortCircuit<AndOp>(
          location, lhs, [&] { return generate(andExpr.getRHS()); });
    }
    case Expr::Kind::Or: {
      const auto &orExpr = llvm::cast<OrExpr>(expr);
      Value lhs = generate(orExpr.getLHS());
      return generateShortCircuit<OrOp>(
          location, lhs, [&] { return generate(orExpr.getRHS()); });
    }
    case Expr::Kind::Not:
      return make<NotOp>(
          location, generate(llvm::cast<NotExpr>(expr).getOperand()));
    case Expr::Kind::Neg:
      return make<NegOp>(
          location, generate(llvm::cast<NegExpr>(expr).getOperand()));
    case Expr::Kind::Binary: {
      const auto &binary = llvm::cast<BinaryExpr>(expr);
      Value lhs = generate(binary.getLHS());
      Value rhs = generate(binary.getRHS());
      switch (binary.getOp()) {
      case BinaryExpr::Op::Eq:
        return make<EqOp>(location, lhs, rhs);
      case BinaryExpr::Op::Ne:
        return make<NeOp>(location, lhs, rhs);
      case BinaryExpr::Op::Lt:
        return make<LtOp>(location, lhs, rhs);
      case BinaryExpr::Op::Le:
        return make<LeOp>(location, lhs, rhs);
      case BinaryExpr::Op::Gt:
        return make<GtOp>(location, lhs, rhs);
      case BinaryExpr::Op::Ge:
        return make<GeOp>(location, lhs, rhs);
      case BinaryExpr::Op::Add:
        return make<AddOp>(location, lhs, rhs);
      case BinaryExpr::Op::Sub:
        return make<SubOp>(location, lhs, rhs);
      case BinaryExpr::Op::Mul:
        return make<MulOp>(location, lhs, rhs);
      case BinaryExpr::Op::In:
        return make<InOp>(location, lhs, rhs);
      }
      llvm_unreachable("unknown binary operator");
    }
    case Expr::Kind::Has: {
      const auto &has = llvm::cast<HasExpr>(expr);
      return generateHasPath(location, generate(has.getObject()),
                             has.getAttrs(), 0);
    }
    case Expr::Kind::Like: {
      const auto &like = llvm::cast<LikeExpr>(expr);
      return make<LikeOp>(location, generate(like.getObject()),
                                    patternToDialectForm(like.getPattern()));
    }
    case Expr::Kind::Is: {
      const auto &is = llvm::cast<IsExpr>(expr);
      Value object = generate(is.getObject());
      Value isType = make<IsTypeOp>(location, object, is.getType().str());
      const Expr *inExpr = is.getInExpr();
      if (!inExpr)
        return isType;
      return generateAnd(location, isType, [&]() -> Value {
        return make<InOp>(location, object, generate(*inExpr));
      });
    }
    case Expr::Kind::GetAttr: {
      const auto &get = llvm::cast<GetAttrExpr>(expr);
      return make<GetAttrOp>(location, generate(get.getObject()),
                                       get.getAttr());
    }
    case Expr::Kind::MethodCall:
      return generateMethodCall(llvm::cast<MethodCallExpr>(expr));
    case Expr::Kind::FunctionCall: {
      const auto &call = llvm::cast<FunctionCallExpr>(expr);
      SmallVector<Value> args;
      for (const ExprPtr &arg : call.getArgs())
        args.push_back(generate(*arg));
      return extensionCall(location, call.getName().str(), args,
                           /*receiverCounts=*/false);
    }
    case Expr::Kind::Set: {
      SmallVector<Value> elements;
      for (const ExprPtr &element : llvm::cast<SetExpr>(expr).getElements())
        elements.push_back(generate(*element));
      return builder.create<SetOp>(location, valueType, elements);
    }
    case Expr::Kind::Record: {
      SmallVector<Attribute> keys;
      SmallVector<Value> values;
      for (const RecordEntry &entry : llvm::cast<RecordExpr>(expr).getEntries()) {
        keys.push_back(builder.getStringAttr(entry.key));
        values.push_back(generate(*entry.value));
      }
      return builder.create<RecordOp>(location, valueType,
                                      builder.getArrayAttr(keys), values);
    }
    }
    llvm_unreachable("unknown expression kind");
  }

  MLIRContext &context;
  OpBuilder builder;
  DiagnosticEngine &diagnostics;
  Type valueType;
  bool failed = false;
};

} // namespace

OwningOpRef<ModuleOp> generateIR(MLIRContext &context,
                                 const PolicySet &policies,
                                 DiagnosticEngine &diagnostics) {
  return IRGenerator(context, diagnostics).generate(policies);
}

} // namespace rune::cedar
