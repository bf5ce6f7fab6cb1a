//===- BytecodeWriter.cpp - Building .rbc modules -------------------------===//

#include "rune/Runtime/BytecodeWriter.h"

#include "rune/Runtime/BytecodeReader.h"
#include "rune/Runtime/SchemaSection.h"

#include <cstring>
#include <limits>

namespace rune::bc {

namespace {

void putU8(std::vector<uint8_t> &out, uint8_t v) { out.push_back(v); }
void putU16(std::vector<uint8_t> &out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v));
  out.push_back(static_cast<uint8_t>(v >> 8));
}
void putU32(std::vector<uint8_t> &out, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void putU64(std::vector<uint8_t> &out, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void patchU32(std::vector<uint8_t> &out, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

/// The inclusive range an operand of `kind` may take.
std::pair<int64_t, int64_t> operandRange(OperandKind kind) {
  switch (kind) {
  case OperandKind::Reg:
  case OperandKind::Count:
    return {0, std::numeric_limits<uint16_t>::max()};
  case OperandKind::Const:
  case OperandKind::Str:
  case OperandKind::Idx:
    return {0, std::numeric_limits<uint32_t>::max()};
  case OperandKind::Byte:
    return {0, std::numeric_limits<uint8_t>::max()};
  case OperandKind::Var:
    return {0, kNumVars - 1};
  case OperandKind::Ext:
    return {0, kNumExtFns - 1};
  case OperandKind::Jump:
    return {0, std::numeric_limits<uint32_t>::max()}; // a label id
  }
  return {0, 0};
}

} // namespace

// --- PolicyCode
// ----------------------------------------------------------------

void PolicyCode::recordError(std::string message) {
  errors.push_back(std::move(message));
}

void PolicyCode::emit(Opcode opcode, std::initializer_list<int64_t> operands) {
  const OpcodeInfo *info = lookupOpcode(static_cast<uint8_t>(opcode));
  if (!info) {
    recordError("emit: invalid opcode " +
                std::to_string(static_cast<unsigned>(opcode)));
    return;
  }
  // Only error messages need the mnemonic as a string: building it for
  // every instruction was a string allocation per instruction emitted.
  auto name = [info] { return std::string(info->mnemonic); };
  if (operands.size() != info->numOperands) {
    recordError("emit " + name() + ": expected " +
                std::to_string(info->numOperands) + " operands, got " +
                std::to_string(operands.size()));
    return;
  }
  const int64_t *values = operands.begin();
  for (size_t i = 0; i < operands.size(); ++i) {
    auto [low, high] = operandRange(info->operands[i]);
    if (values[i] < low || values[i] > high) {
      recordError("emit " + name() + ": operand " + std::to_string(i) + " (" +
                  std::to_string(values[i]) + ") out of range [" +
                  std::to_string(low) + ", " + std::to_string(high) + "]");
      return;
    }
    if (info->operands[i] == OperandKind::Jump &&
        uint64_t(values[i]) >= labelOffsets.size()) {
      recordError("emit " + name() + ": unknown label " +
                  std::to_string(values[i]));
      return;
    }
  }
  uint32_t start = size();
  uint32_t end = start + info->size;
  // Encoded here and appended once: appending byte by byte was most of
  // the cost of emitting an instruction.
  uint8_t encoded[1 + kMaxOperands * 4];
  size_t length = 0;
  auto put = [&](uint32_t v, int width) {
    for (int i = 0; i < width; ++i)
      encoded[length++] = static_cast<uint8_t>(v >> (8 * i));
  };
  encoded[length++] = static_cast<uint8_t>(opcode);
  for (size_t i = 0; i < operands.size(); ++i) {
    int64_t v = values[i];
    switch (info->operands[i]) {
    case OperandKind::Reg:
      registersUsed = std::max<uint32_t>(registersUsed, uint32_t(v) + 1);
      put(static_cast<uint16_t>(v), 2);
      break;
    case OperandKind::Count:
      registersUsed =
          std::max<uint32_t>(registersUsed, uint32_t(values[i - 1] + v));
      put(static_cast<uint16_t>(v), 2);
      break;
    case OperandKind::Const:
    case OperandKind::Str:
    case OperandKind::Idx:
      put(static_cast<uint32_t>(v), 4);
      break;
    case OperandKind::Var:
    case OperandKind::Ext:
    case OperandKind::Byte:
      put(static_cast<uint8_t>(v), 1);
      break;
    case OperandKind::Jump:
      fixups.push_back({start + length, end, static_cast<uint32_t>(v)});
      put(0, 4);
      break;
    }
  }
  bytes.insert(bytes.end(), encoded, encoded + length);
}

Label PolicyCode::createLabel() {
  labelOffsets.push_back(-1);
  return Label{static_cast<uint32_t>(labelOffsets.size() - 1)};
}

void PolicyCode::bindLabel(Label label) {
  if (label.id >= labelOffsets.size()) {
    recordError("bindLabel: unknown label " + std::to_string(label.id));
    return;
  }
  if (labelOffsets[label.id] >= 0) {
    recordError("bindLabel: label " + std::to_string(label.id) +
                " bound twice");
    return;
  }
  labelOffsets[label.id] = size();
}

void PolicyCode::setRegisterCount(uint16_t count) {
  declaredRegisterCount = count;
}

// --- ModuleWriter
// --------------------------------------------------------------

ModuleWriter::ModuleWriter() = default;
ModuleWriter::~ModuleWriter() = default;

uint32_t ModuleWriter::internString(std::string_view s) {
  // Looked up by string_view (a transparent hash): no temporary string for
  // the strings already interned, which are most of the calls.
  auto it = stringIndex.find(s);
  if (it != stringIndex.end())
    return it->second;
  uint32_t index = static_cast<uint32_t>(strings.size());
  strings.emplace_back(s);
  stringIndex.emplace(std::string(s), index);
  return index;
}

uint32_t ModuleWriter::addConstant(std::vector<uint8_t> encoded) {
  auto it = constantIndex.find(encoded);
  if (it != constantIndex.end())
    return it->second;
  uint32_t index = static_cast<uint32_t>(constants.size());
  constantIndex.emplace(encoded, index);
  constants.push_back(std::move(encoded));
  return index;
}

uint32_t ModuleWriter::constantBool(bool v) {
  return addConstant({static_cast<uint8_t>(ConstantKind::Bool),
                      static_cast<uint8_t>(v ? 1 : 0)});
}

uint32_t ModuleWriter::constantLong(int64_t v) {
  std::vector<uint8_t> encoded = {static_cast<uint8_t>(ConstantKind::Long)};
  putU64(encoded, static_cast<uint64_t>(v));
  return addConstant(std::move(encoded));
}

uint32_t ModuleWriter::constantString(std::string_view s) {
  std::vector<uint8_t> encoded = {static_cast<uint8_t>(ConstantKind::String)};
  putU32(encoded, internString(s));
  return addConstant(std::move(encoded));
}

uint32_t ModuleWriter::constantEntity(std::string_view type,
                                      std::string_view id) {
  std::vector<uint8_t> encoded = {static_cast<uint8_t>(ConstantKind::Entity)};
  putU32(encoded, internString(type));
  putU32(encoded, internString(id));
  return addConstant(std::move(encoded));
}

uint32_t
ModuleWriter::constantPattern(const std::vector<PatternElement> &elements) {
  std::vector<uint8_t> encoded = {static_cast<uint8_t>(ConstantKind::Pattern)};
  putU32(encoded, static_cast<uint32_t>(elements.size()));
  for (const PatternElement &element : elements) {
    putU8(encoded, element.wildcard ? 1 : 0);
    putU32(encoded, element.wildcard ? 0 : internString(element.literal));
  }
  return addConstant(std::move(encoded));
}

uint32_t ModuleWriter::constantNameList(const std::vector<std::string> &names) {
  std::vector<uint8_t> encoded = {static_cast<uint8_t>(ConstantKind::NameList)};
  putU32(encoded, static_cast<uint32_t>(names.size()));
  for (const std::string &name : names)
    putU32(encoded, internString(name));
  return addConstant(std::move(encoded));
}

PolicyCode &ModuleWriter::addPolicy(
    std::string_view id, Effect effect,
    const std::vector<std::pair<std::string, std::string>> &annotations) {
  PolicyRecord record;
  record.id = internString(id);
  record.effect = effect;
  for (const auto &[key, value] : annotations)
    record.annotations.emplace_back(internString(key), internString(value));
  record.code = std::make_unique<PolicyCode>();
  policies.push_back(std::move(record));
  return *policies.back().code;
}

void ModuleWriter::setSchema(const SchemaInfo &schema) {
  schemaSection = encodeSchemaSection(schema);
}

void ModuleWriter::setIpeSections(std::vector<uint8_t> moduleSection,
                                  std::vector<uint8_t> indexSection) {
  ipeModuleSection = std::move(moduleSection);
  ipeIndexSection = std::move(indexSection);
}

bool ModuleWriter::finish(std::vector<uint8_t> &out, std::string &error) {
  out.clear();
  std::vector<uint8_t> code;
  std::vector<uint8_t> policyTable;
  putU32(policyTable, static_cast<uint32_t>(policies.size()));
  for (PolicyRecord &policy : policies) {
    PolicyCode &pc = *policy.code;
    std::string where =
        "policy " + std::string("`") + strings[policy.id] + "`: ";
    if (!pc.errors.empty()) {
      error = where + pc.errors.front();
      return false;
    }
    for (const PolicyCode::Fixup &fixup : pc.fixups) {
      int64_t target = pc.labelOffsets[fixup.label];
      if (target < 0) {
        error = where + "label " + std::to_string(fixup.label) +
                " is used but never bound";
        return false;
      }
      int64_t relative = target - int64_t(fixup.instructionEnd);
      patchU32(pc.bytes, fixup.operandPosition,
               static_cast<uint32_t>(static_cast<int32_t>(relative)));
    }
    uint32_t registerCount = pc.registersUsed;
    if (pc.declaredRegisterCount) {
      if (*pc.declaredRegisterCount < pc.registersUsed) {
        error = where + "register count " +
                std::to_string(*pc.declaredRegisterCount) +
                " but the instructions use " +
                std::to_string(pc.registersUsed) + " registers";
        return false;
      }
      registerCount = *pc.declaredRegisterCount;
    }
    if (registerCount > std::numeric_limits<uint16_t>::max()) {
      error = where + "needs more than 65535 registers";
      return false;
    }
    if (code.size() + pc.bytes.size() > kMaxFileSize) {
      error = "module too large";
      return false;
    }
    putU32(policyTable, policy.id);
    putU8(policyTable, static_cast<uint8_t>(policy.effect));
    putU8(policyTable, 0);
    putU16(policyTable, static_cast<uint16_t>(registerCount));
    putU32(policyTable, static_cast<uint32_t>(code.size()));
    putU32(policyTable, pc.size());
    putU32(policyTable, static_cast<uint32_t>(policy.annotations.size()));
    for (const auto &[key, value] : policy.annotations) {
      putU32(policyTable, key);
      putU32(policyTable, value);
    }
    code.insert(code.end(), pc.bytes.begin(), pc.bytes.end());
  }

  std::vector<uint8_t> stringTable;
  putU32(stringTable, static_cast<uint32_t>(strings.size()));
  for (const std::string &s : strings) {
    if (s.size() > kMaxFileSize) {
      error = "string too long";
      return false;
    }
    putU32(stringTable, static_cast<uint32_t>(s.size()));
    stringTable.insert(stringTable.end(), s.begin(), s.end());
  }
  std::vector<uint8_t> constantTable;
  putU32(constantTable, static_cast<uint32_t>(constants.size()));
  for (const std::vector<uint8_t> &encoded : constants)
    constantTable.insert(constantTable.end(), encoded.begin(), encoded.end());

  std::vector<std::pair<SectionKind, const std::vector<uint8_t> *>> sections = {
      {SectionKind::Strings, &stringTable},
      {SectionKind::Constants, &constantTable},
      {SectionKind::Policies, &policyTable},
      {SectionKind::Code, &code}};
  if (schemaSection)
    sections.emplace_back(SectionKind::Schema, &*schemaSection);
  if (ipeModuleSection) {
    sections.emplace_back(SectionKind::IpeModule, &*ipeModuleSection);
    sections.emplace_back(SectionKind::IpeTriggerIndex, &*ipeIndexSection);
  }
  if (datalogSections) {
    sections.emplace_back(SectionKind::DatalogRelations,
                          &datalogSections->first);
    sections.emplace_back(SectionKind::DatalogCode, &datalogSections->second);
  }
  uint64_t total = kHeaderSize + sections.size() * kSectionEntrySize;
  for (const auto &section : sections)
    total += section.second->size();
  if (total > kMaxFileSize) {
    error = "module too large (" + std::to_string(total) + " bytes)";
    return false;
  }

  out.reserve(total);
  out.insert(out.end(), kMagic.begin(), kMagic.end());
  putU16(out, kVersionMajor);
  // Without a schema the module is a 1.0 module, readable by 1.0 runtimes.
  putU16(out, schemaSection ? kSchemaVersionMinor : 0);
  putU32(out, 0); // flags
  putU64(out, total);
  putU32(out, 0); // checksum, patched below
  putU32(out, static_cast<uint32_t>(sections.size()));
  uint32_t offset =
      static_cast<uint32_t>(kHeaderSize + sections.size() * kSectionEntrySize);
  for (const auto &[kind, bytes] : sections) {
    putU32(out, static_cast<uint32_t>(kind));
    putU32(out, offset);
    putU32(out, static_cast<uint32_t>(bytes->size()));
    offset += static_cast<uint32_t>(bytes->size());
  }
  for (const auto &section : sections)
    out.insert(out.end(), section.second->begin(), section.second->end());
  patchU32(out, 24, crc32(out.data() + kHeaderSize, out.size() - kHeaderSize));
  if (!verifyOutput)
    return true;

  Module check;
  std::string verifyError;
  if (!readModule(out.data(), out.size(), check, verifyError)) {
    error = "the written module does not verify: " + verifyError;
    out.clear();
    return false;
  }
  return true;
}

} // namespace rune::bc
