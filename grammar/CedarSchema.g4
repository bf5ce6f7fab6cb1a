// Grammar of Cedar's schema format (".cedarschema" files).
//
// As in Cedar.g4, token and rule names avoid C++ keywords and common macros:
// keywords are prefixed with KW_, literals carry a _LIT suffix, and no rule is
// called `namespace`, `type` or the like. Keywords are also accepted as
// identifiers wherever Cedar accepts them (`entity namespace;` is valid);
// the AST builder rejects the policy language's reserved words (`in`,
// `true`, ...) where an identifier is required and decodes strings.

grammar CedarSchema;

schema
    : topLevelItem* EOF
    ;

// Annotations may precede a namespace or a declaration outside namespaces.
topLevelItem
    : annotation* (namespaceDecl | declaration)
    ;

namespaceDecl
    : KW_NAMESPACE path LBRACE annotatedDeclaration* RBRACE
    ;

annotatedDeclaration
    : annotation* declaration
    ;

declaration
    : entityDecl
    | actionDecl
    | typeDecl
    ;

// `entity A, B in [C] = { ... } tags T;` or `entity E enum ["a", "b"];`
entityDecl
    : KW_ENTITY identList
      ( KW_ENUM LBRACKET stringList RBRACKET
      | (KW_IN entityTypeList)? (ASSIGN? recordType)? (KW_TAGS schemaType)?
      )
      SEMI
    ;

// `action "a", b in [g, NS::Action::"h"] appliesTo { ... };`
actionDecl
    : KW_ACTION nameList (KW_IN actionRefList)?
      (KW_APPLIES_TO LBRACE appliesToList? RBRACE)?
      (KW_ATTRIBUTES LBRACE RBRACE)?
      SEMI
    ;

typeDecl
    : KW_TYPE ident ASSIGN schemaType SEMI
    ;

appliesToList
    : appliesToItem (COMMA appliesToItem)* COMMA?
    ;

appliesToItem
    : kind=(KW_PRINCIPAL | KW_RESOURCE) COLON entityTypeList  # EntityTypesItem
    | KW_CONTEXT COLON (path | recordType)                    # ContextItem
    ;

entityTypeList
    : path
    | LBRACKET (path (COMMA path)*)? RBRACKET
    ;

actionRefList
    : actionRef
    | LBRACKET actionRef (COMMA actionRef)* RBRACKET
    ;

// `"id"`, `id`, or `Type::"id"`.
actionRef
    : path COLON_COLON STRING_LIT
    | attrName
    ;

schemaType
    : KW_SET LANGLE schemaType RANGLE  # SetType
    | path                             # NamedType
    | recordType                       # RecordTypeExpr
    ;

recordType
    : LBRACE (attrDecl (COMMA attrDecl)* COMMA?)? RBRACE
    ;

attrDecl
    : annotation* attrName QUESTION? COLON schemaType
    ;

attrName
    : ident
    | STRING_LIT
    ;

annotation
    : AT ident (LPAREN STRING_LIT RPAREN)?
    ;

path
    : ident (COLON_COLON ident)*
    ;

identList
    : ident (COMMA ident)*
    ;

nameList
    : attrName (COMMA attrName)*
    ;

stringList
    : STRING_LIT (COMMA STRING_LIT)*
    ;

ident
    : IDENT
    | KW_NAMESPACE
    | KW_ENTITY
    | KW_IN
    | KW_TYPE
    | KW_SET
    | KW_APPLIES_TO
    | KW_PRINCIPAL
    | KW_ACTION
    | KW_RESOURCE
    | KW_CONTEXT
    | KW_ATTRIBUTES
    | KW_TAGS
    | KW_ENUM
    ;

// ---------------------------------------------------------------------------
// Lexer
// ---------------------------------------------------------------------------

KW_NAMESPACE  : 'namespace';
KW_ENTITY     : 'entity';
KW_IN         : 'in';
KW_TYPE       : 'type';
KW_SET        : 'Set';
KW_APPLIES_TO : 'appliesTo';
KW_PRINCIPAL  : 'principal';
KW_ACTION     : 'action';
KW_RESOURCE   : 'resource';
KW_CONTEXT    : 'context';
KW_ATTRIBUTES : 'attributes';
KW_TAGS       : 'tags';
KW_ENUM       : 'enum';

IDENT : [_a-zA-Z] [_a-zA-Z0-9]*;

// Escapes are validated and decoded by the AST builder.
STRING_LIT : '"' ( '\\' . | ~["\\] )* '"';

// A string running to the end of the input, reported as unterminated.
UNTERMINATED_STRING : '"' ( '\\' . | ~["\\] )* '\\'?;

AT          : '@';
LPAREN      : '(';
RPAREN      : ')';
LBRACE      : '{';
RBRACE      : '}';
LBRACKET    : '[';
RBRACKET    : ']';
LANGLE      : '<';
RANGLE      : '>';
COMMA       : ',';
SEMI        : ';';
COLON_COLON : '::';
COLON       : ':';
ASSIGN      : '=';
QUESTION    : '?';

LINE_COMMENT : '//' ~[\r\n]* -> skip;
// A UTF-8 byte order mark (the input is fed to ANTLR byte by byte).
BYTE_ORDER_MARK : [\u00EF] [\u00BB] [\u00BF] -> skip;
WHITESPACE   : [ \t\r\n\f\u000B]+ -> skip;

// Everything else becomes a token of its own so that the lexer never fails;
// the parser reports it. Bytes >= 0x80 are grouped so that a multi-byte
// UTF-8 character yields a single error.
INVALID_CHAR : [\u0080-\u00FF]+ | .;
