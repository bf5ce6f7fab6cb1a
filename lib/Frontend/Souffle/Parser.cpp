//===- Parser.cpp - Soufflé Datalog parser --------------------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Runs the ANTLR parser generated from grammar/Souffle.g4 through the shared
// parse driver and error strategy (lib/Frontend/Common), then builds the AST.
//
//===----------------------------------------------------------------------===//

#include "rune/Frontend/Souffle/Parser.h"

#include "ASTBuilder.h"

#include "rune/Frontend/Common/AntlrParseDriver.h"
#include "rune/Frontend/Common/ClauseSyntaxErrorStrategy.h"

#include "SouffleLexer.h"
#include "SouffleParser.h"

#include "llvm/Support/MemoryBuffer.h"

using namespace rune;
using namespace rune::souffle;
using grammar::SouffleLexer;
using grammar::SouffleParser;

namespace {

class SouffleSyntaxErrorStrategy
    : public frontend::ClauseSyntaxErrorStrategy<SouffleParser> {
public:
  using ClauseSyntaxErrorStrategy::ClauseSyntaxErrorStrategy;

protected:
  void leadingExpected(const antlr4::misc::IntervalSet &expected,
                       std::vector<std::string> &names) const override {
    if (expected.contains(size_t(SouffleParser::NUMBER)) &&
        expected.contains(size_t(SouffleParser::STRING)))
      names.push_back("term");
  }

  bool isSuggested(size_t type,
                   const antlr4::misc::IntervalSet &expected) const override {
    bool terms = expected.contains(size_t(SouffleParser::NUMBER)) &&
                 expected.contains(size_t(SouffleParser::STRING));
    if (terms) {
      switch (type) {
      case SouffleParser::NUMBER:
      case SouffleParser::STRING:
      case SouffleParser::IDENT:
      case SouffleParser::UNDERSCORE:
      case SouffleParser::LPAREN:
      case SouffleParser::MINUS:
      case SouffleParser::KW_COUNT:
      case SouffleParser::KW_SUM:
      case SouffleParser::KW_MIN:
      case SouffleParser::KW_MAX:
      case SouffleParser::KW_MEAN:
        return false;
      default:
        break;
      }
    }
    return type != SouffleParser::UNKNOWN;
  }

  const char *tokenKindName(size_t type) const override {
    switch (type) {
    case SouffleParser::IDENT:
      return "identifier";
    case SouffleParser::NUMBER:
      return "number";
    case SouffleParser::STRING:
      return "string";
    default:
      return nullptr;
    }
  }
};

} // namespace

std::optional<Program> rune::souffle::parseProgram(unsigned bufferId,
                                                   DiagnosticEngine &diags) {
  llvm::StringRef text =
      diags.getSourceMgr().getMemoryBuffer(bufferId)->getBuffer();
  frontend::SourceLocator locator(text);
  if (!frontend::checkUTF8(text, locator, diags,
                           "invalid UTF-8 in Datalog source file"))
    return std::nullopt;

  return frontend::runGuarded(
      locator, diags, "Datalog parser", [&]() -> std::optional<Program> {
        unsigned before = diags.errorCount();
        frontend::AntlrParse<SouffleLexer, SouffleParser> parse(text);
        parse.lex();
        SouffleParser::ProgramContext *tree =
            parse
                .parser(std::make_shared<SouffleSyntaxErrorStrategy>(locator,
                                                                     diags))
                .program();
        if (diags.errorCount() != before)
          return std::nullopt;
        detail::ASTBuilder builder(locator);
        return builder.build(tree);
      });
}
