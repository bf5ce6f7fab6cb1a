//===- BytecodeWriter.h - Building .rbc modules -----------------*- C++ -*-===//
//
// The compiler's bytecode backend builds modules with ModuleWriter. The
// writer lives in the runtime library, next to the reader, so the two always
// agree on the format (BytecodeFormat.h). finish() re-reads what it wrote
// with the runtime's reader and verifier, so a module it returns is one the
// runtime accepts; a writer told setVerifyOutput(false) skips that re-read
// (the compiler's release builds, where it was 8% of compiling 10,000 IPE
// policies: the runtime verifies every module in full before it runs it).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_BYTECODEWRITER_H
#define RUNE_RUNTIME_BYTECODEWRITER_H

#include "rune/Runtime/BytecodeFormat.h"
#include "rune/Runtime/SchemaInfo.h"

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace rune::bc {

struct Label {
  uint32_t id;
};

struct PatternElement {
  bool wildcard;
  std::string literal; // ignored for a wildcard
};

/// The instructions of one policy.
class PolicyCode {
public:
  /// Appends an instruction. Operands come in kOpcodeInfo order, as
  /// integers; a Jump operand is a Label id. A wrong operand count or an
  /// operand out of its kind's range is recorded (and the instruction
  /// dropped); ModuleWriter::finish then fails with that message.
  void emit(Opcode opcode, std::initializer_list<int64_t> operands);
  Label createLabel();
  /// Binds `label` to the current end of the code.
  void bindLabel(Label label);
  /// Declares the register count. Without it, finish() uses one more than
  /// the highest register the instructions name.
  void setRegisterCount(uint16_t count);

  /// Bytes emitted so far (the offset the next instruction will have).
  uint32_t size() const { return static_cast<uint32_t>(bytes.size()); }

private:
  friend class ModuleWriter;
  struct Fixup {
    size_t operandPosition;  // where the i32 goes
    uint32_t instructionEnd; // jumps are relative to the next instruction
    uint32_t label;
  };
  void recordError(std::string message);

  std::vector<uint8_t> bytes;
  std::vector<int64_t> labelOffsets; // -1 while unbound
  std::vector<Fixup> fixups;
  std::optional<uint16_t> declaredRegisterCount;
  uint32_t registersUsed = 0;
  std::vector<std::string> errors;
};

class ModuleWriter {
public:
  ModuleWriter();
  ~ModuleWriter();
  ModuleWriter(const ModuleWriter &) = delete;
  ModuleWriter &operator=(const ModuleWriter &) = delete;

  /// Returns the index of `s` in the string table, adding it once.
  uint32_t internString(std::string_view s);
  /// Constants are deduplicated: equal constants share one index.
  uint32_t constantBool(bool v);
  uint32_t constantLong(int64_t v);
  uint32_t constantString(std::string_view s);
  uint32_t constantEntity(std::string_view type, std::string_view id);
  uint32_t constantPattern(const std::vector<PatternElement> &elements);
  uint32_t constantNameList(const std::vector<std::string> &names);

  /// Adds a policy; its code is emitted through the returned object, which
  /// stays valid until the writer is destroyed.
  PolicyCode &addPolicy(
      std::string_view id, Effect effect,
      const std::vector<std::pair<std::string, std::string>> &annotations);

  /// Stores `schema` as the module's Schema section (the module is then
  /// written as version 1.1). Whether it is well formed is checked by
  /// finish(), which verifies everything it wrote.
  void setSchema(const SchemaInfo &schema);

  /// Stores the encoded IpeModule and IpeTriggerIndex sections of an IPE
  /// module (IpeFormat.h); finish() verifies them with the rest.
  void setIpeSections(std::vector<uint8_t> moduleSection,
                      std::vector<uint8_t> indexSection);
  /// Stores a Datalog program's DatalogRelations and DatalogCode sections
  /// (BytecodeFormat.h), encoded by the compiler's relational emitter;
  /// finish() verifies them with the rest of the module.
  void setDatalogSections(std::vector<uint8_t> relations,
                          std::vector<uint8_t> code) {
    datalogSections.emplace(std::move(relations), std::move(code));
  }

  /// Whether finish() re-reads the module it wrote with the runtime's
  /// reader and verifier (the default). Without it finish() still reports
  /// what it checks itself (emit errors, labels, registers, sizes).
  void setVerifyOutput(bool verify) { verifyOutput = verify; }

  /// Resolves labels, lays out header and sections and computes the
  /// checksum. Returns false and sets `error` when something is inconsistent
  /// (an emit error, an unbound label, too few registers, a module the
  /// verifier rejects, ...).
  bool finish(std::vector<uint8_t> &out, std::string &error);

private:
  uint32_t addConstant(std::vector<uint8_t> encoded);

  struct PolicyRecord {
    uint32_t id;
    Effect effect;
    std::vector<std::pair<uint32_t, uint32_t>> annotations;
    std::unique_ptr<PolicyCode> code;
  };

  /// Hashes std::string and std::string_view alike, so that lookups by
  /// string_view need no temporary std::string.
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>()(s);
    }
  };

  std::vector<std::string> strings;
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>>
      stringIndex;
  std::vector<std::vector<uint8_t>> constants;
  std::map<std::vector<uint8_t>, uint32_t> constantIndex;
  std::vector<PolicyRecord> policies;
  std::optional<std::vector<uint8_t>> schemaSection;
  std::optional<std::vector<uint8_t>> ipeModuleSection;
  std::optional<std::vector<uint8_t>> ipeIndexSection;
  std::optional<std::pair<std::vector<uint8_t>, std::vector<uint8_t>>>
      datalogSections;
  bool verifyOutput = true;
};

} // namespace rune::bc

#endif // RUNE_RUNTIME_BYTECODEWRITER_H
