//===- ASTPrinter.cpp - Cedar source from the AST -------------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Prints policies back as Cedar source. Parentheses are inserted exactly
// where Cedar's grammar needs them for the output to re-parse to the same
// AST: around looser operators, around relations used as relation operands
// (relations do not chain), around a fifth consecutive unary operator, and
// around integer literals that a '-' would otherwise fold into.
//
//===----------------------------------------------------------------------===//

#include "rune/Frontend/Cedar/AST.h"

#include "Literals.h"
#include "Precedence.h"

#include "llvm/ADT/StringExtras.h"

using namespace rune::cedar;
using namespace rune::cedar::detail;

namespace {

class Printer {
public:
  explicit Printer(llvm::raw_ostream &os) : os(os) {}

  void printPolicySet(const PolicySet &policySet) {
    bool first = true;
    for (const Policy &policy : policySet.policies) {
      if (!first)
        os << "\n";
      first = false;
      printPolicy(policy);
    }
  }

  void printPolicy(const Policy &policy) {
    for (const Annotation &annotation : policy.annotations) {
      os << "@" << annotation.key;
      if (annotation.value)
        os << "(" << quoteString(*annotation.value) << ")";
      os << "\n";
    }
    os << toString(policy.effect) << " (\n";
    printScope(policy.principal);
    os << ",\n";
    printScope(policy.action);
    os << ",\n";
    printScope(policy.resource);
    os << "\n)";
    for (const Condition &condition : policy.conditions) {
      os << (condition.kind == Condition::Kind::When ? "\nwhen { "
                                                     : "\nunless { ");
      if (condition.body)
        printExpr(*condition.body, PrecIf);
      os << " }";
    }
    os << ";\n";
  }

  void printExpr(const Expr &expr, unsigned minPrecedence) {
    if (precedenceOf(expr) < minPrecedence) {
      os << "(";
      printBare(expr);
      os << ")";
      return;
    }
    printBare(expr);
  }

private:
  void printScope(const ScopeConstraint &scope) {
    os << "  " << toString(scope.var);
    if (scope.entityType)
      os << " is " << scope.entityType->str();
    switch (scope.kind) {
    case ScopeConstraint::Kind::Any:
    case ScopeConstraint::Kind::Is:
      return;
    case ScopeConstraint::Kind::Eq:
      os << " == ";
      break;
    case ScopeConstraint::Kind::In:
    case ScopeConstraint::Kind::IsIn:
    case ScopeConstraint::Kind::InList:
      os << " in ";
      break;
    }
    if (scope.operand)
      printExpr(*scope.operand, PrecIf);
  }

  void printName(llvm::StringRef name) {
    if (isValidIdentifier(name))
      os << name;
    else
      os << quoteString(name);
  }

  void printList(const std::vector<ExprPtr> &exprs) {
    bool first = true;
    for (const ExprPtr &expr : exprs) {
      if (!first)
        os << ", ";
      first = false;
      printExpr(*expr, PrecIf);
    }
  }

  /// Prints a run of `!` or `-` followed by its operand.
  void printUnaryRun(const Expr &expr) {
    Expr::Kind kind = expr.getKind();
    const Expr *operand = &expr;
    unsigned run = 0;
    while (run != MaxUnaryRun && operand->getKind() == kind) {
      os << (kind == Expr::Kind::Not ? "!" : "-");
      operand = kind == Expr::Kind::Not
                    ? &llvm::cast<NotExpr>(operand)->getOperand()
                    : &llvm::cast<NegExpr>(operand)->getOperand();
      ++run;
    }
    // A '-' in front of an integer literal folds into it when read back, so
    // `-` applied to 5 is written -(5). A negative literal can extend the
    // run instead (`--5` is -(-5)) while the run stays within the limit.
    if (kind == Expr::Kind::Neg && llvm::isa<LongLiteralExpr>(operand)) {
      if (llvm::cast<LongLiteralExpr>(operand)->getValue() < 0 &&
          run != MaxUnaryRun) {
        printBare(*operand);
        return;
      }
      os << "(";
      printBare(*operand);
      os << ")";
      return;
    }
    printExpr(*operand, PrecMember);
  }

  void printBare(const Expr &expr) {
    switch (expr.getKind()) {
    case Expr::Kind::BoolLiteral:
      os << (llvm::cast<BoolLiteralExpr>(expr).getValue() ? "true" : "false");
      return;
    case Expr::Kind::LongLiteral:
      os << llvm::cast<LongLiteralExpr>(expr).getValue();
      return;
    case Expr::Kind::StringLiteral:
      os << quoteString(llvm::cast<StringLiteralExpr>(expr).getValue());
      return;
    case Expr::Kind::EntityUid: {
      const auto &uid = llvm::cast<EntityUidExpr>(expr);
      os << uid.getType().str() << "::" << quoteString(uid.getId());
      return;
    }
    case Expr::Kind::Var:
      os << toString(llvm::cast<VarExpr>(expr).getVar());
      return;
    case Expr::Kind::Slot:
      os << toString(llvm::cast<SlotExpr>(expr).getSlot());
      return;
    case Expr::Kind::If: {
      const auto &ifExpr = llvm::cast<IfExpr>(expr);
      os << "if ";
      printExpr(ifExpr.getCond(), PrecIf);
      os << " then ";
      printExpr(ifExpr.getThen(), PrecIf);
      os << " else ";
      printExpr(ifExpr.getElse(), PrecIf);
      return;
    }
    case Expr::Kind::Or: {
      const auto &orExpr = llvm::cast<OrExpr>(expr);
      printExpr(orExpr.getLHS(), PrecOr);
      os << " || ";
      printExpr(orExpr.getRHS(), PrecAnd);
      return;
    }
    case Expr::Kind::And: {
      const auto &andExpr = llvm::cast<AndExpr>(expr);
      printExpr(andExpr.getLHS(), PrecAnd);
      os << " && ";
      printExpr(andExpr.getRHS(), PrecRelation);
      return;
    }
    case Expr::Kind::Not:
    case Expr::Kind::Neg:
      printUnaryRun(expr);
      return;
    case Expr::Kind::Binary: {
      const auto &binary = llvm::cast<BinaryExpr>(expr);
      unsigned precedence = precedenceOf(expr);
      // Arithmetic is left-associative; relations do not associate at all.
      unsigned lhsPrecedence =
          precedence == PrecRelation ? PrecAdd : precedence;
      printExpr(binary.getLHS(), lhsPrecedence);
      os << " " << BinaryExpr::getSpelling(binary.getOp()) << " ";
      printExpr(binary.getRHS(), precedence + 1);
      return;
    }
    case Expr::Kind::Has: {
      const auto &has = llvm::cast<HasExpr>(expr);
      printExpr(has.getObject(), PrecAdd);
      os << " has ";
      const std::vector<std::string> &attrs = has.getAttrs();
      if (attrs.size() == 1)
        printName(attrs.front());
      else
        os << llvm::join(attrs, ".");
      return;
    }
    case Expr::Kind::Like: {
      const auto &like = llvm::cast<LikeExpr>(expr);
      printExpr(like.getObject(), PrecAdd);
      os << " like \"";
      for (const PatternElement &element : like.getPattern()) {
        if (element.isWildcard()) {
          os << "*";
          continue;
        }
        // quoteString adds quotes; the pattern is one literal overall.
        std::string quoted = quoteString(element.text, /*pattern=*/true);
        os << llvm::StringRef(quoted).drop_front().drop_back();
      }
      os << "\"";
      return;
    }
    case Expr::Kind::Is: {
      const auto &is = llvm::cast<IsExpr>(expr);
      printExpr(is.getObject(), PrecAdd);
      os << " is " << is.getType().str();
      if (const Expr *in = is.getInExpr()) {
        os << " in ";
        printExpr(*in, PrecAdd);
      }
      return;
    }
    case Expr::Kind::GetAttr: {
      const auto &get = llvm::cast<GetAttrExpr>(expr);
      printExpr(get.getObject(), PrecMember);
      if (!get.usesIndexSyntax() && isValidIdentifier(get.getAttr()))
        os << "." << get.getAttr();
      else
        os << "[" << quoteString(get.getAttr()) << "]";
      return;
    }
    case Expr::Kind::MethodCall: {
      const auto &call = llvm::cast<MethodCallExpr>(expr);
      printExpr(call.getReceiver(), PrecMember);
      os << "." << call.getName() << "(";
      printList(call.getArgs());
      os << ")";
      return;
    }
    case Expr::Kind::FunctionCall: {
      const auto &call = llvm::cast<FunctionCallExpr>(expr);
      os << call.getName().str() << "(";
      printList(call.getArgs());
      os << ")";
      return;
    }
    case Expr::Kind::Set:
      os << "[";
      printList(llvm::cast<SetExpr>(expr).getElements());
      os << "]";
      return;
    case Expr::Kind::Record: {
      os << "{";
      bool first = true;
      for (const RecordEntry &entry :
           llvm::cast<RecordExpr>(expr).getEntries()) {
        if (!first)
          os << ", ";
        first = false;
        printName(entry.key);
        os << ": ";
        printExpr(*entry.value, PrecIf);
      }
      os << "}";
      return;
    }
    }
  }

  llvm::raw_ostream &os;
};

} // namespace

void rune::cedar::print(llvm::raw_ostream &os, const PolicySet &policySet) {
  Printer(os).printPolicySet(policySet);
}

void rune::cedar::print(llvm::raw_ostream &os, const Policy &policy) {
  Printer(os).printPolicy(policy);
}

void rune::cedar::print(llvm::raw_ostream &os, const Expr &expr) {
  Printer(os).printExpr(expr, PrecIf);
}

std::string rune::cedar::toSource(const Expr &expr) {
  std::string result;
  llvm::raw_string_ostream os(result);
  print(os, expr);
  return result;
}
