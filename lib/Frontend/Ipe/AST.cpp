//===- AST.cpp - The owned AST of IPE policy files ------------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Frontend/Ipe/AST.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <charconv>

using namespace rune::ipe;

const char *rune::ipe::spelling(CompareOp op) {
  switch (op) {
  case CompareOp::Eq: return "==";
  case CompareOp::Ne: return "!=";
  case CompareOp::Lt: return "<";
  case CompareOp::Le: return "<=";
  case CompareOp::Gt: return ">";
  case CompareOp::Ge: return ">=";
  }
  return "?";
}

std::string rune::ipe::toString(const Value &value) {
  std::string out;
  llvm::raw_string_ostream os(out);
  switch (value.kind) {
  case Value::Kind::String:
    if (value.bareIdentifier)
      os << value.string;
    else {
      os << '"';
      os.write_escaped(value.string);
      os << '"';
    }
    break;
  case Value::Kind::Int:
    os << value.intValue;
    break;
  case Value::Kind::Float: {
    // The shortest text that reads back as the same double.
    char digits[64];
    auto result = std::to_chars(digits, digits + sizeof(digits),
                                value.floatValue);
    llvm::StringRef text(digits, result.ptr - digits);
    os << text;
    if (text.find_first_of(".en") == llvm::StringRef::npos)
      os << ".0"; // keep 1.0 apart from the integer 1
    break;
  }
  case Value::Kind::Bool:
    os << (value.boolValue ? "true" : "false");
    break;
  case Value::Kind::List: {
    os << '[';
    bool first = true;
    for (const Value &element : value.elements) {
      if (!first)
        os << ", ";
      first = false;
      os << toString(element);
    }
    os << ']';
    break;
  }
  }
  return out;
}

std::string rune::ipe::toString(const Expr &expr) {
  switch (expr.kind) {
  case Expr::Kind::Or:
  case Expr::Kind::And:
    return std::string("(") + (expr.kind == Expr::Kind::Or ? "or " : "and ") +
           toString(*expr.operands[0]) + " " + toString(*expr.operands[1]) +
           ")";
  case Expr::Kind::Not:
    return "(not " + toString(*expr.operands[0]) + ")";
  case Expr::Kind::Compare:
    return std::string("(") + spelling(expr.op) + " " +
           toString(*expr.operands[0]) + " " + toString(*expr.operands[1]) +
           ")";
  case Expr::Kind::In: {
    std::string out = "(in " + toString(*expr.operands[0]) + " [";
    for (size_t i = 0; i < expr.members.size(); ++i)
      out += (i ? ", " : "") + toString(expr.members[i]);
    return out + "])";
  }
  case Expr::Kind::Path:
    return llvm::join(expr.path, ".");
  case Expr::Kind::Call: {
    std::string out = "(call " + llvm::join(expr.path, ".");
    for (const ExprPtr &arg : expr.operands)
      out += " " + toString(*arg);
    return out + ")";
  }
  case Expr::Kind::Literal:
    return toString(expr.literal);
  }
  return "?";
}
