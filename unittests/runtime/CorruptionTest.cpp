//===- CorruptionTest.cpp - Damaged inputs are rejected, never crash ------===//
//
// Built twice: against the normal runtime and against rune_runtime_asan, so
// any out-of-bounds access while rejecting (or running) a damaged module is
// caught by AddressSanitizer.
//
//===----------------------------------------------------------------------===//

#include "IpeDocument.h"
#include "SampleSchema.h"
#include "TestSupport.h"

#include "rune/Runtime/Disassembler.h"
#include "rune/rune.h"

#include <random>

namespace rune::test {
namespace {

using bc::Effect;
using bc::ExtFn;
using bc::Var;

/// A module that uses every section, every constant kind, annotations,
/// jumps and most instructions; with a schema, the Schema section too.
std::vector<uint8_t> richModule(bool withSchema) {
  bc::ModuleWriter w;
  {
    bc::PolicyCode &p = w.addPolicy("p0", Effect::Permit, {{"id", "p0"}});
    bc::Label no = p.createLabel();
    p.emit(Opcode::LoadVar, {0, static_cast<int64_t>(Var::Principal)});
    p.emit(Opcode::HasAttr, {1, 0, w.internString("dept")});
    p.emit(Opcode::JumpIfFalse, {1, no.id});
    p.emit(Opcode::GetAttr, {1, 0, w.internString("dept")});
    p.emit(Opcode::LoadConst, {2, w.constantString("eng")});
    p.emit(Opcode::Eq, {1, 1, 2});
    p.emit(Opcode::JumpIfFalse, {1, no.id});
    p.emit(Opcode::LoadConst, {2, w.constantEntity("Group", "staff")});
    p.emit(Opcode::In, {1, 0, 2});
    p.emit(Opcode::Return, {1});
    p.bindLabel(no);
    p.emit(Opcode::LoadConst, {1, w.constantBool(false)});
    p.emit(Opcode::Return, {1});
  }
  {
    bc::PolicyCode &p = w.addPolicy("p1", Effect::Forbid, {});
    bc::Label end = p.createLabel();
    p.emit(Opcode::LoadVar, {0, static_cast<int64_t>(Var::Context)});
    p.emit(Opcode::GetAttr, {1, 0, w.internString("n")});
    p.emit(Opcode::LoadConst, {2, w.constantLong(3)});
    p.emit(Opcode::Mul, {1, 1, 2});
    p.emit(Opcode::Neg, {1, 1});
    p.emit(Opcode::MakeSet, {3, 1, 2});
    p.emit(Opcode::IsEmpty, {3, 3});
    p.emit(Opcode::Not, {3, 3});
    p.emit(Opcode::MakeRecord, {4, w.constantNameList({"a", "b"}), 1, 2});
    p.emit(Opcode::GetAttr, {4, 4, w.internString("a")});
    p.emit(Opcode::LoadConst, {5, w.constantString("x.y.z")});
    p.emit(Opcode::Like,
           {5, 5, w.constantPattern({{false, "x"}, {true, ""}, {false, "z"}})});
    p.emit(Opcode::LoadConst, {6, w.constantString("10.0.0.0/8")});
    p.emit(Opcode::CallExt, {6, static_cast<int64_t>(ExtFn::Ip), 6, 1});
    p.emit(Opcode::CallExt, {7, static_cast<int64_t>(ExtFn::IsIpv4), 6, 1});
    p.emit(Opcode::AssertBool, {7});
    p.emit(Opcode::LoadVar, {8, static_cast<int64_t>(Var::Resource)});
    p.emit(Opcode::IsType, {8, 8, w.internString("Photo")});
    p.emit(Opcode::JumpIfTrue, {8, end.id});
    p.emit(Opcode::Return, {3});
    p.bindLabel(end);
  }
  if (withSchema)
    w.setSchema(sampleSchema());
  return finishModule(w);
}

/// Both variants of the rich module.
std::vector<std::vector<uint8_t>> richModules() {
  return {richModule(false), richModule(true)};
}

/// Loads `bytes` through the C API; when they verify, also runs them, which
/// must not crash either.
bool loadAndMaybeRun(const std::vector<uint8_t> &bytes, std::string &error) {
  rune_engine *engine = rune_engine_create();
  rune_module *module = nullptr;
  char *message = nullptr;
  bool loaded = rune_module_load(engine, bytes.data(), bytes.size(), &module,
                                 &message) == RUNE_OK;
  if (!loaded) {
    error = message ? message : "";
    rune_string_free(message);
    EXPECT_EQ(module, nullptr);
  } else {
    const char *entities =
        R"([{"uid": {"type": "User", "id": "alice"},
             "attrs": {"dept": "eng"},
             "parents": [{"type": "Group", "id": "staff"}]}])";
    rune_entities *store = nullptr;
    rune_request *request = nullptr;
    rune_response *response = nullptr;
    EXPECT_EQ(rune_entities_parse_json(engine, entities, std::strlen(entities),
                                       "e", &store, nullptr),
              RUNE_OK);
    EXPECT_EQ(rune_request_create(engine, "User::\"alice\"", "A::\"a\"",
                                  "Photo::\"p\"", "{\"n\": 2}", &request,
                                  nullptr),
              RUNE_OK);
    EXPECT_EQ(rune_authorize(module, store, request, &response, nullptr),
              RUNE_OK);
    // Whatever schema survived verification must be safe to read data
    // with; the data may well not conform to it.
    if (const rune_schema *schema = rune_module_schema(module)) {
      rune_entities *typed = nullptr;
      rune_request *typedRequest = nullptr;
      char *message = nullptr;
      if (rune_entities_parse_json_with_schema(engine, schema, entities,
                                               std::strlen(entities), "e",
                                               &typed, &message) != RUNE_OK)
        EXPECT_NE(message, nullptr);
      rune_string_free(message);
      message = nullptr;
      rune_request_create_parts(engine, schema, "User", "alice", "Action",
                                "view", "Photo", "p", "{\"ip\": \"::1\"}",
                                &typedRequest, &message);
      rune_string_free(message);
      rune_request_free(typedRequest);
      rune_entities_free(typed);
    }
    rune_response_free(response);
    rune_request_free(request);
    rune_entities_free(store);
    rune_module_free(module);
  }
  rune_engine_free(engine);
  return loaded;
}

TEST(CorruptionTest, TheIntactModuleLoadsAndRuns) {
  for (const std::vector<uint8_t> &bytes : richModules()) {
    ASSERT_FALSE(bytes.empty());
    std::string error;
    EXPECT_TRUE(loadAndMaybeRun(bytes, error)) << error;
  }
}

TEST(CorruptionTest, EveryTruncationIsRejected) {
  for (const std::vector<uint8_t> &bytes : richModules()) {
    for (size_t length = 0; length < bytes.size(); ++length) {
      std::vector<uint8_t> truncated(bytes.begin(), bytes.begin() + length);
      std::string error;
      EXPECT_FALSE(loadAndMaybeRun(truncated, error)) << "length " << length;
      EXPECT_EQ(error.rfind("bytecode: ", 0), 0u) << error;
      std::string listing;
      EXPECT_FALSE(bc::disassemble(truncated, listing, error));
    }
  }
}

/// True when `damaged` differs from `intact` only in a minor version this
/// runtime also reads: the header is not checksummed, and a 1.0 module
/// relabelled 1.1 is a valid module.
bool isOtherReadableVersion(const std::vector<uint8_t> &intact,
                            const std::vector<uint8_t> &damaged) {
  std::vector<uint8_t> relabelled = damaged;
  relabelled[10] = intact[10];
  relabelled[11] = intact[11];
  return relabelled == intact && damaged[11] == 0 &&
         damaged[10] <= bc::kVersionMinor;
}

TEST(CorruptionTest, RandomDamageIsRejected) {
  for (const std::vector<uint8_t> &bytes : richModules()) {
    std::mt19937 random(20240601);
    std::uniform_int_distribution<size_t> position(0, bytes.size() - 1);
    std::uniform_int_distribution<int> byteValue(0, 255), edits(1, 4);
    for (int trial = 0; trial < 3000; ++trial) {
      std::vector<uint8_t> damaged = bytes;
      int count = edits(random);
      for (int e = 0; e < count; ++e) {
        size_t at = position(random);
        if (trial % 2 == 0)
          damaged[at] ^= static_cast<uint8_t>(1u << (byteValue(random) % 8));
        else
          damaged[at] = static_cast<uint8_t>(byteValue(random));
      }
      if (damaged == bytes || isOtherReadableVersion(bytes, damaged))
        continue;
      std::string error;
      EXPECT_FALSE(loadAndMaybeRun(damaged, error)) << "trial " << trial;
      EXPECT_FALSE(error.empty());
    }
  }
}

TEST(CorruptionTest, DamageBehindAValidChecksumNeverCrashes) {
  // Re-sealing the checksum after each edit gets the damage past the
  // container checks into the tables, the code and the schema. Some edits
  // still make a valid module (say, a different constant or attribute
  // name); those must run safely.
  for (const std::vector<uint8_t> &bytes : richModules()) {
    std::mt19937 random(7);
    std::uniform_int_distribution<size_t> position(bc::kHeaderSize,
                                                   bytes.size() - 1);
    std::uniform_int_distribution<int> byteValue(0, 255), edits(1, 3);
    int rejected = 0, accepted = 0;
    for (int trial = 0; trial < 4000; ++trial) {
      std::vector<uint8_t> damaged = bytes;
      int count = edits(random);
      for (int e = 0; e < count; ++e)
        damaged[position(random)] = static_cast<uint8_t>(byteValue(random));
      fixChecksum(damaged);
      std::string error;
      if (loadAndMaybeRun(damaged, error)) {
        ++accepted;
      } else {
        ++rejected;
        EXPECT_EQ(error.rfind("bytecode: ", 0), 0u) << error;
      }
    }
    EXPECT_GT(rejected, 1000);
    RecordProperty(bytes.size() > 600 ? "acceptedWithSchema" : "accepted",
                   accepted);
  }
}

TEST(CorruptionTest, DamagedJsonIsRejectedOrParsed) {
  const std::string entities =
      R"([{"uid": {"type": "User", "id": "a\u00e9"}, "attrs": {"n": 1,
          "s": [true, {"__entity": {"type": "G", "id": "g"}}],
          "d": {"__extn": {"fn": "decimal", "arg": "1.5"}}},
          "parents": [{"type": "G", "id": "g"}], "tags": {"t": "x"}}])";
  std::mt19937 random(99);
  std::uniform_int_distribution<size_t> position(0, entities.size() - 1);
  std::uniform_int_distribution<int> byteValue(0, 255);
  for (int trial = 0; trial < 3000; ++trial) {
    std::string damaged = entities;
    damaged[position(random)] = static_cast<char>(byteValue(random));
    if (trial % 3 == 0)
      damaged.resize(position(random));
    auto engine = std::make_shared<Engine>();
    EntityStore store(engine);
    std::string error;
    if (!parseEntitiesJson(damaged, "e.json", store, error))
      EXPECT_EQ(error.rfind("e.json:", 0), 0u) << error;
    Request request(engine);
    request.build("User::\"a\"", "A::\"a\"", "R::\"r\"", damaged, error);
  }
}

/// Reads every byte of a document's value: its texts, elements and members.
size_t walkDocument(const ipert::doc::Node &node) {
  using ipert::doc::Kind;
  size_t bytes = 0;
  switch (node.kind) {
  case Kind::Float:
    return node.number() == node.number() ? 1 : 2; // NaN never parses
  case Kind::String:
    for (char c : node.text())
      bytes += c != 0;
    return bytes + 1;
  case Kind::Array:
    for (const ipert::doc::Node &element : elementsOf(node))
      bytes += walkDocument(element);
    return bytes + 1;
  case Kind::Object:
    for (uint32_t i = 0; i < node.count; ++i) {
      bytes += node.members()[i].key().size();
      bytes += walkDocument(node.members()[i].value);
    }
    return bytes + 1;
  default:
    return 1;
  }
}

TEST(CorruptionTest, DamagedIpeRequestsAreRejectedOrParsed) {
  const std::string request =
      R"({"action": {"operation": "create"}, "environment": "production",
          "approvals": [{"id": "a\u00e9", "role": "lead", "n": 1.5e3},
                        {"id": "b", "role": null, "tags": [[], {}]}],
          "resource": {"type": "Bucket", "public": false, "level": -7}})";
  std::mt19937 random(7);
  std::uniform_int_distribution<size_t> position(0, request.size() - 1);
  std::uniform_int_distribution<int> byteValue(0, 255);
  int parsed = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string damaged = request;
    damaged[position(random)] = static_cast<char>(byteValue(random));
    if (trial % 3 == 0)
      damaged.resize(position(random));
    ipert::doc::Builder builder(damaged.size());
    json::ParseError error;
    if (!ipert::doc::parse(damaged, builder, error)) {
      EXPECT_FALSE(error.message.empty());
      EXPECT_LE(error.offset, damaged.size());
      continue;
    }
    ++parsed;
    std::vector<uint64_t> block((builder.size() + 7) / 8);
    const ipert::doc::Node *root = builder.write(block.data());
    EXPECT_GT(walkDocument(*root), 0u);
  }
  EXPECT_GT(parsed, 100);
}

TEST(CorruptionTest, DamagedJsonIsRejectedOrParsedWithASchema) {
  const std::string entities =
      R"([{"uid": {"type": "User", "id": "a\u00e9"}, "attrs": {"age": 1,
          "friends": [{"type": "User", "id": "b"}], "ip": "10.0.0.1",
          "budget": {"fn": "decimal", "arg": "1.5"},
          "address": {"street": "s", "zip": 9}},
          "parents": [{"type": "Group", "id": "g"}], "tags": {"t": 3}},
         {"uid": {"type": "Action", "id": "view"},
          "parents": [{"type": "Action", "id": "read"}]},
         {"uid": {"type": "Color", "id": "red"}}])";
  const std::string context = R"({"ip": "::1", "level": 7})";
  Schema schema(sampleSchema());
  std::mt19937 random(1234);
  std::uniform_int_distribution<int> byteValue(0, 255);
  for (int trial = 0; trial < 3000; ++trial) {
    std::string damaged = trial % 2 ? entities : context;
    std::uniform_int_distribution<size_t> position(0, damaged.size() - 1);
    damaged[position(random)] = static_cast<char>(byteValue(random));
    if (trial % 3 == 0)
      damaged.resize(position(random));
    auto engine = std::make_shared<Engine>();
    EntityStore store(engine);
    std::string error;
    if (!parseEntitiesJson(damaged, "e.json", store, error, &schema))
      EXPECT_EQ(error.rfind("e.json:", 0), 0u) << error;
    Request request(engine);
    request.build("User::\"a\"", "Action::\"view\"", "Photo::\"p\"", damaged,
                  error, &schema);
  }
}

} // namespace
} // namespace rune::test
