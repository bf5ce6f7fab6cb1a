//===- Disassembler.cpp - Readable listings of .rbc modules ---------------===//

#include "rune/Runtime/Disassembler.h"
#include "rune/Runtime/Datalog/Program.h"

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
  case SectionKind::Schema:
    return "schema";
  case SectionKind::IpeModule:
    return "ipe-module";
  case SectionKind::IpeTriggerIndex:
    return "ipe-trigger-index";
  case SectionKind::DatalogRelations:
    return "datalog-relations";
  case SectionKind::DatalogCode:
    return "datalog-code";
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
      case OperandKind::Idx:
        line += "#" + std::to_string(v);
        break;
      case OperandKind::Byte:
        line += std::to_string(v);
        break;
      }
    }
    if (!comment.empty())
      line += "  ; " + comment;
    out += line + "\n";
    offset += info.size;
  }
}

/// A name as written in a listing: bare when it is an identifier, quoted
/// otherwise.
std::string formatName(std::string_view name) {
  return syntax::isIdentifier(name) ? std::string(name)
                                    : syntax::quoteString(name);
}

std::string formatNameList(const std::vector<std::string> &names, bool quote) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i)
      out += ", ";
    out += quote ? syntax::quoteString(names[i]) : names[i];
  }
  return out + "]";
}

std::string formatSchemaType(const SchemaType &type) {
  switch (type.kind) {
  case SchemaType::Kind::Bool:
    return "Bool";
  case SchemaType::Kind::Long:
    return "Long";
  case SchemaType::Kind::String:
    return "String";
  case SchemaType::Kind::Entity:
    return "entity " + type.name;
  case SchemaType::Kind::Set:
    return "Set<t" + std::to_string(type.element) + ">";
  case SchemaType::Kind::Record: {
    std::string out = "{";
    for (size_t i = 0; i < type.attributes.size(); ++i) {
      const SchemaType::Attribute &attribute = type.attributes[i];
      if (i)
        out += ", ";
      out += formatName(attribute.name);
      out += attribute.required ? ": t" : "?: t";
      out += std::to_string(attribute.type);
    }
    if (type.additionalAttributes)
      out += type.attributes.empty() ? "..." : ", ...";
    return out + "}";
  }
  case SchemaType::Kind::Extension:
    return "extension " + type.name;
  }
  return "?";
}

/// The schema, types by index (`tN`) as the declarations refer to them.
void listSchema(const SchemaInfo &schema, std::string &out) {
  out += "\nschema:\n";
  out += format("  types (%zu):\n", schema.types.size());
  for (size_t i = 0; i < schema.types.size(); ++i)
    out += format("    t%zu = ", i) + formatSchemaType(schema.types[i]) + "\n";
  out += format("  entity types (%zu):\n", schema.entityTypes.size());
  for (const SchemaEntityType &entityType : schema.entityTypes) {
    out += "    " + entityType.name + ": attributes t" +
           std::to_string(entityType.attributes);
    if (entityType.tags)
      out += ", tags t" + std::to_string(*entityType.tags);
    if (!entityType.memberOfTypes.empty())
      out += ", memberOf " + formatNameList(entityType.memberOfTypes, false);
    if (!entityType.enumIds.empty())
      out += ", enum " + formatNameList(entityType.enumIds, true);
    out += "\n";
  }
  out += format("  actions (%zu):\n", schema.actions.size());
  for (const SchemaAction &action : schema.actions) {
    out += "    " + syntax::formatEntityUid(action.type, action.id) + ":";
    std::string separator = " ";
    if (!action.parents.empty()) {
      out += separator + "memberOf [";
      for (size_t i = 0; i < action.parents.size(); ++i)
        out +=
            (i ? ", " : "") + syntax::formatEntityUid(action.parents[i].first,
                                                      action.parents[i].second);
      out += "]";
      separator = ", ";
    }
    out += separator + "principals " +
           formatNameList(action.principalTypes, false);
    out += ", resources " + formatNameList(action.resourceTypes, false);
    if (action.context)
      out += ", context t" + std::to_string(*action.context);
    out += "\n";
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
  if (module.schema)
    listSchema(*module.schema, out);
  if (module.ipe)
    out += ipebc::listSections(module);
  if (module.datalogCode)
    datalog::listProgram(module, out);
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
