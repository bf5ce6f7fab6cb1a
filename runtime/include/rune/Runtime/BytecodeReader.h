//===- BytecodeReader.h - Decoding and verifying .rbc modules ---*- C++ -*-===//
//
// readModule turns the bytes of a .rbc file into a bc::Module: the decoded
// header, section table, strings, constants, policy table and schema, plus
// the raw code. It checks the container (header fields, checksum, section
// table, table encodings) itself and then runs the verifier (Verifier.h) over
// the contents, so a bc::Module that readModule returns is always fully
// verified and later stages may skip bounds checks.
//
// A bc::Module is independent of any engine: the disassembler and the
// bytecode writer's self-check use it directly; the runtime's LoadedModule
// (Module.h) builds on it.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_BYTECODEREADER_H
#define RUNE_RUNTIME_BYTECODEREADER_H

#include "rune/Runtime/BytecodeFormat.h"
#include "rune/Runtime/IpeFormat.h"
#include "rune/Runtime/SchemaInfo.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rune::bc {

struct SectionEntry {
  SectionKind kind;
  uint32_t offset;
  uint32_t size;
};

/// One element of a Pattern constant.
struct PatternElementRef {
  bool wildcard;
  uint32_t string; // literal text; 0 and ignored for a wildcard
};

struct ConstantEntry {
  ConstantKind kind;
  bool boolValue = false;
  int64_t longValue = 0;
  /// String: the string; Entity: the type name.
  uint32_t string = 0;
  /// Entity: the id.
  uint32_t entityId = 0;
  /// Pattern: range in Module::patternElements; NameList: range in
  /// Module::nameListNames.
  uint32_t firstElement = 0;
  uint32_t elementCount = 0;
};

struct PolicyEntry {
  uint32_t id; // string index
  Effect effect;
  uint8_t reserved;
  uint16_t registerCount;
  uint32_t codeOffset; // relative to the Code section
  uint32_t codeSize;
  std::vector<std::pair<uint32_t, uint32_t>> annotations; // key, value
};

class Module {
public:
  Module() = default;
  Module(const Module &) = delete;
  Module &operator=(const Module &) = delete;
  Module(Module &&) = default;
  Module &operator=(Module &&) = default;

  uint16_t versionMajor = 0;
  uint16_t versionMinor = 0;
  uint32_t flags = 0;
  uint64_t fileSize = 0;
  uint32_t checksum = 0;
  std::vector<SectionEntry> sections; // in file order

  std::vector<std::string_view> strings; // views into `bytes`
  std::vector<ConstantEntry> constants;
  std::vector<PatternElementRef> patternElements;
  std::vector<uint32_t> nameListNames;
  std::vector<PolicyEntry> policies;

  /// The Code section.
  const uint8_t *code = nullptr;
  uint32_t codeSize = 0;

  /// The Schema section, decoded; absent when the module has none.
  std::optional<SchemaInfo> schema;

  /// The IpeModule and IpeTriggerIndex sections, decoded; absent unless the
  /// module was compiled from IPE policies.
  std::optional<ipebc::Sections> ipe;
  /// The Datalog program's sections (verified; null when absent). The
  /// program itself is decoded by datalog::Program::load.
  const uint8_t *datalogRelations = nullptr;
  uint32_t datalogRelationsSize = 0;
  const uint8_t *datalogCode = nullptr;
  uint32_t datalogCodeSize = 0;

  /// A private copy of the file; everything above points into it.
  std::unique_ptr<uint8_t[]> bytes;

  std::string_view policyId(size_t index) const {
    return strings[policies[index].id];
  }
  /// The policy's instructions.
  const uint8_t *policyCode(size_t index) const {
    return code + policies[index].codeOffset;
  }
};

/// Decodes and fully verifies `size` bytes. On failure returns false with a
/// message starting with "bytecode: ".
bool readModule(const uint8_t *data, size_t size, Module &out,
                std::string &error);

/// Checks only the header (magic, version, size, checksum) and the section
/// table, filling `out.sections` and `out.bytes`: enough to tell what a
/// module holds without decoding it (readModule verifies the rest).
bool readLayout(const uint8_t *data, size_t size, Module &out,
                std::string &error);

/// True when `data` starts with the .rbc magic (used to tell bytecode from
/// policy source).
bool hasBytecodeMagic(const uint8_t *data, size_t size);

} // namespace rune::bc

#endif // RUNE_RUNTIME_BYTECODEREADER_H
