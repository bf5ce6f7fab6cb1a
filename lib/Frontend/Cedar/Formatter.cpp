//===- Formatter.cpp - Canonical layout of Cedar policy files -------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Builds a LayoutDoc for each policy following the layout of Cedar's
// formatter (cedar-policy-formatter):
//
//   * `permit (principal, action, resource)` stays on one line when no scope
//     element compares with an entity; otherwise each element gets its own
//     line, indented, and `)` closes on a line of its own.
//   * Each condition is `when { body }` when that fits, otherwise `when`,
//     `{`, the indented body and `}` each on their own line; `&&` and `||`
//     end the line when the body breaks.
//   * Sets, records and argument lists break one element per line when they
//     do not fit.
//
// Parentheses are the printer's (Precedence.h): exactly where the grammar
// needs them, so formatting normalizes redundant ones away.
//
//===----------------------------------------------------------------------===//

#include "rune/Frontend/Cedar/Formatter.h"
#include "rune/Frontend/Cedar/Parser.h"

#include "LayoutDoc.h"
#include "Literals.h"
#include "Precedence.h"
#include "SourceComments.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace rune;
using namespace rune::cedar;
using namespace rune::cedar::detail;

namespace {

/// A comment inside a policy, with its offset in the source.
struct InnerComment {
  const char *position;
  std::string text;
  /// Code precedes the comment on its line: it describes that code.
  bool trailing;
};

class PolicyLayout {
public:
  explicit PolicyLayout(unsigned indentWidth) : indentWidth(indentWidth) {}

  /// Lays `policy` out; `comments` are the comments inside it, in source
  /// order. Each is printed on a line of its own before the first element
  /// of the layout (scope element, condition, `&&`/`||` operand, closing
  /// `)`, `}` or `;`) that starts after it in the source, so comments stay
  /// inside the policy, in their order, next to the code they describe.
  LayoutDoc layoutPolicy(const Policy &policy,
                         std::vector<InnerComment> comments) {
    pending = std::move(comments);
    nextPending = 0;
    LayoutDoc doc;
    for (const Annotation &annotation : policy.annotations) {
      doc += "@" + annotation.key;
      if (annotation.value)
        doc += "(" + quoteString(*annotation.value) + ")";
      doc += LayoutDoc::hardLine();
    }
    // Comments between the annotations and the effect stay there.
    while (hasCommentBefore(policy.effectLoc.getPointer())) {
      doc += pending[nextPending++].text;
      doc += LayoutDoc::hardLine();
    }
    doc += toString(policy.effect).str() + " (";
    const ScopeConstraint *scopes[] = {&policy.principal, &policy.action,
                                       &policy.resource};
    bool comparesWithEntity = false;
    for (const ScopeConstraint *scope : scopes)
      comparesWithEntity |= scope->operand != nullptr;
    const char *scopeEnd =
        policy.conditions.empty()
            ? policy.range.End.getPointer()
            : policy.conditions.front().range.Start.getPointer();
    if (comparesWithEntity || hasCommentBefore(scopeEnd)) {
      LayoutDoc elements;
      for (size_t i = 0; i != 3; ++i) {
        const ScopeConstraint *scope = scopes[i];
        if (scope->operand)
          elements += commentsBefore(scope->operand->getRange().Start);
        elements += LayoutDoc::hardLine();
        elements += layoutScope(*scope);
        if (i != 2)
          elements += ",";
        const char *nextStart = scopeEnd;
        for (size_t j = i + 1; j != 3; ++j)
          if (scopes[j]->operand) {
            nextStart = scopes[j]->operand->getRange().Start.getPointer();
            break;
          }
        elements += trailingCommentBefore(nextStart);
      }
      elements += commentsBefore(scopeEnd);
      doc += LayoutDoc::nest(indentWidth, std::move(elements));
      doc += LayoutDoc::hardLine();
    } else {
      LayoutDoc elements;
      for (const ScopeConstraint *scope : scopes) {
        elements += layoutScope(*scope);
        if (scope != scopes[2]) {
          elements += ",";
          elements += LayoutDoc::line();
        }
      }
      doc +=
          LayoutDoc::group(LayoutDoc::nest(indentWidth, std::move(elements)));
    }
    doc += ")";
    for (const Condition &condition : policy.conditions) {
      doc += commentLinesBefore(condition.range.Start.getPointer());
      doc += LayoutDoc::hardLine();
      doc += layoutCondition(condition);
    }
    // Whatever is left lies between the last clause and the `;`, which
    // then needs a line of its own.
    if (hasCommentBefore(policy.range.End.getPointer())) {
      doc += commentLinesBefore(nullptr);
      doc += LayoutDoc::hardLine();
    }
    doc += ";";
    return doc;
  }

private:
  /// The next pending comment, as ` // text`, if it is a trailing comment
  /// that starts before `position`; the caller follows it with a newline.
  LayoutDoc trailingCommentBefore(const char *position) {
    if (!hasCommentBefore(position) || !pending[nextPending].trailing)
      return LayoutDoc();
    return LayoutDoc::text(" " + pending[nextPending++].text);
  }

  bool hasCommentBefore(const char *position) const {
    return nextPending != pending.size() &&
           pending[nextPending].position < position;
  }

  /// The pending comments that start before `position` (all of them for
  /// null), each preceded by a newline: for use where the layout continues
  /// on a new line anyway.
  LayoutDoc commentLinesBefore(const char *position) {
    LayoutDoc doc;
    while (nextPending != pending.size() &&
           (!position || pending[nextPending].position < position)) {
      doc += LayoutDoc::hardLine();
      doc += pending[nextPending++].text;
    }
    return doc;
  }

  /// The same, each comment followed by a newline: for use before an
  /// element that starts a line.
  LayoutDoc commentsBefore(llvm::SMLoc loc) {
    return commentLinesBefore(loc.getPointer());
  }
  LayoutDoc commentsBefore(const char *position) {
    return commentLinesBefore(position);
  }

  LayoutDoc layoutScope(const ScopeConstraint &scope) {
    LayoutDoc head = LayoutDoc::text(toString(scope.var));
    if (scope.entityType)
      head += " is " + scope.entityType->str();
    if (!scope.operand)
      return head;
    bool isEq = scope.kind == ScopeConstraint::Kind::Eq;
    head += LayoutDoc::line();
    head += isEq ? "==" : "in";
    LayoutDoc doc = LayoutDoc::group(std::move(head));
    LayoutDoc operand = LayoutDoc::line();
    operand += layoutExpr(*scope.operand, PrecIf);
    doc += LayoutDoc::nest(indentWidth, std::move(operand));
    return LayoutDoc::group(std::move(doc));
  }

  LayoutDoc layoutCondition(const Condition &condition) {
    LayoutDoc doc = LayoutDoc::text(
        condition.kind == Condition::Kind::When ? "when" : "unless");
    doc += LayoutDoc::line();
    doc += "{";
    LayoutDoc body =
        commentLinesBefore(condition.body->getRange().Start.getPointer());
    body += LayoutDoc::line();
    body += LayoutDoc::group(layoutExpr(*condition.body, PrecIf));
    // Comments after the expression, before the `}`.
    body += commentLinesBefore(condition.range.End.getPointer());
    doc += LayoutDoc::nest(indentWidth, std::move(body));
    doc += LayoutDoc::line();
    doc += "}";
    return LayoutDoc::group(std::move(doc));
  }

  LayoutDoc layoutExpr(const Expr &expr, unsigned minPrecedence) {
    if (precedenceOf(expr) >= minPrecedence)
      return layoutBare(expr);
    LayoutDoc doc = LayoutDoc::text("(");
    doc += layoutBare(expr);
    doc += ")";
    return LayoutDoc::group(std::move(doc));
  }

  /// `open elements... close`, one element per line when it does not fit.
  LayoutDoc layoutBracketed(llvm::StringRef open,
                            std::vector<LayoutDoc> elements,
                            llvm::StringRef close) {
    if (elements.empty())
      return LayoutDoc::text((open + close).str());
    LayoutDoc inner = LayoutDoc::softLine();
    for (size_t i = 0; i != elements.size(); ++i) {
      if (i != 0) {
        inner += ",";
        inner += LayoutDoc::line();
      }
      inner += std::move(elements[i]);
    }
    LayoutDoc doc = LayoutDoc::text(open);
    doc += LayoutDoc::nest(indentWidth, std::move(inner));
    doc += LayoutDoc::softLine();
    doc += close;
    return LayoutDoc::group(std::move(doc));
  }

  std::vector<LayoutDoc> layoutList(const std::vector<ExprPtr> &exprs) {
    std::vector<LayoutDoc> docs;
    for (const ExprPtr &expr : exprs)
      docs.push_back(layoutExpr(*expr, PrecIf));
    return docs;
  }

  /// The operands of a chain of the same short-circuit operator, which Cedar
  /// parses as a flat list (`a && b && c`), left to right.
  template <typename ExprTy>
  static void collectChain(const Expr &expr,
                           std::vector<const Expr *> &operands) {
    if (const auto *chain = llvm::dyn_cast<ExprTy>(&expr)) {
      collectChain<ExprTy>(chain->getLHS(), operands);
      operands.push_back(&chain->getRHS());
      return;
    }
    operands.push_back(&expr);
  }

  /// `a op` newline `b op` newline `c` when the enclosing group breaks.
  template <typename ExprTy>
  LayoutDoc layoutChain(const ExprTy &expr, llvm::StringRef op,
                        unsigned operandPrecedence) {
    std::vector<const Expr *> operands;
    collectChain<ExprTy>(expr, operands);
    LayoutDoc doc;
    for (size_t i = 0; i != operands.size(); ++i) {
      // The first operand may itself be a chain of the same operator only
      // through parentheses, which collectChain already flattened.
      if (i != 0 &&
          hasCommentBefore(operands[i]->getRange().Start.getPointer())) {
        doc +=
            trailingCommentBefore(operands[i]->getRange().Start.getPointer());
        // The comment goes on its own line between the operator and the
        // operand; the hard line breaks the enclosing groups.
        doc += commentLinesBefore(operands[i]->getRange().Start.getPointer());
        doc += LayoutDoc::hardLine();
      } else if (i != 0) {
        doc += LayoutDoc::line();
      }
      doc += layoutExpr(*operands[i], operandPrecedence);
      if (i + 1 != operands.size())
        doc += (" " + op).str();
    }
    return doc;
  }

  /// A run of `!` or `-`, as ASTPrinter prints it.
  LayoutDoc layoutUnaryRun(const Expr &expr) {
    Expr::Kind kind = expr.getKind();
    const Expr *operand = &expr;
    unsigned run = 0;
    std::string prefix;
    while (run != MaxUnaryRun && operand->getKind() == kind) {
      prefix += kind == Expr::Kind::Not ? "!" : "-";
      operand = kind == Expr::Kind::Not
                    ? &llvm::cast<NotExpr>(operand)->getOperand()
                    : &llvm::cast<NegExpr>(operand)->getOperand();
      ++run;
    }
    LayoutDoc doc = LayoutDoc::text(prefix);
    if (kind == Expr::Kind::Neg && llvm::isa<LongLiteralExpr>(operand)) {
      // `-` in front of a literal would fold into it when read back.
      if (llvm::cast<LongLiteralExpr>(operand)->getValue() < 0 &&
          run != MaxUnaryRun) {
        doc += layoutBare(*operand);
        return doc;
      }
      doc += "(";
      doc += layoutBare(*operand);
      doc += ")";
      return doc;
    }
    doc += layoutExpr(*operand, PrecMember);
    return doc;
  }

  static std::string name(llvm::StringRef text) {
    return isValidIdentifier(text) ? text.str() : quoteString(text);
  }

  LayoutDoc layoutBare(const Expr &expr) {
    switch (expr.getKind()) {
    case Expr::Kind::BoolLiteral:
    case Expr::Kind::LongLiteral:
    case Expr::Kind::StringLiteral:
    case Expr::Kind::EntityUid:
    case Expr::Kind::Var:
    case Expr::Kind::Slot:
    case Expr::Kind::Like:
      // Atoms: the printer's spelling is the formatted one.
      return LayoutDoc::text(toSource(expr));
    case Expr::Kind::If: {
      const auto &ifExpr = llvm::cast<IfExpr>(expr);
      auto part = [&](llvm::StringRef keyword, const Expr &operand) {
        LayoutDoc doc = LayoutDoc::text(keyword);
        LayoutDoc nested = LayoutDoc::line();
        nested += layoutExpr(operand, PrecIf);
        doc += LayoutDoc::nest(indentWidth, std::move(nested));
        return doc;
      };
      LayoutDoc doc = part("if", ifExpr.getCond());
      doc += LayoutDoc::line();
      doc += part("then", ifExpr.getThen());
      doc += LayoutDoc::line();
      doc += part("else", ifExpr.getElse());
      return LayoutDoc::group(std::move(doc));
    }
    case Expr::Kind::Or:
      return layoutChain(llvm::cast<OrExpr>(expr), "||", PrecAnd);
    case Expr::Kind::And:
      return layoutChain(llvm::cast<AndExpr>(expr), "&&", PrecRelation);
    case Expr::Kind::Not:
    case Expr::Kind::Neg:
      return layoutUnaryRun(expr);
    case Expr::Kind::Binary: {
      const auto &binary = llvm::cast<BinaryExpr>(expr);
      unsigned precedence = precedenceOf(expr);
      unsigned lhsPrecedence =
          precedence == PrecRelation ? PrecAdd : precedence;
      LayoutDoc doc = layoutExpr(binary.getLHS(), lhsPrecedence);
      doc += (" " + BinaryExpr::getSpelling(binary.getOp())).str();
      if (precedence == PrecRelation) {
        doc += " ";
        doc += layoutExpr(binary.getRHS(), precedence + 1);
        return doc;
      }
      // Arithmetic may break after its operator.
      doc += LayoutDoc::line();
      doc += layoutExpr(binary.getRHS(), precedence + 1);
      return LayoutDoc::group(std::move(doc));
    }
    case Expr::Kind::Has: {
      const auto &has = llvm::cast<HasExpr>(expr);
      LayoutDoc doc = layoutExpr(has.getObject(), PrecAdd);
      const std::vector<std::string> &attrs = has.getAttrs();
      doc += " has " +
             (attrs.size() == 1 ? name(attrs.front()) : llvm::join(attrs, "."));
      return doc;
    }
    case Expr::Kind::Is: {
      const auto &is = llvm::cast<IsExpr>(expr);
      LayoutDoc doc = layoutExpr(is.getObject(), PrecAdd);
      doc += " is " + is.getType().str();
      if (const Expr *in = is.getInExpr()) {
        doc += LayoutDoc::line();
        doc += "in ";
        doc += LayoutDoc::nest(indentWidth, layoutExpr(*in, PrecAdd));
      }
      return LayoutDoc::group(std::move(doc));
    }
    case Expr::Kind::GetAttr: {
      const auto &get = llvm::cast<GetAttrExpr>(expr);
      LayoutDoc doc = layoutExpr(get.getObject(), PrecMember);
      if (!get.usesIndexSyntax() && isValidIdentifier(get.getAttr()))
        doc += "." + get.getAttr().str();
      else
        doc += "[" + quoteString(get.getAttr()) + "]";
      return doc;
    }
    case Expr::Kind::MethodCall: {
      const auto &call = llvm::cast<MethodCallExpr>(expr);
      LayoutDoc doc = layoutExpr(call.getReceiver(), PrecMember);
      doc += "." + call.getName().str();
      doc += layoutBracketed("(", layoutList(call.getArgs()), ")");
      return doc;
    }
    case Expr::Kind::FunctionCall: {
      const auto &call = llvm::cast<FunctionCallExpr>(expr);
      LayoutDoc doc = LayoutDoc::text(call.getName().str());
      doc += layoutBracketed("(", layoutList(call.getArgs()), ")");
      return doc;
    }
    case Expr::Kind::Set:
      return layoutBracketed(
          "[", layoutList(llvm::cast<SetExpr>(expr).getElements()), "]");
    case Expr::Kind::Record: {
      std::vector<LayoutDoc> entries;
      for (const RecordEntry &entry :
           llvm::cast<RecordExpr>(expr).getEntries()) {
        LayoutDoc doc = LayoutDoc::text(name(entry.key) + ": ");
        doc += layoutExpr(*entry.value, PrecIf);
        entries.push_back(std::move(doc));
      }
      return layoutBracketed("{", std::move(entries), "}");
    }
    }
    llvm_unreachable("unknown expression kind");
  }

  unsigned indentWidth;
  std::vector<InnerComment> pending;
  size_t nextPending = 0;
};

/// The comments of the source, distributed over the policies.
struct PlacedComments {
  /// Per policy: the comments printed on their own lines before it.
  std::vector<std::vector<std::string>> leading;
  /// Per policy: the comments inside it, after its first annotation or its
  /// effect.
  std::vector<std::vector<InnerComment>> inner;
  /// Per policy: the comment after its `;` on the same line, if any.
  std::vector<std::string> trailing;
  /// Comments after the last policy.
  std::vector<std::string> final;
};

PlacedComments placeComments(llvm::StringRef source,
                             const PolicySet &policies) {
  PlacedComments placed;
  size_t count = policies.policies.size();
  placed.leading.resize(count);
  placed.trailing.resize(count);
  placed.inner.resize(count);
  const char *base = source.data();
  size_t next = 0; // the first policy that does not end before the comment
  for (SourceComment &comment : scanComments(source)) {
    bool isTrailing = false;
    while (next != count &&
           size_t(policies.policies[next].range.End.getPointer() - base) <=
               comment.offset) {
      const Policy &policy = policies.policies[next];
      size_t end = policy.range.End.getPointer() - base;
      // After the `;` but on its line: the policy's trailing comment.
      if (placed.trailing[next].empty() &&
          source.slice(end, comment.offset).find_first_of("\r\n") ==
              llvm::StringRef::npos &&
          source.slice(end, comment.offset).trim().empty()) {
        placed.trailing[next] = std::move(comment.text);
        isTrailing = true;
        break;
      }
      ++next;
    }
    if (isTrailing)
      continue;
    if (next == count)
      placed.final.push_back(std::move(comment.text));
    else if (policies.policies[next].range.Start.getPointer() <
             base + comment.offset) {
      size_t lineStart = source.rfind('\n', comment.offset);
      lineStart = lineStart == llvm::StringRef::npos ? 0 : lineStart + 1;
      bool trailing = !source.slice(lineStart, comment.offset).trim().empty();
      placed.inner[next].push_back(
          {base + comment.offset, std::move(comment.text), trailing});
    } else
      placed.leading[next].push_back(std::move(comment.text));
  }
  return placed;
}

} // namespace

std::optional<std::string>
rune::cedar::formatPolicySource(unsigned bufferId, DiagnosticEngine &diags,
                                const FormatOptions &options) {
  std::optional<PolicySet> policies = parsePolicySet(bufferId, diags);
  if (!policies || diags.hasErrors())
    return std::nullopt;
  llvm::StringRef source =
      diags.getSourceMgr().getMemoryBuffer(bufferId)->getBuffer();
  PlacedComments comments = placeComments(source, *policies);

  PolicyLayout layout(options.indentWidth);
  std::string out;
  for (size_t i = 0; i != policies->policies.size(); ++i) {
    if (i != 0)
      out += "\n";
    for (const std::string &comment : comments.leading[i])
      out += comment + "\n";
    out +=
        layout.layoutPolicy(policies->policies[i], std::move(comments.inner[i]))
            .render(options.lineWidth);
    if (!comments.trailing[i].empty())
      out += " " + comments.trailing[i];
    out += "\n";
  }
  for (const std::string &comment : comments.final)
    out += comment + "\n";
  return out;
}
