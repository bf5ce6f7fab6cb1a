//===- RuneDialect.td - The rune dialect, its type and attributes ---------===//
//
// The dialect every rune source language lowers to, and the only
// representation from which the bytecode and native backends are produced.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_DIALECT_RUNE_RUNEDIALECT_TD
#define RUNE_DIALECT_RUNE_RUNEDIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Rune_Dialect : Dialect {
  let name = "rune";
  let cppNamespace = "::rune";
  let summary = "Authorization policies as dynamically typed SSA programs";
  let description = [{
    The `rune` dialect represents a set of authorization policies. Each
    `rune.policy` holds one policy's condition as a region that yields a
    boolean: the policy is satisfied when the region yields `true`. Values
    are dynamically typed, as in Cedar: every SSA value has type
    `!rune.value` and an operation applied to a value of the wrong kind
    raises an evaluation error, which stops the policy and is reported.

    Operations that can raise an evaluation error are not `Pure`: removing
    one whose result is unused would hide the error a user must see.
    Short-circuiting operators (`rune.and`, `rune.or`, `rune.if`) keep their
    lazily evaluated operands in regions.
  }];
  let useDefaultTypePrinterParser = 1;
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
}

class Rune_Op<string mnemonic, list<Trait> traits = []>
    : Op<Rune_Dialect, mnemonic, traits>;

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

def Rune_ValueType : TypeDef<Rune_Dialect, "Value"> {
  let mnemonic = "value";
  let summary = "A dynamically typed policy value";
  let description = [{
    A Cedar value: a boolean, a 64-bit integer, a string, an entity uid, a
    set, a record, or an extension value (decimal, ipaddr, datetime,
    duration). Its kind is known only at evaluation time.
  }];
}

//===----------------------------------------------------------------------===//
// Enumerations
//===----------------------------------------------------------------------===//

def Rune_EffectPermit : I32EnumAttrCase<"Permit", 0, "permit">;
def Rune_EffectForbid : I32EnumAttrCase<"Forbid", 1, "forbid">;
def Rune_Effect : I32EnumAttr<"Effect", "effect of a satisfied policy",
                              [Rune_EffectPermit, Rune_EffectForbid]> {
  let cppNamespace = "::rune";
}

def Rune_VarPrincipal : I32EnumAttrCase<"Principal", 0, "principal">;
def Rune_VarAction : I32EnumAttrCase<"Action", 1, "action">;
def Rune_VarResource : I32EnumAttrCase<"Resource", 2, "resource">;
def Rune_VarContext : I32EnumAttrCase<"Context", 3, "context">;
def Rune_Var : I32EnumAttr<"RequestVar", "a variable of the request",
                           [Rune_VarPrincipal, Rune_VarAction,
                            Rune_VarResource, Rune_VarContext]> {
  let cppNamespace = "::rune";
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

def Rune_EntityUidAttr : AttrDef<Rune_Dialect, "EntityUid"> {
  let mnemonic = "uid";
  let summary = "An entity uid constant: a type name and an id";
  let description = [{
    `#rune.uid<"Namespace::Type", "id">` names one entity. The type keeps
    its namespace path joined with `::`; the id is any string.
  }];
  let parameters = (ins StringRefParameter<"entity type name">:$type,
                        StringRefParameter<"entity id">:$id);
  let assemblyFormat = "`<` $type `,` $id `>`";
}

#endif // RUNE_DIALECT_RUNE_RUNEDIALECT_TD
