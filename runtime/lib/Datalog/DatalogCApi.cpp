//===- DatalogCApi.cpp - The C API of Datalog programs (rune.h) -----------===//

#include "rune/rune.h"
#include "rune/rune_native.h"

#include "rune/Runtime/BytecodeReader.h"
#include "rune/Runtime/Datalog/FactsIO.h"
#include "rune/Runtime/Datalog/Program.h"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <new>
#include <string>
#include <vector>

struct rune_datalog {
  std::unique_ptr<rune::datalog::Program> program;
  std::vector<std::string> names;
};

namespace {

char *copyString(const std::string &text) {
  char *copy = static_cast<char *>(std::malloc(text.size() + 1));
  if (copy)
    std::memcpy(copy, text.c_str(), text.size() + 1);
  return copy;
}

rune_status fail(char **error, rune_status status, const std::string &message) {
  if (error)
    *error = copyString(message);
  return status;
}

/// Runs `body`, turning exceptions (allocation failures) into errors: none
/// may cross the C boundary.
template <typename Body> rune_status guarded(char **error, Body body) {
  try {
    return body();
  } catch (const std::bad_alloc &) {
    return fail(error, RUNE_ERROR_INVALID_INPUT, "out of memory");
  } catch (const std::exception &e) {
    return fail(error, RUNE_ERROR_INVALID_INPUT, e.what());
  } catch (...) {
    return fail(error, RUNE_ERROR_INVALID_INPUT, "internal error");
  }
}

rune_status findRelation(const rune_datalog *program, const char *relation,
                         unsigned &slot, char **error) {
  if (!program || !relation)
    return fail(error, RUNE_ERROR_INVALID_INPUT, "null argument");
  std::optional<unsigned> found = program->program->findRelation(relation);
  if (!found)
    return fail(error, RUNE_ERROR_INVALID_INPUT,
                std::string("no relation '") + relation + "'");
  slot = *found;
  return RUNE_OK;
}

} // namespace

extern "C" {

namespace {

/// Loads the program of `bytes`, natively when `native` is given.
rune_status loadProgram(const uint8_t *data, size_t size,
                        const rune_native_module *native, rune_datalog **out,
                        char **error) {
  rune::bc::Module module;
  std::string message;
  if (!rune::bc::readModule(data, size, module, message))
    return fail(error, RUNE_ERROR_INVALID_INPUT,
                native ? "native module: " + message : message);
  std::unique_ptr<rune::datalog::Program> program =
      native ? rune::datalog::Program::loadNative(
                   module, native->datalog_stratum_fns,
                   native->datalog_stratum_count, message)
             : rune::datalog::Program::load(module, message);
  if (!program)
    return fail(error, RUNE_ERROR_INVALID_INPUT, message);
  auto handle = std::make_unique<rune_datalog>();
  for (unsigned i = 0; i < program->relationCount(); ++i)
    handle->names.emplace_back(program->relationName(i));
  handle->program = std::move(program);
  *out = handle.release();
  return RUNE_OK;
}

} // namespace

rune_status rune_datalog_load(const uint8_t *data, size_t size,
                              rune_datalog **out, char **error) {
  return guarded(error, [&] {
    if (!out || (!data && size))
      return fail(error, RUNE_ERROR_INVALID_INPUT,
                  "rune_datalog_load: null argument");
    *out = nullptr;
    return loadProgram(data, size, nullptr, out, error);
  });
}

rune_status rune_datalog_load_native(const rune_native_module *native,
                                     rune_datalog **out, char **error) {
  return guarded(error, [&] {
    if (!native || !out)
      return fail(error, RUNE_ERROR_INVALID_INPUT,
                  "rune_datalog_load_native: null argument");
    *out = nullptr;
    // Version 2 descriptors end before the Datalog fields: they cannot
    // carry a native program.
    if (native->abi_version != RUNE_NATIVE_ABI_VERSION)
      return fail(error, RUNE_ERROR_INVALID_INPUT,
                  "native module: ABI version " +
                      std::to_string(native->abi_version) +
                      " (native Datalog needs version " +
                      std::to_string(RUNE_NATIVE_ABI_VERSION) + ")");
    if (!native->bytecode || native->bytecode_size > rune::bc::kMaxFileSize)
      return fail(error, RUNE_ERROR_INVALID_INPUT,
                  "native module: missing or oversized embedded bytecode");
    return loadProgram(native->bytecode, size_t(native->bytecode_size), native,
                       out, error);
  });
}

rune_status rune_datalog_load_file(const char *path, rune_datalog **out,
                                   char **error) {
  return guarded(error, [&] {
    if (!path || !out)
      return fail(error, RUNE_ERROR_INVALID_INPUT,
                  "rune_datalog_load_file: null argument");
    std::ifstream in(path, std::ios::binary);
    if (!in)
      return fail(error, RUNE_ERROR_IO,
                  std::string(path) + ": cannot open file");
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
    return rune_datalog_load(bytes.data(), bytes.size(), out, error);
  });
}

void rune_datalog_free(rune_datalog *program) { delete program; }

rune_status rune_datalog_load_facts(rune_datalog *program,
                                    const char *facts_dir, char **error) {
  return guarded(error, [&] {
    if (!program || !facts_dir)
      return fail(error, RUNE_ERROR_INVALID_INPUT,
                  "rune_datalog_load_facts: null argument");
    std::string message;
    if (!program->program->loadInputs(facts_dir, message))
      return fail(error, RUNE_ERROR_INVALID_INPUT, message);
    return RUNE_OK;
  });
}

rune_status rune_datalog_insert(rune_datalog *program, const char *relation,
                                const char *const *columns, size_t count,
                                char **error) {
  return guarded(error, [&] {
    unsigned slot;
    if (rune_status status = findRelation(program, relation, slot, error))
      return status;
    const auto &types = program->program->columnTypes(slot);
    if (count != types.size() || (count && !columns))
      return fail(error, RUNE_ERROR_INVALID_INPUT,
                  std::string("relation '") + relation + "' has arity " +
                      std::to_string(types.size()));
    std::vector<rune::datalog::Word> tuple;
    for (size_t i = 0; i < count; ++i) {
      std::string message;
      std::optional<rune::datalog::Word> word =
          rune::datalog::parseFactValue(types[i], columns[i] ? columns[i] : "",
                                        program->program->symbols(), message);
      if (!word)
        return fail(error, RUNE_ERROR_INVALID_INPUT,
                    "column " + std::to_string(i + 1) + ": " + message);
      tuple.push_back(*word);
    }
    program->program->insert(slot, tuple.data());
    return RUNE_OK;
  });
}

rune_status rune_datalog_run(rune_datalog *program, char **error) {
  return guarded(error, [&] {
    if (!program)
      return fail(error, RUNE_ERROR_INVALID_INPUT,
                  "rune_datalog_run: null argument");
    program->program->run();
    return RUNE_OK;
  });
}

rune_status rune_datalog_write_outputs(rune_datalog *program,
                                       const char *out_dir, char **error) {
  return guarded(error, [&] {
    if (!program || !out_dir)
      return fail(error, RUNE_ERROR_INVALID_INPUT,
                  "rune_datalog_write_outputs: null argument");
    std::string message;
    if (!program->program->writeOutputs(out_dir, std::cout, message))
      return fail(error, RUNE_ERROR_IO, message);
    std::cout.flush();
    return RUNE_OK;
  });
}

size_t rune_datalog_relation_count(const rune_datalog *program) {
  return program ? program->names.size() : 0;
}

const char *rune_datalog_relation_name(const rune_datalog *program,
                                       size_t index) {
  if (!program || index >= program->names.size())
    return nullptr;
  return program->names[index].c_str();
}

rune_status rune_datalog_relation_size(const rune_datalog *program,
                                       const char *relation, size_t *out,
                                       char **error) {
  return guarded(error, [&] {
    unsigned slot;
    if (!out)
      return fail(error, RUNE_ERROR_INVALID_INPUT, "null argument");
    if (rune_status status = findRelation(program, relation, slot, error))
      return status;
    *out = program->program->relation(slot).size();
    return RUNE_OK;
  });
}

rune_status rune_datalog_relation_text(const rune_datalog *program,
                                       const char *relation, char **out,
                                       char **error) {
  return guarded(error, [&] {
    unsigned slot;
    if (!out)
      return fail(error, RUNE_ERROR_INVALID_INPUT, "null argument");
    if (rune_status status = findRelation(program, relation, slot, error))
      return status;
    auto &loaded = *program->program;
    std::string text =
        rune::datalog::formatFacts(loaded.relation(slot), loaded.symbols());
    *out = copyString(text);
    if (!*out)
      return fail(error, RUNE_ERROR_INVALID_INPUT, "out of memory");
    return RUNE_OK;
  });
}

} // extern "C"
