//===- IpeFormula.h - IPE conditions as constraint formulas ------*- C++
//-*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Turns a checked IPE condition into a disjunction of conjunctions of atoms
// (disjunctive normal form, negations pushed onto the atoms) and decides
// whether a conjunction can hold (docs/ipe-analysis.md).
//
// An atom is `field op literal`, `field in [..]` or its negation, a boolean
// constant, or an opaque condition the domain does not model (a call, a
// comparison of two fields, ...), kept by its canonical text so that `c` and
// `not c` still contradict each other. Every atom over-approximates the
// requests on which its source condition is true, and so do the rewrites
// (`not (a and b)` becomes `not a or not b`), so "cannot hold" is sound;
// "can hold" is approximate and confirmed separately by evaluating the
// original conditions on a witness request (see evaluate()).
//
// Aggregates in a `requires` (`approvals.count`, `.any`, `.all`, with the
// `where` filter) become fields of their own, keyed by the collection, the
// aggregate and the canonical text of the filter: two requirements talk
// about the same count only when their filters are the same.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_ANALYSIS_IPEFORMULA_H
#define RUNE_ANALYSIS_IPEFORMULA_H

#include "rune/Analysis/IpeConstraints.h"
#include "rune/Frontend/Ipe/AST.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"

#include <optional>
#include <string>
#include <vector>

namespace rune::ipe::analysis {

/// `principal.x` and `requester.x` read `request.principal.x`.
std::string canonicalPath(llvm::ArrayRef<std::string> path);

/// Text of `expr` that is the same for conditions that differ only in the
/// order of `and` / `or` operands and of `in` members, in the side a
/// literal is written on, and in path aliases.
std::string canonicalText(const Expr &expr);

/// The request fields (and aggregate pseudo-fields) of one analysis.
class FieldTable {
public:
  struct Field {
    std::string name;
    /// An aggregate over a collection: not a request field.
    bool aggregate = false;
    /// `.count`: a non-negative integer.
    bool countLike = false;
  };

  unsigned intern(const std::string &name, bool aggregate = false,
                  bool countLike = false);
  std::optional<unsigned> lookup(llvm::StringRef name) const;
  const Field &get(unsigned id) const { return fields[id]; }
  unsigned size() const { return fields.size(); }

private:
  llvm::StringMap<unsigned> ids;
  std::vector<Field> fields;
};

struct Atom {
  enum class Kind { Compare, In, Opaque, Constant };
  Kind kind = Kind::Constant;
  /// Compare and In: the field.
  unsigned field = 0;
  /// Compare.
  CompareOp op = CompareOp::Eq;
  Scalar literal;
  /// In.
  std::vector<Scalar> members;
  /// In: `not in`; Opaque: the condition is false; Constant: false.
  bool negated = false;
  /// Opaque: the interned canonical text of the condition.
  unsigned opaque = 0;
  /// The condition in the source.
  const Expr *source = nullptr;
};

/// A disjunction of conjunctions; each conjunction lists atom indices into
/// the policy's atom pool.
using Conjunction = std::vector<unsigned>;
using Dnf = std::vector<Conjunction>;

/// Builds formulas for the conditions of one policy file.
class FormulaBuilder {
public:
  FormulaBuilder(FieldTable &fields, const EnumOrders &enums)
      : fields(fields), enums(enums) {}

  /// The DNF of `expr`, its atoms appended to `pool`. `where` is the filter
  /// of the aggregates (requirements only). Returns nullopt if the DNF
  /// would have more than `maxConjunctions` conjunctions.
  std::optional<Dnf> build(const Expr &expr, std::vector<Atom> &pool,
                           const Expr *where = nullptr,
                           size_t maxConjunctions = 256);

  /// Text of an atom for messages, e.g. `resource.type != "A"`.
  std::string describe(const Atom &atom) const;

private:
  std::optional<Dnf> convert(const Expr &expr, bool positive);
  unsigned addAtom(Atom atom);
  /// The field an operand reads, if it is a path (or an aggregate).
  std::optional<unsigned> fieldOf(const Expr &operand);
  std::optional<Scalar> literalOf(const Expr &operand) const;
  Dnf opaque(const Expr &expr, bool positive);

  FieldTable &fields;
  const EnumOrders &enums;
  llvm::StringMap<unsigned> opaqueIds;
  std::vector<std::string> opaqueTexts;
  std::vector<Atom> *pool = nullptr;
  const Expr *where = nullptr;
  size_t maxConjunctions = 0;
};

/// A value for every request field a conjunction talks about.
struct Witness {
  std::vector<std::pair<unsigned, Scalar>> values;
};

struct ConjunctionCheck {
  bool satisfiable = false;
  /// Satisfiable: a value per field (aggregates included).
  Witness witness;
  /// Unsatisfiable (when asked for): a minimal set of atoms that cannot
  /// hold together, as positions in the checked list.
  std::vector<unsigned> core;
  /// Unsatisfiable: the contradiction relies on the field being a scalar
  /// (it is only tested with `in`, and an array would pass several tests).
  bool assumesScalar = false;
  /// Unsatisfiable: the contradiction relies on the field holding a member
  /// of this enumeration (other strings order bytewise).
  std::optional<unsigned> assumesEnum;
  /// The field of the core, when it is about one field.
  std::optional<unsigned> coreField;
};

/// Decides whether the atoms can hold together.
ConjunctionCheck checkConjunction(llvm::ArrayRef<const Atom *> atoms,
                                  const FieldTable &fields,
                                  const EnumOrders &enums,
                                  bool wantCore = false);

/// The request a witness describes, as JSON (aggregates left out). Returns
/// nullopt if the fields cannot form one JSON document (`a` and `a.b` both
/// hold scalars).
std::optional<std::string> witnessJSON(const Witness &witness,
                                       const FieldTable &fields);

/// Evaluates a trigger condition on the request a witness describes, as
/// docs/ipe-language.md defines it. Unknown where the page leaves the
/// result open or the witness does not say (calls, aggregates).
Truth evaluate(const Expr &expr, const Witness &witness,
               const FieldTable &fields, const EnumOrders &enums);

} // namespace rune::ipe::analysis

#endif // RUNE_ANALYSIS_IPEFORMULA_H
