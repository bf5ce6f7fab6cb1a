//===- Interpreter.cpp - Running verified bytecode ------------------------===//
//
// A switch-dispatched register machine. Operands are read straight from the
// instruction bytes at fixed offsets (every opcode has one layout, checked
// against kOpcodeInfo below); the verifier has already guaranteed that they
// are in range, so there are no checks and no allocation here beyond what
// the operations themselves need.
//
//===----------------------------------------------------------------------===//

#include "rune/Runtime/Interpreter.h"

#include "rune/Runtime/InstructionDecoder.h"
#include "rune/Runtime/Operations.h"

namespace rune {

namespace {

using bc::Opcode;

constexpr uint8_t sizeOf(Opcode opcode) { return bc::opcodeInfo(opcode).size; }

// The fixed layouts the decoding below assumes.
static_assert(sizeOf(Opcode::LoadConst) == 7 && sizeOf(Opcode::LoadVar) == 4 &&
              sizeOf(Opcode::Move) == 5 && sizeOf(Opcode::GetAttr) == 9 &&
              sizeOf(Opcode::GetTag) == 7 && sizeOf(Opcode::Eq) == 7 &&
              sizeOf(Opcode::Neg) == 5 && sizeOf(Opcode::Like) == 9 &&
              sizeOf(Opcode::IsType) == 9 && sizeOf(Opcode::MakeSet) == 7 &&
              sizeOf(Opcode::MakeRecord) == 11 &&
              sizeOf(Opcode::CallExt) == 8 && sizeOf(Opcode::AssertBool) == 3 &&
              sizeOf(Opcode::Jump) == 5 && sizeOf(Opcode::JumpIfFalse) == 7 &&
              sizeOf(Opcode::Return) == 3);

inline uint16_t reg(const uint8_t *pc, size_t at) {
  return bc::loadU16(pc + at);
}
inline uint32_t word(const uint8_t *pc, size_t at) {
  return bc::loadU32(pc + at);
}

} // namespace

int32_t interpretPolicy(EvalContext &ctx, size_t policyIndex, Value *r) {
  const LoadedModule &module = *ctx.module;
  const bc::Module &image = module.bytecode();
  const uint8_t *pc = image.policyCode(policyIndex);
  const uint8_t *end = pc + image.policies[policyIndex].codeSize;

// Binary operation: dst, a, b registers.
#define RUNE_BINARY(Op, Fn)                                                    \
  case Opcode::Op:                                                             \
    if (!ops::Fn(ctx, r[reg(pc, 1)], r[reg(pc, 3)], r[reg(pc, 5)]))            \
      return -1;                                                               \
    pc += sizeOf(Opcode::Op);                                                  \
    break;
#define RUNE_UNARY(Op, Fn)                                                     \
  case Opcode::Op:                                                             \
    if (!ops::Fn(ctx, r[reg(pc, 1)], r[reg(pc, 3)]))                           \
      return -1;                                                               \
    pc += sizeOf(Opcode::Op);                                                  \
    break;

  for (;;) {
    switch (static_cast<Opcode>(*pc)) {
    case Opcode::LoadConst:
      r[reg(pc, 1)] = module.constant(word(pc, 3));
      pc += sizeOf(Opcode::LoadConst);
      break;
    case Opcode::LoadVar:
      if (!ops::loadVar(ctx, r[reg(pc, 1)], static_cast<bc::Var>(pc[3])))
        return -1;
      pc += sizeOf(Opcode::LoadVar);
      break;
    case Opcode::Move:
      r[reg(pc, 1)] = r[reg(pc, 3)];
      pc += sizeOf(Opcode::Move);
      break;
    case Opcode::GetAttr:
      if (!ops::getAttr(ctx, r[reg(pc, 1)], r[reg(pc, 3)],
                        module.stringSymbol(word(pc, 5))))
        return -1;
      pc += sizeOf(Opcode::GetAttr);
      break;
    case Opcode::HasAttr:
      if (!ops::hasAttr(ctx, r[reg(pc, 1)], r[reg(pc, 3)],
                        module.stringSymbol(word(pc, 5))))
        return -1;
      pc += sizeOf(Opcode::HasAttr);
      break;
      RUNE_BINARY(GetTag, getTag)
      RUNE_BINARY(HasTag, hasTag)
      RUNE_BINARY(Eq, equal)
      RUNE_BINARY(Ne, notEqual)
      RUNE_BINARY(Lt, less)
      RUNE_BINARY(Le, lessEqual)
      RUNE_BINARY(Gt, greater)
      RUNE_BINARY(Ge, greaterEqual)
      RUNE_BINARY(Add, add)
      RUNE_BINARY(Sub, subtract)
      RUNE_BINARY(Mul, multiply)
      RUNE_UNARY(Neg, negate)
      RUNE_UNARY(Not, logicalNot)
      RUNE_BINARY(In, in)
      RUNE_BINARY(Contains, contains)
      RUNE_BINARY(ContainsAll, containsAll)
      RUNE_BINARY(ContainsAny, containsAny)
      RUNE_UNARY(IsEmpty, isEmpty)
    case Opcode::Like:
      if (!ops::like(ctx, r[reg(pc, 1)], r[reg(pc, 3)],
                     *module.pattern(word(pc, 5))))
        return -1;
      pc += sizeOf(Opcode::Like);
      break;
    case Opcode::IsType:
      if (!ops::isType(ctx, r[reg(pc, 1)], r[reg(pc, 3)],
                       module.stringSymbol(word(pc, 5))))
        return -1;
      pc += sizeOf(Opcode::IsType);
      break;
    case Opcode::MakeSet:
      if (!ops::makeSet(ctx, r[reg(pc, 1)], &r[reg(pc, 3)], reg(pc, 5)))
        return -1;
      pc += sizeOf(Opcode::MakeSet);
      break;
    case Opcode::MakeRecord:
      if (!ops::makeRecord(ctx, r[reg(pc, 1)], *module.recordShape(word(pc, 3)),
                           &r[reg(pc, 7)]))
        return -1;
      pc += sizeOf(Opcode::MakeRecord);
      break;
    case Opcode::CallExt:
      if (!ops::callExtension(ctx, r[reg(pc, 1)], static_cast<bc::ExtFn>(pc[3]),
                              &r[reg(pc, 4)]))
        return -1;
      pc += sizeOf(Opcode::CallExt);
      break;
    case Opcode::AssertBool: {
      bool value;
      if (!ops::toBool(ctx, r[reg(pc, 1)], value))
        return -1;
      pc += sizeOf(Opcode::AssertBool);
      break;
    }
    case Opcode::Jump:
      pc += sizeOf(Opcode::Jump) + bc::loadI32(pc + 1);
      // Jumping to the end of the code ends the policy unsatisfied.
      if (pc == end)
        return 0;
      break;
    case Opcode::JumpIfFalse:
    case Opcode::JumpIfTrue: {
      bool value;
      if (!ops::toBool(ctx, r[reg(pc, 1)], value))
        return -1;
      bool jumpWhen = static_cast<Opcode>(*pc) == Opcode::JumpIfTrue;
      int32_t offset = bc::loadI32(pc + 3);
      pc += sizeOf(Opcode::JumpIfFalse);
      if (value == jumpWhen) {
        pc += offset;
        if (pc == end)
          return 0;
      }
      break;
    }
    case Opcode::Raise:
      fail(ctx, std::string(image.strings[word(pc, 1)]));
      return -1;
    case Opcode::Return: {
      bool value;
      if (!ops::toBool(ctx, r[reg(pc, 1)], value))
        return -1;
      return value ? 1 : 0;
    }
    default:
      // Unreachable for verified code; fail closed all the same.
      fail(ctx, "invalid opcode");
      return -1;
    }
  }
#undef RUNE_BINARY
#undef RUNE_UNARY
}

} // namespace rune
