//===- Parser.cpp - IPE policy file parser --------------------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Two stages:
//
//  1. Fast path: the hand-written recursive-descent parser
//     (RecursiveDescent.h) builds the AST straight from the tokens. It
//     gives up without a word at the first error of any kind.
//  2. Slow path, only then: the hand-written IpeTokenSource (Lexer.h) and
//     the ANTLR-generated IpeParser over the whole file, with full LL
//     prediction and the IpeSyntaxErrorStrategy, which words the syntax
//     errors (on the shared SyntaxErrorStrategy); a tree without syntax
//     errors goes to the ASTBuilder, which reports its own errors. The
//     diagnostics are those of the generated parser alone.
//
//===----------------------------------------------------------------------===//

#include "rune/Frontend/Ipe/Parser.h"

#include "ASTBuilder.h"
#include "Lexer.h"
#include "RecursiveDescent.h"

#include "rune/Frontend/Common/AntlrParseDriver.h"
#include "rune/Frontend/Common/SyntaxErrorStrategy.h"

#include "IpeParser.h"

#include "llvm/Support/MemoryBuffer.h"

using namespace rune;
using namespace rune::ipe;
using frontend::SourceLocator;
using grammar::IpeParser;

namespace {

bool isKeyword(size_t type) {
  return type >= IpeParser::KW_POLICY && type <= IpeParser::KW_FALSE;
}

bool isExpressionStart(size_t type) {
  switch (type) {
  case IpeParser::KW_NOT:
  case IpeParser::KW_TRUE:
  case IpeParser::KW_FALSE:
  case IpeParser::MINUS:
  case IpeParser::INT_LIT:
  case IpeParser::FLOAT_LIT:
  case IpeParser::STRING_LIT:
  case IpeParser::IDENT:
  case IpeParser::LPAREN:
    return true;
  default:
    return false;
  }
}

bool wantsExpression(const antlr4::misc::IntervalSet &expected) {
  return expected.contains(size_t(IpeParser::LPAREN)) &&
         expected.contains(size_t(IpeParser::KW_NOT));
}

class IpeSyntaxErrorStrategy : public frontend::SyntaxErrorStrategy {
public:
  IpeSyntaxErrorStrategy(const SourceLocator &locator, DiagnosticEngine &diags)
      : SyntaxErrorStrategy(locator), diags(diags) {}

protected:
  void reportUnexpected(antlr4::Parser *recognizer, antlr4::Token *offending,
                        const antlr4::misc::IntervalSet &expected) override {
    llvm::SMLoc loc = locator.startOf(offending);
    llvm::SMRange range = locator.rangeOf(offending);
    size_t type = offending->getType();
    if (type == IpeParser::UNTERMINATED_STRING)
      return error(loc, "unterminated string literal");
    if (type == IpeParser::INVALID_CHAR)
      return error(loc, "invalid character " + describeToken(offending), range);
    if (recognizer->getContext()->getRuleIndex() == IpeParser::RuleFile_ &&
        type != antlr4::Token::EOF)
      return error(loc,
                   unexpectedToken(offending) +
                       " after the last policy; expected 'policy', "
                       "'predicate' or 'enum'",
                   range);
    if (isKeyword(type) && expected.contains(size_t(IpeParser::IDENT)) &&
        !wantsExpression(expected))
      return error(loc,
                   describeToken(offending) +
                       " is a reserved word and cannot be used as an "
                       "identifier",
                   range);
    reportMismatch(recognizer, offending, expected);
  }

  void error(llvm::SMLoc loc, const std::string &message,
             llvm::SMRange range = {}) override {
    emit(diags, loc, message, range);
  }

  const char *
  missingTerminator(antlr4::Parser *,
                    const antlr4::misc::IntervalSet &) const override {
    return nullptr; // IPE has no statement terminator
  }

  void leadingExpected(const antlr4::misc::IntervalSet &expected,
                       std::vector<std::string> &names) const override {
    if (wantsExpression(expected))
      names.push_back("expression");
  }

  bool isSuggested(size_t type,
                   const antlr4::misc::IntervalSet &expected) const override {
    if (type == IpeParser::UNTERMINATED_STRING ||
        type == IpeParser::INVALID_CHAR)
      return false;
    return !(wantsExpression(expected) && isExpressionStart(type));
  }

  const char *tokenKindName(size_t type) const override {
    switch (type) {
    case IpeParser::IDENT:
      return "identifier";
    case IpeParser::STRING_LIT:
      return "string";
    case IpeParser::INT_LIT:
      return "integer";
    case IpeParser::FLOAT_LIT:
      return "number";
    default:
      return nullptr;
    }
  }

private:
  DiagnosticEngine &diags;
};

bool checkNesting(antlr4::CommonTokenStream &tokens,
                  const SourceLocator &locator, DiagnosticEngine &diags) {
  unsigned depth = 0;
  unsigned nots = 0; // consecutive `not`s, reset by anything else
  for (antlr4::Token *token : tokens.getTokens()) {
    switch (token->getType()) {
    case IpeParser::LPAREN:
    case IpeParser::LBRACKET:
      ++depth;
      break;
    case IpeParser::RPAREN:
    case IpeParser::RBRACKET:
      if (depth)
        --depth;
      break;
    }
    nots = token->getType() == IpeParser::KW_NOT ? nots + 1 : 0;
    if (depth + nots > detail::kMaxNesting) {
      diags.error(locator.startOf(token),
                  "policy is nested too deeply (the limit is " +
                      llvm::Twine(detail::kMaxNesting) +
                      " levels of brackets and 'not')");
      return false;
    }
  }
  return true;
}

} // namespace

std::optional<PolicyFile>
rune::ipe::detail::parseWithGeneratedParser(llvm::StringRef text,
                                            const SourceLocator &locator,
                                            DiagnosticEngine &diags) {
  unsigned errorsBefore = diags.errorCount();
  detail::SourceCharStream input(text);
  detail::IpeTokenSource source(text, &input);
  antlr4::CommonTokenStream tokens(&source);
  tokens.fill();
  if (!checkNesting(tokens, locator, diags))
    return std::nullopt;
  IpeParser parser(&tokens);
  parser.removeErrorListeners();
  parser.setErrorHandler(
      std::make_shared<IpeSyntaxErrorStrategy>(locator, diags));
  IpeParser::File_Context *tree = parser.file_();
  // A tree with syntax errors has holes; build only a complete one.
  if (diags.errorCount() != errorsBefore)
    return std::nullopt;
  detail::ASTBuilder builder(locator, diags);
  PolicyFile file = builder.build(tree);
  if (diags.errorCount() != errorsBefore)
    return std::nullopt;
  return file;
}

std::optional<PolicyFile> rune::ipe::parsePolicyFile(unsigned bufferId,
                                                     DiagnosticEngine &diags) {
  llvm::StringRef text =
      diags.getSourceMgr().getMemoryBuffer(bufferId)->getBuffer();
  SourceLocator locator(text);
  if (!frontend::checkUTF8(
          text, locator, diags,
          "invalid UTF-8 in source file; IPE policies must be UTF-8"))
    return std::nullopt;

  return frontend::runGuarded(
      locator, diags, "IPE parser", [&]() -> std::optional<PolicyFile> {
        if (std::optional<PolicyFile> file =
                detail::parseWithoutDiagnostics(text))
          return file;
        return detail::parseWithGeneratedParser(text, locator, diags);
      });
}
