//===- Parser.cpp - Cedar policy parser -----------------------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Drives the ANTLR-generated lexer and parser (through the parse driver
// shared with the schema parser, rune/Frontend/Common/AntlrParseDriver.h)
// and hands the parse tree to the ASTBuilder. The ANTLR runtime parses
// recursively, so inputs nested deeper than MaxNesting are rejected from the
// token stream before parsing, rather than risking a stack overflow.
//
//===----------------------------------------------------------------------===//

#include "rune/Frontend/Cedar/Parser.h"

#include "ASTBuilder.h"
#include "ParseDiagnostics.h"
#include "SyntaxErrorStrategy.h"

#include "rune/Frontend/Common/AntlrParseDriver.h"

#include "CedarLexer.h"
#include "CedarParser.h"

#include "llvm/Support/MemoryBuffer.h"

using namespace rune;
using namespace rune::cedar;
using namespace rune::cedar::detail;
using grammar::CedarLexer;
using grammar::CedarParser;

namespace {

/// Bracket and `if` nesting accepted by the parser. Far beyond any real
/// policy, and far below what exhausts the stack in the recursive-descent
/// parser.
constexpr unsigned MaxNesting = 200;

/// Rejects token streams that nest brackets and `if`s deeper than
/// MaxNesting. An `if` nests until the end of its enclosing bracket or
/// list element, which bounds how deep it can make the parse.
bool checkNesting(antlr4::CommonTokenStream &tokens,
                  const SourceLocator &locator, DiagnosticEngine &diags) {
  // Open `if`s per bracket level; the bottom entry is the top level.
  std::vector<unsigned> openIfs = {0};
  unsigned depth = 0;
  for (antlr4::Token *token : tokens.getTokens()) {
    switch (token->getType()) {
    case CedarParser::LPAREN:
    case CedarParser::LBRACKET:
    case CedarParser::LBRACE:
      openIfs.push_back(0);
      ++depth;
      break;
    case CedarParser::RPAREN:
    case CedarParser::RBRACKET:
    case CedarParser::RBRACE:
      if (openIfs.size() > 1) {
        depth -= openIfs.back() + 1;
        openIfs.pop_back();
      }
      continue;
    case CedarParser::COMMA:
    case CedarParser::SEMI:
      depth -= openIfs.back();
      openIfs.back() = 0;
      continue;
    case CedarParser::KW_IF:
      ++openIfs.back();
      ++depth;
      break;
    default:
      continue;
    }
    if (depth > MaxNesting) {
      diags.error(locator.startOf(token),
                  "policy is nested too deeply (the limit is " +
                      llvm::Twine(MaxNesting) +
                      " levels of brackets and 'if' expressions)");
      return false;
    }
  }
  return true;
}

} // namespace

std::optional<PolicySet> rune::cedar::parsePolicySet(unsigned bufferId,
                                                     DiagnosticEngine &diags) {
  llvm::StringRef text =
      diags.getSourceMgr().getMemoryBuffer(bufferId)->getBuffer();
  SourceLocator locator(text);
  if (!frontend::checkUTF8(
          text, locator, diags,
          "invalid UTF-8 in source file; Cedar policies must be UTF-8"))
    return std::nullopt;

  ParseDiagnostics errors;
  return frontend::runGuarded(
      locator, diags, "Cedar parser",
      [&]() -> std::optional<PolicySet> {
        frontend::AntlrParse<CedarLexer, CedarParser> parse(text);
        if (!checkNesting(parse.lex(), locator, diags))
          return std::nullopt;

        CedarParser::PolicySetContext *tree =
            parse
                .parser(std::make_shared<CedarSyntaxErrorStrategy>(locator,
                                                                   errors))
                .policySet();

        ASTBuilder builder(locator, errors);
        PolicySet policySet = builder.build(tree);
        if (errors.getNumErrors() != 0) {
          errors.flush(diags);
          return std::nullopt;
        }
        return policySet;
      },
      [&] { errors.flush(diags); });
}
