//===- IpeModule.cpp - A loaded IPE module and its trigger index ----------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Loading verifies the bytecode (IPE sections included) and then builds the
// tables evaluation reads: the string symbol map requests are interned
// against, the literal values, each string's enumeration memberships, and
// hash tables over the trigger index's keys.
//
//===----------------------------------------------------------------------===//

#include "rune/Runtime/IpeEngine.h"

#include "rune/Runtime/InstructionDecoder.h"

#include "IpeDocument.h"
#include "IpeText.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>

namespace rune::ipert {

std::string_view outcomeName(Outcome outcome) {
  switch (outcome) {
  case Outcome::NotApplicable:
    return "not-applicable";
  case Outcome::Allow:
    return "allow";
  case Outcome::Deny:
    return "deny";
  case Outcome::Error:
    return "error";
  }
  return "error";
}

std::unique_ptr<Module> Module::load(const uint8_t *data, size_t size,
                                     std::string &error) {
  std::unique_ptr<Module> module(new Module());
  if (!bc::readModule(data, size, module->image, error))
    return nullptr;
  if (!module->prepare(error))
    return nullptr;
  return module;
}

std::unique_ptr<Module> Module::loadNative(const rune_native_module *native,
                                           std::string &error) {
  if (!native) {
    error = "no native module";
    return nullptr;
  }
  if (native->abi_version < RUNE_NATIVE_ABI_VERSION_MIN ||
      native->abi_version > RUNE_NATIVE_ABI_VERSION) {
    error = "native module has ABI version " +
            std::to_string(native->abi_version) + ", the runtime expects " +
            std::to_string(RUNE_NATIVE_ABI_VERSION_MIN) + " to " +
            std::to_string(RUNE_NATIVE_ABI_VERSION);
    return nullptr;
  }
  std::unique_ptr<Module> module =
      load(native->bytecode, native->bytecode_size, error);
  if (!module)
    return nullptr;
  // Layout 1 lists one function per Policies entry, layout 2 adds the
  // decision function (rune_ipe_native.h).
  size_t entries = module->image.policies.size();
  if (native->policy_count != entries && native->policy_count != entries + 1) {
    error = "native module has " + std::to_string(native->policy_count) +
            " functions for " + std::to_string(entries) +
            " policies and filters (expected " + std::to_string(entries) +
            ", or " + std::to_string(entries + 1) +
            " with the decision function)";
    return nullptr;
  }
  if (native->policy_count != 0 && !native->policy_fns) {
    error = "native module has no function table";
    return nullptr;
  }
  for (uint32_t i = 0; i < native->policy_count; ++i)
    if (!native->policy_fns[i]) {
      error = "native module: function " + std::to_string(i) + " is null";
      return nullptr;
    }
  // The descriptor stores IPE functions as rune_policy_fn (the shared
  // descriptor type); they are converted back before any call.
  module->nativeFns =
      reinterpret_cast<const rune_ipe_policy_fn *>(native->policy_fns);
  if (native->policy_count == entries + 1)
    module->nativeDecideFn = reinterpret_cast<rune_ipe_decide_fn>(
        reinterpret_cast<void (*)()>(native->policy_fns[entries]));
  return module;
}

uint32_t Module::hashText(std::string_view text) {
  // Eight bytes at a time: module and request strings are short names.
  // The length is hashed, so the last, overlapping word of a text whose
  // length is no multiple of 8 describes it as well as a padded one.
  size_t n = text.size();
  uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    h = (h ^ loadWord(text.data() + i)) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
  }
  if (i < n) {
    uint64_t word =
        n >= 8 ? loadWord(text.data() + n - 8) : shortWord(text.data(), n);
    h = (h ^ word) * 0xFF51AFD7ED558CCDull;
  }
  h ^= h >> 29;
  h *= 0xC4CEB9FE1A85EC53ull;
  return uint32_t(h >> 32);
}

int32_t Module::symbolOf(std::string_view text) const {
  uint32_t hash = hashText(text);
  size_t mask = symbolTable.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const SymbolEntry &entry = symbolTable[i];
    if (entry.symbol < 0)
      return -1;
    if (entry.hash == hash &&
        sameText(image.strings[size_t(entry.symbol)], text))
      return entry.symbol;
  }
}

const std::vector<std::pair<uint32_t, uint32_t>> &
Module::enumMemberships(int32_t symbol) const {
  static const std::vector<std::pair<uint32_t, uint32_t>> none;
  if (symbol < 0 || size_t(symbol) >= memberships.size())
    return none;
  return memberships[size_t(symbol)];
}

bool Module::prepare(std::string &error) {
  if (!image.ipe) {
    error = "not an IPE module (it has no IpeModule section; Cedar modules "
            "run with `rune-run authorize`)";
    return false;
  }
  const ipebc::Sections &t = *image.ipe;
  // The writer deduplicates strings, so one text has one symbol; a module
  // written otherwise still gets a consistent map (the first index wins,
  // and literals below use the map, not their own index).
  size_t capacity = 16;
  while (capacity < 2 * image.strings.size())
    capacity *= 2;
  symbolTable.assign(capacity, SymbolEntry());
  for (size_t i = 0; i < image.strings.size(); ++i) {
    if (symbolOf(image.strings[i]) >= 0)
      continue;
    uint32_t hash = hashText(image.strings[i]);
    size_t at = hash & (capacity - 1);
    while (symbolTable[at].symbol >= 0)
      at = (at + 1) & (capacity - 1);
    symbolTable[at] = {hash, int32_t(i)};
  }
  for (const ipebc::LiteralInfo &lit : t.literals) {
    Value v{};
    switch (lit.kind) {
    case ipebc::LiteralKind::Bool:
      v.kind = RUNE_IPE_BOOL;
      v.payload = lit.boolValue;
      break;
    case ipebc::LiteralKind::Int:
      v.kind = RUNE_IPE_INT;
      v.payload = static_cast<uint64_t>(lit.intValue);
      break;
    case ipebc::LiteralKind::Float:
      v.kind = RUNE_IPE_FLOAT;
      std::memcpy(&v.payload, &lit.floatValue, sizeof v.payload);
      break;
    case ipebc::LiteralKind::String: {
      std::string_view text = image.strings[lit.string];
      v.kind = RUNE_IPE_STRING;
      v.symbol = symbolOf(text);
      v.length = text.size();
      v.payload = reinterpret_cast<uint64_t>(text.data());
      break;
    }
    }
    literals.push_back(v);
  }
  memberships.resize(image.strings.size());
  for (uint32_t e = 0; e < t.enums.size(); ++e)
    for (uint32_t rank = 0; rank < t.enums[e].members.size(); ++rank) {
      int32_t symbol = symbolOf(image.strings[t.enums[e].members[rank]]);
      auto &list = memberships[size_t(symbol)];
      // A member listed twice in one enumeration keeps its first rank.
      bool seen = false;
      for (auto [otherEnum, otherRank] : list)
        seen |= otherEnum == e;
      if (!seen)
        list.emplace_back(e, rank);
    }
  for (const ipebc::IndexGroup &group : t.indexGroups) {
    GroupIndex index;
    index.slots = group.slots;
    index.policies = &group.policies;
    size_t width = group.slots.size();
    size_t capacity = 4;
    while (capacity < 2 * group.keys.size())
      capacity *= 2;
    index.table.resize(capacity);
    for (const ipebc::IndexKey &key : group.keys) {
      if (key.literals.size() != width) {
        error = "bytecode: IpeTriggerIndex section: a key's length differs "
                "from its group's path count";
        return false;
      }
      uint32_t position = uint32_t(index.postings.size());
      for (uint32_t literal : key.literals) {
        const Value &lit = literals[literal];
        index.keyParts.push_back({lit.kind, lit.kind == RUNE_IPE_STRING
                                                ? int64_t(lit.symbol)
                                                : int64_t(lit.payload)});
      }
      index.postings.push_back(&key.policies);
      if (!index.insert(position,
                        hashKey(&index.keyParts[position * width], width))) {
        error = "bytecode: IpeTriggerIndex section: duplicate key in a "
                "group";
        return false;
      }
    }
    groups.push_back(std::move(index));
  }
  for (const bc::PolicyEntry &entry : image.policies)
    maxRegisters = std::max(maxRegisters, entry.registerCount);
  rowKeys = elementFieldKeys(image);
  rowSlots = collectionSlots(image);
  return true;
}

namespace {

/// The operand `operand` of every `opcode` instruction of the given
/// Policies entries, sorted, without duplicates (verified code: every
/// instruction decodes).
template <typename Entries>
std::vector<uint32_t> operandsOf(const bc::Module &image,
                                 const Entries &entries, bc::Opcode opcode,
                                 unsigned operand) {
  std::vector<uint32_t> found;
  for (uint32_t entry : entries) {
    const uint8_t *code = image.policyCode(entry);
    uint32_t size = image.policies[entry].codeSize;
    bc::DecodedInstruction instruction;
    for (uint32_t pc = 0; pc < size; pc += instruction.info->size) {
      if (bc::decodeInstruction(code, size, pc, instruction) !=
          bc::DecodeStatus::Ok)
        break;
      if (code[pc] == uint8_t(opcode))
        found.push_back(uint32_t(instruction.operands[operand]));
    }
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

} // namespace

std::vector<uint32_t> elementFieldKeys(const bc::Module &image) {
  std::vector<uint32_t> filterEntries;
  for (const ipebc::FilterInfo &filter : image.ipe->filters)
    filterEntries.push_back(filter.policyEntry);
  return operandsOf(image, filterEntries, bc::Opcode::IpeGetField, 2);
}

std::vector<uint32_t> collectionSlots(const bc::Module &image) {
  std::vector<uint32_t> entries(image.policies.size());
  for (uint32_t i = 0; i < entries.size(); ++i)
    entries[i] = i;
  return operandsOf(image, entries, bc::Opcode::IpeLoadCollection, 1);
}

void Module::candidates(const Value *slots, std::vector<uint32_t> &out,
                        std::vector<uint32_t> &stamps,
                        uint32_t &generation) const {
  if (stamps.size() != policyCount())
    stamps.assign(policyCount(), 0);
  if (++generation == 0) {
    std::fill(stamps.begin(), stamps.end(), 0);
    generation = 1;
  }
  auto add = [&](const std::vector<uint32_t> &policies) {
    for (uint32_t p : policies)
      if (stamps[p] != generation) {
        stamps[p] = generation;
        out.push_back(p);
      }
  };
  add(tables().alwaysChecked);
  // Keys are short (one part per path a trigger tests): no allocation.
  KeyPart inlineParts[8];
  std::vector<KeyPart> heapParts;
  for (const GroupIndex &group : groups) {
    size_t width = group.slots.size();
    KeyPart *parts = inlineParts;
    if (width > std::size(inlineParts)) {
      heapParts.resize(width);
      parts = heapParts.data();
    }
    size_t n = 0;
    bool scalar = true, matchable = true;
    for (uint32_t slot : group.slots) {
      const Value &v = slots[slot];
      switch (v.kind) {
      case RUNE_IPE_STRING:
        // Keys are module strings: another string matches no key.
        matchable &= v.symbol >= 0;
        parts[n++] = KeyPart{RUNE_IPE_STRING, v.symbol};
        break;
      case RUNE_IPE_INT:
      case RUNE_IPE_BOOL:
        parts[n++] = KeyPart{v.kind, int64_t(v.payload)};
        break;
      case RUNE_IPE_FLOAT: {
        double d;
        std::memcpy(&d, &v.payload, sizeof d);
        // An integral float equals the integer key of the same value;
        // keys are never fractional.
        bool integral = std::nearbyint(d) == d && std::fabs(d) < 9.0e18;
        matchable &= integral;
        parts[n++] = KeyPart{RUNE_IPE_INT, integral ? int64_t(d) : 0};
        break;
      }
      default:
        scalar = false;
      }
      if (!scalar)
        break;
    }
    if (!scalar) {
      // Missing, or an array/object: a leading test may raise an error or
      // match an element, so the whole group is evaluated in full.
      add(*group.policies);
      continue;
    }
    if (!matchable)
      continue;
    int64_t position = group.find(parts, hashKey(parts, width));
    if (position >= 0)
      add(*group.postings[size_t(position)]);
  }
}

int64_t Module::GroupIndex::find(const KeyPart *key, uint64_t hash) const {
  size_t width = slots.size();
  size_t mask = table.size() - 1;
  for (size_t i = size_t(hash) & mask;; i = (i + 1) & mask) {
    const Entry &entry = table[i];
    if (entry.position == 0)
      return -1;
    if (entry.hash == hash &&
        std::equal(key, key + width,
                   keyParts.begin() + (entry.position - 1) * width))
      return entry.position - 1;
  }
}

bool Module::GroupIndex::insert(uint32_t position, uint64_t hash) {
  if (find(&keyParts[size_t(position) * slots.size()], hash) >= 0)
    return false;
  size_t mask = table.size() - 1;
  size_t i = size_t(hash) & mask;
  while (table[i].position != 0)
    i = (i + 1) & mask;
  table[i] = {hash, position + 1};
  return true;
}

uint64_t Module::hashKey(const KeyPart *key, size_t width) {
  uint64_t h = 0x9E3779B97F4A7C15ull;
  for (size_t i = 0; i < width; ++i) {
    h ^= (uint64_t(key[i].kind) << 56) ^ uint64_t(key[i].value);
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
  }
  return h;
}

Module::~Module() { delete keptReader.load(std::memory_order_relaxed); }

std::unique_ptr<doc::Reader> Module::lendReader() const {
  if (doc::Reader *kept =
          keptReader.exchange(nullptr, std::memory_order_acquire))
    return std::unique_ptr<doc::Reader>(kept);
  return std::make_unique<doc::Reader>();
}

void Module::returnReader(std::unique_ptr<doc::Reader> reader) const {
  if (reader->heldBytes() > kKeptReaderBytes)
    return;
  doc::Reader *expected = nullptr;
  if (keptReader.compare_exchange_strong(expected, reader.get(),
                                         std::memory_order_release,
                                         std::memory_order_relaxed))
    reader.release();
}

} // namespace rune::ipert
