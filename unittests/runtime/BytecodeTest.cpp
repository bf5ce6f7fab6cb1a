//===- BytecodeTest.cpp - Writer, reader, verifier, disassembler ----------===//

#include "TestSupport.h"

#include "rune/Runtime/Disassembler.h"

namespace rune::test {
namespace {

using bc::ConstantKind;
using bc::Effect;
using bc::ExtFn;
using bc::Var;

/// A module exercising every constant kind, annotations and jumps.
std::vector<uint8_t> sampleModule() {
  bc::ModuleWriter w;
  bc::PolicyCode &p0 =
      w.addPolicy("policy0", Effect::Permit, {{"id", "policy0"}});
  p0.emit(Opcode::LoadVar, {0, static_cast<int64_t>(Var::Principal)});
  p0.emit(Opcode::GetAttr, {1, 0, w.internString("dept")});
  p0.emit(Opcode::LoadConst, {2, w.constantString("eng")});
  p0.emit(Opcode::Eq, {1, 1, 2});
  bc::Label end = p0.createLabel();
  p0.emit(Opcode::JumpIfFalse, {1, end.id});
  p0.emit(Opcode::LoadConst, {2, w.constantEntity("Group", "staff")});
  p0.emit(Opcode::In, {1, 0, 2});
  p0.bindLabel(end);
  p0.emit(Opcode::Return, {1});

  bc::PolicyCode &p1 = w.addPolicy("deny-bad", Effect::Forbid, {});
  p1.emit(Opcode::LoadVar, {0, static_cast<int64_t>(Var::Context)});
  p1.emit(Opcode::GetAttr, {0, 0, w.internString("name")});
  p1.emit(
      Opcode::Like,
      {0, 0, w.constantPattern({{false, "a*"}, {true, ""}, {false, "\"z"}})});
  p1.emit(Opcode::LoadConst, {1, w.constantLong(-3)});
  p1.emit(Opcode::LoadConst, {2, w.constantBool(true)});
  p1.emit(Opcode::MakeRecord, {3, w.constantNameList({"x", "y"}), 1, 2});
  p1.emit(Opcode::CallExt, {1, static_cast<int64_t>(ExtFn::Ip), 1, 1});
  p1.emit(Opcode::Return, {0});
  return finishModule(w);
}

TEST(BytecodeWriterTest, RoundTrip) {
  std::vector<uint8_t> bytes = sampleModule();
  bc::Module module;
  std::string error;
  ASSERT_TRUE(bc::readModule(bytes.data(), bytes.size(), module, error))
      << error;
  EXPECT_EQ(module.versionMajor, bc::kVersionMajor);
  EXPECT_EQ(module.fileSize, bytes.size());
  ASSERT_EQ(module.policies.size(), 2u);
  EXPECT_EQ(module.policyId(0), "policy0");
  EXPECT_EQ(module.policies[0].effect, Effect::Permit);
  EXPECT_EQ(module.policies[0].registerCount, 3);
  ASSERT_EQ(module.policies[0].annotations.size(), 1u);
  EXPECT_EQ(module.strings[module.policies[0].annotations[0].first], "id");
  EXPECT_EQ(module.policyId(1), "deny-bad");
  EXPECT_EQ(module.policies[1].effect, Effect::Forbid);
  EXPECT_EQ(module.policies[1].registerCount, 4);
  // Constants of every kind decode.
  std::vector<ConstantKind> kinds;
  for (const bc::ConstantEntry &c : module.constants)
    kinds.push_back(c.kind);
  EXPECT_EQ(kinds, (std::vector<ConstantKind>{
                       ConstantKind::String, ConstantKind::Entity,
                       ConstantKind::Pattern, ConstantKind::Long,
                       ConstantKind::Bool, ConstantKind::NameList}));
  EXPECT_EQ(module.constants[3].longValue, -3);
  EXPECT_EQ(module.constants[2].elementCount, 3u);
  EXPECT_TRUE(
      module.patternElements[module.constants[2].firstElement + 1].wildcard);
}

TEST(BytecodeWriterTest, DeduplicatesStringsAndConstants) {
  bc::ModuleWriter w;
  EXPECT_EQ(w.internString("a"), w.internString("a"));
  EXPECT_NE(w.internString("a"), w.internString("b"));
  EXPECT_EQ(w.constantLong(5), w.constantLong(5));
  EXPECT_NE(w.constantLong(5), w.constantLong(6));
  EXPECT_EQ(w.constantString("a"), w.constantString("a"));
  EXPECT_NE(w.constantString("5"), w.constantLong(5));
  EXPECT_EQ(w.constantEntity("T", "x"), w.constantEntity("T", "x"));
  EXPECT_NE(w.constantEntity("T", "x"), w.constantEntity("U", "x"));
  EXPECT_EQ(w.constantBool(true), w.constantBool(true));
  EXPECT_EQ(w.constantNameList({"a", "b"}), w.constantNameList({"a", "b"}));
  EXPECT_NE(w.constantNameList({"a", "b"}), w.constantNameList({"b", "a"}));
}

TEST(BytecodeFormatTest, ChecksumIsZlibCrc32) {
  const char *check = "123456789";
  EXPECT_EQ(bc::crc32(reinterpret_cast<const uint8_t *>(check), 9),
            0xCBF43926u);
  EXPECT_EQ(bc::crc32(nullptr, 0), 0u);
}

// The table-driven crc32 takes 8 bytes per step and the rest one at a time:
// every length and alignment must give what the bit-by-bit definition gives.
TEST(BytecodeFormatTest, ChecksumMatchesBitwiseDefinition) {
  auto bitwise = [](const uint8_t *data, size_t size) {
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < size; ++i) {
      crc ^= data[i];
      for (int bit = 0; bit < 8; ++bit)
        crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return crc ^ 0xFFFFFFFFu;
  };
  std::vector<uint8_t> bytes(300);
  uint32_t state = 12345;
  for (uint8_t &b : bytes) {
    state = state * 1103515245u + 12345u;
    b = uint8_t(state >> 16);
  }
  for (size_t start = 0; start < 9; ++start)
    for (size_t size = 0; start + size <= bytes.size(); size += 7)
      EXPECT_EQ(bc::crc32(bytes.data() + start, size),
                bitwise(bytes.data() + start, size))
          << "start " << start << ", size " << size;
}

TEST(BytecodeWriterTest, OutputIsDeterministic) {
  EXPECT_EQ(sampleModule(), sampleModule());
}

std::string finishError(bc::ModuleWriter &w) {
  std::vector<uint8_t> out;
  std::string error;
  EXPECT_FALSE(w.finish(out, error));
  EXPECT_TRUE(out.empty());
  return error;
}

TEST(BytecodeWriterTest, ReportsInconsistencies) {
  {
    bc::ModuleWriter w;
    w.addPolicy("p", Effect::Permit, {}).emit(Opcode::Return, {0, 1});
    EXPECT_EQ(finishError(w),
              "policy `p`: emit return: expected 1 operands, got 2");
  }
  {
    bc::ModuleWriter w;
    w.addPolicy("p", Effect::Permit, {}).emit(Opcode::Return, {70000});
    EXPECT_EQ(finishError(w), "policy `p`: emit return: operand 0 (70000) "
                              "out of range [0, 65535]");
  }
  {
    bc::ModuleWriter w;
    w.addPolicy("p", Effect::Permit, {}).emit(Opcode::LoadVar, {0, 4});
    EXPECT_EQ(finishError(w), "policy `p`: emit load_var: operand 1 (4) out "
                              "of range [0, 3]");
  }
  {
    bc::ModuleWriter w;
    bc::PolicyCode &p = w.addPolicy("p", Effect::Permit, {});
    bc::Label label = p.createLabel();
    p.emit(Opcode::Jump, {label.id});
    EXPECT_EQ(finishError(w), "policy `p`: label 0 is used but never bound");
  }
  {
    bc::ModuleWriter w;
    bc::PolicyCode &p = w.addPolicy("p", Effect::Permit, {});
    p.emit(Opcode::Jump, {3});
    EXPECT_EQ(finishError(w), "policy `p`: emit jump: unknown label 3");
  }
  {
    bc::ModuleWriter w;
    bc::PolicyCode &p = w.addPolicy("p", Effect::Permit, {});
    bc::Label label = p.createLabel();
    p.bindLabel(label);
    p.bindLabel(label);
    EXPECT_EQ(finishError(w), "policy `p`: bindLabel: label 0 bound twice");
  }
  {
    bc::ModuleWriter w;
    bc::PolicyCode &p = w.addPolicy("p", Effect::Permit, {});
    p.emit(Opcode::MakeSet, {0, 1, 4});
    p.emit(Opcode::Return, {0});
    p.setRegisterCount(3);
    EXPECT_EQ(finishError(w), "policy `p`: register count 3 but the "
                              "instructions use 5 registers");
  }
  {
    // Errors the writer cannot see locally are caught by verifying the
    // result.
    bc::ModuleWriter w;
    bc::PolicyCode &p = w.addPolicy("p", Effect::Permit, {});
    p.emit(Opcode::LoadConst, {0, w.constantBool(true)});
    EXPECT_EQ(finishError(w),
              "the written module does not verify: bytecode: policy 0: code "
              "falls off the end (last instruction `load_const` at offset 0 "
              "is neither return nor jump)");
  }
  {
    bc::ModuleWriter w;
    bc::PolicyCode &p = w.addPolicy("p", Effect::Permit, {});
    p.emit(Opcode::LoadConst, {0, 7});
    p.emit(Opcode::Return, {0});
    EXPECT_EQ(finishError(w),
              "the written module does not verify: bytecode: policy 0 "
              "instruction at offset 0: constant 7 out of range (module has "
              "0 constants)");
  }
}

TEST(BytecodeWriterTest, VerifyOutputCanBeLeftToTheReader) {
  // A module the verifier rejects (the code falls off the end), which the
  // writer cannot see locally.
  auto build = [](bc::ModuleWriter &w) {
    bc::PolicyCode &p = w.addPolicy("p", Effect::Permit, {});
    p.emit(Opcode::LoadConst, {0, w.constantBool(true)});
  };
  std::vector<uint8_t> verified, unverified;
  std::string error;
  {
    bc::ModuleWriter w;
    build(w);
    EXPECT_FALSE(w.finish(verified, error));
    EXPECT_TRUE(verified.empty());
  }
  {
    bc::ModuleWriter w;
    w.setVerifyOutput(false);
    build(w);
    error.clear();
    ASSERT_TRUE(w.finish(unverified, error)) << error;
    EXPECT_FALSE(unverified.empty());
  }
  // Whoever runs the module verifies it first and rejects it.
  bc::Module module;
  EXPECT_FALSE(
      bc::readModule(unverified.data(), unverified.size(), module, error));
  EXPECT_NE(error.find("code falls off the end"), std::string::npos) << error;

  // What the writer checks itself is still reported without the re-read.
  bc::ModuleWriter w;
  w.setVerifyOutput(false);
  bc::PolicyCode &p = w.addPolicy("p", Effect::Permit, {});
  p.emit(Opcode::Jump, {p.createLabel().id});
  p.emit(Opcode::Return, {0});
  std::vector<uint8_t> out;
  EXPECT_FALSE(w.finish(out, error));
  EXPECT_EQ(error, "policy `p`: label 0 is used but never bound");
}

TEST(BytecodeWriterTest, ExplicitRegisterCountAndJumpToEnd) {
  bc::ModuleWriter w;
  bc::PolicyCode &p = w.addPolicy("p", Effect::Permit, {});
  p.setRegisterCount(10);
  bc::Label end = p.createLabel();
  p.emit(Opcode::LoadConst, {0, w.constantBool(false)});
  p.emit(Opcode::JumpIfFalse, {0, end.id});
  p.emit(Opcode::Jump, {end.id});
  p.bindLabel(end);
  std::vector<uint8_t> bytes = finishModule(w);
  bc::Module module;
  std::string error;
  ASSERT_TRUE(bc::readModule(bytes.data(), bytes.size(), module, error))
      << error;
  EXPECT_EQ(module.policies[0].registerCount, 10);
}

// --- Verifier rejections
// -------------------------------------------------------

class VerifierTest : public ::testing::Test {
protected:
  /// One policy: load_var r0, principal; get_attr r1, r0, "a"; return r1.
  std::vector<uint8_t> simple() {
    bc::ModuleWriter w;
    bc::PolicyCode &p = w.addPolicy("p0", Effect::Permit, {});
    p.emit(Opcode::LoadVar, {0, 0});
    p.emit(Opcode::GetAttr, {1, 0, w.internString("a")});
    p.emit(Opcode::Return, {1});
    return finishModule(w);
  }
  std::string rejectAfter(std::vector<uint8_t> bytes) {
    fixChecksum(bytes);
    std::string error = readError(bytes);
    EXPECT_FALSE(error.empty()) << "module was accepted";
    return error;
  }
};

TEST_F(VerifierTest, Header) {
  std::vector<uint8_t> bytes = simple();
  EXPECT_EQ(readError(std::vector<uint8_t>(bytes.begin(), bytes.begin() + 20)),
            "bytecode: truncated header (need 32 bytes, file has 20)");
  std::vector<uint8_t> bad = bytes;
  bad[1] = 'X';
  EXPECT_EQ(readError(bad), "bytecode: bad magic number (not a rune bytecode "
                            "file)");
  bad = bytes;
  writeU16(bad, 8, 2);
  EXPECT_EQ(readError(bad), "bytecode: unsupported version 2.0 (this runtime "
                            "reads version 1.1)");
  bad = bytes;
  writeU16(bad, 10, 2);
  EXPECT_EQ(readError(bad), "bytecode: unsupported version 1.2 (this runtime "
                            "reads version 1.1)");
  bad = bytes;
  writeU16(bad, 10, 1); // 1.1 without a schema is still a valid module
  EXPECT_EQ(readError(bad), "");
  bad = bytes;
  writeU32(bad, 12, 4);
  EXPECT_EQ(readError(bad), "bytecode: unsupported flags 0x00000004 (must be "
                            "0)");
  bad = bytes;
  bad.push_back(0);
  EXPECT_EQ(readError(bad), "bytecode: file size mismatch (header says " +
                                std::to_string(bytes.size()) +
                                " bytes, file has " +
                                std::to_string(bytes.size() + 1) + ")");
  bad = bytes;
  writeU32(bad, 28, 1000);
  EXPECT_EQ(readError(bad), "bytecode: truncated section table (need 12032 "
                            "bytes, file has " +
                                std::to_string(bytes.size()) + ")");
  bad = bytes;
  bad.back() ^= 1;
  EXPECT_EQ(readError(bad).substr(0, 28), "bytecode: checksum mismatch ");
}

TEST_F(VerifierTest, SectionTable) {
  std::vector<uint8_t> bytes = simple();
  size_t table = bc::kHeaderSize;
  std::vector<uint8_t> bad = bytes;
  writeU32(bad, table, 10); // 8 and 9 are the Datalog sections
  EXPECT_EQ(rejectAfter(bad), "bytecode: section 0 has unknown kind 10");
  bad = bytes;
  writeU32(bad, table + 12, 1); // second entry also Strings
  EXPECT_EQ(rejectAfter(bad), "bytecode: duplicate Strings section");
  bad = bytes;
  writeU32(bad, table + 8, 100000);
  EXPECT_NE(rejectAfter(bad).find("Strings section (offset 80, size 100000) "
                                  "extends past the end of the file"),
            std::string::npos);
  bad = bytes;
  writeU32(bad, table + 4, 40);
  EXPECT_EQ(rejectAfter(bad), "bytecode: Strings section (offset 40) overlaps "
                              "the header or the section table (which end at "
                              "80)");
  bad = bytes;
  writeU32(bad, table + 12 + 4, readU32(bytes, table + 4)); // Constants@Strings
  EXPECT_EQ(rejectAfter(bad), "bytecode: Strings and Constants sections "
                              "overlap");
  bad = bytes;
  writeU32(bad, 28, 3); // drop the Code section
  EXPECT_EQ(rejectAfter(bad), "bytecode: missing Code section");
}

TEST_F(VerifierTest, Tables) {
  std::vector<uint8_t> bytes = simple();
  size_t strings = sectionOffset(bytes, bc::SectionKind::Strings);
  std::vector<uint8_t> bad = bytes;
  writeU32(bad, strings + 4, 1000); // first string's length
  EXPECT_EQ(rejectAfter(bad), "bytecode: Strings section truncated (string 0)");
  bad = bytes;
  bad[strings + 8] = 0xFF; // first byte of "p0"
  EXPECT_EQ(rejectAfter(bad), "bytecode: string 0 is not valid UTF-8");
  bad = bytes;
  writeU32(bad, strings, 0xFFFFFFFF);
  EXPECT_NE(rejectAfter(bad).find("Strings section truncated (count "
                                  "4294967295"),
            std::string::npos);

  size_t entry = policyEntryOffset(bytes, 0);
  bad = bytes;
  writeU32(bad, entry, 77);
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0: id string index 77 out of "
                              "range (module has 2 strings)");
  bad = bytes;
  bad[entry + 4] = 2;
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0: invalid effect 2");
  bad = bytes;
  bad[entry + 5] = 1;
  EXPECT_EQ(rejectAfter(bad),
            "bytecode: policy 0: reserved byte is 1 (must be 0)");
  bad = bytes;
  writeU32(bad, entry + 12, 1000);
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0: code range [0, 1000) "
                              "outside the Code section (16 bytes)");
  bad = bytes;
  writeU32(bad, entry + 12, 0);
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0: empty code");
}

TEST_F(VerifierTest, ConstantKindsAndIndices) {
  auto moduleWith = [](auto build) {
    bc::ModuleWriter w;
    bc::PolicyCode &p = w.addPolicy("p", Effect::Permit, {});
    build(w, p);
    return finishModule(w);
  };
  // Patch the constant operand of the first instruction to another constant.
  std::vector<uint8_t> bytes =
      moduleWith([](bc::ModuleWriter &w, bc::PolicyCode &p) {
        p.emit(Opcode::LoadConst, {0, w.constantBool(true)});
        w.constantPattern({{true, ""}});
        w.constantNameList({"a"});
        p.emit(Opcode::Return, {0});
      });
  size_t code = policyCodeOffset(bytes, 0);
  std::vector<uint8_t> bad = bytes;
  writeU32(bad, code + 3, 1);
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0 instruction at offset 0: "
                              "load_const cannot load constant 1 (a pattern)");
  writeU32(bad, code + 3, 2);
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0 instruction at offset 0: "
                              "load_const cannot load constant 2 (a name "
                              "list)");

  bytes = moduleWith([](bc::ModuleWriter &w, bc::PolicyCode &p) {
    p.emit(Opcode::LoadConst, {0, w.constantString("s")});
    p.emit(Opcode::Like, {0, 0, w.constantPattern({{true, ""}})});
    p.emit(Opcode::Return, {0});
  });
  bad = bytes;
  writeU32(bad, policyCodeOffset(bytes, 0) + 7 + 5, 0);
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0 instruction at offset 7: "
                              "like needs a pattern constant (constant 0 is a "
                              "string)");

  bytes = moduleWith([](bc::ModuleWriter &w, bc::PolicyCode &p) {
    p.emit(Opcode::LoadConst, {0, w.constantLong(1)});
    p.emit(Opcode::LoadConst, {1, w.constantLong(2)});
    p.emit(Opcode::MakeRecord, {2, w.constantNameList({"a", "b"}), 0, 2});
    p.emit(Opcode::LoadConst, {2, w.constantBool(true)});
    p.emit(Opcode::Return, {2});
  });
  size_t makeRecord = policyCodeOffset(bytes, 0) + 14;
  bad = bytes;
  writeU16(bad, makeRecord + 9, 1); // count 1 vs 2 names
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0 instruction at offset 14: "
                              "make_record: name list has 2 names but 1 "
                              "values");
  bad = bytes;
  writeU32(bad, makeRecord + 3, 0);
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0 instruction at offset 14: "
                              "make_record needs a name-list constant "
                              "(constant 0 is a long)");

  bytes = moduleWith([](bc::ModuleWriter &w, bc::PolicyCode &p) {
    p.emit(Opcode::LoadConst, {0, w.constantString("1.0")});
    p.emit(Opcode::CallExt, {1, static_cast<int64_t>(ExtFn::Decimal), 0, 1});
    p.emit(Opcode::LoadConst, {1, w.constantBool(true)});
    p.emit(Opcode::Return, {1});
  });
  size_t callExt = policyCodeOffset(bytes, 0) + 7;
  bad = bytes;
  bad[callExt + 3] = static_cast<uint8_t>(ExtFn::IsInRange);
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0 instruction at offset 7: "
                              "call_ext isInRange takes 2 arguments, got 1");
  bad[callExt + 3] = 22;
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0 instruction at offset 7: "
                              "invalid extension function 22");
}

TEST_F(VerifierTest, ConstantTableContents) {
  bc::ModuleWriter w;
  bc::PolicyCode &p = w.addPolicy("p", Effect::Permit, {});
  p.emit(Opcode::LoadConst, {0, w.constantBool(true)});
  p.emit(Opcode::Return, {0});
  w.constantEntity("Type", "id");
  w.constantNameList({"a", "b"});
  w.constantPattern({{false, "x"}, {true, ""}});
  std::vector<uint8_t> bytes = finishModule(w);
  size_t constants = sectionOffset(bytes, bc::SectionKind::Constants);
  // Layout: count | bool(2) | entity(9) | names(13) | pattern(15).
  size_t boolAt = constants + 4, entityAt = boolAt + 2, namesAt = entityAt + 9,
         patternAt = namesAt + 13;
  std::vector<uint8_t> bad = bytes;
  bad[boolAt + 1] = 2;
  EXPECT_EQ(rejectAfter(bad), "bytecode: constant 0: bool value 2 is not 0 "
                              "or 1");
  bad = bytes;
  bad[boolAt] = 9;
  EXPECT_EQ(rejectAfter(bad), "bytecode: constant 0 has unknown kind 9");
  bad = bytes;
  writeU32(bad, entityAt + 5, 99);
  EXPECT_EQ(rejectAfter(bad), "bytecode: constant 1: string index 99 out of "
                              "range (module has 6 strings)");
  bad = bytes;
  writeU32(bad, entityAt + 1, 0); // type "p": a valid type name
  fixChecksum(bad);
  EXPECT_EQ(readError(bad), "");
  bad = bytes;
  writeU32(bad, namesAt + 9, readU32(bytes, namesAt + 5)); // ["a", "a"]
  EXPECT_EQ(rejectAfter(bad), "bytecode: constant 2: duplicate name \"a\" in "
                              "name list");
  bad = bytes;
  writeU32(bad, patternAt + 11, 1); // wildcard with a string index
  EXPECT_EQ(rejectAfter(bad), "bytecode: constant 3: pattern element 1 is a "
                              "wildcard with string index 1 (must be 0)");
  bad = bytes;
  bad[patternAt + 10] = 7;
  EXPECT_EQ(rejectAfter(bad), "bytecode: constant 3: pattern element 1 has "
                              "unknown kind 7");
}

TEST_F(VerifierTest, InvalidEntityTypeName) {
  bc::ModuleWriter w;
  bc::PolicyCode &p = w.addPolicy("p", Effect::Permit, {});
  p.emit(Opcode::LoadConst, {0, w.constantEntity("not a type", "x")});
  p.emit(Opcode::Return, {0});
  std::vector<uint8_t> out;
  std::string error;
  EXPECT_FALSE(w.finish(out, error));
  EXPECT_EQ(error, "the written module does not verify: bytecode: constant "
                   "0: invalid entity type name \"not a type\"");
}

TEST_F(VerifierTest, Instructions) {
  std::vector<uint8_t> bytes = simple();
  size_t code = policyCodeOffset(bytes, 0);
  // load_var r0, principal (4) | get_attr r1, r0, s (9) | return r1 (3)
  std::vector<uint8_t> bad = bytes;
  bad[code + 4] = 0xEE;
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0 instruction at offset 4: "
                              "invalid opcode 0xee");
  bad = bytes;
  writeU16(bad, code + 4 + 1, 9);
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0 instruction at offset 4: "
                              "register 9 out of range (policy has 2 "
                              "registers)");
  bad = bytes;
  writeU32(bad, code + 4 + 5, 50);
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0 instruction at offset 4: "
                              "string index 50 out of range (module has 2 "
                              "strings)");
  bad = bytes;
  bad[code + 3] = 4;
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0 instruction at offset 0: "
                              "invalid variable 4");
  bad = bytes;
  bad[code + 13] = static_cast<uint8_t>(Opcode::GetAttr); // return -> get_attr
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0 instruction at offset 13: "
                              "truncated instruction (get_attr needs 9 bytes, "
                              "3 left)");
  bad = bytes;
  bad[code + 13] = static_cast<uint8_t>(Opcode::AssertBool);
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0: code falls off the end "
                              "(last instruction `assert_bool` at offset 13 "
                              "is neither return nor jump)");
  bad = bytes;
  writeU16(bad, policyEntryOffset(bytes, 0) + 6, 1); // register count 1
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0 instruction at offset 4: "
                              "register 1 out of range (policy has 1 "
                              "registers)");
}

TEST_F(VerifierTest, RegisterRanges) {
  bc::ModuleWriter w;
  bc::PolicyCode &p = w.addPolicy("p", Effect::Permit, {});
  p.emit(Opcode::MakeSet, {0, 1, 2});
  p.emit(Opcode::Return, {0});
  std::vector<uint8_t> bytes = finishModule(w);
  std::vector<uint8_t> bad = bytes;
  writeU16(bad, policyCodeOffset(bytes, 0) + 5, 3);
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0 instruction at offset 0: "
                              "register range [1, 4) out of range (policy has "
                              "3 registers)");
}

TEST_F(VerifierTest, Jumps) {
  bc::ModuleWriter w;
  bc::PolicyCode &p = w.addPolicy("p", Effect::Permit, {});
  bc::Label label = p.createLabel();
  p.emit(Opcode::LoadConst, {0, w.constantBool(true)});  // 0..7
  p.emit(Opcode::JumpIfTrue, {0, label.id});             // 7..14
  p.emit(Opcode::LoadConst, {0, w.constantBool(false)}); // 14..21
  p.bindLabel(label);
  p.emit(Opcode::Return, {0}); // 21..24
  std::vector<uint8_t> bytes = finishModule(w);
  size_t jump = policyCodeOffset(bytes, 0) + 7;
  std::vector<uint8_t> bad = bytes;
  writeU32(bad, jump + 3, 2); // into the middle of the load_const
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0 instruction at offset 7: "
                              "jump target 16 is not an instruction boundary");
  writeU32(bad, jump + 3, 100);
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0 instruction at offset 7: "
                              "jump target 114 outside the policy's code (24 "
                              "bytes)");
  writeU32(bad, jump + 3, static_cast<uint32_t>(-14));
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 0 instruction at offset 7: "
                              "backward jump to offset 0 (only forward jumps "
                              "are allowed)");
  writeU32(bad, jump + 3, 10); // exactly the end: allowed
  fixChecksum(bad);
  EXPECT_EQ(readError(bad), "");
}

TEST_F(VerifierTest, PolicyTableConsistency) {
  bc::ModuleWriter w;
  addConstantPolicy(w, "a", Effect::Permit, true);
  addConstantPolicy(w, "b", Effect::Forbid, true);
  std::vector<uint8_t> bytes = finishModule(w);
  std::vector<uint8_t> bad = bytes;
  writeU32(bad, policyEntryOffset(bytes, 1) + 8, 0); // b's code = a's code
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 1: code range overlaps "
                              "policy 0");
  bad = bytes;
  writeU32(bad, policyEntryOffset(bytes, 1),
           readU32(bytes, policyEntryOffset(bytes, 0)));
  EXPECT_EQ(rejectAfter(bad), "bytecode: policy 1: duplicate policy id "
                              "\"a\"");
}

TEST(DisassemblerTest, GoldenListing) {
  std::vector<uint8_t> bytes = sampleModule();
  std::string listing, error;
  ASSERT_TRUE(bc::disassemble(bytes, listing, error)) << error;
  // docs/bytecode.md shows this listing too.
  std::string header = listing.substr(0, listing.find('\n'));
  EXPECT_EQ(header, "; rune bytecode 1.0, 399 bytes, checksum 0x2d2c61a2");
  std::string body = listing.substr(listing.find('\n') + 1);
  EXPECT_EQ(body,
            R"(; strings@80+96 constants@176+62 policies@238+52 code@290+109

strings (12):
  s0 = "policy0"
  s1 = "id"
  s2 = "dept"
  s3 = "eng"
  s4 = "Group"
  s5 = "staff"
  s6 = "deny-bad"
  s7 = "name"
  s8 = "a*"
  s9 = "\"z"
  s10 = "x"
  s11 = "y"

constants (6):
  c0 = string "eng"
  c1 = entity Group::"staff"
  c2 = pattern "a\**\"z"
  c3 = long -3
  c4 = bool true
  c5 = names ["x", "y"]

policies (2):

policy 0 "policy0" permit (registers 3, code 0+51)
  @id("policy0")
  0000: load_var r0, principal
  0004: get_attr r1, r0, "dept"
  0013: load_const r2, c0  ; c0 = string "eng"
  0020: eq r1, r1, r2
  0027: jump_if_false r1, 0048
  0034: load_const r2, c1  ; c1 = entity Group::"staff"
  0041: in r1, r0, r2
  0048: return r1

policy 1 "deny-bad" forbid (registers 4, code 51+58)
  0000: load_var r0, context
  0004: get_attr r0, r0, "name"
  0013: like r0, r0, c2  ; c2 = pattern "a\**\"z"
  0022: load_const r1, c3  ; c3 = long -3
  0029: load_const r2, c4  ; c4 = bool true
  0036: make_record r3, c5, r1, 2  ; c5 = names ["x", "y"]
  0047: call_ext r1, ip, r1, 1
  0055: return r0
)");
}

TEST(DisassemblerTest, RejectsInvalidBytes) {
  std::string listing, error;
  std::vector<uint8_t> junk = {1, 2, 3};
  EXPECT_FALSE(bc::disassemble(junk, listing, error));
  EXPECT_EQ(error, "bytecode: truncated header (need 32 bytes, file has 3)");
}

} // namespace
} // namespace rune::test
