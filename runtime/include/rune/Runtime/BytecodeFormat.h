//===- BytecodeFormat.h - The .rbc file format, shared by writer and reader -===//
//
// This header is the single definition of the rune bytecode format. The
// compiler's bytecode writer (lib/Target/Bytecode) and the runtime's verifier
// and interpreter (runtime/lib) both include it, so the two sides can never
// disagree about an opcode number or an operand layout. docs/bytecode.md
// describes the same format in prose, byte by byte.
//
// It is header-only and depends on nothing but the C++ standard library.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_BYTECODEFORMAT_H
#define RUNE_RUNTIME_BYTECODEFORMAT_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

namespace rune::bc {

// ---------------------------------------------------------------------------
// File header (32 bytes, little endian)
//
//   off size field
//   0   8    magic            kMagic
//   8   2    version major    kVersionMajor (a reader rejects any other)
//   10  2    version minor    kVersionMinor (a reader accepts <= its own);
//                             writers write kSchemaVersionMinor when the
//                             module has a Schema section, 0 otherwise
//   12  4    flags            must be 0
//   16  8    file size        total length of the file in bytes
//   24  4    checksum         CRC-32 (IEEE, reflected, as zlib) of bytes
//                             [32, file size)
//   28  4    section count    number of entries in the section table
//
// The section table follows the header: section count x 12 bytes
//   u32 kind (SectionKind), u32 offset (from file start), u32 size.
// Strings, Constants, Policies and Code appear exactly once, Schema at most
// once (and only from version 1.1 on); sections must lie inside the file,
// must not overlap the header, the table or each other.
// ---------------------------------------------------------------------------

inline constexpr std::array<uint8_t, 8> kMagic = {0x89, 'R', 'B', 'C',
                                                  0x0D, 0x0A, 0x1A, 0x0A};
inline constexpr uint16_t kVersionMajor = 1;
inline constexpr uint16_t kVersionMinor = 1;
/// The minor version that introduced the optional Schema section. Modules
/// without one are written as 1.0, so older readers still accept them.
inline constexpr uint16_t kSchemaVersionMinor = 1;
inline constexpr size_t kHeaderSize = 32;
inline constexpr size_t kSectionEntrySize = 12;
/// Upper bound a reader accepts for a whole module (guards allocations).
inline constexpr uint64_t kMaxFileSize = 1ull << 30;

enum class SectionKind : uint32_t {
  /// u32 count; count x { u32 length; length bytes of UTF-8 }.
  Strings = 1,
  /// u32 count; count x { u8 ConstantKind; payload (see ConstantKind) }.
  Constants = 2,
  /// u32 count; count x PolicyEntry (see below).
  Policies = 3,
  /// Raw instruction bytes; each policy owns one contiguous range.
  Code = 4,
  /// Optional: the Cedar schema entities, contexts and requests are read
  /// with (SchemaInfo.h). Layout below.
  Schema = 5,
  /// Optional, IPE modules only (IpeFormat.h): the request paths the module
  /// reads (its slots), literals, `in` lists, enumerations, conditions,
  /// aggregate filters and each policy's kind, intent, reason and metadata.
  IpeModule = 6,
  /// Optional, IPE modules only (IpeFormat.h): the trigger index.
  IpeTriggerIndex = 7,
  /// Optional, with DatalogCode: the relations of a Datalog program
  /// (layout under "Datalog programs" below).
  DatalogRelations = 8,
  /// Optional, with DatalogRelations: the program's statements.
  DatalogCode = 9,
};
/// Section kinds are 1..kNumSectionKinds; a reader rejects any other.
inline constexpr uint32_t kNumSectionKinds = 9;
/// The highest section kind (sizes the per-kind tables of the reader).
inline constexpr uint32_t kMaxSectionKind = kNumSectionKinds;
inline constexpr bool isDatalogSection(uint32_t kind) {
  return kind == uint32_t(SectionKind::DatalogRelations) ||
         kind == uint32_t(SectionKind::DatalogCode);
}

enum class ConstantKind : uint8_t {
  Bool = 1,     ///< u8 value (0 or 1)
  Long = 2,     ///< i64 value
  String = 3,   ///< u32 string index
  Entity = 4,   ///< u32 type-name string index; u32 id string index
  /// A `like` pattern: u32 element count; count x { u8 kind; u32 string }
  /// where kind 0 = literal text (the string), 1 = wildcard `*` (string
  /// index must be 0 and is ignored).
  Pattern = 5,
  /// A list of names (record keys): u32 count; count x u32 string index.
  NameList = 6,
};

/// Policy effect byte.
enum class Effect : uint8_t { Permit = 0, Forbid = 1 };

// PolicyEntry layout inside the Policies section:
//   u32 id string index        policy id ("policy0" or the @id annotation)
//   u8  effect                 Effect
//   u8  reserved               0
//   u16 register count         registers the policy's code may name
//   u32 code offset            relative to the start of the Code section
//   u32 code size              bytes
//   u32 annotation count
//   annotation count x { u32 key string index; u32 value string index }

// Schema section layout. It is self-contained: names are indices into the
// section's own string pool, not into the Strings section, so a schema can
// also be loaded on its own (rune_schema_load). Type references are indices
// into the type table.
//
//   u32 string count; count x { u32 length; length bytes of UTF-8 }
//   u32 type count;   count x SchemaTypeEntry
//   u32 entity type count; count x {
//     u32 name string; u32 attributes type (a Record);
//     u8 has tags (0|1); u32 tags type (0 when has tags is 0);
//     u32 enum id count; count x u32 string;
//     u32 memberOf type count; count x u32 string }
//   u32 action count; count x {
//     u32 type string; u32 id string;
//     u32 parent count; count x { u32 type string; u32 id string };
//     u32 principal type count; count x u32 string;
//     u32 resource type count; count x u32 string;
//     u8 has context (0|1); u32 context type (a Record; 0 when absent) }
//
// SchemaTypeEntry: u8 SchemaTypeCode, then
//   Bool, Long, String: nothing
//   Entity:    u32 entity type name string
//   Set:       u32 element type
//   Record:    u8 flags (kSchemaRecordOpen or 0); u32 attribute count;
//              count x { u32 name string; u8 required (0|1); u32 type },
//              sorted by name, names unique
//   Extension: u32 name string ("decimal", "ipaddr", "datetime", "duration")

/// Type kinds in the Schema section; the values of SchemaType::Kind.
enum class SchemaTypeCode : uint8_t {
  Bool = 0,
  Long = 1,
  String = 2,
  Entity = 3,
  Set = 4,
  Record = 5,
  Extension = 6,
};
inline constexpr uint8_t kNumSchemaTypeCodes = 7;
/// Record flag: additional attributes are allowed (an open record).
inline constexpr uint8_t kSchemaRecordOpen = 0x01;

/// Request variables that LoadVar can read.
enum class Var : uint8_t { Principal = 0, Action = 1, Resource = 2, Context = 3 };
inline constexpr uint8_t kNumVars = 4;

/// Extension functions and methods, as called by CallExt. Each has a fixed
/// argument count (the receiver of a method is argument 0).
enum class ExtFn : uint8_t {
  Decimal = 0,            // decimal(string)
  Ip = 1,                 // ip(string)
  Datetime = 2,           // datetime(string)
  Duration = 3,           // duration(string)
  LessThan = 4,           // decimal.lessThan(decimal)
  LessThanOrEqual = 5,    // decimal.lessThanOrEqual(decimal)
  GreaterThan = 6,        // decimal.greaterThan(decimal)
  GreaterThanOrEqual = 7, // decimal.greaterThanOrEqual(decimal)
  IsIpv4 = 8,             // ip.isIpv4()
  IsIpv6 = 9,             // ip.isIpv6()
  IsLoopback = 10,        // ip.isLoopback()
  IsMulticast = 11,       // ip.isMulticast()
  IsInRange = 12,         // ip.isInRange(ip)
  Offset = 13,            // datetime.offset(duration)
  DurationSince = 14,     // datetime.durationSince(datetime)
  ToDate = 15,            // datetime.toDate()
  ToTime = 16,            // datetime.toTime()
  ToDays = 17,            // duration.toDays()
  ToHours = 18,           // duration.toHours()
  ToMinutes = 19,         // duration.toMinutes()
  ToSeconds = 20,         // duration.toSeconds()
  ToMilliseconds = 21,    // duration.toMilliseconds()
};
inline constexpr uint8_t kNumExtFns = 22;

struct ExtFnInfo {
  std::string_view name;
  uint8_t arity;
};
inline constexpr std::array<ExtFnInfo, kNumExtFns> kExtFnInfo = {{
    {"decimal", 1},       {"ip", 1},
    {"datetime", 1},      {"duration", 1},
    {"lessThan", 2},      {"lessThanOrEqual", 2},
    {"greaterThan", 2},   {"greaterThanOrEqual", 2},
    {"isIpv4", 1},        {"isIpv6", 1},
    {"isLoopback", 1},    {"isMulticast", 1},
    {"isInRange", 2},     {"offset", 2},
    {"durationSince", 2}, {"toDate", 1},
    {"toTime", 1},        {"toDays", 1},
    {"toHours", 1},       {"toMinutes", 1},
    {"toSeconds", 1},     {"toMilliseconds", 1},
}};

// ---------------------------------------------------------------------------
// Instructions
//
// An instruction is one opcode byte followed by its operands, packed with no
// padding, little endian. Every opcode has ONE fixed operand layout, given by
// kOpcodeInfo below, which both the writer and the verifier use.
//
// Operand kinds:
//   Reg    u16  register index, < the policy's register count
//   Const  u32  constant index, < constant count (kind checked per opcode)
//   Str    u32  string index, < string count
//   Var    u8   a Var
//   Ext    u8   an ExtFn
//   Count  u16  number of consecutive registers starting at the preceding
//               Reg operand (that range must lie inside the register file)
//   Jump   i32  signed byte offset from the END of this instruction; the
//               target must be the start of an instruction of the same
//               policy, or exactly the end of its code
//
// Semantics are Cedar's. Any instruction can fail with an evaluation error
// (wrong type, missing attribute, overflow, ...); the policy then stops, is
// not satisfied, and is reported in the response's errors.
// ---------------------------------------------------------------------------

//   Idx    u32  an index into one of the IPE tables (slot, literal, condition
//               or filter; which one and its bound are checked per opcode)
//   Byte   u8   a small immediate, checked per opcode
enum class OperandKind : uint8_t {
  Reg,
  Const,
  Str,
  Var,
  Ext,
  Count,
  Jump,
  Idx,
  Byte
};

inline constexpr size_t operandSize(OperandKind kind) {
  switch (kind) {
  case OperandKind::Reg:
  case OperandKind::Count:
    return 2;
  case OperandKind::Const:
  case OperandKind::Str:
  case OperandKind::Jump:
  case OperandKind::Idx:
    return 4;
  case OperandKind::Var:
  case OperandKind::Ext:
  case OperandKind::Byte:
    return 1;
  }
  return 0;
}

// X(Name, value, mnemonic, operand kinds...)
// The first Reg of an instruction that produces a value is its destination.
#define RUNE_BC_OPCODES(X)                                                     \
  /* dst <- constants[k] (any kind but Pattern/NameList) */                   \
  X(LoadConst, 0x01, "load_const", Reg, Const)                                 \
  /* dst <- request variable */                                                \
  X(LoadVar, 0x02, "load_var", Reg, Var)                                       \
  /* dst <- src */                                                             \
  X(Move, 0x03, "move", Reg, Reg)                                              \
  /* dst <- obj.name (obj: entity or record; error if absent) */               \
  X(GetAttr, 0x10, "get_attr", Reg, Reg, Str)                                  \
  /* dst <- obj has name (bool; entity not in the store -> false) */           \
  X(HasAttr, 0x11, "has_attr", Reg, Reg, Str)                                  \
  /* dst <- entity.getTag(key) */                                              \
  X(GetTag, 0x12, "get_tag", Reg, Reg, Reg)                                    \
  /* dst <- entity.hasTag(key) */                                              \
  X(HasTag, 0x13, "has_tag", Reg, Reg, Reg)                                    \
  /* dst <- a == b (any values; never errors) */                               \
  X(Eq, 0x20, "eq", Reg, Reg, Reg)                                             \
  X(Ne, 0x21, "ne", Reg, Reg, Reg)                                             \
  /* ordering on long, datetime, duration (same kind both sides) */            \
  X(Lt, 0x22, "lt", Reg, Reg, Reg)                                             \
  X(Le, 0x23, "le", Reg, Reg, Reg)                                             \
  X(Gt, 0x24, "gt", Reg, Reg, Reg)                                             \
  X(Ge, 0x25, "ge", Reg, Reg, Reg)                                             \
  /* 64-bit checked arithmetic on long */                                      \
  X(Add, 0x30, "add", Reg, Reg, Reg)                                           \
  X(Sub, 0x31, "sub", Reg, Reg, Reg)                                           \
  X(Mul, 0x32, "mul", Reg, Reg, Reg)                                           \
  X(Neg, 0x33, "neg", Reg, Reg)                                                \
  /* boolean not (error if not bool) */                                        \
  X(Not, 0x34, "not", Reg, Reg)                                                \
  /* a in b: entity in entity / in set of entities (hierarchy, reflexive) */   \
  X(In, 0x40, "in", Reg, Reg, Reg)                                             \
  /* set.contains(x), set.containsAll(set), set.containsAny(set) */            \
  X(Contains, 0x41, "contains", Reg, Reg, Reg)                                 \
  X(ContainsAll, 0x42, "contains_all", Reg, Reg, Reg)                          \
  X(ContainsAny, 0x43, "contains_any", Reg, Reg, Reg)                          \
  /* set.isEmpty() */                                                          \
  X(IsEmpty, 0x44, "is_empty", Reg, Reg)                                       \
  /* dst <- string like pattern (constant of kind Pattern) */                  \
  X(Like, 0x45, "like", Reg, Reg, Const)                                       \
  /* dst <- entity is Type (type name string; error if not an entity) */       \
  X(IsType, 0x46, "is_type", Reg, Reg, Str)                                    \
  /* dst <- set of registers [first, first+count) */                           \
  X(MakeSet, 0x50, "make_set", Reg, Reg, Count)                                \
  /* dst <- record; keys = NameList constant, values = [first, first+count) */ \
  X(MakeRecord, 0x51, "make_record", Reg, Const, Reg, Count)                   \
  /* dst <- ext(args [first, first+count)); count must equal the arity */      \
  X(CallExt, 0x52, "call_ext", Reg, Ext, Reg, Count)                           \
  /* error unless the register holds a bool */                                 \
  X(AssertBool, 0x60, "assert_bool", Reg)                                      \
  X(Jump, 0x61, "jump", Jump)                                                  \
  /* error unless bool; jump when false / when true */                         \
  X(JumpIfFalse, 0x62, "jump_if_false", Reg, Jump)                             \
  X(JumpIfTrue, 0x63, "jump_if_true", Reg, Jump)                               \
  /* end of the policy: satisfied iff the register holds true (error if not   \
     a bool). Falling off the end of the code is a verification error. */     \
  X(Return, 0x64, "return", Reg)                                               \
  /* raises an evaluation error with the message strings[s] (e.g. an          \
     extension function called with the wrong number of arguments) */         \
  X(Raise, 0x65, "raise", Str)                                                 \
  /* IPE (IpeFormat.h). Registers hold IPE values; the jumps above test IPE  \
     booleans. dst <- request slot (error "missing field" when missing) */    \
  X(IpeLoadSlot, 0x70, "ipe_load_slot", Reg, Idx)                              \
  /* dst <- request slot, an empty array when missing (aggregates) */         \
  X(IpeLoadCollection, 0x71, "ipe_load_collection", Reg, Idx)                  \
  /* dst <- literals[i] */                                                     \
  X(IpeLoadLiteral, 0x72, "ipe_load_literal", Reg, Idx)                        \
  /* dst <- obj.key (error "missing field <display>" when missing) */         \
  X(IpeGetField, 0x73, "ipe_get_field", Reg, Reg, Str, Str)                    \
  /* dst <- a <op> b, op from conditions[i] (a comparison condition) */        \
  X(IpeCompare, 0x74, "ipe_compare", Reg, Reg, Reg, Idx)                       \
  /* dst <- a in the list of conditions[i] (an `in` condition) */              \
  X(IpeIn, 0x75, "ipe_in", Reg, Reg, Idx)                                      \
  /* dst <- a, which must be a boolean (conditions[i], a truth test) */        \
  X(IpeTruth, 0x76, "ipe_truth", Reg, Reg, Idx)                                \
  /* dst <- count/any/all (mode 0/1/2) of the array a, filtered by           \
     filters[i] (0xFFFFFFFF: no filter) */                                     \
  X(IpeAggregate, 0x77, "ipe_aggregate", Reg, Reg, Idx, Byte)                  \
  /* dst <- not a (a boolean) */                                               \
  X(IpeNot, 0x78, "ipe_not", Reg, Reg)                                         \
  /* ends an IPE policy with outcome b (0 not applicable, 1 allow, 2 deny) */  \
  X(IpeReturn, 0x79, "ipe_return", Byte)

enum class Opcode : uint8_t {
#define RUNE_BC_ENUM(Name, Value, Mnemonic, ...) Name = Value,
  RUNE_BC_OPCODES(RUNE_BC_ENUM)
#undef RUNE_BC_ENUM
};

inline constexpr size_t kMaxOperands = 4;

struct OpcodeInfo {
  Opcode opcode;
  std::string_view mnemonic;
  uint8_t numOperands;
  std::array<OperandKind, kMaxOperands> operands;
  /// Size of the whole instruction, opcode byte included.
  uint8_t size;
};

namespace detail {
template <typename... Kinds>
constexpr OpcodeInfo makeInfo(Opcode opcode, std::string_view mnemonic,
                              Kinds... kinds) {
  OpcodeInfo info{opcode, mnemonic, sizeof...(Kinds), {}, 1};
  size_t i = 0;
  ((info.operands[i++] = kinds), ...);
  ((info.size += static_cast<uint8_t>(operandSize(kinds))), ...);
  return info;
}
} // namespace detail

#define RUNE_BC_INFO(Name, Value, Mnemonic, ...)                               \
  detail::makeInfo(Opcode::Name, Mnemonic, RUNE_BC_KINDS(__VA_ARGS__)),
#define RUNE_BC_KINDS(...) RUNE_BC_KINDS_IMPL(__VA_ARGS__)
// Each operand token (Reg, Const, ...) names an OperandKind enumerator.
#define RUNE_BC_KINDS_IMPL(...) RUNE_BC_MAP(__VA_ARGS__)
#define RUNE_BC_MAP(...)                                                       \
  RUNE_BC_PICK(__VA_ARGS__, RUNE_BC_M4, RUNE_BC_M3, RUNE_BC_M2,                \
               RUNE_BC_M1)(__VA_ARGS__)
#define RUNE_BC_PICK(_1, _2, _3, _4, N, ...) N
#define RUNE_BC_M1(a) OperandKind::a
#define RUNE_BC_M2(a, b) OperandKind::a, OperandKind::b
#define RUNE_BC_M3(a, b, c) OperandKind::a, OperandKind::b, OperandKind::c
#define RUNE_BC_M4(a, b, c, d)                                                 \
  OperandKind::a, OperandKind::b, OperandKind::c, OperandKind::d

inline constexpr OpcodeInfo kOpcodeInfo[] = {RUNE_BC_OPCODES(RUNE_BC_INFO)};

#undef RUNE_BC_INFO
#undef RUNE_BC_KINDS
#undef RUNE_BC_KINDS_IMPL
#undef RUNE_BC_MAP
#undef RUNE_BC_PICK
#undef RUNE_BC_M1
#undef RUNE_BC_M2
#undef RUNE_BC_M3
#undef RUNE_BC_M4

/// Looks an opcode byte up; nullptr when the byte is not an opcode.
namespace detail {
/// kOpcodeInfo's position of each opcode byte, -1 for bytes that are no
/// opcode: the writer and the decoder look an opcode up per instruction.
inline constexpr auto kOpcodeIndex = [] {
  std::array<int16_t, 256> index{};
  index.fill(-1);
  for (size_t i = std::size(kOpcodeInfo); i-- > 0;)
    index[static_cast<uint8_t>(kOpcodeInfo[i].opcode)] = int16_t(i);
  return index;
}();
} // namespace detail

inline constexpr const OpcodeInfo *lookupOpcode(uint8_t byte) {
  int16_t i = detail::kOpcodeIndex[byte];
  return i < 0 ? nullptr : &kOpcodeInfo[i];
}

inline constexpr const OpcodeInfo &opcodeInfo(Opcode opcode) {
  return *lookupOpcode(static_cast<uint8_t>(opcode));
}

// ---------------------------------------------------------------------------
// Datalog programs (sections DatalogRelations and DatalogCode)
//
// A module holds at most one Datalog program; its Policies section may be
// empty. Names and symbol constants are indices into the Strings section.
//
// DatalogRelations:
//   u32 relation count; count x {
//     u32 name string; u8 arity;
//     arity x { u32 column name string; u8 DatalogColumnType };
//     u8 flags (kDatalogInput | kDatalogOutput | kDatalogPrintSize |
//               kDatalogOutputStdout | kDatalogAuxiliary; an auxiliary
//               relation is neither input nor output);
//     if input:  u32 filename string; u32 delimiter string
//     if output: u32 filename string; u32 delimiter string
//     u8 index count (>= 1); count x { arity x u8 column }  (each a
//        permutation of the columns; lookups name an index by position) }
//
// DatalogCode:
//   u32 register count (64-bit words; every register starts at 0)
//   statements up to the end of the section.
//
// A body is `u32 size` followed by that many bytes of instructions; a body
// must end exactly at its size. Statements (top level): Stratum (its body
// holds Query and Fixpoint), Fixpoint (its body holds Query only), Query
// (its body holds query instructions). Query instructions may nest through
// the bodies of Scan, Lookup and Aggregate. Operands:
//   rel u16 (< relation count), ver u8 (DatalogVersion; delta and new only
//   inside a Fixpoint listing the relation), idx u8 (< the relation's index
//   count), reg u16 (< register count; ranges [first, first + n) must fit),
//   type u8 (DatalogColumnType), str u32 (< string count).
// ---------------------------------------------------------------------------

enum class DatalogOpcode : uint8_t {
  /// body
  Stratum = 0x80,
  /// u16 n; n x rel; body. Semi-naive loop over the n relations.
  Fixpoint = 0x81,
  /// body
  Query = 0x82,
  /// rel, ver, reg first (arity registers receive each tuple), body
  Scan = 0x90,
  /// rel, ver, idx, reg keys, u8 key count (<= arity; the first key count
  /// columns of the index order), reg first, body
  Lookup = 0x91,
  /// rel, ver, idx, reg keys, u8 key count: the rest of the enclosing body
  /// is skipped when a tuple matches
  NotExists = 0x92,
  /// rel, ver (full or new), reg first (arity registers)
  Insert = 0x93,
  /// reg: the rest of the enclosing body is skipped when it holds 0
  Filter = 0x94,
  /// u8 DatalogAggregate, type, reg dst, body. min/max/mean of nothing:
  /// the rest of the enclosing body is skipped
  Aggregate = 0x95,
  /// reg: adds the value to the innermost enclosing Aggregate (only inside
  /// one; ignored by count)
  Accumulate = 0x96,
  /// reg dst, u64 word
  ConstWord = 0xA0,
  /// reg dst, str: the interned symbol id (a `symbol` word)
  ConstSymbol = 0xA1,
  /// reg dst, str: the interned symbol as an `any` word
  ConstAnySymbol = 0xA2,
  /// reg dst, reg src
  Move = 0xA3,
  /// u8 DatalogCompare, type, reg dst, reg a, reg b  (dst <- 0 or 1)
  Compare = 0xA4,
  /// u8 DatalogArith, type, reg dst, reg a, reg b
  Arith = 0xA5,
  /// u8 DatalogFunctor, type, reg dst, reg first, u8 count (the functor's
  /// arity; cat: >= 1)
  Functor = 0xA6,
  /// u8 DatalogTest, type, reg dst, reg a, reg b  (dst <- 0 or 1)
  Test = 0xA7,
};

enum class DatalogColumnType : uint8_t {
  Number = 0,
  Unsigned = 1,
  Float = 2,
  Symbol = 3,
  Any = 4,
};
inline constexpr uint8_t kNumDatalogColumnTypes = 5;
enum class DatalogVersion : uint8_t { Full = 0, Delta = 1, New = 2 };
enum class DatalogCompare : uint8_t { Eq = 0, Ne, Lt, Le, Gt, Ge };
inline constexpr uint8_t kNumDatalogCompares = 6;
enum class DatalogArith : uint8_t { Add = 0, Sub, Mul, Div, Mod, Min, Max };
inline constexpr uint8_t kNumDatalogAriths = 7;
enum class DatalogAggregate : uint8_t { Count = 0, Sum, Min, Max, Mean };
inline constexpr uint8_t kNumDatalogAggregates = 5;
enum class DatalogFunctor : uint8_t {
  Cat = 0,      // >= 1 arguments
  Strlen = 1,   // 1
  Substr = 2,   // 3
  ToNumber = 3, // 1
  ToString = 4, // 1
};
inline constexpr uint8_t kNumDatalogFunctors = 5;
enum class DatalogTest : uint8_t {
  Contains = 0,   // contains(needle, haystack)
  Match = 1,      // match(pattern, text)
  StartsWith = 2, // starts_with(text, prefix)
  EndsWith = 3,   // ends_with(text, suffix)
};
inline constexpr uint8_t kNumDatalogTests = 4;

inline constexpr uint8_t kDatalogInput = 0x01;
inline constexpr uint8_t kDatalogOutput = 0x02;
inline constexpr uint8_t kDatalogPrintSize = 0x04;
inline constexpr uint8_t kDatalogOutputStdout = 0x08;
/// Introduced by the compiler (the values a .rune aggregate ranges over):
/// explanations show what it was derived from instead of the relation.
inline constexpr uint8_t kDatalogAuxiliary = 0x10;

namespace detail {
/// The tables of the slicing-by-8 CRC-32: kCrc32Tables[0] is the classic
/// byte-at-a-time table, kCrc32Tables[k][b] the CRC of byte b followed by k
/// zero bytes.
inline constexpr auto kCrc32Tables = [] {
  std::array<std::array<uint32_t, 256>, 8> tables{};
  for (uint32_t b = 0; b < 256; ++b) {
    uint32_t crc = b;
    for (int bit = 0; bit < 8; ++bit)
      crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    tables[0][b] = crc;
  }
  for (uint32_t b = 0; b < 256; ++b)
    for (size_t k = 1; k < 8; ++k)
      tables[k][b] =
          (tables[k - 1][b] >> 8) ^ tables[0][tables[k - 1][b] & 0xFF];
  return tables;
}();
} // namespace detail

/// CRC-32 (IEEE 802.3, reflected, init and final xor 0xFFFFFFFF), the same
/// value zlib's crc32() gives. Eight bytes per step (slicing-by-8): the
/// writer and the reader each checksum the whole module, and bit by bit that
/// was a tenth of compiling 10,000 IPE policies.
inline uint32_t crc32(const uint8_t *data, size_t size) {
  const auto &t = detail::kCrc32Tables;
  uint32_t crc = 0xFFFFFFFFu;
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint32_t low = crc ^ (uint32_t(data[i]) | uint32_t(data[i + 1]) << 8 |
                          uint32_t(data[i + 2]) << 16 |
                          uint32_t(data[i + 3]) << 24);
    crc = t[7][low & 0xFF] ^ t[6][(low >> 8) & 0xFF] ^
          t[5][(low >> 16) & 0xFF] ^ t[4][low >> 24] ^ t[3][data[i + 4]] ^
          t[2][data[i + 5]] ^ t[1][data[i + 6]] ^ t[0][data[i + 7]];
  }
  for (; i < size; ++i)
    crc = (crc >> 8) ^ t[0][(crc ^ data[i]) & 0xFF];
  return crc ^ 0xFFFFFFFFu;
}

} // namespace rune::bc

#endif // RUNE_RUNTIME_BYTECODEFORMAT_H
