//===- AntlrParseDriver.h - Running an ANTLR-generated parser ---*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// What the Cedar policy parser and the Cedar schema parser do alike to run
// their ANTLR-generated lexer and parser:
//
//  * ANTLR is fed the source one byte per symbol rather than as decoded
//    UTF-32, so that token indices are byte offsets usable as SMLocs (see
//    SourceLocator.h). The grammars only need ASCII outside strings and
//    comments, and the input is checked to be UTF-8 first, as Cedar requires.
//  * The lexer cannot fail (unknown characters become tokens that the parser
//    reports), and the parser reports through its error strategy, so ANTLR's
//    console listeners are removed.
//  * The whole token stream is lexed before parsing, so that a language can
//    reject inputs nested too deeply for the recursive-descent parser before
//    risking a stack overflow.
//  * ANTLR reports errors through exceptions internally; anything escaping
//    it is turned into a diagnostic instead of terminating the compiler.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_FRONTEND_COMMON_ANTLRPARSEDRIVER_H
#define RUNE_FRONTEND_COMMON_ANTLRPARSEDRIVER_H

#include "rune/Frontend/Common/SourceLocator.h"
#include "rune/Support/Diagnostics.h"

#include "antlr4-runtime.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"

#include <exception>
#include <memory>
#include <optional>

namespace rune::frontend {

/// Presents a buffer to ANTLR as a sequence of bytes, each byte one symbol.
class ByteInputStream : public antlr4::ANTLRInputStream {
public:
  explicit ByteInputStream(llvm::StringRef bytes);
};

/// Reports the first byte of `text` that is not part of valid UTF-8 with
/// `message`; returns false if there is one.
bool checkUTF8(llvm::StringRef text, const SourceLocator &locator,
               DiagnosticEngine &diags, const llvm::Twine &message);

/// The generated lexer and parser of one grammar over one buffer.
template <typename LexerT, typename ParserT> class AntlrParse {
public:
  explicit AntlrParse(llvm::StringRef text)
      : input(text), lexer(&input), tokens(&lexer) {
    lexer.removeErrorListeners();
  }

  /// Lexes the whole buffer.
  antlr4::CommonTokenStream &lex() {
    tokens.fill();
    return tokens;
  }

  /// The parser over the lexed tokens, reporting through `strategy`.
  ParserT &
  parser(std::shared_ptr<antlr4::ANTLRErrorStrategy> strategy) {
    parserStorage.emplace(&tokens);
    parserStorage->removeErrorListeners();
    parserStorage->setErrorHandler(std::move(strategy));
    return *parserStorage;
  }

private:
  ByteInputStream input;
  LexerT lexer;
  antlr4::CommonTokenStream tokens;
  std::optional<ParserT> parserStorage;
};

/// Runs `parse` (returning a std::optional), turning anything it throws into
/// "internal error in the <parserName>: ..." at the start of the buffer,
/// after calling `beforeInternalError` if given.
template <typename ParseFn>
auto runGuarded(const SourceLocator &locator, DiagnosticEngine &diags,
                llvm::StringRef parserName, ParseFn &&parse,
                llvm::function_ref<void()> beforeInternalError = {})
    -> decltype(parse()) {
  try {
    return parse();
  } catch (const std::exception &e) {
    if (beforeInternalError)
      beforeInternalError();
    diags.error(locator.locAt(0), llvm::Twine("internal error in the ") +
                                      parserName + ": " + e.what());
    return std::nullopt;
  }
}

} // namespace rune::frontend

#endif // RUNE_FRONTEND_COMMON_ANTLRPARSEDRIVER_H
