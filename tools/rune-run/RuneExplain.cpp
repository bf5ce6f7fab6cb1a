//===- RuneExplain.cpp - Why a derived tuple holds ------------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "RuneExplain.h"

#include "rune/Runtime/Datalog/Word.h"
#include "rune/Runtime/RuneDecision.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

using namespace rune;
using namespace rune::cli;
using namespace rune::souffle;
using datalog::Word;

namespace {

/// A value of an `any` column while matching rules.
struct AnyValue {
  datalog::AnyKind kind = datalog::AnyKind::Integer;
  int64_t integer = 0;
  std::string text;
  bool boolean = false;

  bool operator==(const AnyValue &other) const {
    return kind == other.kind && integer == other.integer &&
           text == other.text && boolean == other.boolean;
  }
};

/// Kinds first (integers, strings, booleans), then values.
int compareAny(const AnyValue &a, const AnyValue &b) {
  if (a.kind != b.kind)
    return a.kind < b.kind ? -1 : 1;
  switch (a.kind) {
  case datalog::AnyKind::Integer:
    return a.integer < b.integer ? -1 : a.integer > b.integer;
  case datalog::AnyKind::Symbol:
    return a.text.compare(b.text) < 0 ? -1 : a.text != b.text;
  case datalog::AnyKind::Bool:
    return int(a.boolean) - int(b.boolean);
  }
  return 0;
}

AnyValue integerValue(int64_t value) {
  AnyValue v;
  v.kind = datalog::AnyKind::Integer;
  v.integer = value;
  return v;
}

using Environment = std::map<std::string, AnyValue>;
using TupleKey = std::pair<unsigned, std::vector<Word>>;

struct Derivation {
  std::string fact;
  std::string how;
  std::vector<Derivation> premises;
};

} // namespace

struct DerivationExplainer::Impl {
  Impl(const Program &program, const llvm::SourceMgr &sourceMgr,
       const RuneEvaluation &evaluation)
      : program(program), sourceMgr(sourceMgr), evaluation(evaluation) {}

  const Program &program;
  const llvm::SourceMgr &sourceMgr;
  const RuneEvaluation &evaluation;
  /// Rule instances tried; the search gives up beyond it.
  unsigned budget = 200000;

  //===--- Values ---------------------------------------------------------===//

  AnyValue decode(Word word) const {
    AnyValue v;
    v.kind = datalog::anyKind(word);
    switch (v.kind) {
    case datalog::AnyKind::Integer:
      v.integer = datalog::decodeAnyInteger(word);
      break;
    case datalog::AnyKind::Symbol:
      v.text = std::string(
          evaluation.symbols().resolve(datalog::decodeAnySymbol(word)));
      break;
    case datalog::AnyKind::Bool:
      v.boolean = datalog::decodeAnyBool(word);
      break;
    }
    return v;
  }

  std::string format(const std::string &relation,
                     const std::vector<Word> &tuple) const {
    std::string text = relation + "(";
    for (size_t i = 0; i < tuple.size(); ++i) {
      if (i)
        text += ", ";
      text += formatValue(decode(tuple[i]));
    }
    return text + ")";
  }

  std::string where(llvm::SMLoc loc) const {
    unsigned buffer = sourceMgr.FindBufferContainingLoc(loc);
    if (!buffer)
      return "";
    auto [line, column] = sourceMgr.getLineAndColumn(loc, buffer);
    return llvm::sys::path::filename(
               sourceMgr.getMemoryBuffer(buffer)->getBufferIdentifier())
               .str() +
           ":" + std::to_string(line);
  }

  //===--- Terms ----------------------------------------------------------===//

  static bool isGround(const Term &term, const Environment &env) {
    switch (term.kind) {
    case Term::Kind::Variable:
      return env.count(term.text) != 0;
    case Term::Kind::Wildcard:
      return false;
    case Term::Kind::Aggregate: {
      // Its group variables (those of its atom bound outside) must be bound.
      for (const Term &arg : term.body.front().atom.args)
        if (arg.kind == Term::Kind::Variable && !env.count(arg.text) &&
            (term.operands.empty() || arg.text != term.operands[0].text))
          return false;
      return true;
    }
    default:
      for (const Term &operand : term.operands)
        if (!isGround(operand, env))
          return false;
      return true;
    }
  }

  std::optional<AnyValue> evaluate(const Term &term,
                                   const Environment &env) const {
    switch (term.kind) {
    case Term::Kind::Variable: {
      auto it = env.find(term.text);
      if (it == env.end())
        return std::nullopt;
      return it->second;
    }
    case Term::Kind::Wildcard:
      return std::nullopt;
    case Term::Kind::Number: {
      int64_t value = 0;
      if (llvm::StringRef(term.text).getAsInteger(10, value))
        return std::nullopt;
      return integerValue(value);
    }
    case Term::Kind::String: {
      AnyValue v;
      v.kind = datalog::AnyKind::Symbol;
      v.text = term.text;
      return v;
    }
    case Term::Kind::Bool: {
      AnyValue v;
      v.kind = datalog::AnyKind::Bool;
      v.boolean = term.text == "true";
      return v;
    }
    case Term::Kind::Negate: {
      std::optional<AnyValue> operand = evaluate(term.operands[0], env);
      if (!operand || operand->kind != datalog::AnyKind::Integer)
        return std::nullopt;
      return integerValue(-operand->integer);
    }
    case Term::Kind::Binary: {
      std::optional<AnyValue> a = evaluate(term.operands[0], env);
      std::optional<AnyValue> b = evaluate(term.operands[1], env);
      if (!a || !b || a->kind != datalog::AnyKind::Integer ||
          b->kind != datalog::AnyKind::Integer)
        return std::nullopt;
      switch (term.binaryOp) {
      case BinaryOp::Add:
        return integerValue(a->integer + b->integer);
      case BinaryOp::Sub:
        return integerValue(a->integer - b->integer);
      case BinaryOp::Mul:
        return integerValue(a->integer * b->integer);
      case BinaryOp::Div:
        if (b->integer == 0)
          return std::nullopt;
        return integerValue(a->integer / b->integer);
      case BinaryOp::Mod:
        if (b->integer == 0)
          return std::nullopt;
        return integerValue(a->integer % b->integer);
      }
      return std::nullopt;
    }
    case Term::Kind::Functor: {
      if (term.text != "strlen")
        return std::nullopt;
      std::optional<AnyValue> operand = evaluate(term.operands[0], env);
      if (!operand || operand->kind != datalog::AnyKind::Symbol)
        return std::nullopt;
      return integerValue(static_cast<int64_t>(operand->text.size()));
    }
    case Term::Kind::Aggregate:
      return aggregate(term, env);
    }
    return std::nullopt;
  }

  /// The value of a lowered aggregate `op V : _agg<k>(G..., V)`.
  std::optional<AnyValue> aggregate(const Term &term,
                                    const Environment &env) const {
    const Atom &atom = term.body.front().atom;
    std::vector<AnyValue> values;
    forEachMatch(atom, env, [&](const Environment &match, const Word *tuple) {
      values.push_back(decode(tuple[atom.args.size() - 1]));
      (void)match;
      return true;
    });
    if (term.aggregateOp == AggregateOp::Count)
      return integerValue(static_cast<int64_t>(values.size()));
    if (values.empty()) {
      if (term.aggregateOp == AggregateOp::Sum)
        return integerValue(0);
      return std::nullopt;
    }
    switch (term.aggregateOp) {
    case AggregateOp::Sum:
    case AggregateOp::Mean: {
      int64_t sum = 0;
      for (const AnyValue &v : values) {
        if (v.kind != datalog::AnyKind::Integer)
          return std::nullopt;
        sum += v.integer;
      }
      if (term.aggregateOp == AggregateOp::Sum)
        return integerValue(sum);
      return integerValue(sum / static_cast<int64_t>(values.size()));
    }
    case AggregateOp::Min:
      return *std::min_element(
          values.begin(), values.end(),
          [](auto &a, auto &b) { return compareAny(a, b) < 0; });
    case AggregateOp::Max:
      return *std::max_element(
          values.begin(), values.end(),
          [](auto &a, auto &b) { return compareAny(a, b) < 0; });
    default:
      return std::nullopt;
    }
  }

  //===--- Atoms ----------------------------------------------------------===//

  /// Calls `fn(environment, tuple)` for each tuple of `atom`'s relation
  /// that agrees with `env`, binding the atom's unbound variables; stops
  /// when `fn` returns false. Returns false if stopped.
  template <typename Fn>
  bool forEachMatch(const Atom &atom, const Environment &env, Fn &&fn) const {
    std::optional<unsigned> slot = evaluation.findRelation(atom.relation);
    if (!slot)
      return true;
    const datalog::Relation &relation = evaluation.relation(*slot);
    for (auto cursor = relation.scan(); cursor.valid(); cursor.next()) {
      const Word *tuple = cursor.tuple();
      Environment bound = env;
      bool matches = true;
      for (size_t i = 0; i < atom.args.size() && matches; ++i) {
        const Term &arg = atom.args[i];
        AnyValue value = decode(tuple[i]);
        if (arg.kind == Term::Kind::Wildcard)
          continue;
        if (arg.kind == Term::Kind::Variable && !bound.count(arg.text)) {
          bound[arg.text] = value;
          continue;
        }
        std::optional<AnyValue> expected = evaluate(arg, bound);
        matches = expected && *expected == value;
      }
      if (matches && !fn(bound, tuple))
        return false;
    }
    return true;
  }

  //===--- Rule bodies ----------------------------------------------------===//

  /// A positive body tuple (proved in turn), or a leaf: a negated atom
  /// that holds or an aggregate's value (`leaf` is its text, `leafHow` why).
  struct Premise {
    std::string relation;
    unsigned slot;
    std::vector<Word> tuple;
    std::string leaf;
    std::string leafHow;
  };

  std::string formatValue(const AnyValue &value) const {
    switch (value.kind) {
    case datalog::AnyKind::Integer:
      return std::to_string(value.integer);
    case datalog::AnyKind::Bool:
      return value.boolean ? "true" : "false";
    case datalog::AnyKind::Symbol:
      break;
    }
    std::string text = "\"";
    for (char c : value.text) {
      if (c == '"' || c == '\\')
        text += '\\';
      text += c;
    }
    return text + "\"";
  }

  /// `count(C, api_call("alice", _, C)) = 3`: the aggregate as written,
  /// from the auxiliary rule `_agg<k>(G..., V) :- atom.` Sema lowered it to,
  /// with the group variables' values.
  std::string describeAggregate(const Term &aggregate, const Environment &env,
                                const AnyValue &result) const {
    const Atom &scan = aggregate.body.front().atom;
    const Clause *auxiliary = nullptr;
    for (const Clause &clause : program.clauses)
      if (clause.head.relation == scan.relation && !clause.body.empty())
        auxiliary = &clause;
    std::string text = spelling(aggregate.aggregateOp);
    if (!auxiliary)
      return text + " over " + scan.relation + " = " + formatValue(result);
    // The auxiliary head's group variables take the values the scan's
    // arguments have here.
    Environment groups;
    const std::vector<Term> &head = auxiliary->head.args;
    for (size_t i = 0; i + 1 < head.size() && i < scan.args.size(); ++i)
      if (head[i].kind == Term::Kind::Variable)
        if (std::optional<AnyValue> v = evaluate(scan.args[i], env))
          groups[head[i].text] = *v;
    auto show = [&](const Term &term) -> std::string {
      if (term.kind == Term::Kind::Wildcard)
        return "_";
      if (term.kind == Term::Kind::Variable && !groups.count(term.text))
        return term.text;
      std::optional<AnyValue> v = evaluate(term, groups);
      return v ? formatValue(*v) : "?";
    };
    const Atom &atom = auxiliary->body.front().atom;
    text += "(" + show(head.back()) + ", " + atom.relation + "(";
    for (size_t i = 0; i < atom.args.size(); ++i)
      text += (i ? ", " : "") + show(atom.args[i]);
    return text + ")) = " + formatValue(result);
  }

  /// `not r(a, _)` with the atom's bound values.
  std::string formatNegation(const Atom &atom, const Environment &env) const {
    std::string text = "not " + atom.relation + "(";
    for (size_t i = 0; i < atom.args.size(); ++i) {
      if (i)
        text += ", ";
      std::optional<AnyValue> value = evaluate(atom.args[i], env);
      text += value ? formatValue(*value) : "_";
    }
    return text + ")";
  }

  static bool test(const Term &functor, const std::vector<AnyValue> &args) {
    if (args.size() != 2 || args[0].kind != datalog::AnyKind::Symbol ||
        args[1].kind != datalog::AnyKind::Symbol)
      return false;
    llvm::StringRef first = args[0].text, second = args[1].text;
    if (functor.text == "starts_with")
      return first.starts_with(second);
    if (functor.text == "ends_with")
      return first.ends_with(second);
    if (functor.text == "contains") // contains(needle, haystack)
      return second.contains(first);
    return false;
  }

  static bool compare(CompareOp op, const AnyValue &a, const AnyValue &b) {
    int order = compareAny(a, b);
    switch (op) {
    case CompareOp::Eq:
      return order == 0;
    case CompareOp::Ne:
      return order != 0;
    case CompareOp::Lt:
      return order < 0;
    case CompareOp::Le:
      return order <= 0;
    case CompareOp::Gt:
      return order > 0;
    case CompareOp::Ge:
      return order >= 0;
    }
    return false;
  }

  /// Finds assignments satisfying `pending` (literal indices of `body`),
  /// calling `fn(env, premises)` for each until it returns false.
  template <typename Fn>
  bool solve(const std::vector<Literal> &body, std::vector<size_t> pending,
             const Environment &env, std::vector<Premise> &premises, Fn &&fn) {
    if (budget == 0)
      return false;
    --budget;
    if (pending.empty())
      return fn(env, premises);
    // Positive atoms first (they bind), then equations that bind, then the
    // checks whose variables are all bound.
    for (size_t p = 0; p < pending.size(); ++p) {
      const Literal &literal = body[pending[p]];
      if (literal.kind != Literal::Kind::Atom)
        continue;
      std::vector<size_t> rest = pending;
      rest.erase(rest.begin() + p);
      std::optional<unsigned> slot =
          evaluation.findRelation(literal.atom.relation);
      if (!slot)
        return true;
      return forEachMatch(
          literal.atom, env, [&](const Environment &bound, const Word *tuple) {
            premises.push_back(
                {literal.atom.relation, *slot,
                 std::vector<Word>(tuple, tuple + literal.atom.args.size())});
            bool more = solve(body, rest, bound, premises, fn);
            premises.pop_back();
            return more;
          });
    }
    for (size_t p = 0; p < pending.size(); ++p) {
      const Literal &literal = body[pending[p]];
      if (literal.kind != Literal::Kind::Constraint ||
          literal.compareOp != CompareOp::Eq)
        continue;
      for (int side = 0; side < 2; ++side) {
        const Term &var = literal.sides[side];
        const Term &value = literal.sides[1 - side];
        if (var.kind != Term::Kind::Variable || env.count(var.text) ||
            !isGround(value, env))
          continue;
        std::vector<size_t> rest = pending;
        rest.erase(rest.begin() + p);
        std::optional<AnyValue> computed = evaluate(value, env);
        if (!computed)
          return true; // no value: no solution down this path
        Environment bound = env;
        bound[var.text] = *computed;
        if (value.kind != Term::Kind::Aggregate)
          return solve(body, rest, bound, premises, fn);
        premises.push_back(
            {"", 0, {}, describeAggregate(value, env, *computed), "aggregate"});
        bool more = solve(body, rest, bound, premises, fn);
        premises.pop_back();
        return more;
      }
    }
    for (size_t p = 0; p < pending.size(); ++p) {
      const Literal &literal = body[pending[p]];
      std::vector<size_t> rest = pending;
      rest.erase(rest.begin() + p);
      if (literal.kind == Literal::Kind::NegatedAtom) {
        bool found = false;
        forEachMatch(literal.atom, env, [&](const Environment &, const Word *) {
          found = true;
          return false;
        });
        if (found)
          return true;
        premises.push_back({literal.atom.relation,
                            0,
                            {},
                            formatNegation(literal.atom, env),
                            "no such tuple"});
        bool more = solve(body, rest, env, premises, fn);
        premises.pop_back();
        return more;
      }
      bool ready = true;
      for (const Term &side : literal.sides)
        ready &=
            side.kind == Term::Kind::Functor
                ? std::all_of(side.operands.begin(), side.operands.end(),
                              [&](const Term &t) { return isGround(t, env); })
                : isGround(side, env);
      if (!ready)
        continue;
      bool holds = false;
      if (literal.kind == Literal::Kind::Test) {
        std::vector<AnyValue> args;
        for (const Term &operand : literal.sides[0].operands) {
          std::optional<AnyValue> v = evaluate(operand, env);
          if (!v)
            return true;
          args.push_back(*v);
        }
        holds = test(literal.sides[0], args);
      } else {
        std::optional<AnyValue> a = evaluate(literal.sides[0], env);
        std::optional<AnyValue> b = evaluate(literal.sides[1], env);
        holds = a && b && compare(literal.compareOp, *a, *b);
        // An aggregate checked against a bound value: show its value.
        for (int side = 0; holds && side < 2; ++side) {
          if (literal.sides[side].kind != Term::Kind::Aggregate)
            continue;
          premises.push_back(
              {"",
               0,
               {},
               describeAggregate(literal.sides[side], env, side ? *b : *a),
               "aggregate"});
          bool more = solve(body, rest, env, premises, fn);
          premises.pop_back();
          return more;
        }
      }
      return holds ? solve(body, rest, env, premises, fn) : true;
    }
    return true; // nothing can be checked: not a solution
  }

  //===--- Derivations ----------------------------------------------------===//

  std::optional<Derivation> prove(const std::string &relation, unsigned slot,
                                  const std::vector<Word> &tuple,
                                  std::set<TupleKey> &path) {
    TupleKey key{slot, tuple};
    if (path.count(key) || budget == 0)
      return std::nullopt;
    std::string text = format(relation, tuple);
    if (relation == "principal" || relation == "action" ||
        relation == "resource" || relation == "context")
      return Derivation{text, "request", {}};
    if (relation == "entity" || relation == "parent" || relation == "attr")
      return Derivation{text, "entities", {}};
    std::vector<AnyValue> values;
    for (Word word : tuple)
      values.push_back(decode(word));

    path.insert(key);
    std::optional<Derivation> found;
    for (const Clause &clause : program.clauses) {
      if (clause.head.relation != relation ||
          clause.head.args.size() != tuple.size())
        continue;
      // Bind the head's variables to the tuple; other head terms are
      // checked once the body has bound their variables.
      Environment env;
      bool unifies = true;
      for (size_t i = 0; i < tuple.size() && unifies; ++i) {
        const Term &arg = clause.head.args[i];
        if (arg.kind == Term::Kind::Variable) {
          auto [it, inserted] = env.emplace(arg.text, values[i]);
          unifies = inserted || it->second == values[i];
        }
      }
      if (!unifies)
        continue;
      std::string how =
          (clause.isFact() ? "fact, " : "rule, ") + where(clause.range.Start);
      std::vector<size_t> pending;
      for (size_t i = 0; i < clause.body.size(); ++i)
        pending.push_back(i);
      std::vector<Premise> premises;
      solve(clause.body, pending, env, premises,
            [&](const Environment &bound, const std::vector<Premise> &used) {
              for (size_t i = 0; i < tuple.size(); ++i) {
                std::optional<AnyValue> v =
                    evaluate(clause.head.args[i], bound);
                if (!v || !(*v == values[i]))
                  return true; // another instance
              }
              Derivation derivation{text, how, {}};
              for (const Premise &premise : used) {
                if (!premise.leaf.empty()) {
                  derivation.premises.push_back(
                      {premise.leaf, premise.leafHow, {}});
                  continue;
                }
                std::optional<Derivation> sub =
                    prove(premise.relation, premise.slot, premise.tuple, path);
                if (!sub)
                  return true;
                // An auxiliary relation (what a .rune aggregate ranges
                // over) is not in the source: show what it came from.
                if (isAuxiliary(premise.relation))
                  for (Derivation &inner : sub->premises)
                    derivation.premises.push_back(std::move(inner));
                else
                  derivation.premises.push_back(std::move(*sub));
              }
              found = std::move(derivation);
              return false;
            });
      if (found)
        break;
    }
    path.erase(key);
    return found;
  }

  bool isAuxiliary(const std::string &relation) const {
    return llvm::any_of(program.relations, [&](const RelationDecl &decl) {
      return decl.auxiliary && decl.name == relation;
    });
  }

  void print(const Derivation &derivation, unsigned depth,
             std::ostream &os) const {
    os << std::string(2 * depth, ' ') << derivation.fact << "  ["
       << derivation.how << "]\n";
    for (const Derivation &premise : derivation.premises)
      print(premise, depth + 1, os);
  }
};

DerivationExplainer::DerivationExplainer(const Program &program,
                                         const llvm::SourceMgr &sourceMgr,
                                         const RuneEvaluation &evaluation)
    : impl(std::make_unique<Impl>(program, sourceMgr, evaluation)) {}

DerivationExplainer::~DerivationExplainer() = default;

bool DerivationExplainer::explainFirst(std::string_view relation,
                                       std::ostream &os) {
  std::optional<unsigned> slot = impl->evaluation.findRelation(relation);
  if (!slot)
    return false;
  const datalog::Relation &tuples = impl->evaluation.relation(*slot);
  auto cursor = tuples.scan();
  if (!cursor.valid())
    return false;
  size_t arity = tuples.arity();
  std::vector<Word> tuple(cursor.tuple(), cursor.tuple() + arity);
  std::set<TupleKey> path;
  std::optional<Derivation> derivation =
      impl->prove(std::string(relation), *slot, tuple, path);
  if (!derivation)
    return false;
  impl->print(*derivation, 1, os);
  return true;
}
