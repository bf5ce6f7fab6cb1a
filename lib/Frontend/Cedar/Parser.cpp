//===- Parser.cpp - Cedar policy parser -----------------------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Drives the ANTLR-generated lexer and parser and hands the parse tree to the
// ASTBuilder. Three details matter here:
//
//  * ANTLR is fed the source one byte per symbol rather than as decoded
//    UTF-32, so that token indices are byte offsets usable as SMLocs. The
//    grammar only needs ASCII outside strings and comments, and the input is
//    checked to be UTF-8 first, as Cedar requires.
//  * The ANTLR runtime parses recursively, so inputs nested deeper than
//    MaxNesting are rejected from the token stream before parsing, rather
//    than risking a stack overflow.
//  * ANTLR reports errors through exceptions internally; anything escaping
//    it is turned into a diagnostic instead of terminating the compiler.
//
//===----------------------------------------------------------------------===//

#include "rune/Frontend/Cedar/Parser.h"

#include "ASTBuilder.h"
#include "ParseDiagnostics.h"
#include "SourceLocator.h"
#include "SyntaxErrorStrategy.h"

#include "CedarLexer.h"
#include "CedarParser.h"

#include "llvm/Support/ConvertUTF.h"
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

/// Presents a buffer to ANTLR as a sequence of bytes, each byte one symbol.
class ByteInputStream : public antlr4::ANTLRInputStream {
public:
  explicit ByteInputStream(llvm::StringRef bytes) {
    _data.reserve(bytes.size());
    for (unsigned char byte : bytes)
      _data.push_back(byte);
  }
};

/// Reports the first byte that is not part of valid UTF-8; returns false if
/// there is one.
bool checkUTF8(llvm::StringRef text, const SourceLocator &locator,
               DiagnosticEngine &diags) {
  const auto *begin = reinterpret_cast<const llvm::UTF8 *>(text.begin());
  const auto *cursor = begin;
  const auto *end = reinterpret_cast<const llvm::UTF8 *>(text.end());
  if (llvm::isLegalUTF8String(&cursor, end))
    return true;
  diags.error(locator.locAt(cursor - begin),
              "invalid UTF-8 in source file; Cedar policies must be UTF-8");
  return false;
}

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
  if (!checkUTF8(text, locator, diags))
    return std::nullopt;

  ParseDiagnostics errors;
  try {
    ByteInputStream input(text);
    CedarLexer lexer(&input);
    // The lexer cannot fail (unknown characters become INVALID_CHAR tokens,
    // reported by the parser), so its console listener is never needed.
    lexer.removeErrorListeners();
    antlr4::CommonTokenStream tokens(&lexer);
    tokens.fill();
    if (!checkNesting(tokens, locator, diags))
      return std::nullopt;

    CedarParser parser(&tokens);
    parser.removeErrorListeners();
    parser.setErrorHandler(
        std::make_shared<SyntaxErrorStrategy>(locator, errors));
    CedarParser::PolicySetContext *tree = parser.policySet();

    ASTBuilder builder(locator, errors);
    PolicySet policySet = builder.build(tree);
    if (errors.getNumErrors() != 0) {
      errors.flush(diags);
      return std::nullopt;
    }
    return policySet;
  } catch (const std::exception &e) {
    errors.flush(diags);
    diags.error(locator.locAt(0),
                llvm::Twine("internal error in the Cedar parser: ") + e.what());
    return std::nullopt;
  }
}
