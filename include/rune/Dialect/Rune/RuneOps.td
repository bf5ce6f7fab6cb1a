//===- RuneOps.td - Operations of the rune dialect ------------------------===//

#ifndef RUNE_DIALECT_RUNE_RUNEOPS_TD
#define RUNE_DIALECT_RUNE_RUNEOPS_TD

include "rune/Dialect/Rune/RuneDialect.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Structure
//===----------------------------------------------------------------------===//

def Rune_PolicyOp : Rune_Op<"policy", [IsolatedFromAbove, SingleBlock,
                                       HasParent<"::mlir::ModuleOp">]> {
  let summary = "One authorization policy";
  let description = [{
    A policy with its id (`policy0`, ... by position, or its `@id`
    annotation), its effect and its annotations. The body computes the
    policy's whole condition (scope, `when` and `unless` clauses) and ends in
    `rune.yield`: the policy is satisfied when it yields `true`; yielding
    any other value, or raising an error, makes it an erroring policy.

    ```mlir
    rune.policy "policy0" permit {
      %0 = rune.var principal
      %1 = rune.constant #rune.uid<"User", "alice">
      %2 = rune.eq %0, %1
      rune.yield %2
    }
    ```
  }];
  let arguments = (ins StrAttr:$policy_id, Rune_Effect:$effect,
                       OptionalAttr<DictionaryAttr>:$annotations);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $policy_id $effect (`annotations` $annotations^)? attr-dict-with-keyword
    $body
  }];
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def Rune_YieldOp : Rune_Op<"yield", [Pure, Terminator, ReturnLike,
    ParentOneOf<["PolicyOp", "AndOp", "OrOp", "IfOp"]>]> {
  let summary = "Yields the value of a region";
  let arguments = (ins Rune_ValueType:$value);
  let assemblyFormat = "$value attr-dict";
}

def Rune_SchemaOp : Rune_Op<"schema", [HasParent<"::mlir::ModuleOp">]> {
  let summary = "The schema policies were compiled against";
  let description = [{
    The entity types and actions of a Cedar schema, carried with the
    policies so that the runtime reads entities, contexts and requests with
    it (a string becomes a decimal where an attribute is declared decimal,
    action entities come from the schema, requests are validated). At most
    one per module.

    Types are dictionaries: `{kind = "bool" | "long" | "string"}`,
    `{kind = "entity", name = "NS::T"}`, `{kind = "extension", name =
    "decimal" | "ipaddr" | "datetime" | "duration"}`, `{kind = "set",
    element = <type>}`, `{kind = "record", attributes = [ {name = "a",
    required = true, type = <type>}, ... ], open = false}`.

    ```mlir
    rune.schema entity_types [ {name = "User", attributes = {kind = "record",
        attributes = [], open = false}, member_of = ["Group"]} ]
      actions [ {type = "Action", id = "view", parents = [],
        principals = ["User"], resources = ["Photo"]} ]
    ```
  }];
  let arguments = (ins ArrayAttr:$entity_types, ArrayAttr:$actions);
  let assemblyFormat = [{
    `entity_types` $entity_types `actions` $actions attr-dict
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

def Rune_ConstantOp : Rune_Op<"constant", [ConstantLike, Pure]> {
  let summary = "A constant value";
  let description = [{
    A boolean (`true`), a long (`42 : i64`), a string (`"text"`) or an
    entity uid (`#rune.uid<"User", "alice">`).
  }];
  let arguments = (ins AnyAttr:$value);
  let results = (outs Rune_ValueType:$result);
  let assemblyFormat = "$value attr-dict";
  let hasFolder = 1;
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// True when `value` is an attribute this op can hold.
    static bool isValidValue(::mlir::Attribute value);
  }];
}

def Rune_VarOp : Rune_Op<"var", [Pure]> {
  let summary = "Reads principal, action, resource or context";
  let arguments = (ins Rune_Var:$var);
  let results = (outs Rune_ValueType:$result);
  let assemblyFormat = "$var attr-dict";
}

//===----------------------------------------------------------------------===//
// Attribute and tag access
//===----------------------------------------------------------------------===//

def Rune_GetAttrOp : Rune_Op<"get_attr"> {
  let summary = "`e.name`: an attribute of an entity or a field of a record";
  let description = [{
    Errors when the entity does not exist or has no such attribute, when the
    record has no such field, and when the operand is neither.
  }];
  let arguments = (ins Rune_ValueType:$object, StrAttr:$name);
  let results = (outs Rune_ValueType:$result);
  let assemblyFormat = "$object `,` $name attr-dict";
}

def Rune_HasAttrOp : Rune_Op<"has_attr"> {
  let summary = "`e has name`";
  let description = [{
    `false` for an entity missing from the entity store; a type error for
    an operand that is neither an entity nor a record.
  }];
  let arguments = (ins Rune_ValueType:$object, StrAttr:$name);
  let results = (outs Rune_ValueType:$result);
  let assemblyFormat = "$object `,` $name attr-dict";
}

def Rune_GetTagOp : Rune_Op<"get_tag"> {
  let summary = "`e.getTag(k)`";
  let arguments = (ins Rune_ValueType:$object, Rune_ValueType:$key);
  let results = (outs Rune_ValueType:$result);
  let assemblyFormat = "$object `,` $key attr-dict";
}

def Rune_HasTagOp : Rune_Op<"has_tag"> {
  let summary = "`e.hasTag(k)`";
  let arguments = (ins Rune_ValueType:$object, Rune_ValueType:$key);
  let results = (outs Rune_ValueType:$result);
  let assemblyFormat = "$object `,` $key attr-dict";
}

//===----------------------------------------------------------------------===//
// Operators
//===----------------------------------------------------------------------===//

class Rune_BinaryOp<string mnemonic, string summaryText,
                    list<Trait> traits = []>
    : Rune_Op<mnemonic, traits> {
  let summary = summaryText;
  let arguments = (ins Rune_ValueType:$lhs, Rune_ValueType:$rhs);
  let results = (outs Rune_ValueType:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict";
}

class Rune_UnaryOp<string mnemonic, string summaryText,
                   list<Trait> traits = []>
    : Rune_Op<mnemonic, traits> {
  let summary = summaryText;
  let arguments = (ins Rune_ValueType:$operand);
  let results = (outs Rune_ValueType:$result);
  let assemblyFormat = "$operand attr-dict";
}

// Equality is total in Cedar: values of different kinds are unequal, so
// these two never raise an error and are Pure.
def Rune_EqOp : Rune_BinaryOp<"eq", "`a == b`", [Pure, Commutative]> {
  let hasFolder = 1;
}
def Rune_NeOp : Rune_BinaryOp<"ne", "`a != b`", [Pure, Commutative]> {
  let hasFolder = 1;
}
def Rune_LtOp : Rune_BinaryOp<"lt", "`a < b` on longs, datetimes, durations"> {
  let hasFolder = 1;
}
def Rune_LeOp : Rune_BinaryOp<"le", "`a <= b`"> { let hasFolder = 1; }
def Rune_GtOp : Rune_BinaryOp<"gt", "`a > b`"> { let hasFolder = 1; }
def Rune_GeOp : Rune_BinaryOp<"ge", "`a >= b`"> { let hasFolder = 1; }
def Rune_AddOp : Rune_BinaryOp<"add", "`a + b`, checked 64-bit"> {
  let hasFolder = 1;
}
def Rune_SubOp : Rune_BinaryOp<"sub", "`a - b`, checked 64-bit"> {
  let hasFolder = 1;
}
def Rune_MulOp : Rune_BinaryOp<"mul", "`a * b`, checked 64-bit"> {
  let hasFolder = 1;
}
def Rune_NegOp : Rune_UnaryOp<"neg", "`-a`, checked 64-bit"> {
  let hasFolder = 1;
}
def Rune_NotOp : Rune_UnaryOp<"not", "`!a` on booleans"> {
  let hasFolder = 1;
}
def Rune_InOp : Rune_BinaryOp<"in",
    "`a in b`: entity hierarchy membership (reflexive)">;
def Rune_ContainsOp : Rune_BinaryOp<"contains", "`set.contains(x)`">;
def Rune_ContainsAllOp : Rune_BinaryOp<"contains_all",
    "`set.containsAll(set)`">;
def Rune_ContainsAnyOp : Rune_BinaryOp<"contains_any",
    "`set.containsAny(set)`">;
def Rune_IsEmptyOp : Rune_UnaryOp<"is_empty", "`set.isEmpty()`">;

def Rune_LikeOp : Rune_Op<"like"> {
  let summary = "`s like \"pattern\"`";
  let description = [{
    The pattern is kept in Cedar's source form: `*` matches any sequence of
    characters, `\*` a literal star and `\\` a backslash.
  }];
  let arguments = (ins Rune_ValueType:$operand, StrAttr:$pattern);
  let results = (outs Rune_ValueType:$result);
  let assemblyFormat = "$operand `,` $pattern attr-dict";
}

def Rune_IsTypeOp : Rune_Op<"is_type"> {
  let summary = "`e is T`";
  let arguments = (ins Rune_ValueType:$operand, StrAttr:$type_name);
  let results = (outs Rune_ValueType:$result);
  let assemblyFormat = "$operand `,` $type_name attr-dict";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Constructors and extension functions
//===----------------------------------------------------------------------===//

def Rune_SetOp : Rune_Op<"set"> {
  let summary = "A set literal `[a, b, ...]`";
  let arguments = (ins Variadic<Rune_ValueType>:$elements);
  let results = (outs Rune_ValueType:$result);
  let assemblyFormat = "`(` $elements `)` attr-dict";
}

def Rune_RecordOp : Rune_Op<"record"> {
  let summary = "A record literal `{k: v, ...}`";
  let arguments = (ins StrArrayAttr:$keys, Variadic<Rune_ValueType>:$values);
  let results = (outs Rune_ValueType:$result);
  let assemblyFormat = "$keys `(` $values `)` attr-dict";
  let hasVerifier = 1;
}

def Rune_ExtCallOp : Rune_Op<"ext_call"> {
  let summary = "Calls an extension function or method";
  let description = [{
    `decimal`, `ip`, `datetime`, `duration` and the methods on their
    values; a method's receiver is the first argument.
  }];
  let arguments = (ins StrAttr:$callee, Variadic<Rune_ValueType>:$args);
  let results = (outs Rune_ValueType:$result);
  let assemblyFormat = "$callee `(` $args `)` attr-dict";
  let hasVerifier = 1;
}

def Rune_RaiseOp : Rune_Op<"raise"> {
  let summary = "Raises an evaluation error";
  let description = [{
    Stops the policy with an evaluation error carrying `message`. Cedar
    accepts some mistakes when parsing and reports them only when the policy
    is evaluated, e.g. an extension function called with the wrong number of
    arguments: `rune.raise` is how such a call is evaluated. Its result is
    never produced.
  }];
  let arguments = (ins StrAttr:$message);
  let results = (outs Rune_ValueType:$result);
  let assemblyFormat = "$message attr-dict";
}

//===----------------------------------------------------------------------===//
// Short-circuit control
//===----------------------------------------------------------------------===//

def Rune_AndOp : Rune_Op<"and", [SingleBlock]> {
  let summary = "`lhs && rhs`, evaluating the rhs region only if lhs is true";
  let arguments = (ins Rune_ValueType:$lhs);
  let results = (outs Rune_ValueType:$result);
  let regions = (region SizedRegion<1>:$rhs);
  let assemblyFormat = "$lhs `,` $rhs attr-dict";
  let hasCanonicalizer = 1;
}

def Rune_OrOp : Rune_Op<"or", [SingleBlock]> {
  let summary = "`lhs || rhs`, evaluating the rhs region only if lhs is false";
  let arguments = (ins Rune_ValueType:$lhs);
  let results = (outs Rune_ValueType:$result);
  let regions = (region SizedRegion<1>:$rhs);
  let assemblyFormat = "$lhs `,` $rhs attr-dict";
  let hasCanonicalizer = 1;
}

def Rune_IfOp : Rune_Op<"if", [SingleBlock]> {
  let summary = "`if c then a else b`";
  let arguments = (ins Rune_ValueType:$condition);
  let results = (outs Rune_ValueType:$result);
  let regions = (region SizedRegion<1>:$thenRegion,
                        SizedRegion<1>:$elseRegion);
  let assemblyFormat = [{
    $condition `then` $thenRegion `else` $elseRegion attr-dict
  }];
  let hasCanonicalizer = 1;
}

include "rune/Dialect/Rune/RuneRelationalOps.td"

#endif // RUNE_DIALECT_RUNE_RUNEOPS_TD
