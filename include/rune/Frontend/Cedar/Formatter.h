//===- Formatter.h - Canonical layout of Cedar policy files -----*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// `runec --format`: lays a policy file out the way `cedar format` does
// (scope elements on their own lines, `when { ... }` on one line when it
// fits, 80 columns, 2-space indentation), keeping its `//` comments.
// Formatting is idempotent: formatting the output again gives the same bytes.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_FRONTEND_CEDAR_FORMATTER_H
#define RUNE_FRONTEND_CEDAR_FORMATTER_H

#include "rune/Support/Diagnostics.h"

#include <optional>
#include <string>

namespace rune::cedar {

struct FormatOptions {
  unsigned lineWidth = 80;
  unsigned indentWidth = 2;
};

/// Formats the Cedar policies in buffer `bufferId` of the diagnostics'
/// SourceMgr. Returns nullopt after reporting the syntax errors if the
/// source does not parse.
///
/// Comments before, between and after policies stay where they are, and a
/// comment after a policy's `;` on the same line stays there. A comment
/// inside a policy is moved to just before the policy, in source order, so
/// that no comment is ever lost.
std::optional<std::string>
formatPolicySource(unsigned bufferId, DiagnosticEngine &diags,
                   const FormatOptions &options = {});

} // namespace rune::cedar

#endif // RUNE_FRONTEND_CEDAR_FORMATTER_H
