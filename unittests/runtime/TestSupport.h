//===- TestSupport.h - Helpers shared by the runtime unit tests -*- C++ -*-===//

#ifndef RUNE_UNITTESTS_RUNTIME_TESTSUPPORT_H
#define RUNE_UNITTESTS_RUNTIME_TESTSUPPORT_H

#include "rune/Runtime/Authorizer.h"
#include "rune/Runtime/BytecodeReader.h"
#include "rune/Runtime/BytecodeWriter.h"
#include "rune/Runtime/EntityStore.h"
#include "rune/Runtime/EvalContext.h"
#include "rune/Runtime/JsonData.h"
#include "rune/Runtime/Module.h"
#include "rune/Runtime/Request.h"

#include <gtest/gtest.h>

#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rune::test {

using bc::Opcode;

inline std::vector<uint8_t> finishModule(bc::ModuleWriter &writer) {
  std::vector<uint8_t> bytes;
  std::string error;
  EXPECT_TRUE(writer.finish(bytes, error)) << error;
  return bytes;
}

/// A policy whose whole condition is `return <constant bool>`.
inline void addConstantPolicy(bc::ModuleWriter &writer, std::string_view id,
                              bc::Effect effect, bool value) {
  bc::PolicyCode &code = writer.addPolicy(id, effect, {});
  code.emit(Opcode::LoadConst, {0, writer.constantBool(value)});
  code.emit(Opcode::Return, {0});
}

/// Little-endian field access into module bytes, for tests that damage a
/// module on purpose.
inline uint32_t readU32(const std::vector<uint8_t> &bytes, size_t at) {
  uint32_t v;
  std::memcpy(&v, bytes.data() + at, 4);
  return v;
}
inline void writeU32(std::vector<uint8_t> &bytes, size_t at, uint32_t v) {
  std::memcpy(bytes.data() + at, &v, 4);
}
inline void writeU16(std::vector<uint8_t> &bytes, size_t at, uint16_t v) {
  std::memcpy(bytes.data() + at, &v, 2);
}

/// Offset of a section's contents in the file.
inline size_t sectionOffset(const std::vector<uint8_t> &bytes,
                            bc::SectionKind kind) {
  uint32_t count = readU32(bytes, 28);
  for (uint32_t i = 0; i < count; ++i) {
    size_t entry = bc::kHeaderSize + i * bc::kSectionEntrySize;
    if (readU32(bytes, entry) == static_cast<uint32_t>(kind))
      return readU32(bytes, entry + 4);
  }
  ADD_FAILURE() << "no such section";
  return 0;
}

/// File offset of the Nth policy entry (assumes entries without annotations
/// before it).
inline size_t policyEntryOffset(const std::vector<uint8_t> &bytes,
                                size_t index) {
  return sectionOffset(bytes, bc::SectionKind::Policies) + 4 + index * 20;
}

/// File offset of the first byte of policy `index`'s code.
inline size_t policyCodeOffset(const std::vector<uint8_t> &bytes,
                               size_t index) {
  return sectionOffset(bytes, bc::SectionKind::Code) +
         readU32(bytes, policyEntryOffset(bytes, index) + 8);
}

/// Recomputes the header checksum after a deliberate edit.
inline void fixChecksum(std::vector<uint8_t> &bytes) {
  writeU32(bytes, 24,
           bc::crc32(bytes.data() + bc::kHeaderSize,
                     bytes.size() - bc::kHeaderSize));
}

inline std::string readError(const std::vector<uint8_t> &bytes) {
  bc::Module module;
  std::string error;
  if (bc::readModule(bytes.data(), bytes.size(), module, error))
    return "";
  return error;
}

/// An engine with an entity store, a request and (optionally) a module, plus
/// an evaluation context over them for calling operations directly.
class Environment {
public:
  explicit Environment(std::string_view entitiesJson = "[]",
                       std::string_view contextJson = "",
                       std::string_view principal = "User::\"alice\"",
                       std::string_view action = "Action::\"view\"",
                       std::string_view resource = "Photo::\"a.jpg\"")
      : engine(std::make_shared<Engine>()),
        store(std::make_unique<EntityStore>(engine)),
        request(std::make_unique<Request>(engine)) {
    std::string error;
    EXPECT_TRUE(parseEntitiesJson(entitiesJson, "entities.json", *store, error))
        << error;
    EXPECT_TRUE(request->build(principal, action, resource, contextJson, error))
        << error;
    bc::ModuleWriter writer;
    useModule(finishModule(writer));
  }

  void useModule(const std::vector<uint8_t> &bytes) {
    std::string error;
    module = LoadedModule::load(engine, bytes.data(), bytes.size(), error);
    ASSERT_TRUE(module) << error;
    ctx.module = module.get();
    ctx.entities = store.get();
    ctx.request = request.get();
    ctx.arena = &scratch.arena;
    ctx.symbols = &engine->symbols();
  }

  Response authorize() {
    Response response;
    std::string error;
    EXPECT_TRUE(
        rune::authorize(*module, *store, *request, scratch, response, error))
        << error;
    return response;
  }

  // Value builders (in the scratch arena).
  Value str(std::string_view s) {
    return Value::string(scratch.arena.copyString(s));
  }
  Value lng(int64_t v) { return Value::integer(v); }
  Value boolean(bool v) { return Value::boolean(v); }
  Value entity(std::string_view type, std::string_view id) {
    return Value::entity(
        makeEntityUid(scratch.arena, engine->symbols().intern(type), id));
  }
  Value set(std::vector<Value> elements) {
    return makeSet(scratch.arena, elements.data(), elements.size());
  }
  Value record(std::vector<std::pair<std::string, Value>> fields) {
    std::vector<RecordField> converted;
    for (auto &[key, value] : fields)
      converted.push_back({engine->symbols().intern(key), 0, value});
    Value out;
    Symbol duplicate;
    EXPECT_TRUE(makeRecord(scratch.arena, converted.data(), converted.size(),
                           out, duplicate));
    return out;
  }
  Symbol sym(std::string_view name) { return engine->symbols().intern(name); }
  std::string show(const Value &v) { return formatValue(v, engine->symbols()); }

  /// Clears the error slot between operation calls.
  EvalContext &context() {
    ctx.failed = false;
    ctx.error.clear();
    return ctx;
  }

  std::shared_ptr<Engine> engine;
  std::unique_ptr<EntityStore> store;
  std::unique_ptr<Request> request;
  std::unique_ptr<LoadedModule> module;
  EvalScratch scratch;
  EvalContext ctx;
};

} // namespace rune::test

#endif // RUNE_UNITTESTS_RUNTIME_TESTSUPPORT_H
