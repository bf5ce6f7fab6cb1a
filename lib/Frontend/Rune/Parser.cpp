//===- Parser.cpp - .rune file parser -------------------------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Splits the file into its sections, then parses each with its own parser:
// toml++ for [data], the RuneRules grammar for [rules], the Cedar parser for
// [policies]. Every parser sees the section at its place in the file (a
// slice of the buffer, or a copy of the file blank outside the section), so
// every diagnostic carries the file's line and column.
//
//===----------------------------------------------------------------------===//

#include "rune/Frontend/Rune/Parser.h"

#include "DataSection.h"
#include "RulesParser.h"
#include "Sections.h"

#include "rune/Frontend/Cedar/Parser.h"
#include "rune/Frontend/Common/AntlrParseDriver.h"

#include "llvm/Support/MemoryBuffer.h"

using namespace rune;
using namespace rune::runefile;
using namespace rune::runefile::detail;

namespace {

llvm::StringRef textOf(llvm::SMRange range) {
  return llvm::StringRef(range.Start.getPointer(),
                         range.End.getPointer() - range.Start.getPointer());
}

} // namespace

std::optional<RuneFile> rune::runefile::parseRuneFile(unsigned bufferId,
                                                      DiagnosticEngine &diags) {
  llvm::SourceMgr &sourceMgr = diags.getSourceMgr();
  const llvm::MemoryBuffer *buffer = sourceMgr.getMemoryBuffer(bufferId);
  llvm::StringRef text = buffer->getBuffer();
  frontend::SourceLocator locator(text);
  if (!frontend::checkUTF8(text, locator, diags, "invalid UTF-8 in .rune file"))
    return std::nullopt;

  RuneFile file;
  if (!splitSections(text, file, diags))
    return std::nullopt;

  // Each section is parsed even when an earlier one failed, so that one run
  // reports the errors of every section.
  bool ok = true;
  if (file.dataSection) {
    ok &= parseDataSection(bufferId, *file.dataSection, file, diags);
  } else {
    file.data.kind = DataValue::Kind::Table;
  }

  if (file.rulesSection) {
    std::optional<std::vector<souffle::Clause>> rules =
        parseRules(textOf(file.rulesSection->body), diags);
    if (rules)
      file.rules = std::move(*rules);
    else
      ok = false;
  }

  if (file.policiesSection) {
    std::string policiesOnly = blankOutside(text, file.policiesSection->body);
    unsigned policiesBuffer = sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(policiesOnly,
                                             buffer->getBufferIdentifier()),
        llvm::SMLoc());
    unsigned before = diags.errorCount();
    std::optional<cedar::PolicySet> policies =
        cedar::parsePolicySet(policiesBuffer, diags);
    if (policies && diags.errorCount() == before)
      file.policies = std::move(*policies);
    else
      ok = false;
  }

  if (!ok)
    return std::nullopt;
  return file;
}
