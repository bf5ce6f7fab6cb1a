//===- Verifier.cpp - Checking a decoded module before it runs ------------===//

#include "rune/Runtime/Verifier.h"

#include "rune/Runtime/BytecodeReader.h"
#include "rune/Runtime/CedarSyntax.h"
#include "rune/Runtime/InstructionDecoder.h"
#include "rune/Runtime/SchemaVerifier.h"
#include "rune/Runtime/Utf8.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <string_view>
#include <unordered_set>

namespace rune::bc {

namespace {

std::string format(const char *fmt, auto... args) {
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, fmt, args...);
  return buffer;
}

std::string_view constantKindName(ConstantKind kind) {
  switch (kind) {
  case ConstantKind::Bool:
    return "bool";
  case ConstantKind::Long:
    return "long";
  case ConstantKind::String:
    return "string";
  case ConstantKind::Entity:
    return "entity";
  case ConstantKind::Pattern:
    return "pattern";
  case ConstantKind::NameList:
    return "name list";
  }
  return "unknown";
}

class Verifier {
public:
  Verifier(const Module &module, std::string &error)
      : module(module), error(error) {}

  bool verify() {
    return verifyStrings() && verifyConstants() && verifyPolicyTable() &&
           verifyIpeSections() && verifyCode() && verifyModuleSchema();
  }

private:
  bool fail(std::string message) {
    error = "bytecode: " + std::move(message);
    return false;
  }

  bool stringInRange(uint32_t index) const {
    return index < module.strings.size();
  }

  std::string stringOutOfRange(uint32_t index) const {
    return format("string index %" PRIu32 " out of range (module has %zu "
                  "strings)",
                  index, module.strings.size());
  }

  bool verifyStrings() {
    for (size_t i = 0; i < module.strings.size(); ++i)
      if (!utf8::isValid(module.strings[i]))
        return fail(format("string %zu is not valid UTF-8", i));
    return true;
  }

  bool verifyConstants() {
    for (size_t i = 0; i < module.constants.size(); ++i) {
      const ConstantEntry &constant = module.constants[i];
      auto where = [&] { return format("constant %zu: ", i); };
      switch (constant.kind) {
      case ConstantKind::Bool:
      case ConstantKind::Long:
        break;
      case ConstantKind::String:
        if (!stringInRange(constant.string))
          return fail(where() + stringOutOfRange(constant.string));
        break;
      case ConstantKind::Entity:
        if (!stringInRange(constant.string))
          return fail(where() + stringOutOfRange(constant.string));
        if (!stringInRange(constant.entityId))
          return fail(where() + stringOutOfRange(constant.entityId));
        if (!syntax::isTypeName(module.strings[constant.string]))
          return fail(where() + "invalid entity type name " +
                      syntax::quoteString(module.strings[constant.string]));
        break;
      case ConstantKind::Pattern:
        for (uint32_t e = 0; e < constant.elementCount; ++e) {
          const PatternElementRef &element =
              module.patternElements[constant.firstElement + e];
          if (element.wildcard && element.string != 0)
            return fail(where() + format("pattern element %" PRIu32
                                       " is a wildcard with string index "
                                       "%" PRIu32 " (must be 0)",
                                       e, element.string));
          if (!element.wildcard && !stringInRange(element.string))
            return fail(where() + stringOutOfRange(element.string));
        }
        break;
      case ConstantKind::NameList: {
        std::unordered_set<std::string_view> seen;
        for (uint32_t n = 0; n < constant.elementCount; ++n) {
          uint32_t name = module.nameListNames[constant.firstElement + n];
          if (!stringInRange(name))
            return fail(where() + stringOutOfRange(name));
          // Record literals with duplicate keys are rejected by the
          // compiler; a name list that has one is malformed.
          if (!seen.insert(module.strings[name]).second)
            return fail(where() + "duplicate name " +
                        syntax::quoteString(module.strings[name]) +
                        " in name list");
        }
        break;
      }
      }
    }
    return true;
  }

  bool verifyPolicyTable() {
    std::unordered_set<std::string_view> ids;
    std::vector<size_t> order;
    for (size_t i = 0; i < module.policies.size(); ++i) {
      const PolicyEntry &policy = module.policies[i];
      auto where = [&] { return format("policy %zu: ", i); };
      if (!stringInRange(policy.id))
        return fail(where() + "id " + stringOutOfRange(policy.id));
      if (!ids.insert(module.strings[policy.id]).second)
        return fail(where() + "duplicate policy id " +
                    syntax::quoteString(module.strings[policy.id]));
      if (policy.effect != Effect::Permit && policy.effect != Effect::Forbid)
        return fail(where() +
                    format("invalid effect %u", unsigned(policy.effect)));
      if (policy.reserved != 0)
        return fail(where() + format("reserved byte is %u (must be 0)",
                                   unsigned(policy.reserved)));
      if (policy.codeSize == 0)
        return fail(where() + "empty code");
      if (uint64_t(policy.codeOffset) + policy.codeSize > module.codeSize)
        return fail(where() +
                    format("code range [%" PRIu32 ", %" PRIu64
                           ") outside the Code section (%" PRIu32 " bytes)",
                           policy.codeOffset,
                           uint64_t(policy.codeOffset) + policy.codeSize,
                           module.codeSize));
      for (const auto &[key, value] : policy.annotations) {
        if (!stringInRange(key))
          return fail(where() + "annotation key " + stringOutOfRange(key));
        if (!stringInRange(value))
          return fail(where() + "annotation value " + stringOutOfRange(value));
      }
      order.push_back(i);
    }
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return module.policies[a].codeOffset < module.policies[b].codeOffset;
    });
    for (size_t k = 1; k < order.size(); ++k) {
      const PolicyEntry &previous = module.policies[order[k - 1]];
      const PolicyEntry &current = module.policies[order[k]];
      if (uint64_t(previous.codeOffset) + previous.codeSize >
          current.codeOffset)
        return fail(format("policy %zu: code range overlaps policy %zu",
                           order[k], order[k - 1]));
    }
    return true;
  }

  bool verifyCode() {
    for (size_t i = 0; i < module.policies.size(); ++i)
      if (!verifyPolicyCode(i))
        return false;
    return true;
  }

  bool verifyIpeSections() {
    if (!module.ipe)
      return true;
    std::string problem = ipebc::checkSections(
        *module.ipe, module.strings.size(), module.policies.size());
    return problem.empty() || fail(problem);
  }

  /// The IPE rules of one instruction (IpeFormat.h): IPE modules use only
  /// the IPE instructions and the jumps; a policy ends in ipe_return, a
  /// filter in return; table indices are in range; a filter is only called
  /// from code that comes before it in the Policies section.
  std::string checkIpeInstruction(const DecodedInstruction &inst) {
    Opcode op = inst.info->opcode;
    bool isIpeOpcode = static_cast<uint8_t>(op) >= 0x70 &&
                       static_cast<uint8_t>(op) <= 0x7F;
    if (!module.ipe)
      return isIpeOpcode ? format("%s in a module without an IpeModule "
                                  "section",
                                  std::string(inst.info->mnemonic).c_str())
                         : "";
    const ipebc::Sections &ipe = *module.ipe;
    bool inFilter = currentEntry >= ipe.policies.size();
    auto index = [&](int i) { return uint64_t(inst.operands[i]); };
    switch (op) {
    case Opcode::Jump:
    case Opcode::JumpIfFalse:
    case Opcode::JumpIfTrue:
    case Opcode::Move:
    case Opcode::IpeGetField:
    case Opcode::IpeNot:
      return "";
    case Opcode::Return:
      return inFilter ? "" : "return in an IPE policy (it ends in ipe_return)";
    case Opcode::IpeReturn:
      if (inFilter)
        return "ipe_return in an aggregate filter (it ends in return)";
      if (index(0) >= ipebc::kNumReturnOutcomes)
        return format("invalid outcome %" PRIu64, index(0));
      return "";
    case Opcode::IpeLoadSlot:
    case Opcode::IpeLoadCollection:
      return index(1) < ipe.slots.size()
                 ? ""
                 : format("slot %" PRIu64 " out of range (module has %zu)",
                          index(1), ipe.slots.size());
    case Opcode::IpeLoadLiteral:
      return index(1) < ipe.literals.size()
                 ? ""
                 : format("literal %" PRIu64 " out of range (module has %zu)",
                          index(1), ipe.literals.size());
    case Opcode::IpeCompare:
    case Opcode::IpeIn:
    case Opcode::IpeTruth: {
      uint64_t cond = index(op == Opcode::IpeCompare ? 3 : 2);
      if (cond >= ipe.conditions.size())
        return format("condition %" PRIu64 " out of range (module has %zu)",
                      cond, ipe.conditions.size());
      ipebc::ConditionKind kind = ipe.conditions[cond].kind;
      bool fits = op == Opcode::IpeCompare ? kind < ipebc::ConditionKind::In
                  : op == Opcode::IpeIn    ? kind == ipebc::ConditionKind::In
                                           : kind == ipebc::ConditionKind::Truth;
      return fits ? ""
                  : format("condition %" PRIu64 " does not fit %s", cond,
                           std::string(inst.info->mnemonic).c_str());
    }
    case Opcode::IpeAggregate: {
      if (index(3) >= ipebc::kNumAggregateModes)
        return format("invalid aggregate mode %" PRIu64, index(3));
      if (index(2) == ipebc::kNoIndex)
        return "";
      if (index(2) >= ipe.filters.size())
        return format("filter %" PRIu64 " out of range (module has %zu)",
                      index(2), ipe.filters.size());
      if (ipe.filters[index(2)].policyEntry <= currentEntry)
        return format("filter %" PRIu64 " called from itself or a later "
                      "filter",
                      index(2));
      return "";
    }
    default:
      return format("%s in an IPE module",
                    std::string(inst.info->mnemonic).c_str());
    }
  }

  bool verifyPolicyCode(size_t index) {
    currentEntry = index;
    const PolicyEntry &policy = module.policies[index];
    const uint8_t *code = module.policyCode(index);
    uint32_t size = policy.codeSize;
    std::vector<bool> boundary(size + 1, false);
    std::vector<DecodedInstruction> jumps;
    DecodedInstruction last;
    uint32_t offset = 0;
    while (offset < size) {
      DecodedInstruction inst;
      auto where = [&] {
        return format("policy %zu instruction at offset %" PRIu32 ": ", index,
                      offset);
      };
      switch (decodeInstruction(code, size, offset, inst)) {
      case DecodeStatus::InvalidOpcode:
        return fail(where() +
                    format("invalid opcode 0x%02x", unsigned(code[offset])));
      case DecodeStatus::Truncated:
        return fail(
            where() +
            format("truncated instruction (%s needs %u bytes, %" PRIu32
                   " left)",
                   std::string(lookupOpcode(code[offset])->mnemonic).c_str(),
                   unsigned(lookupOpcode(code[offset])->size), size - offset));
      case DecodeStatus::Ok:
        break;
      }
      std::string problem = checkOperands(inst, policy);
      if (problem.empty())
        problem = checkIpeInstruction(inst);
      if (!problem.empty())
        return fail(where() + problem);
      boundary[offset] = true;
      if (inst.info->opcode == Opcode::Jump ||
          inst.info->opcode == Opcode::JumpIfFalse ||
          inst.info->opcode == Opcode::JumpIfTrue)
        jumps.push_back(inst);
      last = inst;
      offset += inst.info->size;
    }
    boundary[size] = true;
    for (const DecodedInstruction &jump : jumps) {
      // Formatted only for a message: verifying a module formatted it for
      // every jump of every policy.
      auto where = [&] {
        return format("policy %zu instruction at offset %" PRIu32 ": ", index,
                      jump.offset);
      };
      int64_t target = jump.jumpTarget;
      if (target < int64_t(jump.offset) + jump.info->size)
        return fail(where() + format("backward jump to offset %" PRId64
                                   " (only forward jumps are allowed)",
                                   target));
      if (target > int64_t(size))
        return fail(where() + format("jump target %" PRId64
                                   " outside the policy's code (%" PRIu32
                                   " bytes)",
                                   target, size));
      if (!boundary[static_cast<size_t>(target)])
        return fail(where() + format("jump target %" PRId64
                                   " is not an instruction boundary",
                                   target));
    }
    if (last.info->opcode != Opcode::Return &&
        last.info->opcode != Opcode::Jump &&
        last.info->opcode != Opcode::IpeReturn)
      return fail(format(
          "policy %zu: code falls off the end (last "
          "instruction `%s` at offset %" PRIu32 " is neither return nor jump)",
          index, std::string(last.info->mnemonic).c_str(), last.offset));
    return true;
  }

  bool verifyModuleSchema() {
    std::string message;
    if (module.schema && !verifySchema(*module.schema, message))
      return fail(std::move(message));
    return true;
  }

  /// Returns a description of the first bad operand, or "".
  std::string checkOperands(const DecodedInstruction &inst,
                            const PolicyEntry &policy) {
    const OpcodeInfo &info = *inst.info;
    unsigned registers = policy.registerCount;
    for (uint8_t i = 0; i < info.numOperands; ++i) {
      int64_t operand = inst.operands[i];
      switch (info.operands[i]) {
      case OperandKind::Reg:
        if (operand >= registers)
          return format("register %" PRId64
                        " out of range (policy has %u registers)",
                        operand, registers);
        break;
      case OperandKind::Count: {
        int64_t first = inst.operands[i - 1];
        if (first + operand > registers)
          return format("register range [%" PRId64 ", %" PRId64
                        ") out of range (policy has %u registers)",
                        first, first + operand, registers);
        break;
      }
      case OperandKind::Const:
        if (uint64_t(operand) >= module.constants.size())
          return format("constant %" PRId64
                        " out of range (module has %zu constants)",
                        operand, module.constants.size());
        break;
      case OperandKind::Str:
        if (uint64_t(operand) >= module.strings.size())
          return stringOutOfRange(static_cast<uint32_t>(operand));
        break;
      case OperandKind::Var:
        if (operand >= kNumVars)
          return format("invalid variable %" PRId64, operand);
        break;
      case OperandKind::Ext:
        if (operand >= kNumExtFns)
          return format("invalid extension function %" PRId64, operand);
        break;
      case OperandKind::Jump:
        break; // checked once all boundaries are known
      case OperandKind::Idx:
      case OperandKind::Byte:
        // IPE table indices and immediates: their bounds depend on the
        // IpeModule section, checked by verifyIpeModule (IpeVerifier.cpp).
        break;
      }
    }
    auto constantKind = [&](int64_t index) {
      return module.constants[static_cast<size_t>(index)].kind;
    };
    switch (info.opcode) {
    case Opcode::LoadConst: {
      ConstantKind kind = constantKind(inst.operands[1]);
      if (kind == ConstantKind::Pattern || kind == ConstantKind::NameList)
        return format("load_const cannot load constant %" PRId64 " (a %s)",
                      inst.operands[1],
                      std::string(constantKindName(kind)).c_str());
      break;
    }
    case Opcode::Like: {
      ConstantKind kind = constantKind(inst.operands[2]);
      if (kind != ConstantKind::Pattern)
        return format(
            "like needs a pattern constant (constant %" PRId64 " is a %s)",
            inst.operands[2], std::string(constantKindName(kind)).c_str());
      break;
    }
    case Opcode::MakeRecord: {
      const ConstantEntry &names =
          module.constants[static_cast<size_t>(inst.operands[1])];
      if (names.kind != ConstantKind::NameList)
        return format("make_record needs a name-list constant (constant "
                      "%" PRId64 " is a %s)",
                      inst.operands[1],
                      std::string(constantKindName(names.kind)).c_str());
      if (names.elementCount != inst.operands[3])
        return format("make_record: name list has %" PRIu32
                      " names but %" PRId64 " values",
                      names.elementCount, inst.operands[3]);
      break;
    }
    case Opcode::CallExt: {
      const ExtFnInfo &fn = kExtFnInfo[static_cast<size_t>(inst.operands[1])];
      if (inst.operands[3] != fn.arity)
        return format("call_ext %s takes %u argument%s, got %" PRId64,
                      std::string(fn.name).c_str(), unsigned(fn.arity),
                      fn.arity == 1 ? "" : "s", inst.operands[3]);
      break;
    }
    default:
      break;
    }
    return "";
  }

  const Module &module;
  std::string &error;
  size_t currentEntry = 0;
};

} // namespace

bool verifyModule(const Module &module, std::string &error) {
  return Verifier(module, error).verify();
}

} // namespace rune::bc
