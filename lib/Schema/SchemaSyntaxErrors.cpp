//===- SchemaSyntaxErrors.cpp - Cedar schema syntax errors ----------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "SchemaSyntaxErrors.h"

#include "CedarSchemaParser.h"

using namespace rune;
using namespace rune::schema::detail;
using rune::schema::grammar::CedarSchemaParser;

namespace {

/// Keywords the `ident` rule accepts as identifiers; listing them next to
/// "identifier" would only clutter messages.
bool isKeyword(size_t type) {
  switch (type) {
  case CedarSchemaParser::KW_NAMESPACE:
  case CedarSchemaParser::KW_ENTITY:
  case CedarSchemaParser::KW_IN:
  case CedarSchemaParser::KW_TYPE:
  case CedarSchemaParser::KW_SET:
  case CedarSchemaParser::KW_APPLIES_TO:
  case CedarSchemaParser::KW_PRINCIPAL:
  case CedarSchemaParser::KW_ACTION:
  case CedarSchemaParser::KW_RESOURCE:
  case CedarSchemaParser::KW_CONTEXT:
  case CedarSchemaParser::KW_ATTRIBUTES:
  case CedarSchemaParser::KW_TAGS:
  case CedarSchemaParser::KW_ENUM:
    return true;
  default:
    return false;
  }
}

/// The rule contexts whose ';' ends a declaration.
bool isDeclarationRule(size_t ruleIndex) {
  return ruleIndex == CedarSchemaParser::RuleEntityDecl ||
         ruleIndex == CedarSchemaParser::RuleActionDecl ||
         ruleIndex == CedarSchemaParser::RuleTypeDecl;
}

} // namespace

void SchemaSyntaxErrorStrategy::error(llvm::SMLoc loc,
                                      const std::string &message,
                                      llvm::SMRange range) {
  // ANTLR recovers by inserting or deleting tokens, after which the errors
  // that follow are mostly consequences of the first; only the first is
  // worth reading.
  if (numErrors++ != 0)
    return;
  emit(diags, loc, message, range);
}

const char *SchemaSyntaxErrorStrategy::missingTerminator(
    antlr4::Parser *recognizer,
    const antlr4::misc::IntervalSet &expected) const {
  if (isDeclarationRule(recognizer->getContext()->getRuleIndex()) &&
      expected.contains(size_t(CedarSchemaParser::SEMI)))
    return "expected ';' after declaration";
  return nullptr;
}

bool SchemaSyntaxErrorStrategy::isSuggested(
    size_t type, const antlr4::misc::IntervalSet &expected) const {
  if (expected.contains(size_t(CedarSchemaParser::IDENT)) && isKeyword(type))
    return false;
  return type != CedarSchemaParser::UNTERMINATED_STRING &&
         type != CedarSchemaParser::INVALID_CHAR;
}

const char *SchemaSyntaxErrorStrategy::tokenKindName(size_t type) const {
  switch (type) {
  case CedarSchemaParser::IDENT:
    return "identifier";
  case CedarSchemaParser::STRING_LIT:
    return "string literal";
  default:
    return nullptr;
  }
}

void SchemaSyntaxErrorStrategy::reportUnexpected(
    antlr4::Parser *recognizer, antlr4::Token *offending,
    const antlr4::misc::IntervalSet &expected) {
  llvm::SMLoc loc = locator.startOf(offending);
  llvm::SMRange range = locator.rangeOf(offending);
  size_t type = offending->getType();
  if (type == CedarSchemaParser::UNTERMINATED_STRING)
    return error(loc, "unterminated string literal");
  if (type == CedarSchemaParser::INVALID_CHAR)
    return error(loc, "invalid character " + describeToken(offending), range);

  // A missing ';' belongs after the declaration, like clang's "expected ';'
  // after expression".
  antlr4::Token *previous = recognizer->getTokenStream()->LT(-1);
  const char *terminator = missingTerminator(recognizer, expected);
  if (terminator && previous)
    return error(locator.endOf(previous), terminator);

  std::string message = unexpectedToken(offending);
  std::string expectation = describeExpected(recognizer, expected);
  if (!expectation.empty())
    message += "; " + expectation;
  error(loc, message, range);
}
