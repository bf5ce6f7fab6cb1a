// Grammar of the Cedar 4.x policy language.
//
// The grammar is deliberately more permissive than Cedar in a few places
// (scope operands are arbitrary expressions, `like` patterns and `[...]`
// indices are arbitrary additive expressions, `=`, `/` and `%` are tokens)
// so that the AST builder and semantic analysis can report precise,
// Cedar-style errors instead of generic "unexpected token" messages.
//
// Token and rule names are chosen so that the generated C++ never collides
// with C++ keywords (`and`, `or`, `not`, ...) or common macros (`TRUE`, `IN`,
// `DOMAIN`, ...): keywords are prefixed with KW_ and literals carry a _LIT
// suffix.

grammar Cedar;

// ---------------------------------------------------------------------------
// Policies
// ---------------------------------------------------------------------------

policySet
    : policy* EOF
    ;

policy
    : annotation* effect LPAREN scope RPAREN condition* SEMI
    ;

annotation
    : AT anyIdent (LPAREN STRING_LIT RPAREN)?
    ;

effect
    : KW_PERMIT
    | KW_FORBID
    ;

// Cedar accepts a trailing comma after the last scope element.
scope
    : (scopeElement (COMMA scopeElement)* COMMA?)?
    ;

scopeElement
    : scopeVar=(KW_PRINCIPAL | KW_ACTION | KW_RESOURCE)
      (KW_IS path)?
      (relOp expr)?
    ;

condition
    : kind=(KW_WHEN | KW_UNLESS) LBRACE expr? RBRACE
    ;

// ---------------------------------------------------------------------------
// Expressions, from the loosest to the tightest binding
// ---------------------------------------------------------------------------

expr
    : KW_IF expr KW_THEN expr KW_ELSE expr # IfExpr
    | orExpr                               # PlainExpr
    ;

orExpr
    : andExpr (OR_OR andExpr)*
    ;

andExpr
    : relation (AND_AND relation)*
    ;

// Relations do not chain in Cedar; a second relational operator is parsed
// here and rejected by the AST builder with a dedicated message.
relation
    : addExpr relationTail?
    ;

relationTail
    : KW_HAS hasAttrs                      # HasTail
    | KW_LIKE addExpr                      # LikeTail
    | KW_IS path (KW_IN addExpr)?          # IsTail
    | relOp addExpr (relOp addExpr)*       # CompareTail
    ;

hasAttrs
    : ident (DOT ident)*
    | STRING_LIT
    ;

relOp
    : EQ_EQ
    | NOT_EQ
    | LESS
    | LESS_EQ
    | GREATER
    | GREATER_EQ
    | KW_IN
    | ASSIGN
    ;

addExpr
    : multExpr (addOp multExpr)*
    ;

addOp
    : PLUS
    | MINUS
    ;

multExpr
    : unary (multOp unary)*
    ;

multOp
    : STAR
    | SLASH
    | PERCENT
    ;

// Cedar only allows runs of a single unary operator directly in front of a
// member expression; `!-x` needs parentheses.
unary
    : (BANG+ | MINUS+)? member
    ;

member
    : primary access*
    ;

access
    : DOT ident LPAREN exprList? RPAREN    # MethodAccess
    | DOT ident                            # FieldAccess
    | LBRACKET expr RBRACKET               # IndexAccess
    ;

primary
    : literal                              # LiteralPrimary
    | entityUid                            # EntityUidPrimary
    | SLOT                                 # SlotPrimary
    | path LPAREN exprList? RPAREN         # CallPrimary
    | path                                 # NamePrimary
    | LPAREN expr RPAREN                   # ParenPrimary
    | LBRACKET exprList? RBRACKET          # SetPrimary
    | LBRACE recordEntries? RBRACE         # RecordPrimary
    ;

literal
    : KW_TRUE
    | KW_FALSE
    | INT_LIT
    | STRING_LIT
    ;

entityUid
    : path COLON_COLON STRING_LIT
    ;

exprList
    : expr (COMMA expr)* COMMA?
    ;

recordEntries
    : recordEntry (COMMA recordEntry)* COMMA?
    ;

recordEntry
    : (ident | STRING_LIT) COLON expr
    ;

path
    : ident (COLON_COLON ident)*
    ;

// Identifiers usable as names and attributes: everything but the reserved
// words (true, false, if, then, else, in, is, has, like).
ident
    : IDENT
    | KW_PRINCIPAL
    | KW_ACTION
    | KW_RESOURCE
    | KW_CONTEXT
    | KW_PERMIT
    | KW_FORBID
    | KW_WHEN
    | KW_UNLESS
    ;

// Annotation keys may be any identifier, reserved or not.
anyIdent
    : ident
    | KW_TRUE
    | KW_FALSE
    | KW_IF
    | KW_THEN
    | KW_ELSE
    | KW_IN
    | KW_IS
    | KW_HAS
    | KW_LIKE
    ;

// ---------------------------------------------------------------------------
// Lexer
// ---------------------------------------------------------------------------

KW_PERMIT    : 'permit';
KW_FORBID    : 'forbid';
KW_WHEN      : 'when';
KW_UNLESS    : 'unless';
KW_PRINCIPAL : 'principal';
KW_ACTION    : 'action';
KW_RESOURCE  : 'resource';
KW_CONTEXT   : 'context';
KW_TRUE      : 'true';
KW_FALSE     : 'false';
KW_IF        : 'if';
KW_THEN      : 'then';
KW_ELSE      : 'else';
KW_IN        : 'in';
KW_IS        : 'is';
KW_HAS       : 'has';
KW_LIKE      : 'like';

IDENT : [_a-zA-Z] [_a-zA-Z0-9]*;

// `?principal` and `?resource` are the only valid slots; other names are
// lexed as slots too so that the builder can reject them by name.
SLOT : '?' [_a-zA-Z] [_a-zA-Z0-9]*;

// Non-negative only: `-` is a unary operator, folded into the literal by the
// AST builder (which is what makes -9223372036854775808 representable).
INT_LIT : [0-9]+;

// Escapes are validated (and decoded) by the AST builder.
STRING_LIT : '"' ( '\\' . | ~["\\] )* '"';

// A string running to the end of the input; reported as unterminated
// instead of as a cascade of lexer errors.
UNTERMINATED_STRING : '"' ( '\\' . | ~["\\] )* '\\'?;

AT          : '@';
LPAREN      : '(';
RPAREN      : ')';
LBRACE      : '{';
RBRACE      : '}';
LBRACKET    : '[';
RBRACKET    : ']';
COMMA       : ',';
SEMI        : ';';
COLON_COLON : '::';
COLON       : ':';
DOT         : '.';
EQ_EQ       : '==';
NOT_EQ      : '!=';
LESS_EQ     : '<=';
GREATER_EQ  : '>=';
LESS        : '<';
GREATER     : '>';
ASSIGN      : '=';
AND_AND     : '&&';
OR_OR       : '||';
PLUS        : '+';
MINUS       : '-';
STAR        : '*';
SLASH       : '/';
PERCENT     : '%';
BANG        : '!';

LINE_COMMENT : '//' ~[\r\n]* -> skip;
// A UTF-8 byte order mark (the input is fed to ANTLR byte by byte).
BYTE_ORDER_MARK : [\u00EF] [\u00BB] [\u00BF] -> skip;
WHITESPACE   : [ \t\r\n\f\u000B]+ -> skip;

// Everything else becomes a token of its own so that the lexer never fails;
// the parser reports it as an invalid character. Bytes >= 0x80 (the input is
// fed to ANTLR byte by byte) are grouped so that a multi-byte UTF-8 character
// yields a single error.
INVALID_CHAR : [\u0080-\u00FF]+ | .;
