//===- LayoutDoc.h - A Wadler-style pretty-printing document ----*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The layout engine of the formatter, in the style of Wadler's "prettier
// printer" (which Cedar's own formatter uses through the `pretty` crate): a
// document is text, line breaks, indentation and groups; a group is printed
// on one line if it fits in the line width, otherwise each of its own line
// breaks becomes a newline. Deciding per group, outermost first, gives the
// same layout for the same AST whatever the input looked like, which makes
// formatting idempotent.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_FRONTEND_CEDAR_LAYOUTDOC_H
#define RUNE_LIB_FRONTEND_CEDAR_LAYOUTDOC_H

#include "llvm/ADT/StringRef.h"

#include <memory>
#include <string>
#include <vector>

namespace rune::cedar::detail {

class LayoutDoc {
public:
  enum class Kind { Text, Line, HardLine, Nest, Group, Concat };

  LayoutDoc() : kind(Kind::Concat) {}

  static LayoutDoc text(llvm::StringRef text);
  /// A space when its group is flat, a newline otherwise.
  static LayoutDoc line();
  /// Nothing when its group is flat, a newline otherwise.
  static LayoutDoc softLine();
  /// Always a newline; the groups around it cannot be flat.
  static LayoutDoc hardLine();
  /// `doc` with newlines inside it indented by `indent` more columns.
  static LayoutDoc nest(unsigned indent, LayoutDoc doc);
  static LayoutDoc group(LayoutDoc doc);

  /// Appends `doc` to this concatenation.
  LayoutDoc &operator+=(LayoutDoc doc);
  LayoutDoc &operator+=(llvm::StringRef text) {
    return *this += LayoutDoc::text(text);
  }

  /// Lays the document out within `width` columns where it can.
  std::string render(unsigned width) const;

private:
  friend class LayoutRenderer;

  LayoutDoc(Kind kind) : kind(kind) {}

  Kind kind;
  std::string textValue;
  unsigned indent = 0;
  std::vector<LayoutDoc> children;
};

} // namespace rune::cedar::detail

#endif // RUNE_LIB_FRONTEND_CEDAR_LAYOUTDOC_H
