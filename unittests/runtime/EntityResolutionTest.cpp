//===- EntityResolutionTest.cpp - Uids caching their entity-store node ----===//
//
// EntityUidData::storeNode lets a uid remember where the last store that
// looked it up found it (EntityStore::findNode). These tests check that the
// cache only ever saves time: answers stay right when a uid moves between
// stores, when a store is replaced, and for uids no store holds.
//
//===----------------------------------------------------------------------===//

#include "CApiSupport.h"
#include "TestSupport.h"

#include "rune/rune.h"
#include "rune/rune_native.h"

#include <cstring>

namespace rune::test {
namespace {

std::unique_ptr<EntityStore> makeStore(const std::shared_ptr<Engine> &engine,
                                       std::string_view json) {
  auto store = std::make_unique<EntityStore>(engine);
  std::string error;
  EXPECT_TRUE(parseEntitiesJson(json, "entities.json", *store, error)) << error;
  return store;
}

constexpr const char *kStoreA =
    R"([{"uid": {"type": "User", "id": "alice"}, "attrs": {"n": 1},
         "parents": [{"type": "Group", "id": "eng"}]},
        {"uid": {"type": "User", "id": "bob"}, "attrs": {"n": 2}}])";
constexpr const char *kStoreB =
    R"([{"uid": {"type": "User", "id": "bob"}, "attrs": {"n": 20},
         "parents": [{"type": "Group", "id": "ops"}]}])";

class EntityResolutionTest : public ::testing::Test {
protected:
  const EntityUidData &uid(std::string_view type, std::string_view id) {
    return *makeEntityUid(arena, engine->symbols().intern(type), id);
  }
  int64_t attrN(const EntityStore &store, const EntityUidData &of) {
    const EntityStore::Entity *entity = store.find(of);
    if (!entity)
      return -1;
    const Value *n =
        entity->attributes.findField(engine->symbols().intern("n"));
    return n ? n->asLong() : -1;
  }

  std::shared_ptr<Engine> engine = std::make_shared<Engine>();
  Arena arena;
};

TEST_F(EntityResolutionTest, StoresGetDistinctSerialsWhenFinalized) {
  EntityStore building(engine);
  EXPECT_EQ(building.serial(), 0u);
  auto a = makeStore(engine, kStoreA);
  auto b = makeStore(engine, kStoreB);
  EXPECT_NE(a->serial(), 0u);
  EXPECT_NE(b->serial(), 0u);
  EXPECT_NE(a->serial(), b->serial());
}

TEST_F(EntityResolutionTest, AUidLookedUpInTurnsInTwoStoresStaysRight) {
  auto a = makeStore(engine, kStoreA);
  auto b = makeStore(engine, kStoreB);
  const EntityUidData &alice = uid("User", "alice");
  const EntityUidData &bob = uid("User", "bob");
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(attrN(*a, alice), 1);
    EXPECT_EQ(attrN(*b, alice), -1); // absent from b
    EXPECT_EQ(attrN(*a, alice), 1);
    EXPECT_EQ(attrN(*a, bob), 2);
    EXPECT_EQ(attrN(*b, bob), 20);
    EXPECT_TRUE(a->isAncestor(alice, uid("Group", "eng")));
    EXPECT_FALSE(b->isAncestor(bob, uid("Group", "eng")));
    EXPECT_TRUE(b->isAncestor(bob, uid("Group", "ops")));
  }
}

TEST_F(EntityResolutionTest, AReplacedStoreDoesNotAnswerFromTheOldOne) {
  const EntityUidData &bob = uid("User", "bob");
  auto store = makeStore(engine, kStoreA);
  EXPECT_EQ(attrN(*store, bob), 2);
  // The new store may well be allocated where the old one was: only its
  // serial tells them apart.
  store.reset();
  store = makeStore(engine, kStoreB);
  EXPECT_EQ(attrN(*store, bob), 20);
  store.reset();
  store = makeStore(engine, "[]");
  EXPECT_EQ(attrN(*store, bob), -1);
  EXPECT_TRUE(store->ancestorsOf(bob).empty());
}

TEST_F(EntityResolutionTest, SameNodeTellsOnlyWhenBothAreResolvedInOneStore) {
  auto a = makeStore(engine, kStoreA);
  auto b = makeStore(engine, kStoreB);
  const EntityUidData &alice1 = uid("User", "alice");
  const EntityUidData &alice2 = uid("User", "alice");
  const EntityUidData &bob = uid("User", "bob");
  const EntityUidData &carol1 = uid("User", "carol");
  const EntityUidData &carol2 = uid("User", "carol");
  EXPECT_EQ(EntityStore::sameNode(alice1, alice2), -1); // nothing cached
  a->resolve(alice1);
  EXPECT_EQ(EntityStore::sameNode(alice1, alice2), -1); // one side only
  a->resolve(alice2);
  a->resolve(bob);
  EXPECT_EQ(EntityStore::sameNode(alice1, alice2), 1);
  EXPECT_EQ(EntityStore::sameNode(alice1, bob), 0);
  b->resolve(bob); // now cached for another store
  EXPECT_EQ(EntityStore::sameNode(alice1, bob), -1);
  // Uids no store holds are never told apart or equal by their caches.
  a->resolve(carol1);
  a->resolve(carol2);
  EXPECT_EQ(EntityStore::sameNode(carol1, carol2), -1);
  EXPECT_EQ(EntityStore::sameNode(carol1, alice1), -1);
}

TEST_F(EntityResolutionTest, InAnyComparesEqualUidsAtDifferentAddresses) {
  auto a = makeStore(engine, kStoreA);
  const EntityUidData &alice = uid("User", "alice");
  Value candidates[] = {Value::entity(&uid("Group", "ops")),
                        Value::entity(&uid("User", "alice"))};
  EXPECT_TRUE(a->inAny(alice, candidates));
  a->resolve(alice);
  a->resolve(candidates[1].asEntity());
  EXPECT_TRUE(a->inAny(alice, candidates));
  Value group[] = {Value::entity(&uid("Group", "eng"))};
  EXPECT_TRUE(a->inAny(alice, group));
  Value other[] = {Value::entity(&uid("User", "bob"))};
  a->resolve(other[0].asEntity());
  EXPECT_FALSE(a->inAny(alice, other));
}

TEST(RecordFieldTest, FindsFieldsOfSmallAndLargeRecords) {
  // findField scans records of up to 8 fields and bisects larger ones.
  for (uint32_t count : {0u, 1u, 3u, 8u, 9u, 20u}) {
    std::vector<RecordField> fields;
    for (uint32_t i = 0; i < count; ++i)
      fields.push_back({2 * i + 2, 0, Value::integer(i)}); // keys 2, 4, ...
    Arena arena;
    Value record;
    Symbol duplicate;
    ASSERT_TRUE(
        makeRecord(arena, fields.data(), fields.size(), record, duplicate));
    for (uint32_t key = 0; key <= 2 * count + 3; ++key) {
      const Value *field = record.findField(key);
      if (key >= 2 && key % 2 == 0 && key / 2 - 1 < count) {
        ASSERT_NE(field, nullptr) << count << " fields, key " << key;
        EXPECT_EQ(field->asLong(), key / 2 - 1);
      } else {
        EXPECT_EQ(field, nullptr) << count << " fields, key " << key;
      }
    }
  }
}

TEST(NativeHelperTest, SameEntityAgreesWithAndWithoutCachedNodes) {
  Environment env(kStoreA);
  rune_value alice1{}, alice2{}, bob{}, carol{};
  reinterpret_cast<Value &>(alice1) = env.entity("User", "alice");
  reinterpret_cast<Value &>(alice2) = env.entity("User", "alice");
  reinterpret_cast<Value &>(bob) = env.entity("User", "bob");
  reinterpret_cast<Value &>(carol) = env.entity("User", "carol");
  for (int resolved = 0; resolved < 2; ++resolved) {
    EXPECT_EQ(rune_rt_same_entity(&alice1, &alice2), 1);
    EXPECT_EQ(rune_rt_same_entity(&alice1, &bob), 0);
    EXPECT_EQ(rune_rt_same_entity(&carol, &alice1), 0);
    EXPECT_EQ(rune_rt_same_entity(&carol, &carol), 1);
    for (rune_value *v : {&alice1, &alice2, &bob, &carol})
      env.store->resolve(reinterpret_cast<Value &>(*v).asEntity());
  }
}

TEST(NativeHelperTest, GetAttrGivesValuesAndErrorsOfTheGeneralPath) {
  Environment env(kStoreA);
  uint32_t nameN = 0, nameMissing = 0;
  bc::ModuleWriter writer;
  nameN = writer.internString("n");
  nameMissing = writer.internString("missing");
  env.useModule(finishModule(writer));
  rune_value dst{}, obj{};
  for (int pass = 0; pass < 2; ++pass) { // the second with cached nodes
    reinterpret_cast<Value &>(obj) = env.entity("User", "bob");
    EXPECT_EQ(rune_rt_get_attr(&env.context(), &dst, &obj, nameN), 0);
    EXPECT_EQ(reinterpret_cast<Value &>(dst).asLong(), 2);
    EXPECT_NE(rune_rt_get_attr(&env.context(), &dst, &obj, nameMissing), 0);
    EXPECT_EQ(env.ctx.error,
              "entity `User::\"bob\"` does not have an attribute "
              "named `missing`");
    reinterpret_cast<Value &>(obj) = env.entity("User", "carol");
    EXPECT_NE(rune_rt_get_attr(&env.context(), &dst, &obj, nameN), 0);
    EXPECT_EQ(env.ctx.error, "entity `User::\"carol\"` does not exist");
    reinterpret_cast<Value &>(obj) = env.record({{"n", env.lng(7)}});
    EXPECT_EQ(rune_rt_get_attr(&env.context(), &dst, &obj, nameN), 0);
    EXPECT_EQ(reinterpret_cast<Value &>(dst).asLong(), 7);
    EXPECT_NE(rune_rt_get_attr(&env.context(), &dst, &obj, nameMissing), 0);
    EXPECT_EQ(env.ctx.error,
              "record does not have an attribute named `missing`");
    reinterpret_cast<Value &>(obj) = env.lng(1);
    EXPECT_NE(rune_rt_get_attr(&env.context(), &dst, &obj, nameN), 0);
    EXPECT_EQ(env.ctx.error,
              "type error: expected one of [entity, record], got long");
    EXPECT_NE(rune_rt_get_attr(&env.context(), &dst, &obj, 99), 0);
    EXPECT_EQ(env.ctx.error, "native code passed an invalid string index");
  }
}

/// permit "by-attr" when principal.n == 1; forbid "errs" reading
/// context.missing when context.trip is true, else false.
std::vector<uint8_t> reasonModule() {
  bc::ModuleWriter w;
  bc::PolicyCode &p = w.addPolicy("by-attr", bc::Effect::Permit, {});
  p.emit(Opcode::LoadVar, {0, static_cast<int64_t>(bc::Var::Principal)});
  p.emit(Opcode::GetAttr, {0, 0, w.internString("n")});
  p.emit(Opcode::LoadConst, {1, w.constantLong(1)});
  p.emit(Opcode::Eq, {0, 0, 1});
  p.emit(Opcode::Return, {0});
  bc::PolicyCode &e = w.addPolicy("errs", bc::Effect::Forbid, {});
  e.emit(Opcode::LoadVar, {0, static_cast<int64_t>(bc::Var::Context)});
  e.emit(Opcode::GetAttr, {0, 0, w.internString("missing")});
  e.emit(Opcode::Return, {0});
  return finishModule(w);
}

TEST(CApiResponseTest, ReasonsOutliveTheModuleAndSurviveResponseReuse) {
  CApi api;
  std::vector<uint8_t> bytes = reasonModule();
  ASSERT_EQ(rune_module_load(api.engine, bytes.data(), bytes.size(),
                             &api.module, &api.error),
            RUNE_OK)
      << api.takeError();
  ASSERT_EQ(rune_entities_parse_json(api.engine, kStoreA, std::strlen(kStoreA),
                                     "e.json", &api.entities, &api.error),
            RUNE_OK)
      << api.takeError();
  ASSERT_EQ(rune_request_create(api.engine, "User::\"alice\"",
                                "Action::\"view\"", "Photo::\"p\"", "{}",
                                &api.request, &api.error),
            RUNE_OK)
      << api.takeError();
  for (int round = 0; round < 3; ++round) {
    rune_response *response = nullptr;
    ASSERT_EQ(rune_authorize(api.module, api.entities, api.request, &response,
                             &api.error),
              RUNE_OK)
        << api.takeError();
    EXPECT_EQ(rune_response_decision(response), RUNE_ALLOW);
    ASSERT_EQ(rune_response_reason_count(response), 1u);
    EXPECT_STREQ(rune_response_reason(response, 0), "by-attr");
    EXPECT_EQ(rune_response_reason(response, 1), nullptr);
    ASSERT_EQ(rune_response_error_count(response), 1u);
    EXPECT_STREQ(rune_response_error_policy(response, 0), "errs");
    EXPECT_STREQ(rune_response_error_message(response, 0),
                 "record does not have an attribute named `missing`");
    // A decider's response (strings, not indices) reuses the same cached
    // response object next: both kinds must read right after each other.
    rune_response_free(response);
    rune_decider *decider = nullptr;
    ASSERT_EQ(
        rune_decider_create(api.module, api.entities, &decider, &api.error),
        RUNE_OK)
        << api.takeError();
    ASSERT_EQ(rune_decide(decider, api.request, &response, &api.error), RUNE_OK)
        << api.takeError();
    EXPECT_EQ(rune_response_decision(response), RUNE_ALLOW);
    ASSERT_EQ(rune_response_reason_count(response), 1u);
    EXPECT_STREQ(rune_response_reason(response, 0), "by-attr");
    ASSERT_EQ(rune_response_error_count(response), 1u);
    EXPECT_STREQ(rune_response_error_policy(response, 0), "errs");
    rune_response_free(response);
    rune_decider_free(decider);
  }
  // A response read after its module is freed.
  rune_response *response = nullptr;
  ASSERT_EQ(rune_authorize(api.module, api.entities, api.request, &response,
                           &api.error),
            RUNE_OK);
  rune_module_free(api.module);
  api.module = nullptr;
  ASSERT_EQ(rune_response_reason_count(response), 1u);
  EXPECT_STREQ(rune_response_reason(response, 0), "by-attr");
  EXPECT_STREQ(rune_response_error_policy(response, 0), "errs");
  rune_response_free(response);
}

} // namespace
} // namespace rune::test
