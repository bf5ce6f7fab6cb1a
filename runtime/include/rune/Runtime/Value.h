//===- Value.h - Runtime values ---------------------------------*- C++ -*-===//
//
// A Value is 16 bytes, two 64-bit words, so it is layout-compatible with
// rune_value (rune_native.h) and natively compiled policies can keep values in
// plain register arrays:
//
//   word0: byte 0 = ValueKind, bytes 4..7 = `aux` (a length, count or symbol)
//   word1: the payload (an integer or a pointer into an arena)
//
//   kind      aux                payload
//   Bool      0                  0 or 1
//   Long      0                  the integer
//   String    byte length        pointer to the UTF-8 bytes
//   Entity    type symbol        pointer to the EntityUidData
//   Set       element count      pointer to the sorted, duplicate-free elements
//   Record    field count        pointer to the fields, sorted by key symbol
//   Decimal   0                  the value scaled by 10^4
//   IpAddr    0                  pointer to the IpAddrData
//   Datetime  0                  milliseconds since the Unix epoch
//   Duration  0                  milliseconds
//
// Values never own memory (see Arena.h). Sets are kept canonical (sorted
// under compareValues and deduplicated) so that Cedar's structural equality is
// an element-wise comparison and membership is a binary search.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_VALUE_H
#define RUNE_RUNTIME_VALUE_H

#include "rune/Runtime/SymbolTable.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace rune {

class Arena;

enum class ValueKind : uint8_t {
  Bool = 1,
  Long = 2,
  String = 3,
  Entity = 4,
  Set = 5,
  Record = 6,
  Decimal = 7,
  IpAddr = 8,
  Datetime = 9,
  Duration = 10,
};

/// An entity uid: an interned type name and an id string. The hash is
/// computed once at creation so entity-store lookups don't rehash the id.
struct EntityUidData {
  uint64_t hash;
  Symbol type;
  uint32_t idLength;
  const char *idData;
  /// Where the last entity store that looked this uid up found it, so the
  /// next lookup in that store is one load and compare instead of a probe
  /// and a string compare (EntityStore::findNode). The high 32 bits are
  /// the store's serial, the low 32 bits the node index + 1 (0: the store
  /// has no node for the uid); 0 when no store has looked. Uids are shared
  /// by threads (a module's constants), so it is only ever read and written
  /// whole, through relaxed atomics: any value read is one a store wrote,
  /// and a store's answer stays true because stores are immutable once
  /// finalized and serials are never reused.
  mutable uint64_t storeNode = 0;

  std::string_view id() const { return {idData, idLength}; }
  uint64_t cachedStoreNode() const {
    return std::atomic_ref<uint64_t>(storeNode).load(std::memory_order_relaxed);
  }
  void cacheStoreNode(uint64_t value) const {
    std::atomic_ref<uint64_t>(storeNode).store(value,
                                               std::memory_order_relaxed);
  }
};

/// An IPv4 or IPv6 address with a prefix length, as Cedar's ipaddr stores it:
/// the address is kept as written (not masked by the prefix).
struct IpAddrData {
  std::array<uint8_t, 16> bytes; // IPv4 uses bytes[0..3], the rest is zero
  uint8_t prefixLength;
  bool isV6;
};

struct RecordField;

class Value {
public:
  Value() : kindByte(static_cast<uint8_t>(ValueKind::Bool)), aux(0), bits(0) {}

  static Value boolean(bool value) { return Value(ValueKind::Bool, 0, value); }
  static Value integer(int64_t value) {
    return Value(ValueKind::Long, 0, value);
  }
  /// `text` must outlive the value and be shorter than 4 GiB.
  static Value string(std::string_view text) {
    return Value(ValueKind::String, static_cast<uint32_t>(text.size()),
                 text.data());
  }
  static Value entity(const EntityUidData *uid) {
    return Value(ValueKind::Entity, uid->type, uid);
  }
  /// `elements` must already be canonical; see makeSet.
  static Value set(const Value *elements, uint32_t count) {
    return Value(ValueKind::Set, count, elements);
  }
  /// `fields` must be sorted by key without duplicates; see makeRecord.
  static Value record(const RecordField *fields, uint32_t count) {
    return Value(ValueKind::Record, count, fields);
  }
  static Value decimal(int64_t scaled) {
    return Value(ValueKind::Decimal, 0, scaled);
  }
  static Value ipAddr(const IpAddrData *ip) {
    return Value(ValueKind::IpAddr, 0, ip);
  }
  static Value datetime(int64_t millis) {
    return Value(ValueKind::Datetime, 0, millis);
  }
  static Value duration(int64_t millis) {
    return Value(ValueKind::Duration, 0, millis);
  }

  ValueKind kind() const { return static_cast<ValueKind>(kindByte); }
  bool is(ValueKind k) const { return kindByte == static_cast<uint8_t>(k); }

  bool asBool() const { return bits != 0; }
  int64_t asLong() const { return bits; }
  /// The integer payload of Decimal, Datetime and Duration.
  int64_t asScalar() const { return bits; }
  std::string_view asString() const {
    return {static_cast<const char *>(pointer), aux};
  }
  const EntityUidData &asEntity() const {
    return *static_cast<const EntityUidData *>(pointer);
  }
  std::span<const Value> asSet() const {
    return {static_cast<const Value *>(pointer), aux};
  }
  inline std::span<const RecordField> asRecord() const;
  const IpAddrData &asIpAddr() const {
    return *static_cast<const IpAddrData *>(pointer);
  }

  /// Field lookup on a record value (binary search by symbol).
  const Value *findField(Symbol key) const;

private:
  Value(ValueKind k, uint32_t aux, int64_t value)
      : kindByte(static_cast<uint8_t>(k)), aux(aux), bits(value) {}
  Value(ValueKind k, uint32_t aux, const void *ptr)
      : kindByte(static_cast<uint8_t>(k)), aux(aux), pointer(ptr) {}

  uint8_t kindByte;
  uint8_t reserved[3] = {0, 0, 0};
  uint32_t aux;
  union {
    int64_t bits;
    const void *pointer;
  };
};

static_assert(sizeof(Value) == 16 && alignof(Value) == 8,
              "Value must be layout-compatible with rune_value");

struct RecordField {
  Symbol key;
  uint32_t reserved = 0;
  Value value;
};

inline std::span<const RecordField> Value::asRecord() const {
  return {static_cast<const RecordField *>(pointer), aux};
}

/// Cedar equality: structural, never an error; different kinds are unequal.
bool valuesEqual(const Value &a, const Value &b);

/// A total order consistent with valuesEqual (0 iff equal). It orders by
/// kind first; it is used to keep sets canonical, not exposed to policies.
int compareValues(const Value &a, const Value &b);

/// Sorts and deduplicates `elements` in place, copies the result into
/// `arena` and returns the set value.
Value makeSet(Arena &arena, Value *elements, size_t count);

/// Sorts `fields` by key in place and copies them into `arena`. Returns false
/// (and the offending key in `duplicate`) if a key appears twice.
bool makeRecord(Arena &arena, RecordField *fields, size_t count, Value &out,
                Symbol &duplicate);

uint64_t hashEntityUid(Symbol type, std::string_view id);
/// Allocates an entity uid in `arena` (the id bytes are copied too).
const EntityUidData *makeEntityUid(Arena &arena, Symbol type,
                                   std::string_view id);

/// `User::"alice"`
std::string formatEntityUid(const EntityUidData &uid,
                            const SymbolTable &symbols);
/// The value in Cedar syntax, e.g. `{"a": [1, true]}` or `decimal("1.5")`.
std::string formatValue(const Value &value, const SymbolTable &symbols);
/// The type as Cedar names it in type errors: `long`, `set`, `(entity of
/// type `User`)`, `decimal`, ...
std::string describeType(const Value &value, const SymbolTable &symbols);
/// The plain name of a kind: `bool`, `long`, ..., `ipaddr`.
std::string_view kindName(ValueKind kind);

} // namespace rune

#endif // RUNE_RUNTIME_VALUE_H
