// Soufflé Datalog (.dl) — the subset rune accepts: type, relation and IO
// declarations, facts, rules with negation, constraints, arithmetic,
// string functors and aggregates. C-preprocessor lines are skipped.
grammar Souffle;

program : item* EOF ;

item
  : typeDecl
  | relationDecl
  | ioDecl
  | clause
  ;

typeDecl
  : DOT_TYPE IDENT SUBTYPE IDENT          # subtypeDecl
  | DOT_TYPE IDENT EQUAL IDENT            # aliasDecl
  ;

relationDecl : DOT_DECL IDENT (COMMA IDENT)* LPAREN (attribute (COMMA attribute)*)? RPAREN ;
attribute : IDENT COLON IDENT ;

ioDecl : ioKind IDENT (COMMA IDENT)* (LPAREN (ioParam (COMMA ioParam)*)? RPAREN)? ;
ioKind : DOT_INPUT | DOT_OUTPUT | DOT_PRINTSIZE ;
ioParam : IDENT EQUAL (STRING | IDENT | NUMBER) ;

clause : atom (IF body)? DOT ;
body : literal (COMMA literal)* ;
literal
  : BANG atom                             # negatedLiteral
  | atom                                  # atomLiteral
  | term compareOp term                   # constraintLiteral
  ;
compareOp : EQUAL | NE | LT | LE | GT | GE ;

atom : IDENT LPAREN (term (COMMA term)*)? RPAREN ;

term
  : LPAREN term RPAREN                    # parenTerm
  | MINUS term                            # negTerm
  | term (STAR | SLASH | PERCENT) term    # mulTerm
  | term (PLUS | MINUS) term              # addTerm
  | (KW_MIN | KW_MAX) LPAREN term COMMA term RPAREN # minMaxTerm
  | aggregateOp term? COLON aggregateBody # aggregateTerm
  | IDENT LPAREN (term (COMMA term)*)? RPAREN # functorTerm
  | IDENT                                 # variableTerm
  | UNDERSCORE                            # wildcardTerm
  | NUMBER                                # numberTerm
  | STRING                                # stringTerm
  ;
aggregateOp : KW_COUNT | KW_SUM | KW_MIN | KW_MAX | KW_MEAN ;
aggregateBody
  : LBRACE body RBRACE
  | atom
  ;

DOT_TYPE : '.type' ;
DOT_DECL : '.decl' ;
DOT_INPUT : '.input' ;
DOT_OUTPUT : '.output' ;
DOT_PRINTSIZE : '.printsize' ;
KW_COUNT : 'count' ;
KW_SUM : 'sum' ;
KW_MIN : 'min' ;
KW_MAX : 'max' ;
KW_MEAN : 'mean' ;
SUBTYPE : '<:' ;
IF : ':-' ;
LE : '<=' ;
GE : '>=' ;
NE : '!=' ;
LT : '<' ;
GT : '>' ;
EQUAL : '=' ;
BANG : '!' ;
COMMA : ',' ;
COLON : ':' ;
DOT : '.' ;
LPAREN : '(' ;
RPAREN : ')' ;
LBRACE : '{' ;
RBRACE : '}' ;
PLUS : '+' ;
MINUS : '-' ;
STAR : '*' ;
SLASH : '/' ;
PERCENT : '%' ;
UNDERSCORE : '_' ;
NUMBER
  : '0' [xX] [0-9a-fA-F]+ 'u'?
  | '0' [bB] [01]+ 'u'?
  | [0-9]+ '.' [0-9]+ ([eE] [+-]? [0-9]+)?
  | [0-9]+ 'u'?
  ;
STRING : '"' (~["\\\r\n] | '\\' .)* '"' ;
IDENT : [a-zA-Z?] [a-zA-Z0-9_?]* | '_' [a-zA-Z0-9_?]+ ;
PREPROCESSOR : '#' ~[\r\n]* -> skip ;
LINE_COMMENT : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS : [ \t\r\n]+ -> skip ;
UNKNOWN : . ;
