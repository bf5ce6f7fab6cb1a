//===- AntlrParseDriver.cpp - Running an ANTLR-generated parser -----------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Frontend/Common/AntlrParseDriver.h"

#include "llvm/Support/ConvertUTF.h"

using namespace rune;
using namespace rune::frontend;

ByteInputStream::ByteInputStream(llvm::StringRef bytes) {
  _data.reserve(bytes.size());
  for (unsigned char byte : bytes)
    _data.push_back(byte);
}

bool rune::frontend::checkUTF8(llvm::StringRef text,
                               const SourceLocator &locator,
                               DiagnosticEngine &diags,
                               const llvm::Twine &message) {
  const auto *begin = reinterpret_cast<const llvm::UTF8 *>(text.begin());
  const auto *cursor = begin;
  const auto *end = reinterpret_cast<const llvm::UTF8 *>(text.end());
  if (llvm::isLegalUTF8String(&cursor, end))
    return true;
  diags.error(locator.locAt(cursor - begin), message);
  return false;
}
