//===- RuneRelationalOps.td - Datalog as relational operations ------------===//
//
// Datalog programs (Soufflé `.dl` files and the `[rules]` of `.rune` files)
// lower to these operations, modelled on Soufflé's relational algebra
// machine (RAM) but with regions: a `rune.dl.program` declares its relations
// and evaluates strata in order; a recursive stratum is a `rune.dl.fixpoint`
// over delta and new versions of its relations (semi-naive evaluation); each
// rule is a `rune.dl.query` whose body is a loop nest of scans and index
// lookups with guards (filters, negations, aggregates) and ends in inserts.
//
// Every tuple element is a 64-bit word (`i64`) whose meaning depends on its
// column type (runtime/include/rune/Runtime/Datalog/Word.h): `number` is an
// int32 sign-extended, `unsigned` a uint32, `float` the bits of an IEEE
// float32, `symbol` an interned string id, `any` (.rune rules) a tagged
// integer, symbol or boolean. Operations that interpret words carry the
// column type they work on.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_DIALECT_RUNE_RUNERELATIONALOPS_TD
#define RUNE_DIALECT_RUNE_RUNERELATIONALOPS_TD

include "rune/Dialect/Rune/RuneDialect.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Enumerations
//===----------------------------------------------------------------------===//

def Rune_DlNumber : I32EnumAttrCase<"Number", 0, "number">;
def Rune_DlUnsigned : I32EnumAttrCase<"Unsigned", 1, "unsigned">;
def Rune_DlFloat : I32EnumAttrCase<"Float", 2, "float">;
def Rune_DlSymbol : I32EnumAttrCase<"Symbol", 3, "symbol">;
def Rune_DlAny : I32EnumAttrCase<"Any", 4, "any">;
def Rune_DlColumnType : I32EnumAttr<"DlColumnType",
    "how a 64-bit word of a tuple is interpreted",
    [Rune_DlNumber, Rune_DlUnsigned, Rune_DlFloat, Rune_DlSymbol, Rune_DlAny]> {
  let cppNamespace = "::rune";
  let genSpecializedAttr = 0;
}

def Rune_DlFull : I32EnumAttrCase<"Full", 0, "full">;
def Rune_DlDelta : I32EnumAttrCase<"Delta", 1, "delta">;
def Rune_DlNew : I32EnumAttrCase<"New", 2, "new">;
def Rune_DlVersion : I32EnumAttr<"DlVersion",
    "which version of a relation an operation reads or writes",
    [Rune_DlFull, Rune_DlDelta, Rune_DlNew]> {
  let cppNamespace = "::rune";
  let genSpecializedAttr = 0;
}

def Rune_DlEq : I32EnumAttrCase<"Eq", 0, "eq">;
def Rune_DlNe : I32EnumAttrCase<"Ne", 1, "ne">;
def Rune_DlLt : I32EnumAttrCase<"Lt", 2, "lt">;
def Rune_DlLe : I32EnumAttrCase<"Le", 3, "le">;
def Rune_DlGt : I32EnumAttrCase<"Gt", 4, "gt">;
def Rune_DlGe : I32EnumAttrCase<"Ge", 5, "ge">;
def Rune_DlCompare : I32EnumAttr<"DlCompare", "a comparison of two words",
    [Rune_DlEq, Rune_DlNe, Rune_DlLt, Rune_DlLe, Rune_DlGt, Rune_DlGe]> {
  let cppNamespace = "::rune";
  let genSpecializedAttr = 0;
}

def Rune_DlAdd : I32EnumAttrCase<"Add", 0, "add">;
def Rune_DlSub : I32EnumAttrCase<"Sub", 1, "sub">;
def Rune_DlMul : I32EnumAttrCase<"Mul", 2, "mul">;
def Rune_DlDiv : I32EnumAttrCase<"Div", 3, "div">;
def Rune_DlMod : I32EnumAttrCase<"Mod", 4, "mod">;
def Rune_DlMin : I32EnumAttrCase<"Min", 5, "min">;
def Rune_DlMax : I32EnumAttrCase<"Max", 6, "max">;
def Rune_DlArith : I32EnumAttr<"DlArith", "binary arithmetic on words",
    [Rune_DlAdd, Rune_DlSub, Rune_DlMul, Rune_DlDiv, Rune_DlMod, Rune_DlMin,
     Rune_DlMax]> {
  let cppNamespace = "::rune";
  let genSpecializedAttr = 0;
}

def Rune_DlCount : I32EnumAttrCase<"Count", 0, "count">;
def Rune_DlSum : I32EnumAttrCase<"Sum", 1, "sum">;
def Rune_DlAggMin : I32EnumAttrCase<"Min", 2, "min">;
def Rune_DlAggMax : I32EnumAttrCase<"Max", 3, "max">;
def Rune_DlMean : I32EnumAttrCase<"Mean", 4, "mean">;
def Rune_DlAggregateKind : I32EnumAttr<"DlAggregateKind", "an aggregate",
    [Rune_DlCount, Rune_DlSum, Rune_DlAggMin, Rune_DlAggMax, Rune_DlMean]> {
  let cppNamespace = "::rune";
  let genSpecializedAttr = 0;
}

def Rune_DlColumnTypeAttr : EnumAttr<Rune_Dialect, Rune_DlColumnType, "dl_type">;
def Rune_DlVersionAttr : EnumAttr<Rune_Dialect, Rune_DlVersion, "dl_version">;
def Rune_DlCompareAttr : EnumAttr<Rune_Dialect, Rune_DlCompare, "dl_compare">;
def Rune_DlArithAttr : EnumAttr<Rune_Dialect, Rune_DlArith, "dl_arith">;
def Rune_DlAggregateKindAttr
    : EnumAttr<Rune_Dialect, Rune_DlAggregateKind, "dl_aggregate">;

//===----------------------------------------------------------------------===//
// Program structure
//===----------------------------------------------------------------------===//

def Rune_DlProgramOp : Rune_Op<"dl.program", [IsolatedFromAbove, SingleBlock,
    NoTerminator, SymbolTable, HasParent<"::mlir::ModuleOp">]> {
  let summary = "A Datalog program: relation declarations, then its strata";
  let description = [{
    Holds the `rune.dl.relation` declarations followed by the statements
    that evaluate the program, in order: `rune.dl.stratum` operations after
    stratification, or (as IRGen produces them) one `rune.dl.query` per rule
    and fact, which the `rune-dl-stratify` pass groups into strata. At most
    one program per module.

    ```mlir
    rune.dl.program {
      rune.dl.relation @edge(a: number, b: number) input {filename = "edge.facts"}
      rune.dl.relation @path(a: number, b: number) output {}
      rune.dl.stratum {
        rune.dl.query "path(x, y) :- edge(x, y)." { ... }
        rune.dl.fixpoint [@path] { ... }
      }
    }
    ```
  }];
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "attr-dict-with-keyword $body";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The relation named `name`, or null.
    DlRelationOp lookupRelation(::llvm::StringRef name);
  }];
}

def Rune_DlRelationOp : Rune_Op<"dl.relation", [Symbol,
    HasParent<"DlProgramOp">]> {
  let summary = "Declares a relation: typed columns, IO and its indexes";
  let description = [{
    A relation with its column names and types (`number`, `unsigned`,
    `float`, `symbol`, or `any` for .rune rules) and Soufflé's IO directives:
    `input` (facts read from a file; keys `filename`, `delimiter`), `output`
    (written to `<name>.csv` or `filename`, or to standard output when `IO`
    is `stdout`), and `printsize` (its size is printed). An `auxiliary`
    relation was introduced by the compiler, not written in the source (the
    values a `.rune` aggregate ranges over): it is never input or output,
    and diagnostics and explanations leave it out.

    `indexes`, set by the `rune-dl-select-indexes` pass, lists the column
    orders the relation is stored in: each lookup reads one of them by a
    prefix of bound columns. The first always covers every column (it also
    decides membership).

    ```mlir
    rune.dl.relation @edge(a: number, b: symbol) input {filename = "edge.facts", delimiter = "\t"} indexes [[0, 1], [1, 0]]
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, StrArrayAttr:$column_names,
                       ArrayAttr:$column_types,
                       OptionalAttr<DictionaryAttr>:$input,
                       OptionalAttr<DictionaryAttr>:$output,
                       UnitAttr:$printsize, UnitAttr:$auxiliary,
                       OptionalAttr<ArrayAttr>:$indexes);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    unsigned getArity() { return getColumnNames().size(); }
    ::rune::DlColumnType getColumnType(unsigned column);
    /// The index orders (after index selection), each a list of columns.
    ::llvm::SmallVector<::llvm::SmallVector<int64_t>> getIndexOrders();
  }];
}

def Rune_DlStratumOp : Rune_Op<"dl.stratum", [SingleBlock, NoTerminator,
    HasParent<"DlProgramOp">]> {
  let summary = "One stratum: evaluated completely before the next";
  let description = [{
    The queries and fixpoints of a stratum, in evaluation order. Every
    relation a stratum reads negatively or aggregates over is complete when
    the stratum starts (the precedence graph is acyclic through them).
  }];
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "attr-dict-with-keyword $body";
}

def Rune_DlFixpointOp : Rune_Op<"dl.fixpoint", [SingleBlock, NoTerminator,
    ParentOneOf<["DlProgramOp", "DlStratumOp"]>]> {
  let summary = "Evaluates recursive rules until no new tuple appears";
  let description = [{
    Semi-naive evaluation of mutually recursive relations. Before the first
    iteration each listed relation's `delta` version holds all of its
    tuples. Each iteration runs the queries, which insert into the `new`
    versions (only tuples not yet in the full relation); when every `new`
    is empty the loop ends, otherwise `new` is merged into the full
    relation and becomes the next `delta`.
  }];
  let arguments = (ins ArrayAttr:$relations);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$relations attr-dict-with-keyword $body";
  let hasVerifier = 1;
}

def Rune_DlQueryOp : Rune_Op<"dl.query", [SingleBlock, NoTerminator,
    ParentOneOf<["DlProgramOp", "DlStratumOp", "DlFixpointOp"]>]> {
  let summary = "One rule (or fact) as a loop nest ending in inserts";
  let description = [{
    The body is either unplanned (as IRGen writes it: `rune.dl.atom`
    operations that produce the columns of each body atom, in source order,
    with the rule's conditions as `rune.dl.filter` guards) or planned (after
    `rune-dl-plan`: a nest of `rune.dl.scan` and `rune.dl.lookup` in join
    order, with every guard placed as early as its operands allow). The
    backends run planned queries only. `rule` is the source of the rule,
    for readers of the plan.
  }];
  let arguments = (ins StrAttr:$rule);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$rule attr-dict-with-keyword $body";
}

//===----------------------------------------------------------------------===//
// Relation access
//===----------------------------------------------------------------------===//

def Rune_DlAtomOp : Rune_Op<"dl.atom"> {
  let summary = "A body atom before planning: binds every column";
  let description = [{
    Stands for "for each tuple of the relation" in an unplanned query: its
    results are the tuple's columns, and the operations that follow it
    (up to the end of the query, or of the aggregate it is in) run once per
    tuple. `rune-dl-plan` turns atoms into scans and index lookups.

    ```mlir
    %x, %y = rune.dl.atom @edge full : i64, i64
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$relation,
                       Rune_DlVersionAttr:$version);
  let results = (outs Variadic<I64>:$columns);
  let assemblyFormat = "$relation `` $version attr-dict (`:` type($columns)^)?";
  let hasVerifier = 1;
}

def Rune_DlScanOp : Rune_Op<"dl.scan", [SingleBlock, NoTerminator]> {
  let summary = "Iterates over every tuple of a relation";
  let description = [{
    Runs its body once per tuple of the given version of the relation,
    with the tuple's columns as the block's arguments.

    ```mlir
    rune.dl.scan @edge full {
    ^bb0(%a: i64, %b: i64):
      ...
    }
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$relation,
                       Rune_DlVersionAttr:$version);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$relation `` $version attr-dict-with-keyword $body";
  let hasVerifier = 1;
}

def Rune_DlLookupOp : Rune_Op<"dl.lookup", [SingleBlock, NoTerminator]> {
  let summary = "Iterates over the tuples whose bound columns match keys";
  let description = [{
    Runs its body once per tuple whose columns `columns` equal `keys`
    (a prefix lookup in an index whose order starts with those columns;
    `index` is the position of that index in the relation's `indexes`, set
    by index selection). The block's arguments are all of the tuple's
    columns.

    ```mlir
    rune.dl.lookup @edge full [0] (%x) index 0 {
    ^bb0(%a: i64, %b: i64):
      ...
    }
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$relation,
                       Rune_DlVersionAttr:$version,
                       DenseI64ArrayAttr:$columns, Variadic<I64>:$keys,
                       OptionalAttr<I64Attr>:$index);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $relation `` $version $columns ` ` `(` $keys `)` (`index` $index^)?
    attr-dict-with-keyword $body
  }];
  let hasVerifier = 1;
}

def Rune_DlNotExistsOp : Rune_Op<"dl.not_exists"> {
  let summary = "Negation: continues only if no tuple matches the keys";
  let description = [{
    A guard: when some tuple of the relation has `columns` equal to `keys`,
    the rest of the enclosing block is skipped for the current bindings.
    Columns not listed are wildcards (`!edge(x, _)`).

    ```mlir
    rune.dl.not_exists @edge full [0] (%x) index 1
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$relation,
                       Rune_DlVersionAttr:$version,
                       DenseI64ArrayAttr:$columns, Variadic<I64>:$keys,
                       OptionalAttr<I64Attr>:$index);
  let assemblyFormat = [{
    $relation `` $version $columns ` ` `(` $keys `)` (`index` $index^)? attr-dict
  }];
  let hasVerifier = 1;
}

def Rune_DlInsertOp : Rune_Op<"dl.insert"> {
  let summary = "Projection into the head relation";
  let description = [{
    Inserts the tuple `values` into the given version of the relation
    (`full` outside fixpoints, `new` inside: then only if the full relation
    does not hold it yet). Duplicates are eliminated.
  }];
  let arguments = (ins FlatSymbolRefAttr:$relation,
                       Rune_DlVersionAttr:$version, Variadic<I64>:$values);
  let assemblyFormat = "$relation `` $version ` ` `(` $values `)` attr-dict";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Guards and values
//===----------------------------------------------------------------------===//

def Rune_DlFilterOp : Rune_Op<"dl.filter"> {
  let summary = "A guard: skips the rest of the block when false";
  let arguments = (ins I1:$condition);
  let assemblyFormat = "$condition attr-dict";
}

def Rune_DlConstOp : Rune_Op<"dl.const", [Pure]> {
  let summary = "A constant word of a column type";
  let description = [{
    An integer (`number`, `unsigned`, or `any`), a float (`float`), a
    string (`symbol`, or `any`: interned when the program is loaded) or a
    boolean (`any` only).

    ```mlir
    %0 = rune.dl.const 42 : i64 number
    %1 = rune.dl.const "alice" symbol
    ```
  }];
  let arguments = (ins AnyAttr:$value, Rune_DlColumnTypeAttr:$type);
  let results = (outs I64:$result);
  let assemblyFormat = "$value `` $type attr-dict";
  let hasVerifier = 1;
}

def Rune_DlCompareOp : Rune_Op<"dl.cmp", [Pure]> {
  let summary = "Compares two words of a column type";
  let description = [{
    Numbers compare as signed, unsigned as unsigned, floats as floats.
    Symbols compare by their text (`<` is lexicographic), `any` values by
    kind first (integers, then strings, then booleans).
  }];
  let arguments = (ins Rune_DlCompareAttr:$predicate,
                       Rune_DlColumnTypeAttr:$type, I64:$lhs, I64:$rhs);
  let results = (outs I1:$result);
  let assemblyFormat = "`` $predicate `` $type $lhs `,` $rhs attr-dict";
}

def Rune_DlArithOp : Rune_Op<"dl.arith", [Pure]> {
  let summary = "Arithmetic on words of a column type";
  let description = [{
    Soufflé's semantics: `number` and `unsigned` are 32-bit and wrap;
    division truncates towards zero; division or modulo by zero yields 0
    (there are no evaluation errors in Datalog). `any` is 62-bit.
  }];
  let arguments = (ins Rune_DlArithAttr:$op, Rune_DlColumnTypeAttr:$type,
                       I64:$lhs, I64:$rhs);
  let results = (outs I64:$result);
  let assemblyFormat = "`` $op `` $type $lhs `,` $rhs attr-dict";
}

def Rune_DlFunctorOp : Rune_Op<"dl.functor", [Pure]> {
  let summary = "A string functor: cat, strlen, substr, to_number, to_string";
  let description = [{
    `cat(a, b, ...)`, `strlen(s)`, `substr(s, start, length)`,
    `to_number(s)`, `to_string(n)`, applied to words of `type` (`symbol`
    and `number` words for Soufflé programs, `any` words for .rune rules).
    A new string is interned in the program's symbol table.
  }];
  let arguments = (ins StrAttr:$name, Rune_DlColumnTypeAttr:$type,
                       Variadic<I64>:$args);
  let results = (outs I64:$result);
  let assemblyFormat = "$name `` $type `(` $args `)` attr-dict";
  let hasVerifier = 1;
}

def Rune_DlTestOp : Rune_Op<"dl.test", [Pure]> {
  let summary = "A boolean string test: contains, match, starts_with, ...";
  let description = [{
    `contains(needle, haystack)`, `match(pattern, text)` (the whole text
    matches the ECMAScript regular expression), `starts_with(text, prefix)`,
    `ends_with(text, suffix)`.
  }];
  let arguments = (ins StrAttr:$name, Rune_DlColumnTypeAttr:$type,
                       I64:$lhs, I64:$rhs);
  let results = (outs I1:$result);
  let assemblyFormat = "$name `` $type $lhs `,` $rhs attr-dict";
  let hasVerifier = 1;
}

def Rune_DlAggregateOp : Rune_Op<"dl.aggregate", [SingleBlock,
    NoTerminator]> {
  let summary = "An aggregate over the tuples its body enumerates";
  let description = [{
    Runs its body (a nest like a query's) for the current bindings of the
    enclosing operations, which group it; every `rune.dl.accumulate`
    reached contributes one value (none for `count`). The result is the
    count, sum, minimum, maximum or mean, of words of `type`. `min`, `max`
    and `mean` of nothing do not exist: the rest of the enclosing block is
    then skipped, as Soufflé does.

    ```mlir
    %n = rune.dl.aggregate count number {
      %a, %b = rune.dl.atom @edge full : i64, i64
      ...
      rune.dl.accumulate
    }
    ```
  }];
  let arguments = (ins Rune_DlAggregateKindAttr:$kind,
                       Rune_DlColumnTypeAttr:$type);
  let results = (outs I64:$result);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "`` $kind `` $type attr-dict-with-keyword $body";
  let hasVerifier = 1;
}

def Rune_DlAccumulateOp : Rune_Op<"dl.accumulate"> {
  let summary = "Contributes a value to the enclosing aggregate";
  let arguments = (ins Optional<I64>:$value);
  let assemblyFormat = "($value^)? attr-dict";
  let hasVerifier = 1;
}

#endif // RUNE_DIALECT_RUNE_RUNERELATIONALOPS_TD
