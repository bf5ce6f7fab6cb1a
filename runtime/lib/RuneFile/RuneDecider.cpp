//===- RuneDecider.cpp - Preparing the decisions of a .rune module --------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// RuneDecider::create: the split of the program's strata into static and
// request-dependent ones, and the static snapshot (RuneDecision.h). Runs
// once per decider, so it is compiled for size (runtime/CMakeLists.txt).
//
//===----------------------------------------------------------------------===//

#include "RuneDecisionState.h"

using namespace rune;
using namespace rune::runedecision;

bool rune::isAllowRelationName(std::string_view name) {
  return name == "allow" || name.starts_with("allow_");
}

bool rune::isDenyRelationName(std::string_view name) {
  return name == "deny" || name.starts_with("deny_");
}

namespace {

/// The relations a statement reads and writes, nested bodies included.
void collectAccesses(const Instr &instr, std::vector<uint16_t> &reads,
                     std::vector<uint16_t> &writes) {
  switch (instr.op) {
  case bc::DatalogOpcode::Scan:
  case bc::DatalogOpcode::Lookup:
  case bc::DatalogOpcode::NotExists:
    reads.push_back(instr.relation);
    break;
  case bc::DatalogOpcode::Insert:
    writes.push_back(instr.relation);
    break;
  case bc::DatalogOpcode::Fixpoint:
    writes.insert(writes.end(), instr.relations.begin(), instr.relations.end());
    break;
  default:
    break;
  }
  for (const Instr &inner : instr.body)
    collectAccesses(inner, reads, writes);
}

/// Resolves the program's symbol constants against `symbols`, as
/// datalog::Program::load does for its own table.
void internConstants(std::vector<Instr> &body, const bc::Module &module,
                     datalog::SymbolTable &symbols) {
  for (Instr &instr : body) {
    if (instr.op == bc::DatalogOpcode::ConstSymbol)
      instr.word =
          datalog::encodeSymbol(symbols.intern(module.strings[instr.string]));
    else if (instr.op == bc::DatalogOpcode::ConstAnySymbol)
      instr.word = datalog::encodeAnySymbol(
          symbols.intern(module.strings[instr.string]));
    internConstants(instr.body, module, symbols);
  }
}

} // namespace

std::string_view RuneEvaluation::relationName(unsigned slot) const {
  return image->relations[slot].name;
}

std::optional<unsigned>
RuneEvaluation::findRelation(std::string_view name) const {
  for (unsigned slot = 0; slot < image->relations.size(); ++slot)
    if (image->relations[slot].name == name)
      return slot;
  return std::nullopt;
}

RuneDecider::RuneDecider(const LoadedModule &module,
                         const EntityStore &entities)
    : module(module), entities(entities) {}

RuneDecider::~RuneDecider() = default;

size_t RuneDecider::strataCount() const { return state ? state->strata : 0; }

size_t RuneDecider::requestStrataCount() const {
  return state ? state->requestImage.statements.size() : 0;
}

std::unique_ptr<RuneDecider> RuneDecider::create(const LoadedModule &module,
                                                 const EntityStore &entities,
                                                 std::string &error) {
  std::unique_ptr<RuneDecider> decider(new RuneDecider(module, entities));
  if (!module.bytecode().datalogCode)
    return decider; // Cedar policies only
  auto state = std::make_shared<State>();
  if (!datalog::detail::decodeProgram(module.bytecode(), state->image, error))
    return nullptr;
  internConstants(state->image.statements, module.bytecode(), state->symbols);
  const ProgramImage &image = state->image;
  // A native module runs its strata as its own functions (one per
  // statement, checked against the decoded program).
  const rune_dl_stratum_fn *nativeFns = module.datalogFunctions();
  state->native = module.hasNativeDatalog();
  std::vector<rune_dl_stratum_fn> staticNative;
  if (state->native) {
    if (!datalog::detail::checkNativeStrata(
            image, nativeFns, module.datalogFunctionCount(), error))
      return nullptr;
    state->nativeSymbols = datalog::detail::nativeSymbolWords(image);
  }

  auto slotOf = [&](const char *name, unsigned arity, unsigned &slot) -> bool {
    for (unsigned i = 0; i < image.relations.size(); ++i) {
      if (image.relations[i].name != name)
        continue;
      const std::vector<datalog::ColumnType> &types = image.relations[i].types;
      bool anyColumns = types.size() == arity;
      for (datalog::ColumnType type : types)
        anyColumns &= type == datalog::ColumnType::Any;
      if (!anyColumns)
        break;
      slot = i;
      return true;
    }
    error = std::string("the module's rules lack the request relation '") +
            name + "' with " + std::to_string(arity) +
            " `any` column(s) (was it compiled from a .rune file?)";
    return false;
  };
  unsigned entitySlot, parentSlot, attrSlot;
  if (!slotOf("principal", 1, state->principalSlot) ||
      !slotOf("action", 1, state->actionSlot) ||
      !slotOf("resource", 1, state->resourceSlot) ||
      !slotOf("context", 2, state->contextSlot) ||
      !slotOf("entity", 1, entitySlot) || !slotOf("parent", 2, parentSlot) ||
      !slotOf("attr", 3, attrSlot))
    return nullptr;

  // Split the strata: request-dependent ones read a request relation or
  // what an earlier request-dependent stratum wrote.
  size_t count = image.relations.size();
  state->perRequest.assign(count, false);
  for (unsigned slot : {state->principalSlot, state->actionSlot,
                        state->resourceSlot, state->contextSlot})
    state->perRequest[slot] = true;
  // The evaluator needs only the statements and the register count of an
  // image (relations come as the vector it is given).
  ProgramImage staticImage;
  staticImage.registerCount = image.registerCount;
  state->requestImage.registerCount = image.registerCount;
  for (size_t index = 0; index < image.statements.size(); ++index) {
    const Instr &statement = image.statements[index];
    std::vector<uint16_t> reads, writes;
    collectAccesses(statement, reads, writes);
    bool dependent = false;
    for (uint16_t slot : reads)
      dependent |= state->perRequest[slot];
    if (dependent) {
      for (uint16_t slot : writes)
        state->perRequest[slot] = true;
      state->requestImage.statements.push_back(statement);
      if (state->native)
        state->requestNative.push_back(nativeFns[index]);
    } else {
      staticImage.statements.push_back(statement);
      if (state->native)
        staticNative.push_back(nativeFns[index]);
    }
  }
  state->strata = image.statements.size();
  for (unsigned slot = 0; slot < count; ++slot)
    if (isAllowRelationName(image.relations[slot].name) ||
        isDenyRelationName(image.relations[slot].name))
      state->decidingSlots.push_back(slot);

  // The static snapshot: entity facts, then the static strata.
  for (const auto &info : image.relations)
    state->staticRelations.push_back(
        std::make_unique<Relation>(info.types, info.indexes));
  const SymbolTable &names = module.engine().symbols();
  for (const EntityStore::Entity &entity : entities.allEntities()) {
    Column uid;
    uid.isString = true;
    uid.text = formatEntityUid(*entity.uid, names);
    insertFact(*state->staticRelations[entitySlot], state->symbols, {&uid});
    for (uint32_t i = 0; i < entity.parentCount; ++i) {
      Column parent;
      parent.isString = true;
      parent.text = formatEntityUid(*entity.parents[i], names);
      insertFact(*state->staticRelations[parentSlot], state->symbols,
                 {&uid, &parent});
    }
    if (entity.attributes.kind() != ValueKind::Record)
      continue;
    for (const RecordField &field : entity.attributes.asRecord()) {
      Column name, value;
      name.isString = true;
      name.text = std::string(names.name(field.key));
      if (toColumn(field.value, names, value))
        insertFact(*state->staticRelations[attrSlot], state->symbols,
                   {&uid, &name, &value});
    }
  }
  if (state->native)
    datalog::detail::evaluateNative(image, staticNative, state->nativeSymbols,
                                    state->staticRelations, state->symbols);
  else
    datalog::detail::evaluate(staticImage, state->staticRelations,
                              state->symbols);
  decider->state = std::move(state);
  return decider;
}
