//===- SchemaSection.cpp - Decoding a Schema section ----------------------===//
//
// The encoding checks of the Schema section, as BytecodeReader does them for
// the other tables: every count must fit in what is left, every flag byte
// must be one the format defines, every string index must name a string of
// the section's pool and the bytes must be consumed exactly. What the
// decoded schema means (types, names, the action hierarchy) is checked by
// verifySchema.
//
//===----------------------------------------------------------------------===//

#include "rune/Runtime/SchemaSection.h"

#include "rune/Runtime/SectionCursor.h"
#include "rune/Runtime/Utf8.h"

#include <cinttypes>
#include <cstdio>
#include <limits>

namespace rune::bc {

namespace {

std::string format(const char *fmt, auto... args) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, fmt, args...);
  return buffer;
}

// Smallest encodings, which bound how many entries a count may claim.
constexpr uint32_t kMinStringSize = 4;      // length
constexpr uint32_t kMinTypeSize = 1;        // kind
constexpr uint32_t kMinEntityTypeSize = 21; // name, attrs, tags, 2 counts
constexpr uint32_t kMinActionSize = 25;     // type, id, 3 counts, context

class SchemaDecoder {
public:
  SchemaDecoder(const uint8_t *data, size_t size, SchemaInfo &out,
                std::string &error)
      : cursor(data, static_cast<uint32_t>(size)), out(out), error(error) {}

  bool decode() {
    if (!readPool() || !readTypes() || !readEntityTypes() || !readActions())
      return false;
    if (cursor.left() != 0)
      return fail(format("%" PRIu32 " trailing bytes", cursor.left()));
    return true;
  }

private:
  bool fail(std::string message) {
    error = "Schema section: " + std::move(message);
    return false;
  }

  bool truncated(const char *what, uint32_t index) {
    error = format("Schema section truncated (%s %" PRIu32 ")", what, index);
    return false;
  }

  /// Reads a count of entries of at least `minSize` bytes each.
  bool readCount(const char *table, uint32_t minSize, uint32_t &count) {
    if (!cursor.u32(count))
      return fail(format("truncated %s count", table));
    if (count > cursor.left() / minSize)
      return fail(format("%s count %" PRIu32 " does not fit in %" PRIu32
                         " bytes",
                         table, count, cursor.left()));
    return true;
  }

  bool readPool() {
    uint32_t count;
    if (!readCount("string", kMinStringSize, count))
      return false;
    pool.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      uint32_t length;
      const uint8_t *bytes;
      if (!cursor.u32(length) || !cursor.bytes(length, bytes))
        return truncated("string", i);
      std::string_view s(reinterpret_cast<const char *>(bytes), length);
      if (!utf8::isValid(s))
        return fail(format("string %" PRIu32 " is not valid UTF-8", i));
      pool.push_back(s);
    }
    return true;
  }

  /// Reads a string index and resolves it.
  bool readString(std::string &s, const std::string &where) {
    uint32_t index;
    if (!cursor.u32(index))
      return false;
    if (index >= pool.size()) {
      problem = where + format("string index %" PRIu32
                               " out of range (the section has %zu "
                               "strings)",
                               index, pool.size());
      return false;
    }
    s = std::string(pool[index]);
    return true;
  }

  bool readStrings(std::vector<std::string> &strings,
                   const std::string &where) {
    uint32_t count;
    if (!cursor.u32(count) || count > cursor.left() / 4)
      return false;
    strings.resize(count);
    for (std::string &s : strings)
      if (!readString(s, where))
        return false;
    return true;
  }

  /// A read failed: either a string index was out of range or the bytes
  /// ran out.
  bool entryFailed(const char *what, uint32_t index) {
    if (!problem.empty())
      return fail(problem);
    return truncated(what, index);
  }

  bool readFlag(bool &value, const std::string &where, const char *field) {
    uint8_t byte;
    if (!cursor.u8(byte))
      return false;
    if (byte > 1) {
      problem = where +
                format("%s byte is %u (must be 0 or 1)", field, unsigned(byte));
      return false;
    }
    value = byte == 1;
    return true;
  }

  bool readTypes() {
    uint32_t count;
    if (!readCount("type", kMinTypeSize, count))
      return false;
    out.types.resize(count);
    for (uint32_t i = 0; i < count; ++i)
      if (!readType(i, out.types[i]))
        return entryFailed("type", i);
    return true;
  }

  bool readType(uint32_t index, SchemaType &type) {
    std::string where = format("type %" PRIu32 ": ", index);
    uint8_t kind;
    if (!cursor.u8(kind))
      return false;
    if (kind >= kNumSchemaTypeCodes) {
      problem =
          format("type %" PRIu32 " has unknown kind %u", index, unsigned(kind));
      return false;
    }
    type.kind = static_cast<SchemaType::Kind>(kind);
    switch (static_cast<SchemaTypeCode>(kind)) {
    case SchemaTypeCode::Bool:
    case SchemaTypeCode::Long:
    case SchemaTypeCode::String:
      return true;
    case SchemaTypeCode::Entity:
    case SchemaTypeCode::Extension:
      return readString(type.name, where);
    case SchemaTypeCode::Set:
      return cursor.u32(type.element);
    case SchemaTypeCode::Record: {
      uint8_t flags;
      if (!cursor.u8(flags))
        return false;
      if (flags & ~kSchemaRecordOpen) {
        problem = where + format("record flags 0x%02x (only 0x%02x is "
                                 "defined)",
                                 unsigned(flags), unsigned(kSchemaRecordOpen));
        return false;
      }
      type.additionalAttributes = (flags & kSchemaRecordOpen) != 0;
      uint32_t attributes;
      // name + required + type
      if (!cursor.u32(attributes) || attributes > cursor.left() / 9)
        return false;
      type.attributes.resize(attributes);
      for (SchemaType::Attribute &attribute : type.attributes)
        if (!readString(attribute.name, where) ||
            !readFlag(attribute.required, where, "attribute required") ||
            !cursor.u32(attribute.type))
          return false;
      return true;
    }
    }
    return false;
  }

  bool readEntityTypes() {
    uint32_t count;
    if (!readCount("entity type", kMinEntityTypeSize, count))
      return false;
    out.entityTypes.resize(count);
    for (uint32_t i = 0; i < count; ++i) {
      SchemaEntityType &entityType = out.entityTypes[i];
      std::string where = format("entity type %" PRIu32 ": ", i);
      bool hasTags = false;
      uint32_t tags = 0;
      if (!readString(entityType.name, where) ||
          !cursor.u32(entityType.attributes) ||
          !readFlag(hasTags, where, "has-tags") || !cursor.u32(tags) ||
          !readStrings(entityType.enumIds, where) ||
          !readStrings(entityType.memberOfTypes, where))
        return entryFailed("entity type", i);
      if (hasTags)
        entityType.tags = tags;
      else if (tags != 0)
        return fail(where + "tags type is set but has-tags is 0");
    }
    return true;
  }

  bool readActions() {
    uint32_t count;
    if (!readCount("action", kMinActionSize, count))
      return false;
    out.actions.resize(count);
    for (uint32_t i = 0; i < count; ++i) {
      SchemaAction &action = out.actions[i];
      std::string where = format("action %" PRIu32 ": ", i);
      auto readParents = [&] {
        uint32_t parents;
        if (!cursor.u32(parents) || parents > cursor.left() / 8)
          return false;
        action.parents.resize(parents);
        for (auto &[type, id] : action.parents)
          if (!readString(type, where) || !readString(id, where))
            return false;
        return true;
      };
      bool hasContext = false;
      uint32_t context = 0;
      if (!readString(action.type, where) || !readString(action.id, where) ||
          !readParents() || !readStrings(action.principalTypes, where) ||
          !readStrings(action.resourceTypes, where) ||
          !readFlag(hasContext, where, "has-context") || !cursor.u32(context))
        return entryFailed("action", i);
      if (hasContext)
        action.context = context;
      else if (context != 0)
        return fail(where + "context type is set but has-context is 0");
    }
    return true;
  }

  SectionCursor cursor;
  SchemaInfo &out;
  std::string &error;
  std::vector<std::string_view> pool;
  /// Set by the readers for errors that are not truncation.
  std::string problem;
};

} // namespace

bool decodeSchemaSection(const uint8_t *data, size_t size, SchemaInfo &out,
                         std::string &error) {
  out = SchemaInfo();
  if (size > std::numeric_limits<uint32_t>::max()) {
    error = "Schema section too large";
    return false;
  }
  static const uint8_t kEmpty = 0;
  if (!SchemaDecoder(data ? data : &kEmpty, data ? size : 0, out, error)
           .decode()) {
    out = SchemaInfo();
    return false;
  }
  return true;
}

} // namespace rune::bc
