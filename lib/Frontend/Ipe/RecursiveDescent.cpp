//===- RecursiveDescent.cpp - The IPE parser's fast path ------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// One function per rule of grammar/Ipe.g4, in the grammar's order; each
// builds what lib/Frontend/Ipe/ASTBuilder.cpp builds from that rule's parse
// tree, with the same source ranges: a rule's range runs from the start of
// its first token to the end of its last one.
//
//===----------------------------------------------------------------------===//

#include "RecursiveDescent.h"

#include "ASTBuilder.h"
#include "Lexer.h"
#include "rune/Frontend/Common/StringEscapes.h"

#include "IpeParser.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

using namespace rune;
using namespace rune::ipe;
using namespace rune::ipe::detail;
using P = grammar::IpeParser;

namespace {

struct Token {
  size_t type = antlr4::Token::EOF;
  size_t start = 0;
  size_t end = 0; // one past the last byte
};

/// Thrown nowhere: a failed rule sets `failed` and returns a placeholder,
/// and every caller checks `failed` before going on.
class Parser {
public:
  explicit Parser(llvm::StringRef text) : text(text) { advance(); }

  std::optional<PolicyFile> file() {
    PolicyFile file;
    while (!failed && token.type != antlr4::Token::EOF) {
      if (token.type == P::KW_POLICY || token.type == P::KW_PREDICATE)
        file.policies.push_back(policy());
      else if (token.type == P::KW_ENUM)
        file.enums.push_back(enumDecl());
      else
        failed = true;
    }
    if (failed)
      return std::nullopt;
    return file;
  }

private:
  // --- Tokens ---------------------------------------------------------------

  llvm::SMLoc loc(size_t offset) const {
    return llvm::SMLoc::getFromPointer(text.data() + offset);
  }
  llvm::SMRange rangeOf(const Token &t) const {
    return {loc(t.start), loc(t.end)};
  }
  /// From the start of `first` to the end of the last token consumed.
  llvm::SMRange rangeFrom(const Token &first) const {
    return {loc(first.start), loc(previous.end)};
  }
  llvm::StringRef textOf(const Token &t) const {
    return text.slice(t.start, t.end);
  }

  /// Moves to the next token that is not skipped, checking the nesting as
  /// Parser.cpp's checkNesting does on the ANTLR road.
  void advance() {
    previous = token;
    for (;;) {
      if (pos >= text.size()) {
        token = {antlr4::Token::EOF, text.size(), text.size()};
        return;
      }
      auto [type, length] = scanToken(text, pos);
      size_t start = pos;
      pos += length;
      if (type == kSkippedToken)
        continue;
      token = {type, start, pos};
      break;
    }
    switch (token.type) {
    case P::LPAREN:
    case P::LBRACKET:
      ++depth;
      break;
    case P::RPAREN:
    case P::RBRACKET:
      if (depth)
        --depth;
      break;
    }
    nots = token.type == P::KW_NOT ? nots + 1 : 0;
    if (depth + nots > kMaxNesting)
      failed = true;
  }

  /// Consumes a token of `type`; fails on anything else.
  bool expect(size_t type) {
    if (failed || token.type != type) {
      failed = true;
      return false;
    }
    advance();
    return !failed;
  }

  // --- Declarations
  // -----------------------------------------------------------

  Policy policy() {
    // kind=(KW_POLICY | KW_PREDICATE) IDENT COLON STRING_LIT
    // KW_TRIGGERS KW_WHEN expr requirement metadata?
    Policy policy;
    Token first = token;
    policy.isPredicate = token.type == P::KW_PREDICATE;
    advance();
    Token name = token;
    if (!expect(P::IDENT))
      return policy;
    policy.name = textOf(name).str();
    policy.nameRange = rangeOf(name);
    Token intent = token;
    if (!expect(P::COLON) || (intent = token, !expect(P::STRING_LIT)) ||
        !unquote(intent, policy.intent))
      return policy;
    policy.intentRange = rangeOf(intent);
    if (!expect(P::KW_TRIGGERS) || !expect(P::KW_WHEN))
      return policy;
    policy.trigger = expr();
    if (failed)
      return policy;
    requirement(policy.requirement);
    if (!failed && token.type == P::KW_METADATA)
      metadata(policy.metadata);
    policy.range = rangeFrom(first);
    return policy;
  }

  void requirement(Requirement &req) {
    Token first = token;
    if (token.type == P::KW_REQUIRES) {
      // KW_REQUIRES expr (KW_WHERE expr)?
      req.kind = Requirement::Kind::Requires;
      advance();
      req.condition = expr();
      if (!failed && token.type == P::KW_WHERE) {
        req.whereRange = rangeOf(token);
        advance();
        req.where = expr();
      }
    } else if (token.type == P::KW_DENIES) {
      // KW_DENIES (KW_WITH KW_REASON STRING_LIT)?
      req.kind = Requirement::Kind::Denies;
      advance();
      if (!failed && token.type == P::KW_WITH) {
        advance();
        Token reason;
        if (!expect(P::KW_REASON) || (reason = token, !expect(P::STRING_LIT)))
          return;
        std::string text;
        if (!unquote(reason, text))
          return;
        req.reason = std::move(text);
        req.reasonRange = rangeOf(reason);
      }
    } else {
      failed = true;
      return;
    }
    req.range = rangeFrom(first);
  }

  void metadata(std::vector<MetadataEntry> &entries) {
    // KW_METADATA entry+, each entry IDENT COLON value
    advance();
    if (token.type != P::IDENT)
      failed = true;
    while (!failed && token.type == P::IDENT) {
      Token key = token;
      advance();
      if (!expect(P::COLON))
        return;
      entries.push_back({textOf(key).str(), rangeOf(key), value()});
    }
  }

  EnumDecl enumDecl() {
    // KW_ENUM IDENT LBRACE IDENT (COMMA IDENT)* RBRACE
    EnumDecl decl;
    Token first = token;
    advance();
    Token name = token;
    if (!expect(P::IDENT) || !expect(P::LBRACE))
      return decl;
    decl.name = textOf(name).str();
    decl.nameRange = rangeOf(name);
    for (;;) {
      Token member = token;
      if (!expect(P::IDENT))
        return decl;
      decl.members.push_back({textOf(member).str(), rangeOf(member)});
      if (token.type != P::COMMA)
        break;
      advance();
    }
    if (expect(P::RBRACE))
      decl.range = rangeFrom(first);
    return decl;
  }

  // --- Expressions
  // ------------------------------------------------------------

  static ExprPtr binary(Expr::Kind kind, ExprPtr lhs, ExprPtr rhs) {
    auto expr = std::make_unique<Expr>(kind);
    expr->range = {lhs->range.Start, rhs->range.End};
    expr->operands.push_back(std::move(lhs));
    expr->operands.push_back(std::move(rhs));
    return expr;
  }

  ExprPtr expr() {
    // andExpr (KW_OR andExpr)*
    ExprPtr result = andExpr();
    while (!failed && token.type == P::KW_OR) {
      advance();
      ExprPtr rhs = andExpr();
      if (failed)
        break;
      result = binary(Expr::Kind::Or, std::move(result), std::move(rhs));
    }
    return result;
  }

  ExprPtr andExpr() {
    // notExpr (KW_AND notExpr)*
    ExprPtr result = notExpr();
    while (!failed && token.type == P::KW_AND) {
      advance();
      ExprPtr rhs = notExpr();
      if (failed)
        break;
      result = binary(Expr::Kind::And, std::move(result), std::move(rhs));
    }
    return result;
  }

  ExprPtr notExpr() {
    if (token.type != P::KW_NOT)
      return comparison();
    // KW_NOT notExpr
    Token first = token;
    advance();
    auto expr = std::make_unique<Expr>(Expr::Kind::Not);
    ExprPtr operand = notExpr();
    if (failed)
      return expr;
    expr->operands.push_back(std::move(operand));
    expr->range = rangeFrom(first);
    return expr;
  }

  ExprPtr comparison() {
    // inExpr ((EQ | NE | LT | LE | GT | GE) inExpr)*, one operator at most
    // (the ASTBuilder reports a chain).
    ExprPtr lhs = inExpr();
    std::optional<CompareOp> op;
    if (failed || !(op = compareOpOfToken(token.type)))
      return lhs;
    Token opToken = token;
    advance();
    ExprPtr rhs = inExpr();
    if (failed || compareOpOfToken(token.type)) {
      failed = true;
      return lhs;
    }
    ExprPtr expr = binary(Expr::Kind::Compare, std::move(lhs), std::move(rhs));
    expr->op = *op;
    expr->opRange = rangeOf(opToken);
    return expr;
  }

  ExprPtr inExpr() {
    // primary (KW_IN LBRACKET value (COMMA value)* RBRACKET)?
    Token first = token;
    ExprPtr operand = primary();
    if (failed || token.type != P::KW_IN)
      return operand;
    advance();
    auto expr = std::make_unique<Expr>(Expr::Kind::In);
    expr->operands.push_back(std::move(operand));
    if (!expect(P::LBRACKET))
      return expr;
    for (;;) {
      expr->members.push_back(value());
      if (failed || token.type != P::COMMA)
        break;
      advance();
    }
    if (expect(P::RBRACKET))
      expr->range = rangeFrom(first);
    return expr;
  }

  static bool startsLiteral(size_t type) {
    return type == P::STRING_LIT || type == P::MINUS || type == P::INT_LIT ||
           type == P::FLOAT_LIT || type == P::KW_TRUE || type == P::KW_FALSE;
  }

  ExprPtr primary() {
    Token first = token;
    if (startsLiteral(token.type)) { // literal
      auto expr = std::make_unique<Expr>(Expr::Kind::Literal);
      expr->literal = literal();
      expr->range = expr->literal.range;
      return expr;
    }
    if (token.type == P::LPAREN) { // LPAREN expr RPAREN
      advance();
      ExprPtr inner = expr();
      if (failed || !expect(P::RPAREN))
        return inner;
      inner->range = rangeFrom(first);
      return inner;
    }
    if (token.type != P::IDENT) {
      failed = true;
      return std::make_unique<Expr>(Expr::Kind::Literal);
    }
    // path callArguments?, path: IDENT (DOT IDENT)*
    auto expr = std::make_unique<Expr>(Expr::Kind::Path);
    expr->path.push_back(textOf(token).str());
    advance();
    while (!failed && token.type == P::DOT) {
      advance();
      Token component = token;
      if (!expect(P::IDENT))
        return expr;
      expr->path.push_back(textOf(component).str());
    }
    if (!failed && token.type == P::LPAREN) {
      // LPAREN (expr (COMMA expr)*)? RPAREN
      expr->kind = Expr::Kind::Call;
      advance();
      if (!failed && token.type != P::RPAREN) {
        for (;;) {
          expr->operands.push_back(this->expr());
          if (failed || token.type != P::COMMA)
            break;
          advance();
        }
      }
      if (!expect(P::RPAREN))
        return expr;
    }
    expr->range = rangeFrom(first);
    return expr;
  }

  Value literal() {
    Value value;
    Token first = token;
    switch (token.type) {
    case P::STRING_LIT:
      value.kind = Value::Kind::String;
      advance();
      if (unquote(first, value.string))
        value.range = rangeFrom(first);
      return value;
    case P::KW_TRUE:
    case P::KW_FALSE:
      value.kind = Value::Kind::Bool;
      value.boolValue = token.type == P::KW_TRUE;
      advance();
      value.range = rangeFrom(first);
      return value;
    default:
      break;
    }
    // MINUS? number=(INT_LIT | FLOAT_LIT)
    bool negative = token.type == P::MINUS;
    if (negative)
      advance();
    Token number = token;
    if (failed || (number.type != P::INT_LIT && number.type != P::FLOAT_LIT)) {
      failed = true;
      return value;
    }
    advance();
    value.range = rangeFrom(first);
    llvm::StringRef digits = textOf(number);
    if (number.type == P::INT_LIT) {
      value.kind = Value::Kind::Int;
      uint64_t magnitude = 0;
      uint64_t limit =
          uint64_t(std::numeric_limits<int64_t>::max()) + (negative ? 1 : 0);
      if (digits.getAsInteger(10, magnitude) || magnitude > limit)
        failed = true; // out of range: the ASTBuilder reports it
      else
        value.intValue = negative ? int64_t(0 - magnitude) : int64_t(magnitude);
      return value;
    }
    value.kind = Value::Kind::Float;
    value.floatValue = std::strtod(digits.str().c_str(), nullptr);
    if (negative)
      value.floatValue = -value.floatValue;
    return value;
  }

  Value value() {
    Token first = token;
    if (token.type == P::IDENT) {
      Value value;
      value.kind = Value::Kind::String;
      value.string = textOf(token).str();
      value.bareIdentifier = true;
      advance();
      value.range = rangeFrom(first);
      return value;
    }
    if (token.type == P::LBRACKET) {
      // LBRACKET (value (COMMA value)*)? RBRACKET
      Value value;
      value.kind = Value::Kind::List;
      advance();
      if (!failed && token.type != P::RBRACKET) {
        for (;;) {
          value.elements.push_back(this->value());
          if (failed || token.type != P::COMMA)
            break;
          advance();
        }
      }
      if (expect(P::RBRACKET))
        value.range = rangeFrom(first);
      return value;
    }
    if (!startsLiteral(token.type)) {
      failed = true;
      return Value();
    }
    return literal();
  }

  /// The contents of a STRING_LIT token with its escapes resolved; fails
  /// on an escape the language lacks (as ASTBuilder::unquote reports).
  bool unquote(const Token &string, std::string &out) {
    llvm::StringRef body = textOf(string).drop_front().drop_back();
    out.clear();
    out.reserve(body.size());
    for (size_t i = 0; i < body.size(); ++i) {
      // The run up to the next escape in one append.
      size_t escape = body.find('\\', i);
      out.append(body.data() + i, std::min(escape, body.size()) - i);
      if (escape == llvm::StringRef::npos)
        break;
      i = escape;
      std::optional<char> decoded = frontend::simpleEscape(body[++i]);
      if (!decoded) {
        failed = true; // the ANTLR road words the error
        return false;
      }
      out += *decoded;
    }
    return true;
  }

  llvm::StringRef text;
  size_t pos = 0;
  Token token;
  Token previous;
  unsigned depth = 0;
  unsigned nots = 0;
  bool failed = false;
};

} // namespace

std::optional<PolicyFile>
rune::ipe::detail::parseWithoutDiagnostics(llvm::StringRef text) {
  return Parser(text).file();
}
