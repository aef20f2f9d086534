// The TML grammar. Entry points end in EOF so tools and tests can parse fragments.
// Every alternative is labelled so the AST builder has one method per construct.
grammar TML;

file : moduleDecl? importDecl* topDecl* EOF ;
standaloneExpression : expr EOF ;
standaloneType : type EOF ;

moduleDecl : MODULE qualifiedName SEMI? ;
importDecl : IMPORT qualifiedName (AS alias=IDENT)? SEMI? ;
qualifiedName : IDENT (DOT IDENT)* ;

topDecl
    : NETWORK name=IDENT LPAREN paramList? RPAREN body                          #networkDecl
    | BLOCK name=IDENT LPAREN paramList? RPAREN body                            #blockDecl
    | FN name=IDENT LPAREN paramList? RPAREN (ARROW ret=type)? body             #fnDecl
    | CIRCUIT name=IDENT LPAREN paramList? RPAREN body                          #circuitDecl
    | LET pattern (COLON type)? ASSIGN expr SEMI?                               #constDecl
    | kind=(TARGET | DEVICE | SEARCHSPACE | QUANTIZE | SCHEDULE | TRAIN)
      name=IDENT (LPAREN paramList? RPAREN)? (FOR subject=expr)? body          #policyDecl
    ;

paramList : param (COMMA param)* COMMA? ;
param : name=IDENT (COLON type)? (ASSIGN defaultValue=expr)? ;

body : LBRACE stmt* RBRACE ;

stmt
    : LET pattern (COLON type)? ASSIGN expr SEMI?                               #letStmt
    | INPUT name=IDENT COLON tensorType SEMI?                                   #inputStmt
    | OUTPUT name=IDENT ASSIGN expr SEMI?                                       #outputStmt
    | PARAM name=IDENT COLON type (ASSIGN init=expr)? SEMI?                     #paramStmt
    | QUBITS name=IDENT LBRACK size=expr RBRACK SEMI?                           #qubitsStmt
    | BITS name=IDENT LBRACK size=expr RBRACK SEMI?                             #bitsStmt
    | FOR pattern IN iter=expr body                                             #forStmt
    | RETURN expr SEMI?                                                         #returnStmt
    | ASSERT cond=expr (COMMA message=expr)? SEMI?                              #assertStmt
    | key=labelName selector=STRING? ASSIGN expr SEMI?                          #propertyStmt
    | key=labelName selector=STRING? body                                       #sectionStmt
    | expr SEMI?                                                                #exprStmt
    ;

pattern
    : IDENT                                                                     #namePattern
    | UNDERSCORE                                                                #wildcardPattern
    | LPAREN pattern (COMMA pattern)+ COMMA? RPAREN                             #tuplePattern
    ;

type
    : tensorType                                                                #tensorTypeRef
    | name=IDENT (LBRACK type (COMMA type)* RBRACK)?                            #namedType
    | LPAREN type (COMMA type)+ RPAREN                                          #tupleType
    ;

tensorType : dtype=DTYPE LBRACK (dims+=expr (COMMA dims+=expr)*)? RBRACK ;

// Alternatives are listed from the tightest binding to the loosest (ANTLR gives earlier ones precedence).
expr
    : target=expr DOT name=IDENT                                                #memberExpr
    | callee=expr LPAREN argList? RPAREN                                        #callExpr
    | target=expr LBRACK index=expr RBRACK                                      #indexExpr
    | <assoc=right> lhs=expr op=POW rhs=expr                                    #powerExpr
    | op=(MINUS | NOT | PLUS) operand=expr                                      #unaryExpr
    | lhs=expr op=(STAR | SLASH | PERCENT | AT) rhs=expr                        #multiplicativeExpr
    | lhs=expr op=(PLUS | MINUS) rhs=expr                                       #additiveExpr
    | lhs=expr op=(DOTDOT | DOTDOTEQ) rhs=expr                                  #rangeExpr
    | lhs=expr op=(EQ | NE | LT | LE | GT | GE) rhs=expr                        #compareExpr
    | lhs=expr op=ANDAND rhs=expr                                               #andExpr
    | lhs=expr op=OROR rhs=expr                                                 #orExpr
    | label=labelName COLON labeled=expr                                        #labeledExpr
    | lhs=expr PIPE stage=expr                                                  #pipeExpr
    | ifExpression                                                              #ifExpr
    | SEQ body                                                                  #seqExpr
    | literal                                                                   #literalExpr
    | IDENT                                                                     #nameExpr
    | LPAREN expr RPAREN                                                        #parenExpr
    | LPAREN RPAREN                                                             #unitExpr
    | LPAREN expr COMMA (expr (COMMA expr)*)? COMMA? RPAREN                     #tupleExpr
    | LBRACK (expr (COMMA expr)* COMMA?)? RBRACK                                #listExpr
    ;

ifExpression : IF cond=expr then=blockExpr (ELSE (elseIf=ifExpression | otherwise=blockExpr))? ;

blockExpr : LBRACE stmt* RBRACE ;

// Labels name layers after PyTorch modules, whose names may be TML keywords (torchvision's `.block.`).
labelName : IDENT | BLOCK | NETWORK | FN | CIRCUIT | TARGET | DEVICE | SEARCHSPACE | QUANTIZE | SCHEDULE
          | TRAIN | INPUT | OUTPUT | PARAM | QUBITS | BITS | SEQ | MODULE | IMPORT | AS | IN | DTYPE ;

argList : arg (COMMA arg)* COMMA? ;
arg : (name=IDENT ASSIGN)? expr ;

literal
    : INT                                                                       #intLiteral
    | FLOAT                                                                     #floatLiteral
    | QUANTITY                                                                  #quantityLiteral
    | STRING                                                                    #stringLiteral
    | (TRUE | FALSE)                                                            #boolLiteral
    ;

// ---- lexer ----
MODULE : 'module' ; IMPORT : 'import' ; AS : 'as' ;
NETWORK : 'network' ; BLOCK : 'block' ; FN : 'fn' ; CIRCUIT : 'circuit' ;
TARGET : 'target' ; DEVICE : 'device' ; SEARCHSPACE : 'searchspace' ; QUANTIZE : 'quantize' ;
SCHEDULE : 'schedule' ; TRAIN : 'train' ;
LET : 'let' ; INPUT : 'input' ; OUTPUT : 'output' ; PARAM : 'param' ; QUBITS : 'qubits' ; BITS : 'bits' ;
FOR : 'for' ; IN : 'in' ; IF : 'if' ; ELSE : 'else' ; RETURN : 'return' ; ASSERT : 'assert' ;
SEQ : 'seq' ;
DTYPE : 'f32' | 'f16' | 'i8' | 'i4' | 'i32' ; TRUE : 'true' ; FALSE : 'false' ;

PIPE : '|>' ; ARROW : '->' ;
OROR : '||' ; ANDAND : '&&' ;
EQ : '==' ; NE : '!=' ; LE : '<=' ; GE : '>=' ; LT : '<' ; GT : '>' ;
DOTDOTEQ : '..=' ; DOTDOT : '..' ;
POW : '**' ;
PLUS : '+' ; MINUS : '-' ; STAR : '*' ; SLASH : '/' ; PERCENT : '%' ; AT : '@' ;
NOT : '!' ; ASSIGN : '=' ;
LPAREN : '(' ; RPAREN : ')' ; LBRACK : '[' ; RBRACK : ']' ; LBRACE : '{' ; RBRACE : '}' ;
COMMA : ',' ; COLON : ':' ; SEMI : ';' ; DOT : '.' ;
UNDERSCORE : '_' ;

QUANTITY : DIGITS ('.' DIGITS)? UNIT ;
fragment UNIT : 'B' | 'KB' | 'kB' | 'KiB' | 'MB' | 'MiB' | 'GB' | 'GiB' | 'Hz' | 'kHz' | 'MHz' | 'GHz' | 'ns' | 'us' | 'ms' | 's' ;
FLOAT : DIGITS '.' DIGITS EXPONENT? | DIGITS EXPONENT ;
INT : DIGITS | '0x' [0-9a-fA-F_]+ ;
fragment DIGITS : [0-9] [0-9_]* ;
// A number run into letters ('0x', '1e', '3px') that is none of the above: reported by the parser.
MALFORMED_NUMBER : [0-9] [0-9a-zA-Z_]* ;
fragment EXPONENT : [eE] [+-]? [0-9]+ ;

STRING : '"' ( ~["\\\r\n] | '\\' ~[\r\n] )* '"' ;
IDENT : [a-zA-Z] [a-zA-Z0-9_]* | '_' [a-zA-Z0-9_]+ ;

DOC_COMMENT : '///' ~[\r\n]* -> channel(2) ;
LINE_COMMENT : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
WS : [ \t\r\n\f]+ -> channel(HIDDEN) ;

// Last: lets the parser, not the lexer, report stray characters with context.
UNRECOGNIZED : . ;
