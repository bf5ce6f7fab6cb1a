//===- BytecodeEmitter.cpp - rune dialect -> .rbc bytecode ----------------===//
//
// Each SSA value of a policy gets its own register (policies are small; the
// format allows 65,535 registers per policy). Operations taking a register
// range (set and record literals, extension calls) get a fresh contiguous
// block that their operands are moved into. Short-circuit regions become
// conditional jumps.
//
//===----------------------------------------------------------------------===//

#include "rune/Target/Bytecode/BytecodeEmitter.h"
#include "rune/Target/Bytecode/IpeBytecodeEmitter.h"
#include "rune/Target/Bytecode/RelationalEmitter.h"
#include "rune/Dialect/Rune/RuneOps.h"
#include "rune/Runtime/BytecodeFormat.h"
#include "rune/Runtime/BytecodeWriter.h"
#include "rune/Runtime/SchemaInfo.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace rune {
namespace {

/// Splits a pattern in the dialect's form (`*` wildcard, `\*` star, `\\`
/// backslash) into the runtime's pattern elements.
std::vector<bc::PatternElement> splitPattern(StringRef pattern) {
  std::vector<bc::PatternElement> elements;
  std::string literal;
  auto flushLiteral = [&] {
    if (!literal.empty())
      elements.push_back({/*wildcard=*/false, std::move(literal)});
    literal.clear();
  };
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      literal += pattern[++i];
    } else if (c == '*') {
      flushLiteral();
      // Consecutive wildcards match the same strings as one.
      if (elements.empty() || !elements.back().wildcard)
        elements.push_back({/*wildcard=*/true, {}});
    } else {
      literal += c;
    }
  }
  flushLiteral();
  return elements;
}

std::optional<uint8_t> lookupExtFn(StringRef name) {
  for (size_t i = 0; i < bc::kExtFnInfo.size(); ++i)
    if (StringRef(bc::kExtFnInfo[i].name.data(), bc::kExtFnInfo[i].name.size()) ==
        name)
      return static_cast<uint8_t>(i);
  return std::nullopt;
}

class PolicyEmitter {
public:
  PolicyEmitter(bc::ModuleWriter &writer, bc::PolicyCode &code,
                BytecodeLayout &layout)
      : writer(writer), code(code), layout(layout) {}

  LogicalResult emitPolicy(PolicyOp policy) {
    FailureOr<uint16_t> result = emitRegion(policy.getBody());
    if (failed(result))
      return failure();
    code.emit(bc::Opcode::Return, {*result});
    if (nextRegister > UINT16_MAX + 1u)
      return policy.emitError("policy needs ")
             << nextRegister << " registers; bytecode allows 65535";
    code.setRegisterCount(static_cast<uint16_t>(nextRegister));
    return success();
  }

private:
  uint16_t newRegisters(unsigned count) {
    unsigned first = nextRegister;
    nextRegister += count;
    // Overflow is reported once the whole policy has been emitted.
    return static_cast<uint16_t>(first);
  }

  uint16_t define(Value value) {
    uint16_t reg = newRegisters(1);
    registers[value] = reg;
    return reg;
  }

  uint16_t reg(Value value) { return registers.lookup(value); }

  /// Emits a region's operations; returns the register of the value the
  /// region yields.
  FailureOr<uint16_t> emitRegion(Region &region) {
    for (Operation &op : region.front().without_terminator())
      if (failed(emitOperation(op)))
        return failure();
    auto yield = cast<YieldOp>(region.front().getTerminator());
    return reg(yield.getValue());
  }

  /// Moves `values` into a fresh block of consecutive registers.
  uint16_t gather(ValueRange values) {
    uint16_t first = newRegisters(values.size());
    for (auto [i, value] : llvm::enumerate(values))
      code.emit(bc::Opcode::Move, {first + int64_t(i), reg(value)});
    return first;
  }

  void emitBinary(bc::Opcode opcode, Operation &op) {
    int64_t lhs = reg(op.getOperand(0)), rhs = reg(op.getOperand(1));
    code.emit(opcode, {define(op.getResult(0)), lhs, rhs});
  }

  void emitUnary(bc::Opcode opcode, Operation &op) {
    int64_t operand = reg(op.getOperand(0));
    code.emit(opcode, {define(op.getResult(0)), operand});
  }

  uint32_t constantFor(ConstantOp op) {
    Attribute value = op.getValue();
    if (auto boolean = dyn_cast<BoolAttr>(value))
      return writer.constantBool(boolean.getValue());
    if (auto integer = dyn_cast<IntegerAttr>(value))
      return writer.constantLong(integer.getValue().getSExtValue());
    if (auto string = dyn_cast<StringAttr>(value))
      return writer.constantString(string.getValue());
    auto uid = cast<EntityUidAttr>(value);
    return writer.constantEntity(uid.getType(), uid.getId());
  }

  /// `&&` and `||`: when lhs equals `shortCircuitValue` the result is that
  /// boolean without evaluating rhs; otherwise the (boolean) rhs.
  LogicalResult emitShortCircuit(Operation &op, Value lhs, Region &rhs,
                                 bool shortCircuitValue) {
    uint32_t shortCircuitConstant = writer.constantBool(shortCircuitValue);
    layout.constantIndex[&op] = shortCircuitConstant;
    bc::Label shortCircuit = code.createLabel(), end = code.createLabel();
    code.emit(shortCircuitValue ? bc::Opcode::JumpIfTrue
                                : bc::Opcode::JumpIfFalse,
              {reg(lhs), shortCircuit.id});
    FailureOr<uint16_t> rhsValue = emitRegion(rhs);
    if (failed(rhsValue))
      return failure();
    uint16_t result = define(op.getResult(0));
    code.emit(bc::Opcode::AssertBool, {*rhsValue});
    code.emit(bc::Opcode::Move, {result, *rhsValue});
    code.emit(bc::Opcode::Jump, {end.id});
    code.bindLabel(shortCircuit);
    code.emit(bc::Opcode::LoadConst, {result, shortCircuitConstant});
    code.bindLabel(end);
    return success();
  }

  LogicalResult emitIf(IfOp op) {
    bc::Label elseLabel = code.createLabel(), end = code.createLabel();
    code.emit(bc::Opcode::JumpIfFalse, {reg(op.getCondition()), elseLabel.id});
    uint16_t result = define(op.getResult());
    FailureOr<uint16_t> thenValue = emitRegion(op.getThenRegion());
    if (failed(thenValue))
      return failure();
    code.emit(bc::Opcode::Move, {result, *thenValue});
    code.emit(bc::Opcode::Jump, {end.id});
    code.bindLabel(elseLabel);
    FailureOr<uint16_t> elseValue = emitRegion(op.getElseRegion());
    if (failed(elseValue))
      return failure();
    code.emit(bc::Opcode::Move, {result, *elseValue});
    code.bindLabel(end);
    return success();
  }

  LogicalResult emitOperation(Operation &op) {
    using bc::Opcode;
    return llvm::TypeSwitch<Operation *, LogicalResult>(&op)
        .Case([&](ConstantOp constant) {
          uint32_t index = constantFor(constant);
          layout.constantIndex[&op] = index;
          code.emit(Opcode::LoadConst, {define(constant), index});
          return success();
        })
        .Case([&](VarOp var) {
          code.emit(Opcode::LoadVar,
                    {define(var), static_cast<int64_t>(var.getVar())});
          return success();
        })
        .Case<GetAttrOp, HasAttrOp>([&](auto access) {
          uint32_t name = writer.internString(access.getName());
          layout.stringIndex[&op] = name;
          int64_t object = reg(access.getObject());
          code.emit(isa<GetAttrOp>(op) ? Opcode::GetAttr : Opcode::HasAttr,
                    {define(access.getResult()), object, name});
          return success();
        })
        .Case([&](GetTagOp) { return emitBinary(Opcode::GetTag, op), success(); })
        .Case([&](HasTagOp) { return emitBinary(Opcode::HasTag, op), success(); })
        .Case([&](EqOp) { return emitBinary(Opcode::Eq, op), success(); })
        .Case([&](NeOp) { return emitBinary(Opcode::Ne, op), success(); })
        .Case([&](LtOp) { return emitBinary(Opcode::Lt, op), success(); })
        .Case([&](LeOp) { return emitBinary(Opcode::Le, op), success(); })
        .Case([&](GtOp) { return emitBinary(Opcode::Gt, op), success(); })
        .Case([&](GeOp) { return emitBinary(Opcode::Ge, op), success(); })
        .Case([&](AddOp) { return emitBinary(Opcode::Add, op), success(); })
        .Case([&](SubOp) { return emitBinary(Opcode::Sub, op), success(); })
        .Case([&](MulOp) { return emitBinary(Opcode::Mul, op), success(); })
        .Case([&](InOp) { return emitBinary(Opcode::In, op), success(); })
        .Case([&](ContainsOp) {
          return emitBinary(Opcode::Contains, op), success();
        })
        .Case([&](ContainsAllOp) {
          return emitBinary(Opcode::ContainsAll, op), success();
        })
        .Case([&](ContainsAnyOp) {
          return emitBinary(Opcode::ContainsAny, op), success();
        })
        .Case([&](NegOp) { return emitUnary(Opcode::Neg, op), success(); })
        .Case([&](NotOp) { return emitUnary(Opcode::Not, op), success(); })
        .Case([&](IsEmptyOp) {
          return emitUnary(Opcode::IsEmpty, op), success();
        })
        .Case([&](LikeOp like) {
          uint32_t pattern =
              writer.constantPattern(splitPattern(like.getPattern()));
          layout.constantIndex[&op] = pattern;
          int64_t operand = reg(like.getOperand());
          code.emit(Opcode::Like, {define(like), operand, pattern});
          return success();
        })
        .Case([&](IsTypeOp isType) {
          uint32_t type = writer.internString(isType.getTypeName());
          layout.stringIndex[&op] = type;
          int64_t operand = reg(isType.getOperand());
          code.emit(Opcode::IsType, {define(isType), operand, type});
          return success();
        })
        .Case([&](SetOp set) {
          uint16_t first = gather(set.getElements());
          code.emit(Opcode::MakeSet,
                    {define(set), first, int64_t(set.getElements().size())});
          return success();
        })
        .Case([&](RecordOp record) {
          std::vector<std::string> keys;
          for (Attribute key : record.getKeys())
            keys.push_back(cast<StringAttr>(key).getValue().str());
          uint32_t names = writer.constantNameList(keys);
          layout.constantIndex[&op] = names;
          uint16_t first = gather(record.getValues());
          code.emit(Opcode::MakeRecord, {define(record), names, first,
                                         int64_t(keys.size())});
          return success();
        })
        .Case([&](ExtCallOp call) -> LogicalResult {
          std::optional<uint8_t> fn = lookupExtFn(call.getCallee());
          if (!fn)
            return call.emitOpError("unknown extension function");
          uint16_t first = gather(call.getArgs());
          code.emit(Opcode::CallExt, {define(call), *fn, first,
                                      int64_t(call.getArgs().size())});
          return success();
        })
        .Case([&](RaiseOp raise) {
          uint32_t message = writer.internString(raise.getMessage());
          layout.stringIndex[&op] = message;
          define(raise);
          code.emit(Opcode::Raise, {message});
          return success();
        })
        .Case([&](AndOp andOp) {
          return emitShortCircuit(op, andOp.getLhs(), andOp.getRhs(), false);
        })
        .Case([&](OrOp orOp) {
          return emitShortCircuit(op, orOp.getLhs(), orOp.getRhs(), true);
        })
        .Case([&](IfOp ifOp) { return emitIf(ifOp); })
        .Default([&](Operation *other) {
          return other->emitOpError("cannot be emitted as bytecode");
        });
  }

  bc::ModuleWriter &writer;
  bc::PolicyCode &code;
  BytecodeLayout &layout;
  llvm::DenseMap<Value, uint16_t> registers;
  unsigned nextRegister = 0;
};

/// Flattens rune.schema's nested type dictionaries into the runtime's type
/// table (children before the types that refer to them).
class SchemaDecoder {
public:
  uint32_t type(DictionaryAttr dict) {
    StringRef kind = dict.getAs<StringAttr>("kind").getValue();
    bc::SchemaType type;
    if (kind == "bool") {
      type.kind = bc::SchemaType::Kind::Bool;
    } else if (kind == "long") {
      type.kind = bc::SchemaType::Kind::Long;
    } else if (kind == "string") {
      type.kind = bc::SchemaType::Kind::String;
    } else if (kind == "entity" || kind == "extension") {
      type.kind = kind == "entity" ? bc::SchemaType::Kind::Entity
                                   : bc::SchemaType::Kind::Extension;
      type.name = dict.getAs<StringAttr>("name").str();
    } else if (kind == "set") {
      type.kind = bc::SchemaType::Kind::Set;
      type.element = this->type(dict.getAs<DictionaryAttr>("element"));
    } else {
      type.kind = bc::SchemaType::Kind::Record;
      type.additionalAttributes = dict.getAs<BoolAttr>("open").getValue();
      for (Attribute entry : dict.getAs<ArrayAttr>("attributes")) {
        auto attribute = cast<DictionaryAttr>(entry);
        type.attributes.push_back(
            {attribute.getAs<StringAttr>("name").str(),
             attribute.getAs<BoolAttr>("required").getValue(),
             this->type(attribute.getAs<DictionaryAttr>("type"))});
      }
      llvm::sort(type.attributes, [](const auto &a, const auto &b) {
        return a.name < b.name;
      });
    }
    info.types.push_back(std::move(type));
    return info.types.size() - 1;
  }

  static std::vector<std::string> strings(ArrayAttr array) {
    std::vector<std::string> values;
    for (Attribute value : array)
      values.push_back(cast<StringAttr>(value).str());
    return values;
  }

  bc::SchemaInfo decode(SchemaOp op) {
    for (Attribute attr : op.getEntityTypes()) {
      auto dict = cast<DictionaryAttr>(attr);
      bc::SchemaEntityType entity;
      entity.name = dict.getAs<StringAttr>("name").str();
      entity.attributes = type(dict.getAs<DictionaryAttr>("attributes"));
      if (auto tags = dict.getAs<DictionaryAttr>("tags"))
        entity.tags = type(tags);
      if (auto ids = dict.getAs<ArrayAttr>("enum_ids"))
        entity.enumIds = strings(ids);
      entity.memberOfTypes = strings(dict.getAs<ArrayAttr>("member_of"));
      info.entityTypes.push_back(std::move(entity));
    }
    for (Attribute attr : op.getActions()) {
      auto dict = cast<DictionaryAttr>(attr);
      bc::SchemaAction action;
      action.type = dict.getAs<StringAttr>("type").str();
      action.id = dict.getAs<StringAttr>("id").str();
      for (Attribute parent : dict.getAs<ArrayAttr>("parents")) {
        auto pair = cast<ArrayAttr>(parent);
        action.parents.emplace_back(cast<StringAttr>(pair[0]).str(),
                                    cast<StringAttr>(pair[1]).str());
      }
      action.principalTypes = strings(dict.getAs<ArrayAttr>("principals"));
      action.resourceTypes = strings(dict.getAs<ArrayAttr>("resources"));
      if (auto context = dict.getAs<DictionaryAttr>("context"))
        action.context = type(context);
      info.actions.push_back(std::move(action));
    }
    return std::move(info);
  }

private:
  bc::SchemaInfo info;
};

} // namespace

bc::SchemaInfo decodeSchema(SchemaOp op) { return SchemaDecoder().decode(op); }

LogicalResult emitBytecode(ModuleOp module, std::vector<uint8_t> &out,
                           BytecodeLayout *layoutOut, bool verifyOutput) {
  if (isIpeModule(module))
    return emitIpeBytecode(module, out, nullptr, verifyOutput);
  BytecodeLayout scratchLayout;
  BytecodeLayout &layout = layoutOut ? *layoutOut : scratchLayout;
  bc::ModuleWriter writer;
  writer.setVerifyOutput(verifyOutput);
  bool hasSchema = false;
  for (Operation &op : module.getBody()->getOperations()) {
    if (auto schema = dyn_cast<SchemaOp>(op)) {
      if (hasSchema)
        return schema.emitOpError("a module holds at most one schema");
      hasSchema = true;
      writer.setSchema(decodeSchema(schema));
      continue;
    }
    if (auto program = dyn_cast<DlProgramOp>(op)) {
      if (failed(emitDatalogProgram(program, writer)))
        return failure();
      continue;
    }
    auto policy = dyn_cast<PolicyOp>(op);
    if (!policy)
      return op.emitOpError("is not a rune.policy; lower it first");
    std::vector<std::pair<std::string, std::string>> annotations;
    if (DictionaryAttr dict = policy.getAnnotationsAttr())
      for (NamedAttribute entry : dict)
        annotations.emplace_back(entry.getName().str(),
                                 cast<StringAttr>(entry.getValue()).str());
    bc::PolicyCode &code = writer.addPolicy(
        policy.getPolicyId(),
        policy.getEffect() == Effect::Forbid ? bc::Effect::Forbid
                                             : bc::Effect::Permit,
        annotations);
    layout.policies.push_back(policy);
    PolicyEmitter emitter(writer, code, layout);
    if (failed(emitter.emitPolicy(policy)))
      return failure();
  }
  std::string error;
  if (!writer.finish(out, error))
    return module.emitError("bytecode writer: ") << error;
  return success();
}

} // namespace rune
