//===- CedarValidator.cpp - Validating policies against a schema ----------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The policy-level part of Cedar's validator: the checks made once per
// policy (declared entity types and actions, enumerated entity ids, an
// applicable action for the scope), the enumeration of request
// environments, and the reporting of the type errors found in them.
//
//===----------------------------------------------------------------------===//

#include "rune/Sema/CedarValidator.h"

#include "PolicyTypeChecker.h"
#include "ValidatorTypes.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/thread.h"

#include <set>

using namespace rune;
using namespace rune::cedar;
using namespace rune::cedar::validation;

namespace {

/// The typechecker recurses over expressions with a few kilobytes of stack
/// per level. Policies nested deeper than ShallowDepth are checked on a
/// thread with a stack of DeepStackSize, enough for the 10000 levels the
/// typechecker accepts, whatever stack the caller runs on.
constexpr unsigned ShallowDepth = 200;
constexpr unsigned DeepStackSize = 64u << 20;

/// The nesting depth of `root`, computed without recursion.
unsigned depthOf(const Expr &root) {
  unsigned deepest = 0;
  std::vector<std::pair<const Expr *, unsigned>> worklist = {{&root, 1}};
  while (!worklist.empty()) {
    auto [expr, depth] = worklist.back();
    worklist.pop_back();
    deepest = std::max(deepest, depth);
    forEachChild(*expr, [&, depth = depth](const Expr &child) {
      worklist.push_back({&child, depth + 1});
    });
  }
  return deepest;
}

/// The entity literals and entity type names a policy mentions.
struct PolicyNames {
  struct Uid {
    schema::EntityUid uid;
    llvm::SMRange range;
  };
  struct TypeName {
    std::string name;
    llvm::SMRange range;
  };
  std::vector<Uid> uids;
  std::vector<TypeName> types;

  /// Collects from `root` and its subexpressions, in source order, without
  /// recursion (expressions can be deep).
  void collect(const Expr &root) {
    std::vector<const Expr *> worklist = {&root};
    while (!worklist.empty()) {
      const Expr *expr = worklist.back();
      worklist.pop_back();
      if (const auto *uid = llvm::dyn_cast<EntityUidExpr>(expr)) {
        std::string type = uid->getType().str();
        types.push_back({type, uid->getType().range});
        uids.push_back({{type, uid->getId().str()}, uid->getRange()});
      } else if (const auto *is = llvm::dyn_cast<IsExpr>(expr)) {
        types.push_back({is->getType().str(), is->getType().range});
      }
      size_t firstChild = worklist.size();
      forEachChild(*expr,
                   [&](const Expr &child) { worklist.push_back(&child); });
      std::reverse(worklist.begin() + firstChild, worklist.end());
    }
  }

  void collect(const ScopeConstraint &scope) {
    if (scope.entityType)
      types.push_back({scope.entityType->str(), scope.entityType->range});
    if (scope.operand)
      collect(*scope.operand);
  }
};

/// The closest candidate to `name` by edit distance, if reasonably close.
std::optional<std::string> closest(llvm::StringRef name,
                                   const std::vector<std::string> &candidates) {
  std::optional<std::string> best;
  unsigned bestDistance = std::max<unsigned>(3, name.size() / 3) + 1;
  for (const std::string &candidate : candidates) {
    unsigned distance = name.edit_distance(candidate, true, bestDistance);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return best;
}

class PolicyValidator {
public:
  PolicyValidator(const Policy &policy, const schema::Schema &schema,
                  TypeSystem &types, DiagnosticEngine &diags)
      : policy(policy), schema(schema), types(types), diags(diags) {}

  void run() {
    checkNames();
    checkActionApplication();
    bool alwaysFalse = typecheck();
    report();
    if (alwaysFalse)
      diags.warning(policy.effectLoc,
                    "policy '" + policy.id +
                        "' is impossible: its condition is false for every "
                        "request the schema allows");
  }

private:
  void error(llvm::SMRange range, const llvm::Twine &message) {
    errors.push_back({range.Start, range, message.str()});
  }

  /// Declared entity types and actions, and enumerated entity ids.
  void checkNames() {
    PolicyNames names;
    names.collect(policy.principal);
    names.collect(policy.action);
    names.collect(policy.resource);
    for (const Condition &condition : policy.conditions)
      if (condition.body)
        names.collect(*condition.body);

    std::vector<std::string> declaredTypes;
    for (const schema::EntityTypeDef &def : schema.getEntityTypes())
      declaredTypes.push_back(def.name);
    for (const PolicyNames::TypeName &type : names.types) {
      // Action types are known whether or not the schema declares actions
      // of that type; their ids are checked below.
      if (schema::Schema::isActionTypeName(type.name) ||
          schema.findEntityType(type.name))
        continue;
      std::string message = "unrecognized entity type '" + type.name + "'";
      if (std::optional<std::string> suggestion =
              closest(type.name, declaredTypes))
        message += "; did you mean '" + *suggestion + "'?";
      error(type.range, message);
    }

    std::vector<std::string> declaredActions;
    for (const schema::ActionDef &action : schema.getActions())
      declaredActions.push_back(action.uid.str());
    for (const PolicyNames::Uid &uid : names.uids) {
      if (schema::Schema::isActionTypeName(uid.uid.type)) {
        if (schema.findAction(uid.uid))
          continue;
        std::string message = "unrecognized action " + uid.uid.str();
        // An action of the same name in another namespace is the likely
        // intent; otherwise, a similarly spelled one.
        std::optional<std::string> suggestion;
        for (const schema::ActionDef &action : schema.getActions())
          if (action.uid.id == uid.uid.id) {
            suggestion = action.uid.str();
            break;
          }
        if (!suggestion)
          suggestion = closest(uid.uid.str(), declaredActions);
        if (suggestion)
          message += "; did you mean " + *suggestion + "?";
        error(uid.range, message);
        continue;
      }
      const schema::EntityTypeDef *def = schema.findEntityType(uid.uid.type);
      if (!def || !def->isEnum() ||
          llvm::is_contained(*def->enumIds, uid.uid.id))
        continue;
      std::vector<std::string> ids;
      for (const std::string &id : *def->enumIds)
        ids.push_back(schema::quoteCedarString(id));
      error(uid.range, "invalid entity " + uid.uid.str() + ": '" +
                           uid.uid.type +
                           "' is an enumerated entity type whose ids are " +
                           llvm::join(ids, ", "));
    }
  }

  /// The actions the action scope admits.
  std::vector<const schema::ActionDef *> scopeActions() {
    std::vector<const schema::ActionDef *> actions;
    const ScopeConstraint &scope = policy.action;
    if (scope.kind == ScopeConstraint::Kind::Eq) {
      if (const EntityUidExpr *uid = scope.getEntity())
        if (const schema::ActionDef *action =
                schema.findAction({uid->getType().str(), uid->getId().str()}))
          actions.push_back(action);
      return actions;
    }
    if (scope.kind == ScopeConstraint::Kind::In ||
        scope.kind == ScopeConstraint::Kind::InList) {
      std::vector<const EntityUidExpr *> groups =
          scope.kind == ScopeConstraint::Kind::In
              ? std::vector<const EntityUidExpr *>{scope.getEntity()}
              : scope.getEntityList();
      std::set<schema::EntityUid> admitted;
      for (const EntityUidExpr *uid : groups) {
        if (!uid)
          continue;
        schema::EntityUid group{uid->getType().str(), uid->getId().str()};
        // Like Cedar, one undeclared group makes the whole list admit
        // nothing (it is reported as unrecognized).
        if (!schema.findAction(group))
          return {};
        admitted.insert(group);
        const std::set<schema::EntityUid> &members =
            schema.getDescendantActions(group);
        admitted.insert(members.begin(), members.end());
      }
      for (const schema::EntityUid &uid : admitted)
        actions.push_back(schema.findAction(uid));
      return actions;
    }
    for (const schema::ActionDef &action : schema.getActions())
      actions.push_back(&action);
    return actions;
  }

  /// The entity types the principal or resource scope admits.
  std::set<std::string> scopeEntityTypes(const ScopeConstraint &scope) {
    std::set<std::string> all;
    for (const schema::EntityTypeDef &def : schema.getEntityTypes())
      all.insert(def.name);
    auto inEntity = [&](const EntityUidExpr &uid) {
      std::string type = uid.getType().str();
      std::set<std::string> result = schema.getDescendantTypes(type);
      result.insert(type);
      return result;
    };
    const EntityUidExpr *uid = scope.getEntity();
    switch (scope.kind) {
    case ScopeConstraint::Kind::Any:
    case ScopeConstraint::Kind::InList:
      return all;
    case ScopeConstraint::Kind::Eq:
      if (uid)
        return {uid->getType().str()};
      return all;
    case ScopeConstraint::Kind::In:
      if (uid)
        return inEntity(*uid);
      return all;
    case ScopeConstraint::Kind::Is:
    case ScopeConstraint::Kind::IsIn: {
      if (!scope.entityType)
        return all;
      std::string type = scope.entityType->str();
      bool known =
          schema::Schema::isActionTypeName(type) || schema.findEntityType(type);
      if (scope.kind == ScopeConstraint::Kind::IsIn && uid) {
        if (inEntity(*uid).count(type))
          return {type};
        return {};
      }
      if (known)
        return {type};
      return {};
    }
    }
    return all;
  }

  void checkActionApplication() {
    std::vector<const schema::ActionDef *> actions = scopeActions();
    std::set<std::string> principals = scopeEntityTypes(policy.principal);
    std::set<std::string> resources = scopeEntityTypes(policy.resource);
    auto intersects = [](const std::set<std::string> &set,
                         const std::vector<std::string> &types) {
      return llvm::any_of(
          types, [&](const std::string &type) { return set.count(type) != 0; });
    };
    for (const schema::ActionDef *action : actions)
      if (intersects(principals, action->principalTypes) &&
          intersects(resources, action->resourceTypes))
        return;
    llvm::SMRange scope = {policy.principal.range.Start,
                           policy.resource.range.End};
    TypeError &problem = errors.emplace_back();
    problem.loc = scope.Start;
    problem.range = scope;
    problem.message = "unable to find an applicable action given the policy "
                      "scope constraints";
    // Suggest `in` where `==` names a group of the applicable types.
    for (const ScopeConstraint *constraint :
         {&policy.principal, &policy.resource}) {
      const EntityUidExpr *uid = constraint->getEntity();
      if (constraint->kind != ScopeConstraint::Kind::Eq || !uid)
        continue;
      const std::set<std::string> &members =
          schema.getDescendantTypes(uid->getType().str());
      bool isPrincipal = constraint == &policy.principal;
      for (const schema::ActionDef *action : actions) {
        const std::vector<std::string> &applicable =
            isPrincipal ? action->principalTypes : action->resourceTypes;
        if (intersects(members, applicable)) {
          problem.notes.emplace_back(
              constraint->range.Start,
              std::string("did you mean '") +
                  (isPrincipal ? "principal" : "resource") +
                  " in'? the action applies to entities that can be members "
                  "of '" +
                  uid->getType().str() + "'");
          break;
        }
      }
    }
  }

  /// Whether the policy uses the `slot` template slot in `scope`.
  static bool usesSlot(const ScopeConstraint &scope) {
    return scope.getSlot() != nullptr;
  }

  /// The entity types a slot of `scope` may be linked to when the scope's
  /// variable has type `variableType`: linking it to anything else would
  /// make the policy inapplicable.
  std::vector<std::optional<std::string>>
  slotLinks(const ScopeConstraint &scope, const std::string &variableType) {
    if (!usesSlot(scope))
      return {std::nullopt};
    std::vector<std::optional<std::string>> links;
    switch (scope.kind) {
    case ScopeConstraint::Kind::Eq:
      return {variableType};
    case ScopeConstraint::Kind::In:
    case ScopeConstraint::Kind::IsIn:
      for (const schema::EntityTypeDef &def : schema.getEntityTypes())
        if (schema.getDescendantTypes(def.name).count(variableType))
          links.push_back(def.name);
      links.push_back(variableType);
      return links;
    default:
      for (const schema::EntityTypeDef &def : schema.getEntityTypes())
        links.push_back(def.name);
      return links;
    }
  }

  /// Typechecks the condition in every request environment; returns true
  /// if it is false in all of them.
  bool typecheck() {
    unsigned depth = 0;
    for (const Condition &condition : policy.conditions)
      if (condition.body)
        depth = std::max(depth, depthOf(*condition.body));
    if (depth <= ShallowDepth)
      return typecheckEnvironments();
    bool alwaysFalse = false;
    llvm::thread worker(std::optional<unsigned>(DeepStackSize),
                        [&] { alwaysFalse = typecheckEnvironments(); });
    worker.join();
    return alwaysFalse;
  }

  bool typecheckEnvironments() {
    PolicyCondition condition(policy);
    bool alwaysFalse = true;
    for (const schema::ActionDef &action : schema.getActions()) {
      Type context = types.convertRecord(action.context);
      for (const std::string &principal : action.principalTypes)
        for (const std::string &resource : action.resourceTypes)
          for (const auto &principalSlot :
               slotLinks(policy.principal, principal))
            for (const auto &resourceSlot :
                 slotLinks(policy.resource, resource)) {
              RequestEnv env{principal, &action,       resource,
                             context,   principalSlot, resourceSlot};
              if (!typecheckCondition(condition, env, types, errors))
                alwaysFalse = false;
            }
    }
    return alwaysFalse;
  }

  /// Reports the errors in source order, each once (the same error usually
  /// shows up in many request environments).
  void report() {
    std::stable_sort(errors.begin(), errors.end(),
                     [](const TypeError &a, const TypeError &b) {
                       return a.loc.getPointer() < b.loc.getPointer();
                     });
    std::set<std::pair<const char *, std::string>> reported;
    for (const TypeError &e : errors) {
      if (!reported.insert({e.loc.getPointer(), e.message}).second)
        continue;
      std::string message = "policy '" + policy.id + "': " + e.message;
      if (e.range.isValid() && e.range.Start != e.range.End)
        diags.error(e.loc, message, {e.range});
      else
        diags.error(e.loc, message);
      for (const auto &[loc, note] : e.notes)
        diags.note(loc, note);
    }
  }

  const Policy &policy;
  const schema::Schema &schema;
  TypeSystem &types;
  DiagnosticEngine &diags;
  std::vector<TypeError> errors;
};

} // namespace

bool rune::cedar::validatePolicySet(const PolicySet &policySet,
                                    const schema::Schema &schema,
                                    DiagnosticEngine &diags) {
  TypeSystem types(schema);
  unsigned errorsBefore = diags.errorCount();
  for (const Policy &policy : policySet.policies)
    PolicyValidator(policy, schema, types, diags).run();
  return diags.errorCount() == errorsBefore;
}
