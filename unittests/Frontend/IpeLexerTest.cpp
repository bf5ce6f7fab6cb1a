//===- IpeLexerTest.cpp - The IPE lexer against the grammar's -------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// lib/Frontend/Ipe/Lexer.h replaces the ANTLR-generated IpeLexer for speed;
// grammar/Ipe.g4 still defines the tokens. These tests lex hand-picked and
// random inputs with both and require the same token streams.
//
//===----------------------------------------------------------------------===//

#include "Lexer.h"

#include "rune/Frontend/Common/AntlrParseDriver.h"

#include "IpeLexer.h"

#include "gtest/gtest.h"

#include <random>
#include <sstream>

using namespace rune;

namespace {

std::string describe(antlr4::Token &token) {
  std::ostringstream os;
  os << "type " << static_cast<long long>(token.getType()) << " ["
     << token.getStartIndex() << ", "
     << static_cast<long long>(token.getStopIndex()) << "] at "
     << token.getLine() << ":" << token.getCharPositionInLine() << " channel "
     << token.getChannel();
  return os.str();
}

std::vector<std::string> withGrammarLexer(const std::string &text) {
  frontend::ByteInputStream input(text);
  ipe::grammar::IpeLexer lexer(&input);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  std::vector<std::string> out;
  for (antlr4::Token *token : tokens.getTokens())
    out.push_back(describe(*token));
  return out;
}

std::vector<std::string> withHandLexer(const std::string &text) {
  ipe::detail::SourceCharStream input(text);
  ipe::detail::IpeTokenSource source(text, &input);
  antlr4::CommonTokenStream tokens(&source);
  tokens.fill();
  std::vector<std::string> out;
  for (antlr4::Token *token : tokens.getTokens()) {
    out.push_back(describe(*token));
    // Tokens read their text from the character stream.
    if (token->getType() != antlr4::Token::EOF)
      EXPECT_EQ(token->getText(), text.substr(token->getStartIndex(),
                                              token->getStopIndex() -
                                                  token->getStartIndex() + 1));
  }
  return out;
}

void expectSameTokens(const std::string &text) {
  EXPECT_EQ(withHandLexer(text), withGrammarLexer(text)) << "input: " << text;
}

TEST(IpeLexer, EveryTokenKind) {
  expectSameTokens(
      "policy predicate triggers when requires where denies with reason "
      "metadata enum or and not in true false == != <= >= < > : , . - ( ) "
      "[ ] { } 1.5 42 ident_1 _x \"str\" # comment\n// comment\n x");
}

TEST(IpeLexer, LongestMatchAndKeywordPrefixes) {
  expectSameTokens("policyX policy_ in_ inx notand or1 true2 false_");
  expectSameTokens("1. 1.x 1..2 12abc 0.5.6 -3 -0.25 007");
  expectSameTokens("= ! =! === !== <<= >>= =<");
  expectSameTokens("/ /x // /// #\n#");
}

TEST(IpeLexer, StringsAndTheirErrors) {
  expectSameTokens("\"a\\\"b\" \"\\n\\t\\\\\" \"\\q\" \"\"");
  expectSameTokens("\"unterminated\nnext");
  expectSameTokens("\"ends with backslash\\\nx");
  expectSameTokens("\"at end of input");
  expectSameTokens("\"backslash at end\\");
  expectSameTokens("\"crlf\r\n\"");
  expectSameTokens("\"caf\xc3\xa9\" caf\xc3\xa9");
}

TEST(IpeLexer, LinesAndColumns) {
  expectSameTokens("\n\n  a\r\n\tb\rc\n");
  expectSameTokens("");
  expectSameTokens("   ");
  expectSameTokens(std::string("a\0b", 3));
}

TEST(IpeLexer, ExamplePolicy) {
  expectSameTokens(R"(enum Tier { bronze, silver }
policy RequireApproval:
  "Production deployments need 2+ approvals"
  triggers when resource.type == "Deployment"
    and environment in ["production", staging] and not f(x, -1)
  requires approvals.count >= 2
    where approver.role == "senior-engineer"
  metadata
    severity: critical
    tags: [database, "sox", 4.5, true]
)");
}

TEST(IpeLexer, RandomInputs) {
  // Inputs drawn from the characters that matter to the lexer.
  const std::string alphabet = "ab_1.\"\\\n\r\t #/=!<>-:,()[]{}x9\x80";
  const char *words[] = {"policy", "in", "not", "and", "true", "\"s\""};
  std::mt19937 random(20261121);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    size_t length = random() % 40;
    for (size_t i = 0; i < length; ++i) {
      if (random() % 8 == 0)
        text += words[random() % std::size(words)];
      else
        text += alphabet[random() % alphabet.size()];
    }
    expectSameTokens(text);
    if (HasFailure())
      return;
  }
}

} // namespace
