//===- SchemaTest.cpp - The Schema section: writer, reader, verifier ------===//

#include "SampleSchema.h"
#include "TestSupport.h"

#include "rune/Runtime/Disassembler.h"
#include "rune/Runtime/Schema.h"
#include "rune/Runtime/SchemaSection.h"
#include "rune/Runtime/SchemaVerifier.h"

namespace rune::test {
namespace {

using bc::Effect;
using bc::SchemaInfo;
using bc::SchemaType;
using Kind = bc::SchemaType::Kind;

std::vector<uint8_t> moduleWithSchema(const SchemaInfo &schema) {
  bc::ModuleWriter w;
  addConstantPolicy(w, "p0", Effect::Permit, true);
  w.setSchema(schema);
  return finishModule(w);
}

/// The verifier's message for `schema`, or "" when it verifies.
std::string verifyError(const SchemaInfo &schema) {
  std::string error;
  if (bc::verifySchema(schema, error))
    return "";
  return error;
}

/// The decoder's message for the bytes of a Schema section, or "".
std::string decodeError(const std::vector<uint8_t> &section) {
  SchemaInfo decoded;
  std::string error;
  if (bc::decodeSchemaSection(section.data(), section.size(), decoded, error))
    return "";
  return error;
}

SchemaType typeOf(Kind kind, std::string name = "") {
  SchemaType type;
  type.kind = kind;
  type.name = std::move(name);
  return type;
}

SchemaType recordOf(std::vector<SchemaType::Attribute> attributes) {
  SchemaType type;
  type.kind = Kind::Record;
  type.attributes = std::move(attributes);
  return type;
}

TEST(SchemaSectionTest, WriterAndReaderRoundTrip) {
  std::vector<uint8_t> bytes = moduleWithSchema(sampleSchema());
  bc::Module module;
  std::string error;
  ASSERT_TRUE(bc::readModule(bytes.data(), bytes.size(), module, error))
      << error;
  EXPECT_EQ(module.versionMinor, bc::kSchemaVersionMinor);
  ASSERT_EQ(module.sections.size(), 5u);
  EXPECT_EQ(module.sections.back().kind, bc::SectionKind::Schema);
  ASSERT_TRUE(module.schema.has_value());
  EXPECT_EQ(*module.schema, sampleSchema());

  // An empty schema is still a schema.
  bytes = moduleWithSchema(SchemaInfo());
  ASSERT_TRUE(bc::readModule(bytes.data(), bytes.size(), module, error))
      << error;
  ASSERT_TRUE(module.schema.has_value());
  EXPECT_EQ(*module.schema, SchemaInfo());
}

TEST(SchemaSectionTest, ModulesWithoutASchemaStayVersion10) {
  bc::ModuleWriter w;
  addConstantPolicy(w, "p0", Effect::Permit, true);
  std::vector<uint8_t> bytes = finishModule(w);
  bc::Module module;
  std::string error;
  ASSERT_TRUE(bc::readModule(bytes.data(), bytes.size(), module, error));
  EXPECT_EQ(module.versionMinor, 0);
  EXPECT_EQ(module.sections.size(), 4u);
  EXPECT_FALSE(module.schema.has_value());
}

TEST(SchemaSectionTest, TheSectionStandsAlone) {
  std::vector<uint8_t> section = bc::encodeSchemaSection(sampleSchema());
  SchemaInfo decoded;
  std::string error;
  ASSERT_TRUE(
      bc::decodeSchemaSection(section.data(), section.size(), decoded, error))
      << error;
  EXPECT_EQ(decoded, sampleSchema());
  std::unique_ptr<Schema> schema =
      Schema::load(section.data(), section.size(), error);
  ASSERT_TRUE(schema) << error;
  EXPECT_EQ(schema->info().entityTypes.size(), 5u);
  // The section's string pool is deduplicated.
  std::string_view contents(reinterpret_cast<const char *>(section.data()),
                            section.size());
  size_t first = contents.find("User");
  EXPECT_EQ(contents.find("User", first + 1), std::string_view::npos);
}

TEST(SchemaSectionTest, EveryTruncationIsRejected) {
  std::vector<uint8_t> section = bc::encodeSchemaSection(sampleSchema());
  for (size_t length = 0; length < section.size(); ++length) {
    std::vector<uint8_t> truncated(section.begin(), section.begin() + length);
    std::string error = decodeError(truncated);
    EXPECT_EQ(error.rfind("Schema section", 0), 0u)
        << "length " << length << ": " << error;
  }
  section.push_back(0);
  EXPECT_EQ(decodeError(section), "Schema section: 1 trailing bytes");
}

TEST(SchemaSectionTest, DecoderChecksTheEncoding) {
  // Pool ["a"] (9 bytes), then: u32 2 types; [13] kind Record; [14] flags;
  // [15] u32 1 attribute; [19] name; [23] required; [24] type 1; [28] kind
  // Long; [29] no entity types; [33] no actions.
  SchemaInfo schema;
  schema.types = {recordOf({{"a", true, 1}}), typeOf(Kind::Long)};
  const std::vector<uint8_t> section = bc::encodeSchemaSection(schema);
  ASSERT_EQ(section.size(), 37u);
  ASSERT_EQ(decodeError(section), "");
  std::vector<uint8_t> bad = section;
  bad[13] = 7;
  EXPECT_EQ(decodeError(bad), "Schema section: type 0 has unknown kind 7");
  bad = section;
  bad[14] = 2;
  EXPECT_EQ(decodeError(bad), "Schema section: type 0: record flags 0x02 "
                              "(only 0x01 is defined)");
  bad = section;
  bad[23] = 2;
  EXPECT_EQ(decodeError(bad), "Schema section: type 0: attribute required "
                              "byte is 2 (must be 0 or 1)");
  bad = section;
  bad[19] = 1;
  EXPECT_EQ(decodeError(bad), "Schema section: type 0: string index 1 out of "
                              "range (the section has 1 strings)");
  bad = section;
  bad[8] = 0xFF; // the text of "a"
  EXPECT_EQ(decodeError(bad), "Schema section: string 0 is not valid UTF-8");
  bad = section;
  writeU32(bad, 9, 1000000);
  EXPECT_EQ(decodeError(bad), "Schema section: type count 1000000 does not fit "
                              "in 24 bytes");

  // Pool ["E"] (9 bytes), a record type (10 bytes with its count), then the
  // entity type: [23] name; [27] attributes; [31] has tags; [32] tags.
  schema = SchemaInfo();
  schema.types = {recordOf({})};
  schema.entityTypes = {{"E", 0, std::nullopt, {}, {}}};
  const std::vector<uint8_t> withEntity = bc::encodeSchemaSection(schema);
  ASSERT_EQ(decodeError(withEntity), "");
  bad = withEntity;
  bad[31] = 3;
  EXPECT_EQ(decodeError(bad), "Schema section: entity type 0: has-tags byte "
                              "is 3 (must be 0 or 1)");
  bad = withEntity;
  bad[32] = 1;
  EXPECT_EQ(decodeError(bad), "Schema section: entity type 0: tags type is "
                              "set but has-tags is 0");

  // Pool ["Action", "a"] (19 bytes), the record type (10), no entity types
  // (4), one action (4): [37] type; [41] id; [45] 3 counts; [57] has context;
  // [58] context.
  schema = SchemaInfo();
  schema.types = {recordOf({})};
  schema.actions = {{"Action", "a", {}, {}, {}, std::nullopt}};
  const std::vector<uint8_t> withAction = bc::encodeSchemaSection(schema);
  ASSERT_EQ(decodeError(withAction), "");
  bad = withAction;
  bad[57] = 9;
  EXPECT_EQ(decodeError(bad), "Schema section: action 0: has-context byte is "
                              "9 (must be 0 or 1)");
  bad = withAction;
  bad[58] = 1;
  EXPECT_EQ(decodeError(bad), "Schema section: action 0: context type is set "
                              "but has-context is 0");
}

TEST(SchemaVerifierTest, TheSampleVerifies) {
  EXPECT_EQ(verifyError(sampleSchema()), "");
  EXPECT_EQ(verifyError(SchemaInfo()), "");
}

TEST(SchemaVerifierTest, RejectsBadTypes) {
  SchemaInfo s = sampleSchema();
  s.types[sample::SetOfUsers].element = 99;
  EXPECT_EQ(verifyError(s), "Schema section: type 8: element type 99 out of "
                            "range (the schema has 18 types)");

  s = sampleSchema();
  s.types[sample::Address].attributes[1].type = 40;
  EXPECT_EQ(verifyError(s), "Schema section: type 10: attribute `zip`: its "
                            "type 40 out of range (the schema has 18 types)");

  s = sampleSchema();
  std::swap(s.types[sample::Address].attributes[0],
            s.types[sample::Address].attributes[1]);
  EXPECT_EQ(verifyError(s), "Schema section: type 10: attributes are not "
                            "sorted by name (`zip` comes before `street`)");

  s = sampleSchema();
  s.types[sample::Address].attributes[1].name = "street";
  EXPECT_EQ(verifyError(s),
            "Schema section: type 10: duplicate attribute `street`");

  s = sampleSchema();
  s.types[sample::UserRef].name = "Dog";
  EXPECT_EQ(verifyError(s),
            "Schema section: type 7: entity type `Dog` is not declared");

  s = sampleSchema();
  s.types[sample::UserRef].name = "not a name";
  EXPECT_EQ(verifyError(s),
            "Schema section: type 7: invalid entity type name `not a name`");

  s = sampleSchema();
  s.types[sample::IpAddr].name = "ip";
  EXPECT_EQ(verifyError(s), "Schema section: type 3: unknown extension type "
                            "`ip` (expected decimal, ipaddr, datetime or "
                            "duration)");

  // Recursion, directly and through a record.
  s = sampleSchema();
  s.types[sample::SetOfStrings].element = sample::SetOfStrings;
  EXPECT_EQ(verifyError(s), "Schema section: type 9 contains itself (schema "
                            "types cannot be recursive)");
  s = sampleSchema();
  s.types[sample::Address].attributes[1].type = sample::UserAttributes;
  EXPECT_EQ(verifyError(s), "Schema section: type 10 contains itself (schema "
                            "types cannot be recursive)");

  // Entity references may name action types too.
  s = sampleSchema();
  s.types[sample::UserRef].name = "Action";
  EXPECT_EQ(verifyError(s), "");
}

TEST(SchemaVerifierTest, RejectsBadEntityTypes) {
  SchemaInfo s = sampleSchema();
  s.entityTypes[4].name = "User";
  EXPECT_EQ(verifyError(s), "Schema section: entity type 4: entity type "
                            "`User` is declared twice");

  s = sampleSchema();
  s.entityTypes[0].name = "if";
  EXPECT_EQ(verifyError(s),
            "Schema section: entity type 0: invalid entity type name `if`");

  s = sampleSchema();
  s.entityTypes[0].attributes = 100;
  EXPECT_EQ(verifyError(s), "Schema section: entity type 0: attributes type "
                            "100 out of range (the schema has 18 types)");

  s = sampleSchema();
  s.entityTypes[0].attributes = sample::Long;
  EXPECT_EQ(verifyError(s),
            "Schema section: entity type 0: attributes type 1 is not a record");

  s = sampleSchema();
  s.entityTypes[0].tags = 18;
  EXPECT_EQ(verifyError(s), "Schema section: entity type 0: tags type 18 out "
                            "of range (the schema has 18 types)");

  s = sampleSchema();
  s.entityTypes[3].enumIds = {"red", "red"};
  EXPECT_EQ(verifyError(s), "Schema section: entity type 3: enumerated id "
                            "\"red\" is listed twice");

  s = sampleSchema();
  s.entityTypes[2].memberOfTypes = {"Team"};
  EXPECT_EQ(verifyError(s), "Schema section: entity type 2: parent type "
                            "`Team` is not a declared entity type");
}

TEST(SchemaVerifierTest, RejectsBadActions) {
  SchemaInfo s = sampleSchema();
  s.actions[0].type = "Action::";
  EXPECT_EQ(verifyError(s),
            "Schema section: action 0: invalid action type name `Action::`");

  s = sampleSchema();
  s.actions[2].id = "view";
  EXPECT_EQ(verifyError(s), "Schema section: action 2: action "
                            "Action::\"view\" is declared twice");

  s = sampleSchema();
  s.actions[1].parents = {{"Action", "write"}};
  EXPECT_EQ(verifyError(s), "Schema section: action 1: parent "
                            "Action::\"write\" is not a declared action");

  s = sampleSchema();
  s.actions[0].parents = {{"Action", "view"}};
  EXPECT_EQ(verifyError(s), "Schema section: action Action::\"read\" is its "
                            "own ancestor (the action hierarchy has a cycle)");

  s = sampleSchema();
  s.actions[1].principalTypes = {"Dog"};
  EXPECT_EQ(verifyError(s), "Schema section: action 1: principal type `Dog` "
                            "is not a declared entity type");

  s = sampleSchema();
  s.actions[1].resourceTypes = {"User", "Cat"};
  EXPECT_EQ(verifyError(s), "Schema section: action 1: resource type `Cat` "
                            "is not a declared entity type");

  s = sampleSchema();
  s.actions[1].context = 77;
  EXPECT_EQ(verifyError(s), "Schema section: action 1: context type 77 out "
                            "of range (the schema has 18 types)");

  s = sampleSchema();
  s.actions[1].context = sample::SetOfStrings;
  EXPECT_EQ(verifyError(s),
            "Schema section: action 1: context type 9 is not a record");
}

TEST(SchemaVerifierTest, TheWriterAndTheReaderUseIt) {
  SchemaInfo s = sampleSchema();
  s.actions[1].context = sample::Long;
  bc::ModuleWriter w;
  addConstantPolicy(w, "p0", Effect::Permit, true);
  w.setSchema(s);
  std::vector<uint8_t> bytes;
  std::string error;
  EXPECT_FALSE(w.finish(bytes, error));
  EXPECT_EQ(error, "the written module does not verify: bytecode: Schema "
                   "section: action 1: context type 1 is not a record");

  // A damaged section behind a valid checksum.
  bytes = moduleWithSchema(sampleSchema());
  size_t schema = sectionOffset(bytes, bc::SectionKind::Schema);
  writeU32(bytes, schema, 0xFFFF); // the pool's string count
  fixChecksum(bytes);
  EXPECT_EQ(readError(bytes).rfind("bytecode: Schema section: string count "
                                   "65535 does not fit",
                                   0),
            0u)
      << readError(bytes);
  std::string loadError;
  EXPECT_EQ(Schema::load(nullptr, 3, loadError), nullptr);
  EXPECT_EQ(loadError, "Schema section: truncated string count");
}

TEST(SchemaVerifierTest, SectionTableRules) {
  std::vector<uint8_t> bytes = moduleWithSchema(sampleSchema());
  std::vector<uint8_t> bad = bytes;
  writeU16(bad, 10, 0); // a 1.0 module cannot have a Schema section
  EXPECT_EQ(readError(bad), "bytecode: Schema section in a version 1.0 module "
                            "(it needs version 1.1)");
  bad = bytes;
  writeU32(bad, bc::kHeaderSize + 3 * bc::kSectionEntrySize, 5); // Code
  fixChecksum(bad);
  EXPECT_EQ(readError(bad), "bytecode: duplicate Schema section");
  bad = bytes;
  // (Kinds 6 and 7 are the IPE sections; 99 is no kind.)
  writeU32(bad, bc::kHeaderSize + 4 * bc::kSectionEntrySize, 99);
  fixChecksum(bad);
  EXPECT_EQ(readError(bad), "bytecode: section 4 has unknown kind 99");
}

TEST(SchemaIndexTest, Lookups) {
  Schema schema(sampleSchema());
  const bc::SchemaEntityType *user = schema.entityType("User");
  const bc::SchemaEntityType *group = schema.entityType("Group");
  const bc::SchemaEntityType *org = schema.entityType("Org");
  ASSERT_TRUE(user && group && org);
  EXPECT_EQ(schema.entityType("Dog"), nullptr);
  EXPECT_TRUE(schema.allowsParent(*user, "Group"));
  EXPECT_TRUE(schema.allowsParent(*user, "Org")); // through Group
  EXPECT_FALSE(schema.allowsParent(*user, "User"));
  EXPECT_TRUE(schema.allowsParent(*group, "Group"));
  EXPECT_FALSE(schema.allowsParent(*org, "Group"));

  const bc::SchemaEntityType *color = schema.entityType("Color");
  EXPECT_TRUE(schema.isValidId(*color, "red"));
  EXPECT_FALSE(schema.isValidId(*color, "blue"));
  EXPECT_TRUE(schema.isValidId(*user, "anyone"));

  EXPECT_TRUE(schema.isActionType("Action"));
  EXPECT_TRUE(schema.isActionType("NS::Action"));
  EXPECT_FALSE(schema.isActionType("Actions"));
  EXPECT_FALSE(schema.isActionType("User"));

  const bc::SchemaAction *view = schema.action("Action", "view");
  const bc::SchemaAction *edit = schema.action("Action", "edit");
  ASSERT_TRUE(view && edit);
  EXPECT_EQ(schema.action("Action", "nope"), nullptr);
  EXPECT_EQ(schema.actionAncestors(schema.actionIndex(*view)),
            std::unordered_set<uint32_t>{0});
  EXPECT_EQ(schema.contextType(*view), sample::ViewContext);
  const bc::SchemaType &editContext = schema.type(schema.contextType(*edit));
  EXPECT_EQ(editContext.kind, Kind::Record);
  EXPECT_TRUE(editContext.attributes.empty());
  EXPECT_FALSE(editContext.additionalAttributes);

  EXPECT_EQ(schema.describeType(sample::SetOfUsers), "Set<User>");
  EXPECT_EQ(schema.describeType(sample::Meta), "{kind: String}");
  EXPECT_EQ(schema.describeType(sample::UserAttributes),
            "{address?: {street: String, zip?: Long}, age: Long, budget?: "
            "decimal, friends?: Set<User>, ip?: ipaddr, joined?: datetime, "
            "manager?: User, nick?: String, ...}");
}

TEST(SchemaSectionTest, DisassemblerListsTheSchema) {
  SchemaInfo schema;
  schema.types = {typeOf(Kind::Long),
                  recordOf({{"n", true, 0}, {"odd name", false, 2}}),
                  typeOf(Kind::Entity, "NS::User"), typeOf(Kind::Set)};
  schema.types[3].element = 2;
  schema.types[1].additionalAttributes = true;
  schema.entityTypes = {{"NS::User", 1, 0, {}, {"NS::User"}},
                        {"NS::Color", 1, std::nullopt, {"red", "a\"b"}, {}}};
  schema.actions = {{"NS::Action", "read", {}, {}, {}, std::nullopt},
                    {"NS::Action",
                     "view",
                     {{"NS::Action", "read"}},
                     {"NS::User"},
                     {"NS::User", "NS::Color"},
                     1}};
  std::vector<uint8_t> bytes = moduleWithSchema(schema);
  std::string listing, error;
  ASSERT_TRUE(bc::disassemble(bytes, listing, error)) << error;
  EXPECT_EQ(listing.substr(0, listing.find(',')), "; rune bytecode 1.1");
  EXPECT_NE(listing.find(" schema@"), std::string::npos);
  EXPECT_EQ(listing.substr(listing.find("\nschema:")),
            R"(
schema:
  types (4):
    t0 = Long
    t1 = {n: t0, "odd name"?: t2, ...}
    t2 = entity NS::User
    t3 = Set<t2>
  entity types (2):
    NS::User: attributes t1, tags t0, memberOf [NS::User]
    NS::Color: attributes t1, enum ["red", "a\"b"]
  actions (2):
    NS::Action::"read": principals [], resources []
    NS::Action::"view": memberOf [NS::Action::"read"], principals [NS::User], resources [NS::User, NS::Color], context t1
)");
}

} // namespace
} // namespace rune::test
