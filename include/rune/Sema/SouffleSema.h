//===- SouffleSema.h - Soufflé Datalog semantic checks ----------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The checks Soufflé makes before evaluating a program, with locations:
// duplicate type and relation declarations, unknown types, undeclared
// relations (in clauses and IO directives), arity mismatches, and
// groundedness (every variable of a clause must be bound by a positive atom
// of its body, or equated to a grounded term; inside an aggregate, by the
// aggregate's own body).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_SEMA_SOUFFLESEMA_H
#define RUNE_SEMA_SOUFFLESEMA_H

#include "rune/Frontend/Souffle/AST.h"
#include "rune/Support/Diagnostics.h"

namespace rune::souffle {

/// Reports every problem found; returns false if there was any.
bool checkProgram(const Program &program, DiagnosticEngine &diags);

} // namespace rune::souffle

#endif // RUNE_SEMA_SOUFFLESEMA_H
