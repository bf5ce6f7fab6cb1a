//===- SchemaIRGen.cpp - Cedar schema -> rune.schema ----------------------===//
//
// Encodes the schema in the dictionary form rune.schema documents (see
// RuneOps.td). Common types are already resolved in the schema model, so
// every type is written out in full.
//
//===----------------------------------------------------------------------===//

#include "rune/IRGen/SchemaIRGen.h"
#include "rune/Dialect/Rune/RuneOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;

namespace rune {
namespace {

class SchemaEncoder {
public:
  explicit SchemaEncoder(MLIRContext *context) : builder(context) {}

  Attribute type(const schema::Type &type) {
    switch (type.getKind()) {
    case schema::Type::Kind::Bool:
      return kind("bool");
    case schema::Type::Kind::Long:
      return kind("long");
    case schema::Type::Kind::String:
      return kind("string");
    case schema::Type::Kind::Entity:
      return dict({{"kind", str("entity")},
                   {"name", str(type.getEntityTypeName())}});
    case schema::Type::Kind::Extension:
      return dict({{"kind", str("extension")},
                   {"name", str(schema::getExtensionTypeName(
                                type.getExtensionType()))}});
    case schema::Type::Kind::Set:
      return dict({{"kind", str("set")},
                   {"element", this->type(type.getElementType())}});
    case schema::Type::Kind::Record:
      return record(type.getRecord());
    }
    llvm_unreachable("unknown schema type");
  }

  DictionaryAttr record(const schema::RecordType &record) {
    SmallVector<Attribute> attributes;
    for (const auto &[name, attribute] : record.attributes)
      attributes.push_back(
          dict({{"name", str(name)},
                {"required", builder.getBoolAttr(attribute.required)},
                {"type", type(attribute.type)}}));
    return dict({{"kind", str("record")},
                 {"attributes", builder.getArrayAttr(attributes)},
                 {"open", builder.getBoolAttr(record.additionalAttributes)}});
  }

  ArrayAttr strings(llvm::ArrayRef<std::string> values) {
    SmallVector<Attribute> attrs;
    for (const std::string &value : values)
      attrs.push_back(str(value));
    return builder.getArrayAttr(attrs);
  }

  StringAttr str(StringRef value) { return builder.getStringAttr(value); }

  DictionaryAttr dict(ArrayRef<std::pair<StringRef, Attribute>> entries) {
    SmallVector<NamedAttribute> named;
    for (const auto &[key, value] : entries)
      named.push_back(builder.getNamedAttr(key, value));
    return builder.getDictionaryAttr(named);
  }

  OpBuilder builder;

private:
  DictionaryAttr kind(StringRef name) { return dict({{"kind", str(name)}}); }
};

} // namespace

void generateSchemaOp(ModuleOp module, const schema::Schema &schema) {
  SchemaEncoder encode(module.getContext());
  SmallVector<Attribute> entityTypes;
  for (const schema::EntityTypeDef &entity : schema.getEntityTypes()) {
    SmallVector<std::pair<StringRef, Attribute>> fields = {
        {"name", encode.str(entity.name)},
        {"attributes", encode.record(entity.shape)},
        {"member_of", encode.strings(entity.memberOfTypes)}};
    if (entity.tags)
      fields.push_back({"tags", encode.type(*entity.tags)});
    if (entity.enumIds) {
      // Cedar accepts an id listed twice; it names one entity.
      std::vector<std::string> ids;
      for (const std::string &id : *entity.enumIds)
        if (!llvm::is_contained(ids, id))
          ids.push_back(id);
      fields.push_back({"enum_ids", encode.strings(ids)});
    }
    entityTypes.push_back(encode.dict(fields));
  }
  SmallVector<Attribute> actions;
  for (const schema::ActionDef &action : schema.getActions()) {
    SmallVector<Attribute> parents;
    for (const schema::EntityUid &parent : action.memberOf)
      parents.push_back(encode.builder.getArrayAttr(
          {encode.str(parent.type), encode.str(parent.id)}));
    actions.push_back(encode.dict(
        {{"type", encode.str(action.uid.type)},
         {"id", encode.str(action.uid.id)},
         {"parents", encode.builder.getArrayAttr(parents)},
         {"principals", encode.strings(action.principalTypes)},
         {"resources", encode.strings(action.resourceTypes)},
         {"context", encode.record(action.context)}}));
  }
  OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
  builder.create<SchemaOp>(module.getLoc(), builder.getArrayAttr(entityTypes),
                           builder.getArrayAttr(actions));
}

} // namespace rune
