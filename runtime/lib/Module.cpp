//===- Module.cpp - A verified module loaded into an engine ---------------===//

#include "rune/Runtime/Module.h"
#include "rune/Runtime/EntityStore.h"

#include <algorithm>
#include <atomic>

namespace rune {

namespace {
/// Serials of the modules loaded so far (64 bits: never reused).
std::atomic<uint64_t> lastModuleSerial{0};
} // namespace

LoadedModule::LoadedModule(std::shared_ptr<Engine> engine)
    : enginePtr(std::move(engine)),
      moduleSerial(lastModuleSerial.fetch_add(1, std::memory_order_relaxed) +
                   1) {}

std::unique_ptr<LoadedModule> LoadedModule::load(std::shared_ptr<Engine> engine,
                                                 const uint8_t *data,
                                                 size_t size,
                                                 std::string &error) {
  std::unique_ptr<LoadedModule> module(new LoadedModule(std::move(engine)));
  if (!bc::readModule(data, size, module->image, error))
    return nullptr;
  if (module->image.ipe) {
    // IPE modules decide with their own engine (IpeEngine.h).
    error = "bytecode: an IPE module (use `rune-run eval` or rune_ipe_*)";
    return nullptr;
  }
  module->prepare();
  return module;
}

std::unique_ptr<LoadedModule>
LoadedModule::loadNative(std::shared_ptr<Engine> engine,
                         const rune_native_module *native, std::string &error) {
  if (!native) {
    error = "native module: null descriptor";
    return nullptr;
  }
  if (native->abi_version < RUNE_NATIVE_ABI_VERSION_MIN ||
      native->abi_version > RUNE_NATIVE_ABI_VERSION) {
    error = "native module: ABI version " +
            std::to_string(native->abi_version) + " (this runtime supports " +
            std::to_string(RUNE_NATIVE_ABI_VERSION_MIN) + " to " +
            std::to_string(RUNE_NATIVE_ABI_VERSION) + ")";
    return nullptr;
  }
  if (native->bytecode_size > bc::kMaxFileSize) {
    error = "native module: embedded bytecode too large";
    return nullptr;
  }
  std::unique_ptr<LoadedModule> module =
      load(std::move(engine), native->bytecode,
           static_cast<size_t>(native->bytecode_size), error);
  if (!module) {
    error = "native module: " + error;
    return nullptr;
  }
  if (native->policy_count != module->policyCount()) {
    error = "native module: " + std::to_string(native->policy_count) +
            " policy functions but the bytecode has " +
            std::to_string(module->policyCount()) + " policies";
    return nullptr;
  }
  if (native->policy_count != 0 && !native->policy_fns) {
    error = "native module: missing policy function table";
    return nullptr;
  }
  for (uint32_t i = 0; i < native->policy_count; ++i) {
    if (!native->policy_fns[i]) {
      error =
          "native module: policy function " + std::to_string(i) + " is null";
      return nullptr;
    }
  }
  module->nativeFns = native->policy_fns;
  // The Datalog stratum functions (ABI 3) are checked against the program
  // by whoever decodes it (the .rune decider).
  if (native->abi_version >= 3) {
    if (native->datalog_stratum_count != 0 && !module->image.datalogCode) {
      error = "native module: Datalog stratum functions but no Datalog "
              "program in the bytecode";
      return nullptr;
    }
    module->nativeDatalogProgram = module->image.datalogCode != nullptr;
    module->datalogFns = native->datalog_stratum_fns;
    module->datalogFnCount = native->datalog_stratum_count;
  }
  return module;
}

void LoadedModule::prepare() {
  SymbolTable &table = enginePtr->symbols();
  // Interning every string (not only attribute names) keeps lookups from
  // native code, which may name any string index, free of locking.
  symbols.reserve(image.strings.size());
  for (std::string_view s : image.strings)
    symbols.push_back(table.intern(s));

  constants.resize(image.constants.size());
  auxiliaryIndex.assign(image.constants.size(), -1);
  for (size_t i = 0; i < image.constants.size(); ++i) {
    const bc::ConstantEntry &c = image.constants[i];
    switch (c.kind) {
    case bc::ConstantKind::Bool:
      constants[i] = Value::boolean(c.boolValue);
      break;
    case bc::ConstantKind::Long:
      constants[i] = Value::integer(c.longValue);
      break;
    case bc::ConstantKind::String:
      constants[i] = Value::string(image.strings[c.string]);
      break;
    case bc::ConstantKind::Entity:
      constants[i] = Value::entity(
          makeEntityUid(storage, symbols[c.string], image.strings[c.entityId]));
      entityConstants.push_back(&constants[i].asEntity());
      break;
    case bc::ConstantKind::Pattern: {
      // Adjacent literals are merged; the text between wildcards becomes
      // one piece.
      std::vector<std::string> pieces(1);
      for (uint32_t e = 0; e < c.elementCount; ++e) {
        const bc::PatternElementRef &element =
            image.patternElements[c.firstElement + e];
        if (element.wildcard)
          pieces.emplace_back();
        else
          pieces.back() += image.strings[element.string];
      }
      CompiledPattern pattern;
      auto stored = [&](const std::string &s) { return storage.copyString(s); };
      if (pieces.size() == 1) {
        pattern.exact = stored(pieces[0]);
      } else {
        pattern.hasWildcard = true;
        pattern.prefix = stored(pieces.front());
        pattern.suffix = stored(pieces.back());
        for (size_t p = 1; p + 1 < pieces.size(); ++p)
          if (!pieces[p].empty())
            pattern.middles.push_back(stored(pieces[p]));
      }
      auxiliaryIndex[i] = static_cast<int32_t>(patterns.size());
      patterns.push_back(std::move(pattern));
      break;
    }
    case bc::ConstantKind::NameList: {
      RecordShape shape;
      for (uint32_t n = 0; n < c.elementCount; ++n)
        shape.fields.push_back(
            {symbols[image.nameListNames[c.firstElement + n]], n});
      std::sort(shape.fields.begin(), shape.fields.end(),
                [](const RecordShape::Field &a, const RecordShape::Field &b) {
                  return a.key < b.key;
                });
      auxiliaryIndex[i] = static_cast<int32_t>(shapes.size());
      shapes.push_back(std::move(shape));
      break;
    }
    }
  }
  for (const bc::PolicyEntry &policy : image.policies)
    maxRegisters = std::max(maxRegisters, policy.registerCount);
  if (image.schema)
    schemaIndex = std::make_shared<const Schema>(*image.schema);
}

const CompiledPattern *LoadedModule::pattern(uint32_t index) const {
  if (index >= image.constants.size() ||
      image.constants[index].kind != bc::ConstantKind::Pattern)
    return nullptr;
  return &patterns[auxiliaryIndex[index]];
}

const RecordShape *LoadedModule::recordShape(uint32_t index) const {
  if (index >= image.constants.size() ||
      image.constants[index].kind != bc::ConstantKind::NameList)
    return nullptr;
  return &shapes[auxiliaryIndex[index]];
}

void LoadedModule::resolveEntityConstants(const EntityStore &store) const {
  uint32_t serial = store.serial();
  if (serial == 0 ||
      resolvedStoreSerial.load(std::memory_order_relaxed) == serial)
    return;
  for (const EntityUidData *uid : entityConstants)
    store.resolve(*uid);
  resolvedStoreSerial.store(serial, std::memory_order_relaxed);
}

} // namespace rune
