//===- RuneSema.cpp - Checks of .rune files and their Datalog program -----===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Sema/RuneSema.h"
#include "rune/Sema/CedarSema.h"
#include "rune/Sema/SouffleSema.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/Twine.h"

#include <map>

using namespace rune;
using namespace rune::runefile;
using namespace rune::souffle;

static const RequestRelation RequestRelationTable[] = {
    {"principal", 1}, {"action", 1}, {"resource", 1}, {"context", 2},
    {"entity", 1},    {"parent", 2}, {"attr", 3},
};

llvm::ArrayRef<RequestRelation> rune::runefile::requestRelations() {
  return RequestRelationTable;
}

bool rune::runefile::isRequestRelation(llvm::StringRef name) {
  for (const RequestRelation &relation : RequestRelationTable)
    if (name == relation.name)
      return true;
  return false;
}

bool rune::runefile::isAllowRelation(llvm::StringRef name) {
  return name == "allow" || name.starts_with("allow_");
}

bool rune::runefile::isDenyRelation(llvm::StringRef name) {
  return name == "deny" || name.starts_with("deny_");
}

namespace {

std::string pluralArguments(unsigned count) {
  return std::to_string(count) + (count == 1 ? " argument" : " arguments");
}

/// Calls `fn` on every aggregate term inside `term` (itself included).
template <typename Fn> void forEachAggregate(Term &term, Fn &&fn) {
  if (term.kind == Term::Kind::Aggregate) {
    fn(term);
    return;
  }
  for (Term &operand : term.operands)
    forEachAggregate(operand, fn);
}

/// Variables of `term`, aggregates included (their value and atom).
void collectVariables(const Term &term, std::vector<const Term *> &out) {
  if (term.kind == Term::Kind::Variable)
    out.push_back(&term);
  for (const Term &operand : term.operands)
    collectVariables(operand, out);
  for (const Literal &literal : term.body)
    for (const Term &arg : literal.atom.args)
      collectVariables(arg, out);
}

/// Variables of `term` outside aggregates (whose variables are their own).
void collectOuterVariables(const Term &term, std::vector<const Term *> &out) {
  if (term.kind == Term::Kind::Aggregate)
    return;
  if (term.kind == Term::Kind::Variable)
    out.push_back(&term);
  for (const Term &operand : term.operands)
    collectOuterVariables(operand, out);
}

void collectOuterVariables(const Literal &literal,
                           std::vector<const Term *> &out) {
  for (const Term &side : literal.sides)
    collectOuterVariables(side, out);
  for (const Term &arg : literal.atom.args)
    collectOuterVariables(arg, out);
}

void collectVariables(const Literal &literal, std::vector<const Term *> &out) {
  for (const Term &side : literal.sides)
    collectVariables(side, out);
  for (const Term &arg : literal.atom.args)
    collectVariables(arg, out);
}

class RuneChecker {
public:
  RuneChecker(RuneFile &file, DiagnosticEngine &diags)
      : file(file), diags(diags) {}

  std::optional<Program> run() {
    unsigned before = diags.errorCount();
    for (const RequestRelation &relation : requestRelations())
      addRelation(relation.name, relation.arity, {}, Origin::Request);
    for (const DataFact &fact : file.dataFacts)
      if (!relations.count(fact.relation))
        addRelation(fact.relation, 1, fact.keyRange, Origin::Data);
      else
        checkDataArity(fact);

    for (const Clause &clause : file.rules) {
      useAtom(clause.head, /*isHead=*/true);
      for (const Literal &literal : clause.body)
        useLiteral(literal);
      checkNegatedVariables(clause);
    }
    if (diags.errorCount() != before)
      return std::nullopt;
    warnAboutEmptyRelations();

    Program program = lower();
    if (!souffle::checkProgram(program, diags))
      return std::nullopt;
    if (!cedar::checkPolicySet(file.policies, diags))
      return std::nullopt;
    if (diags.errorCount() != before)
      return std::nullopt;
    return program;
  }

private:
  enum class Origin { Request, Data, Rules };
  struct RelationInfo {
    unsigned arity;
    llvm::SMRange firstUse;
    Origin origin;
    /// Whether facts or rules give it tuples (request and data relations
    /// always do).
    bool defined;
  };

  void addRelation(llvm::StringRef name, unsigned arity, llvm::SMRange range,
                   Origin origin) {
    relations[name] = {arity, range, origin, origin != Origin::Rules};
    order.push_back(name.str());
  }

  void checkDataArity(const DataFact &fact) {
    RelationInfo &info = relations[fact.relation];
    if (info.origin == Origin::Request) {
      diags.error(fact.keyRange.Start,
                  "the [data] key '" + fact.relation +
                      "' names a request relation",
                  {fact.keyRange});
    }
  }

  void explainArity(llvm::StringRef name, const RelationInfo &info) {
    switch (info.origin) {
    case Origin::Request:
      diags.note(llvm::SMLoc(), "'" + name + "' is a request relation with " +
                                    pluralArguments(info.arity));
      return;
    case Origin::Data:
      diags.note(info.firstUse.Start,
                 "'" + name + "' is a [data] key: a relation with 1 argument");
      return;
    case Origin::Rules:
      diags.note(info.firstUse.Start,
                 "first used with " + pluralArguments(info.arity) + " here");
      return;
    }
  }

  void useAtom(const Atom &atom, bool isHead) {
    unsigned arity = atom.args.size();
    auto it = relations.find(atom.relation);
    if (it == relations.end()) {
      addRelation(atom.relation, arity, atom.nameRange, Origin::Rules);
      it = relations.find(atom.relation);
    } else if (it->second.arity != arity) {
      diags.error(atom.nameRange.Start,
                  "relation '" + atom.relation + "' is used with " +
                      pluralArguments(arity) + " here but has " +
                      pluralArguments(it->second.arity),
                  {atom.range});
      explainArity(atom.relation, it->second);
    }
    if (!isHead)
      return;
    if (it->second.origin == Origin::Request) {
      diags.error(atom.nameRange.Start,
                  "'" + atom.relation +
                      "' is a request relation: its tuples come from the "
                      "request and cannot be defined by facts or rules",
                  {atom.nameRange});
      return;
    }
    it->second.defined = true;
  }

  void useTerm(const Term &term) {
    for (const Term &operand : term.operands)
      useTerm(operand);
    for (const Literal &literal : term.body)
      useLiteral(literal);
  }

  void useLiteral(const Literal &literal) {
    if (literal.kind == Literal::Kind::Atom ||
        literal.kind == Literal::Kind::NegatedAtom)
      useAtom(literal.atom, /*isHead=*/false);
    for (const Term &side : literal.sides)
      useTerm(side);
  }

  /// A variable only in negated atoms would range over everything. The
  /// head does not bind variables, so it does not count.
  void checkNegatedVariables(const Clause &clause) {
    std::vector<const Term *> positive;
    std::vector<const Term *> negated;
    for (const Literal &literal : clause.body) {
      if (literal.kind == Literal::Kind::NegatedAtom)
        collectVariables(literal, negated);
      else
        collectVariables(literal, positive);
    }
    llvm::StringSet<> bound;
    for (const Term *var : positive)
      bound.insert(var->text);
    llvm::StringSet<> reported;
    for (const Term *var : negated) {
      if (bound.count(var->text) || !reported.insert(var->text).second)
        continue;
      diags.error(var->range.Start,
                  "variable '" + var->text +
                      "' occurs only in negated atoms; bind it in a positive "
                      "atom of the rule",
                  {var->range});
    }
  }

  void warnAboutEmptyRelations() {
    for (const std::string &name : order) {
      const RelationInfo &info = relations[name];
      if (info.defined)
        continue;
      diags.warning(info.firstUse.Start,
                    "relation '" + name +
                        "' has no facts or rules: it is always empty",
                    {info.firstUse});
    }
  }

  //===--- Lowering to the Datalog program --------------------------------===//

  static Term variable(const std::string &name, llvm::SMRange range) {
    Term term;
    term.kind = Term::Kind::Variable;
    term.text = name;
    term.range = range;
    return term;
  }

  static Term wildcard(llvm::SMRange range) {
    Term term;
    term.kind = Term::Kind::Wildcard;
    term.text = "_";
    term.range = range;
    return term;
  }

  static Literal atomLiteral(Atom atom) {
    Literal literal;
    literal.kind = Literal::Kind::Atom;
    literal.range = atom.range;
    literal.atom = std::move(atom);
    return literal;
  }

  Program lower() {
    Program program;
    std::vector<Clause> clauses;
    for (const DataFact &fact : file.dataFacts) {
      Clause clause;
      clause.range = fact.value.range;
      clause.head.relation = fact.relation;
      clause.head.range = fact.value.range;
      clause.head.nameRange = fact.keyRange;
      Term value;
      value.range = fact.value.range;
      switch (fact.value.kind) {
      case DataValue::Kind::String:
        value.kind = Term::Kind::String;
        value.text = fact.value.string;
        break;
      case DataValue::Kind::Integer:
        value.kind = Term::Kind::Number;
        if (fact.value.integer >= 0) {
          value.text = std::to_string(fact.value.integer);
        } else {
          // Negative constants are Negate(Number), as in the rules.
          Term magnitude = value;
          magnitude.text =
              std::to_string(0 - static_cast<uint64_t>(fact.value.integer));
          value.kind = Term::Kind::Negate;
          value.operands.push_back(std::move(magnitude));
        }
        break;
      default:
        value.kind = Term::Kind::Bool;
        value.text = fact.value.boolean ? "true" : "false";
        break;
      }
      clause.head.args.push_back(std::move(value));
      clauses.push_back(std::move(clause));
    }

    unsigned aggregates = 0;
    for (const Clause &rule : file.rules) {
      Clause clause = rule;
      lowerAggregates(clause, aggregates, clauses);
      clauses.push_back(std::move(clause));
    }

    for (const std::string &name : order) {
      const RelationInfo &info = relations[name];
      program.relations.push_back(declaration(name, info.arity, info.firstUse));
    }
    for (const auto &[name, arity] : auxiliaries) {
      program.relations.push_back(declaration(name, arity, {}));
      program.relations.back().auxiliary = true;
    }
    for (const std::string &name : order) {
      const RelationInfo &info = relations[name];
      if (info.origin != Origin::Rules || !info.defined)
        continue;
      IODirective output;
      output.kind = IODirective::Kind::Output;
      output.relation = name;
      output.range = output.relationRange = info.firstUse;
      program.directives.push_back(std::move(output));
    }
    program.clauses = std::move(clauses);
    return program;
  }

  static RelationDecl declaration(const std::string &name, unsigned arity,
                                  llvm::SMRange range) {
    RelationDecl decl;
    decl.name = name;
    decl.range = decl.nameRange = range;
    for (unsigned i = 0; i < arity; ++i) {
      Attribute attribute;
      attribute.name = "x" + std::to_string(i);
      attribute.type = "any";
      attribute.range = attribute.typeRange = range;
      decl.attributes.push_back(std::move(attribute));
    }
    return decl;
  }

  /// Rewrites each .rune aggregate of `clause` (over distinct values) into
  /// Soufflé's (over the tuples of an auxiliary relation holding the
  /// distinct (group, value) pairs), adding the auxiliary rules to `out`.
  void lowerAggregates(Clause &clause, unsigned &counter,
                       std::vector<Clause> &out) {
    std::vector<Literal> binders;
    for (size_t index = 0; index < clause.body.size(); ++index) {
      for (Term &side : clause.body[index].sides) {
        forEachAggregate(side, [&](Term &aggregate) {
          lowerAggregate(clause, aggregate, ++counter, out, binders);
        });
      }
    }
    // Binders go first so that the groups are bound before the aggregate.
    clause.body.insert(clause.body.begin(), binders.begin(), binders.end());
  }

  void lowerAggregate(const Clause &clause, Term &aggregate, unsigned number,
                      std::vector<Clause> &out, std::vector<Literal> &binders) {
    const Atom &atom = aggregate.body.front().atom;
    const Term &value = aggregate.operands.front();
    llvm::SMRange range = aggregate.range;

    // Variables occurring elsewhere in the rule, and those a positive atom
    // elsewhere binds.
    std::vector<const Term *> elsewhere;
    for (const Term &arg : clause.head.args)
      collectOuterVariables(arg, elsewhere);
    llvm::StringSet<> boundByAtoms;
    for (const Literal &literal : clause.body) {
      collectOuterVariables(literal, elsewhere);
      if (literal.kind == Literal::Kind::Atom)
        for (const Term &arg : literal.atom.args)
          if (arg.kind == Term::Kind::Variable)
            boundByAtoms.insert(arg.text);
    }
    llvm::StringSet<> elsewhereNames;
    for (const Term *var : elsewhere)
      elsewhereNames.insert(var->text);

    std::vector<const Term *> groups;
    llvm::StringSet<> seen;
    for (const Term &arg : atom.args) {
      std::vector<const Term *> vars;
      collectVariables(arg, vars);
      for (const Term *var : vars)
        if (var->text != value.text && elsewhereNames.count(var->text) &&
            seen.insert(var->text).second)
          groups.push_back(var);
    }

    std::string auxiliary = "_agg" + std::to_string(number);
    auxiliaries.emplace_back(auxiliary, groups.size() + 1);

    // _agg<k>(G1, ..., Gn, V) :- atom.
    Clause rule;
    rule.range = range;
    rule.head.relation = auxiliary;
    rule.head.range = rule.head.nameRange = range;
    for (const Term *group : groups)
      rule.head.args.push_back(*group);
    rule.head.args.push_back(value);
    rule.body.push_back(aggregate.body.front());
    out.push_back(std::move(rule));

    // Groups only the head binds range over the groups that exist.
    bool needsBinder = false;
    Atom binder;
    binder.relation = auxiliary;
    binder.range = binder.nameRange = range;
    for (const Term *group : groups) {
      if (boundByAtoms.count(group->text)) {
        binder.args.push_back(wildcard(range));
      } else {
        binder.args.push_back(*group);
        needsBinder = true;
      }
    }
    binder.args.push_back(wildcard(range));
    if (needsBinder)
      binders.push_back(atomLiteral(std::move(binder)));

    // op V' : _agg<k>(G1, ..., Gn, V')
    Atom scan;
    scan.relation = auxiliary;
    scan.range = scan.nameRange = range;
    for (const Term *group : groups)
      scan.args.push_back(*group);
    Term local = variable(auxiliary + "_value", value.range);
    if (aggregate.aggregateOp == AggregateOp::Count) {
      scan.args.push_back(wildcard(range));
      aggregate.operands.clear();
    } else {
      scan.args.push_back(local);
      aggregate.operands = {local};
    }
    aggregate.body.clear();
    aggregate.body.push_back(atomLiteral(std::move(scan)));
  }

  RuneFile &file;
  DiagnosticEngine &diags;
  llvm::StringMap<RelationInfo> relations;
  /// Relation names in order of first appearance.
  std::vector<std::string> order;
  std::vector<std::pair<std::string, unsigned>> auxiliaries;
};

} // namespace

std::optional<Program> rune::runefile::checkRuneFile(RuneFile &file,
                                                     DiagnosticEngine &diags) {
  return RuneChecker(file, diags).run();
}
