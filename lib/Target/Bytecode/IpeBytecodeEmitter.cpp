//===- IpeBytecodeEmitter.cpp - rune.ipe.* to bytecode --------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Each policy becomes one Policies entry whose code evaluates the trigger,
// then the requirement, and ends in ipe_return with the outcome; each
// aggregate filter becomes an entry of its own after the policies (its
// element in register 0, ending in `return`). Every SSA value gets its own
// register: policies are small and the verifier bounds the count.
//
//===----------------------------------------------------------------------===//

#include "rune/Target/Bytecode/IpeBytecodeEmitter.h"

#include "rune/Dialect/Rune/RuneIntentOps.h"
#include "rune/Runtime/BytecodeWriter.h"
#include "rune/Runtime/IpeFormat.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"

#include <cstring>
#include <map>

using namespace mlir;
using namespace rune;
namespace bc = rune::bc;
namespace ipebc = rune::ipebc;

namespace {

std::string jsonString(StringRef s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        char buffer[8];
        std::snprintf(buffer, sizeof buffer, "\\u%04x", unsigned(c));
        out += buffer;
      } else {
        out += c;
      }
    }
  }
  out += '"';
  return out;
}

/// Metadata values travel as JSON text, ready for `--format json`.
std::string jsonText(Attribute attr) {
  if (auto s = dyn_cast<StringAttr>(attr))
    return jsonString(s.getValue());
  if (auto b = dyn_cast<BoolAttr>(attr))
    return b.getValue() ? "true" : "false";
  if (auto i = dyn_cast<IntegerAttr>(attr))
    return std::to_string(i.getInt());
  if (auto f = dyn_cast<FloatAttr>(attr)) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << f.getValueAsDouble();
    return text;
  }
  if (auto a = dyn_cast<ArrayAttr>(attr)) {
    std::string out = "[";
    for (auto [i, element] : llvm::enumerate(a))
      out += (i ? ", " : "") + jsonText(element);
    return out + "]";
  }
  return "null";
}

class Emitter {
public:
  Emitter(ModuleOp module, IpeBytecodeLayout &layout, bool recordOperands,
          bool verifyOutput)
      : module(module), layout(layout), recordOperands(recordOperands) {
    writer.setVerifyOutput(verifyOutput);
  }

  LogicalResult run(std::vector<uint8_t> &out) {
    for (IntentEnumOp e : module.getOps<IntentEnumOp>()) {
      ipebc::EnumInfo info;
      info.name = writer.internString(e.getSymName());
      for (Attribute member : e.getMembers())
        info.members.push_back(
            writer.internString(cast<StringAttr>(member).getValue()));
      tables.enums.push_back(std::move(info));
    }
    llvm::StringMap<uint32_t> policyIndex;
    for (IntentPolicyOp policy : module.getOps<IntentPolicyOp>()) {
      if (!policyIndex.try_emplace(policy.getSymName(), layout.entries.size())
               .second)
        return policy.emitError("duplicate policy name '")
               << policy.getSymName() << "'";
      layout.entries.push_back(policy);
    }
    layout.policyCount = layout.entries.size();
    numberEveryDecisionSlotsFirst();
    for (size_t i = 0; i < layout.policyCount; ++i)
      if (failed(emitPolicy(cast<IntentPolicyOp>(layout.entries[i]))))
        return failure();
    // Filters found while emitting append themselves to `entries`.
    for (size_t i = layout.policyCount; i < layout.entries.size(); ++i)
      if (failed(emitFilter(cast<IntentAggregateOp>(layout.entries[i]), i)))
        return failure();
    if (failed(emitIndex(policyIndex)))
      return failure();
    writer.setIpeSections(ipebc::encodeModuleSection(tables),
                          ipebc::encodeIndexSection(tables));
    std::string error;
    if (!writer.finish(out, error))
      return module.emitError("bytecode writer: ") << error;
    return success();
  }

private:
  /// Numbers first the slots every decision reads: the trigger index's
  /// paths, then what the always-checked policies read. A request's slots
  /// are an array in slot order, so these values then share the fewest
  /// cache lines; on a stream of requests that are not in the cache, each
  /// line is a miss paid by every decision (both backends).
  void numberEveryDecisionSlotsFirst() {
    llvm::StringSet<> alwaysChecked;
    for (IntentIndexGroupOp group : module.getOps<IntentIndexGroupOp>())
      for (Attribute path : group.getPaths())
        slot(cast<StringAttr>(path).getValue());
    for (IntentIndexAlwaysOp always : module.getOps<IntentIndexAlwaysOp>())
      for (Attribute name : always.getPolicies())
        alwaysChecked.insert(cast<StringAttr>(name).getValue());
    for (IntentPolicyOp policy : module.getOps<IntentPolicyOp>())
      if (alwaysChecked.contains(policy.getSymName()))
        policy.walk([&](IntentReadOp read) { slot(read.getPath()); });
  }

  uint32_t literal(Attribute attr) {
    // Attributes are uniqued, so an attribute seen before has its index
    // here; the textual key below is only built for a new attribute (two
    // attributes can still share a key, e.g. integers of other widths).
    auto cached = literalByAttr.find(attr);
    if (cached != literalByAttr.end())
      return cached->second;
    uint32_t index = literalByKey(attr);
    literalByAttr.try_emplace(attr, index);
    return index;
  }

  uint32_t literalByKey(Attribute attr) {
    ipebc::LiteralInfo info;
    std::string key;
    if (auto b = dyn_cast<BoolAttr>(attr)) {
      info.kind = ipebc::LiteralKind::Bool;
      info.boolValue = b.getValue();
      key = b.getValue() ? "b1" : "b0";
    } else if (auto i = dyn_cast<IntegerAttr>(attr)) {
      info.kind = ipebc::LiteralKind::Int;
      info.intValue = i.getInt();
      key = "i" + std::to_string(info.intValue);
    } else if (auto f = dyn_cast<FloatAttr>(attr)) {
      info.kind = ipebc::LiteralKind::Float;
      info.floatValue = f.getValueAsDouble();
      uint64_t bits;
      std::memcpy(&bits, &info.floatValue, sizeof bits);
      key = "f" + std::to_string(bits);
    } else {
      StringRef s = cast<StringAttr>(attr).getValue();
      info.kind = ipebc::LiteralKind::String;
      info.string = writer.internString(s);
      key = "s" + s.str();
    }
    auto [it, fresh] = literalIndex.try_emplace(key, tables.literals.size());
    if (fresh)
      tables.literals.push_back(info);
    return it->second;
  }

  uint32_t slot(StringRef path) {
    auto [it, fresh] = slotIndex.try_emplace(path, tables.slots.size());
    if (fresh) {
      ipebc::SlotInfo info;
      info.display = writer.internString(path);
      SmallVector<StringRef> parts;
      path.split(parts, '.');
      for (StringRef part : parts)
        info.components.push_back(writer.internString(part));
      tables.slots.push_back(std::move(info));
    }
    return it->second;
  }

  uint32_t condition(ipebc::ConditionKind kind, uint32_t list, StringRef label,
                     StringRef explain) {
    tables.conditions.push_back(
        {kind, list, writer.internString(label), writer.internString(explain)});
    return uint32_t(tables.conditions.size() - 1);
  }

  LogicalResult emitPolicy(IntentPolicyOp op) {
    ipebc::PolicyInfo info;
    info.requirement = op.getDenies() ? ipebc::Requirement::Denies
                                      : ipebc::Requirement::Requires;
    info.flags = op.getPredicate() ? ipebc::kPolicyFlagPredicate : 0;
    info.intent = writer.internString(op.getIntent());
    if (op.getReason())
      info.reason = writer.internString(*op.getReason());
    if (DictionaryAttr metadata = op.getMetadataAttr())
      for (NamedAttribute entry : metadata)
        info.metadata.emplace_back(
            writer.internString(entry.getName().getValue()),
            writer.internString(jsonText(entry.getValue())));
    tables.policies.push_back(std::move(info));

    code = &writer.addPolicy(op.getSymName(), bc::Effect::Permit, {});
    registers.clear();
    nextRegister = 0;
    std::optional<uint32_t> trigger = emitBlock(op.getTrigger().front());
    if (!trigger)
      return failure();
    bc::Label notApplicable = code->createLabel();
    code->emit(bc::Opcode::JumpIfFalse, {*trigger, notApplicable.id});
    auto ret = [&](ipebc::Outcome outcome) {
      code->emit(bc::Opcode::IpeReturn, {static_cast<int64_t>(outcome)});
    };
    if (op.getDenies()) {
      ret(ipebc::Outcome::Deny);
    } else {
      std::optional<uint32_t> requirement =
          emitBlock(op.getRequirement().front());
      if (!requirement)
        return failure();
      bc::Label deny = code->createLabel();
      code->emit(bc::Opcode::JumpIfFalse, {*requirement, deny.id});
      ret(ipebc::Outcome::Allow);
      code->bindLabel(deny);
      ret(ipebc::Outcome::Deny);
    }
    code->bindLabel(notApplicable);
    ret(ipebc::Outcome::NotApplicable);
    return success();
  }

  LogicalResult emitFilter(IntentAggregateOp op, size_t entry) {
    IntentPolicyOp owner = op->getParentOfType<IntentPolicyOp>();
    std::string id = owner.getSymName().str() + "/filter" +
                     std::to_string(entry - layout.policyCount);
    tables.filters.push_back(
        {uint32_t(entry), writer.internString(op.getElement())});
    code = &writer.addPolicy(id, bc::Effect::Permit, {});
    registers.clear();
    Block &block = op.getFilter().front();
    registers[block.getArgument(0)] = 0;
    nextRegister = 1;
    std::optional<uint32_t> passes = emitBlock(block);
    if (!passes)
      return failure();
    code->emit(bc::Opcode::Return, {*passes});
    return success();
  }

  uint32_t fresh() { return nextRegister++; }

  /// What the native backend looks up per operation (IpeBytecodeLayout);
  /// the bytecode alone does not need it, and on 10,000 policies filling
  /// the maps was 2% of the compile.
  void recordIndex(Operation &op, uint32_t index) {
    if (recordOperands)
      layout.index[&op] = index;
  }

  /// Emits the operations of `block`; returns the register of the value
  /// its rune.ipe.yield yields.
  std::optional<uint32_t> emitBlock(Block &block) {
    for (Operation &op : block) {
      if (auto yield = dyn_cast<IntentYieldOp>(op))
        return registers.lookup(yield.getValue());
      if (failed(emitOp(op)))
        return std::nullopt;
    }
    block.getParentOp()->emitError("region without rune.ipe.yield");
    return std::nullopt;
  }

  uint32_t reg(mlir::Value v) { return registers.lookup(v); }

  LogicalResult emitOp(Operation &op) {
    uint32_t dst = op.getNumResults() ? fresh() : 0;
    if (op.getNumResults())
      registers[op.getResult(0)] = dst;
    if (auto read = dyn_cast<IntentReadOp>(op)) {
      uint32_t s = slot(read.getPath());
      recordIndex(op, s);
      code->emit(read.getCollection() ? bc::Opcode::IpeLoadCollection
                                      : bc::Opcode::IpeLoadSlot,
                 {dst, s});
    } else if (auto lit = dyn_cast<IntentLiteralOp>(op)) {
      uint32_t l = literal(lit.getValue());
      recordIndex(op, l);
      code->emit(bc::Opcode::IpeLoadLiteral, {dst, l});
    } else if (auto constant = dyn_cast<IntentBoolOp>(op)) {
      uint32_t l = literal(constant.getValueAttr());
      recordIndex(op, l);
      code->emit(bc::Opcode::IpeLoadLiteral, {dst, l});
    } else if (auto get = dyn_cast<IntentGetOp>(op)) {
      uint32_t key = writer.internString(get.getKey());
      uint32_t display = writer.internString(get.getDisplay());
      if (recordOperands)
        layout.strings[&op] = {key, display};
      code->emit(bc::Opcode::IpeGetField,
                 {dst, reg(get.getObject()), key, display});
    } else if (auto cmp = dyn_cast<IntentCompareOp>(op)) {
      std::optional<ipebc::ConditionKind> kind =
          llvm::StringSwitch<std::optional<ipebc::ConditionKind>>(
              cmp.getPredicate())
              .Case("eq", ipebc::ConditionKind::Eq)
              .Case("ne", ipebc::ConditionKind::Ne)
              .Case("lt", ipebc::ConditionKind::Lt)
              .Case("le", ipebc::ConditionKind::Le)
              .Case("gt", ipebc::ConditionKind::Gt)
              .Case("ge", ipebc::ConditionKind::Ge)
              .Default(std::nullopt);
      if (!kind) // the op verifier admits the six above only
        return op.emitError("unknown comparison '")
               << cmp.getPredicate() << "'";
      uint32_t c = condition(*kind, 0, cmp.getLabel(), cmp.getExplain());
      recordIndex(op, c);
      code->emit(bc::Opcode::IpeCompare,
                 {dst, reg(cmp.getLhs()), reg(cmp.getRhs()), c});
    } else if (auto in = dyn_cast<IntentInOp>(op)) {
      std::vector<uint32_t> members;
      for (Attribute member : in.getMembers())
        members.push_back(literal(member));
      tables.lists.push_back(std::move(members));
      uint32_t c =
          condition(ipebc::ConditionKind::In, uint32_t(tables.lists.size() - 1),
                    in.getLabel(), in.getExplain());
      recordIndex(op, c);
      code->emit(bc::Opcode::IpeIn, {dst, reg(in.getValue()), c});
    } else if (auto truth = dyn_cast<IntentTruthOp>(op)) {
      uint32_t c = condition(ipebc::ConditionKind::Truth, 0, truth.getLabel(),
                             truth.getExplain());
      recordIndex(op, c);
      code->emit(bc::Opcode::IpeTruth, {dst, reg(truth.getValue()), c});
    } else if (auto notOp = dyn_cast<IntentNotOp>(op)) {
      code->emit(bc::Opcode::IpeNot, {dst, reg(notOp.getValue())});
    } else if (isa<IntentAndOp, IntentOrOp>(op)) {
      bool isAnd = isa<IntentAndOp>(op);
      bc::Label shortCircuit = code->createLabel(), end = code->createLabel();
      code->emit(isAnd ? bc::Opcode::JumpIfFalse : bc::Opcode::JumpIfTrue,
                 {reg(op.getOperand(0)), shortCircuit.id});
      std::optional<uint32_t> rhs = emitBlock(op.getRegion(0).front());
      if (!rhs)
        return failure();
      code->emit(bc::Opcode::Move, {dst, *rhs});
      code->emit(bc::Opcode::Jump, {end.id});
      code->bindLabel(shortCircuit);
      code->emit(bc::Opcode::IpeLoadLiteral,
                 {dst, literal(BoolAttr::get(op.getContext(), !isAnd))});
      code->bindLabel(end);
    } else if (auto agg = dyn_cast<IntentAggregateOp>(op)) {
      uint32_t filter = ipebc::kNoIndex;
      if (!agg.getFilter().empty()) {
        filter = uint32_t(layout.entries.size() - layout.policyCount);
        layout.entries.push_back(agg);
      }
      recordIndex(op, filter);
      uint32_t mode = agg.getMode() == "count" ? 0
                      : agg.getMode() == "any" ? 1
                                               : 2;
      code->emit(bc::Opcode::IpeAggregate,
                 {dst, reg(agg.getCollection()), filter, mode});
    } else {
      return op.emitError("cannot emit '")
             << op.getName() << "' in an IPE policy";
    }
    return success();
  }

  LogicalResult emitIndex(const llvm::StringMap<uint32_t> &policyIndex) {
    auto policiesOf = [&](Operation *op, ArrayAttr names,
                          std::vector<uint32_t> &out) -> LogicalResult {
      for (Attribute name : names) {
        auto it = policyIndex.find(cast<StringAttr>(name).getValue());
        if (it == policyIndex.end())
          return op->emitError("unknown policy '")
                 << cast<StringAttr>(name).getValue() << "'";
        out.push_back(it->second);
      }
      return success();
    };
    bool indexed = false;
    for (Operation &op : module.getBody()->getOperations()) {
      if (auto group = dyn_cast<IntentIndexGroupOp>(op)) {
        indexed = true;
        ipebc::IndexGroup info;
        for (Attribute path : group.getPaths())
          info.slots.push_back(slot(cast<StringAttr>(path).getValue()));
        for (auto [key, posting] :
             llvm::zip(group.getKeys(), group.getPostings())) {
          ipebc::IndexKey indexKey;
          for (Attribute element : cast<ArrayAttr>(key))
            indexKey.literals.push_back(literal(element));
          if (failed(policiesOf(group, cast<ArrayAttr>(posting),
                                indexKey.policies)))
            return failure();
          info.keys.push_back(std::move(indexKey));
        }
        if (failed(policiesOf(group, group.getPolicies(), info.policies)))
          return failure();
        tables.indexGroups.push_back(std::move(info));
      } else if (auto always = dyn_cast<IntentIndexAlwaysOp>(op)) {
        indexed = true;
        if (failed(
                policiesOf(always, always.getPolicies(), tables.alwaysChecked)))
          return failure();
      }
    }
    if (!indexed) // without the index pass every policy is checked
      for (uint32_t i = 0; i < layout.policyCount; ++i)
        tables.alwaysChecked.push_back(i);
    return success();
  }

  ModuleOp module;
  IpeBytecodeLayout &layout;
  /// Whether the caller asked for the layout's per-operation maps.
  bool recordOperands;
  bc::ModuleWriter writer;
  ipebc::Sections tables;
  std::map<std::string, uint32_t> literalIndex;
  llvm::DenseMap<Attribute, uint32_t> literalByAttr;
  llvm::StringMap<uint32_t> slotIndex;
  bc::PolicyCode *code = nullptr;
  llvm::DenseMap<mlir::Value, uint32_t> registers;
  uint32_t nextRegister = 0;
};

} // namespace

bool rune::isIpeModule(ModuleOp module) {
  return !module.getOps<IntentPolicyOp>().empty() ||
         !module.getOps<IntentEnumOp>().empty();
}

LogicalResult rune::emitIpeBytecode(ModuleOp module, std::vector<uint8_t> &out,
                                    IpeBytecodeLayout *layout,
                                    bool verifyOutput) {
  IpeBytecodeLayout local;
  return Emitter(module, layout ? *layout : local, layout != nullptr,
                 verifyOutput)
      .run(out);
}
