//===- CApiTest.cpp - rune.h and the native module ABI --------------------===//

#include "CApiSupport.h"
#include "TestSupport.h"

#include "rune/rune.h"
#include "rune/rune_native.h"

#include <array>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <thread>
#include <tuple>

namespace rune::test {
namespace {

using bc::Effect;
using bc::Var;

/// permit when principal.dept == "eng"; forbid when context.block.
std::vector<uint8_t> deptModule() {
  bc::ModuleWriter w;
  bc::PolicyCode &p = w.addPolicy("eng-only", Effect::Permit, {});
  p.emit(Opcode::LoadVar, {0, static_cast<int64_t>(Var::Principal)});
  p.emit(Opcode::GetAttr, {0, 0, w.internString("dept")});
  p.emit(Opcode::LoadConst, {1, w.constantString("eng")});
  p.emit(Opcode::Eq, {0, 0, 1});
  p.emit(Opcode::Return, {0});
  bc::PolicyCode &f = w.addPolicy("blocked", Effect::Forbid, {});
  f.emit(Opcode::LoadVar, {0, static_cast<int64_t>(Var::Context)});
  f.emit(Opcode::GetAttr, {0, 0, w.internString("block")});
  f.emit(Opcode::Return, {0});
  return finishModule(w);
}

constexpr const char *kEntities =
    R"([{"uid": {"type": "User", "id": "alice"}, "attrs": {"dept": "eng"}},
        {"uid": {"type": "User", "id": "bob"}, "attrs": {"dept": "ops"}}])";

TEST(CApiTest, EndToEnd) {
  CApi api;
  ASSERT_NE(api.engine, nullptr);
  EXPECT_STREQ(rune_version(), "0.1.0");
  std::vector<uint8_t> bytes = deptModule();
  ASSERT_EQ(rune_module_load(api.engine, bytes.data(), bytes.size(),
                             &api.module, &api.error),
            RUNE_OK)
      << api.takeError();
  ASSERT_EQ(rune_module_policy_count(api.module), 2u);
  EXPECT_STREQ(rune_module_policy_id(api.module, 0), "eng-only");
  EXPECT_STREQ(rune_module_policy_id(api.module, 1), "blocked");
  EXPECT_EQ(rune_module_policy_id(api.module, 2), nullptr);
  ASSERT_EQ(rune_entities_parse_json(api.engine, kEntities,
                                     std::strlen(kEntities), "e.json",
                                     &api.entities, &api.error),
            RUNE_OK)
      << api.takeError();

  struct Case {
    const char *principal;
    const char *context;
    rune_decision decision;
    size_t reasons;
    size_t errors;
  } cases[] = {
      {"User::\"alice\"", R"({"block": false})", RUNE_ALLOW, 1, 0},
      {"User::\"alice\"", R"({"block": true})", RUNE_DENY, 1, 0},
      {"User::\"bob\"", R"({"block": false})", RUNE_DENY, 0, 0},
      {"User::\"alice\"", nullptr, RUNE_ALLOW, 1, 1}, // context.block errors
      {"User::\"carol\"", R"({"block": false})", RUNE_DENY, 0, 1},
  };
  for (const Case &c : cases) {
    rune_request_free(api.request);
    rune_response_free(api.response);
    api.request = nullptr;
    api.response = nullptr;
    ASSERT_EQ(rune_request_create(api.engine, c.principal, "Action::\"view\"",
                                  "Doc::\"d\"", c.context, &api.request,
                                  &api.error),
              RUNE_OK)
        << api.takeError();
    ASSERT_EQ(rune_authorize(api.module, api.entities, api.request,
                             &api.response, &api.error),
              RUNE_OK)
        << api.takeError();
    EXPECT_EQ(rune_response_decision(api.response), c.decision) << c.principal;
    EXPECT_EQ(rune_response_reason_count(api.response), c.reasons);
    EXPECT_EQ(rune_response_error_count(api.response), c.errors);
  }
  // The last case: carol does not exist.
  EXPECT_STREQ(rune_response_error_policy(api.response, 0), "eng-only");
  EXPECT_STREQ(rune_response_error_message(api.response, 0),
               "entity `User::\"carol\"` does not exist");
  EXPECT_EQ(rune_response_error_policy(api.response, 5), nullptr);
  EXPECT_EQ(rune_response_reason(api.response, 0), nullptr);
}

TEST(CApiTest, RejectsBadInputWithoutCrashing) {
  CApi api;
  std::vector<uint8_t> junk = {0x89, 'R', 'B', 'C'};
  EXPECT_EQ(rune_module_load(api.engine, junk.data(), junk.size(), &api.module,
                             &api.error),
            RUNE_ERROR_INVALID_INPUT);
  EXPECT_EQ(api.module, nullptr);
  EXPECT_EQ(api.takeError(),
            "bytecode: truncated header (need 32 bytes, file has 4)");
  EXPECT_EQ(rune_module_load(api.engine, nullptr, 0, &api.module, nullptr),
            RUNE_ERROR_INVALID_INPUT); // null error pointer is allowed
  EXPECT_EQ(rune_module_load(nullptr, junk.data(), 4, &api.module, &api.error),
            RUNE_ERROR_INVALID_INPUT);
  api.takeError();

  EXPECT_EQ(rune_entities_parse_json(api.engine, "[", 1, "bad.json",
                                     &api.entities, &api.error),
            RUNE_ERROR_INVALID_INPUT);
  EXPECT_EQ(api.takeError(), "bad.json:1:2: error: unexpected end of input, "
                             "expected a value\n[\n ^");

  EXPECT_EQ(rune_request_create(api.engine, "User:alice", "A::\"a\"",
                                "R::\"r\"", nullptr, &api.request, &api.error),
            RUNE_ERROR_INVALID_INPUT);
  EXPECT_EQ(api.takeError(), "principal: invalid entity uid \"User:alice\": "
                             "expected `::` after the entity type name");
  EXPECT_EQ(rune_request_create(api.engine, "U::\"a\"", "A::\"a\"", "R::\"r\"",
                                "{\"x\": nul}", &api.request, &api.error),
            RUNE_ERROR_INVALID_INPUT);
  EXPECT_EQ(api.takeError().substr(0, 38),
            "context:1:7: error: expected a value\n{");
  EXPECT_EQ(rune_request_create(api.engine, "U::\"a\"", "A::\"a\"", "R::\"r\"",
                                "", &api.request, &api.error),
            RUNE_ERROR_INVALID_INPUT);
  api.takeError();
  EXPECT_EQ(
      rune_authorize(nullptr, nullptr, nullptr, &api.response, &api.error),
      RUNE_ERROR_INVALID_INPUT);
  api.takeError();
  EXPECT_EQ(rune_module_load_file(api.engine, "/nonexistent/x.rbc", &api.module,
                                  &api.error),
            RUNE_ERROR_IO);
  EXPECT_NE(api.takeError().find("/nonexistent/x.rbc: cannot open file"),
            std::string::npos);
  EXPECT_EQ(rune_entities_load_file(api.engine, "/nonexistent/e.json",
                                    &api.entities, &api.error),
            RUNE_ERROR_IO);
  api.takeError();
  // Accessors tolerate null.
  EXPECT_EQ(rune_module_policy_count(nullptr), 0u);
  EXPECT_EQ(rune_response_decision(nullptr), RUNE_DENY);
  EXPECT_EQ(rune_response_error_count(nullptr), 0u);
}

TEST(CApiTest, LoadsFiles) {
  CApi api;
  std::vector<uint8_t> bytes = deptModule();
  std::string modulePath = ::testing::TempDir() + "capi_module.rbc";
  std::string entitiesPath = ::testing::TempDir() + "capi_entities.json";
  {
    std::ofstream(modulePath, std::ios::binary)
        .write(reinterpret_cast<const char *>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    std::ofstream(entitiesPath) << kEntities;
  }
  ASSERT_EQ(rune_module_load_file(api.engine, modulePath.c_str(), &api.module,
                                  &api.error),
            RUNE_OK)
      << api.takeError();
  ASSERT_EQ(rune_entities_load_file(api.engine, entitiesPath.c_str(),
                                    &api.entities, &api.error),
            RUNE_OK)
      << api.takeError();
  ASSERT_EQ(rune_request_create(api.engine, "User::\"alice\"", "A::\"a\"",
                                "R::\"r\"", "{\"block\": false}", &api.request,
                                &api.error),
            RUNE_OK);
  ASSERT_EQ(rune_authorize(api.module, api.entities, api.request, &api.response,
                           &api.error),
            RUNE_OK);
  EXPECT_EQ(rune_response_decision(api.response), RUNE_ALLOW);
  std::remove(modulePath.c_str());
  std::remove(entitiesPath.c_str());
}

TEST(CApiTest, ObjectsOfDifferentEnginesDoNotMix) {
  CApi a, b;
  std::vector<uint8_t> bytes = deptModule();
  ASSERT_EQ(rune_module_load(a.engine, bytes.data(), bytes.size(), &a.module,
                             nullptr),
            RUNE_OK);
  b.entities = rune_entities_create_empty(b.engine);
  ASSERT_EQ(rune_request_create(a.engine, "U::\"a\"", "A::\"a\"", "R::\"r\"",
                                nullptr, &a.request, nullptr),
            RUNE_OK);
  EXPECT_EQ(
      rune_authorize(a.module, b.entities, a.request, &a.response, &a.error),
      RUNE_ERROR_INVALID_INPUT);
  EXPECT_EQ(a.takeError(), "the module, the entities and the request were "
                           "created by different engines");
}

TEST(CApiTest, EngineMayBeFreedFirst) {
  rune_engine *engine = rune_engine_create();
  std::vector<uint8_t> bytes = deptModule();
  rune_module *module = nullptr;
  ASSERT_EQ(
      rune_module_load(engine, bytes.data(), bytes.size(), &module, nullptr),
      RUNE_OK);
  rune_entities *entities = rune_entities_create_empty(engine);
  rune_request *request = nullptr;
  ASSERT_EQ(rune_request_create(engine, "U::\"a\"", "A::\"a\"", "R::\"r\"",
                                nullptr, &request, nullptr),
            RUNE_OK);
  rune_engine_free(engine);
  rune_response *response = nullptr;
  ASSERT_EQ(rune_authorize(module, entities, request, &response, nullptr),
            RUNE_OK);
  EXPECT_EQ(rune_response_error_count(response), 2u);
  EXPECT_STREQ(rune_response_error_message(response, 0),
               "entity `U::\"a\"` does not exist");
  rune_response_free(response);
  rune_request_free(request);
  rune_entities_free(entities);
  rune_module_free(module);
}

TEST(CApiTest, ModulesAndEntitiesAreSharedAcrossThreads) {
  CApi api;
  std::vector<uint8_t> bytes = deptModule();
  ASSERT_EQ(rune_module_load(api.engine, bytes.data(), bytes.size(),
                             &api.module, nullptr),
            RUNE_OK);
  ASSERT_EQ(rune_entities_parse_json(api.engine, kEntities,
                                     std::strlen(kEntities), "e", &api.entities,
                                     nullptr),
            RUNE_OK);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      // Each thread has its own requests; the engine, module and entities
      // are shared. Creating requests interns names concurrently.
      bool alice = t % 2 == 0;
      rune_request *request = nullptr;
      if (rune_request_create(
              api.engine, alice ? "User::\"alice\"" : "User::\"bob\"",
              "Action::\"view\"", "Doc::\"d\"", "{\"block\": false}", &request,
              nullptr) != RUNE_OK) {
        ++wrong;
        return;
      }
      for (int i = 0; i < 2000; ++i) {
        rune_response *response = nullptr;
        if (rune_authorize(api.module, api.entities, request, &response,
                           nullptr) != RUNE_OK ||
            rune_response_decision(response) !=
                (alice ? RUNE_ALLOW : RUNE_DENY))
          ++wrong;
        rune_response_free(response);
      }
      rune_request_free(request);
    });
  }
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

// --- Native modules: hand-written stand-ins for compiled code
// ------------------

// The same two policies as deptModule(), written the way compiled code calls
// the runtime: registers in an array, one rune_rt_* call per instruction.
// String/constant indices match deptModule()'s tables: s0 "eng-only",
// s1 "dept", s2 "eng", s3 "blocked", s4 "block"; c0 = "eng".
int32_t nativeEngOnly(rune_eval_state *state, rune_value *regs) {
  int32_t result;
  if (rune_rt_load_var(state, &regs[0], 0) ||
      rune_rt_get_attr(state, &regs[0], &regs[0], 1) ||
      rune_rt_load_const(state, &regs[1], 0) ||
      rune_rt_eq(state, &regs[0], &regs[0], &regs[1]) ||
      rune_rt_to_bool(state, &regs[0], &result))
    return -1;
  return result;
}

int32_t nativeBlocked(rune_eval_state *state, rune_value *regs) {
  int32_t result;
  if (rune_rt_load_var(state, &regs[0], 3) ||
      rune_rt_get_attr(state, &regs[0], &regs[0], 4) ||
      rune_rt_to_bool(state, &regs[0], &result))
    return -1;
  return result;
}

int32_t nativeBadIndex(rune_eval_state *state, rune_value *regs) {
  if (rune_rt_get_attr(state, &regs[0], &regs[0], 9999))
    return -1;
  return 1;
}

int32_t nativeInvalidResult(rune_eval_state *, rune_value *) { return 7; }

TEST(NativeModuleTest, MatchesTheInterpreter) {
  std::vector<uint8_t> bytes = deptModule();
  const rune_policy_fn fns[] = {nativeEngOnly, nativeBlocked};
  rune_native_module native{RUNE_NATIVE_ABI_VERSION, 2, bytes.data(),
                            bytes.size(), fns};
  for (const char *principal :
       {"User::\"alice\"", "User::\"bob\"", "User::\"nobody\""}) {
    for (const char *context :
         {"{\"block\": false}", "{\"block\": true}", "{\"block\": 1}", "{}"}) {
      CApi interpreted, compiled;
      ASSERT_EQ(rune_module_load(interpreted.engine, bytes.data(), bytes.size(),
                                 &interpreted.module, nullptr),
                RUNE_OK);
      ASSERT_EQ(rune_module_load_native(compiled.engine, &native,
                                        &compiled.module, &compiled.error),
                RUNE_OK)
          << compiled.takeError();
      for (CApi *api : {&interpreted, &compiled}) {
        ASSERT_EQ(rune_entities_parse_json(api->engine, kEntities,
                                           std::strlen(kEntities), "e",
                                           &api->entities, nullptr),
                  RUNE_OK);
        ASSERT_EQ(rune_request_create(api->engine, principal, "A::\"a\"",
                                      "R::\"r\"", context, &api->request,
                                      nullptr),
                  RUNE_OK);
        ASSERT_EQ(rune_authorize(api->module, api->entities, api->request,
                                 &api->response, nullptr),
                  RUNE_OK);
      }
      rune_response *x = interpreted.response, *y = compiled.response;
      EXPECT_EQ(rune_response_decision(x), rune_response_decision(y));
      ASSERT_EQ(rune_response_reason_count(x), rune_response_reason_count(y));
      for (size_t i = 0; i < rune_response_reason_count(x); ++i)
        EXPECT_STREQ(rune_response_reason(x, i), rune_response_reason(y, i));
      ASSERT_EQ(rune_response_error_count(x), rune_response_error_count(y))
          << principal << " " << context;
      for (size_t i = 0; i < rune_response_error_count(x); ++i) {
        EXPECT_STREQ(rune_response_error_policy(x, i),
                     rune_response_error_policy(y, i));
        EXPECT_STREQ(rune_response_error_message(x, i),
                     rune_response_error_message(y, i));
      }
    }
  }
}

TEST(NativeModuleTest, RejectsInconsistentDescriptors) {
  std::vector<uint8_t> bytes = deptModule();
  const rune_policy_fn fns[] = {nativeEngOnly, nativeBlocked};
  const rune_policy_fn withNull[] = {nativeEngOnly, nullptr};
  struct Case {
    rune_native_module native;
    const char *error;
  } cases[] = {
      {{99, 2, bytes.data(), bytes.size(), fns},
       "native module: ABI version 99 (this runtime supports 2 to 4)"},
      {{1, 2, bytes.data(), bytes.size(), fns},
       "native module: ABI version 1 (this runtime supports 2 to 4)"},
      {{RUNE_NATIVE_ABI_VERSION + 1, 2, bytes.data(), bytes.size(), fns},
       "native module: ABI version 5 (this runtime supports 2 to 4)"},
      // ABI 3: Datalog stratum functions need a Datalog program.
      {{RUNE_NATIVE_ABI_VERSION, 2, bytes.data(), bytes.size(), fns, 1,
        nullptr},
       "native module: Datalog stratum functions but no Datalog program in "
       "the bytecode"},
      {{RUNE_NATIVE_ABI_VERSION, 1, bytes.data(), bytes.size(), fns},
       "native module: 1 policy functions but the bytecode has 2 policies"},
      {{RUNE_NATIVE_ABI_VERSION, 2, bytes.data(), bytes.size(), nullptr},
       "native module: missing policy function table"},
      {{RUNE_NATIVE_ABI_VERSION, 2, bytes.data(), bytes.size(), withNull},
       "native module: policy function 1 is null"},
      {{RUNE_NATIVE_ABI_VERSION, 2, bytes.data(), 10, fns},
       "native module: bytecode: truncated header (need 32 bytes, file has "
       "10)"},
  };
  for (const Case &c : cases) {
    CApi api;
    EXPECT_EQ(
        rune_module_load_native(api.engine, &c.native, &api.module, &api.error),
        RUNE_ERROR_INVALID_INPUT);
    EXPECT_EQ(api.takeError(), c.error);
    EXPECT_EQ(api.module, nullptr);
  }
}

// Objects compiled before ABI 3 end after policy_fns: they still load, and
// the Datalog fields are not read.
TEST(NativeModuleTest, LoadsVersionTwoDescriptors) {
  std::vector<uint8_t> bytes = deptModule();
  const rune_policy_fn fns[] = {nativeEngOnly, nativeBlocked};
  struct VersionTwo {
    uint32_t abi_version, policy_count;
    const uint8_t *bytecode;
    uint64_t bytecode_size;
    const rune_policy_fn *policy_fns;
  };
  // The version 2 layout, then bytes a reader must not take for Datalog
  // fields.
  struct {
    VersionTwo descriptor;
    uint32_t garbage[4] = {7, 7, 7, 7};
  } old{{2, 2, bytes.data(), bytes.size(), fns}};
  CApi api;
  ASSERT_EQ(rune_module_load_native(
                api.engine,
                reinterpret_cast<const rune_native_module *>(&old.descriptor),
                &api.module, &api.error),
            RUNE_OK)
      << api.takeError();
  EXPECT_EQ(rune_module_policy_count(api.module), 2u);
}

// ABI 4: compiled code reads entities through the frame (rune_native.h).
// This policy function does so by the header's layouts alone, as compiled
// code would: `principal.dept == "eng"`, read through the principal uid's
// cached store node, the store's nodes and entities, the module's symbols
// and the record's fields; 0 when the cache is another store's, -2 when
// the layout does not hold. The interpreted twin reads it by GetAttr.
uint32_t frameDeptName = 0;

int32_t nativeDeptThroughFrame(rune_eval_state *state, rune_value *) {
  const auto *frame = reinterpret_cast<const rune_eval_frame *>(state);
  const rune_value *principal = frame->vars[0];
  if ((principal->word0 & 0xff) != RUNE_KIND_ENTITY)
    return -2;
  const auto *uid = reinterpret_cast<const rune_uid_layout *>(principal->word1);
  uint64_t cached = uid->store_node;
  if (cached >> 32 != frame->store_serial || uint32_t(cached) == 0)
    return -2; // the authorizer resolves the request's uids in the store
  const rune_store_node &node = frame->nodes[uint32_t(cached) - 1];
  if (node.entity == UINT32_MAX || node.uid->hash != uid->hash)
    return -2;
  const rune_value &attributes = frame->entities[node.entity].attributes;
  if ((attributes.word0 & 0xff) != RUNE_KIND_RECORD)
    return -2;
  uint32_t count;
  std::memcpy(&count,
              reinterpret_cast<const char *>(&attributes) +
                  RUNE_VALUE_AUX_OFFSET,
              sizeof count);
  const auto *fields =
      reinterpret_cast<const rune_record_field *>(attributes.word1);
  uint32_t key = frame->symbols[frameDeptName];
  for (uint32_t i = 0; i < count; ++i) {
    if (fields[i].key != key)
      continue;
    const rune_value &dept = fields[i].value;
    uint32_t length;
    std::memcpy(&length,
                reinterpret_cast<const char *>(&dept) + RUNE_VALUE_AUX_OFFSET,
                sizeof length);
    return (dept.word0 & 0xff) == RUNE_KIND_STRING && length == 3 &&
           std::memcmp(reinterpret_cast<const char *>(dept.word1), "eng", 3) ==
               0;
  }
  return -2;
}

TEST(NativeModuleTest, FrameLetsCompiledCodeReadEntities) {
  bc::ModuleWriter w;
  // Strings before "dept", so that its index is not 0.
  w.internString("padding");
  bc::PolicyCode &p = w.addPolicy("eng-only", Effect::Permit, {});
  p.emit(Opcode::LoadVar, {0, static_cast<int64_t>(Var::Principal)});
  frameDeptName = w.internString("dept");
  p.emit(Opcode::GetAttr, {0, 0, frameDeptName});
  p.emit(Opcode::LoadConst, {1, w.constantString("eng")});
  p.emit(Opcode::Eq, {0, 0, 1});
  p.emit(Opcode::Return, {0});
  std::vector<uint8_t> bytes = finishModule(w);
  ASSERT_NE(frameDeptName, 0u);
  const rune_policy_fn fns[] = {nativeDeptThroughFrame};
  rune_native_module native{RUNE_NATIVE_ABI_VERSION, 1, bytes.data(),
                            bytes.size(), fns};
  CApi api;
  // Symbols are per engine: intern other names first so that "dept" gets
  // another symbol than in a fresh engine.
  const char *noise = R"([{"uid": {"type": "T", "id": "t"},
                         "attrs": {"zz": 1, "yy": 2}}])";
  rune_entities *first = nullptr;
  ASSERT_EQ(rune_entities_parse_json(api.engine, noise, std::strlen(noise), "n",
                                     &first, nullptr),
            RUNE_OK);
  rune_entities_free(first);
  ASSERT_EQ(
      rune_module_load_native(api.engine, &native, &api.module, &api.error),
      RUNE_OK)
      << api.takeError();
  // Two stores that disagree on who is in "eng", used in turns by one
  // request: the frame must describe the store of each call.
  const char *swapped =
      R"([{"uid": {"type": "User", "id": "alice"}, "attrs": {"dept": "ops"}},
          {"uid": {"type": "User", "id": "bob"}, "attrs": {"x": 0, "dept": "eng"}}])";
  rune_entities *stores[2] = {nullptr, nullptr};
  ASSERT_EQ(rune_entities_parse_json(api.engine, kEntities,
                                     std::strlen(kEntities), "a", &stores[0],
                                     nullptr),
            RUNE_OK);
  ASSERT_EQ(rune_entities_parse_json(api.engine, swapped, std::strlen(swapped),
                                     "b", &stores[1], nullptr),
            RUNE_OK);
  for (const char *principal : {"User::\"alice\"", "User::\"bob\""}) {
    rune_request *request = nullptr;
    ASSERT_EQ(rune_request_create(api.engine, principal, "A::\"a\"", "R::\"r\"",
                                  "{}", &request, nullptr),
              RUNE_OK);
    bool alice = std::string_view(principal) == "User::\"alice\"";
    for (int round = 0; round < 4; ++round) {
      int store = round % 2;
      SCOPED_TRACE(std::string(principal) + " store " + std::to_string(store));
      rune_response *response = nullptr;
      ASSERT_EQ(rune_authorize(api.module, stores[store], request, &response,
                               nullptr),
                RUNE_OK);
      EXPECT_EQ(rune_response_error_count(response), 0u)
          << rune_response_error_message(response, 0);
      bool inEng = alice == (store == 0);
      EXPECT_EQ(rune_response_decision(response),
                inEng ? RUNE_ALLOW : RUNE_DENY);
      rune_response_free(response);
    }
    rune_request_free(request);
  }
  rune_entities_free(stores[0]);
  rune_entities_free(stores[1]);
}

TEST(NativeModuleTest, MisbehavingCodeFailsClosed) {
  bc::ModuleWriter w;
  addConstantPolicy(w, "bad-index", Effect::Permit, true);
  addConstantPolicy(w, "bad-result", Effect::Permit, true);
  std::vector<uint8_t> bytes = finishModule(w);
  const rune_policy_fn fns[] = {nativeBadIndex, nativeInvalidResult};
  rune_native_module native{RUNE_NATIVE_ABI_VERSION, 2, bytes.data(),
                            bytes.size(), fns};
  CApi api;
  ASSERT_EQ(
      rune_module_load_native(api.engine, &native, &api.module, &api.error),
      RUNE_OK);
  api.entities = rune_entities_create_empty(api.engine);
  ASSERT_EQ(rune_request_create(api.engine, "U::\"a\"", "A::\"a\"", "R::\"r\"",
                                nullptr, &api.request, nullptr),
            RUNE_OK);
  ASSERT_EQ(rune_authorize(api.module, api.entities, api.request, &api.response,
                           nullptr),
            RUNE_OK);
  EXPECT_EQ(rune_response_decision(api.response), RUNE_DENY);
  ASSERT_EQ(rune_response_error_count(api.response), 2u);
  EXPECT_STREQ(rune_response_error_message(api.response, 0),
               "native code passed an invalid string index");
  EXPECT_STREQ(rune_response_error_message(api.response, 1),
               "policy returned the invalid result 7");
}

/// A decision written out: decision, reasons and errors.
std::string describeDecision(const rune_module *module,
                             const rune_entities *entities,
                             const rune_request *request) {
  rune_response *response = nullptr;
  char *error = nullptr;
  if (rune_authorize(module, entities, request, &response, &error) != RUNE_OK) {
    std::string message = error ? error : "";
    rune_string_free(error);
    return "failed: " + message;
  }
  std::string text =
      rune_response_decision(response) == RUNE_ALLOW ? "allow" : "deny";
  for (size_t i = 0; i < rune_response_reason_count(response); ++i)
    text += std::string(" reason=") + rune_response_reason(response, i);
  for (size_t i = 0; i < rune_response_error_count(response); ++i)
    text += std::string(" error=") + rune_response_error_policy(response, i) +
            ":" + rune_response_error_message(response, i);
  rune_response_free(response);
  return text;
}

// The native path keeps its evaluation state with the request between
// calls: one request decided in turns by different modules (native with
// satisfied forbids, native failing, interpreted) and stores gives what a
// fresh request gives every time.
TEST(NativeModuleTest, OneRequestAcrossModulesAndStores) {
  CApi api;
  std::vector<uint8_t> dept = deptModule();
  const rune_policy_fn deptFns[] = {nativeEngOnly, nativeBlocked};
  rune_native_module deptNative{RUNE_NATIVE_ABI_VERSION, 2, dept.data(),
                                dept.size(), deptFns};
  bc::ModuleWriter w;
  addConstantPolicy(w, "bad-index", Effect::Permit, true);
  addConstantPolicy(w, "bad-result", Effect::Permit, true);
  std::vector<uint8_t> failing = finishModule(w);
  const rune_policy_fn failingFns[] = {nativeBadIndex, nativeInvalidResult};
  rune_native_module failingNative{RUNE_NATIVE_ABI_VERSION, 2, failing.data(),
                                   failing.size(), failingFns};
  rune_module *nativeDept = nullptr, *nativeFailing = nullptr,
              *interpretedDept = nullptr;
  ASSERT_EQ(
      rune_module_load_native(api.engine, &deptNative, &nativeDept, nullptr),
      RUNE_OK);
  ASSERT_EQ(rune_module_load_native(api.engine, &failingNative, &nativeFailing,
                                    nullptr),
            RUNE_OK);
  ASSERT_EQ(rune_module_load(api.engine, dept.data(), dept.size(),
                             &interpretedDept, nullptr),
            RUNE_OK);
  const char *opsAlice =
      R"([{"uid": {"type": "User", "id": "alice"}, "attrs": {"dept": "ops"}}])";
  rune_entities *stores[2] = {nullptr, nullptr};
  ASSERT_EQ(rune_entities_parse_json(api.engine, kEntities,
                                     std::strlen(kEntities), "e", &stores[0],
                                     nullptr),
            RUNE_OK);
  ASSERT_EQ(rune_entities_parse_json(api.engine, opsAlice,
                                     std::strlen(opsAlice), "o", &stores[1],
                                     nullptr),
            RUNE_OK);
  const std::pair<const rune_module *, const rune_entities *> turns[] = {
      {nativeFailing, stores[0]}, {nativeDept, stores[0]},
      {nativeDept, stores[1]},    {interpretedDept, stores[0]},
      {nativeDept, stores[0]},    {nativeFailing, stores[1]},
      {nativeDept, stores[1]},    {nativeDept, stores[0]}};
  std::set<std::string> seen;
  for (const char *context :
       {"{\"block\": false}", "{\"block\": true}", "{\"block\": 1}"}) {
    rune_request *reused = nullptr;
    ASSERT_EQ(rune_request_create(api.engine, "User::\"alice\"", "A::\"a\"",
                                  "R::\"r\"", context, &reused, nullptr),
              RUNE_OK);
    for (auto [module, entities] : turns) {
      rune_request *fresh = nullptr;
      ASSERT_EQ(rune_request_create(api.engine, "User::\"alice\"", "A::\"a\"",
                                    "R::\"r\"", context, &fresh, nullptr),
                RUNE_OK);
      std::string expected = describeDecision(module, entities, fresh);
      rune_request_free(fresh);
      EXPECT_EQ(describeDecision(module, entities, reused), expected)
          << context;
      seen.insert(expected);
    }
    rune_request_free(reused);
  }
  // The turns cover an allow, a deny by a forbid, a default deny and errors.
  EXPECT_TRUE(seen.count("allow reason=eng-only"));
  EXPECT_TRUE(seen.count("deny reason=blocked"));
  EXPECT_TRUE(seen.count("deny"));
  EXPECT_TRUE(seen.count(
      "deny error=bad-index:native code passed an invalid string index "
      "error=bad-result:policy returned the invalid result 7"));
  rune_entities_free(stores[0]);
  rune_entities_free(stores[1]);
  rune_module_free(nativeDept);
  rune_module_free(nativeFailing);
  rune_module_free(interpretedDept);
}

TEST(NativeModuleTest, HelpersValidateIndices) {
  Environment env;
  rune_value dst{}, a{};
  reinterpret_cast<Value &>(a) = Value::integer(1);
  EvalContext &ctx = env.context();
  EXPECT_NE(rune_rt_load_const(&ctx, &dst, 0), 0);
  EXPECT_EQ(ctx.error, "native code passed an invalid constant index");
  EXPECT_NE(rune_rt_load_var(&env.context(), &dst, 4), 0);
  EXPECT_NE(rune_rt_like(&env.context(), &dst, &a, 0), 0);
  EXPECT_NE(rune_rt_make_record(&env.context(), &dst, 0, &a, 1), 0);
  EXPECT_NE(rune_rt_call_ext(&env.context(), &dst, 12, &a, 1), 0);
  EXPECT_EQ(env.ctx.error, "native code passed an invalid extension call");
  EXPECT_NE(rune_rt_is_type(&env.context(), &dst, &a, 5), 0);
  EXPECT_NE(rune_rt_eq(nullptr, &dst, &a, &a), 0);
  EXPECT_EQ(rune_rt_add(&env.context(), &dst, &a, &a), 0);
  EXPECT_EQ(reinterpret_cast<Value &>(dst).asLong(), 2);
  int32_t truth = -1;
  EXPECT_NE(rune_rt_to_bool(&env.context(), &a, &truth), 0);
  EXPECT_EQ(env.ctx.error, "type error: expected bool, got long");
  EXPECT_EQ(rune_rt_not(&env.context(), &dst, &a), 1);
  EXPECT_EQ(rune_rt_make_set(&env.context(), &dst, &a, 1), 0);
  EXPECT_EQ(rune_rt_is_empty(&env.context(), &dst, &dst), 0);
  EXPECT_EQ(rune_rt_to_bool(&env.context(), &dst, &truth), 0);
  EXPECT_EQ(truth, 0);
}

TEST(NativeModuleTest, ValueLayoutContract) {
  // rune_native.h promises: kind byte at offset 0, bytes 1..7 zero for bools
  // and longs, payload word at offset 8, entity payload identifies the uid.
  auto bytes = [](const Value &v) {
    std::array<uint8_t, 16> out;
    std::memcpy(out.data(), &v, 16);
    return out;
  };
  for (auto [value, kind, payload] :
       {std::tuple{Value::boolean(true), RUNE_KIND_BOOL, int64_t(1)},
        std::tuple{Value::boolean(false), RUNE_KIND_BOOL, int64_t(0)},
        std::tuple{Value(), RUNE_KIND_BOOL, int64_t(0)},
        std::tuple{Value::integer(-5), RUNE_KIND_LONG, int64_t(-5)},
        std::tuple{Value::integer(INT64_MAX), RUNE_KIND_LONG, INT64_MAX}}) {
    std::array<uint8_t, 16> b = bytes(value);
    EXPECT_EQ(b[RUNE_VALUE_KIND_OFFSET], kind);
    for (int i = 1; i < 8; ++i)
      EXPECT_EQ(b[i], 0) << i;
    int64_t word;
    std::memcpy(&word, b.data() + RUNE_VALUE_PAYLOAD_OFFSET, 8);
    EXPECT_EQ(word, payload);
  }
  EXPECT_EQ(static_cast<int>(ValueKind::Bool), RUNE_KIND_BOOL);
  EXPECT_EQ(static_cast<int>(ValueKind::Long), RUNE_KIND_LONG);
  EXPECT_EQ(static_cast<int>(ValueKind::Entity), RUNE_KIND_ENTITY);
  Arena arena{1024};
  const EntityUidData *uid = makeEntityUid(arena, Symbol(1), "x");
  std::array<uint8_t, 16> b = bytes(Value::entity(uid));
  EXPECT_EQ(b[0], RUNE_KIND_ENTITY);
  const void *pointer;
  std::memcpy(&pointer, b.data() + RUNE_VALUE_PAYLOAD_OFFSET, 8);
  EXPECT_EQ(pointer, uid);
  uint64_t hash;
  std::memcpy(&hash, pointer, 8);
  EXPECT_EQ(hash, hashEntityUid(Symbol(1), "x"));
  // The frame is the start of the state.
  EvalContext ctx;
  EXPECT_EQ(static_cast<void *>(&ctx), static_cast<void *>(&ctx.frame));
}

uint32_t gFrameLong = 0, gFrameString = 0;

/// Checks, through the frame alone, what rune_rt_load_const/load_var give.
int32_t nativeFrameReader(rune_eval_state *state, rune_value *regs) {
  const rune_eval_frame *frame =
      reinterpret_cast<const rune_eval_frame *>(state);
  const rune_value *c = &frame->constants[gFrameLong];
  if (reinterpret_cast<const uint8_t *>(c)[RUNE_VALUE_KIND_OFFSET] !=
          RUNE_KIND_LONG ||
      reinterpret_cast<const Value *>(c)->asLong() != 42)
    return 7;
  if (rune_rt_load_const(state, &regs[0], gFrameString) ||
      std::memcmp(&regs[0], &frame->constants[gFrameString], 16) != 0)
    return 8;
  for (uint32_t v = 0; v < 4; ++v)
    if (rune_rt_load_var(state, &regs[0], v) ||
        std::memcmp(&regs[0], frame->vars[v], 16) != 0)
      return 9;
  return reinterpret_cast<const uint8_t *>(frame->vars[0])[0] ==
                 RUNE_KIND_ENTITY
             ? 1
             : 0;
}

TEST(NativeModuleTest, FrameExposesConstantsAndVariables) {
  bc::ModuleWriter w;
  bc::PolicyCode &p = w.addPolicy("frame", Effect::Permit, {});
  gFrameString = w.constantString("eng");
  gFrameLong = w.constantLong(42);
  p.emit(Opcode::LoadConst, {0, gFrameLong});
  p.emit(Opcode::LoadConst, {0, gFrameString});
  p.emit(Opcode::LoadConst, {0, w.constantBool(true)});
  p.emit(Opcode::Return, {0});
  std::vector<uint8_t> bytes = finishModule(w);
  const rune_policy_fn fns[] = {nativeFrameReader};
  rune_native_module native{RUNE_NATIVE_ABI_VERSION, 1, bytes.data(),
                            bytes.size(), fns};
  CApi api;
  ASSERT_EQ(
      rune_module_load_native(api.engine, &native, &api.module, &api.error),
      RUNE_OK)
      << api.takeError();
  api.entities = rune_entities_create_empty(api.engine);
  ASSERT_EQ(rune_request_create(api.engine, "U::\"a\"", "A::\"a\"", "R::\"r\"",
                                R"({"n": 1})", &api.request, nullptr),
            RUNE_OK);
  for (int round = 0; round < 2; ++round) {
    rune_response_free(api.response);
    api.response = nullptr;
    ASSERT_EQ(rune_authorize(api.module, api.entities, api.request,
                             &api.response, nullptr),
              RUNE_OK);
    EXPECT_EQ(rune_response_error_count(api.response), 0u);
    EXPECT_EQ(rune_response_decision(api.response), RUNE_ALLOW);
  }
}

} // namespace
} // namespace rune::test
