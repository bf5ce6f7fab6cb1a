//===- IpeSections.cpp - Encoding and decoding the IPE sections -----------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The codec of IpeFormat.h. The decoder never trusts a count: every element
// it reads is bounds-checked by the cursor before it is stored, so a
// corrupted count fails with "truncated" rather than a huge allocation.
//
//===----------------------------------------------------------------------===//

#include "rune/Runtime/IpeFormat.h"

#include "rune/Runtime/SectionCursor.h"

#include <cstring>

namespace rune::ipebc {

namespace {

void putU8(std::vector<uint8_t> &out, uint8_t v) { out.push_back(v); }
// Little endian whatever the host, appended in one insertion: a byte-wise
// push_back (this file is built -Os, so it stays a loop) was 3% of compiling
// 10,000 IPE policies.
void putU32(std::vector<uint8_t> &out, uint32_t v) {
  const uint8_t bytes[4] = {
      static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8),
      static_cast<uint8_t>(v >> 16), static_cast<uint8_t>(v >> 24)};
  out.insert(out.end(), bytes, bytes + 4);
}
void putU64(std::vector<uint8_t> &out, uint64_t v) {
  putU32(out, static_cast<uint32_t>(v));
  putU32(out, static_cast<uint32_t>(v >> 32));
}
void putList(std::vector<uint8_t> &out, const std::vector<uint32_t> &list) {
  putU32(out, static_cast<uint32_t>(list.size()));
  for (uint32_t v : list)
    putU32(out, v);
}

class Decoder {
public:
  Decoder(const uint8_t *data, size_t size, std::string &error,
          const char *section)
      : cursor(data, static_cast<uint32_t>(size)), error(error),
        section(section) {}

  bool fail(const std::string &what) {
    error = std::string("bytecode: ") + section + " section: " + what;
    return false;
  }
  bool u8(uint8_t &v, const char *what) {
    return cursor.u8(v) || fail(std::string("truncated ") + what);
  }
  bool u32(uint32_t &v, const char *what) {
    return cursor.u32(v) || fail(std::string("truncated ") + what);
  }
  bool list(std::vector<uint32_t> &out, const char *what) {
    uint32_t n;
    if (!u32(n, what))
      return false;
    if (n > cursor.left() / 4)
      return fail(std::string("truncated ") + what);
    out.resize(n);
    for (uint32_t &v : out)
      if (!u32(v, what))
        return false;
    return true;
  }
  /// Reads a count of elements that take at least `minSize` bytes each.
  bool count(uint32_t &n, size_t minSize, const char *what) {
    if (!u32(n, what))
      return false;
    if (n > cursor.left() / minSize)
      return fail(std::string("truncated ") + what);
    return true;
  }
  bool finish() {
    return cursor.left() == 0 ||
           fail(std::to_string(cursor.left()) + " trailing bytes");
  }

  bc::SectionCursor cursor;
  std::string &error;
  const char *section;
};

} // namespace

std::vector<uint8_t> encodeModuleSection(const Sections &s) {
  std::vector<uint8_t> out;
  putU32(out, static_cast<uint32_t>(s.policies.size()));
  for (const PolicyInfo &p : s.policies) {
    putU8(out, static_cast<uint8_t>(p.requirement));
    putU8(out, p.flags);
    putU32(out, p.intent);
    putU32(out, p.reason);
    putU32(out, static_cast<uint32_t>(p.metadata.size()));
    for (auto [key, value] : p.metadata) {
      putU32(out, key);
      putU32(out, value);
    }
  }
  putU32(out, static_cast<uint32_t>(s.slots.size()));
  for (const SlotInfo &slot : s.slots) {
    putU32(out, slot.display);
    putList(out, slot.components);
  }
  putU32(out, static_cast<uint32_t>(s.literals.size()));
  for (const LiteralInfo &lit : s.literals) {
    putU8(out, static_cast<uint8_t>(lit.kind));
    switch (lit.kind) {
    case LiteralKind::Bool:
      putU8(out, lit.boolValue ? 1 : 0);
      break;
    case LiteralKind::Int:
      putU64(out, static_cast<uint64_t>(lit.intValue));
      break;
    case LiteralKind::Float: {
      uint64_t bits;
      std::memcpy(&bits, &lit.floatValue, sizeof bits);
      putU64(out, bits);
      break;
    }
    case LiteralKind::String:
      putU32(out, lit.string);
      break;
    }
  }
  putU32(out, static_cast<uint32_t>(s.lists.size()));
  for (const std::vector<uint32_t> &list : s.lists)
    putList(out, list);
  putU32(out, static_cast<uint32_t>(s.enums.size()));
  for (const EnumInfo &e : s.enums) {
    putU32(out, e.name);
    putList(out, e.members);
  }
  putU32(out, static_cast<uint32_t>(s.conditions.size()));
  for (const ConditionInfo &c : s.conditions) {
    putU8(out, static_cast<uint8_t>(c.kind));
    putU32(out, c.list);
    putU32(out, c.label);
    putU32(out, c.explanation);
  }
  putU32(out, static_cast<uint32_t>(s.filters.size()));
  for (const FilterInfo &f : s.filters) {
    putU32(out, f.policyEntry);
    putU32(out, f.elementName);
  }
  return out;
}

std::vector<uint8_t> encodeIndexSection(const Sections &s) {
  std::vector<uint8_t> out;
  putU32(out, static_cast<uint32_t>(s.indexGroups.size()));
  for (const IndexGroup &group : s.indexGroups) {
    putList(out, group.slots);
    putU32(out, static_cast<uint32_t>(group.keys.size()));
    for (const IndexKey &key : group.keys) {
      for (uint32_t literal : key.literals)
        putU32(out, literal);
      putList(out, key.policies);
    }
    putList(out, group.policies);
  }
  putList(out, s.alwaysChecked);
  return out;
}

bool decodeModuleSection(const uint8_t *data, size_t size, Sections &out,
                         std::string &error) {
  Decoder d(data, size, error, "IpeModule");
  uint32_t n;
  if (!d.count(n, 14, "policy table"))
    return false;
  out.policies.resize(n);
  for (PolicyInfo &p : out.policies) {
    uint8_t requirement;
    uint32_t metadataCount;
    if (!d.u8(requirement, "policy") || !d.u8(p.flags, "policy") ||
        !d.u32(p.intent, "policy") || !d.u32(p.reason, "policy") ||
        !d.count(metadataCount, 8, "metadata"))
      return false;
    if (requirement > 1)
      return d.fail("invalid requirement kind " + std::to_string(requirement));
    if (p.flags & ~kPolicyFlagPredicate)
      return d.fail("invalid policy flags " + std::to_string(p.flags));
    p.requirement = static_cast<Requirement>(requirement);
    p.metadata.resize(metadataCount);
    for (auto &[key, value] : p.metadata)
      if (!d.u32(key, "metadata") || !d.u32(value, "metadata"))
        return false;
  }
  if (!d.count(n, 8, "slot table"))
    return false;
  out.slots.resize(n);
  for (SlotInfo &slot : out.slots)
    if (!d.u32(slot.display, "slot") || !d.list(slot.components, "slot"))
      return false;
  if (!d.count(n, 2, "literal table"))
    return false;
  out.literals.resize(n);
  for (LiteralInfo &lit : out.literals) {
    uint8_t kind;
    if (!d.u8(kind, "literal"))
      return false;
    switch (static_cast<LiteralKind>(kind)) {
    case LiteralKind::Bool: {
      uint8_t v;
      if (!d.u8(v, "literal"))
        return false;
      if (v > 1)
        return d.fail("invalid boolean literal " + std::to_string(v));
      lit.boolValue = v;
      break;
    }
    case LiteralKind::Int:
      if (!d.cursor.i64(lit.intValue))
        return d.fail("truncated literal");
      break;
    case LiteralKind::Float: {
      int64_t bits;
      if (!d.cursor.i64(bits))
        return d.fail("truncated literal");
      std::memcpy(&lit.floatValue, &bits, sizeof bits);
      break;
    }
    case LiteralKind::String:
      if (!d.u32(lit.string, "literal"))
        return false;
      break;
    default:
      return d.fail("invalid literal kind " + std::to_string(kind));
    }
    lit.kind = static_cast<LiteralKind>(kind);
  }
  if (!d.count(n, 4, "list table"))
    return false;
  out.lists.resize(n);
  for (std::vector<uint32_t> &list : out.lists)
    if (!d.list(list, "list"))
      return false;
  if (!d.count(n, 8, "enum table"))
    return false;
  out.enums.resize(n);
  for (EnumInfo &e : out.enums)
    if (!d.u32(e.name, "enum") || !d.list(e.members, "enum"))
      return false;
  if (!d.count(n, 13, "condition table"))
    return false;
  out.conditions.resize(n);
  for (ConditionInfo &c : out.conditions) {
    uint8_t kind;
    if (!d.u8(kind, "condition") || !d.u32(c.list, "condition") ||
        !d.u32(c.label, "condition") || !d.u32(c.explanation, "condition"))
      return false;
    if (kind >= kNumConditionKinds)
      return d.fail("invalid condition kind " + std::to_string(kind));
    c.kind = static_cast<ConditionKind>(kind);
  }
  if (!d.count(n, 8, "filter table"))
    return false;
  out.filters.resize(n);
  for (FilterInfo &f : out.filters)
    if (!d.u32(f.policyEntry, "filter") || !d.u32(f.elementName, "filter"))
      return false;
  return d.finish();
}

bool decodeIndexSection(const uint8_t *data, size_t size, Sections &out,
                        std::string &error) {
  Decoder d(data, size, error, "IpeTriggerIndex");
  uint32_t n;
  if (!d.count(n, 12, "group table"))
    return false;
  out.indexGroups.resize(n);
  for (IndexGroup &group : out.indexGroups) {
    uint32_t keyCount;
    if (!d.list(group.slots, "group") || group.slots.empty() ||
        !d.count(keyCount, 4 * group.slots.size() + 4, "key table"))
      return group.slots.empty() ? d.fail("a group without paths") : false;
    group.keys.resize(keyCount);
    for (IndexKey &key : group.keys) {
      key.literals.resize(group.slots.size());
      for (uint32_t &literal : key.literals)
        if (!d.u32(literal, "key"))
          return false;
      if (!d.list(key.policies, "postings"))
        return false;
    }
    if (!d.list(group.policies, "group policies"))
      return false;
  }
  if (!d.list(out.alwaysChecked, "always-checked list"))
    return false;
  return d.finish();
}

std::string checkSections(const Sections &s, size_t stringCount,
                          size_t entryCount) {
  auto badString = [&](uint32_t index) { return index >= stringCount; };
  size_t policies = s.policies.size();
  if (policies + s.filters.size() != entryCount)
    return std::to_string(policies) + " policies and " +
           std::to_string(s.filters.size()) +
           " filters do not match the Policies section's " +
           std::to_string(entryCount) + " entries";
  for (size_t i = 0; i < policies; ++i) {
    const PolicyInfo &p = s.policies[i];
    if (badString(p.intent) || (p.reason != kNoIndex && badString(p.reason)))
      return "policy " + std::to_string(i) + ": string index out of range";
    for (auto [key, value] : p.metadata)
      if (badString(key) || badString(value))
        return "policy " + std::to_string(i) +
               ": metadata string index out of range";
  }
  for (size_t i = 0; i < s.slots.size(); ++i) {
    const SlotInfo &slot = s.slots[i];
    if (badString(slot.display) || slot.components.empty())
      return "slot " + std::to_string(i) + " is malformed";
    for (uint32_t c : slot.components)
      if (badString(c))
        return "slot " + std::to_string(i) + ": string index out of range";
  }
  for (size_t i = 0; i < s.literals.size(); ++i)
    if (s.literals[i].kind == LiteralKind::String &&
        badString(s.literals[i].string))
      return "literal " + std::to_string(i) + ": string index out of range";
  for (size_t i = 0; i < s.lists.size(); ++i)
    for (uint32_t lit : s.lists[i])
      if (lit >= s.literals.size())
        return "list " + std::to_string(i) + ": literal out of range";
  for (size_t i = 0; i < s.enums.size(); ++i) {
    if (badString(s.enums[i].name))
      return "enum " + std::to_string(i) + ": string index out of range";
    for (uint32_t m : s.enums[i].members)
      if (badString(m))
        return "enum " + std::to_string(i) + ": string index out of range";
  }
  for (size_t i = 0; i < s.conditions.size(); ++i) {
    const ConditionInfo &c = s.conditions[i];
    if (badString(c.label) || badString(c.explanation))
      return "condition " + std::to_string(i) + ": string index out of range";
    if (c.kind == ConditionKind::In && c.list >= s.lists.size())
      return "condition " + std::to_string(i) + ": list out of range";
  }
  for (size_t i = 0; i < s.filters.size(); ++i) {
    const FilterInfo &f = s.filters[i];
    // Filters follow the policies, in order, so a filter's code can only
    // call filters after it: nesting depth and run time stay bounded.
    if (f.policyEntry != policies + i || badString(f.elementName))
      return "filter " + std::to_string(i) + " is malformed";
  }
  for (size_t i = 0; i < s.indexGroups.size(); ++i) {
    const IndexGroup &group = s.indexGroups[i];
    std::string where = "index group " + std::to_string(i);
    for (uint32_t slot : group.slots)
      if (slot >= s.slots.size())
        return where + ": slot out of range";
    for (const IndexKey &key : group.keys) {
      for (uint32_t literal : key.literals)
        if (literal >= s.literals.size() ||
            s.literals[literal].kind == LiteralKind::Float)
          return where + ": bad key literal";
      for (uint32_t p : key.policies)
        if (p >= policies)
          return where + ": policy out of range";
    }
    for (uint32_t p : group.policies)
      if (p >= policies)
        return where + ": policy out of range";
  }
  for (uint32_t p : s.alwaysChecked)
    if (p >= policies)
      return "always-checked policy out of range";
  return "";
}

} // namespace rune::ipebc
