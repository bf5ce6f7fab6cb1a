//===- InstructionDecoder.h - Decoding one instruction ----------*- C++ -*-===//
//
// Generic decoding driven by kOpcodeInfo, used where clarity matters more
// than speed: the verifier and the disassembler. The interpreter decodes its
// operands inline instead.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_INSTRUCTIONDECODER_H
#define RUNE_RUNTIME_INSTRUCTIONDECODER_H

#include "rune/Runtime/BytecodeFormat.h"

#include <bit>
#include <cstdint>
#include <cstring>

namespace rune::bc {

static_assert(std::endian::native == std::endian::little,
              "the runtime reads little-endian bytecode with plain loads");

inline uint16_t loadU16(const uint8_t *p) {
  uint16_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline uint32_t loadU32(const uint8_t *p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline int32_t loadI32(const uint8_t *p) {
  int32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline uint64_t loadU64(const uint8_t *p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

struct DecodedInstruction {
  const OpcodeInfo *info = nullptr;
  uint32_t offset = 0; // of the opcode byte, relative to the policy's code
  int64_t operands[kMaxOperands] = {0, 0, 0, 0};
  /// For a Jump operand: the target offset (relative to the policy's code).
  int64_t jumpTarget = 0;
};

enum class DecodeStatus { Ok, InvalidOpcode, Truncated };

/// Decodes the instruction at `offset` of `code` (`size` bytes).
inline DecodeStatus decodeInstruction(const uint8_t *code, uint32_t size,
                                      uint32_t offset,
                                      DecodedInstruction &out) {
  const OpcodeInfo *info = lookupOpcode(code[offset]);
  if (!info)
    return DecodeStatus::InvalidOpcode;
  if (size - offset < info->size)
    return DecodeStatus::Truncated;
  out.info = info;
  out.offset = offset;
  const uint8_t *p = code + offset + 1;
  for (uint8_t i = 0; i < info->numOperands; ++i) {
    switch (info->operands[i]) {
    case OperandKind::Reg:
    case OperandKind::Count:
      out.operands[i] = loadU16(p);
      break;
    case OperandKind::Const:
    case OperandKind::Str:
    case OperandKind::Idx:
      out.operands[i] = loadU32(p);
      break;
    case OperandKind::Jump:
      out.operands[i] = loadI32(p);
      out.jumpTarget = int64_t(offset) + info->size + out.operands[i];
      break;
    case OperandKind::Var:
    case OperandKind::Ext:
    case OperandKind::Byte:
      out.operands[i] = *p;
      break;
    }
    p += operandSize(info->operands[i]);
  }
  return DecodeStatus::Ok;
}

} // namespace rune::bc

#endif // RUNE_RUNTIME_INSTRUCTIONDECODER_H
