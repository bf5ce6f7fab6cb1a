//===- Diagnostics.h - Located compiler diagnostics -------------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// A small diagnostic engine on top of llvm::SourceMgr. Messages are printed
// in the clang format:
//
//   policy.cedar:3:14: error: expected ';' after policy
//   permit(principal, action, resource)
//                                      ^
//
// The engine counts errors so that a driver can decide whether to continue,
// and stops printing errors after a configurable limit so that a badly broken
// input does not flood the terminal.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_SUPPORT_DIAGNOSTICS_H
#define RUNE_SUPPORT_DIAGNOSTICS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <utility>

namespace rune {

class DiagnosticEngine {
public:
  /// Errors printed before the engine stops printing them (see
  /// setErrorLimit).
  static constexpr unsigned DefaultErrorLimit = 20;

  explicit DiagnosticEngine(llvm::SourceMgr &sourceMgr,
                            llvm::raw_ostream &os = llvm::errs());

  /// Reports an error at `loc`, underlining `ranges` below the caret line.
  void error(llvm::SMLoc loc, const llvm::Twine &message,
             llvm::ArrayRef<llvm::SMRange> ranges = {});
  /// Reports a warning at `loc`, underlining `ranges` below the caret line.
  void warning(llvm::SMLoc loc, const llvm::Twine &message,
               llvm::ArrayRef<llvm::SMRange> ranges = {});
  /// Attaches a note to the previous diagnostic. `loc` may be invalid, in
  /// which case no source line is shown. Notes attached to errors that were
  /// suppressed by the error limit are suppressed too.
  void note(llvm::SMLoc loc, const llvm::Twine &message);
  /// Reports an error that has no source location: prints "error: message".
  void error(const llvm::Twine &message);

  /// Number of errors reported so far, including those not printed because
  /// of the error limit.
  unsigned errorCount() const { return numErrors; }
  bool hasErrors() const { return numErrors != 0; }
  unsigned warningCount() const { return numWarnings; }

  /// Sets how many errors are printed; the next one is replaced by a note
  /// saying that further errors are suppressed. 0 means no limit.
  void setErrorLimit(unsigned limit) { errorLimit = limit; }
  unsigned getErrorLimit() const { return errorLimit; }

  llvm::SourceMgr &getSourceMgr() { return sourceMgr; }
  const llvm::SourceMgr &getSourceMgr() const { return sourceMgr; }

  /// Line and column (both 1-based) of `loc`, e.g. for an MLIR
  /// FileLineColLoc. Returns {0, 0} for a location outside every buffer.
  std::pair<unsigned, unsigned> getLineAndColumn(llvm::SMLoc loc) const;

private:
  /// Prints a diagnostic unless the error limit suppressed it.
  void emit(llvm::SMLoc loc, llvm::SourceMgr::DiagKind kind,
            const llvm::Twine &message, llvm::ArrayRef<llvm::SMRange> ranges);
  /// Counts an error; returns false if it must not be printed.
  bool admitError();

  llvm::SourceMgr &sourceMgr;
  llvm::raw_ostream &os;
  unsigned numErrors = 0;
  unsigned numWarnings = 0;
  unsigned errorLimit = DefaultErrorLimit;
  /// Set once the error limit is hit: later errors and their notes are
  /// dropped.
  bool suppressing = false;
  /// Whether the last error or warning was printed, which decides whether
  /// the notes attached to it are.
  bool lastPrinted = true;
};

} // namespace rune

#endif // RUNE_SUPPORT_DIAGNOSTICS_H
