//===- Lexer.h - The IPE lexer ----------------------------------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// A hand-written lexer producing exactly the tokens of the lexer rules of
// grammar/Ipe.g4 (same types, offsets, lines and columns; whitespace and
// comments skipped): scanToken for the recursive-descent parser
// (RecursiveDescent.h), and an ANTLR TokenSource for the generated parser,
// which parses the files with errors.
//
// Why not the generated IpeLexer: the ANTLR 4.9 C++ runtime takes a mutex
// for every character it lexes (the DFA edge lock in LexerATNSimulator),
// which made lexing half of the time of compiling 10,000 policies
// (docs/performance.md, "IPE"). The grammar stays the definition of the
// tokens: unittests/Frontend/IpeLexerTest.cpp lexes a corpus with both
// lexers and requires identical token streams.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_FRONTEND_IPE_LEXER_H
#define RUNE_LIB_FRONTEND_IPE_LEXER_H

#include "antlr4-runtime.h"

#include "llvm/ADT/StringRef.h"

namespace rune::ipe::detail {

/// The type a skipped token (white space, a comment) gets from scanToken.
constexpr size_t kSkippedToken = ~size_t(0) - 1;

/// The token of grammar/Ipe.g4 starting at `pos` (< text.size()): its type
/// (an IpeParser token type, or kSkippedToken) and its length in bytes.
/// IpeTokenSource and the recursive-descent parser (RecursiveDescent.h)
/// both lex with it.
std::pair<size_t, size_t> scanToken(llvm::StringRef text, size_t pos);

/// The source text as an ANTLR character stream, one symbol per byte,
/// without a copy: tokens read their text from it (error messages only).
class SourceCharStream : public antlr4::CharStream {
public:
  explicit SourceCharStream(llvm::StringRef text) : text(text) {}

  void consume() override;
  size_t LA(ssize_t i) override;
  ssize_t mark() override { return -1; }
  void release(ssize_t) override {}
  size_t index() override { return position; }
  void seek(size_t index) override;
  size_t size() override { return text.size(); }
  std::string getSourceName() const override { return UNKNOWN_SOURCE_NAME; }
  std::string getText(const antlr4::misc::Interval &interval) override;
  std::string toString() const override { return text.str(); }

private:
  llvm::StringRef text;
  size_t position = 0;
};

class IpeTokenSource : public antlr4::TokenSource {
public:
  /// Lexes `text`; `input` is the same text as an ANTLR stream (one symbol
  /// per byte), which the tokens read their text from.
  IpeTokenSource(llvm::StringRef text, antlr4::CharStream *input)
      : text(text), input(input) {}

  std::unique_ptr<antlr4::Token> nextToken() override;
  size_t getLine() const override { return line; }
  size_t getCharPositionInLine() override { return column; }
  antlr4::CharStream *getInputStream() override { return input; }
  std::string getSourceName() override { return input->getSourceName(); }
  antlr4::TokenFactory<antlr4::CommonToken> *getTokenFactory() override {
    return antlr4::CommonTokenFactory::DEFAULT.get();
  }

private:
  std::pair<size_t, size_t> scan() const { return scanToken(text, pos); }
  void advance(size_t length);

  llvm::StringRef text;
  antlr4::CharStream *input;
  std::unique_ptr<antlr4::Token> eofAt(size_t position);

  size_t pos = 0;
  size_t line = 1;
  size_t column = 0;
};

} // namespace rune::ipe::detail

#endif // RUNE_LIB_FRONTEND_IPE_LEXER_H
