//===- Diagnostics.cpp - Located compiler diagnostics ---------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Support/Diagnostics.h"

using namespace rune;

DiagnosticEngine::DiagnosticEngine(llvm::SourceMgr &sourceMgr,
                                   llvm::raw_ostream &os)
    : sourceMgr(sourceMgr), os(os) {}

bool DiagnosticEngine::admitError() {
  ++numErrors;
  if (suppressing)
    return false;
  if (errorLimit != 0 && numErrors > errorLimit) {
    suppressing = true;
    emit(llvm::SMLoc(), llvm::SourceMgr::DK_Note,
         "too many errors emitted, stopping now", {});
    return false;
  }
  return true;
}

void DiagnosticEngine::emit(llvm::SMLoc loc, llvm::SourceMgr::DiagKind kind,
                            const llvm::Twine &message,
                            llvm::ArrayRef<llvm::SMRange> ranges) {
  // SourceMgr asserts that ranges lie in the buffer of `loc`; drop any that
  // do not (or that are empty) rather than trusting every caller.
  llvm::SmallVector<llvm::SMRange, 4> validRanges;
  if (loc.isValid()) {
    unsigned bufferId = sourceMgr.FindBufferContainingLoc(loc);
    for (llvm::SMRange range : ranges) {
      if (!range.isValid() || range.Start == range.End)
        continue;
      if (sourceMgr.FindBufferContainingLoc(range.Start) != bufferId ||
          sourceMgr.FindBufferContainingLoc(range.End) != bufferId)
        continue;
      validRanges.push_back(range);
    }
    if (bufferId == 0)
      loc = llvm::SMLoc();
  }
  if (!loc.isValid()) {
    // SourceMgr would print "<unknown>:0:" for a missing location; print a
    // bare "error: message" instead, as clang does.
    sourceMgr.PrintMessage(
        os, llvm::SMDiagnostic(/*filename=*/"", kind, message.str()));
    return;
  }
  sourceMgr.PrintMessage(os, loc, kind, message, validRanges);
}

void DiagnosticEngine::error(llvm::SMLoc loc, const llvm::Twine &message,
                             llvm::ArrayRef<llvm::SMRange> ranges) {
  lastPrinted = admitError();
  if (lastPrinted)
    emit(loc, llvm::SourceMgr::DK_Error, message, ranges);
}

void DiagnosticEngine::warning(llvm::SMLoc loc, const llvm::Twine &message,
                               llvm::ArrayRef<llvm::SMRange> ranges) {
  ++numWarnings;
  // Once errors are suppressed the output has already been cut short; extra
  // warnings would only add noise after the "stopping now" note.
  lastPrinted = !suppressing;
  if (lastPrinted)
    emit(loc, llvm::SourceMgr::DK_Warning, message, ranges);
}

void DiagnosticEngine::note(llvm::SMLoc loc, const llvm::Twine &message) {
  if (lastPrinted)
    emit(loc, llvm::SourceMgr::DK_Note, message, {});
}

void DiagnosticEngine::error(const llvm::Twine &message) {
  lastPrinted = admitError();
  if (lastPrinted)
    emit(llvm::SMLoc(), llvm::SourceMgr::DK_Error, message, {});
}

std::pair<unsigned, unsigned>
DiagnosticEngine::getLineAndColumn(llvm::SMLoc loc) const {
  if (!loc.isValid())
    return {0, 0};
  unsigned bufferId = sourceMgr.FindBufferContainingLoc(loc);
  if (bufferId == 0)
    return {0, 0};
  return sourceMgr.getLineAndColumn(loc, bufferId);
}
