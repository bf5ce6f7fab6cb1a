//===- ParseDiagnostics.h - Errors collected while parsing ------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Parsing reports errors in two passes, syntax first and then the checks of
// the AST builder. Collecting them and emitting them sorted by position keeps
// the output in source order, as users expect from a compiler.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_FRONTEND_CEDAR_PARSEDIAGNOSTICS_H
#define RUNE_LIB_FRONTEND_CEDAR_PARSEDIAGNOSTICS_H

#include "rune/Support/Diagnostics.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/SMLoc.h"

#include <string>
#include <vector>

namespace rune::cedar::detail {

class ParseDiagnostics {
public:
  /// Records an error at `loc`, underlining `range` if it is not empty.
  void error(llvm::SMLoc loc, const llvm::Twine &message,
             llvm::SMRange range = {}) {
    errors.push_back({loc, message.str(), range});
  }

  unsigned getNumErrors() const { return errors.size(); }

  /// Emits the recorded errors in source order and forgets them.
  void flush(DiagnosticEngine &diags) {
    llvm::stable_sort(errors, [](const Error &lhs, const Error &rhs) {
      return lhs.loc.getPointer() < rhs.loc.getPointer();
    });
    for (const Error &e : errors) {
      if (e.range.isValid() && e.range.Start != e.range.End)
        diags.error(e.loc, e.message, {e.range});
      else
        diags.error(e.loc, e.message);
    }
    errors.clear();
  }

private:
  struct Error {
    llvm::SMLoc loc;
    std::string message;
    llvm::SMRange range;
  };
  std::vector<Error> errors;
};

} // namespace rune::cedar::detail

#endif // RUNE_LIB_FRONTEND_CEDAR_PARSEDIAGNOSTICS_H
