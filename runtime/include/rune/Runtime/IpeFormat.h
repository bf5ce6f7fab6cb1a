//===- IpeFormat.h - The IPE sections of a .rbc module ----------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// An IPE module (compiled from an .ipe policy file) is an ordinary .rbc
// module (BytecodeFormat.h) with two more sections. This header defines
// their layout once, with the decoded form and the codec that the compiler's
// writer and the runtime's reader share; docs/bytecode.md describes the
// same bytes in prose.
//
// IpeModule section (kind 6), all integers little endian, string indices
// into the Strings section:
//
//   u32 policy count P (the first P entries of the Policies section are the
//       policies; the entries after them are aggregate filters)
//   P x { u8 requirement (0 requires, 1 denies); u8 flags (bit 0:
//         declared with `predicate`); u32 intent string; u32 reason string
//         (kNoIndex: none); u32 metadata count;
//         count x { u32 key string; u32 value string (JSON text) } }
//   u32 slot count; count x { u32 display string; u32 component count;
//         count x u32 string }           request paths, from the root
//   u32 literal count; count x { u8 IpeLiteralKind; payload:
//         Bool u8 | Int i64 | Float f64 | String u32 string }
//   u32 list count; count x { u32 n; n x u32 literal }
//   u32 enum count; count x { u32 name string; u32 n; n x u32 string }
//   u32 condition count; count x { u8 IpeConditionKind; u32 list (In only,
//         else 0); u32 label string; u32 explanation string }
//   u32 filter count F; F x { u32 policy entry (>= P); u32 element name
//         string }
//
// IpeTriggerIndex section (kind 7):
//
//   u32 group count; count x {
//     u32 n; n x u32 slot                  the group's paths, in order
//     u32 key count; count x { n x u32 literal; u32 m; m x u32 policy }
//     u32 policy count; count x u32 policy }
//   u32 always count; count x u32 policy
//
// A policy listed under a key of a group is evaluated only when the
// request's values at the group's slots equal that tuple of literals; all
// the policies of a group are evaluated whenever one of its slots is
// missing or not a scalar (a leading test would then raise an error or
// need the full test); `always` policies are always evaluated.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_IPEFORMAT_H
#define RUNE_RUNTIME_IPEFORMAT_H

#include <cstdint>
#include <string>
#include <vector>

namespace rune::bc {
class Module;
}

namespace rune::ipebc {

inline constexpr uint32_t kNoIndex = 0xFFFFFFFFu;

enum class Requirement : uint8_t { Requires = 0, Denies = 1 };
inline constexpr uint8_t kPolicyFlagPredicate = 0x01;

enum class LiteralKind : uint8_t { Bool = 1, Int = 2, Float = 3, String = 4 };

/// What a condition tests. Comparisons first, in the order of their
/// operators, so a kind below In is a comparison.
enum class ConditionKind : uint8_t {
  Eq = 0,
  Ne = 1,
  Lt = 2,
  Le = 3,
  Gt = 4,
  Ge = 5,
  In = 6,
  Truth = 7,
};
inline constexpr uint8_t kNumConditionKinds = 8;

/// The modes of ipe_aggregate.
enum class AggregateMode : uint8_t { Count = 0, Any = 1, All = 2 };
inline constexpr uint8_t kNumAggregateModes = 3;

/// Policy outcomes, as ipe_return's operand and native functions' results.
enum class Outcome : uint8_t { NotApplicable = 0, Allow = 1, Deny = 2 };
inline constexpr uint8_t kNumReturnOutcomes = 3;

struct PolicyInfo {
  Requirement requirement = Requirement::Requires;
  uint8_t flags = 0;
  uint32_t intent = 0;
  uint32_t reason = kNoIndex;
  std::vector<std::pair<uint32_t, uint32_t>> metadata; // key, JSON text
};

struct SlotInfo {
  uint32_t display = 0;
  std::vector<uint32_t> components;
};

struct LiteralInfo {
  LiteralKind kind = LiteralKind::Bool;
  bool boolValue = false;
  int64_t intValue = 0;
  double floatValue = 0;
  uint32_t string = 0;
};

struct EnumInfo {
  uint32_t name = 0;
  std::vector<uint32_t> members;
};

struct ConditionInfo {
  ConditionKind kind = ConditionKind::Eq;
  uint32_t list = 0;
  uint32_t label = 0;
  uint32_t explanation = 0;
};

struct FilterInfo {
  uint32_t policyEntry = 0;
  uint32_t elementName = 0;
};

struct IndexKey {
  std::vector<uint32_t> literals; // one per slot of the group
  std::vector<uint32_t> policies;
};

struct IndexGroup {
  std::vector<uint32_t> slots;
  std::vector<IndexKey> keys;
  std::vector<uint32_t> policies;
};

/// The decoded IpeModule and IpeTriggerIndex sections.
struct Sections {
  std::vector<PolicyInfo> policies;
  std::vector<SlotInfo> slots;
  std::vector<LiteralInfo> literals;
  std::vector<std::vector<uint32_t>> lists;
  std::vector<EnumInfo> enums;
  std::vector<ConditionInfo> conditions;
  std::vector<FilterInfo> filters;
  std::vector<IndexGroup> indexGroups;
  std::vector<uint32_t> alwaysChecked;
};

std::vector<uint8_t> encodeModuleSection(const Sections &sections);
std::vector<uint8_t> encodeIndexSection(const Sections &sections);

/// Decodes both sections (either may be null/empty only if absent). Checks
/// the layout only; checkSections checks the indices.
bool decodeModuleSection(const uint8_t *data, size_t size, Sections &out,
                         std::string &error);
bool decodeIndexSection(const uint8_t *data, size_t size, Sections &out,
                        std::string &error);

/// Checks every index of `sections` against a module with `stringCount`
/// strings and `entryCount` Policies entries. Returns "" or a message.
std::string checkSections(const Sections &sections, size_t stringCount,
                          size_t entryCount);

/// The listing of the IPE sections of a verified module (part of the
/// disassembly): slots, literals, lists, enumerations, conditions, filters,
/// policies and the trigger index.
std::string listSections(const bc::Module &verifiedModule);

} // namespace rune::ipebc

#endif // RUNE_RUNTIME_IPEFORMAT_H
