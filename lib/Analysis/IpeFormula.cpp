//===- IpeFormula.cpp - IPE conditions as constraint formulas -------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Analysis/IpeFormula.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

using namespace rune;
using namespace rune::ipe;
using namespace rune::ipe::analysis;

//===----------------------------------------------------------------------===//
// Canonical text
//===----------------------------------------------------------------------===//

std::string
rune::ipe::analysis::canonicalPath(llvm::ArrayRef<std::string> path) {
  std::string out;
  size_t first = 0;
  if (!path.empty() && (path[0] == "principal" || path[0] == "requester")) {
    out = "request.principal";
    first = 1;
  }
  for (size_t i = first; i < path.size(); ++i) {
    if (!out.empty())
      out += '.';
    out += path[i];
  }
  return out;
}

static bool isAggregateName(llvm::StringRef name) {
  return name == "count" || name == "any" || name == "all";
}

static CompareOp mirrored(CompareOp op) {
  switch (op) {
  case CompareOp::Lt:
    return CompareOp::Gt;
  case CompareOp::Le:
    return CompareOp::Ge;
  case CompareOp::Gt:
    return CompareOp::Lt;
  case CompareOp::Ge:
    return CompareOp::Le;
  default:
    return op;
  }
}

static CompareOp negated(CompareOp op) {
  switch (op) {
  case CompareOp::Eq:
    return CompareOp::Ne;
  case CompareOp::Ne:
    return CompareOp::Eq;
  case CompareOp::Lt:
    return CompareOp::Ge;
  case CompareOp::Le:
    return CompareOp::Gt;
  case CompareOp::Gt:
    return CompareOp::Le;
  case CompareOp::Ge:
    return CompareOp::Lt;
  }
  return op;
}

/// Appends the operands of a chain of `kind` (and/or) to `out`.
static void flatten(const Expr &expr, Expr::Kind kind,
                    std::vector<const Expr *> &out) {
  if (expr.kind == kind) {
    for (const ExprPtr &operand : expr.operands)
      flatten(*operand, kind, out);
    return;
  }
  out.push_back(&expr);
}

/// Bare identifiers and quoted strings are the same string.
static std::string canonicalValue(const Value &value) {
  if (value.kind == Value::Kind::List) {
    std::string out = "[";
    for (size_t i = 0; i < value.elements.size(); ++i)
      out += (i ? ", " : "") + canonicalValue(value.elements[i]);
    return out + "]";
  }
  Value copy = value;
  copy.bareIdentifier = false;
  return toString(copy);
}

std::string rune::ipe::analysis::canonicalText(const Expr &expr) {
  switch (expr.kind) {
  case Expr::Kind::Or:
  case Expr::Kind::And: {
    std::vector<const Expr *> operands;
    flatten(expr, expr.kind, operands);
    std::vector<std::string> texts;
    for (const Expr *operand : operands)
      texts.push_back(canonicalText(*operand));
    llvm::sort(texts);
    // Repeating an operand of and/or changes nothing.
    texts.erase(std::unique(texts.begin(), texts.end()), texts.end());
    return std::string(expr.kind == Expr::Kind::Or ? "(or " : "(and ") +
           llvm::join(texts, " ") + ")";
  }
  case Expr::Kind::Not:
    return "(not " + canonicalText(*expr.operands[0]) + ")";
  case Expr::Kind::Compare: {
    const Expr *lhs = expr.operands[0].get();
    const Expr *rhs = expr.operands[1].get();
    CompareOp op = expr.op;
    std::string lhsText = canonicalText(*lhs);
    std::string rhsText = canonicalText(*rhs);
    // A literal goes right; otherwise the operands go in text order
    // (`a.x != b.y` is `b.y != a.x`).
    bool literalFirst =
        lhs->kind == Expr::Kind::Literal && rhs->kind != Expr::Kind::Literal;
    bool bothOrNone = (lhs->kind == Expr::Kind::Literal) ==
                      (rhs->kind == Expr::Kind::Literal);
    if (literalFirst || (bothOrNone && rhsText < lhsText)) {
      std::swap(lhsText, rhsText);
      op = mirrored(op);
    }
    return std::string("(") + spelling(op) + " " + lhsText + " " + rhsText +
           ")";
  }
  case Expr::Kind::In: {
    std::vector<std::string> members;
    for (const Value &member : expr.members)
      members.push_back(canonicalValue(member));
    llvm::sort(members);
    members.erase(std::unique(members.begin(), members.end()), members.end());
    return "(in " + canonicalText(*expr.operands[0]) + " [" +
           llvm::join(members, ", ") + "])";
  }
  case Expr::Kind::Path:
    return canonicalPath(expr.path);
  case Expr::Kind::Call: {
    std::string out = "(call " + canonicalPath(expr.path);
    for (const ExprPtr &arg : expr.operands)
      out += " " + canonicalText(*arg);
    return out + ")";
  }
  case Expr::Kind::Literal:
    return canonicalValue(expr.literal);
  }
  return "?";
}

//===----------------------------------------------------------------------===//
// FieldTable
//===----------------------------------------------------------------------===//

unsigned FieldTable::intern(const std::string &name, bool aggregate,
                            bool countLike) {
  auto [it, inserted] = ids.try_emplace(name, fields.size());
  if (inserted)
    fields.push_back({name, aggregate, countLike});
  return it->second;
}

std::optional<unsigned> FieldTable::lookup(llvm::StringRef name) const {
  auto it = ids.find(name);
  if (it == ids.end())
    return std::nullopt;
  return it->second;
}

//===----------------------------------------------------------------------===//
// FormulaBuilder
//===----------------------------------------------------------------------===//

/// Integers beyond 2^53 do not survive the domain's doubles; conditions on
/// them are kept opaque rather than decided wrongly.
static std::optional<Scalar> scalarOf(const Value &value) {
  switch (value.kind) {
  case Value::Kind::String:
    return Scalar::ofString(value.string);
  case Value::Kind::Int:
    if (value.intValue > (int64_t(1) << 53) ||
        value.intValue < -(int64_t(1) << 53))
      return std::nullopt;
    return Scalar::ofNumber(double(value.intValue));
  case Value::Kind::Float:
    return Scalar::ofNumber(value.floatValue);
  case Value::Kind::Bool:
    return Scalar::ofBool(value.boolValue);
  case Value::Kind::List:
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<Dnf> FormulaBuilder::build(const Expr &expr,
                                         std::vector<Atom> &atomPool,
                                         const Expr *whereFilter,
                                         size_t limit) {
  pool = &atomPool;
  where = whereFilter;
  maxConjunctions = limit;
  return convert(expr, /*positive=*/true);
}

unsigned FormulaBuilder::addAtom(Atom atom) {
  pool->push_back(std::move(atom));
  return pool->size() - 1;
}

std::optional<unsigned> FormulaBuilder::fieldOf(const Expr &operand) {
  bool isPath = operand.kind == Expr::Kind::Path;
  // `C.count(filter)` is `C.count` with the filter as its `where`.
  bool isAggregateCall =
      operand.kind == Expr::Kind::Call && operand.operands.size() <= 1 &&
      operand.path.size() >= 2 && isAggregateName(operand.path.back());
  if (!isPath && !isAggregateCall)
    return std::nullopt;
  const std::vector<std::string> &path = operand.path;
  if (path.size() >= 2 && isAggregateName(path.back())) {
    const Expr *filter = where;
    if (isAggregateCall && !operand.operands.empty())
      filter = operand.operands[0].get();
    // `C.any` is `C.count >= 1` (see convert()), so both read the count.
    std::string aggregate = path.back() == "any" ? "count" : path.back();
    std::string name =
        canonicalPath(llvm::ArrayRef(path).drop_back()) + "." + aggregate;
    if (filter)
      name += " where " + canonicalText(*filter);
    return fields.intern(name, /*aggregate=*/true,
                         /*countLike=*/aggregate == "count");
  }
  if (!isPath)
    return std::nullopt;
  return fields.intern(canonicalPath(path));
}

std::optional<Scalar> FormulaBuilder::literalOf(const Expr &operand) const {
  if (operand.kind != Expr::Kind::Literal)
    return std::nullopt;
  return scalarOf(operand.literal);
}

Dnf FormulaBuilder::opaque(const Expr &expr, bool positive) {
  std::string text = canonicalText(expr);
  auto [it, inserted] = opaqueIds.try_emplace(text, opaqueTexts.size());
  if (inserted)
    opaqueTexts.push_back(text);
  Atom atom;
  atom.kind = Atom::Kind::Opaque;
  atom.opaque = it->second;
  atom.negated = !positive;
  atom.source = &expr;
  return {{addAtom(std::move(atom))}};
}

std::optional<Dnf> FormulaBuilder::convert(const Expr &expr, bool positive) {
  switch (expr.kind) {
  case Expr::Kind::And:
  case Expr::Kind::Or: {
    std::optional<Dnf> lhs = convert(*expr.operands[0], positive);
    if (!lhs)
      return std::nullopt;
    std::optional<Dnf> rhs = convert(*expr.operands[1], positive);
    if (!rhs)
      return std::nullopt;
    // De Morgan: a negated `and` is an `or` of the negations and back.
    bool conjunction = (expr.kind == Expr::Kind::And) == positive;
    if (!conjunction) {
      if (lhs->size() + rhs->size() > maxConjunctions)
        return std::nullopt;
      llvm::append_range(*lhs, *rhs);
      return lhs;
    }
    if (lhs->size() * rhs->size() > maxConjunctions)
      return std::nullopt;
    Dnf product;
    product.reserve(lhs->size() * rhs->size());
    for (const Conjunction &left : *lhs)
      for (const Conjunction &right : *rhs) {
        Conjunction both = left;
        llvm::append_range(both, right);
        product.push_back(std::move(both));
      }
    return product;
  }
  case Expr::Kind::Not:
    return convert(*expr.operands[0], !positive);
  case Expr::Kind::Compare: {
    const Expr &lhs = *expr.operands[0];
    const Expr &rhs = *expr.operands[1];
    std::optional<Scalar> lhsLiteral = literalOf(lhs);
    std::optional<Scalar> rhsLiteral = literalOf(rhs);
    if (lhsLiteral && rhsLiteral) {
      Truth truth = compareScalars(*lhsLiteral, expr.op, *rhsLiteral, enums);
      if (truth != Truth::True && truth != Truth::False)
        return opaque(expr, positive);
      Atom atom;
      atom.kind = Atom::Kind::Constant;
      atom.negated = (truth == Truth::True) != positive;
      atom.source = &expr;
      return Dnf{{addAtom(std::move(atom))}};
    }
    CompareOp op = expr.op;
    std::optional<unsigned> field;
    std::optional<Scalar> literal;
    auto isAny = [](const Expr &operand) {
      return operand.path.size() >= 2 && operand.path.back() == "any";
    };
    // `C.any` stands for a count, which a comparison cannot use as is.
    if (isAny(lhs) || isAny(rhs))
      return opaque(expr, positive);
    if (rhsLiteral && (field = fieldOf(lhs))) {
      literal = rhsLiteral;
    } else if (lhsLiteral && (field = fieldOf(rhs))) {
      literal = lhsLiteral;
      op = mirrored(op);
    } else {
      return opaque(expr, positive);
    }
    Atom atom;
    atom.kind = Atom::Kind::Compare;
    atom.field = *field;
    atom.op = positive ? op : negated(op);
    atom.literal = std::move(*literal);
    atom.source = &expr;
    return Dnf{{addAtom(std::move(atom))}};
  }
  case Expr::Kind::In: {
    std::optional<unsigned> field = fieldOf(*expr.operands[0]);
    std::vector<Scalar> members;
    for (const Value &value : expr.members) {
      std::optional<Scalar> member = scalarOf(value);
      if (!member || !field)
        return opaque(expr, positive);
      members.push_back(std::move(*member));
    }
    Atom atom;
    atom.kind = Atom::Kind::In;
    atom.field = *field;
    atom.members = std::move(members);
    atom.negated = !positive;
    atom.source = &expr;
    return Dnf{{addAtom(std::move(atom))}};
  }
  case Expr::Kind::Path:
  case Expr::Kind::Call: {
    // A field used as a condition holds a boolean; `C.any` is
    // `C.count >= 1`.
    std::optional<unsigned> field = fieldOf(expr);
    if (!field)
      return opaque(expr, positive);
    Atom atom;
    atom.kind = Atom::Kind::Compare;
    atom.field = *field;
    atom.source = &expr;
    if (expr.path.size() >= 2 && expr.path.back() == "any") {
      atom.op = positive ? CompareOp::Ge : CompareOp::Lt;
      atom.literal = Scalar::ofNumber(1);
      return Dnf{{addAtom(std::move(atom))}};
    }
    atom.op = CompareOp::Eq;
    atom.literal = Scalar::ofBool(positive);
    return Dnf{{addAtom(std::move(atom))}};
  }
  case Expr::Kind::Literal: {
    if (expr.literal.kind != Value::Kind::Bool)
      return opaque(expr, positive);
    Atom atom;
    atom.kind = Atom::Kind::Constant;
    atom.negated = expr.literal.boolValue != positive;
    atom.source = &expr;
    return Dnf{{addAtom(std::move(atom))}};
  }
  }
  return opaque(expr, positive);
}

static std::string sourceText(const Expr &expr) {
  const char *start = expr.range.Start.getPointer();
  const char *end = expr.range.End.getPointer();
  if (!start || !end || end < start)
    return canonicalText(expr);
  // One line of the source, with its runs of white space squeezed.
  std::string out;
  for (const char *c = start; c != end; ++c) {
    bool space = *c == ' ' || *c == '\t' || *c == '\n' || *c == '\r';
    if (space && (out.empty() || out.back() == ' '))
      continue;
    out += space ? ' ' : *c;
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

/// Whether `text` is one parenthesized expression, as in `(a or b)` but
/// not `(a) or (b)`.
static bool isParenthesized(llvm::StringRef text) {
  if (!text.starts_with("(") || !text.ends_with(")"))
    return false;
  int depth = 0;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"')
      inString = true;
    else if (c == '(')
      ++depth;
    else if (c == ')' && --depth == 0 && i + 1 != text.size())
      return false;
  }
  return true;
}

std::string FormulaBuilder::describe(const Atom &atom) const {
  switch (atom.kind) {
  case Atom::Kind::Compare: {
    const FieldTable::Field &field = fields.get(atom.field);
    llvm::StringRef name = field.name;
    // Aggregates print as written: `approvals.count`, the filter apart.
    name = name.take_until([](char c) { return c == ' '; });
    return (name + " " + spelling(atom.op) + " " + atom.literal.toJSON()).str();
  }
  case Atom::Kind::In: {
    std::string members;
    for (const Scalar &member : atom.members)
      members += (members.empty() ? "" : ", ") + member.toJSON();
    std::string name = fields.get(atom.field).name;
    name = llvm::StringRef(name).take_until([](char c) { return c == ' '; });
    std::string text = name + " in [" + members + "]";
    return atom.negated ? "not (" + text + ")" : text;
  }
  case Atom::Kind::Opaque:
  case Atom::Kind::Constant: {
    std::string text = sourceText(*atom.source);
    bool negative = atom.kind == Atom::Kind::Opaque && atom.negated;
    if (!negative)
      return text;
    return isParenthesized(text) ? "not " + text : "not (" + text + ")";
  }
  }
  return "?";
}

//===----------------------------------------------------------------------===//
// Satisfiability
//===----------------------------------------------------------------------===//

static FieldDomain domainOf(llvm::ArrayRef<const Atom *> atoms,
                            const FieldTable::Field &field,
                            const EnumOrders &enums) {
  FieldDomain domain(enums, {/*countLike=*/field.countLike});
  for (const Atom *atom : atoms) {
    if (atom->kind == Atom::Kind::Compare)
      domain.addCompare(atom->op, atom->literal);
    else
      domain.addIn(atom->members, atom->negated);
  }
  return domain;
}

ConjunctionCheck
rune::ipe::analysis::checkConjunction(llvm::ArrayRef<const Atom *> atoms,
                                      const FieldTable &fields,
                                      const EnumOrders &enums, bool wantCore) {
  ConjunctionCheck result;
  // Group the atoms: fields first, then opaque conditions, then constants.
  struct Entry {
    unsigned group;
    unsigned key;
    unsigned position;
  };
  llvm::SmallVector<Entry, 16> entries;
  for (unsigned i = 0; i < atoms.size(); ++i) {
    const Atom &atom = *atoms[i];
    switch (atom.kind) {
    case Atom::Kind::Compare:
    case Atom::Kind::In:
      entries.push_back({0, atom.field, i});
      break;
    case Atom::Kind::Opaque:
      entries.push_back({1, atom.opaque, i});
      break;
    case Atom::Kind::Constant:
      entries.push_back({2, 0, i});
      break;
    }
  }
  llvm::sort(entries, [](const Entry &a, const Entry &b) {
    return std::tie(a.group, a.key, a.position) <
           std::tie(b.group, b.key, b.position);
  });

  for (size_t begin = 0; begin < entries.size();) {
    size_t end = begin + 1;
    while (end < entries.size() && entries[end].group == entries[begin].group &&
           entries[end].key == entries[begin].key)
      ++end;
    unsigned group = entries[begin].group;
    llvm::SmallVector<const Atom *, 8> groupAtoms;
    llvm::SmallVector<unsigned, 8> positions;
    for (size_t i = begin; i < end; ++i) {
      groupAtoms.push_back(atoms[entries[i].position]);
      positions.push_back(entries[i].position);
    }
    begin = end;

    if (group == 2) {
      for (size_t i = 0; i < groupAtoms.size(); ++i)
        if (groupAtoms[i]->negated) {
          result.core = {positions[i]};
          return result;
        }
      continue;
    }
    if (group == 1) {
      // The same condition required true and false.
      std::optional<unsigned> positive, negative;
      for (size_t i = 0; i < groupAtoms.size(); ++i)
        (groupAtoms[i]->negated ? negative : positive) = positions[i];
      if (positive && negative) {
        result.core = {*positive, *negative};
        return result;
      }
      continue;
    }

    const FieldTable::Field &field = fields.get(entries[end - 1].key);
    std::optional<Scalar> value = domainOf(groupAtoms, field, enums).witness();
    if (value) {
      result.witness.values.push_back({entries[end - 1].key, *value});
      continue;
    }
    result.coreField = entries[end - 1].key;
    if (!wantCore)
      return result;
    // Drop every atom the contradiction does not need.
    llvm::SmallVector<const Atom *, 8> core(groupAtoms);
    llvm::SmallVector<unsigned, 8> corePositions(positions);
    for (size_t i = 0; i < core.size();) {
      llvm::SmallVector<const Atom *, 8> without(core);
      without.erase(without.begin() + i);
      if (!domainOf(without, field, enums).witness()) {
        core = std::move(without);
        corePositions.erase(corePositions.begin() + i);
      } else {
        ++i;
      }
    }
    result.core.assign(corePositions.begin(), corePositions.end());
    FieldDomain coreDomain = domainOf(core, field, enums);
    result.assumesEnum = coreDomain.orderedEnum();
    bool decidesKind = false, positiveIn = false;
    for (const Atom *atom : core) {
      if (atom->kind == Atom::Kind::In)
        positiveIn |= !atom->negated;
      else if (atom->op != CompareOp::Ne)
        decidesKind = true;
    }
    result.assumesScalar = positiveIn && !decidesKind;
    return result;
  }
  result.satisfiable = true;
  return result;
}

//===----------------------------------------------------------------------===//
// Witness requests
//===----------------------------------------------------------------------===//

namespace {
/// A JSON object tree under construction.
struct JsonNode {
  std::optional<Scalar> value;
  std::map<std::string, std::unique_ptr<JsonNode>> children;

  void print(std::string &out) const {
    if (value) {
      out += value->toJSON();
      return;
    }
    out += '{';
    bool first = true;
    for (const auto &[key, child] : children) {
      if (!first)
        out += ',';
      first = false;
      out += Scalar::ofString(key).toJSON() + ':';
      child->print(out);
    }
    out += '}';
  }
};
} // namespace

std::optional<std::string>
rune::ipe::analysis::witnessJSON(const Witness &witness,
                                 const FieldTable &fields) {
  JsonNode root;
  for (const auto &[id, value] : witness.values) {
    const FieldTable::Field &field = fields.get(id);
    if (field.aggregate)
      continue;
    llvm::SmallVector<llvm::StringRef, 4> components;
    llvm::StringRef(field.name).split(components, '.');
    JsonNode *node = &root;
    for (llvm::StringRef component : components) {
      if (node->value)
        return std::nullopt; // a scalar cannot have keys
      std::unique_ptr<JsonNode> &child = node->children[component.str()];
      if (!child)
        child = std::make_unique<JsonNode>();
      node = child.get();
    }
    if (node->value || !node->children.empty())
      return std::nullopt;
    node->value = value;
  }
  std::string out;
  root.print(out);
  return out;
}

namespace {
struct Evaluated {
  Truth status = Truth::True; // True: `value` holds; Error; Unknown
  Scalar value;
};
} // namespace

static Evaluated evaluateValue(const Expr &expr, const Witness &witness,
                               const FieldTable &fields) {
  if (expr.kind == Expr::Kind::Literal) {
    std::optional<Scalar> scalar = scalarOf(expr.literal);
    if (!scalar)
      return {Truth::Unknown, {}};
    return {Truth::True, *scalar};
  }
  if (expr.kind != Expr::Kind::Path ||
      (expr.path.size() >= 2 && isAggregateName(expr.path.back())))
    return {Truth::Unknown, {}};
  std::string name = canonicalPath(expr.path);
  if (std::optional<unsigned> id = fields.lookup(name))
    for (const auto &[field, value] : witness.values)
      if (field == *id)
        return {Truth::True, value};
  // Not in the witness: missing, unless the witness gives the path
  // sub-fields (then it is an object, which the page does not compare).
  for (const auto &[field, value] : witness.values) {
    llvm::StringRef other = fields.get(field).name;
    if (other.starts_with(name + "."))
      return {Truth::Unknown, {}};
  }
  return {Truth::Error, {}};
}

Truth rune::ipe::analysis::evaluate(const Expr &expr, const Witness &witness,
                                    const FieldTable &fields,
                                    const EnumOrders &enums) {
  switch (expr.kind) {
  case Expr::Kind::And:
  case Expr::Kind::Or: {
    Truth lhs = evaluate(*expr.operands[0], witness, fields, enums);
    Truth shortCircuit =
        expr.kind == Expr::Kind::And ? Truth::False : Truth::True;
    if (lhs == shortCircuit || lhs == Truth::Error || lhs == Truth::Unknown)
      return lhs;
    return evaluate(*expr.operands[1], witness, fields, enums);
  }
  case Expr::Kind::Not: {
    Truth inner = evaluate(*expr.operands[0], witness, fields, enums);
    if (inner == Truth::True)
      return Truth::False;
    if (inner == Truth::False)
      return Truth::True;
    return inner;
  }
  case Expr::Kind::Compare: {
    Evaluated lhs = evaluateValue(*expr.operands[0], witness, fields);
    if (lhs.status != Truth::True)
      return lhs.status;
    Evaluated rhs = evaluateValue(*expr.operands[1], witness, fields);
    if (rhs.status != Truth::True)
      return rhs.status;
    return compareScalars(lhs.value, expr.op, rhs.value, enums);
  }
  case Expr::Kind::In: {
    Evaluated operand = evaluateValue(*expr.operands[0], witness, fields);
    if (operand.status != Truth::True)
      return operand.status;
    bool otherKinds = false;
    for (const Value &member : expr.members) {
      std::optional<Scalar> scalar = scalarOf(member);
      if (!scalar)
        return Truth::Unknown;
      if (scalar->kind != operand.value.kind)
        otherKinds = true;
      else if (compareScalars(operand.value, CompareOp::Eq, *scalar, enums) ==
               Truth::True)
        return Truth::True;
    }
    return otherKinds ? Truth::Unknown : Truth::False;
  }
  case Expr::Kind::Path: {
    Evaluated value = evaluateValue(expr, witness, fields);
    if (value.status != Truth::True)
      return value.status;
    if (value.value.kind != Scalar::Kind::Bool)
      return Truth::Unknown;
    return value.value.boolValue ? Truth::True : Truth::False;
  }
  case Expr::Kind::Literal:
    if (expr.literal.kind != Value::Kind::Bool)
      return Truth::Unknown;
    return expr.literal.boolValue ? Truth::True : Truth::False;
  case Expr::Kind::Call:
    return Truth::Unknown;
  }
  return Truth::Unknown;
}
