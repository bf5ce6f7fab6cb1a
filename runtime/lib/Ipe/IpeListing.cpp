//===- IpeListing.cpp - The IPE sections in a bytecode listing ------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// `runec --emit=bytecode-asm` and `rune-run disasm` show the IPE tables after
// the policies, so the trigger index a module carries can be read (and
// tested) in the listing.
//
//===----------------------------------------------------------------------===//

#include "rune/Runtime/BytecodeReader.h"
#include "rune/Runtime/CedarSyntax.h"
#include "rune/Runtime/IpeFormat.h"

#include <charconv>

namespace rune::ipebc {

namespace {

std::string literalText(const bc::Module &m, const LiteralInfo &lit) {
  switch (lit.kind) {
  case LiteralKind::Bool:
    return lit.boolValue ? "true" : "false";
  case LiteralKind::Int:
    return std::to_string(lit.intValue);
  case LiteralKind::Float: {
    char buffer[64];
    auto r = std::to_chars(buffer, buffer + sizeof buffer, lit.floatValue);
    return std::string(buffer, r.ptr);
  }
  case LiteralKind::String:
    return rune::syntax::quoteString(m.strings[lit.string]);
  }
  return "?";
}

std::string policyList(const bc::Module &m, const std::vector<uint32_t> &ps) {
  std::string out = "[";
  for (size_t i = 0; i < ps.size(); ++i)
    out += (i ? ", " : "") + std::string(m.policyId(ps[i]));
  return out + "]";
}

const char *conditionKindName(ConditionKind kind) {
  static const char *const names[] = {
      "==", "!=", "<", "<=", ">", ">=", "in", "truth"};
  return names[static_cast<int>(kind)];
}

} // namespace

std::string listSections(const bc::Module &m) {
  const Sections &s = *m.ipe;
  std::string out =
      "\nipe policies (" + std::to_string(s.policies.size()) + "):\n";
  for (size_t i = 0; i < s.policies.size(); ++i) {
    const PolicyInfo &p = s.policies[i];
    out += "  " + std::string(m.policyId(i)) +
           (p.flags & kPolicyFlagPredicate ? " predicate" : " policy") +
           (p.requirement == Requirement::Denies ? " denies" : " requires") +
           " intent " + rune::syntax::quoteString(m.strings[p.intent]);
    if (p.reason != kNoIndex)
      out += " reason " + rune::syntax::quoteString(m.strings[p.reason]);
    for (auto [key, value] : p.metadata)
      out += " " + std::string(m.strings[key]) + "=" +
             std::string(m.strings[value]);
    out += "\n";
  }
  out += "\nipe slots (" + std::to_string(s.slots.size()) + "):\n";
  for (size_t i = 0; i < s.slots.size(); ++i)
    out += "  #" + std::to_string(i) + " = " +
           std::string(m.strings[s.slots[i].display]) + "\n";
  out += "\nipe literals (" + std::to_string(s.literals.size()) + "):\n";
  for (size_t i = 0; i < s.literals.size(); ++i)
    out += "  #" + std::to_string(i) + " = " + literalText(m, s.literals[i]) +
           "\n";
  out += "\nipe lists (" + std::to_string(s.lists.size()) + "):\n";
  for (size_t i = 0; i < s.lists.size(); ++i) {
    out += "  #" + std::to_string(i) + " = [";
    for (size_t j = 0; j < s.lists[i].size(); ++j)
      out += (j ? ", " : "") + literalText(m, s.literals[s.lists[i][j]]);
    out += "]\n";
  }
  out += "\nipe enums (" + std::to_string(s.enums.size()) + "):\n";
  for (const EnumInfo &e : s.enums) {
    out += "  " + std::string(m.strings[e.name]) + " {";
    for (size_t j = 0; j < e.members.size(); ++j)
      out += (j ? " < " : " ") + std::string(m.strings[e.members[j]]);
    out += " }\n";
  }
  out += "\nipe conditions (" + std::to_string(s.conditions.size()) + "):\n";
  for (size_t i = 0; i < s.conditions.size(); ++i) {
    const ConditionInfo &c = s.conditions[i];
    out += "  #" + std::to_string(i) + " " + conditionKindName(c.kind);
    if (c.kind == ConditionKind::In)
      out += " list #" + std::to_string(c.list);
    out += " " + rune::syntax::quoteString(m.strings[c.label]) + "\n";
  }
  out += "\nipe filters (" + std::to_string(s.filters.size()) + "):\n";
  for (size_t i = 0; i < s.filters.size(); ++i)
    out += "  #" + std::to_string(i) + " = " +
           std::string(m.policyId(s.filters[i].policyEntry)) + " element " +
           std::string(m.strings[s.filters[i].elementName]) + "\n";
  out += "\nipe trigger index (" + std::to_string(s.indexGroups.size()) +
         " groups):\n";
  for (const IndexGroup &group : s.indexGroups) {
    out += "  group (";
    for (size_t i = 0; i < group.slots.size(); ++i)
      out += (i ? ", " : "") +
             std::string(m.strings[s.slots[group.slots[i]].display]);
    out += "):\n";
    for (const IndexKey &key : group.keys) {
      out += "    (";
      for (size_t i = 0; i < key.literals.size(); ++i)
        out += (i ? ", " : "") + literalText(m, s.literals[key.literals[i]]);
      out += ") -> " + policyList(m, key.policies) + "\n";
    }
    out += "    missing or not a scalar -> " + policyList(m, group.policies) +
           "\n";
  }
  out += "  always checked: " + policyList(m, s.alwaysChecked) + "\n";
  return out;
}

} // namespace rune::ipebc
