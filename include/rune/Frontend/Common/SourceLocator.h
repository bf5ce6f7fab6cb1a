//===- SourceLocator.h - ANTLR token positions as SMLocs --------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The ANTLR parsers (Cedar policies and Cedar schemas) feed ANTLR the source
// one byte per symbol (see AntlrParseDriver.h), so token start/stop indices
// are byte offsets into the SourceMgr buffer and map directly to llvm::SMLoc
// pointers. Token text is taken from the buffer too, since ANTLR would
// re-encode bytes >= 0x80.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_FRONTEND_COMMON_SOURCELOCATOR_H
#define RUNE_FRONTEND_COMMON_SOURCELOCATOR_H

#include "antlr4-runtime.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"

#include <algorithm>

namespace rune::frontend {

class SourceLocator {
public:
  explicit SourceLocator(llvm::StringRef buffer) : buffer(buffer) {}

  llvm::SMLoc locAt(size_t offset) const {
    return llvm::SMLoc::getFromPointer(buffer.data() +
                                       std::min(offset, buffer.size()));
  }

  /// The first character of `token` (the end of the buffer for EOF).
  llvm::SMLoc startOf(const antlr4::Token *token) const {
    if (token->getType() == antlr4::Token::EOF)
      return locAt(buffer.size());
    return locAt(token->getStartIndex());
  }

  /// One past the last character of `token`.
  llvm::SMLoc endOf(const antlr4::Token *token) const {
    if (isEmpty(token))
      return startOf(token);
    return locAt(token->getStopIndex() + 1);
  }

  llvm::SMRange rangeOf(const antlr4::Token *token) const {
    return {startOf(token), endOf(token)};
  }

  llvm::SMRange rangeOf(antlr4::tree::TerminalNode *node) const {
    return rangeOf(node->getSymbol());
  }

  /// From the first token of `ctx` to the end of its last token; empty at
  /// the start token for a rule that matched nothing.
  llvm::SMRange rangeOf(antlr4::ParserRuleContext *ctx) const {
    const antlr4::Token *start = ctx->getStart();
    const antlr4::Token *stop = ctx->getStop();
    if (!stop || stop->getTokenIndex() < start->getTokenIndex())
      return {startOf(start), startOf(start)};
    return {startOf(start), endOf(stop)};
  }

  /// The source text of `token` (empty for EOF).
  llvm::StringRef textOf(const antlr4::Token *token) const {
    if (isEmpty(token))
      return {};
    size_t start = std::min<size_t>(token->getStartIndex(), buffer.size());
    size_t end = std::min<size_t>(token->getStopIndex() + 1, buffer.size());
    return buffer.slice(start, end);
  }

  llvm::StringRef textOf(antlr4::tree::TerminalNode *node) const {
    return textOf(node->getSymbol());
  }

  llvm::StringRef textOf(llvm::SMRange range) const {
    return llvm::StringRef(range.Start.getPointer(),
                           range.End.getPointer() - range.Start.getPointer());
  }

private:
  static bool isEmpty(const antlr4::Token *token) {
    return token->getType() == antlr4::Token::EOF ||
           token->getStopIndex() + 1 <= token->getStartIndex();
  }

  llvm::StringRef buffer;
};

} // namespace rune::frontend

#endif // RUNE_FRONTEND_COMMON_SOURCELOCATOR_H
