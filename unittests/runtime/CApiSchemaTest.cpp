//===- CApiSchemaTest.cpp - Schemas through rune.h ------------------------===//

#include "CApiSupport.h"
#include "SampleSchema.h"
#include "TestSupport.h"

#include "rune/Runtime/SchemaSection.h"

#include <cstdio>
#include <fstream>

namespace rune::test {
namespace {

using bc::Effect;
using bc::ExtFn;
using bc::Var;

/// permit when resource.owner == principal && context.ip.isLoopback(): both
/// need typed data (an entity, an ipaddr).
std::vector<uint8_t> ownerModule(bool withSchema) {
  bc::ModuleWriter w;
  bc::PolicyCode &p = w.addPolicy("owner-at-home", Effect::Permit, {});
  bc::Label no = p.createLabel();
  p.emit(Opcode::LoadVar, {0, static_cast<int64_t>(Var::Resource)});
  p.emit(Opcode::GetAttr, {0, 0, w.internString("owner")});
  p.emit(Opcode::LoadVar, {1, static_cast<int64_t>(Var::Principal)});
  p.emit(Opcode::Eq, {0, 0, 1});
  p.emit(Opcode::JumpIfFalse, {0, no.id});
  p.emit(Opcode::LoadVar, {0, static_cast<int64_t>(Var::Context)});
  p.emit(Opcode::GetAttr, {0, 0, w.internString("ip")});
  p.emit(Opcode::CallExt, {0, static_cast<int64_t>(ExtFn::IsLoopback), 0, 1});
  p.emit(Opcode::Return, {0});
  p.bindLabel(no);
  p.emit(Opcode::LoadConst, {0, w.constantBool(false)});
  p.emit(Opcode::Return, {0});
  if (withSchema)
    w.setSchema(sampleSchema());
  return finishModule(w);
}

constexpr const char *kEntities =
    R"([{"uid": {"type": "User", "id": "alice"}, "attrs": {"age": 30}},
        {"uid": {"type": "Photo", "id": "p"},
         "attrs": {"owner": {"type": "User", "id": "alice"}}}])";

/// Decides one request; "" when everything succeeded.
std::string decide(CApi &api, rune_decision &decision) {
  rune_response_free(api.response);
  api.response = nullptr;
  if (rune_authorize(api.module, api.entities, api.request, &api.response,
                     &api.error) != RUNE_OK)
    return api.takeError();
  decision = rune_response_decision(api.response);
  return "";
}

TEST(CApiSchemaTest, TheModulesSchemaTypesTheData) {
  CApi api;
  std::vector<uint8_t> bytes = ownerModule(true);
  ASSERT_EQ(rune_module_load(api.engine, bytes.data(), bytes.size(),
                             &api.module, &api.error),
            RUNE_OK)
      << api.takeError();
  const rune_schema *schema = rune_module_schema(api.module);
  ASSERT_NE(schema, nullptr);
  ASSERT_EQ(rune_entities_parse_json_with_schema(
                api.engine, schema, kEntities, std::strlen(kEntities), "e.json",
                &api.entities, &api.error),
            RUNE_OK)
      << api.takeError();
  ASSERT_EQ(rune_request_create_with_schema(
                api.engine, schema, "User::\"alice\"", "Action::\"view\"",
                "Photo::\"p\"", R"({"ip": "127.0.0.1"})", &api.request,
                &api.error),
            RUNE_OK)
      << api.takeError();
  rune_decision decision = RUNE_DENY;
  ASSERT_EQ(decide(api, decision), "");
  EXPECT_EQ(decision, RUNE_ALLOW);
  EXPECT_EQ(rune_response_error_count(api.response), 0u);

  // The same uids as parts.
  rune_request_free(api.request);
  api.request = nullptr;
  ASSERT_EQ(rune_request_create_parts(
                api.engine, schema, "User", "alice", "Action", "view", "Photo",
                "p", R"({"ip": "10.1.1.1"})", &api.request, &api.error),
            RUNE_OK)
      << api.takeError();
  ASSERT_EQ(decide(api, decision), "");
  EXPECT_EQ(decision, RUNE_DENY); // not a loopback address

  // Requests the schema does not allow.
  rune_request *rejected = nullptr;
  EXPECT_EQ(rune_request_create_with_schema(
                api.engine, schema, "User::\"alice\"", "Action::\"fly\"",
                "Photo::\"p\"", nullptr, &rejected, &api.error),
            RUNE_ERROR_INVALID_INPUT);
  EXPECT_EQ(rejected, nullptr);
  EXPECT_EQ(api.takeError(), "request's action `Action::\"fly\"` is not "
                             "declared in the schema");
  EXPECT_EQ(rune_request_create_parts(
                api.engine, schema, "Photo", "q", "Action", "view", "Photo",
                "p", R"({"ip": "::1"})", &rejected, &api.error),
            RUNE_ERROR_INVALID_INPUT);
  EXPECT_EQ(api.takeError(), "principal type `Photo` is not valid for "
                             "`Action::\"view\"` (valid principal types: "
                             "`User`)");

  // Entities the schema does not allow.
  rune_entities *bad = nullptr;
  const char *dog = R"([{"uid": {"type": "Dog", "id": "d"}}])";
  EXPECT_EQ(rune_entities_parse_json_with_schema(api.engine, schema, dog,
                                                 std::strlen(dog), "e.json",
                                                 &bad, &api.error),
            RUNE_ERROR_INVALID_INPUT);
  EXPECT_EQ(bad, nullptr);
  std::string error = api.takeError();
  EXPECT_EQ(error.substr(0, error.find('\n')),
            "e.json:1:10: error: in entity `Dog::\"d\"`: entity type `Dog` is "
            "not declared in the schema");
}

TEST(CApiSchemaTest, WithoutASchemaDataIsUntyped) {
  CApi api;
  std::vector<uint8_t> bytes = ownerModule(false);
  ASSERT_EQ(rune_module_load(api.engine, bytes.data(), bytes.size(),
                             &api.module, &api.error),
            RUNE_OK);
  EXPECT_EQ(rune_module_schema(api.module), nullptr);
  EXPECT_EQ(rune_module_schema(nullptr), nullptr);
  // A null schema means exactly the functions without a schema: `owner` is
  // a record, not an entity.
  ASSERT_EQ(rune_entities_parse_json_with_schema(
                api.engine, nullptr, kEntities, std::strlen(kEntities),
                "e.json", &api.entities, &api.error),
            RUNE_OK)
      << api.takeError();
  ASSERT_EQ(rune_request_create_parts(api.engine, nullptr, "User", "alice",
                                      "Anything", "goes", "Photo", "p",
                                      R"({"ip": "127.0.0.1"})", &api.request,
                                      &api.error),
            RUNE_OK)
      << api.takeError();
  rune_decision decision = RUNE_ALLOW;
  ASSERT_EQ(decide(api, decision), "");
  EXPECT_EQ(decision, RUNE_DENY);
}

TEST(CApiSchemaTest, SchemasLoadOnTheirOwn) {
  CApi api;
  std::vector<uint8_t> section = bc::encodeSchemaSection(sampleSchema());
  ASSERT_EQ(
      rune_schema_load(section.data(), section.size(), &api.schema, &api.error),
      RUNE_OK)
      << api.takeError();
  std::string path = ::testing::TempDir() + "capi_schema_entities.json";
  std::ofstream(path) << kEntities;
  ASSERT_EQ(rune_entities_load_file_with_schema(api.engine, api.schema,
                                                path.c_str(), &api.entities,
                                                &api.error),
            RUNE_OK)
      << api.takeError();
  std::remove(path.c_str());
  // A module without a schema, with data read by a separate schema.
  std::vector<uint8_t> bytes = ownerModule(false);
  ASSERT_EQ(rune_module_load(api.engine, bytes.data(), bytes.size(),
                             &api.module, &api.error),
            RUNE_OK);
  ASSERT_EQ(rune_request_create_parts(
                api.engine, api.schema, "User", "alice", "Action", "view",
                "Photo", "p", R"({"ip": "::1"})", &api.request, &api.error),
            RUNE_OK)
      << api.takeError();
  rune_decision decision = RUNE_DENY;
  ASSERT_EQ(decide(api, decision), "");
  EXPECT_EQ(decision, RUNE_ALLOW);

  rune_schema *bad = nullptr;
  EXPECT_EQ(
      rune_schema_load(section.data(), section.size() - 1, &bad, &api.error),
      RUNE_ERROR_INVALID_INPUT);
  EXPECT_EQ(bad, nullptr);
  EXPECT_EQ(api.takeError().rfind("Schema section truncated", 0), 0u);
  bc::SchemaInfo invalid = sampleSchema();
  invalid.actions[0].parents = {{"Action", "nope"}};
  section = bc::encodeSchemaSection(invalid);
  EXPECT_EQ(rune_schema_load(section.data(), section.size(), &bad, &api.error),
            RUNE_ERROR_INVALID_INPUT);
  EXPECT_EQ(api.takeError(), "Schema section: action 0: parent "
                             "Action::\"nope\" is not a declared action");
  rune_schema_free(nullptr);
}

TEST(CApiSchemaTest, RejectsBadArguments) {
  CApi api;
  std::vector<uint8_t> section = bc::encodeSchemaSection(sampleSchema());
  ASSERT_EQ(
      rune_schema_load(section.data(), section.size(), &api.schema, nullptr),
      RUNE_OK);
  EXPECT_EQ(rune_schema_load(nullptr, 4, &api.schema, &api.error),
            RUNE_ERROR_INVALID_INPUT);
  EXPECT_EQ(api.takeError(), "rune_schema_load: null argument");
  EXPECT_EQ(
      rune_schema_load(section.data(), section.size(), nullptr, &api.error),
      RUNE_ERROR_INVALID_INPUT);
  api.takeError();

  rune_entities *entities = nullptr;
  EXPECT_EQ(rune_entities_parse_json_with_schema(nullptr, api.schema, "[]", 2,
                                                 "e", &entities, &api.error),
            RUNE_ERROR_INVALID_INPUT);
  EXPECT_EQ(api.takeError(),
            "rune_entities_parse_json_with_schema: null argument");
  EXPECT_EQ(rune_entities_load_file_with_schema(api.engine, api.schema,
                                                "/nonexistent/e.json",
                                                &entities, &api.error),
            RUNE_ERROR_IO);
  EXPECT_NE(api.takeError().find("cannot open file"), std::string::npos);
  EXPECT_EQ(rune_entities_load_file_with_schema(api.engine, api.schema, nullptr,
                                                &entities, &api.error),
            RUNE_ERROR_INVALID_INPUT);
  api.takeError();

  rune_request *request = nullptr;
  EXPECT_EQ(rune_request_create_parts(api.engine, api.schema, "User", nullptr,
                                      "Action", "view", "Photo", "p", nullptr,
                                      &request, &api.error),
            RUNE_ERROR_INVALID_INPUT);
  EXPECT_EQ(api.takeError(), "rune_request_create_parts: null argument");
  EXPECT_EQ(rune_request_create_parts(api.engine, api.schema, "User", "a",
                                      "Action", "view", "Photo", "p", "",
                                      &request, &api.error),
            RUNE_ERROR_INVALID_INPUT);
  EXPECT_EQ(api.takeError(), "context: empty JSON text");
  EXPECT_EQ(rune_request_create_with_schema(api.engine, api.schema, nullptr,
                                            "Action::\"view\"", "Photo::\"p\"",
                                            nullptr, &request, &api.error),
            RUNE_ERROR_INVALID_INPUT);
  EXPECT_EQ(api.takeError(), "rune_request_create_with_schema: null argument");
  EXPECT_EQ(rune_request_create_parts(api.engine, nullptr, "Bad Type", "a",
                                      "Action", "view", "Photo", "p", nullptr,
                                      &request, &api.error),
            RUNE_ERROR_INVALID_INPUT);
  EXPECT_EQ(api.takeError(),
            "principal: invalid entity type name \"Bad Type\"");
  EXPECT_EQ(request, nullptr);
}

} // namespace
} // namespace rune::test
