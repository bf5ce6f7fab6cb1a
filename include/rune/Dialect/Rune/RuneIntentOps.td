//===- RuneIntentOps.td - IPE intent policies in the rune dialect ---------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The operations IPE policy files (.ipe, docs/ipe.md) compile to. Values
// read from the request or written as literals are `!rune.value`s holding
// JSON values (boolean, integer, float, string, array, object); conditions
// are `i1`. Operations that can raise an evaluation error (a missing field,
// values that cannot be compared) are not `Pure`, so no fold can hide an
// error a user must see.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_DIALECT_RUNE_RUNEINTENTOPS_TD
#define RUNE_DIALECT_RUNE_RUNEINTENTOPS_TD

include "rune/Dialect/Rune/RuneDialect.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class Rune_IntentOp<string mnemonic, list<Trait> traits = []>
    : Op<Rune_Dialect, "ipe." # mnemonic, traits>;

//===----------------------------------------------------------------------===//
// Structure
//===----------------------------------------------------------------------===//

def Rune_IntentPolicyOp : Rune_IntentOp<"policy", [IsolatedFromAbove,
    HasParent<"::mlir::ModuleOp">]> {
  let summary = "One IPE intent policy";
  let description = [{
    A named policy with its intent sentence, optional `denies` reason and
    metadata (kept for reporting; it never changes a decision). The
    `triggers` region yields whether the policy applies. A `requires`
    policy has a requirement region yielding whether it allows; a `denies`
    policy has none. Outcomes: not applicable when the trigger is false;
    otherwise allow or deny; an error anywhere makes the outcome Error.

    ```mlir
    rune.ipe.policy "DenyUnsigned" denies intent "Unsigned images never run"
        reason "image signature not verified" triggers {
      %0 = rune.ipe.read "resource.image_signed"
      %1 = rune.ipe.literal false
      %2 = rune.ipe.compare "eq" %0, %1 label "resource.image_signed == false"
          explain "resource.image_signed is {a}"
      rune.ipe.yield %2
    }
    ```
  }];
  let arguments = (ins StrAttr:$sym_name, UnitAttr:$predicate,
                       UnitAttr:$denies, StrAttr:$intent,
                       OptionalAttr<StrAttr>:$reason,
                       OptionalAttr<DictionaryAttr>:$metadata);
  let regions = (region SizedRegion<1>:$trigger, AnyRegion:$requirement);
  let assemblyFormat = [{
    $sym_name (`predicate` $predicate^)? (`denies` $denies^)?
    `intent` $intent (`reason` $reason^)? (`metadata` $metadata^)?
    attr-dict-with-keyword `triggers` $trigger (`requires` $requirement^)?
  }];
  let hasVerifier = 1;
}

def Rune_IntentYieldOp : Rune_IntentOp<"yield", [Pure, Terminator,
    ReturnLike, ParentOneOf<["IntentPolicyOp", "IntentAndOp", "IntentOrOp",
                             "IntentAggregateOp"]>]> {
  let summary = "Yields the condition a region computes";
  let arguments = (ins I1:$value);
  let assemblyFormat = "$value attr-dict";
}

def Rune_IntentEnumOp : Rune_IntentOp<"enum", [
    HasParent<"::mlir::ModuleOp">]> {
  let summary = "An ordered enumeration of strings";
  let description = [{
    Orders strings for `<`, `<=`, `>`, `>=`: when both sides are members of
    one enumeration they compare by position (the first such enumeration
    in module order decides). IRGen emits the built-in `risk` scale
    (`low < medium < high < critical`) first, then the file's `enum`
    declarations.

    ```mlir
    rune.ipe.enum "risk" ["low", "medium", "high", "critical"]
    ```
  }];
  let arguments = (ins StrAttr:$sym_name, StrArrayAttr:$members);
  let assemblyFormat = "$sym_name $members attr-dict";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Reading the request
//===----------------------------------------------------------------------===//

def Rune_IntentReadOp : Rune_IntentOp<"read"> {
  let summary = "Reads a request path";
  let description = [{
    Reads a dotted path from the root of the request (`principal` and
    `requester` are already rewritten to `request.principal`). A missing key
    or `null` is missing: a plain read then raises "missing field"; a
    `collection` read (the operand of an aggregate) gives an empty array.
    Backends resolve every distinct path once per request (a slot).
  }];
  let arguments = (ins StrAttr:$path, UnitAttr:$collection);
  let results = (outs Rune_ValueType:$result);
  let assemblyFormat = "$path (`collection` $collection^)? attr-dict";
  let hasVerifier = 1;
}

def Rune_IntentGetOp : Rune_IntentOp<"get"> {
  let summary = "Reads a field of an object (an aggregate's element)";
  let description = [{
    `object.key`; raises "missing field <display>" when the key is absent
    or null, and an error when the value is not an object.
  }];
  let arguments = (ins Rune_ValueType:$object, StrAttr:$key,
                       StrAttr:$display);
  let results = (outs Rune_ValueType:$result);
  let assemblyFormat = "$object `,` $key `display` $display attr-dict";
}

def Rune_IntentLiteralOp : Rune_IntentOp<"literal", [Pure]> {
  let summary = "A literal: string, 64-bit integer, float or boolean";
  let arguments = (ins AnyAttr:$value);
  let results = (outs Rune_ValueType:$result);
  let assemblyFormat = "$value attr-dict";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Conditions
//===----------------------------------------------------------------------===//

def Rune_IntentCompareOp : Rune_IntentOp<"compare"> {
  let summary = "`a == b`, `!=`, `<`, `<=`, `>`, `>=` on IPE values";
  let description = [{
    Equality: numbers numerically (an integer equals the float of the same
    value), strings bytewise, booleans, arrays and objects structurally;
    values of different kinds are unequal. Ordering: numbers numerically;
    strings by rank when one `rune.ipe.enum` holds both, bytewise
    otherwise; anything else (booleans included) is an error. `label` is
    the condition as written and `explain` the template `-v` fills in
    (`{a}`, `{b}`: the operands; `{a:noun}`: a count of nouns).
  }];
  let arguments = (ins StrAttr:$predicate, Rune_ValueType:$lhs,
                       Rune_ValueType:$rhs, StrAttr:$label,
                       StrAttr:$explain);
  let results = (outs I1:$result);
  let assemblyFormat = [{
    $predicate $lhs `,` $rhs `label` $label `explain` $explain attr-dict
  }];
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def Rune_IntentInOp : Rune_IntentOp<"in"> {
  let summary = "`x in [v1, ...]`";
  let description = [{
    True when the value equals a member (equality as `rune.ipe.compare
    "eq"`); when the value is an array, when any element does.
  }];
  let arguments = (ins Rune_ValueType:$value, ArrayAttr:$members,
                       StrAttr:$label, StrAttr:$explain);
  let results = (outs I1:$result);
  let assemblyFormat = [{
    $value $members `label` $label `explain` $explain attr-dict
  }];
  let hasVerifier = 1;
}

def Rune_IntentTruthOp : Rune_IntentOp<"truth"> {
  let summary = "A value used as a condition: it must be a boolean";
  let arguments = (ins Rune_ValueType:$value, StrAttr:$label,
                       StrAttr:$explain);
  let results = (outs I1:$result);
  let assemblyFormat = "$value `label` $label `explain` $explain attr-dict";
}

def Rune_IntentBoolOp : Rune_IntentOp<"bool", [Pure, ConstantLike]> {
  let summary = "A constant condition";
  let arguments = (ins BoolAttr:$value);
  let results = (outs I1:$result);
  let assemblyFormat = "$value attr-dict";
  let hasFolder = 1;
  let builders = [OpBuilder<(ins "bool":$value), [{
    build($_builder, $_state, $_builder.getI1Type(),
          $_builder.getBoolAttr(value));
  }]>];
}

def Rune_IntentNotOp : Rune_IntentOp<"not", [Pure]> {
  let summary = "`not c`";
  let arguments = (ins I1:$value);
  let results = (outs I1:$result);
  let assemblyFormat = "$value attr-dict";
  let hasFolder = 1;
}

def Rune_IntentAndOp : Rune_IntentOp<"and", [SingleBlock]> {
  let summary = "`lhs and rhs`, evaluating the rhs region only if lhs holds";
  let arguments = (ins I1:$lhs);
  let results = (outs I1:$result);
  let regions = (region SizedRegion<1>:$rhs);
  let assemblyFormat = "$lhs `,` $rhs attr-dict";
  let hasCanonicalizer = 1;
}

def Rune_IntentOrOp : Rune_IntentOp<"or", [SingleBlock]> {
  let summary = "`lhs or rhs`, evaluating the rhs region only if lhs fails";
  let arguments = (ins I1:$lhs);
  let results = (outs I1:$result);
  let regions = (region SizedRegion<1>:$rhs);
  let assemblyFormat = "$lhs `,` $rhs attr-dict";
  let hasCanonicalizer = 1;
}

def Rune_IntentAggregateOp : Rune_IntentOp<"aggregate", [IsolatedFromAbove]> {
  let summary = "`C.count`, `C.any`, `C.all` with an optional filter";
  let description = [{
    `mode` is "count" (an integer: the elements passing the filter), "any"
    (a boolean: at least one passes) or "all" (a boolean: every element
    passes; true on an empty array). The filter region, when present, takes
    the element as its argument and yields whether it passes; it runs once
    per element, in order, and stops early for any/all. The operand must
    be an array (a missing collection has been read as an empty one).

    ```mlir
    %n = rune.ipe.aggregate "count" %approvals element "approver" {
    ^bb0(%approver: !rune.value):
      ...
      rune.ipe.yield %passes
    }
    ```
  }];
  let arguments = (ins StrAttr:$mode, Rune_ValueType:$collection,
                       StrAttr:$element);
  let results = (outs Rune_ValueType:$result);
  let regions = (region AnyRegion:$filter);
  let assemblyFormat = [{
    $mode $collection `element` $element $filter attr-dict
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// The trigger index (written by the ipe-trigger-index pass)
//===----------------------------------------------------------------------===//

def Rune_IntentIndexGroupOp : Rune_IntentOp<"index_group", [
    HasParent<"::mlir::ModuleOp">]> {
  let summary = "The trigger index over a tuple of request paths";
  let description = [{
    Every policy of the group starts its trigger with equality or `in`
    tests on `paths`, in this order. `keys[i]` is a tuple of literals (one
    string, integer or boolean per path) and `postings[i]` the policies
    whose leading tests all hold for that tuple. When every path is present
    and a scalar, only the policies of the request's tuple can trigger;
    when one is missing or not a scalar, all of `policies` are evaluated in
    full (a test may then raise an error or match an array element).

    ```mlir
    rune.ipe.index_group ["resource.type", "environment"]
        keys [["Deployment", "production"], ["Deployment", "staging"]]
        postings [["RequireApproval"], ["RequireApproval"]]
        policies ["RequireApproval"]
    ```
  }];
  let arguments = (ins StrArrayAttr:$paths, ArrayAttr:$keys,
                       ArrayAttr:$postings, StrArrayAttr:$policies);
  let assemblyFormat = [{
    $paths `keys` $keys `postings` $postings `policies` $policies attr-dict
  }];
  let hasVerifier = 1;
}

def Rune_IntentIndexAlwaysOp : Rune_IntentOp<"index_always", [
    HasParent<"::mlir::ModuleOp">]> {
  let summary = "The policies the trigger index cannot narrow down";
  let arguments = (ins StrArrayAttr:$policies);
  let assemblyFormat = "$policies attr-dict";
}

#endif // RUNE_DIALECT_RUNE_RUNEINTENTOPS_TD
