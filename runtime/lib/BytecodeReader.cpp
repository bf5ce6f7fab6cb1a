//===- BytecodeReader.cpp - Decoding and verifying .rbc modules -----------===//
//
// The container checks: header, checksum, section table and the encodings
// of the Strings, Constants, Policies and Schema tables. Everything about the
// contents (indices, UTF-8, instructions, what the schema says) is the
// verifier's.
//
//===----------------------------------------------------------------------===//

#include "rune/Runtime/BytecodeReader.h"

#include "rune/Runtime/Datalog/Program.h"
#include "rune/Runtime/InstructionDecoder.h"
#include "rune/Runtime/SchemaSection.h"
#include "rune/Runtime/SectionCursor.h"
#include "rune/Runtime/Verifier.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace rune::bc {

namespace {

std::string_view sectionName(SectionKind kind) {
  switch (kind) {
  case SectionKind::Strings:
    return "Strings";
  case SectionKind::Constants:
    return "Constants";
  case SectionKind::Policies:
    return "Policies";
  case SectionKind::Code:
    return "Code";
  case SectionKind::Schema:
    return "Schema";
  case SectionKind::IpeModule:
    return "IpeModule";
  case SectionKind::IpeTriggerIndex:
    return "IpeTriggerIndex";
  case SectionKind::DatalogRelations:
    return "DatalogRelations";
  case SectionKind::DatalogCode:
    return "DatalogCode";
  }
  return "unknown";
}

std::string format(const char *fmt, auto... args) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, fmt, args...);
  return buffer;
}

class Reader {
public:
  Reader(const uint8_t *data, size_t size, Module &out, std::string &error)
      : data(data), size(size), out(out), error(error) {}

  bool read() {
    return readHeader() && readSectionTable() && readStrings() &&
           readConstants() && readPolicies() && readCode() && readSchema() &&
           readIpe() && readDatalog();
  }

  /// The header (magic, version, size, checksum) and the section table only.
  bool readLayout() { return readHeader() && readSectionTable(); }

private:
  bool fail(std::string message) {
    error = "bytecode: " + std::move(message);
    return false;
  }

  bool readHeader() {
    if (size < kHeaderSize)
      return fail(format("truncated header (need %zu bytes, file has %zu)",
                         kHeaderSize, size));
    if (std::memcmp(data, kMagic.data(), kMagic.size()) != 0)
      return fail("bad magic number (not a rune bytecode file)");
    out.versionMajor = loadU16(data + 8);
    out.versionMinor = loadU16(data + 10);
    if (out.versionMajor != kVersionMajor || out.versionMinor > kVersionMinor)
      return fail(format("unsupported version %u.%u (this runtime reads "
                         "version %u.%u)",
                         unsigned(out.versionMajor), unsigned(out.versionMinor),
                         unsigned(kVersionMajor), unsigned(kVersionMinor)));
    out.flags = loadU32(data + 12);
    if (out.flags != 0)
      return fail(
          format("unsupported flags 0x%08" PRIx32 " (must be 0)", out.flags));
    out.fileSize = loadU64(data + 16);
    if (out.fileSize > kMaxFileSize || size > kMaxFileSize)
      return fail(
          format("file too large (limit %" PRIu64 " bytes)", kMaxFileSize));
    if (out.fileSize != size)
      return fail(format("file size mismatch (header says %" PRIu64
                         " bytes, file has %zu)",
                         out.fileSize, size));
    out.checksum = loadU32(data + 24);
    sectionCount = loadU32(data + 28);
    uint64_t tableEnd =
        kHeaderSize + uint64_t(sectionCount) * kSectionEntrySize;
    if (tableEnd > size)
      return fail(format("truncated section table (need %" PRIu64
                         " bytes, file has %zu)",
                         tableEnd, size));
    uint32_t actual = crc32(data + kHeaderSize, size - kHeaderSize);
    if (actual != out.checksum)
      return fail(format("checksum mismatch (header says 0x%08" PRIx32
                         ", contents give 0x%08" PRIx32 ")",
                         out.checksum, actual));
    // Everything after the header is covered by the checksum, so from here
    // on errors mean a buggy writer rather than a damaged file.
    out.bytes = std::make_unique<uint8_t[]>(size);
    std::memcpy(out.bytes.get(), data, size);
    data = out.bytes.get();
    return true;
  }

  bool readSectionTable() {
    uint64_t tableEnd =
        kHeaderSize + uint64_t(sectionCount) * kSectionEntrySize;
    const SectionEntry *byKind[kMaxSectionKind + 1] = {};
    out.sections.reserve(sectionCount);
    for (uint32_t i = 0; i < sectionCount; ++i) {
      const uint8_t *entry = data + kHeaderSize + i * kSectionEntrySize;
      uint32_t kind = loadU32(entry);
      SectionEntry section{static_cast<SectionKind>(kind), loadU32(entry + 4),
                           loadU32(entry + 8)};
      if (kind < 1 || kind > kNumSectionKinds)
        return fail(format("section %u has unknown kind %" PRIu32, i, kind));
      std::string name(sectionName(section.kind));
      if (byKind[kind])
        return fail("duplicate " + name + " section");
      if (section.kind == SectionKind::Schema &&
          out.versionMinor < kSchemaVersionMinor)
        return fail(format("Schema section in a version %u.%u module (it "
                           "needs version %u.%u)",
                           unsigned(out.versionMajor),
                           unsigned(out.versionMinor), unsigned(kVersionMajor),
                           unsigned(kSchemaVersionMinor)));
      if (uint64_t(section.offset) + section.size > size)
        return fail(format("%s section (offset %" PRIu32 ", size %" PRIu32
                           ") extends past the end of the file (%zu bytes)",
                           name.c_str(), section.offset, section.size, size));
      if (section.offset < tableEnd)
        return fail(format("%s section (offset %" PRIu32
                           ") overlaps the header or the section table "
                           "(which end at %" PRIu64 ")",
                           name.c_str(), section.offset, tableEnd));
      out.sections.push_back(section);
      byKind[kind] = &out.sections.back();
    }
    for (uint32_t kind = 1; kind <= 4; ++kind)
      if (!byKind[kind])
        return fail("missing " +
                    std::string(sectionName(static_cast<SectionKind>(kind))) +
                    " section");
    std::vector<SectionEntry> sorted = out.sections;
    // Stable, so equal offsets are reported in table order.
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const SectionEntry &a, const SectionEntry &b) {
                       return a.offset < b.offset;
                     });
    for (size_t i = 1; i < sorted.size(); ++i)
      if (uint64_t(sorted[i - 1].offset) + sorted[i - 1].size >
          sorted[i].offset)
        return fail(std::string(sectionName(sorted[i - 1].kind)) + " and " +
                    std::string(sectionName(sorted[i].kind)) +
                    " sections overlap");
    for (const SectionEntry &section : out.sections) {
      sectionsByKind[static_cast<uint32_t>(section.kind)] = section;
      present[static_cast<uint32_t>(section.kind)] = true;
    }
    return true;
  }

  SectionCursor cursor(SectionKind kind) {
    const SectionEntry &section = sectionsByKind[static_cast<uint32_t>(kind)];
    return SectionCursor(data + section.offset, section.size);
  }

  bool checkConsumed(const SectionCursor &c, SectionKind kind) {
    if (c.left() != 0)
      return fail(format("%s section has %" PRIu32 " trailing bytes",
                         std::string(sectionName(kind)).c_str(), c.left()));
    return true;
  }

  bool readStrings() {
    SectionCursor c = cursor(SectionKind::Strings);
    uint32_t count;
    if (!c.u32(count))
      return fail("Strings section too small for its count");
    // Each string takes at least its 4-byte length: bounds the allocation.
    if (count > c.left() / 4)
      return fail(format("Strings section truncated (count %" PRIu32
                         " does not fit in %" PRIu32 " bytes)",
                         count, c.left()));
    out.strings.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      uint32_t length;
      const uint8_t *bytes;
      if (!c.u32(length) || !c.bytes(length, bytes))
        return fail(
            format("Strings section truncated (string %" PRIu32 ")", i));
      out.strings.emplace_back(reinterpret_cast<const char *>(bytes), length);
    }
    return checkConsumed(c, SectionKind::Strings);
  }

  bool readConstants() {
    SectionCursor c = cursor(SectionKind::Constants);
    uint32_t count;
    if (!c.u32(count))
      return fail("Constants section too small for its count");
    if (count > c.left() / 2) // kind byte + at least one payload byte
      return fail(format("Constants section truncated (count %" PRIu32
                         " does not fit in %" PRIu32 " bytes)",
                         count, c.left()));
    out.constants.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      auto truncated = [&] {
        return fail(
            format("Constants section truncated (constant %" PRIu32 ")", i));
      };
      uint8_t kind;
      if (!c.u8(kind))
        return truncated();
      ConstantEntry entry;
      entry.kind = static_cast<ConstantKind>(kind);
      switch (entry.kind) {
      case ConstantKind::Bool: {
        uint8_t value;
        if (!c.u8(value))
          return truncated();
        if (value > 1)
          return fail(format("constant %" PRIu32
                             ": bool value %u is not 0 or 1",
                             i, unsigned(value)));
        entry.boolValue = value == 1;
        break;
      }
      case ConstantKind::Long:
        if (!c.i64(entry.longValue))
          return truncated();
        break;
      case ConstantKind::String:
        if (!c.u32(entry.string))
          return truncated();
        break;
      case ConstantKind::Entity:
        if (!c.u32(entry.string) || !c.u32(entry.entityId))
          return truncated();
        break;
      case ConstantKind::Pattern: {
        uint32_t elements;
        if (!c.u32(elements) || elements > c.left() / 5)
          return truncated();
        entry.firstElement = static_cast<uint32_t>(out.patternElements.size());
        entry.elementCount = elements;
        for (uint32_t e = 0; e < elements; ++e) {
          uint8_t elementKind = 0;
          uint32_t string = 0;
          c.u8(elementKind);
          c.u32(string);
          if (elementKind > 1)
            return fail(format("constant %" PRIu32 ": pattern element %" PRIu32
                               " has unknown kind %u",
                               i, e, unsigned(elementKind)));
          out.patternElements.push_back({elementKind == 1, string});
        }
        break;
      }
      case ConstantKind::NameList: {
        uint32_t names;
        if (!c.u32(names) || names > c.left() / 4)
          return truncated();
        entry.firstElement = static_cast<uint32_t>(out.nameListNames.size());
        entry.elementCount = names;
        for (uint32_t n = 0; n < names; ++n) {
          uint32_t string = 0;
          c.u32(string);
          out.nameListNames.push_back(string);
        }
        break;
      }
      default:
        return fail(format("constant %" PRIu32 " has unknown kind %u", i,
                           unsigned(kind)));
      }
      out.constants.push_back(entry);
    }
    return checkConsumed(c, SectionKind::Constants);
  }

  bool readPolicies() {
    SectionCursor c = cursor(SectionKind::Policies);
    uint32_t count;
    if (!c.u32(count))
      return fail("Policies section too small for its count");
    constexpr uint32_t kFixedEntrySize = 20; // without annotations
    if (count > c.left() / kFixedEntrySize)
      return fail(format("Policies section truncated (count %" PRIu32
                         " does not fit in %" PRIu32 " bytes)",
                         count, c.left()));
    out.policies.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      PolicyEntry entry;
      uint8_t effect;
      uint32_t annotations;
      if (!c.u32(entry.id) || !c.u8(effect) || !c.u8(entry.reserved) ||
          !c.u16(entry.registerCount) || !c.u32(entry.codeOffset) ||
          !c.u32(entry.codeSize) || !c.u32(annotations) ||
          annotations > c.left() / 8)
        return fail(
            format("Policies section truncated (policy %" PRIu32 ")", i));
      entry.effect = static_cast<Effect>(effect);
      entry.annotations.reserve(annotations);
      for (uint32_t a = 0; a < annotations; ++a) {
        uint32_t key = 0, value = 0;
        c.u32(key);
        c.u32(value);
        entry.annotations.emplace_back(key, value);
      }
      out.policies.push_back(std::move(entry));
    }
    return checkConsumed(c, SectionKind::Policies);
  }

  bool readCode() {
    const SectionEntry &section =
        sectionsByKind[static_cast<uint32_t>(SectionKind::Code)];
    out.code = data + section.offset;
    out.codeSize = section.size;
    return true;
  }

  bool readSchema() {
    uint32_t kind = static_cast<uint32_t>(SectionKind::Schema);
    if (!present[kind])
      return true;
    const SectionEntry &section = sectionsByKind[kind];
    std::string message;
    if (!decodeSchemaSection(data + section.offset, section.size,
                             out.schema.emplace(), message))
      return fail(message);
    return true;
  }

  bool readIpe() {
    uint32_t moduleKind = static_cast<uint32_t>(SectionKind::IpeModule);
    uint32_t indexKind = static_cast<uint32_t>(SectionKind::IpeTriggerIndex);
    if (!present[moduleKind]) {
      if (present[indexKind])
        return fail("IpeTriggerIndex section without an IpeModule section");
      return true;
    }
    ipebc::Sections &sections = out.ipe.emplace();
    const SectionEntry &module = sectionsByKind[moduleKind];
    if (!ipebc::decodeModuleSection(data + module.offset, module.size, sections,
                                    error))
      return false;
    if (present[indexKind]) {
      const SectionEntry &index = sectionsByKind[indexKind];
      if (!ipebc::decodeIndexSection(data + index.offset, index.size, sections,
                                     error))
        return false;
    } else {
      // No index: every policy is checked on every request.
      for (uint32_t i = 0; i < sections.policies.size(); ++i)
        sections.alwaysChecked.push_back(i);
    }
    return true;
  }

  /// A Datalog program: both sections or neither, decoded and verified
  /// in full by the Datalog program verifier (Datalog/Program.h).
  bool readDatalog() {
    uint32_t relationsKind = uint32_t(SectionKind::DatalogRelations);
    uint32_t codeKind = uint32_t(SectionKind::DatalogCode);
    if (!present[relationsKind] && !present[codeKind])
      return true;
    if (!present[relationsKind] || !present[codeKind])
      return fail("a Datalog program needs both the DatalogRelations and "
                  "the DatalogCode sections");
    out.datalogRelations = data + sectionsByKind[relationsKind].offset;
    out.datalogRelationsSize = sectionsByKind[relationsKind].size;
    out.datalogCode = data + sectionsByKind[codeKind].offset;
    out.datalogCodeSize = sectionsByKind[codeKind].size;
    std::string message;
    if (!datalog::verifyProgram(out, message))
      return fail(message);
    return true;
  }

  const uint8_t *data;
  size_t size;
  Module &out;
  std::string &error;
  uint32_t sectionCount = 0;
  SectionEntry sectionsByKind[kMaxSectionKind + 1] = {};
  bool present[kMaxSectionKind + 1] = {};
};

} // namespace

bool readModule(const uint8_t *data, size_t size, Module &out,
                std::string &error) {
  out = Module();
  if (!data && size != 0) {
    error = "bytecode: no data";
    return false;
  }
  static const uint8_t kEmpty = 0;
  if (!data)
    data = &kEmpty;
  if (!Reader(data, size, out, error).read() || !verifyModule(out, error)) {
    out = Module();
    return false;
  }
  return true;
}

bool readLayout(const uint8_t *data, size_t size, Module &out,
                std::string &error) {
  return Reader(data, size, out, error).readLayout();
}

bool hasBytecodeMagic(const uint8_t *data, size_t size) {
  return data && size >= kMagic.size() &&
         std::memcmp(data, kMagic.data(), kMagic.size()) == 0;
}

} // namespace rune::bc
