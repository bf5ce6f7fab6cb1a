//===- SampleSchema.h - A schema shared by the runtime's tests --*- C++ -*-===//
//
// The SchemaInfo a compiler would produce for
//
//   entity Org;
//   entity Group in [Group, Org] { name: String };
//   entity User in [Group] {
//     address?: { street: String, zip?: Long }, age: Long, budget?: decimal,
//     friends?: Set<User>, ip?: ipaddr, joined?: datetime, manager?: User,
//     nick?: String, tags?: Set<String>, timeout?: duration,
//   } tags Long;
//   entity Color enum ["red", "green"];
//   entity Photo { color?: Color, meta?: { kind: String, ... }, owner: User };
//   action read;
//   action view in [read] appliesTo {
//     principal: User, resource: Photo,
//     context: { ip: ipaddr, level?: Long } };
//   action edit appliesTo { principal: User, resource: Photo };
//   action paint appliesTo { principal: User, resource: Color };
//
// (`...`: an open record, which allows attributes it does not list.)
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_UNITTESTS_RUNTIME_SAMPLESCHEMA_H
#define RUNE_UNITTESTS_RUNTIME_SAMPLESCHEMA_H

#include "rune/Runtime/SchemaInfo.h"

namespace rune::test {

namespace sample {
// Indices of the types in sampleSchema().types.
enum : uint32_t {
  Bool,
  Long,
  String,
  IpAddr,
  Decimal,
  Datetime,
  Duration,
  UserRef,
  SetOfUsers,
  SetOfStrings,
  Address,
  UserAttributes,
  Empty,
  GroupAttributes,
  ColorRef,
  Meta,
  PhotoAttributes,
  ViewContext,
};
} // namespace sample

inline bc::SchemaInfo sampleSchema() {
  using Kind = bc::SchemaType::Kind;
  auto simple = [](Kind kind, std::string name = "") {
    bc::SchemaType type;
    type.kind = kind;
    type.name = std::move(name);
    return type;
  };
  auto set = [](uint32_t element) {
    bc::SchemaType type;
    type.kind = Kind::Set;
    type.element = element;
    return type;
  };
  auto record = [](std::vector<bc::SchemaType::Attribute> attributes,
                   bool open = false) {
    bc::SchemaType type;
    type.kind = Kind::Record;
    type.attributes = std::move(attributes);
    type.additionalAttributes = open;
    return type;
  };
  bc::SchemaInfo schema;
  schema.types = {
      simple(Kind::Bool),
      simple(Kind::Long),
      simple(Kind::String),
      simple(Kind::Extension, "ipaddr"),
      simple(Kind::Extension, "decimal"),
      simple(Kind::Extension, "datetime"),
      simple(Kind::Extension, "duration"),
      simple(Kind::Entity, "User"),
      set(sample::UserRef),
      set(sample::String),
      record({{"street", true, sample::String}, {"zip", false, sample::Long}}),
      record({{"address", false, sample::Address},
              {"age", true, sample::Long},
              {"budget", false, sample::Decimal},
              {"friends", false, sample::SetOfUsers},
              {"ip", false, sample::IpAddr},
              {"joined", false, sample::Datetime},
              {"manager", false, sample::UserRef},
              {"nick", false, sample::String},
              {"tags", false, sample::SetOfStrings},
              {"timeout", false, sample::Duration}}),
      record({}),
      record({{"name", true, sample::String}}),
      simple(Kind::Entity, "Color"),
      record({{"kind", true, sample::String}}, /*open=*/true),
      record({{"color", false, sample::ColorRef},
              {"meta", false, sample::Meta},
              {"owner", true, sample::UserRef}}),
      record({{"ip", true, sample::IpAddr}, {"level", false, sample::Long}}),
  };
  schema.entityTypes = {
      {"Org", sample::Empty, std::nullopt, {}, {}},
      {"Group", sample::GroupAttributes, std::nullopt, {}, {"Group", "Org"}},
      {"User", sample::UserAttributes, sample::Long, {}, {"Group"}},
      {"Color", sample::Empty, std::nullopt, {"red", "green"}, {}},
      {"Photo", sample::PhotoAttributes, std::nullopt, {}, {}},
  };
  schema.actions = {
      {"Action", "read", {}, {}, {}, std::nullopt},
      {"Action",
       "view",
       {{"Action", "read"}},
       {"User"},
       {"Photo"},
       sample::ViewContext},
      {"Action", "edit", {}, {"User"}, {"Photo"}, std::nullopt},
      {"Action", "paint", {}, {"User"}, {"Color"}, std::nullopt},
  };
  return schema;
}

} // namespace rune::test

#endif // RUNE_UNITTESTS_RUNTIME_SAMPLESCHEMA_H
