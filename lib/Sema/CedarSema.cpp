//===- CedarSema.cpp - Semantic checks on Cedar policies ------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Sema/CedarSema.h"

#include "rune/Runtime/ExtensionParsers.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"

#include <optional>

using namespace rune;
using namespace rune::cedar;

namespace {

struct Callable {
  llvm::StringLiteral name;
  /// Arguments, not counting a method's receiver.
  unsigned arity;
};

/// Cedar's functions: the extension constructors.
constexpr Callable functions[] = {
    {"decimal", 1}, {"ip", 1}, {"datetime", 1}, {"duration", 1}};

/// Cedar's methods: the built-in set/tag operations, then the decimal,
/// ipaddr and datetime extension methods.
constexpr Callable methods[] = {{"contains", 1},      {"containsAll", 1},
                                {"containsAny", 1},   {"isEmpty", 0},
                                {"getTag", 1},        {"hasTag", 1},
                                {"lessThan", 1},      {"lessThanOrEqual", 1},
                                {"greaterThan", 1},   {"greaterThanOrEqual", 1},
                                {"isIpv4", 0},        {"isIpv6", 0},
                                {"isLoopback", 0},    {"isMulticast", 0},
                                {"isInRange", 1},     {"offset", 1},
                                {"durationSince", 1}, {"toDate", 0},
                                {"toTime", 0},        {"toMilliseconds", 0},
                                {"toSeconds", 0},     {"toMinutes", 0},
                                {"toHours", 0},       {"toDays", 0}};

/// contains, containsAll, containsAny, isEmpty, getTag, hasTag.
constexpr size_t kBuiltinMethodCount = 6;

const Callable *lookup(llvm::ArrayRef<Callable> table, llvm::StringRef name) {
  for (const Callable &callable : table)
    if (callable.name == name)
      return &callable;
  return nullptr;
}

/// The entry of `table` closest to `name` within a small edit distance, for
/// "did you mean" hints.
std::optional<llvm::StringRef> suggest(llvm::ArrayRef<Callable> table,
                                       llvm::StringRef name) {
  constexpr unsigned MaxDistance = 2;
  std::optional<llvm::StringRef> best;
  unsigned bestDistance = MaxDistance + 1;
  for (const Callable &callable : table) {
    unsigned distance = name.edit_distance(callable.name,
                                           /*AllowReplacements=*/true,
                                           /*MaxEditDistance=*/MaxDistance);
    if (distance < bestDistance) {
      best = callable.name;
      bestDistance = distance;
    }
  }
  return best;
}

std::string plural(unsigned count, llvm::StringRef noun) {
  return std::to_string(count) + " " + noun.str() + (count == 1 ? "" : "s");
}

/// An expression as it appears in messages, shortened if long.
std::string quote(const Expr &expr) {
  std::string source = toSource(expr);
  if (source.size() > 60)
    source = source.substr(0, 57) + "...";
  return "'" + source + "'";
}

class Checker {
public:
  explicit Checker(DiagnosticEngine &diags) : diags(diags) {}

  bool run(const PolicySet &policySet) {
    checkPolicyIds(policySet);
    for (const Policy &policy : policySet.policies)
      checkPolicy(policy);
    return ok;
  }

private:
  /// Problems Cedar accepts when parsing and reports only when the policy
  /// is evaluated (the policy is then skipped with an error): worth telling
  /// the author, but not a reason to reject the policy set.
  void evaluationWarning(llvm::SMLoc loc, const llvm::Twine &message,
                         llvm::SMRange range = {}) {
    std::string full = (message + "; evaluating it raises an error").str();
    if (range.isValid() && range.Start != range.End)
      diags.warning(loc, full, {range});
    else
      diags.warning(loc, full);
  }

  void error(llvm::SMLoc loc, const llvm::Twine &message,
             llvm::SMRange range = {}) {
    ok = false;
    if (range.isValid() && range.Start != range.End)
      diags.error(loc, message, {range});
    else
      diags.error(loc, message);
  }

  //===--------------------------------------------------------------------===//
  // Policies
  //===--------------------------------------------------------------------===//

  /// Where a policy's id comes from: its `@id` annotation, or its effect
  /// keyword for a positional id.
  static llvm::SMLoc idLoc(const Policy &policy) {
    if (const Annotation *id = policy.findAnnotation("id"))
      return id->range.Start;
    return policy.effectLoc;
  }

  void checkPolicyIds(const PolicySet &policySet) {
    llvm::StringMap<const Policy *> seen;
    for (const Policy &policy : policySet.policies) {
      auto [it, inserted] = seen.try_emplace(policy.id, &policy);
      if (inserted)
        continue;
      error(idLoc(policy), "duplicate policy id '" + policy.id + "'");
      diags.note(idLoc(*it->second), "the first policy with this id is here");
    }
  }

  void checkPolicy(const Policy &policy) {
    llvm::StringMap<const Annotation *> annotations;
    for (const Annotation &annotation : policy.annotations) {
      auto [it, inserted] =
          annotations.try_emplace(annotation.key, &annotation);
      if (inserted)
        continue;
      error(annotation.range.Start,
            "duplicate annotation '@" + annotation.key + "'",
            annotation.keyRange);
      diags.note(it->second->range.Start, "previous annotation is here");
    }

    checkPrincipalOrResource(policy.principal);
    checkAction(policy.action);
    checkPrincipalOrResource(policy.resource);

    for (const Condition &condition : policy.conditions) {
      clause = condition.kind == Condition::Kind::When ? "when" : "unless";
      checkExpr(*condition.body);
    }
  }

  //===--------------------------------------------------------------------===//
  // Scope
  //===--------------------------------------------------------------------===//

  void checkPrincipalOrResource(const ScopeConstraint &scope) {
    llvm::StringRef var = toString(scope.var);
    SlotKind ownSlot =
        scope.var == Var::Principal ? SlotKind::Principal : SlotKind::Resource;
    if (scope.entityType)
      checkTypeName(*scope.entityType);
    if (!scope.operand)
      return;
    const Expr &operand = *scope.operand;

    if (const auto *uid = llvm::dyn_cast<EntityUidExpr>(&operand)) {
      checkTypeName(uid->getType());
      return;
    }
    if (const auto *slot = llvm::dyn_cast<SlotExpr>(&operand)) {
      if (slot->getSlot() != ownSlot)
        error(slot->getLoc(),
              "the " + var + " scope can only use the " + toString(ownSlot) +
                  " slot, not " + toString(slot->getSlot()),
              slot->getRange());
      return;
    }
    std::string expected = "expected an entity literal or the " +
                           toString(ownSlot).str() + " slot";
    if (llvm::isa<SetExpr>(operand)) {
      error(operand.getLoc(),
            "the " + var + " scope cannot use a set; " + expected +
                " (only the action scope allows 'in [...]')",
            operand.getRange());
      return;
    }
    error(operand.getLoc(), expected + ", found " + quote(operand),
          operand.getRange());
  }

  /// Checks one entity of the action scope: a literal whose type is Action
  /// in some namespace.
  void checkActionEntity(const Expr &expr) {
    if (llvm::isa<SlotExpr>(expr)) {
      error(expr.getLoc(), "template slots are not allowed in the action scope",
            expr.getRange());
      return;
    }
    const auto *uid = llvm::dyn_cast<EntityUidExpr>(&expr);
    if (!uid) {
      error(expr.getLoc(),
            "expected an action entity literal such as Action::\"view\", "
            "found " +
                quote(expr),
            expr.getRange());
      return;
    }
    checkTypeName(uid->getType());
    if (uid->getType().getBaseName() != "Action")
      error(uid->getLoc(),
            "expected an entity of type 'Action' (optionally namespaced) in "
            "the action scope, found " +
                quote(expr),
            uid->getRange());
  }

  void checkAction(const ScopeConstraint &scope) {
    if (!scope.operand)
      return;
    const Expr &operand = *scope.operand;
    if (scope.kind == ScopeConstraint::Kind::InList) {
      for (const ExprPtr &element : llvm::cast<SetExpr>(operand).getElements())
        checkActionEntity(*element);
      return;
    }
    if (scope.kind == ScopeConstraint::Kind::Eq &&
        llvm::isa<SetExpr>(operand)) {
      error(operand.getLoc(),
            "'action ==' needs a single action; use 'action in [...]' for a "
            "set of actions",
            operand.getRange());
      return;
    }
    checkActionEntity(operand);
  }

  void checkTypeName(const QualifiedName &name) {
    if (llvm::is_contained(name.components, "__cedar"))
      error(name.range.Start,
            "'" + name.str() + "' uses the reserved namespace '__cedar'",
            name.range);
  }

  //===--------------------------------------------------------------------===//
  // Expressions
  //===--------------------------------------------------------------------===//

  void checkExpr(const Expr &expr) {
    switch (expr.getKind()) {
    case Expr::Kind::Slot:
      error(expr.getLoc(),
            "template slot " + toString(llvm::cast<SlotExpr>(expr).getSlot()) +
                " cannot appear in a '" + clause +
                "' clause; slots are only allowed in the policy scope",
            expr.getRange());
      break;
    case Expr::Kind::EntityUid:
      checkTypeName(llvm::cast<EntityUidExpr>(expr).getType());
      break;
    case Expr::Kind::Is:
      checkTypeName(llvm::cast<IsExpr>(expr).getType());
      break;
    case Expr::Kind::FunctionCall:
      checkFunctionCall(llvm::cast<FunctionCallExpr>(expr));
      break;
    case Expr::Kind::MethodCall:
      checkMethodCall(llvm::cast<MethodCallExpr>(expr));
      break;
    case Expr::Kind::Record:
      checkRecord(llvm::cast<RecordExpr>(expr));
      break;
    default:
      break;
    }
    forEachChild(expr, [&](const Expr &child) { checkExpr(child); });
  }

  void checkFunctionCall(const FunctionCallExpr &call) {
    const QualifiedName &name = call.getName();
    std::string spelled = name.str();
    llvm::SMRange nameRange = name.range;
    const Callable *function =
        name.isQualified() ? nullptr : lookup(functions, name.getBaseName());
    if (!function) {
      if (!name.isQualified() && lookup(methods, name.getBaseName())) {
        error(call.getLoc(),
              "'" + spelled +
                  "' is a method, not a function; call it as "
                  "'e." +
                  spelled + "(...)'",
              nameRange);
        return;
      }
      static constexpr llvm::StringLiteral variables[] = {
          "principal", "action", "resource", "context"};
      if (!name.isQualified() &&
          llvm::is_contained(variables, name.getBaseName())) {
        error(call.getLoc(),
              "'" + spelled + "' is a variable and cannot be called",
              nameRange);
        return;
      }
      std::string message = "'" + spelled + "' is not a known function";
      if (std::optional<llvm::StringRef> hint =
              suggest(functions, name.getBaseName()))
        message += "; did you mean '" + hint->str() + "'?";
      error(call.getLoc(), message, nameRange);
      return;
    }

    const std::vector<ExprPtr> &args = call.getArgs();
    if (args.size() != function->arity) {
      evaluationWarning(call.getLoc(),
            "call to '" + spelled + "' requires exactly " +
                plural(function->arity, "argument") + ", but got " +
                plural(args.size(), "argument"),
            call.getRange());
      return;
    }
    // Cedar 4 parses a constructor applied to a malformed literal and
    // raises the error when evaluating it.
    const auto *literal = llvm::dyn_cast<StringLiteralExpr>(args[0].get());
    if (!literal)
      return;
    // The runtime's parsers decide what the constructors accept, so the
    // compiler and the evaluator can never disagree.
    std::string_view text(literal->getValue().data(),
                          literal->getValue().size());
    std::string problem;
    int64_t number;
    IpAddrData address;
    bool valid = spelled == "decimal"    ? ext::parseDecimal(text, number, problem)
                 : spelled == "ip"       ? ext::parseIpAddr(text, address, problem)
                 : spelled == "datetime" ? ext::parseDatetime(text, number, problem)
                                         : ext::parseDuration(text, number, problem);
    if (!valid)
      evaluationWarning(literal->getLoc(),
                        "invalid argument to '" + spelled + "': " + problem,
                        literal->getRange());
  }

  void checkMethodCall(const MethodCallExpr &call) {
    llvm::StringRef name = call.getName();
    const Callable *method = lookup(methods, name);
    if (!method) {
      if (lookup(functions, name)) {
        error(call.getLoc(),
              "'" + name + "' is a function, not a method; call it as '" +
                  name + "(...)'",
              call.getNameRange());
        return;
      }
      std::string message = "'" + name.str() + "' is not a known method";
      if (std::optional<llvm::StringRef> hint = suggest(methods, name))
        message += "; did you mean '" + hint->str() + "'?";
      error(call.getLoc(), message, call.getNameRange());
      return;
    }
    size_t count = call.getArgs().size();
    if (count == method->arity)
      return;
    // The built-in set and tag methods are operators in Cedar's grammar, so
    // a wrong argument count is a parse error; extension methods are checked
    // when evaluated.
    bool builtin = method < methods + kBuiltinMethodCount;
    std::string message = ("call to '" + name + "' requires exactly " +
                           plural(method->arity, "argument") +
                           " besides the receiver, but got " +
                           plural(count, "argument"))
                              .str();
    if (builtin)
      error(call.getLoc(), message, call.getRange());
    else
      evaluationWarning(call.getLoc(), message, call.getRange());
  }

  void checkRecord(const RecordExpr &record) {
    llvm::StringMap<const RecordEntry *> keys;
    for (const RecordEntry &entry : record.getEntries()) {
      auto [it, inserted] = keys.try_emplace(entry.key, &entry);
      if (inserted)
        continue;
      error(entry.keyRange.Start,
            "duplicate key '" + entry.key + "' in record literal",
            entry.keyRange);
      diags.note(it->second->keyRange.Start, "previous use of the key is here");
    }
  }

  DiagnosticEngine &diags;
  bool ok = true;
  /// The kind of condition being checked, for messages.
  llvm::StringRef clause;
};

} // namespace

bool rune::cedar::checkPolicySet(PolicySet &policySet,
                                 DiagnosticEngine &diags) {
  return Checker(diags).run(policySet);
}
