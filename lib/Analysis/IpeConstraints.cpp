//===- IpeConstraints.cpp - Value constraints of one request field --------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Analysis/IpeConstraints.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace rune;
using namespace rune::ipe;
using namespace rune::ipe::analysis;

//===----------------------------------------------------------------------===//
// Scalars and comparison
//===----------------------------------------------------------------------===//

Scalar Scalar::ofBool(bool value) {
  Scalar scalar;
  scalar.kind = Kind::Bool;
  scalar.boolValue = value;
  return scalar;
}

Scalar Scalar::ofNumber(double value) {
  Scalar scalar;
  scalar.kind = Kind::Number;
  scalar.number = value;
  return scalar;
}

Scalar Scalar::ofString(std::string value) {
  Scalar scalar;
  scalar.kind = Kind::String;
  scalar.string = std::move(value);
  return scalar;
}

bool Scalar::operator==(const Scalar &other) const {
  if (kind != other.kind)
    return false;
  switch (kind) {
  case Kind::Bool:
    return boolValue == other.boolValue;
  case Kind::Number:
    return number == other.number;
  case Kind::String:
    return string == other.string;
  }
  return false;
}

std::string Scalar::toJSON() const {
  std::string out;
  llvm::raw_string_ostream os(out);
  switch (kind) {
  case Kind::Bool:
    os << (boolValue ? "true" : "false");
    break;
  case Kind::Number:
    // Integral values print as JSON integers, which is what a request
    // author writes.
    if (std::trunc(number) == number && std::fabs(number) < 9.0e15)
      os << static_cast<int64_t>(number);
    else
      os << llvm::format("%.17g", number);
    break;
  case Kind::String:
    os << '"';
    for (unsigned char c : string) {
      if (c == '"' || c == '\\')
        os << '\\' << c;
      else if (c < 0x20)
        os << llvm::format("\\u%04x", c);
      else
        os << c;
    }
    os << '"';
    break;
  }
  return out;
}

EnumOrders::EnumOrders() {
  enums.push_back({"risk", {"low", "medium", "high", "critical"}, true});
}

void EnumOrders::declare(llvm::StringRef name,
                         std::vector<std::string> members) {
  enums.push_back({name.str(), std::move(members), false});
}

bool EnumOrders::isMember(unsigned enumeration, llvm::StringRef value) const {
  return llvm::is_contained(enums[enumeration].members, value);
}

std::vector<unsigned> EnumOrders::enumsOf(llvm::StringRef member) const {
  std::vector<unsigned> result;
  for (unsigned i = 0; i < enums.size(); ++i)
    if (isMember(i, member))
      result.push_back(i);
  return result;
}

int EnumOrders::compareStrings(llvm::StringRef lhs, llvm::StringRef rhs) const {
  for (const Enumeration &enumeration : enums) {
    auto l = llvm::find(enumeration.members, lhs);
    auto r = llvm::find(enumeration.members, rhs);
    if (l != enumeration.members.end() && r != enumeration.members.end())
      return (l > r) - (l < r);
  }
  return lhs.compare(rhs);
}

std::string EnumOrders::describe(unsigned index) const {
  const Enumeration &enumeration = enums[index];
  std::string out = enumeration.builtin
                        ? "a level of the built-in risk scale ("
                        : "a member of enum " + enumeration.name + " (";
  for (size_t i = 0; i < enumeration.members.size(); ++i)
    out += (i ? ", " : "") + enumeration.members[i];
  return out + ")";
}

static bool holds(CompareOp op, int order) {
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

Truth rune::ipe::analysis::compareScalars(const Scalar &lhs, CompareOp op,
                                          const Scalar &rhs,
                                          const EnumOrders &enums) {
  if (lhs.kind != rhs.kind)
    return isOrdering(op) ? Truth::Error : Truth::Unknown;
  int order = 0;
  switch (lhs.kind) {
  case Scalar::Kind::Bool:
    if (isOrdering(op))
      return Truth::Error;
    order = lhs.boolValue != rhs.boolValue;
    break;
  case Scalar::Kind::Number:
    order = (lhs.number > rhs.number) - (lhs.number < rhs.number);
    break;
  case Scalar::Kind::String:
    order = enums.compareStrings(lhs.string, rhs.string);
    break;
  }
  return holds(op, order) ? Truth::True : Truth::False;
}

//===----------------------------------------------------------------------===//
// FieldDomain
//===----------------------------------------------------------------------===//

FieldDomain::FieldDomain(const EnumOrders &enums, Options options)
    : enums(enums), options(options),
      lower(-std::numeric_limits<double>::infinity()),
      upper(std::numeric_limits<double>::infinity()) {
  if (options.countLike) {
    boolAlive = stringAlive = false;
    lower = 0;
  }
}

template <typename T>
static void intersect(std::optional<std::vector<T>> &set,
                      std::vector<T> values) {
  if (!set) {
    set = std::move(values);
    return;
  }
  std::vector<T> kept;
  for (const T &value : *set)
    if (llvm::is_contained(values, value))
      kept.push_back(value);
  *set = std::move(kept);
}

void FieldDomain::addCompare(CompareOp op, const Scalar &literal) {
  if (!firstKind)
    firstKind = literal.kind;
  // Equality is never true across kinds and ordering across kinds is an
  // error: either way the field cannot hold the other kinds. `!=` across
  // kinds constrains nothing.
  if (op != CompareOp::Ne) {
    if (literal.kind != Scalar::Kind::Bool)
      boolAlive = false;
    if (literal.kind != Scalar::Kind::Number)
      numberAlive = false;
    if (literal.kind != Scalar::Kind::String)
      stringAlive = false;
  }
  switch (literal.kind) {
  case Scalar::Kind::Bool:
    if (op == CompareOp::Eq)
      boolValues[!literal.boolValue] = false;
    else if (op == CompareOp::Ne)
      boolValues[literal.boolValue] = false;
    else
      boolAlive = false; // booleans do not order
    return;
  case Scalar::Kind::Number: {
    double value = literal.number;
    switch (op) {
    case CompareOp::Eq:
      intersect(numberSet, {value});
      break;
    case CompareOp::Ne:
      numberExcluded.push_back(value);
      break;
    case CompareOp::Lt:
    case CompareOp::Le:
      if (value < upper || (value == upper && op == CompareOp::Lt)) {
        upper = value;
        upperStrict = op == CompareOp::Lt;
      }
      break;
    case CompareOp::Gt:
    case CompareOp::Ge:
      if (value > lower || (value == lower && op == CompareOp::Gt)) {
        lower = value;
        lowerStrict = op == CompareOp::Gt;
      }
      break;
    }
    return;
  }
  case Scalar::Kind::String:
    switch (op) {
    case CompareOp::Eq:
      intersect(stringSet, {literal.string});
      break;
    case CompareOp::Ne:
      stringExcluded.push_back(literal.string);
      break;
    default: {
      stringOrderings.push_back({op, literal.string});
      // Ordering against a member of one enumeration says what the field
      // holds; a literal in several enumerations says nothing definite.
      std::vector<unsigned> owners = enums.enumsOf(literal.string);
      if (owners.size() == 1 && !llvm::is_contained(orderedEnums, owners[0]))
        orderedEnums.push_back(owners[0]);
      break;
    }
    }
    return;
  }
}

void FieldDomain::addIn(llvm::ArrayRef<Scalar> members, bool negated) {
  if (!members.empty() && !firstKind && !negated)
    firstKind = members.front().kind;
  if (negated) {
    for (const Scalar &member : members) {
      switch (member.kind) {
      case Scalar::Kind::Bool:
        boolValues[member.boolValue] = false;
        break;
      case Scalar::Kind::Number:
        numberExcluded.push_back(member.number);
        break;
      case Scalar::Kind::String:
        stringExcluded.push_back(member.string);
        break;
      }
    }
    return;
  }
  bool bools[2] = {false, false};
  std::vector<double> numbers;
  std::vector<std::string> strings;
  for (const Scalar &member : members) {
    switch (member.kind) {
    case Scalar::Kind::Bool:
      bools[member.boolValue] = true;
      break;
    case Scalar::Kind::Number:
      numbers.push_back(member.number);
      break;
    case Scalar::Kind::String:
      strings.push_back(member.string);
      break;
    }
  }
  boolValues[0] &= bools[0];
  boolValues[1] &= bools[1];
  intersect(numberSet, std::move(numbers));
  intersect(stringSet, std::move(strings));
}

std::optional<unsigned> FieldDomain::orderedEnum() const {
  if (orderedEnums.empty())
    return std::nullopt;
  return orderedEnums.front();
}

std::optional<Scalar> FieldDomain::witness() const {
  // Try the kind the conditions talk about first, so that the witness reads
  // like the policy.
  Scalar::Kind order[3] = {Scalar::Kind::String, Scalar::Kind::Number,
                           Scalar::Kind::Bool};
  if (firstKind) {
    auto it = llvm::find(order, *firstKind);
    std::rotate(std::begin(order), it, it + 1);
  }
  for (Scalar::Kind kind : order) {
    std::optional<Scalar> value;
    switch (kind) {
    case Scalar::Kind::Bool:
      value = boolWitness();
      break;
    case Scalar::Kind::Number:
      value = numberWitness();
      break;
    case Scalar::Kind::String:
      value = stringWitness();
      break;
    }
    if (value)
      return value;
  }
  return std::nullopt;
}

std::optional<Scalar> FieldDomain::boolWitness() const {
  if (!boolAlive)
    return std::nullopt;
  for (bool value : {true, false})
    if (boolValues[value])
      return Scalar::ofBool(value);
  return std::nullopt;
}

bool FieldDomain::numberAllowed(double value) const {
  if (value < lower || (value == lower && lowerStrict))
    return false;
  if (value > upper || (value == upper && upperStrict))
    return false;
  if (options.countLike && std::trunc(value) != value)
    return false;
  if (numberSet && !llvm::is_contained(*numberSet, value))
    return false;
  return !llvm::is_contained(numberExcluded, value);
}

std::optional<Scalar> FieldDomain::numberWitness() const {
  if (!numberAlive)
    return std::nullopt;
  if (numberSet) {
    for (double value : *numberSet)
      if (numberAllowed(value))
        return Scalar::ofNumber(value);
    return std::nullopt;
  }
  if (lower > upper)
    return std::nullopt;
  // Among any `excluded + 1` distinct candidates inside the interval one is
  // not excluded, so searching that many integers, then that many adjacent
  // doubles next to a finite bound, decides satisfiability exactly.
  const double inf = std::numeric_limits<double>::infinity();
  size_t budget = numberExcluded.size() + 1;
  double start;
  double step = 1;
  if (lower != -inf)
    start = lowerStrict ? std::floor(lower) + 1 : std::ceil(lower);
  else if (upper != inf) {
    start = upperStrict ? std::ceil(upper) - 1 : std::floor(upper);
    step = -1;
  } else
    start = 0;
  for (size_t i = 0; i < budget; ++i) {
    double candidate = start + step * double(i);
    if (numberAllowed(candidate))
      return Scalar::ofNumber(candidate);
  }
  if (options.countLike)
    return std::nullopt;
  if (lower != -inf && upper != inf) {
    double middle = lower / 2 + upper / 2;
    if (numberAllowed(middle))
      return Scalar::ofNumber(middle);
  }
  double from = lower != -inf ? lower : upper;
  double towards = lower != -inf ? inf : -inf;
  if (from == inf || from == -inf)
    return std::nullopt;
  double candidate = from;
  for (size_t i = 0; i <= budget; ++i) {
    if (numberAllowed(candidate))
      return Scalar::ofNumber(candidate);
    candidate = std::nextafter(candidate, towards);
  }
  return std::nullopt;
}

bool FieldDomain::stringAllowed(llvm::StringRef value) const {
  if (stringSet && !llvm::is_contained(*stringSet, value))
    return false;
  if (llvm::is_contained(stringExcluded, value))
    return false;
  for (unsigned enumeration : orderedEnums)
    if (!enums.isMember(enumeration, value))
      return false;
  Scalar candidate = Scalar::ofString(value.str());
  for (const auto &[op, literal] : stringOrderings)
    if (compareScalars(candidate, op, Scalar::ofString(literal), enums) !=
        Truth::True)
      return false;
  return true;
}

std::optional<Scalar> FieldDomain::stringWitness() const {
  if (!stringAlive)
    return std::nullopt;
  std::vector<std::string> candidates;
  if (stringSet) {
    candidates = *stringSet;
  } else if (!orderedEnums.empty()) {
    candidates = enums.get(orderedEnums.front()).members;
  } else {
    // Strings outside every enumeration order bytewise. Take the greatest
    // lower bound (or the empty string) and extend it: a few readable
    // extensions first, then `bound + "\0" * k`, which for k = 1..n are n
    // distinct strings just above the bound and below any greater upper
    // bound (unless that bound is the lower one followed by NULs only, a
    // case the chain enumerates too). With n beyond the number of excluded
    // strings and enumeration members, one of them is allowed whenever any
    // string outside the enumerations is.
    std::optional<std::string> lowerBound;
    bool strict = false;
    bool bounded = false;
    for (const auto &[op, literal] : stringOrderings) {
      bounded = true;
      if (op != CompareOp::Gt && op != CompareOp::Ge)
        continue;
      if (!lowerBound || literal > *lowerBound ||
          (literal == *lowerBound && op == CompareOp::Gt)) {
        lowerBound = literal;
        strict = op == CompareOp::Gt;
      }
    }
    std::string base = lowerBound.value_or("");
    if (!bounded)
      candidates.push_back("other");
    if (!strict)
      candidates.push_back(base);
    for (const char *suffix : {"a", "x", "z", "0", "1"})
      candidates.push_back(base + suffix);
    size_t members = 0;
    for (unsigned e = 0; e < enums.size(); ++e)
      members += enums.get(e).members.size();
    for (size_t i = 0; i <= stringExcluded.size() + members; ++i) {
      base.push_back('\0');
      candidates.push_back(base);
    }
    // Members of enumerations order by rank among themselves: try them all.
    for (unsigned e = 0; e < enums.size(); ++e)
      llvm::append_range(candidates, enums.get(e).members);
  }
  for (const std::string &candidate : candidates)
    if (stringAllowed(candidate))
      return Scalar::ofString(candidate);
  return std::nullopt;
}
