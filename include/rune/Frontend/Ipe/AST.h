//===- AST.h - The owned AST of IPE policy files -----------------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// What lib/Frontend/Ipe builds from grammar/Ipe.g4 (see
// docs/ipe-language.md): policies with their intent, trigger, requirement
// and metadata, and enum declarations. Every node carries its source range.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_FRONTEND_IPE_AST_H
#define RUNE_FRONTEND_IPE_AST_H

#include "llvm/Support/SMLoc.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rune::ipe {

/// A literal, or a metadata / `in`-list value (a bare identifier there is a
/// string).
///
/// The small fields come first so that they share one word (96 bytes rather
/// than 112): every expression holds one, and a large policy file holds a
/// great many expressions.
struct Value {
  enum class Kind { String, Int, Float, Bool, List };
  Kind kind = Kind::String;
  bool boolValue = false;
  /// A String written as a bare identifier.
  bool bareIdentifier = false;
  std::string string; // String
  int64_t intValue = 0;
  double floatValue = 0;
  std::vector<Value> elements; // List
  llvm::SMRange range;
};

enum class CompareOp { Eq, Ne, Lt, Le, Gt, Ge };
const char *spelling(CompareOp op);
inline bool isOrdering(CompareOp op) {
  return op != CompareOp::Eq && op != CompareOp::Ne;
}

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  enum class Kind { Or, And, Not, Compare, In, Path, Call, Literal };
  Kind kind;
  /// Compare (next to `kind`, which it shares a word with).
  CompareOp op = CompareOp::Eq;
  llvm::SMRange range;
  /// Or/And: the two operands; Not: one; Compare: lhs, rhs; In: the tested
  /// operand; Call: the arguments.
  std::vector<ExprPtr> operands;
  /// Compare.
  llvm::SMRange opRange;
  /// Path and Call (the callee): the dotted components.
  std::vector<std::string> path;
  /// In: the members of the list.
  std::vector<Value> members;
  /// Literal.
  Value literal;

  explicit Expr(Kind kind) : kind(kind) {}
};

struct Requirement {
  enum class Kind { Requires, Denies };
  Kind kind = Kind::Requires;
  ExprPtr condition;           // Requires: the `requires` expression
  ExprPtr where;               // Requires, optional
  llvm::SMRange whereRange;    // the `where` keyword
  std::optional<std::string> reason; // Denies, optional
  llvm::SMRange reasonRange;
  llvm::SMRange range;
};

struct MetadataEntry {
  std::string key;
  llvm::SMRange keyRange;
  Value value;
};

struct Policy {
  /// `policy` or `predicate`.
  bool isPredicate = false;
  std::string name;
  llvm::SMRange nameRange;
  std::string intent;
  llvm::SMRange intentRange;
  ExprPtr trigger;
  Requirement requirement;
  std::vector<MetadataEntry> metadata;
  llvm::SMRange range;
};

struct EnumMember {
  std::string name;
  llvm::SMRange range;
};

struct EnumDecl {
  std::string name;
  llvm::SMRange nameRange;
  std::vector<EnumMember> members;
  llvm::SMRange range;
};

struct PolicyFile {
  std::vector<Policy> policies;
  std::vector<EnumDecl> enums;
};

/// A compact S-expression of `expr` for tests and debugging, e.g.
/// `(or (and a.b (== c "x")) (not d))`.
std::string toString(const Expr &expr);
std::string toString(const Value &value);

} // namespace rune::ipe

#endif // RUNE_FRONTEND_IPE_AST_H
