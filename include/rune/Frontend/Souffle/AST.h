//===- AST.h - Soufflé Datalog AST ------------------------------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The owned AST of a Soufflé `.dl` program. Every node keeps the source range
// it was parsed from (pointers into the SourceMgr buffer).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_FRONTEND_SOUFFLE_AST_H
#define RUNE_FRONTEND_SOUFFLE_AST_H

#include "llvm/Support/SMLoc.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rune::souffle {

struct Literal;
struct Atom;

/// `.type Name <: symbol` (subtype) or `.type Name = Other` (alias).
struct TypeDecl {
  enum class Kind { Subtype, Alias };
  Kind kind = Kind::Subtype;
  std::string name;
  std::string base;
  llvm::SMRange range;
  llvm::SMRange nameRange;
  llvm::SMRange baseRange;
};

/// A column of a relation. `type` is a Soufflé type name (number, unsigned,
/// float, symbol or a declared type) or `any`, the dynamically typed column
/// of .rune rules (strings, integers and booleans, compared by kind first).
struct Attribute {
  std::string name;
  std::string type;
  llvm::SMRange range;
  llvm::SMRange typeRange;
};

/// One relation of `.decl a, b(x: number)` (each name gets its own).
struct RelationDecl {
  std::string name;
  std::vector<Attribute> attributes;
  llvm::SMRange range;
  llvm::SMRange nameRange;
  /// Introduced by the compiler (the values a .rune aggregate ranges over),
  /// not written by the user: diagnostics and explanations leave it out.
  bool auxiliary = false;
};

/// `.input R(IO=file, filename="r.csv")`, `.output`, `.printsize`.
struct IODirective {
  enum class Kind { Input, Output, PrintSize };
  Kind kind = Kind::Input;
  std::string relation;
  /// Parameters in source order; string values are unquoted.
  std::vector<std::pair<std::string, std::string>> params;
  llvm::SMRange range;
  llvm::SMRange relationRange;
};

enum class AggregateOp { Count, Sum, Min, Max, Mean };
enum class BinaryOp { Add, Sub, Mul, Div, Mod };

struct Term {
  enum class Kind {
    Variable,  ///< `text` is the name
    Wildcard,  ///< `_`
    Number,    ///< `text` is the literal as written (hex, float, `u`)
    String,    ///< `text` is the unquoted contents
    Bool,      ///< `text` is "true" or "false" (.rune rules, `any` columns)
    Negate,    ///< operands[0]
    Binary,    ///< binaryOp, operands[0..1]
    Functor,   ///< `text` is the functor name (cat, strlen, ...)
    Aggregate, ///< aggregateOp, operands[0] optional target, body
  };
  Kind kind = Kind::Variable;
  std::string text;
  BinaryOp binaryOp = BinaryOp::Add;
  AggregateOp aggregateOp = AggregateOp::Count;
  std::vector<Term> operands;
  /// The aggregate's body (`{ ... }` or a single atom).
  std::vector<Literal> body;
  llvm::SMRange range;
};

struct Atom {
  std::string relation;
  std::vector<Term> args;
  llvm::SMRange range;
  llvm::SMRange nameRange;
};

enum class CompareOp { Eq, Ne, Lt, Le, Gt, Ge };

/// A body literal. `Test` is a boolean functor that holds or not, written
/// `contains(s, t)` / `match(p, s)` in Soufflé and `T.starts_with(s)`,
/// `T.ends_with(s)`, `T.contains(s)` in .rune rules; `sides[0]` is then a
/// Term of kind Functor (its `text` names the test, its operands are the
/// arguments, receiver first).
struct Literal {
  enum class Kind { Atom, NegatedAtom, Constraint, Test };
  Kind kind = Kind::Atom;
  Atom atom;             ///< Atom, NegatedAtom
  CompareOp compareOp = CompareOp::Eq;
  std::vector<Term> sides; ///< Constraint: lhs, rhs; Test: the functor
  llvm::SMRange range;
};

/// A fact (empty body) or a rule.
struct Clause {
  Atom head;
  std::vector<Literal> body;
  llvm::SMRange range;
  bool isFact() const { return body.empty(); }
};

struct Program {
  std::vector<TypeDecl> types;
  std::vector<RelationDecl> relations;
  std::vector<IODirective> directives;
  std::vector<Clause> clauses;
};

const char *spelling(AggregateOp op);
const char *spelling(CompareOp op);
const char *spelling(BinaryOp op);

} // namespace rune::souffle

#endif // RUNE_FRONTEND_SOUFFLE_AST_H
