//===- SchemaDataTest.cpp - Entities, contexts and requests with a schema -===//

#include "SampleSchema.h"
#include "TestSupport.h"

#include "rune/Runtime/Schema.h"

#include <algorithm>

namespace rune::test {
namespace {

class SchemaEntitiesTest : public ::testing::Test {
protected:
  bool parse(std::string_view json) {
    store = std::make_unique<EntityStore>(engine);
    error.clear();
    return parseEntitiesJson(json, "e.json", *store, error, &schema);
  }
  std::string firstLine() { return error.substr(0, error.find('\n')); }
  const EntityUidData *uid(std::string_view type, std::string_view id) {
    return makeEntityUid(arena, engine->symbols().intern(type), id);
  }
  const EntityStore::Entity *find(std::string_view type, std::string_view id) {
    return store->find(*uid(type, id));
  }
  std::string show(const Value &v) { return formatValue(v, engine->symbols()); }
  std::string attr(std::string_view type, std::string_view id,
                   std::string_view name) {
    const EntityStore::Entity *entity = find(type, id);
    if (!entity)
      return "(no entity)";
    const Value *v =
        entity->attributes.findField(engine->symbols().intern(name));
    return v ? show(*v) : "(no attribute)";
  }
  std::vector<std::string> ancestors(std::string_view type,
                                     std::string_view id) {
    std::vector<std::string> names;
    for (const EntityUidData *a : store->ancestorsOf(*uid(type, id)))
      names.push_back(formatEntityUid(*a, engine->symbols()));
    std::sort(names.begin(), names.end());
    return names;
  }

  std::shared_ptr<Engine> engine = std::make_shared<Engine>();
  Schema schema{sampleSchema()};
  std::unique_ptr<EntityStore> store;
  Arena arena;
  std::string error;
};

TEST_F(SchemaEntitiesTest, ValuesTakeTheSchemasTypes) {
  ASSERT_TRUE(parse(R"([
    {"uid": {"type": "User", "id": "alice"},
     "attrs": {"age": 42, "ip": "10.0.0.1", "budget": "12.5",
               "joined": "2024-01-01", "timeout": "1h",
               "manager": {"type": "User", "id": "bob"},
               "friends": [{"type": "User", "id": "carol"},
                           {"__entity": {"type": "User", "id": "dave"}}],
               "address": {"street": "Main"},
               "tags": ["a", "b"]},
     "parents": [{"type": "Group", "id": "staff"},
                 {"type": "Org", "id": "acme"}],
     "tags": {"level": 3}},
    {"uid": {"type": "User", "id": "bob"},
     "attrs": {"age": 50,
               "budget": {"__extn": {"fn": "decimal", "arg": "0.5"}},
               "ip": {"fn": "ip", "arg": "::1"},
               "address": {"street": "Side", "zip": 12345}}},
    {"uid": {"type": "Group", "id": "staff"}, "attrs": {"name": "Staff"},
     "parents": [{"type": "Group", "id": "all"}]},
    {"uid": {"type": "Photo", "id": "p"},
     "attrs": {"owner": {"type": "User", "id": "alice"},
               "color": {"type": "Color", "id": "red"},
               "meta": {"kind": "jpg", "extra": {"type": "User", "id": "x"}}}},
    {"uid": {"type": "Color", "id": "green"}}
  ])"))
      << error;
  EXPECT_EQ(attr("User", "alice", "age"), "42");
  EXPECT_EQ(attr("User", "alice", "ip"), "ip(\"10.0.0.1\")");
  EXPECT_EQ(attr("User", "alice", "budget"), "decimal(\"12.5\")");
  EXPECT_EQ(attr("User", "alice", "joined"),
            "datetime(\"2024-01-01T00:00:00Z\")");
  EXPECT_EQ(attr("User", "alice", "timeout"), "duration(\"3600000ms\")");
  EXPECT_EQ(attr("User", "alice", "manager"), "User::\"bob\"");
  EXPECT_EQ(attr("User", "alice", "friends"),
            "[User::\"carol\", User::\"dave\"]");
  EXPECT_EQ(attr("User", "alice", "address"), "{\"street\": \"Main\"}");
  EXPECT_EQ(attr("User", "alice", "tags"), "[\"a\", \"b\"]");
  EXPECT_EQ(attr("User", "alice", "nick"), "(no attribute)"); // optional
  const EntityStore::Entity *alice = find("User", "alice");
  ASSERT_EQ(alice->tagCount, 1u);
  EXPECT_EQ(show(alice->tags[0].value), "3");
  // Org is allowed through Group's memberOfTypes.
  EXPECT_EQ(ancestors("User", "alice"),
            (std::vector<std::string>{"Group::\"all\"", "Group::\"staff\"",
                                      "Org::\"acme\""}));

  EXPECT_EQ(attr("User", "bob", "budget"), "decimal(\"0.5\")");
  EXPECT_EQ(attr("User", "bob", "ip"), "ip(\"::1\")");
  EXPECT_EQ(attr("User", "bob", "address"),
            "{\"street\": \"Side\", \"zip\": 12345}");
  EXPECT_EQ(attr("Photo", "p", "color"), "Color::\"red\"");
  // Attributes an open record does not list are read without a type:
  // {"type", "id"} stays a record there.
  const EntityStore::Entity *photo = find("Photo", "p");
  ASSERT_NE(photo, nullptr);
  const Value *meta =
      photo->attributes.findField(engine->symbols().intern("meta"));
  ASSERT_NE(meta, nullptr);
  const Value *extra = meta->findField(engine->symbols().intern("extra"));
  ASSERT_NE(extra, nullptr);
  EXPECT_TRUE(extra->is(ValueKind::Record));
  EXPECT_NE(find("Color", "green"), nullptr);
  // The five entities and the schema's four actions.
  EXPECT_EQ(store->entityCount(), 9u);
}

TEST_F(SchemaEntitiesTest, ActionsComeFromTheSchema) {
  ASSERT_TRUE(parse("[]")) << error;
  EXPECT_EQ(store->entityCount(), 4u);
  EXPECT_NE(find("Action", "edit"), nullptr);
  EXPECT_EQ(ancestors("Action", "view"),
            std::vector<std::string>{"Action::\"read\""});
  EXPECT_TRUE(ancestors("Action", "read").empty());

  // An action entity in the data that matches its declaration is fine.
  ASSERT_TRUE(parse(R"([{"uid": {"type": "Action", "id": "view"},
                         "parents": [{"type": "Action", "id": "read"}]},
                        {"uid": {"__entity": {"type": "Action", "id": "read"}},
                         "attrs": {}, "parents": [], "tags": {}}])"))
      << error;
  EXPECT_EQ(store->entityCount(), 4u);
  EXPECT_EQ(ancestors("Action", "view"),
            std::vector<std::string>{"Action::\"read\""});
}

TEST_F(SchemaEntitiesTest, WithoutASchemaNothingChanges) {
  store = std::make_unique<EntityStore>(engine);
  ASSERT_TRUE(parseEntitiesJson(
      R"([{"uid": {"type": "Dog", "id": "d"}, "attrs": {"ip": "10.0.0.1"}}])",
      "e.json", *store, error))
      << error;
  EXPECT_EQ(attr("Dog", "d", "ip"), "\"10.0.0.1\"");
  EXPECT_EQ(store->entityCount(), 1u);
}

struct BadData {
  const char *json;
  const char *firstLine;
};

TEST_F(SchemaEntitiesTest, NonConformingEntitiesAreLocated) {
  const BadData cases[] = {
      {"[{\"uid\": {\"type\": \"Dog\", \"id\": \"d\"}}]",
       "e.json:1:10: error: in entity `Dog::\"d\"`: entity type `Dog` is not "
       "declared in the schema"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}}]",
       "e.json:1:2: error: in entity `User::\"a\"`: missing required attribute "
       "`age`"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"nick\": "
       "\"x\"}}]",
       "e.json:1:48: error: in entity `User::\"a\"`: missing required "
       "attribute `age`"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"age\": "
       "1, \"nickname\": \"x\"}}]",
       "e.json:1:59: error: in entity `User::\"a\"`: attribute `nickname` is "
       "not declared in the schema"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"age\": "
       "\"old\"}}]",
       "e.json:1:56: error: in entity `User::\"a\"`, attribute `age`: expected "
       "a value of type Long, got a string"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"age\": "
       "1.5}}]",
       "e.json:1:56: error: in entity `User::\"a\"`, attribute `age`: number "
       "`1.5` is not an integer (Cedar longs are 64-bit integers)"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"age\": "
       "null}}]",
       "e.json:1:56: error: in entity `User::\"a\"`, attribute `age`: null is "
       "not a valid Cedar value"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"age\": "
       "{\"__extn\": {\"fn\": \"decimal\", \"arg\": \"1.0\"}}}}]",
       "e.json:1:56: error: in entity `User::\"a\"`, attribute `age`: expected "
       "a value of type Long, got an extension value"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"age\": "
       "1, \"address\": {\"street\": \"s\", \"zip\": true}}}]",
       "e.json:1:93: error: in entity `User::\"a\"`, attribute `address.zip`: "
       "expected a value of type Long, got a boolean"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"age\": "
       "1, \"address\": {}}}]",
       "e.json:1:70: error: in entity `User::\"a\"`, attribute `address`: "
       "missing required attribute `street`"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"age\": "
       "1, \"address\": {\"street\": \"s\", \"x\": 1}}}]",
       "e.json:1:86: error: in entity `User::\"a\"`, attribute `address`: "
       "attribute `x` is not declared in the schema"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"age\": "
       "1, \"address\": []}}]",
       "e.json:1:70: error: in entity `User::\"a\"`, attribute `address`: "
       "expected a value of type {street: String, zip?: Long}, got an array"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"age\": "
       "1, \"friends\": [1]}}]",
       "e.json:1:71: error: in entity `User::\"a\"`, attribute `friends[]`: "
       "expected a value of type User, got a number"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"age\": "
       "1, \"tags\": \"a\"}}]",
       "e.json:1:67: error: in entity `User::\"a\"`, attribute `tags`: "
       "expected a value of type Set<String>, got a string"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"age\": "
       "1, \"manager\": {\"type\": \"Group\", \"id\": \"g\"}}}]",
       "e.json:1:70: error: in entity `User::\"a\"`, attribute `manager`: "
       "expected an entity of type `User`, got `Group::\"g\"`"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"age\": "
       "1, \"manager\": \"User::\\\"b\\\"\"}}]",
       "e.json:1:70: error: in entity `User::\"a\"`, attribute `manager`: "
       "expected a value of type User, got a string"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"age\": "
       "1, \"budget\": \"abc\"}}]",
       "e.json:1:69: error: in entity `User::\"a\"`, attribute `budget`: "
       "invalid decimal: `abc` is not a well-formed decimal value"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"age\": "
       "1, \"ip\": {\"__extn\": {\"fn\": \"decimal\", \"arg\": \"1.0\"}}}}]",
       "e.json:1:65: error: in entity `User::\"a\"`, attribute `ip`: expected "
       "a value of type ipaddr, got decimal"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"age\": "
       "1, \"ip\": {\"fn\": \"datetime\", \"arg\": \"2024-01-01\"}}}]",
       "e.json:1:65: error: in entity `User::\"a\"`, attribute `ip`: expected "
       "a value of type ipaddr, got datetime"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"age\": "
       "1, \"ip\": 7}}]",
       "e.json:1:65: error: in entity `User::\"a\"`, attribute `ip`: expected "
       "a value of type ipaddr, got a number"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"age\": "
       "1, \"ip\": {\"street\": \"x\"}}}]",
       "e.json:1:65: error: in entity `User::\"a\"`, attribute `ip`: expected "
       "a value of type ipaddr, got an object"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"age\": "
       "1, \"nick\": {\"__entity\": {\"type\": \"User\", \"id\": \"b\"}}}}]",
       "e.json:1:67: error: in entity `User::\"a\"`, attribute `nick`: "
       "expected a value of type String, got an entity"},
      {"[{\"uid\": {\"type\": \"Color\", \"id\": \"blue\"}}]",
       "e.json:1:10: error: in entity `Color::\"blue\"`: entity "
       "`Color::\"blue\"` is of an enumerated entity type, but \"blue\" is not "
       "one of its ids (\"red\", \"green\")"},
      {"[{\"uid\": {\"type\": \"Photo\", \"id\": \"p\"}, \"attrs\": "
       "{\"owner\": {\"type\": \"User\", \"id\": \"a\"}, \"color\": {\"type\": "
       "\"Color\", \"id\": \"blue\"}}}]",
       "e.json:1:97: error: in entity `Photo::\"p\"`, attribute `color`: "
       "entity `Color::\"blue\"` is of an enumerated entity type, but \"blue\" "
       "is not one of its ids (\"red\", \"green\")"},
      {"[{\"uid\": {\"type\": \"Photo\", \"id\": \"p\"}, \"attrs\": "
       "{\"owner\": {\"type\": \"User\", \"id\": \"a\"}, \"meta\": {\"extra\": "
       "1}}}]",
       "e.json:1:96: error: in entity `Photo::\"p\"`, attribute `meta`: "
       "missing required attribute `kind`"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"age\": "
       "1}, \"parents\": [{\"type\": \"Photo\", \"id\": \"x\"}]}]",
       "e.json:1:72: error: in entity `User::\"a\"`: entity type `User` may "
       "not have a parent of type `Photo` (not in its memberOfTypes in the "
       "schema)"},
      {"[{\"uid\": {\"type\": \"Org\", \"id\": \"o\"}, \"parents\": "
       "[{\"type\": \"Group\", \"id\": \"g\"}]}]",
       "e.json:1:50: error: in entity `Org::\"o\"`: entity type `Org` may not "
       "have a parent of type `Group` (not in its memberOfTypes in the "
       "schema)"},
      {"[{\"uid\": {\"type\": \"Group\", \"id\": \"g\"}, \"attrs\": {\"name\": "
       "\"G\"}, \"tags\": {\"t\": 1}}]",
       "e.json:1:73: error: in entity `Group::\"g\"`: tag `t` is not allowed: "
       "the schema declares no tags for `Group`"},
      {"[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"age\": "
       "1}, \"tags\": {\"t\": \"x\"}}]",
       "e.json:1:74: error: in entity `User::\"a\"`, tag `t`: expected a value "
       "of type Long, got a string"},
      {"[{\"uid\": {\"type\": \"Action\", \"id\": \"fly\"}}]",
       "e.json:1:10: error: in entity `Action::\"fly\"`: action "
       "`Action::\"fly\"` is not declared in the schema"},
      {"[{\"uid\": {\"type\": \"NS::Action\", \"id\": \"x\"}}]",
       "e.json:1:10: error: in entity `NS::Action::\"x\"`: action "
       "`NS::Action::\"x\"` is not declared in the schema"},
      {"[{\"uid\": {\"type\": \"Action\", \"id\": \"view\"}}]",
       "e.json:1:10: error: in entity `Action::\"view\"`: the definition of "
       "action `Action::\"view\"` does not match its declaration in the schema "
       "(actions come from the schema; leave them out of the entities)"},
      {"[{\"uid\": {\"type\": \"Action\", \"id\": \"read\"}, \"attrs\": "
       "{\"x\": 1}}]",
       "e.json:1:10: error: in entity `Action::\"read\"`: the definition of "
       "action `Action::\"read\"` does not match its declaration in the schema "
       "(actions come from the schema; leave them out of the entities)"},
      {"[{\"uid\": {\"type\": \"Action\", \"id\": \"read\"}},\n {\"uid\": "
       "{\"type\": \"Action\", \"id\": \"read\"}}]",
       "e.json:2:10: error: duplicate entity `Action::\"read\"`"},

  };
  for (const BadData &c : cases) {
    EXPECT_FALSE(parse(c.json)) << c.json;
    EXPECT_EQ(firstLine(), c.firstLine) << c.json;
  }
}

TEST_F(SchemaEntitiesTest, ExtensionLiteralsAreChecked) {
  const char *cases[][2] = {
      {"\"joined\": \"yesterday\"", "attribute `joined`: invalid datetime: "},
      {"\"timeout\": \"1x\"", "attribute `timeout`: invalid duration: "},
      {"\"ip\": \"10.0.0.256\"", "attribute `ip`: invalid ip address: "},
  };
  for (const auto &c : cases) {
    std::string json = std::string("[{\"uid\": {\"type\": \"User\", \"id\": "
                                   "\"a\"}, \"attrs\": {\"age\": 1, ") +
                       c[0] + "}}]";
    EXPECT_FALSE(parse(json));
    EXPECT_NE(firstLine().find(c[1]), std::string::npos) << firstLine();
  }
}

class SchemaContextTest : public ::testing::Test {
protected:
  bool parse(std::string_view json, std::string_view action) {
    error.clear();
    return parseContextJson(json, "ctx", engine.symbols(), arena, value, error,
                            &schema, schema.action("Action", action));
  }
  std::string firstLine() { return error.substr(0, error.find('\n')); }

  Engine engine;
  Arena arena;
  Schema schema{sampleSchema()};
  Value value;
  std::string error;
};

TEST_F(SchemaContextTest, TheActionsContextTypeApplies) {
  ASSERT_TRUE(parse(R"({"ip": "127.0.0.1", "level": 2})", "view")) << error;
  EXPECT_EQ(formatValue(value, engine.symbols()),
            "{\"ip\": ip(\"127.0.0.1\"), \"level\": 2}");
  ASSERT_TRUE(
      parse(R"({"ip": {"__extn": {"fn": "ip", "arg": "::1"}}})", "view"))
      << error;

  EXPECT_FALSE(parse(R"({"level": 2})", "view"));
  EXPECT_EQ(firstLine(),
            "ctx:1:1: error: in context: missing required attribute `ip`");
  EXPECT_FALSE(parse(R"({"ip": "::1", "x": 1})", "view"));
  EXPECT_EQ(firstLine(), "ctx:1:15: error: in context: attribute `x` is not "
                         "declared in the schema");
  EXPECT_FALSE(parse(R"({"ip": "::1", "level": "high"})", "view"));
  EXPECT_EQ(firstLine(), "ctx:1:24: error: in context, attribute `level`: "
                         "expected a value of type Long, got a string");

  // An action without a declared context takes the empty record.
  EXPECT_TRUE(parse("{}", "edit")) << error;
  EXPECT_FALSE(parse(R"({"x": 1})", "edit"));
  EXPECT_EQ(firstLine(), "ctx:1:2: error: in context: attribute `x` is not "
                         "declared in the schema");

  // Without an action, no type applies.
  EXPECT_TRUE(parseContextJson(R"({"ip": "::1"})", "ctx", engine.symbols(),
                               arena, value, error, &schema, nullptr));
  EXPECT_EQ(formatValue(value, engine.symbols()), "{\"ip\": \"::1\"}");
}

class SchemaRequestTest : public ::testing::Test {
protected:
  /// The error of building the request, or "" when it builds.
  std::string build(std::string_view principal, std::string_view action,
                    std::string_view resource, std::string_view context = "") {
    request = std::make_unique<Request>(engine);
    std::string error;
    if (request->build(principal, action, resource, context, error, &schema))
      return "";
    return error.substr(0, error.find('\n'));
  }

  std::shared_ptr<Engine> engine = std::make_shared<Engine>();
  Schema schema{sampleSchema()};
  std::unique_ptr<Request> request;
};

TEST_F(SchemaRequestTest, ValidRequests) {
  EXPECT_EQ(build("User::\"a\"", "Action::\"view\"", "Photo::\"p\"",
                  R"({"ip": "192.168.0.1"})"),
            "");
  EXPECT_EQ(formatValue(request->context, engine->symbols()),
            "{\"ip\": ip(\"192.168.0.1\")}");
  EXPECT_EQ(build("User::\"a\"", "Action::\"edit\"", "Photo::\"p\""), "");
  EXPECT_EQ(build("User::\"a\"", "Action::\"paint\"", "Color::\"green\""), "");
}

TEST_F(SchemaRequestTest, InvalidRequests) {
  EXPECT_EQ(build("User::\"a\"", "Action::\"delete\"", "Photo::\"p\""),
            "request's action `Action::\"delete\"` is not declared in the "
            "schema");
  EXPECT_EQ(build("Dog::\"d\"", "Action::\"view\"", "Photo::\"p\""),
            "principal type `Dog` is not declared in the schema");
  EXPECT_EQ(build("Photo::\"q\"", "Action::\"view\"", "Photo::\"p\""),
            "principal type `Photo` is not valid for `Action::\"view\"` "
            "(valid principal types: `User`)");
  EXPECT_EQ(build("User::\"a\"", "Action::\"view\"", "User::\"b\""),
            "resource type `User` is not valid for `Action::\"view\"` (valid "
            "resource types: `Photo`)");
  EXPECT_EQ(build("User::\"a\"", "Action::\"read\"", "Photo::\"p\""),
            "principal type `User` is not valid for `Action::\"read\"` (the "
            "action applies to no principal)");
  EXPECT_EQ(build("User::\"a\"", "Action::\"paint\"", "Color::\"blue\""),
            "resource `Color::\"blue\"` is of an enumerated entity type, but "
            "\"blue\" is not one of its ids");
  // No context is the empty record, which lacks the required `ip`.
  EXPECT_EQ(build("User::\"a\"", "Action::\"view\"", "Photo::\"p\""),
            "context:1:1: error: in context: missing required attribute `ip`");
  EXPECT_EQ(build("User::\"a\"", "Action::\"view\"", "Photo::\"p\"",
                  R"({"ip": "nope"})")
                .rfind("context:1:8: error: in context, attribute `ip`: "
                       "invalid ip address: ",
                       0),
            0u);
}

TEST_F(SchemaRequestTest, UidsFromParts) {
  // Ids are taken verbatim: quotes, backslashes, newlines, any Unicode.
  const std::string oddId = "a\"b\\c\n\xC3\xA9\xF0\x9F\x98\x80::\"";
  request = std::make_unique<Request>(engine);
  std::string error;
  ASSERT_TRUE(request->buildFromParts({"User", oddId}, {"Action", "view"},
                                      {"Photo", "p"}, R"({"ip": "::1"})", error,
                                      &schema))
      << error;
  EXPECT_EQ(request->principal.asEntity().id(), oddId);
  EXPECT_EQ(engine->symbols().name(request->principal.asEntity().type), "User");
  EXPECT_EQ(formatValue(request->context, engine->symbols()),
            "{\"ip\": ip(\"::1\")}");

  EXPECT_FALSE(request->buildFromParts({"User Name", "a"}, {"Action", "view"},
                                       {"Photo", "p"}, "", error));
  EXPECT_EQ(error, "principal: invalid entity type name \"User Name\"");
  EXPECT_FALSE(request->buildFromParts({"User", "a"}, {"Action", "view"},
                                       {"Photo", "\xFF"}, "", error));
  EXPECT_EQ(error, "resource: the entity id is not valid UTF-8");
  EXPECT_FALSE(request->buildFromParts({"User", "a"}, {"Action", "view"},
                                       {"Photo", "p"}, "", error, &schema));
  EXPECT_EQ(error.substr(0, error.find('\n')),
            "context:1:1: error: in context: missing required attribute `ip`");
  // Without a schema nothing is validated.
  EXPECT_TRUE(request->buildFromParts({"Any::Type", ""}, {"X", "y"},
                                      {"Z", "\""}, "", error))
      << error;
}

} // namespace
} // namespace rune::test
