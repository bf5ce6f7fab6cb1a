//===- Value.cpp - Runtime values -----------------------------------------===//

#include "rune/Runtime/Value.h"

#include "rune/Runtime/Arena.h"
#include "rune/Runtime/CedarSyntax.h"
#include "rune/Runtime/ExtensionParsers.h"

#include <algorithm>
#include <cstring>

namespace rune {

namespace {

template <typename T> int compareScalars(T a, T b) {
  return a < b ? -1 : (a > b ? 1 : 0);
}

int compareStrings(std::string_view a, std::string_view b) {
  int result = a.compare(b);
  return result < 0 ? -1 : (result > 0 ? 1 : 0);
}

int compareEntities(const EntityUidData &a, const EntityUidData &b) {
  if (&a == &b)
    return 0;
  if (int c = compareScalars(a.type, b.type))
    return c;
  return compareStrings(a.id(), b.id());
}

int compareIps(const IpAddrData &a, const IpAddrData &b) {
  if (int c = compareScalars(a.isV6, b.isV6))
    return c;
  if (int c = std::memcmp(a.bytes.data(), b.bytes.data(), a.bytes.size()))
    return c < 0 ? -1 : 1;
  return compareScalars(a.prefixLength, b.prefixLength);
}

} // namespace

const Value *Value::findField(Symbol key) const {
  std::span<const RecordField> fields = asRecord();
  // Most records (entity attributes, contexts) have a handful of fields: a
  // scan of the sorted keys stopping at the first key not below `key`
  // costs fewer instructions than the binary search below.
  if (fields.size() <= 8) {
    for (const RecordField &field : fields)
      if (field.key >= key)
        return field.key == key ? &field.value : nullptr;
    return nullptr;
  }
  size_t low = 0, high = fields.size();
  while (low < high) {
    size_t mid = low + (high - low) / 2;
    if (fields[mid].key < key)
      low = mid + 1;
    else
      high = mid;
  }
  if (low < fields.size() && fields[low].key == key)
    return &fields[low].value;
  return nullptr;
}

bool valuesEqual(const Value &a, const Value &b) {
  if (a.kind() != b.kind())
    return false;
  switch (a.kind()) {
  case ValueKind::Bool:
  case ValueKind::Long:
  case ValueKind::Decimal:
  case ValueKind::Datetime:
  case ValueKind::Duration:
    return a.asScalar() == b.asScalar();
  case ValueKind::String:
    return a.asString() == b.asString();
  case ValueKind::Entity: {
    const EntityUidData &x = a.asEntity(), &y = b.asEntity();
    return &x == &y ||
           (x.hash == y.hash && x.type == y.type && x.id() == y.id());
  }
  case ValueKind::Set: {
    std::span<const Value> x = a.asSet(), y = b.asSet();
    if (x.size() != y.size())
      return false;
    for (size_t i = 0; i < x.size(); ++i)
      if (!valuesEqual(x[i], y[i]))
        return false;
    return true;
  }
  case ValueKind::Record: {
    std::span<const RecordField> x = a.asRecord(), y = b.asRecord();
    if (x.size() != y.size())
      return false;
    for (size_t i = 0; i < x.size(); ++i)
      if (x[i].key != y[i].key || !valuesEqual(x[i].value, y[i].value))
        return false;
    return true;
  }
  case ValueKind::IpAddr:
    return compareIps(a.asIpAddr(), b.asIpAddr()) == 0;
  }
  return false;
}

int compareValues(const Value &a, const Value &b) {
  if (a.kind() != b.kind())
    return compareScalars(static_cast<uint8_t>(a.kind()),
                          static_cast<uint8_t>(b.kind()));
  switch (a.kind()) {
  case ValueKind::Bool:
  case ValueKind::Long:
  case ValueKind::Decimal:
  case ValueKind::Datetime:
  case ValueKind::Duration:
    return compareScalars(a.asScalar(), b.asScalar());
  case ValueKind::String:
    return compareStrings(a.asString(), b.asString());
  case ValueKind::Entity:
    return compareEntities(a.asEntity(), b.asEntity());
  case ValueKind::Set: {
    std::span<const Value> x = a.asSet(), y = b.asSet();
    if (int c = compareScalars(x.size(), y.size()))
      return c;
    for (size_t i = 0; i < x.size(); ++i)
      if (int c = compareValues(x[i], y[i]))
        return c;
    return 0;
  }
  case ValueKind::Record: {
    std::span<const RecordField> x = a.asRecord(), y = b.asRecord();
    if (int c = compareScalars(x.size(), y.size()))
      return c;
    for (size_t i = 0; i < x.size(); ++i) {
      if (int c = compareScalars(x[i].key, y[i].key))
        return c;
      if (int c = compareValues(x[i].value, y[i].value))
        return c;
    }
    return 0;
  }
  case ValueKind::IpAddr:
    return compareIps(a.asIpAddr(), b.asIpAddr());
  }
  return 0;
}

Value makeSet(Arena &arena, Value *elements, size_t count) {
  std::sort(elements, elements + count, [](const Value &x, const Value &y) {
    return compareValues(x, y) < 0;
  });
  size_t unique = 0;
  for (size_t i = 0; i < count; ++i)
    if (unique == 0 || compareValues(elements[unique - 1], elements[i]) != 0)
      elements[unique++] = elements[i];
  Value *stored = arena.allocateArray<Value>(unique);
  std::copy(elements, elements + unique, stored);
  return Value::set(stored, static_cast<uint32_t>(unique));
}

bool makeRecord(Arena &arena, RecordField *fields, size_t count, Value &out,
                Symbol &duplicate) {
  std::sort(
      fields, fields + count,
      [](const RecordField &x, const RecordField &y) { return x.key < y.key; });
  for (size_t i = 1; i < count; ++i) {
    if (fields[i - 1].key == fields[i].key) {
      duplicate = fields[i].key;
      return false;
    }
  }
  RecordField *stored = arena.allocateArray<RecordField>(count);
  std::copy(fields, fields + count, stored);
  out = Value::record(stored, static_cast<uint32_t>(count));
  return true;
}

uint64_t hashEntityUid(Symbol type, std::string_view id) {
  // FNV-1a over the id, seeded with the type symbol, then a final mix so
  // the low bits used by open-addressing tables are well distributed.
  uint64_t hash =
      0xcbf29ce484222325ull ^ (uint64_t(type) * 0x9E3779B97F4A7C15ull);
  for (char c : id) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 0x100000001b3ull;
  }
  hash ^= hash >> 33;
  hash *= 0xff51afd7ed558ccdull;
  hash ^= hash >> 33;
  return hash;
}

const EntityUidData *makeEntityUid(Arena &arena, Symbol type,
                                   std::string_view id) {
  auto *uid = static_cast<EntityUidData *>(
      arena.allocate(sizeof(EntityUidData), alignof(EntityUidData)));
  std::string_view stored = arena.copyString(id);
  uid->hash = hashEntityUid(type, id);
  uid->type = type;
  uid->idLength = static_cast<uint32_t>(id.size());
  uid->idData = stored.data();
  uid->storeNode = 0;
  return uid;
}

std::string formatEntityUid(const EntityUidData &uid,
                            const SymbolTable &symbols) {
  return syntax::formatEntityUid(symbols.name(uid.type), uid.id());
}

std::string formatValue(const Value &value, const SymbolTable &symbols) {
  switch (value.kind()) {
  case ValueKind::Bool:
    return value.asBool() ? "true" : "false";
  case ValueKind::Long:
    return std::to_string(value.asLong());
  case ValueKind::String:
    return syntax::quoteString(value.asString());
  case ValueKind::Entity:
    return formatEntityUid(value.asEntity(), symbols);
  case ValueKind::Set: {
    std::string out = "[";
    bool first = true;
    for (const Value &element : value.asSet()) {
      if (!first)
        out += ", ";
      first = false;
      out += formatValue(element, symbols);
    }
    return out + "]";
  }
  case ValueKind::Record: {
    std::string out = "{";
    bool first = true;
    for (const RecordField &field : value.asRecord()) {
      if (!first)
        out += ", ";
      first = false;
      out += syntax::quoteString(symbols.name(field.key));
      out += ": ";
      out += formatValue(field.value, symbols);
    }
    return out + "}";
  }
  case ValueKind::Decimal:
    return "decimal(\"" + ext::formatDecimal(value.asScalar()) + "\")";
  case ValueKind::IpAddr:
    return "ip(\"" + ext::formatIpAddr(value.asIpAddr()) + "\")";
  case ValueKind::Datetime:
    return "datetime(\"" + ext::formatDatetime(value.asScalar()) + "\")";
  case ValueKind::Duration:
    return "duration(\"" + ext::formatDuration(value.asScalar()) + "\")";
  }
  return "<invalid value>";
}

std::string_view kindName(ValueKind kind) {
  switch (kind) {
  case ValueKind::Bool:
    return "bool";
  case ValueKind::Long:
    return "long";
  case ValueKind::String:
    return "string";
  case ValueKind::Entity:
    return "entity";
  case ValueKind::Set:
    return "set";
  case ValueKind::Record:
    return "record";
  case ValueKind::Decimal:
    return "decimal";
  case ValueKind::IpAddr:
    return "ipaddr";
  case ValueKind::Datetime:
    return "datetime";
  case ValueKind::Duration:
    return "duration";
  }
  return "<invalid kind>";
}

std::string describeType(const Value &value, const SymbolTable &symbols) {
  if (value.is(ValueKind::Entity))
    return "(entity of type `" +
           std::string(symbols.name(value.asEntity().type)) + "`)";
  return std::string(kindName(value.kind()));
}

} // namespace rune
