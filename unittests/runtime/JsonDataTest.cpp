//===- JsonDataTest.cpp - Entities/context JSON and the entity store ------===//

#include "TestSupport.h"

#include "rune/Runtime/Json.h"
#include "rune/Runtime/SourceDiagnostic.h"

namespace rune::test {
namespace {

class EntitiesJsonTest : public ::testing::Test {
protected:
  bool parse(std::string_view json) {
    store = std::make_unique<EntityStore>(engine);
    error.clear();
    return parseEntitiesJson(json, "e.json", *store, error);
  }
  /// The first line of the error message.
  std::string firstLine() { return error.substr(0, error.find('\n')); }
  const EntityStore::Entity *find(std::string_view type, std::string_view id) {
    const EntityUidData *uid =
        makeEntityUid(arena, engine->symbols().intern(type), id);
    return store->find(*uid);
  }
  std::string show(const Value &v) { return formatValue(v, engine->symbols()); }
  Value attr(const EntityStore::Entity &e, std::string_view name) {
    const Value *v = e.attributes.findField(engine->symbols().intern(name));
    EXPECT_NE(v, nullptr) << name;
    return v ? *v : Value();
  }

  std::shared_ptr<Engine> engine = std::make_shared<Engine>();
  std::unique_ptr<EntityStore> store;
  Arena arena;
  std::string error;
};

TEST_F(EntitiesJsonTest, ParsesValues) {
  ASSERT_TRUE(parse(R"([
    {"uid": {"type": "User", "id": "alice"},
     "attrs": {
       "b": true, "n": -42, "s": "x\u00e9\n", "set": [3, 1, 3],
       "rec": {"k": {"deep": [{"a": 1}]}},
       "e1": {"__entity": {"type": "NS::Group", "id": "g"}},
       "d": {"__extn": {"fn": "decimal", "arg": "1.25"}},
       "ip": {"__extn": {"fn": "ip", "arg": "10.0.0.0/8"}},
       "ip2": {"__extn": {"fn": "ipaddr", "arg": "::1"}},
       "dt": {"__extn": {"fn": "datetime", "arg": "2024-01-01"}},
       "du": {"__extn": {"fn": "duration", "arg": "1h"}},
       "plain": {"type": "User", "id": "bob"}
     },
     "parents": [{"type": "Group", "id": "g1"},
                 {"__entity": {"type": "Group", "id": "g2"}}],
     "tags": {"t": 1}}
  ])"))
      << error;
  const EntityStore::Entity *alice = find("User", "alice");
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(show(attr(*alice, "b")), "true");
  EXPECT_EQ(show(attr(*alice, "n")), "-42");
  EXPECT_EQ(attr(*alice, "s").asString(), "x\xC3\xA9\n");
  EXPECT_EQ(show(attr(*alice, "set")), "[1, 3]");
  EXPECT_EQ(show(attr(*alice, "rec")), "{\"k\": {\"deep\": [{\"a\": 1}]}}");
  EXPECT_EQ(show(attr(*alice, "e1")), "NS::Group::\"g\"");
  EXPECT_EQ(show(attr(*alice, "d")), "decimal(\"1.25\")");
  EXPECT_EQ(show(attr(*alice, "ip")), "ip(\"10.0.0.0/8\")");
  EXPECT_EQ(show(attr(*alice, "ip2")), "ip(\"::1\")");
  EXPECT_EQ(show(attr(*alice, "dt")), "datetime(\"2024-01-01T00:00:00Z\")");
  EXPECT_EQ(show(attr(*alice, "du")), "duration(\"3600000ms\")");
  // Without a schema {type, id} is just a record.
  EXPECT_TRUE(attr(*alice, "plain").is(ValueKind::Record));
  ASSERT_EQ(alice->tagCount, 1u);
  EXPECT_EQ(alice->tags[0].key, "t");
  // Parents need not be entities of the file.
  EXPECT_EQ(find("Group", "g1"), nullptr);
  EXPECT_EQ(store->ancestorsOf(*alice->uid).size(), 2u);
}

TEST_F(EntitiesJsonTest, OptionalFieldsAndEmptyDocument) {
  ASSERT_TRUE(parse("[]")) << error;
  EXPECT_EQ(store->entityCount(), 0u);
  ASSERT_TRUE(parse(R"([{"uid": {"type": "A", "id": ""}}])")) << error;
  ASSERT_NE(find("A", ""), nullptr);
}

struct BadEntities {
  const char *json;
  const char *firstLine;
};

// Cedar writes a datetime it computed as the call that made it.
TEST_F(EntitiesJsonTest, ExtensionCallsWithSeveralArguments) {
  ASSERT_TRUE(parse(R"([
    {"uid": {"type": "User", "id": "alice"},
     "attrs": {
       "later": {"__extn": {"fn": "offset", "args": [
         {"__extn": {"fn": "datetime", "arg": "2024-01-01"}},
         {"__extn": {"fn": "duration", "arg": "1d"}}]}},
       "ip": {"__extn": {"fn": "ip", "args": ["10.0.0.1"]}}
     },
     "parents": []}
  ])"))
      << error;
  const EntityStore::Entity *alice = find("User", "alice");
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(show(attr(*alice, "later")), "datetime(\"2024-01-02T00:00:00Z\")");
  EXPECT_EQ(show(attr(*alice, "ip")), "ip(\"10.0.0.1\")");

  EXPECT_FALSE(parse(R"([{"uid": {"type": "A", "id": "a"}, "attrs": {"x":
    {"__extn": {"fn": "offset", "args": [{"__extn": {"fn": "duration",
    "arg": "1d"}}]}}}}])"));
  EXPECT_NE(error.find("`offset` takes 2 argument(s) in `args`"),
            std::string::npos)
      << error;
  EXPECT_FALSE(parse(R"([{"uid": {"type": "A", "id": "a"}, "attrs": {"x":
    {"__extn": {"fn": "offset", "args": [
      {"__extn": {"fn": "duration", "arg": "1d"}},
      {"__extn": {"fn": "duration", "arg": "1d"}}]}}}}])"));
  EXPECT_NE(error.find("takes a datetime and a duration"), std::string::npos)
      << error;
  EXPECT_FALSE(parse(R"([{"uid": {"type": "A", "id": "a"}, "attrs": {"x":
    {"__extn": {"fn": "decimal", "arg": "1.0", "args": ["1.0"]}}}}])"));
  EXPECT_NE(error.find("not both"), std::string::npos) << error;
}

TEST_F(EntitiesJsonTest, ReportsErrorsWithLocations) {
  const BadEntities cases[] = {
      {"", "e.json:1:1: error: unexpected end of input, expected a value"},
      {"[", "e.json:1:2: error: unexpected end of input, expected a value"},
      {"[1,]", "e.json:1:4: error: expected a value"},
      {"[]x", "e.json:1:3: error: unexpected text after the JSON value"},
      {"{}", "e.json:1:1: error: expected an array of entities, got an object"},
      {"[\n  {\"uid\": {\"type\": \"A\", \"id\": \"a\"} \"attrs\": {}}]",
       "e.json:2:36: error: expected ',' or '}' after an object member"},
      {"[\"x\"]", "e.json:1:2: error: expected an entity object, got a string"},
      {"[{}]", "e.json:1:2: error: entity is missing `uid`"},
      {"[{\"uid\": {\"type\": \"A\", \"id\": \"a\"}, \"extra\": 1}]",
       "e.json:1:36: error: unexpected key `extra` in entity (expected "
       "`uid`, `attrs`, `parents` or `tags`)"},
      {"[{\"uid\": {\"type\": \"A B\", \"id\": \"a\"}}]",
       "e.json:1:19: error: invalid entity type name \"A B\""},
      {"[{\"uid\": {\"type\": \"A\"}}]",
       "e.json:1:10: error: an entity uid is missing `id`"},
      {"[{\"uid\": \"A::\\\"a\\\"\"}]",
       "e.json:1:10: error: expected an entity uid (an object with `type` and "
       "`id`), got a string"},
      {"[{\"uid\": {\"type\": \"A\", \"id\": 1}}]",
       "e.json:1:30: error: expected a string for the entity id, got a "
       "number"},
      {"[{\"uid\": {\"type\": \"A\", \"id\": \"a\"},\n"
       " \"attrs\": {\"x\": {\"y\": 1.5}}}]",
       "e.json:2:23: error: in entity `A::\"a\"`, attribute `x.y`: number "
       "`1.5` is not an integer (Cedar longs are 64-bit integers)"},
      {"[{\"uid\": {\"type\": \"A\", \"id\": \"a\"}, \"attrs\": {\"x\": "
       "99999999999999999999}}]",
       "e.json:1:51: error: in entity `A::\"a\"`, attribute `x`: integer "
       "`99999999999999999999` is out of range for a Cedar long"},
      {"[{\"uid\": {\"type\": \"A\", \"id\": \"a\"}, \"attrs\": {\"x\": "
       "[null]}}]",
       "e.json:1:52: error: in entity `A::\"a\"`, attribute `x[]`: null is "
       "not a valid Cedar value"},
      {"[{\"uid\": {\"type\": \"A\", \"id\": \"a\"}, \"attrs\": {\"d\": "
       "{\"__extn\": {\"fn\": \"decimal\", \"arg\": \"x\"}}}}]",
       "e.json:1:87: error: in entity `A::\"a\"`, attribute `d`: invalid "
       "decimal: `x` is not a well-formed decimal value"},
      {"[{\"uid\": {\"type\": \"A\", \"id\": \"a\"}, \"attrs\": {\"d\": "
       "{\"__extn\": {\"fn\": \"nope\", \"arg\": \"x\"}}}}]",
       "e.json:1:69: error: in entity `A::\"a\"`, attribute `d`: unknown "
       "extension function `nope` (expected decimal, ip, datetime or "
       "duration)"},
      {"[{\"uid\": {\"type\": \"A\", \"id\": \"a\"}, \"tags\": {\"t\": "
       "false, \"u\": null}}]",
       "e.json:1:62: error: in entity `A::\"a\"`, tag `u`: null is not a "
       "valid Cedar value"},
      {"[{\"uid\": {\"type\": \"A\", \"id\": \"a\"}, \"parents\": [1]}]",
       "e.json:1:48: error: in entity `A::\"a\"`: expected a parent uid (an "
       "object with `type` and `id`), got a number"},
      {"[{\"uid\": {\"type\": \"A\", \"id\": \"a\"}, \"attrs\": [1]}]",
       "e.json:1:45: error: in entity `A::\"a\"`: expected an object for "
       "`attrs`, got an array"},
      {"[{\"uid\": {\"type\": \"A\", \"id\": \"a\"}},\n"
       " {\"uid\": {\"type\": \"A\", \"id\": \"a\"}}]",
       "e.json:2:10: error: duplicate entity `A::\"a\"`"},
      {"[{\"uid\": {\"type\": \"A\", \"id\": \"a\"}, \"attrs\": {\"k\": 1, "
       "\"k\": 2}}]",
       "e.json:1:54: error: duplicate key `k`"},
      {"[\"\\x\"]", "e.json:1:3: error: invalid escape sequence in string"},
      {"[\"\\ud800\"]", "e.json:1:3: error: unpaired surrogate in \\u escape"},
      {"[\"a\nb\"]",
       "e.json:1:4: error: control character in string (must be escaped)"},
      {"[\"\xff\"]", "e.json:1:3: error: invalid UTF-8 in string"},
      {"[01]", "e.json:1:3: error: expected ',' or ']' after an array element"},
      {"[1.]", "e.json:1:2: error: invalid number (expected digits after `.`)"},
      {"[tru]", "e.json:1:2: error: expected a value"},
  };
  for (const BadEntities &c : cases) {
    EXPECT_FALSE(parse(c.json)) << c.json;
    EXPECT_EQ(firstLine(), c.firstLine) << c.json;
  }
}

TEST_F(EntitiesJsonTest, ShowsSourceLineAndCaret) {
  EXPECT_FALSE(parse("[\n\t{\"uid\": 7}\n]"));
  EXPECT_EQ(error, "e.json:2:10: error: expected an entity uid (an object with "
                   "`type` and `id`), got a number\n"
                   "\t{\"uid\": 7}\n"
                   "\t        ^");
}

TEST_F(EntitiesJsonTest, NestingIsBounded) {
  std::string deep = "[{\"uid\": {\"type\": \"A\", \"id\": \"a\"}, \"attrs\": "
                     "{\"x\": " +
                     std::string(1000, '[') + std::string(1000, ']') + "}}]";
  EXPECT_FALSE(parse(deep));
  EXPECT_NE(firstLine().find("nesting too deep"), std::string::npos);
}

TEST(ContextJsonTest, ParsesRecords) {
  Engine engine;
  Arena arena;
  Value out;
  std::string error;
  ASSERT_TRUE(parseContextJson(R"({"a": 1, "b": {"c": [true]}})", "ctx",
                               engine.symbols(), arena, out, error))
      << error;
  EXPECT_EQ(formatValue(out, engine.symbols()),
            "{\"a\": 1, \"b\": {\"c\": [true]}}");
  ASSERT_TRUE(
      parseContextJson("{}", "ctx", engine.symbols(), arena, out, error));
  EXPECT_FALSE(
      parseContextJson("[1]", "ctx", engine.symbols(), arena, out, error));
  EXPECT_EQ(error.substr(0, error.find('\n')),
            "ctx:1:1: error: in context: the context must be a JSON object, "
            "got an array");
  EXPECT_FALSE(parseContextJson("{\"a\": 1.5}", "ctx", engine.symbols(), arena,
                                out, error));
  EXPECT_EQ(error.substr(0, error.find('\n')),
            "ctx:1:7: error: in context, attribute `a`: number `1.5` is not "
            "an integer (Cedar longs are 64-bit integers)");
}

TEST(SourceDiagnosticTest, Positions) {
  EXPECT_EQ(positionOf("ab\ncd", 4).line, 2u);
  EXPECT_EQ(positionOf("ab\ncd", 4).column, 2u);
  EXPECT_EQ(formatSourceDiagnostic("f", "x", 1, "m"), "f:1:2: error: m\nx\n ^");
  // Long lines are clipped around the error.
  std::string longLine(1000, 'a');
  std::string message = formatSourceDiagnostic("f", longLine, 500, "m");
  EXPECT_LT(message.size(), 400u);
  EXPECT_NE(message.find("..."), std::string::npos);
}

class EntityStoreTest : public ::testing::Test {
protected:
  const EntityUidData *uid(std::string_view id) {
    return makeEntityUid(store.arena(), engine->symbols().intern("T"), id);
  }
  void add(std::string_view id, std::vector<std::string_view> parents) {
    std::vector<const EntityUidData *> parentUids;
    for (std::string_view p : parents)
      parentUids.push_back(uid(p));
    ASSERT_TRUE(
        store.addEntity(uid(id), Value::record(nullptr, 0), {}, parentUids));
  }
  bool ancestor(std::string_view a, std::string_view b) {
    return store.isAncestor(*uid(a), *uid(b));
  }

  std::shared_ptr<Engine> engine = std::make_shared<Engine>();
  EntityStore store{engine};
};

TEST_F(EntityStoreTest, TransitiveClosure) {
  add("a", {"b", "c"});
  add("b", {"d"});
  add("c", {"d", "x"}); // x has no entity of its own
  add("d", {});
  add("lone", {});
  store.finalize();
  EXPECT_TRUE(ancestor("a", "b"));
  EXPECT_TRUE(ancestor("a", "d"));
  EXPECT_TRUE(ancestor("a", "x"));
  EXPECT_TRUE(ancestor("c", "x"));
  EXPECT_FALSE(ancestor("b", "x"));
  EXPECT_FALSE(ancestor("d", "a"));
  EXPECT_FALSE(ancestor("a", "a")); // not reflexive (in checks equality)
  EXPECT_FALSE(ancestor("a", "lone"));
  EXPECT_FALSE(ancestor("unknown", "a"));
  EXPECT_FALSE(ancestor("a", "unknown"));
  EXPECT_EQ(store.ancestorsOf(*uid("a")).size(), 4u);
}

TEST_F(EntityStoreTest, KeepsEntitiesAndDirectParentsInOrder) {
  // The .rune facts entity(E) and parent(E, P) come from these.
  add("a", {"b", "c"});
  add("b", {"d"});
  add("d", {});
  store.finalize();
  std::span<const EntityStore::Entity> entities = store.allEntities();
  ASSERT_EQ(entities.size(), 3u);
  EXPECT_EQ(entities[0].uid->id(), "a");
  EXPECT_EQ(entities[2].uid->id(), "d");
  ASSERT_EQ(entities[0].parentCount, 2u);
  EXPECT_EQ(entities[0].parents[0]->id(), "b");
  EXPECT_EQ(entities[0].parents[1]->id(), "c");
  // Direct parents only: d is an ancestor of a, not a parent.
  EXPECT_TRUE(ancestor("a", "d"));
  EXPECT_EQ(entities[2].parentCount, 0u);
}

TEST_F(EntityStoreTest, CyclesMakeMembersMutualAncestors) {
  add("a", {"b"});
  add("b", {"c"});
  add("c", {"a", "top"});
  add("self", {"self"});
  store.finalize();
  EXPECT_TRUE(ancestor("a", "c"));
  EXPECT_TRUE(ancestor("c", "b"));
  EXPECT_TRUE(ancestor("b", "a"));
  EXPECT_TRUE(ancestor("a", "top"));
  EXPECT_TRUE(ancestor("self", "self"));
}

TEST_F(EntityStoreTest, DeepChainsDoNotRecurse) {
  constexpr int kDepth = 3000;
  for (int i = 0; i < kDepth; ++i)
    add("n" + std::to_string(i), {"n" + std::to_string(i + 1)});
  store.finalize();
  EXPECT_TRUE(ancestor("n0", "n" + std::to_string(kDepth)));
  EXPECT_TRUE(ancestor("n100", "n2000"));
  EXPECT_FALSE(ancestor("n2000", "n100"));
}

TEST_F(EntityStoreTest, DuplicatesAndLookups) {
  add("a", {});
  EXPECT_FALSE(store.addEntity(uid("a"), Value::record(nullptr, 0), {}, {}));
  // Many entities force the hash table to grow.
  for (int i = 0; i < 1000; ++i)
    add("e" + std::to_string(i), {"a"});
  store.finalize();
  EXPECT_EQ(store.entityCount(), 1001u);
  for (int i = 0; i < 1000; i += 97) {
    ASSERT_NE(store.find(*uid("e" + std::to_string(i))), nullptr);
    EXPECT_TRUE(ancestor("e" + std::to_string(i), "a"));
  }
  EXPECT_EQ(store.find(*uid("zzz")), nullptr);
}

} // namespace
} // namespace rune::test
