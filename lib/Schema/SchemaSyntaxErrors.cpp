//===- SchemaSyntaxErrors.cpp - Cedar schema syntax errors ----------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "SchemaSyntaxErrors.h"

#include "CedarSchemaParser.h"

#include "llvm/ADT/StringExtras.h"

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

std::string joinAlternatives(llvm::ArrayRef<std::string> names) {
  std::string result;
  for (size_t i = 0, e = names.size(); i != e; ++i) {
    if (i != 0)
      result += i + 1 == e ? " or " : ", ";
    result += names[i];
  }
  return result;
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
  if (range.isValid() && range.Start != range.End)
    diags.error(loc, message, {range});
  else
    diags.error(loc, message);
}

std::string
SchemaSyntaxErrorStrategy::describeToken(const antlr4::Token *token) const {
  if (token->getType() == antlr4::Token::EOF)
    return "end of input";
  llvm::StringRef text = locator.textOf(token);
  std::string shown;
  for (unsigned char c : text.take_front(40)) {
    if (c < 0x20 || c == 0x7F)
      shown += "\\x" + llvm::utohexstr(c, /*LowerCase=*/false, /*Width=*/2);
    else
      shown += static_cast<char>(c);
  }
  if (text.size() > 40)
    shown += "...";
  return "'" + shown + "'";
}

std::string SchemaSyntaxErrorStrategy::describeExpected(
    antlr4::Parser *recognizer,
    const antlr4::misc::IntervalSet &expected) const {
  bool wantsIdentifier = expected.contains(size_t(CedarSchemaParser::IDENT));
  std::vector<std::string> names;
  for (ssize_t element : expected.toList()) {
    if (element == static_cast<ssize_t>(antlr4::Token::EPSILON))
      continue;
    size_t type = element < 0 ? antlr4::Token::EOF : size_t(element);
    if (wantsIdentifier && isKeyword(type))
      continue;
    switch (type) {
    case antlr4::Token::EOF:
      names.push_back("end of input");
      break;
    case CedarSchemaParser::IDENT:
      names.push_back("identifier");
      break;
    case CedarSchemaParser::STRING_LIT:
      names.push_back("string literal");
      break;
    case CedarSchemaParser::UNTERMINATED_STRING:
    case CedarSchemaParser::INVALID_CHAR:
      break;
    default:
      names.push_back(recognizer->getVocabulary().getLiteralName(type));
      break;
    }
  }
  if (names.empty() || names.size() > 6)
    return "";
  return "expected " + joinAlternatives(names);
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
  if (isDeclarationRule(recognizer->getContext()->getRuleIndex()) &&
      expected.contains(size_t(CedarSchemaParser::SEMI)) && previous)
    return error(locator.endOf(previous), "expected ';' after declaration");

  std::string message = type == antlr4::Token::EOF
                            ? "unexpected end of input"
                            : "unexpected token " + describeToken(offending);
  std::string expectation = describeExpected(recognizer, expected);
  if (!expectation.empty())
    message += "; " + expectation;
  error(loc, message, range);
}

void SchemaSyntaxErrorStrategy::reportNoViableAlternative(
    antlr4::Parser *recognizer, const antlr4::NoViableAltException &e) {
  reportUnexpected(recognizer, e.getOffendingToken(), e.getExpectedTokens());
}

void SchemaSyntaxErrorStrategy::reportInputMismatch(
    antlr4::Parser *recognizer, const antlr4::InputMismatchException &e) {
  reportUnexpected(recognizer, e.getOffendingToken(), e.getExpectedTokens());
}

void SchemaSyntaxErrorStrategy::reportFailedPredicate(
    antlr4::Parser *recognizer, const antlr4::FailedPredicateException &e) {
  // The grammar has no semantic predicates; report like any other error
  // should one be added.
  reportUnexpected(recognizer, e.getOffendingToken(), e.getExpectedTokens());
}

void SchemaSyntaxErrorStrategy::reportUnwantedToken(
    antlr4::Parser *recognizer) {
  if (inErrorRecoveryMode(recognizer))
    return;
  beginErrorCondition(recognizer);
  reportUnexpected(recognizer, recognizer->getCurrentToken(),
                   getExpectedTokens(recognizer));
}

void SchemaSyntaxErrorStrategy::reportMissingToken(antlr4::Parser *recognizer) {
  if (inErrorRecoveryMode(recognizer))
    return;
  beginErrorCondition(recognizer);
  antlr4::Token *current = recognizer->getCurrentToken();
  antlr4::Token *previous = recognizer->getTokenStream()->LT(-1);
  llvm::SMLoc loc =
      previous ? locator.endOf(previous) : locator.startOf(current);
  antlr4::misc::IntervalSet expected = getExpectedTokens(recognizer);
  if (isDeclarationRule(recognizer->getContext()->getRuleIndex()) &&
      expected.contains(size_t(CedarSchemaParser::SEMI)))
    return error(loc, "expected ';' after declaration");
  std::string expectation = describeExpected(recognizer, expected);
  if (expectation.empty())
    expectation = "unexpected token " + describeToken(current);
  error(loc, expectation);
}
