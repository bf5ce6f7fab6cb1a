//===- IpeConstraints.h - Value constraints of one request field -*- C++
//-*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The constraint domain of `runec --analyze` (docs/ipe-analysis.md): what a
// conjunction of conditions such as `x >= 5`, `x != "a"`, `x in [..]` or
// `x < "high"` allows one request field to hold. A field holds a boolean, a
// number or a string (the analysis treats fields as scalars; see the docs),
// so the domain keeps one small constraint per kind:
//
//  * booleans: the subset of {false, true} still allowed;
//  * numbers: an interval with open or closed ends, the points excluded by
//    `!=` / `not in`, an optional finite set from `==` / `in`, and for
//    aggregate counts integrality and non-negativity;
//  * strings: an optional finite set, excluded strings, and the ordering
//    conditions, evaluated with the language's own comparison (enumeration
//    rank when both strings belong to one enumeration, bytewise otherwise).
//    A field ordered against members of an enumeration is taken to hold a
//    member of that enumeration.
//
// A comparison with a literal of another kind cannot be true (equality is
// never true across kinds and ordering is an error), which removes that
// kind from the field; `!=` across kinds constrains nothing. Satisfiability
// is decided by searching a small, complete set of candidate values, so a
// satisfiable domain also yields a witness value.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_ANALYSIS_IPECONSTRAINTS_H
#define RUNE_ANALYSIS_IPECONSTRAINTS_H

#include "rune/Frontend/Ipe/AST.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace rune::ipe::analysis {

/// A scalar request value or literal.
struct Scalar {
  enum class Kind { Bool, Number, String };
  Kind kind = Kind::String;
  bool boolValue = false;
  double number = 0;
  std::string string;

  static Scalar ofBool(bool value);
  static Scalar ofNumber(double value);
  static Scalar ofString(std::string value);

  /// Same kind and equal (numbers compare numerically).
  bool operator==(const Scalar &other) const;
  /// The value as JSON text.
  std::string toJSON() const;
};

/// The ordered enumerations of a policy file: the built-in risk scale
/// `low < medium < high < critical`, then the declared ones.
class EnumOrders {
public:
  struct Enumeration {
    std::string name;
    std::vector<std::string> members;
    bool builtin = false;
  };

  EnumOrders();
  void declare(llvm::StringRef name, std::vector<std::string> members);

  /// The enumerations holding `member`.
  std::vector<unsigned> enumsOf(llvm::StringRef member) const;
  /// Compares two strings as the language does: by rank in the first
  /// enumeration holding both, bytewise otherwise. Returns <0, 0 or >0.
  int compareStrings(llvm::StringRef lhs, llvm::StringRef rhs) const;
  bool isMember(unsigned enumeration, llvm::StringRef value) const;
  const Enumeration &get(unsigned index) const { return enums[index]; }
  unsigned size() const { return enums.size(); }
  /// "the risk scale (low, medium, high, critical)" or "enum Tier (...)".
  std::string describe(unsigned index) const;

private:
  std::vector<Enumeration> enums;
};

/// A three-valued truth plus "unknown" for what docs/ipe-language.md leaves
/// open (equality across kinds).
enum class Truth { False, True, Error, Unknown };

/// `lhs op rhs` on two scalars, as the language defines it.
Truth compareScalars(const Scalar &lhs, CompareOp op, const Scalar &rhs,
                     const EnumOrders &enums);

/// What a conjunction of conditions allows one field to hold.
class FieldDomain {
public:
  struct Options {
    /// Aggregate counts: non-negative integers.
    bool countLike = false;
  };

  explicit FieldDomain(const EnumOrders &enums) : FieldDomain(enums, {}) {}
  FieldDomain(const EnumOrders &enums, Options options);

  /// Adds the condition `field op literal`.
  void addCompare(CompareOp op, const Scalar &literal);
  /// Adds `field in [members]`, or `not (field in [members])`.
  void addIn(llvm::ArrayRef<Scalar> members, bool negated);

  bool isSatisfiable() const { return witness().has_value(); }
  /// A value satisfying every condition, preferring the kind of the first
  /// literal seen; nullopt if there is none.
  std::optional<Scalar> witness() const;

  /// The enumeration the field was ordered against (its string values are
  /// taken to be members of it), if any.
  std::optional<unsigned> orderedEnum() const;

private:
  std::optional<Scalar> boolWitness() const;
  std::optional<Scalar> numberWitness() const;
  std::optional<Scalar> stringWitness() const;
  bool numberAllowed(double value) const;
  bool stringAllowed(llvm::StringRef value) const;

  const EnumOrders &enums;
  Options options;
  std::optional<Scalar::Kind> firstKind;

  bool boolAlive = true;
  bool boolValues[2] = {true, true};

  bool numberAlive = true;
  double lower, upper;
  bool lowerStrict = false, upperStrict = false;
  std::optional<std::vector<double>> numberSet;
  std::vector<double> numberExcluded;

  bool stringAlive = true;
  std::optional<std::vector<std::string>> stringSet;
  std::vector<std::string> stringExcluded;
  std::vector<std::pair<CompareOp, std::string>> stringOrderings;
  /// Enumerations of the members the field was ordered against; the field
  /// holds a member of each.
  std::vector<unsigned> orderedEnums;
};

} // namespace rune::ipe::analysis

#endif // RUNE_ANALYSIS_IPECONSTRAINTS_H
