//===- LayoutDoc.cpp - A Wadler-style pretty-printing document ------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "LayoutDoc.h"

#include <tuple>

using namespace rune::cedar::detail;

LayoutDoc LayoutDoc::text(llvm::StringRef text) {
  LayoutDoc doc(Kind::Text);
  doc.textValue = text.str();
  return doc;
}

LayoutDoc LayoutDoc::line() {
  LayoutDoc doc(Kind::Line);
  doc.textValue = " ";
  return doc;
}

LayoutDoc LayoutDoc::softLine() { return LayoutDoc(Kind::Line); }

LayoutDoc LayoutDoc::hardLine() { return LayoutDoc(Kind::HardLine); }

LayoutDoc LayoutDoc::nest(unsigned indent, LayoutDoc inner) {
  LayoutDoc doc(Kind::Nest);
  doc.indent = indent;
  doc.children.push_back(std::move(inner));
  return doc;
}

LayoutDoc LayoutDoc::group(LayoutDoc inner) {
  LayoutDoc doc(Kind::Group);
  doc.children.push_back(std::move(inner));
  return doc;
}

LayoutDoc &LayoutDoc::operator+=(LayoutDoc doc) {
  if (kind != Kind::Concat) {
    LayoutDoc self = std::move(*this);
    *this = LayoutDoc();
    children.push_back(std::move(self));
  }
  children.push_back(std::move(doc));
  return *this;
}

namespace rune::cedar::detail {

/// The classic fits/break algorithm, iterative so that deep documents cannot
/// exhaust the stack.
class LayoutRenderer {
public:
  explicit LayoutRenderer(unsigned width) : width(width) {}

  std::string render(const LayoutDoc &root) {
    std::vector<Item> stack{{0, /*flat=*/false, &root}};
    while (!stack.empty()) {
      auto [indent, flat, doc] = stack.back();
      stack.pop_back();
      switch (doc->kind) {
      case LayoutDoc::Kind::Text:
        out += doc->textValue;
        column += doc->textValue.size();
        break;
      case LayoutDoc::Kind::Line:
        if (flat) {
          out += doc->textValue;
          column += doc->textValue.size();
          break;
        }
        [[fallthrough]];
      case LayoutDoc::Kind::HardLine:
        newline(indent);
        break;
      case LayoutDoc::Kind::Nest:
        stack.push_back({indent + doc->indent, flat, &doc->children[0]});
        break;
      case LayoutDoc::Kind::Group: {
        bool fitsFlat = flat || fits(&doc->children[0], stack);
        stack.push_back({indent, fitsFlat, &doc->children[0]});
        break;
      }
      case LayoutDoc::Kind::Concat:
        for (auto it = doc->children.rbegin(); it != doc->children.rend(); ++it)
          stack.push_back({indent, flat, &*it});
        break;
      }
    }
    return out;
  }

private:
  struct Item {
    unsigned indent;
    bool flat;
    const LayoutDoc *doc;
  };

  void newline(unsigned indent) {
    // No trailing blanks before a newline.
    while (!out.empty() && out.back() == ' ')
      out.pop_back();
    out += '\n';
    out.append(indent, ' ');
    column = indent;
  }

  /// Whether `doc` printed flat, followed by what comes after it up to the
  /// next newline, stays within the width.
  bool fits(const LayoutDoc *doc, const std::vector<Item> &rest) const {
    long remaining = long(width) - long(column);
    std::vector<std::pair<bool, const LayoutDoc *>> pending{{true, doc}};
    size_t restIndex = rest.size();
    while (remaining >= 0) {
      if (pending.empty()) {
        if (restIndex == 0)
          return true;
        --restIndex;
        pending.push_back({rest[restIndex].flat, rest[restIndex].doc});
      }
      auto [flat, current] = pending.back();
      pending.pop_back();
      switch (current->kind) {
      case LayoutDoc::Kind::Text:
        remaining -= long(current->textValue.size());
        break;
      case LayoutDoc::Kind::Line:
        if (!flat)
          return true;
        remaining -= long(current->textValue.size());
        break;
      case LayoutDoc::Kind::HardLine:
        // A hard line inside the group forces it to break; after the group
        // it just ends the line being measured.
        return !flat;
      case LayoutDoc::Kind::Nest:
      case LayoutDoc::Kind::Group:
        pending.push_back({flat, &current->children[0]});
        break;
      case LayoutDoc::Kind::Concat:
        for (auto it = current->children.rbegin();
             it != current->children.rend(); ++it)
          pending.push_back({flat, &*it});
        break;
      }
    }
    return false;
  }

  unsigned width;
  unsigned column = 0;
  std::string out;
};

} // namespace rune::cedar::detail

std::string LayoutDoc::render(unsigned width) const {
  return LayoutRenderer(width).render(*this);
}
