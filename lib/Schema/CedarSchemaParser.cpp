//===- CedarSchemaParser.cpp - The Cedar schema format --------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Parses the Cedar schema format with the ANTLR grammar
// grammar/CedarSchema.g4 and turns the parse tree into the format-neutral
// RawSchema, enforcing what Cedar's parser enforces: reserved words are not
// identifiers, strings have valid escapes, annotation keys are unique per
// declaration, and `appliesTo` names a principal and a resource exactly
// once. Name resolution and all other checks are shared with the JSON
// format (SchemaResolver.cpp).
//
// The parse driver is shared with the policy parser
// (rune/Frontend/Common/AntlrParseDriver.h): ANTLR sees the buffer byte by
// byte so that token offsets are SMLocs, and nothing ANTLR throws escapes.
// Input nested deeper than MaxNesting is rejected before the recursive parser
// sees it.
//
//===----------------------------------------------------------------------===//

#include "rune/Schema/SchemaParser.h"

#include "SchemaFragment.h"
#include "SchemaStrings.h"
#include "SchemaSyntaxErrors.h"

#include "rune/Frontend/Common/AntlrParseDriver.h"

#include "CedarSchemaLexer.h"
#include "CedarSchemaParser.h"

#include <set>

using namespace rune;
using namespace rune::schema;
using namespace rune::schema::detail;
using grammar::CedarSchemaLexer;
using grammar::CedarSchemaParser;

namespace {

/// Bracket nesting accepted: far beyond any real schema, far below what
/// exhausts the stack of the recursive-descent parser.
constexpr unsigned MaxNesting = 200;

bool checkNesting(antlr4::CommonTokenStream &tokens,
                  const SourceLocator &locator, DiagnosticEngine &diags) {
  unsigned depth = 0;
  for (antlr4::Token *token : tokens.getTokens()) {
    switch (token->getType()) {
    case CedarSchemaParser::LBRACE:
    case CedarSchemaParser::LBRACKET:
    case CedarSchemaParser::LANGLE:
    case CedarSchemaParser::LPAREN:
      if (++depth > MaxNesting) {
        diags.error(locator.startOf(token),
                    "schema is nested too deeply (the limit is " +
                        llvm::Twine(MaxNesting) + " levels of brackets)");
        return false;
      }
      break;
    case CedarSchemaParser::RBRACE:
    case CedarSchemaParser::RBRACKET:
    case CedarSchemaParser::RANGLE:
    case CedarSchemaParser::RPAREN:
      if (depth != 0)
        --depth;
      break;
    default:
      break;
    }
  }
  return true;
}

RawType cloneType(const RawType &type) {
  RawType copy;
  copy.kind = type.kind;
  copy.name = type.name;
  if (type.element)
    copy.element = std::make_unique<RawType>(cloneType(*type.element));
  for (const RawAttribute &attribute : type.attributes)
    copy.attributes.push_back({attribute.name, attribute.nameRange,
                               cloneType(attribute.type), attribute.required});
  copy.additionalAttributes = type.additionalAttributes;
  copy.range = type.range;
  return copy;
}

/// Builds the RawSchema from a parse tree without syntax errors.
class CedarSchemaBuilder {
public:
  CedarSchemaBuilder(const SourceLocator &locator, DiagnosticEngine &diags)
      : locator(locator), diags(diags) {}

  RawSchema build(CedarSchemaParser::SchemaContext *tree) {
    RawSchema schema;
    std::optional<size_t> emptyNamespace;
    for (auto *item : tree->topLevelItem()) {
      checkAnnotations(item->annotation());
      if (auto *ns = item->namespaceDecl()) {
        RawNamespace &raw = schema.namespaces.emplace_back();
        raw.name = buildPath(ns->path());
        for (auto *decl : ns->annotatedDeclaration()) {
          checkAnnotations(decl->annotation());
          addDeclaration(raw, decl->declaration());
        }
        continue;
      }
      // Declarations outside any namespace all belong to the one empty
      // namespace.
      if (!emptyNamespace) {
        emptyNamespace = schema.namespaces.size();
        schema.namespaces.emplace_back();
      }
      addDeclaration(schema.namespaces[*emptyNamespace], item->declaration());
    }
    return schema;
  }

private:
  void error(llvm::SMRange range, const llvm::Twine &message) {
    diags.error(range.Start, message,
                range.Start != range.End ? llvm::ArrayRef(range)
                                         : llvm::ArrayRef<llvm::SMRange>());
  }

  /// Annotations are accepted and ignored, but like Cedar we reject a key
  /// given twice and malformed values.
  void checkAnnotations(
      const std::vector<CedarSchemaParser::AnnotationContext *> &annotations) {
    std::set<std::string> keys;
    for (auto *annotation : annotations) {
      if (!annotation->ident())
        continue;
      std::string key = locator.textOf(annotation->ident()->getStart()).str();
      if (!keys.insert(key).second)
        error(locator.rangeOf(annotation),
              "duplicate annotation '@" + key + "'");
      if (annotation->STRING_LIT())
        decodeString(annotation->STRING_LIT());
    }
  }

  std::string decodeString(antlr4::tree::TerminalNode *node) {
    llvm::StringRef text = locator.textOf(node);
    llvm::StringRef contents = text.drop_front().drop_back();
    std::vector<StringEscapeError> errors;
    std::string value = unescapeCedarString(contents, errors);
    llvm::SMLoc start = locator.startOf(node->getSymbol());
    for (const StringEscapeError &e : errors)
      diags.error(
          llvm::SMLoc::getFromPointer(start.getPointer() + 1 + e.offset),
          e.message);
    return value;
  }

  /// An identifier where Cedar requires one: reserved words are rejected.
  std::string buildIdent(CedarSchemaParser::IdentContext *ctx) {
    std::string text = locator.textOf(ctx->getStart()).str();
    if (isReservedIdentifier(text))
      error(locator.rangeOf(ctx),
            "'" + text +
                "' is a reserved word and cannot be used as an "
                "identifier");
    return text;
  }

  RawName buildPath(CedarSchemaParser::PathContext *ctx) {
    RawName name;
    for (auto *ident : ctx->ident())
      name.components.push_back(buildIdent(ident));
    name.range = locator.rangeOf(ctx);
    return name;
  }

  std::string buildName(CedarSchemaParser::AttrNameContext *ctx) {
    if (ctx->STRING_LIT())
      return decodeString(ctx->STRING_LIT());
    return buildIdent(ctx->ident());
  }

  std::vector<RawName>
  buildEntityTypes(CedarSchemaParser::EntityTypeListContext *ctx) {
    std::vector<RawName> names;
    for (auto *path : ctx->path())
      names.push_back(buildPath(path));
    return names;
  }

  RawType buildType(CedarSchemaParser::SchemaTypeContext *ctx) {
    if (auto *set = dynamic_cast<CedarSchemaParser::SetTypeContext *>(ctx)) {
      RawType type;
      type.kind = RawType::Kind::Set;
      type.element = std::make_unique<RawType>(buildType(set->schemaType()));
      type.range = locator.rangeOf(ctx);
      return type;
    }
    if (auto *named =
            dynamic_cast<CedarSchemaParser::NamedTypeContext *>(ctx)) {
      RawType type;
      type.kind = RawType::Kind::EntityOrCommon;
      type.name = buildPath(named->path());
      type.range = type.name.range;
      return type;
    }
    auto *record = static_cast<CedarSchemaParser::RecordTypeExprContext *>(ctx);
    return buildRecord(record->recordType());
  }

  RawType buildRecord(CedarSchemaParser::RecordTypeContext *ctx) {
    RawType type;
    type.kind = RawType::Kind::Record;
    type.range = locator.rangeOf(ctx);
    for (auto *decl : ctx->attrDecl()) {
      checkAnnotations(decl->annotation());
      RawAttribute &attribute = type.attributes.emplace_back();
      attribute.name = buildName(decl->attrName());
      attribute.nameRange = locator.rangeOf(decl->attrName());
      attribute.required = decl->QUESTION() == nullptr;
      attribute.type = buildType(decl->schemaType());
    }
    return type;
  }

  void addDeclaration(RawNamespace &ns,
                      CedarSchemaParser::DeclarationContext *decl) {
    if (auto *entity = decl->entityDecl())
      return addEntityTypes(ns, entity);
    if (auto *action = decl->actionDecl())
      return addActions(ns, action);
    auto *type = decl->typeDecl();
    RawCommonType &common = ns.commonTypes.emplace_back();
    common.name = buildIdent(type->ident());
    common.nameRange = locator.rangeOf(type->ident());
    common.type = buildType(type->schemaType());
  }

  void addEntityTypes(RawNamespace &ns,
                      CedarSchemaParser::EntityDeclContext *ctx) {
    RawEntityType prototype;
    if (ctx->KW_ENUM()) {
      std::vector<std::string> ids;
      for (auto *id : ctx->stringList()->STRING_LIT())
        ids.push_back(decodeString(id));
      prototype.enumIds = std::move(ids);
      prototype.enumRange = locator.rangeOf(ctx->stringList());
    } else {
      if (ctx->entityTypeList())
        prototype.memberOfTypes = buildEntityTypes(ctx->entityTypeList());
      if (ctx->recordType())
        prototype.shape = buildRecord(ctx->recordType());
      if (ctx->schemaType())
        prototype.tags = buildType(ctx->schemaType());
    }
    for (auto *ident : ctx->identList()->ident()) {
      RawEntityType &entity = ns.entityTypes.emplace_back();
      entity.name = buildIdent(ident);
      entity.nameRange = locator.rangeOf(ident);
      entity.memberOfTypes = prototype.memberOfTypes;
      if (prototype.shape)
        entity.shape = cloneType(*prototype.shape);
      if (prototype.tags)
        entity.tags = cloneType(*prototype.tags);
      entity.enumIds = prototype.enumIds;
      entity.enumRange = prototype.enumRange;
    }
  }

  RawActionRef buildActionRef(CedarSchemaParser::ActionRefContext *ctx) {
    RawActionRef ref;
    ref.range = locator.rangeOf(ctx);
    if (ctx->STRING_LIT()) {
      ref.type = buildPath(ctx->path());
      ref.id = decodeString(ctx->STRING_LIT());
    } else {
      ref.id = buildName(ctx->attrName());
    }
    return ref;
  }

  std::optional<RawAppliesTo>
  buildAppliesTo(CedarSchemaParser::ActionDeclContext *ctx,
                 llvm::StringRef actionName, llvm::SMRange actionRange) {
    RawAppliesTo appliesTo;
    appliesTo.range = locator.rangeOf(ctx->KW_APPLIES_TO());
    std::optional<llvm::SMRange> principal, resource, context;
    std::vector<CedarSchemaParser::AppliesToItemContext *> items;
    if (ctx->appliesToList())
      items = ctx->appliesToList()->appliesToItem();
    bool ok = true;
    for (auto *item : items) {
      llvm::SMRange range = locator.rangeOf(item);
      if (auto *types =
              dynamic_cast<CedarSchemaParser::EntityTypesItemContext *>(item)) {
        bool isPrincipal =
            types->kind->getType() == CedarSchemaParser::KW_PRINCIPAL;
        llvm::StringRef what = isPrincipal ? "principal" : "resource";
        std::optional<llvm::SMRange> &seen = isPrincipal ? principal : resource;
        if (seen) {
          error(range, "'" + what + "' is declared twice for action '" +
                           actionName + "'");
          diags.note(seen->Start, "previous declaration is here");
          ok = false;
          continue;
        }
        seen = range;
        std::vector<RawName> names = buildEntityTypes(types->entityTypeList());
        if (names.empty()) {
          error(range, "'" + what + "' of action '" + actionName +
                           "' must list at least one entity type; omit "
                           "'appliesTo' for an action that applies to no "
                           "request");
          ok = false;
        }
        (isPrincipal ? appliesTo.principalTypes : appliesTo.resourceTypes) =
            std::move(names);
        continue;
      }
      auto *contextItem =
          static_cast<CedarSchemaParser::ContextItemContext *>(item);
      if (context) {
        error(range,
              "'context' is declared twice for action '" + actionName + "'");
        diags.note(context->Start, "previous declaration is here");
        ok = false;
        continue;
      }
      context = range;
      if (contextItem->recordType()) {
        appliesTo.context = buildRecord(contextItem->recordType());
      } else {
        RawType type;
        type.kind = RawType::Kind::CommonType;
        type.name = buildPath(contextItem->path());
        type.range = type.name.range;
        appliesTo.context = std::move(type);
      }
    }
    for (auto [seen, what] :
         {std::pair(&principal, "principal"), std::pair(&resource, "resource")})
      if (!*seen) {
        error(actionRange, "'appliesTo' of action '" + actionName +
                               "' must declare '" + what + "'");
        ok = false;
      }
    if (!ok)
      return std::nullopt;
    return appliesTo;
  }

  void addActions(RawNamespace &ns, CedarSchemaParser::ActionDeclContext *ctx) {
    std::vector<RawActionRef> memberOf;
    if (auto *parents = ctx->actionRefList())
      for (auto *ref : parents->actionRef())
        memberOf.push_back(buildActionRef(ref));
    auto names = ctx->nameList()->attrName();
    std::string firstName = buildName(names.front());
    std::optional<RawAppliesTo> appliesTo;
    if (ctx->KW_APPLIES_TO())
      appliesTo =
          buildAppliesTo(ctx, firstName, locator.rangeOf(names.front()));
    for (auto *nameCtx : names) {
      RawAction &action = ns.actions.emplace_back();
      action.name = nameCtx == names.front() ? firstName : buildName(nameCtx);
      action.nameRange = locator.rangeOf(nameCtx);
      action.memberOf = memberOf;
      if (appliesTo) {
        RawAppliesTo &copy = action.appliesTo.emplace();
        copy.principalTypes = appliesTo->principalTypes;
        copy.resourceTypes = appliesTo->resourceTypes;
        if (appliesTo->context)
          copy.context = cloneType(*appliesTo->context);
        copy.range = appliesTo->range;
      }
    }
  }

  const SourceLocator &locator;
  DiagnosticEngine &diags;
};

} // namespace

std::optional<Schema> rune::schema::parseCedarSchema(unsigned bufferId,
                                                     DiagnosticEngine &diags) {
  llvm::StringRef text =
      diags.getSourceMgr().getMemoryBuffer(bufferId)->getBuffer();
  SourceLocator locator(text);
  if (!frontend::checkUTF8(text, locator, diags,
                           "invalid UTF-8 in schema; Cedar schemas must be "
                           "UTF-8"))
    return std::nullopt;

  unsigned errorsBefore = diags.errorCount();
  std::optional<RawSchema> raw = frontend::runGuarded(
      locator, diags, "schema parser", [&]() -> std::optional<RawSchema> {
        frontend::AntlrParse<CedarSchemaLexer, CedarSchemaParser> parse(text);
        if (!checkNesting(parse.lex(), locator, diags))
          return std::nullopt;

        auto strategy =
            std::make_shared<SchemaSyntaxErrorStrategy>(locator, diags);
        CedarSchemaParser::SchemaContext *tree =
            parse.parser(strategy).schema();
        // The builder assumes a complete tree; after a syntax error the tree
        // has holes, and errors about them would only be noise.
        if (strategy->getNumErrors() != 0)
          return std::nullopt;
        return CedarSchemaBuilder(locator, diags).build(tree);
      });
  if (!raw || diags.errorCount() != errorsBefore)
    return std::nullopt;
  return resolveSchema(std::move(*raw), diags);
}
