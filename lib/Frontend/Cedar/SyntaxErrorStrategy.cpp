//===- SyntaxErrorStrategy.cpp - Cedar syntax error reporting -------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "SyntaxErrorStrategy.h"

#include "CedarParser.h"


#include <limits>

using namespace rune;
using namespace rune::cedar::detail;
using rune::cedar::grammar::CedarParser;

namespace {

/// Keywords that the `ident` rule accepts as identifiers.
bool isIdentifierKeyword(size_t type) {
  switch (type) {
  case CedarParser::KW_PRINCIPAL:
  case CedarParser::KW_ACTION:
  case CedarParser::KW_RESOURCE:
  case CedarParser::KW_CONTEXT:
  case CedarParser::KW_PERMIT:
  case CedarParser::KW_FORBID:
  case CedarParser::KW_WHEN:
  case CedarParser::KW_UNLESS:
    return true;
  default:
    return false;
  }
}

/// Keywords that can never be identifiers (outside annotation keys).
bool isReservedKeyword(size_t type) {
  switch (type) {
  case CedarParser::KW_TRUE:
  case CedarParser::KW_FALSE:
  case CedarParser::KW_IF:
  case CedarParser::KW_THEN:
  case CedarParser::KW_ELSE:
  case CedarParser::KW_IN:
  case CedarParser::KW_IS:
  case CedarParser::KW_HAS:
  case CedarParser::KW_LIKE:
    return true;
  default:
    return false;
  }
}

/// Tokens that can start an expression.
bool isExpressionStart(size_t type) {
  switch (type) {
  case CedarParser::KW_IF:
  case CedarParser::BANG:
  case CedarParser::MINUS:
  case CedarParser::KW_TRUE:
  case CedarParser::KW_FALSE:
  case CedarParser::INT_LIT:
  case CedarParser::STRING_LIT:
  case CedarParser::SLOT:
  case CedarParser::IDENT:
  case CedarParser::LPAREN:
  case CedarParser::LBRACKET:
  case CedarParser::LBRACE:
    return true;
  default:
    return isIdentifierKeyword(type);
  }
}

/// Tokens the grammar accepts only to reject them with a better message
/// later; suggesting them would be misleading.
bool isNeverSuggested(size_t type) {
  switch (type) {
  case CedarParser::ASSIGN:
  case CedarParser::SLASH:
  case CedarParser::PERCENT:
  case CedarParser::UNTERMINATED_STRING:
  case CedarParser::INVALID_CHAR:
    return true;
  default:
    return false;
  }
}

bool isPolicyStart(size_t type) {
  return type == CedarParser::AT || type == CedarParser::KW_PERMIT ||
         type == CedarParser::KW_FORBID || type == antlr4::Token::EOF;
}

/// The token before `token` in the stream (skipped whitespace and comments
/// are not in it), or null at the start. For prediction errors the parser
/// still sits at the start of the decision, so LT(-1) would be too early.
antlr4::Token *previousToken(antlr4::Parser *recognizer,
                             const antlr4::Token *token) {
  size_t index = token->getTokenIndex();
  if (index == 0 || index == std::numeric_limits<size_t>::max())
    return recognizer->getTokenStream()->LT(-1);
  return recognizer->getTokenStream()->get(index - 1);
}

/// Operands (after a binary operator) cannot start with `if` but are still
/// expressions to the user.
bool wantsExpression(const antlr4::misc::IntervalSet &expected) {
  return expected.contains(size_t(CedarParser::INT_LIT)) &&
         expected.contains(size_t(CedarParser::STRING_LIT)) &&
         expected.contains(size_t(CedarParser::LPAREN));
}

} // namespace

void CedarSyntaxErrorStrategy::error(llvm::SMLoc loc,
                                     const std::string &message,
                                     llvm::SMRange range) {
  diags.error(loc, message, range);
}

const char *CedarSyntaxErrorStrategy::missingTerminator(
    antlr4::Parser *recognizer,
    const antlr4::misc::IntervalSet &expected) const {
  if (recognizer->getContext()->getRuleIndex() == CedarParser::RulePolicy &&
      expected.contains(size_t(CedarParser::SEMI)))
    return "expected ';' after policy";
  return nullptr;
}

void CedarSyntaxErrorStrategy::leadingExpected(
    const antlr4::misc::IntervalSet &expected,
    std::vector<std::string> &names) const {
  if (wantsExpression(expected))
    names.push_back("expression");
}

bool CedarSyntaxErrorStrategy::isSuggested(
    size_t type, const antlr4::misc::IntervalSet &expected) const {
  if (isNeverSuggested(type))
    return false;
  if (wantsExpression(expected) && isExpressionStart(type))
    return false;
  // Annotation keys accept reserved words too; listing every keyword would
  // drown the message, "identifier" says it all.
  if (expected.contains(size_t(CedarParser::IDENT)) &&
      (isIdentifierKeyword(type) ||
       (isReservedKeyword(type) &&
        expected.contains(size_t(CedarParser::KW_LIKE)))))
    return false;
  if (expected.contains(size_t(CedarParser::KW_PERMIT)) &&
      (type == CedarParser::AT || type == antlr4::Token::EOF))
    return false;
  return true;
}

const char *CedarSyntaxErrorStrategy::tokenKindName(size_t type) const {
  switch (type) {
  case CedarParser::IDENT:
    return "identifier";
  case CedarParser::INT_LIT:
    return "integer literal";
  case CedarParser::STRING_LIT:
    return "string literal";
  case CedarParser::SLOT:
    return "template slot";
  default:
    return nullptr;
  }
}

void CedarSyntaxErrorStrategy::reportUnexpected(
    antlr4::Parser *recognizer, antlr4::Token *offending,
    const antlr4::misc::IntervalSet &expected) {
  llvm::SMLoc loc = locator.startOf(offending);
  llvm::SMRange range = locator.rangeOf(offending);
  size_t type = offending->getType();

  if (type == CedarParser::UNTERMINATED_STRING)
    return error(loc, "unterminated string literal");
  if (type == CedarParser::INVALID_CHAR) {
    llvm::StringRef text = locator.textOf(offending);
    std::string message = "invalid character " + describeToken(offending);
    if (text == "&")
      message += "; did you mean '&&'?";
    else if (text == "|")
      message += "; did you mean '||'?";
    return error(loc, message, range);
  }

  // A missing ';' is reported where it belongs, after the policy, like
  // clang's "expected ';' after expression".
  bool inPolicy =
      recognizer->getContext()->getRuleIndex() == CedarParser::RulePolicy;
  antlr4::Token *previous = previousToken(recognizer, offending);
  if (const char *message = missingTerminator(recognizer, expected))
    return error(previous ? locator.endOf(previous) : loc, message);

  size_t previousType = previous ? previous->getType() : antlr4::Token::EOF;
  bool wantsName = expected.contains(size_t(CedarParser::IDENT)) ||
                   previousType == CedarParser::DOT ||
                   previousType == CedarParser::COLON_COLON ||
                   previousType == CedarParser::KW_HAS;
  if (isReservedKeyword(type) && wantsName)
    return error(loc,
                 describeToken(offending) +
                     " is a reserved word and cannot be used as an identifier",
                 range);

  std::string message = unexpectedToken(offending);
  std::string expectation = describeExpected(recognizer, expected);
  // The scope's element list has ended when ')' is matched, so ANTLR only
  // expects ')' here although the list could go on.
  if (inPolicy && expected.size() == 1 &&
      expected.contains(size_t(CedarParser::RPAREN))) {
    if (type == CedarParser::COLON)
      return error(loc,
                   "type constraints using ':' are not supported; use "
                   "'principal is Type' instead",
                   range);
    if (previousType == CedarParser::LPAREN)
      expectation = "expected 'principal'";
    else if (previousType == CedarParser::COMMA)
      expectation = "expected 'action' or 'resource'";
    else
      expectation = "expected ',' or ')'";
  }
  if (!expectation.empty())
    message += "; " + expectation;
  error(loc, message, range);
}

void CedarSyntaxErrorStrategy::sync(antlr4::Parser *recognizer) {
  if (recognizer->getContext()->getRuleIndex() != CedarParser::RulePolicySet)
    return SyntaxErrorStrategy::sync(recognizer);

  // Between policies: skip anything that cannot start one, up to the next
  // policy. (The default strategy would give up on the rest of the file.)
  antlr4::TokenStream *tokens = recognizer->getTokenStream();
  if (isPolicyStart(tokens->LA(1)))
    return;
  if (!inErrorRecoveryMode(recognizer)) {
    antlr4::Token *offending = recognizer->getCurrentToken();
    if (offending->getType() == CedarParser::UNTERMINATED_STRING ||
        offending->getType() == CedarParser::INVALID_CHAR) {
      antlr4::misc::IntervalSet none;
      reportUnexpected(recognizer, offending, none);
    } else {
      error(locator.startOf(offending),
            "unexpected token " + describeToken(offending) +
                "; expected 'permit' or 'forbid'",
            locator.rangeOf(offending));
    }
  }
  beginErrorCondition(recognizer);
  while (!isPolicyStart(tokens->LA(1)))
    recognizer->consume();
}
