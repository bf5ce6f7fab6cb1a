//===- SyntaxErrorStrategy.cpp - ANTLR syntax errors as diagnostics -------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Frontend/Common/SyntaxErrorStrategy.h"

#include "llvm/ADT/StringExtras.h"

using namespace rune;
using namespace rune::frontend;

std::string
rune::frontend::joinAlternatives(llvm::ArrayRef<std::string> names) {
  std::string result;
  for (size_t i = 0, e = names.size(); i != e; ++i) {
    if (i != 0)
      result += i + 1 == e ? " or " : ", ";
    result += names[i];
  }
  return result;
}

std::string
SyntaxErrorStrategy::describeToken(const antlr4::Token *token) const {
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

std::string
SyntaxErrorStrategy::unexpectedToken(const antlr4::Token *token) const {
  return token->getType() == antlr4::Token::EOF
             ? "unexpected end of input"
             : "unexpected token " + describeToken(token);
}

std::string SyntaxErrorStrategy::describeExpected(
    antlr4::Parser *recognizer,
    const antlr4::misc::IntervalSet &expected) const {
  std::vector<std::string> names;
  leadingExpected(expected, names);
  for (ssize_t element : expected.toList()) {
    if (element == static_cast<ssize_t>(antlr4::Token::EPSILON))
      continue;
    size_t type = element < 0 ? antlr4::Token::EOF : size_t(element);
    if (!isSuggested(type, expected))
      continue;
    if (type == antlr4::Token::EOF)
      names.push_back("end of input");
    else if (const char *name = tokenKindName(type))
      names.push_back(name);
    else
      names.push_back(recognizer->getVocabulary().getLiteralName(type));
  }
  if (names.empty() || names.size() > 6)
    return "";
  return "expected " + joinAlternatives(names);
}

void SyntaxErrorStrategy::reportNoViableAlternative(
    antlr4::Parser *recognizer, const antlr4::NoViableAltException &e) {
  reportUnexpected(recognizer, e.getOffendingToken(), e.getExpectedTokens());
}

void SyntaxErrorStrategy::reportInputMismatch(
    antlr4::Parser *recognizer, const antlr4::InputMismatchException &e) {
  reportUnexpected(recognizer, e.getOffendingToken(), e.getExpectedTokens());
}

void SyntaxErrorStrategy::reportFailedPredicate(
    antlr4::Parser *recognizer, const antlr4::FailedPredicateException &e) {
  // The grammars have no semantic predicates; report it like any other
  // unexpected token should one ever be added.
  reportUnexpected(recognizer, e.getOffendingToken(), e.getExpectedTokens());
}

void SyntaxErrorStrategy::reportUnwantedToken(antlr4::Parser *recognizer) {
  if (inErrorRecoveryMode(recognizer))
    return;
  beginErrorCondition(recognizer);
  reportUnexpected(recognizer, recognizer->getCurrentToken(),
                   getExpectedTokens(recognizer));
}

void SyntaxErrorStrategy::reportMissingToken(antlr4::Parser *recognizer) {
  if (inErrorRecoveryMode(recognizer))
    return;
  beginErrorCondition(recognizer);

  antlr4::Token *current = recognizer->getCurrentToken();
  antlr4::Token *previous = recognizer->getTokenStream()->LT(-1);
  llvm::SMLoc loc =
      previous ? locator.endOf(previous) : locator.startOf(current);
  antlr4::misc::IntervalSet expected = getExpectedTokens(recognizer);
  if (const char *message = missingTerminator(recognizer, expected))
    return error(loc, message);
  std::string expectation = describeExpected(recognizer, expected);
  if (expectation.empty())
    expectation = "unexpected token " + describeToken(current);
  error(loc, expectation);
}

void rune::frontend::SyntaxErrorStrategy::reportMismatch(
    antlr4::Parser *recognizer, antlr4::Token *offending,
    const antlr4::misc::IntervalSet &expected) {
  if (const char *message = missingTerminator(recognizer, expected)) {
    size_t index = offending->getTokenIndex();
    if (index > 0 && index != size_t(-1))
      return error(locator.endOf(recognizer->getTokenStream()->get(index - 1)),
                   message);
  }
  std::string message = unexpectedToken(offending);
  std::string wanted = describeExpected(recognizer, expected);
  if (!wanted.empty())
    message += "; " + wanted;
  error(locator.startOf(offending), message, locator.rangeOf(offending));
}

void SyntaxErrorStrategy::reportUnknownToken(antlr4::Token *offending) {
  llvm::SMLoc loc = locator.startOf(offending);
  if (locator.textOf(offending) == "\"")
    return error(loc, "unterminated string literal");
  error(loc, "invalid character " + describeToken(offending),
        locator.rangeOf(offending));
}

void SyntaxErrorStrategy::emit(DiagnosticEngine &diags, llvm::SMLoc loc,
                               const std::string &message,
                               llvm::SMRange range) {
  if (range.isValid() && range.Start != range.End)
    diags.error(loc, message, {range});
  else
    diags.error(loc, message);
}
