// The [rules] section of a .rune file (docs/rune-language.md): Datalog facts
// and rules with `not`, comparisons, arithmetic, string methods
// (`T.starts_with(s)`, `T.len()`) and aggregates (`N = count(V, atom)`, or a
// lone `count(V, atom)` binding the head's last argument).
//
// The parser only checks the shape; the AST builder (lib/Frontend/Rune)
// checks names (methods, aggregates) and constants, Sema the rest.
grammar RuneRules;

@lexer::members {
  // Whether each open '(' starts a parenthesized term (true) or the
  // arguments of a relation, aggregate or method (false), and whether the
  // last ')' closed a parenthesized term: only then may a method follow it.
  std::vector<bool> openParenIsGroup;
  size_t previousTokenType = 0;
  bool closedGroup = false;

  std::unique_ptr<antlr4::Token> nextToken() override {
    std::unique_ptr<antlr4::Token> token = antlr4::Lexer::nextToken();
    size_t type = token->getType();
    if (type == LPAREN)
      openParenIsGroup.push_back(previousTokenType != NAME);
    else if (type == METHOD)
      openParenIsGroup.push_back(false);
    if (type == RPAREN) {
      closedGroup = !openParenIsGroup.empty() && openParenIsGroup.back();
      if (!openParenIsGroup.empty())
        openParenIsGroup.pop_back();
    } else {
      closedGroup = false;
    }
    previousTokenType = type;
    return token;
  }
}

program : clause* EOF ;

clause : atom (IF body)? DOT ;
body : literal (COMMA literal)* ;

literal
  : NOT atom                              # negatedLiteral
  | aggregate                             # aggregateLiteral
  | atom                                  # atomLiteral
  | term compareOp term                   # comparisonLiteral
  | term                                  # testLiteral
  ;
compareOp : EQUAL | NE | LT | LE | GT | GE ;

// `allow` alone is the nullary `allow()`.
atom : relationCall | NAME ;
relationCall : NAME LPAREN (term (COMMA term)*)? RPAREN ;

// `count(V, atom)`: the name is checked by the AST builder, so that a
// relation may be called `count` and an unknown aggregate gets a clear
// error. The atom needs its parentheses: `count(X, admin)` is an atom
// `count` with two arguments, the symbol `admin` last.
aggregate : NAME LPAREN term COMMA relationCall RPAREN ;

term
  : LPAREN term RPAREN                          # parenTerm
  | term METHOD (term (COMMA term)*)? RPAREN    # methodTerm
  | MINUS term                                  # negTerm
  | term (STAR | SLASH | PERCENT) term          # mulTerm
  | term (PLUS | MINUS) term                    # addTerm
  | aggregate                                   # aggregateTerm
  | VARIABLE                                    # variableTerm
  | UNDERSCORE                                  # wildcardTerm
  | INTEGER                                     # integerTerm
  | STRING                                      # stringTerm
  | NAME                                        # symbolTerm
  ;

IF : ':-' ;
NOT : 'not' ;
// `.name(` right after a term: a method call. A '.' right after the ')' of
// a relation (or of an aggregate or method call) ends a clause, so that
// `p(a).q(b).` on one line reads as two facts; after the ')' of a
// parenthesized term it calls a method: `(X + Y).len()`.
METHOD : {_input->LA(-1) != ')' || closedGroup}? '.' [a-z_] [a-zA-Z0-9_]* '(' ;
LE : '<=' ;
GE : '>=' ;
NE : '!=' ;
LT : '<' ;
GT : '>' ;
EQUAL : '=' ;
COMMA : ',' ;
DOT : '.' ;
LPAREN : '(' ;
RPAREN : ')' ;
PLUS : '+' ;
MINUS : '-' ;
STAR : '*' ;
SLASH : '/' ;
PERCENT : '%' ;
UNDERSCORE : '_' ;
INTEGER : [0-9]+ ;
STRING : '"' (~["\\\r\n] | '\\' .)* '"' ;
VARIABLE : [A-Z] [a-zA-Z0-9_]* | '_' [a-zA-Z0-9_]+ ;
// Relation names and symbols; relation names may contain dots
// (`agent.capabilities`), as the [data] keys they come from do.
NAME : [a-z] [a-zA-Z0-9_]* ('.' [a-zA-Z_] [a-zA-Z0-9_]*)* ;
LINE_COMMENT : ('#' | '//') ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS : [ \t\r\n]+ -> skip ;
UNKNOWN : . ;
