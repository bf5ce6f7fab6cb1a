//===- SouffleSema.cpp - Soufflé Datalog semantic checks ------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Sema/SouffleSema.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/Twine.h"

#include <map>

using namespace rune;
using namespace rune::souffle;

namespace {

class Checker {
public:
  Checker(const Program &program, DiagnosticEngine &diags)
      : program(program), diags(diags) {}

  bool run() {
    unsigned before = diags.errorCount();
    checkDeclarations();
    for (const IODirective &io : program.directives) {
      if (!relations.count(io.relation))
        diags.error(io.relationRange.Start,
                    "IO directive for undeclared relation '" + io.relation +
                        "'",
                    {io.relationRange});
    }
    for (const Clause &clause : program.clauses)
      checkClause(clause);
    return diags.errorCount() == before;
  }

private:
  static bool isBuiltinType(llvm::StringRef name) {
    return name == "number" || name == "unsigned" || name == "float" ||
           name == "symbol" || name == "any";
  }

  bool isKnownType(llvm::StringRef name) const {
    return isBuiltinType(name) || types.count(name);
  }

  void checkDeclarations() {
    for (const TypeDecl &type : program.types) {
      if (isBuiltinType(type.name)) {
        diags.error(type.nameRange.Start,
                    "redefinition of the builtin type '" + type.name + "'",
                    {type.nameRange});
        continue;
      }
      auto [it, inserted] = types.try_emplace(type.name, &type);
      if (!inserted) {
        diags.error(type.nameRange.Start,
                    "redefinition of type '" + type.name + "'",
                    {type.nameRange});
        diags.note(it->second->nameRange.Start, "previous definition is here");
      }
    }
    for (const TypeDecl &type : program.types) {
      if (!isKnownType(type.base))
        diags.error(type.baseRange.Start, "unknown type '" + type.base + "'",
                    {type.baseRange});
    }
    for (const RelationDecl &rel : program.relations) {
      auto [it, inserted] = relations.try_emplace(rel.name, &rel);
      if (!inserted) {
        diags.error(rel.nameRange.Start,
                    "redefinition of relation '" + rel.name + "'",
                    {rel.nameRange});
        diags.note(it->second->nameRange.Start, "previous declaration is here");
      }
      llvm::StringSet<> names;
      for (const Attribute &attr : rel.attributes) {
        if (!names.insert(attr.name).second)
          diags.error(attr.range.Start,
                      "duplicate attribute '" + attr.name + "' in relation '" +
                          rel.name + "'",
                      {attr.range});
        if (!isKnownType(attr.type))
          diags.error(attr.typeRange.Start, "unknown type '" + attr.type + "'",
                      {attr.typeRange});
      }
    }
  }

  //===--- Relations and arities ------------------------------------------===//

  void checkAtom(const Atom &atom) {
    auto it = relations.find(atom.relation);
    if (it == relations.end()) {
      diags.error(atom.nameRange.Start,
                  "use of undeclared relation '" + atom.relation + "'",
                  {atom.nameRange});
    } else if (it->second->attributes.size() != atom.args.size()) {
      diags.error(atom.nameRange.Start,
                  "relation '" + atom.relation + "' has arity " +
                      llvm::Twine(it->second->attributes.size()) +
                      " but is used with " + llvm::Twine(atom.args.size()) +
                      " argument" + (atom.args.size() == 1 ? "" : "s"),
                  {atom.range});
      diags.note(it->second->nameRange.Start, "declared here");
    }
    for (const Term &arg : atom.args)
      checkTerm(arg);
  }

  /// The boolean tests and their arities.
  void checkTest(const Term &test) {
    static const std::pair<const char *, size_t> tests[] = {
        {"contains", 2}, {"match", 2}, {"starts_with", 2}, {"ends_with", 2}};
    bool known = false;
    for (auto [name, arity] : tests) {
      if (test.text != name)
        continue;
      known = true;
      if (test.operands.size() != arity)
        diags.error(test.range.Start,
                    "'" + test.text + "' takes " + llvm::Twine(arity) +
                        " arguments, not " + llvm::Twine(test.operands.size()),
                    {test.range});
    }
    if (!known)
      diags.error(test.range.Start, "unknown test '" + test.text + "'",
                  {test.range});
    for (const Term &operand : test.operands)
      checkTerm(operand);
  }

  /// Functors and their arities (cat takes one or more arguments).
  void checkFunctor(const Term &term) {
    static const std::pair<const char *, size_t> functors[] = {
        {"strlen", 1},    {"substr", 3}, {"to_number", 1},
        {"to_string", 1}, {"min", 2},    {"max", 2}};
    if (term.text == "cat") {
      if (term.operands.empty())
        diags.error(term.range.Start, "'cat' needs at least one argument",
                    {term.range});
      return;
    }
    for (auto [name, arity] : functors) {
      if (term.text != name)
        continue;
      if (term.operands.size() != arity)
        diags.error(term.range.Start,
                    "'" + term.text + "' takes " + llvm::Twine(arity) +
                        " argument" + (arity == 1 ? "" : "s") + ", not " +
                        llvm::Twine(term.operands.size()),
                    {term.range});
      return;
    }
    diags.error(term.range.Start, "unknown functor '" + term.text + "'",
                {term.range});
  }

  void checkTerm(const Term &term) {
    if (term.kind == Term::Kind::Functor)
      checkFunctor(term);
    for (const Term &operand : term.operands)
      checkTerm(operand);
    for (const Literal &literal : term.body)
      checkLiteral(literal);
  }

  void checkLiteral(const Literal &literal) {
    if (literal.kind == Literal::Kind::Test) {
      checkTest(literal.sides[0]);
    } else if (literal.kind == Literal::Kind::Constraint) {
      for (const Term &side : literal.sides)
        checkTerm(side);
    } else {
      checkAtom(literal.atom);
    }
  }

  //===--- Groundedness ---------------------------------------------------===//

  /// The first occurrence of each variable, outside aggregate bodies.
  using Occurrences = std::map<std::string, llvm::SMRange>;
  /// Variables in source order of first occurrence.
  struct VarList {
    std::vector<std::string> order;
    Occurrences first;
    void add(const std::string &name, llvm::SMRange range) {
      if (first.emplace(name, range).second)
        order.push_back(name);
    }
  };

  static void collectVars(const Term &term, VarList &vars) {
    if (term.kind == Term::Kind::Variable)
      vars.add(term.text, term.range);
    if (term.kind == Term::Kind::Aggregate)
      return; // its variables are local to it (or bound outside)
    for (const Term &operand : term.operands)
      collectVars(operand, vars);
  }

  static void collectVars(const Literal &literal, VarList &vars) {
    if (literal.kind == Literal::Kind::Constraint ||
        literal.kind == Literal::Kind::Test) {
      for (const Term &side : literal.sides)
        collectVars(side, vars);
    } else {
      for (const Term &arg : literal.atom.args)
        collectVars(arg, vars);
    }
  }

  static bool isGroundedTerm(const Term &term, const llvm::StringSet<> &bound) {
    switch (term.kind) {
    case Term::Kind::Variable:
      return bound.count(term.text);
    case Term::Kind::Wildcard:
      return false;
    case Term::Kind::Aggregate:
      return true; // an aggregate yields a value
    default:
      for (const Term &operand : term.operands)
        if (!isGroundedTerm(operand, bound))
          return false;
      return true;
    }
  }

  /// The variables `body` binds, given the ones bound outside it.
  static llvm::StringSet<> groundedBy(const std::vector<Literal> &body,
                                      const llvm::StringSet<> &outer) {
    llvm::StringSet<> bound;
    for (const auto &entry : outer)
      bound.insert(entry.getKey());
    for (const Literal &literal : body)
      if (literal.kind == Literal::Kind::Atom)
        for (const Term &arg : literal.atom.args)
          if (arg.kind == Term::Kind::Variable)
            bound.insert(arg.text);
    bool changed = true;
    while (changed) {
      changed = false;
      for (const Literal &literal : body) {
        if (literal.kind != Literal::Kind::Constraint ||
            literal.compareOp != CompareOp::Eq)
          continue;
        for (int side = 0; side < 2; ++side) {
          const Term &var = literal.sides[side];
          const Term &value = literal.sides[1 - side];
          if (var.kind == Term::Kind::Variable && !bound.count(var.text) &&
              isGroundedTerm(value, bound)) {
            bound.insert(var.text);
            changed = true;
          }
        }
      }
    }
    return bound;
  }

  void reportUngrounded(const VarList &vars, const llvm::StringSet<> &bound) {
    for (const std::string &name : vars.order) {
      if (bound.count(name))
        continue;
      llvm::SMRange range = vars.first.at(name);
      diags.error(range.Start, "ungrounded variable '" + name + "'", {range});
    }
  }

  /// Checks the aggregates in `term` (and nested ones) given the variables
  /// bound around them.
  void checkAggregates(const Term &term, const llvm::StringSet<> &outer) {
    if (term.kind != Term::Kind::Aggregate) {
      for (const Term &operand : term.operands)
        checkAggregates(operand, outer);
      return;
    }
    llvm::StringSet<> bound = groundedBy(term.body, outer);
    VarList vars;
    for (const Term &operand : term.operands)
      collectVars(operand, vars);
    for (const Literal &literal : term.body)
      collectVars(literal, vars);
    reportUngrounded(vars, bound);
    for (const Term &operand : term.operands)
      checkAggregates(operand, bound);
    checkAggregatesIn(term.body, bound);
  }

  void checkAggregatesIn(const std::vector<Literal> &body,
                         const llvm::StringSet<> &bound) {
    for (const Literal &literal : body) {
      if (literal.kind == Literal::Kind::Constraint ||
          literal.kind == Literal::Kind::Test) {
        for (const Term &side : literal.sides)
          checkAggregates(side, bound);
      } else {
        for (const Term &arg : literal.atom.args)
          checkAggregates(arg, bound);
      }
    }
  }

  /// Soufflé rejects `_` in a head: it would leave a column unbound.
  void checkHeadWildcards(const Term &term) {
    if (term.kind == Term::Kind::Wildcard) {
      diags.error(term.range.Start,
                  "the wildcard '_' cannot appear in the head of a clause",
                  {term.range});
      return;
    }
    if (term.kind == Term::Kind::Aggregate)
      return;
    for (const Term &operand : term.operands)
      checkHeadWildcards(operand);
  }

  void checkClause(const Clause &clause) {
    checkAtom(clause.head);
    for (const Term &arg : clause.head.args)
      checkHeadWildcards(arg);
    for (const Literal &literal : clause.body)
      checkLiteral(literal);

    VarList vars;
    for (const Term &arg : clause.head.args)
      collectVars(arg, vars);
    for (const Literal &literal : clause.body)
      collectVars(literal, vars);
    llvm::StringSet<> bound = groundedBy(clause.body, {});
    reportUngrounded(vars, bound);
    for (const Term &arg : clause.head.args)
      checkAggregates(arg, bound);
    checkAggregatesIn(clause.body, bound);
  }

  const Program &program;
  DiagnosticEngine &diags;
  llvm::StringMap<const TypeDecl *> types;
  llvm::StringMap<const RelationDecl *> relations;
};

} // namespace

bool rune::souffle::checkProgram(const Program &program,
                                 DiagnosticEngine &diags) {
  return Checker(program, diags).run();
}
