//===- Disassembler.cpp - Readable listings of .rbc modules ---------------===//

#include "rune/Runtime/Disassembler.h"

#include "rune/Runtime/BytecodeReader.h"
#include "rune/Runtime/CedarSyntax.h"
#include "rune/Runtime/InstructionDecoder.h"

#include <cinttypes>
#include <cstdio>

namespace rune::bc {

namespace {

std::string format(const char *fmt, auto... args) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, fmt, args...);
  return buffer;
}

std::string_view sectionName(SectionKind kind) {
  switch (kind) {
  case SectionKind::Strings:
    return "strings";
  case SectionKind::Constants:
    return "constants";
  case SectionKind::Policies:
    return "policies";
  case SectionKind::Code:
    return "code";
  }
  return "unknown";
}

std::string_view varName(int64_t var) {
  static constexpr std::string_view kNames[kNumVars] = {"principal", "action",
                                                        "resource", "context"};
  return kNames[var];
}

/// A `like` pattern as Cedar writes it: literal `*` escaped as `\*`.
std::string formatPattern(const Module &module, const ConstantEntry &c) {
  std::string body;
  for (uint32_t i = 0; i < c.elementCount; ++i) {
    const PatternElementRef &element =
        module.patternElements[c.firstElement + i];
    if (element.wildcard) {
      body += '*';
      continue;
    }
    std::string quoted = syntax::quoteString(module.strings[element.string]);
    for (char ch : std::string_view(quoted).substr(1, quoted.size() - 2)) {
      if (ch == '*')
        body += '\\';
      body += ch;
    }
  }
  return "\"" + body + "\"";
}

std::string formatConstant(const Module &module, uint32_t index) {
  const ConstantEntry &c = module.constants[index];
  switch (c.kind) {
  case ConstantKind::Bool:
    return c.boolValue ? "bool true" : "bool false";
  case ConstantKind::Long:
    return "long " + std::to_string(c.longValue);
  case ConstantKind::String:
    return "string " + syntax::quoteString(module.strings[c.string]);
  case ConstantKind::Entity:
    return "entity " + syntax::formatEntityUid(module.strings[c.string],
                                               module.strings[c.entityId]);
  case ConstantKind::Pattern:
    return "pattern " + formatPattern(module, c);
  case ConstantKind::NameList: {
    std::string out = "names [";
    for (uint32_t i = 0; i < c.elementCount; ++i) {
      if (i)
        out += ", ";
      out += syntax::quoteString(
          module.strings[module.nameListNames[c.firstElement + i]]);
    }
    return out + "]";
  }
  }
  return "?";
}

void listPolicy(const Module &module, size_t index, std::string &out) {
  const PolicyEntry &policy = module.policies[index];
  out += format("\npolicy %zu ", index);
  out += syntax::quoteString(module.strings[policy.id]);
  out += policy.effect == Effect::Permit ? " permit" : " forbid";
  out += format(" (registers %u, code %" PRIu32 "+%" PRIu32 ")\n",
                unsigned(policy.registerCount), policy.codeOffset,
                policy.codeSize);
  for (const auto &[key, value] : policy.annotations)
    out += "  @" + std::string(module.strings[key]) + "(" +
           syntax::quoteString(module.strings[value]) + ")\n";
  const uint8_t *code = module.policyCode(index);
  uint32_t offset = 0;
  while (offset < policy.codeSize) {
    DecodedInstruction inst;
    decodeInstruction(code, policy.codeSize, offset, inst);
    const OpcodeInfo &info = *inst.info;
    std::string line = format("  %04" PRIu32 ": ", offset);
    line += info.mnemonic;
    std::string comment;
    for (uint8_t i = 0; i < info.numOperands; ++i) {
      line += i == 0 ? " " : ", ";
      int64_t v = inst.operands[i];
      switch (info.operands[i]) {
      case OperandKind::Reg:
        line += "r" + std::to_string(v);
        break;
      case OperandKind::Count:
        line += std::to_string(v);
        break;
      case OperandKind::Const:
        line += "c" + std::to_string(v);
        comment = "c" + std::to_string(v) + " = " +
                  formatConstant(module, static_cast<uint32_t>(v));
        break;
      case OperandKind::Str:
        line += syntax::quoteString(module.strings[static_cast<size_t>(v)]);
        break;
      case OperandKind::Var:
        line += varName(v);
        break;
      case OperandKind::Ext:
        line += kExtFnInfo[static_cast<size_t>(v)].name;
        break;
      case OperandKind::Jump:
        line += format("%04" PRId64, inst.jumpTarget);
        break;
      }
    }
    if (!comment.empty())
      line += "  ; " + comment;
    out += line + "\n";
    offset += info.size;
  }
}

} // namespace

std::string disassemble(const Module &module) {
  std::string out;
  out += format("; rune bytecode %u.%u, %" PRIu64
                " bytes, checksum 0x%08" PRIx32 "\n",
                unsigned(module.versionMajor), unsigned(module.versionMinor),
                module.fileSize, module.checksum);
  out += ";";
  for (const SectionEntry &section : module.sections)
    out += format(" %s@%" PRIu32 "+%" PRIu32,
                  std::string(sectionName(section.kind)).c_str(),
                  section.offset, section.size);
  out += "\n";
  out += format("\nstrings (%zu):\n", module.strings.size());
  for (size_t i = 0; i < module.strings.size(); ++i)
    out +=
        format("  s%zu = ", i) + syntax::quoteString(module.strings[i]) + "\n";
  out += format("\nconstants (%zu):\n", module.constants.size());
  for (size_t i = 0; i < module.constants.size(); ++i)
    out += format("  c%zu = ", i) +
           formatConstant(module, static_cast<uint32_t>(i)) + "\n";
  out += format("\npolicies (%zu):\n", module.policies.size());
  for (size_t i = 0; i < module.policies.size(); ++i)
    listPolicy(module, i, out);
  return out;
}

bool disassemble(const uint8_t *data, size_t size, std::string &listing,
                 std::string &error) {
  Module module;
  if (!readModule(data, size, module, error))
    return false;
  listing = disassemble(module);
  return true;
}

} // namespace rune::bc
