//===- AntlrParseDriver.cpp - Running an ANTLR-generated parser -----------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Frontend/Common/AntlrParseDriver.h"

#include "llvm/Support/ConvertUTF.h"

#include <cstring>

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
  // Policy files are mostly ASCII, which is valid UTF-8: skip the ASCII
  // prefix eight bytes at a time (LLVM's check decodes byte by byte; it was
  // a third of parsing 10,000 IPE policies) and check the rest with LLVM.
  size_t ascii = 0;
  for (; ascii + 8 <= text.size(); ascii += 8) {
    uint64_t word;
    std::memcpy(&word, text.data() + ascii, sizeof word);
    if (word & 0x8080808080808080u)
      break;
  }
  const auto *begin = reinterpret_cast<const llvm::UTF8 *>(text.begin());
  const auto *cursor = begin + ascii;
  const auto *end = reinterpret_cast<const llvm::UTF8 *>(text.end());
  if (llvm::isLegalUTF8String(&cursor, end))
    return true;
  diags.error(locator.locAt(cursor - begin), message);
  return false;
}
