//===- Module.h - A verified module loaded into an engine -------*- C++ -*-===//
//
// LoadedModule prepares a verified bc::Module for fast evaluation: every
// string is interned (attribute names, type names), constants become Values
// in the module's arena, `like` patterns are split into the pieces the
// matcher needs and record name lists are pre-sorted by symbol; a schema
// is indexed for reading data. A native module (rune_native.h) is the same
// plus one function per policy.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_MODULE_H
#define RUNE_RUNTIME_MODULE_H

#include "rune/Runtime/Arena.h"
#include "rune/Runtime/BytecodeReader.h"
#include "rune/Runtime/Engine.h"
#include "rune/Runtime/Schema.h"
#include "rune/Runtime/Value.h"
#include "rune/rune_native.h"

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rune {

/// A `like` pattern ready for matching: the literal text before the first
/// wildcard, after the last one, and the pieces in between.
struct CompiledPattern {
  bool hasWildcard = false;
  std::string_view exact; // the whole literal when there is no wildcard
  std::string_view prefix;
  std::string_view suffix;
  std::vector<std::string_view> middles; // non-empty pieces, in order
};

/// The keys of a record literal, sorted by symbol, each with the position of
/// its value in the make_record register range.
struct RecordShape {
  struct Field {
    Symbol key;
    uint32_t position;
  };
  std::vector<Field> fields;
};

class EntityStore;

class LoadedModule {
public:
  /// Reads, verifies and prepares `size` bytes of bytecode.
  static std::unique_ptr<LoadedModule> load(std::shared_ptr<Engine> engine,
                                            const uint8_t *data, size_t size,
                                            std::string &error);
  /// Verifies the native module's embedded bytecode and binds its policy
  /// functions.
  static std::unique_ptr<LoadedModule>
  loadNative(std::shared_ptr<Engine> engine, const rune_native_module *native,
             std::string &error);

  const bc::Module &bytecode() const { return image; }
  /// Unique among the modules of the process, never 0: a module freed and
  /// another loaded at its address have different serials, so state kept
  /// for a module (EvalContext) is keyed by serial, not by address.
  uint64_t serial() const { return moduleSerial; }
  Engine &engine() const { return *enginePtr; }
  const std::shared_ptr<Engine> &sharedEngine() const { return enginePtr; }

  size_t policyCount() const { return image.policies.size(); }
  std::string_view policyId(size_t index) const {
    return image.policyId(index);
  }
  /// The largest register count of any policy (sizes the register file).
  uint16_t maxRegisterCount() const { return maxRegisters; }

  /// Values of the constants LoadConst may load.
  const Value &constant(uint32_t index) const { return constants[index]; }
  /// All of them, indexed like `constant` (rune_eval_frame::constants).
  const Value *constantData() const { return constants.data(); }
  Symbol stringSymbol(uint32_t index) const { return symbols[index]; }
  /// All of them, indexed like `stringSymbol` (rune_eval_frame::symbols).
  const Symbol *stringSymbolData() const { return symbols.data(); }
  /// nullptr unless constant `index` is a Pattern.
  const CompiledPattern *pattern(uint32_t index) const;
  /// nullptr unless constant `index` is a NameList.
  const RecordShape *recordShape(uint32_t index) const;

  /// The policy functions of a native module, nullptr for bytecode.
  const rune_policy_fn *nativeFunctions() const { return nativeFns; }
  /// True for a native module (ABI 3) with a Datalog program: its strata
  /// are datalogFunctions(), which should hold one function per top-level
  /// statement of the program (checked by RuneDecider).
  bool hasNativeDatalog() const { return nativeDatalogProgram; }
  const rune_dl_stratum_fn *datalogFunctions() const { return datalogFns; }
  uint32_t datalogFunctionCount() const { return datalogFnCount; }

  /// The module's schema (its Schema section), or nullptr.
  const std::shared_ptr<const Schema> &schema() const { return schemaIndex; }

  /// Looks every entity constant up in `store` unless the last call did so
  /// for the same store, so that comparing a constant with a request uid
  /// can answer from the uids' cached nodes (EntityStore::sameNode). Only
  /// ever saves time: a constant whose cache another store overwrote since
  /// is compared the slow way.
  void resolveEntityConstants(const EntityStore &store) const;
  /// Whether the last resolveEntityConstants was for the store with this
  /// serial (inline: asked on every decision).
  bool entityConstantsResolvedIn(uint32_t storeSerial) const {
    return resolvedStoreSerial.load(std::memory_order_relaxed) == storeSerial;
  }

private:
  explicit LoadedModule(std::shared_ptr<Engine> engine);
  /// Interns strings and materializes constants; cannot fail on a
  /// verified module.
  void prepare();

  std::shared_ptr<Engine> enginePtr;
  uint64_t moduleSerial;
  bc::Module image;
  Arena storage;
  std::vector<Symbol> symbols;
  std::vector<Value> constants;
  std::vector<int32_t> auxiliaryIndex; // into patterns or shapes, or -1
  std::vector<CompiledPattern> patterns;
  std::vector<RecordShape> shapes;
  uint16_t maxRegisters = 0;
  const rune_policy_fn *nativeFns = nullptr;
  const rune_dl_stratum_fn *datalogFns = nullptr;
  uint32_t datalogFnCount = 0;
  bool nativeDatalogProgram = false;
  std::shared_ptr<const Schema> schemaIndex;
  std::vector<const EntityUidData *> entityConstants;
  /// The serial of the store resolveEntityConstants last ran for.
  mutable std::atomic<uint32_t> resolvedStoreSerial{0};
};

} // namespace rune

#endif // RUNE_RUNTIME_MODULE_H
