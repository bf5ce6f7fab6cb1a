// Grammar of the IPE intent-policy language (.ipe); see docs/ipe-language.md.
//
// Files without errors are parsed by a hand-written recursive-descent parser
// (lib/Frontend/Ipe/RecursiveDescent.cpp), one function per rule below; the
// parser generated from this grammar parses the files with errors and words
// the messages. unittests/Frontend/IpeFastPathTest.cpp requires both to
// agree, so a change here needs the same change there.
//
// As in Cedar.g4, token and rule names avoid C++ keywords and common macros
// (`and`, `or`, `not`, `TRUE`, `IN`, ...): keywords carry a KW_ prefix and
// literals a _LIT suffix. The grammar is a little more permissive than the
// language where that gives better messages: comparisons are parsed as a
// chain and rejected by the AST builder, string escapes are checked there,
// and unknown characters and unterminated strings become tokens that the
// parser reports.

grammar Ipe;

file_
    : (policy | enumDecl)* EOF
    ;

policy
    : kind=(KW_POLICY | KW_PREDICATE) IDENT COLON STRING_LIT
      KW_TRIGGERS KW_WHEN expr
      requirement
      metadata?
    ;

requirement
    : KW_REQUIRES expr (KW_WHERE expr)?              # RequiresClause
    | KW_DENIES (KW_WITH KW_REASON STRING_LIT)?      # DeniesClause
    ;

metadata
    : KW_METADATA entry+
    ;

entry
    : IDENT COLON value
    ;

enumDecl
    : KW_ENUM IDENT LBRACE IDENT (COMMA IDENT)* RBRACE
    ;

// ---------------------------------------------------------------------------
// Expressions, from the loosest to the tightest binding
// ---------------------------------------------------------------------------

expr
    : andExpr (KW_OR andExpr)*
    ;

andExpr
    : notExpr (KW_AND notExpr)*
    ;

notExpr
    : KW_NOT notExpr                                 # NegatedExpr
    | comparison                                     # PlainNotExpr
    ;

// Comparisons do not chain; a second operator is rejected by the builder.
// The operators are tokens of this rule rather than a rule of their own:
// one parse-tree node less per comparison.
comparison
    : inExpr ((EQ | NE | LT | LE | GT | GE) inExpr)*
    ;

inExpr
    : primary (KW_IN LBRACKET value (COMMA value)* RBRACKET)?
    ;

// Every decision of the expression rules is LL(1), so the generated parser
// decides with one token of lookahead instead of running adaptive
// prediction: a call is a path followed by its argument list.
primary
    : literal                                        # LiteralPrimary
    | path callArguments?                            # PathPrimary
    | LPAREN expr RPAREN                             # ParenPrimary
    ;

callArguments
    : LPAREN (expr (COMMA expr)*)? RPAREN
    ;

path
    : IDENT (DOT IDENT)*
    ;

literal
    : STRING_LIT                                     # StringLiteral
    | MINUS? number=(INT_LIT | FLOAT_LIT)            # NumberLiteral
    | KW_TRUE                                        # TrueLiteral
    | KW_FALSE                                       # FalseLiteral
    ;

value
    : literal                                        # LiteralValue
    | IDENT                                          # IdentValue
    | LBRACKET (value (COMMA value)*)? RBRACKET      # ListValue
    ;

// ---------------------------------------------------------------------------
// Tokens
//
// The frontend lexes with lib/Frontend/Ipe/Lexer.cpp, which implements these
// rules by hand for speed; unittests/Frontend/IpeLexerTest.cpp requires both
// to produce the same tokens, so a change here needs the same change there.
// ---------------------------------------------------------------------------

KW_POLICY    : 'policy' ;
KW_PREDICATE : 'predicate' ;
KW_TRIGGERS  : 'triggers' ;
KW_WHEN      : 'when' ;
KW_REQUIRES  : 'requires' ;
KW_WHERE     : 'where' ;
KW_DENIES    : 'denies' ;
KW_WITH      : 'with' ;
KW_REASON    : 'reason' ;
KW_METADATA  : 'metadata' ;
KW_ENUM      : 'enum' ;
KW_OR        : 'or' ;
KW_AND       : 'and' ;
KW_NOT       : 'not' ;
KW_IN        : 'in' ;
KW_TRUE      : 'true' ;
KW_FALSE     : 'false' ;

EQ : '==' ;
NE : '!=' ;
LE : '<=' ;
GE : '>=' ;
LT : '<' ;
GT : '>' ;
COLON : ':' ;
COMMA : ',' ;
DOT : '.' ;
MINUS : '-' ;
LPAREN : '(' ;
RPAREN : ')' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
LBRACE : '{' ;
RBRACE : '}' ;

FLOAT_LIT : [0-9]+ '.' [0-9]+ ;
INT_LIT : [0-9]+ ;
IDENT : [a-zA-Z_] [a-zA-Z_0-9]* ;

// Any escape is lexed; the builder rejects those the language lacks.
STRING_LIT : '"' ( '\\' ~[\r\n] | ~["\\\r\n] )* '"' ;
UNTERMINATED_STRING : '"' ( '\\' ~[\r\n] | ~["\\\r\n] )* ;

HASH_COMMENT : '#' ~[\r\n]* -> skip ;
LINE_COMMENT : '//' ~[\r\n]* -> skip ;
WS : [ \t\r\n]+ -> skip ;

INVALID_CHAR : . ;
