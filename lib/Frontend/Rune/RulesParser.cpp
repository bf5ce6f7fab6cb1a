//===- RulesParser.cpp - The [rules] section of a .rune file --------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Runs the ANTLR parser generated from grammar/RuneRules.g4 through the
// shared parse driver and error strategy (lib/Frontend/Common) over the
// section's slice of the file: token offsets are relative to the slice, and
// the SourceLocator built on the slice turns them into SMLocs in the file.
//
//===----------------------------------------------------------------------===//

#include "RulesParser.h"
#include "RulesASTBuilder.h"

#include "rune/Frontend/Common/AntlrParseDriver.h"
#include "rune/Frontend/Common/ClauseSyntaxErrorStrategy.h"

#include "RuneRulesLexer.h"
#include "RuneRulesParser.h"

using namespace rune;
using namespace rune::runefile;
using namespace rune::runefile::detail;
using rune::runefile::grammar::RuneRulesLexer;
using rune::runefile::grammar::RuneRulesParser;

namespace {

class RulesSyntaxErrorStrategy
    : public frontend::ClauseSyntaxErrorStrategy<RuneRulesParser> {
public:
  using ClauseSyntaxErrorStrategy::ClauseSyntaxErrorStrategy;

protected:
  void leadingExpected(const antlr4::misc::IntervalSet &expected,
                       std::vector<std::string> &names) const override {
    if (startsTerm(expected))
      names.push_back("term");
  }

  bool isSuggested(size_t type,
                   const antlr4::misc::IntervalSet &expected) const override {
    if (startsTerm(expected)) {
      switch (type) {
      case RuneRulesParser::INTEGER:
      case RuneRulesParser::STRING:
      case RuneRulesParser::NAME:
      case RuneRulesParser::VARIABLE:
      case RuneRulesParser::UNDERSCORE:
      case RuneRulesParser::LPAREN:
      case RuneRulesParser::MINUS:
        return false;
      default:
        break;
      }
    }
    return type != RuneRulesParser::UNKNOWN;
  }

  const char *tokenKindName(size_t type) const override {
    switch (type) {
    case RuneRulesParser::NAME:
      return "name";
    case RuneRulesParser::VARIABLE:
      return "variable";
    case RuneRulesParser::INTEGER:
      return "integer";
    case RuneRulesParser::STRING:
      return "string";
    case RuneRulesParser::METHOD:
      return "method call";
    default:
      return nullptr;
    }
  }

private:
  static bool startsTerm(const antlr4::misc::IntervalSet &expected) {
    return expected.contains(size_t(RuneRulesParser::INTEGER)) &&
           expected.contains(size_t(RuneRulesParser::STRING));
  }
};

} // namespace

std::optional<std::vector<souffle::Clause>>
rune::runefile::detail::parseRules(llvm::StringRef text,
                                   DiagnosticEngine &diags) {
  frontend::SourceLocator locator(text);
  return frontend::runGuarded(
      locator, diags, "rules parser",
      [&]() -> std::optional<std::vector<souffle::Clause>> {
        unsigned before = diags.errorCount();
        frontend::AntlrParse<RuneRulesLexer, RuneRulesParser> parse(text);
        parse.lex();
        RuneRulesParser::ProgramContext *tree =
            parse
                .parser(
                    std::make_shared<RulesSyntaxErrorStrategy>(locator, diags))
                .program();
        if (diags.errorCount() != before)
          return std::nullopt;
        RulesASTBuilder builder(locator, diags);
        std::vector<souffle::Clause> clauses = builder.build(tree);
        if (diags.errorCount() != before)
          return std::nullopt;
        return clauses;
      });
}
