//===- IpeEvaluator.cpp - Evaluating IPE policies and deciding ------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Every IPE operation is implemented once here: the bytecode interpreter
// and the rune_ipe_rt_* helpers natively compiled policies call share these
// functions, so both backends give the same outcomes and messages
// (docs/ipe.md has the semantics).
//
//===----------------------------------------------------------------------===//

#include "rune/Runtime/IpeEngine.h"

#include "rune/Runtime/InstructionDecoder.h"

#include "IpeDocument.h"
#include "IpeText.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

namespace rune::ipert {

Value valueOf(const Module &module, const doc::Node *node);

namespace {

using ipebc::ConditionKind;

double asDouble(const Value &v) {
  if (v.kind == RUNE_IPE_INT)
    return double(int64_t(v.payload));
  double d;
  std::memcpy(&d, &v.payload, sizeof d);
  return d;
}

std::string_view asString(const Value &v) {
  return {reinterpret_cast<const char *>(v.payload), size_t(v.length)};
}

bool isNumber(const Value &v) {
  return v.kind == RUNE_IPE_INT || v.kind == RUNE_IPE_FLOAT;
}

std::string_view kindName(uint32_t kind) {
  switch (kind) {
  case RUNE_IPE_MISSING:
    return "missing";
  case RUNE_IPE_BOOL:
    return "boolean";
  case RUNE_IPE_INT:
    return "integer";
  case RUNE_IPE_FLOAT:
    return "float";
  case RUNE_IPE_STRING:
    return "string";
  case RUNE_IPE_ARRAY:
    return "array";
  case RUNE_IPE_OBJECT:
    return "object";
  }
  return "value";
}

const char *operatorSpelling(ConditionKind kind) {
  static const char *const spellings[] = {"==", "!=", "<", "<=", ">", ">="};
  return spellings[static_cast<int>(kind)];
}

/// The shortest text that reads back as `value`, with ".0" when it would
/// read as an integer: a float prints the same alone and inside an array or
/// object.
void appendFloat(double value, std::string &out) {
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string_view text(buffer, size_t(result.ptr - buffer));
  out += text;
  if (text.find_first_of(".eEn") == std::string_view::npos)
    out += ".0";
}

void renderJson(const doc::Node &node, std::string &out) {
  switch (node.kind) {
  case doc::Kind::Null:
    out += "null";
    return;
  case doc::Kind::Bool:
    out += node.boolean ? "true" : "false";
    return;
  case doc::Kind::Integer:
    out += std::to_string(node.integer());
    return;
  case doc::Kind::Float:
    appendFloat(node.number(), out);
    return;
  case doc::Kind::String:
    out += '"';
    for (char c : node.text()) {
      if (c == '"' || c == '\\')
        out += '\\';
      out += c;
    }
    out += '"';
    return;
  case doc::Kind::Array:
    out += '[';
    for (uint32_t i = 0; i < node.count; ++i) {
      if (i)
        out += ", ";
      renderJson(node.elements()[i], out);
    }
    out += ']';
    return;
  case doc::Kind::Object:
    out += '{';
    for (uint32_t i = 0; i < node.count; ++i) {
      const doc::Member &member = node.members()[i];
      if (i)
        out += ", ";
      out += '"';
      out += member.key();
      out += "\": ";
      renderJson(member.value, out);
    }
    out += '}';
    return;
  }
}

} // namespace

std::string render(const Value &v) {
  switch (v.kind) {
  case RUNE_IPE_MISSING:
    return "missing";
  case RUNE_IPE_BOOL:
    return v.payload ? "true" : "false";
  case RUNE_IPE_INT:
    return std::to_string(int64_t(v.payload));
  case RUNE_IPE_FLOAT: {
    std::string text;
    appendFloat(asDouble(v), text);
    return text;
  }
  case RUNE_IPE_STRING: {
    std::string out = "\"";
    for (char c : asString(v)) {
      if (c == '"' || c == '\\')
        out += '\\';
      out += c;
    }
    return out + '"';
  }
  case RUNE_IPE_ARRAY:
  case RUNE_IPE_OBJECT: {
    if (!v.payload)
      return "[]";
    std::string out;
    renderJson(*reinterpret_cast<const doc::Node *>(v.payload), out);
    return out;
  }
  }
  return "?";
}

struct Evaluator::State {
  // Must stay first: compiled code and the helpers see only the frame.
  rune_ipe_frame frame;
  const Module *module = nullptr;
  /// The element rows of one collection slot (an entry of
  /// Module::collectionSlotList()), built at most once per decision, on the
  /// first aggregate over the slot: `stamp` == decisionStamp when `first`
  /// is this decision's. Each slot has its own buffer, so building one
  /// slot's rows never moves another's; a buffer only grows.
  struct SlotRows {
    std::vector<Value> buffer;
    Value *first = nullptr;
    uint32_t stamp = 0;
  };
  std::vector<SlotRows> slotRows;
  /// Per slot, its index in Module::collectionSlotList(), or -1.
  std::vector<int32_t> rowIndexOfSlot;
  /// Per column of the rows, its key's text, and the member index where an
  /// element last had it: the elements of one array usually list their
  /// members in the same order, so the next element's is tried there first.
  std::vector<std::string_view> columnKeys;
  std::vector<uint32_t> columnHints;
  uint32_t decisionStamp = 0;
  std::string error;
  bool tracing = false;
  uint32_t policy = 0;
  unsigned depth = 0;
  std::vector<TraceEvent> *trace = nullptr;
  /// Register files, one per nesting depth of aggregate filters.
  std::vector<std::unique_ptr<Value[]>> registerFiles;

  Value *registers(unsigned level) {
    while (registerFiles.size() <= level)
      registerFiles.push_back(
          std::make_unique<Value[]>(module->maxRegisterCount()));
    return registerFiles[level].get();
  }

  int32_t fail(std::string message) {
    if (error.empty())
      error = std::move(message);
    return -1;
  }

  const ipebc::Sections &tables() const { return module->tables(); }
  std::string_view str(uint32_t index) const { return module->string(index); }

  /// Sizes the row tables for `module` (a native module's evaluator).
  void prepareRows() {
    const std::vector<uint32_t> &slots = module->collectionSlotList();
    rowIndexOfSlot.assign(slots.empty() ? 0 : slots.back() + 1, -1);
    for (size_t i = 0; i < slots.size(); ++i)
      rowIndexOfSlot[slots[i]] = int32_t(i);
    slotRows.resize(slots.size());
    for (uint32_t key : module->elementKeys())
      columnKeys.push_back(module->string(key));
    columnHints.assign(columnKeys.size(), 0);
  }

  /// A new decision: rows resolved before are stale.
  void beginDecision() {
    if (++decisionStamp == 0) {
      for (SlotRows &rows : slotRows)
        rows.stamp = 0;
      decisionStamp = 1;
    }
  }

  /// The element rows of collection slot `slot` for this decision, or null
  /// when it does not hold an array (an empty array has rows: none, but a
  /// non-null pointer, so compiled loops run zero times).
  Value *elementRows(uint32_t slot) {
    if (slot >= rowIndexOfSlot.size() || rowIndexOfSlot[slot] < 0)
      return nullptr;
    SlotRows &rows = slotRows[size_t(rowIndexOfSlot[slot])];
    if (rows.stamp != decisionStamp) {
      rows.stamp = decisionStamp;
      rows.first = buildElementRows(*module, frame.slots[slot], rows.buffer);
    }
    return rows.first;
  }

  void record(uint32_t condition, bool result, const Value &a, std::string b) {
    if (tracing && depth == 0)
      trace->push_back({policy, condition, result, render(a), std::move(b)});
  }
};

namespace {

using State = Evaluator::State;

State &stateOf(rune_ipe_frame *frame) {
  return *reinterpret_cast<State *>(frame);
}

bool jsonEqual(const doc::Node &a, const doc::Node &b);

/// `==` on two present values: numbers numerically, strings bytewise,
/// booleans, and arrays/objects structurally; different kinds are unequal.
bool valuesEqual(const Value &a, const Value &b) {
  if (isNumber(a) && isNumber(b)) {
    if (a.kind == RUNE_IPE_INT && b.kind == RUNE_IPE_INT)
      return a.payload == b.payload;
    return asDouble(a) == asDouble(b);
  }
  if (a.kind != b.kind)
    return false;
  switch (a.kind) {
  case RUNE_IPE_BOOL:
    return a.payload == b.payload;
  case RUNE_IPE_STRING:
    if (a.symbol >= 0 || b.symbol >= 0)
      return a.symbol == b.symbol;
    return asString(a) == asString(b);
  case RUNE_IPE_ARRAY:
  case RUNE_IPE_OBJECT: {
    auto *x = reinterpret_cast<const doc::Node *>(a.payload);
    auto *y = reinterpret_cast<const doc::Node *>(b.payload);
    if (!x || !y) // an empty stand-in for a missing collection
      return (x ? x->count : 0) == (y ? y->count : 0) &&
             a.kind == RUNE_IPE_ARRAY;
    return jsonEqual(*x, *y);
  }
  }
  return false;
}

bool jsonEqual(const doc::Node &a, const doc::Node &b) {
  auto isNumber = [](doc::Kind kind) {
    return kind == doc::Kind::Integer || kind == doc::Kind::Float;
  };
  auto number = [](const doc::Node &n) {
    return n.kind == doc::Kind::Integer ? double(n.integer()) : n.number();
  };
  if (isNumber(a.kind) && isNumber(b.kind)) {
    if (a.kind == doc::Kind::Integer && b.kind == doc::Kind::Integer)
      return a.integer() == b.integer();
    return number(a) == number(b);
  }
  if (a.kind != b.kind)
    return false;
  switch (a.kind) {
  case doc::Kind::Null:
    return true;
  case doc::Kind::Bool:
    return a.boolean == b.boolean;
  case doc::Kind::String:
    return a.text() == b.text();
  case doc::Kind::Array:
    if (a.count != b.count)
      return false;
    for (uint32_t i = 0; i < a.count; ++i)
      if (!jsonEqual(a.elements()[i], b.elements()[i]))
        return false;
    return true;
  case doc::Kind::Object:
    if (a.count != b.count)
      return false;
    for (uint32_t i = 0; i < a.count; ++i) {
      const doc::Member &m = a.members()[i];
      const doc::Node *other = b.find(m.key());
      if (!other || !jsonEqual(m.value, *other))
        return false;
    }
    return true;
  default:
    return false;
  }
}

/// Orders two strings: by rank when one enumeration holds both (the first
/// such, built-in risk scale first), bytewise otherwise. Returns <0, 0, >0.
int orderStrings(const Module &module, const Value &a, const Value &b) {
  for (auto [enumA, rankA] : module.enumMemberships(a.symbol))
    for (auto [enumB, rankB] : module.enumMemberships(b.symbol))
      if (enumA == enumB)
        return rankA < rankB ? -1 : rankA > rankB ? 1 : 0;
  int c = asString(a).compare(asString(b));
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

int32_t compare(State &s, const Value &a, const Value &b, uint32_t cond) {
  const ipebc::ConditionInfo &info = s.tables().conditions[cond];
  ConditionKind kind = info.kind;
  if (a.kind == RUNE_IPE_MISSING || b.kind == RUNE_IPE_MISSING)
    return s.fail("'" + std::string(s.str(info.label)) +
                  "': a missing value cannot be compared");
  bool result;
  if (kind == ConditionKind::Eq || kind == ConditionKind::Ne) {
    result = valuesEqual(a, b) == (kind == ConditionKind::Eq);
  } else {
    int order;
    if (isNumber(a) && isNumber(b)) {
      if (a.kind == RUNE_IPE_INT && b.kind == RUNE_IPE_INT) {
        int64_t x = int64_t(a.payload), y = int64_t(b.payload);
        order = x < y ? -1 : x > y ? 1 : 0;
      } else {
        double x = asDouble(a), y = asDouble(b);
        if (std::isnan(x) || std::isnan(y))
          return s.fail("'" + std::string(s.str(info.label)) +
                        "': NaN cannot be ordered");
        order = x < y ? -1 : x > y ? 1 : 0;
      }
    } else if (a.kind == RUNE_IPE_STRING && b.kind == RUNE_IPE_STRING) {
      order = orderStrings(*s.module, a, b);
    } else if (a.kind == RUNE_IPE_BOOL || b.kind == RUNE_IPE_BOOL) {
      return s.fail("'" + std::string(s.str(info.label)) +
                    "': booleans cannot be ordered with '" +
                    operatorSpelling(kind) + "'");
    } else {
      return s.fail("'" + std::string(s.str(info.label)) +
                    "': cannot compare " + std::string(kindName(a.kind)) + " " +
                    render(a) + " with " + std::string(kindName(b.kind)) + " " +
                    render(b) + " using '" + operatorSpelling(kind) + "'");
    }
    switch (kind) {
    case ConditionKind::Lt:
      result = order < 0;
      break;
    case ConditionKind::Le:
      result = order <= 0;
      break;
    case ConditionKind::Gt:
      result = order > 0;
      break;
    default:
      result = order >= 0;
      break;
    }
  }
  // Rendering the operand costs more than the comparison: only for -v.
  if (s.tracing && s.depth == 0)
    s.record(cond, result, a, render(b));
  return result;
}

int32_t inList(State &s, const Value &a, uint32_t cond) {
  const ipebc::ConditionInfo &info = s.tables().conditions[cond];
  if (a.kind == RUNE_IPE_MISSING)
    return s.fail("'" + std::string(s.str(info.label)) +
                  "': a missing value cannot be tested");
  const std::vector<uint32_t> &members = s.tables().lists[info.list];
  const Value *literals = s.module->literalValues();
  auto isMember = [&](const Value &v) {
    for (uint32_t lit : members)
      if (valuesEqual(v, literals[lit]))
        return true;
    return false;
  };
  bool result = false;
  if (a.kind == RUNE_IPE_ARRAY) {
    if (a.payload)
      for (const doc::Node &element :
           elementsOf(*reinterpret_cast<const doc::Node *>(a.payload)))
        if (isMember(valueOf(*s.module, &element))) {
          result = true;
          break;
        }
  } else {
    result = isMember(a);
  }
  if (s.tracing && s.depth == 0) {
    std::string list = "[";
    for (size_t i = 0; i < members.size(); ++i)
      list += (i ? ", " : "") + render(literals[members[i]]);
    s.record(cond, result, a, list + "]");
  }
  return result;
}

int32_t truth(State &s, const Value &a, uint32_t cond) {
  const ipebc::ConditionInfo &info = s.tables().conditions[cond];
  if (a.kind != RUNE_IPE_BOOL)
    return s.fail("'" + std::string(s.str(info.label)) + "' is " +
                  (a.kind == RUNE_IPE_MISSING
                       ? std::string("missing")
                       : std::string(kindName(a.kind)) + " " + render(a)) +
                  ", not a boolean");
  s.record(cond, a.payload != 0, a, "");
  return a.payload != 0;
}

int32_t getField(State &s, Value &dst, const Value &object, uint32_t key,
                 uint32_t display) {
  if (object.kind != RUNE_IPE_OBJECT)
    return s.fail(
        "cannot read '" + std::string(s.str(display)) +
        "': " + "the value is " + std::string(kindName(object.kind)) +
        (object.kind == RUNE_IPE_MISSING ? "" : " " + render(object)) +
        ", not an object");
  const doc::Node *node =
      reinterpret_cast<const doc::Node *>(object.payload)->find(s.str(key));
  dst = valueOf(*s.module, node);
  if (dst.kind == RUNE_IPE_MISSING)
    return s.fail("missing field '" + std::string(s.str(display)) + "'");
  return 0;
}

/// elementField's rare cases, out of line so that its common path needs
/// no stack frame for building messages: an element that is no object
/// (getField's error), and a field that is missing.
[[gnu::noinline, gnu::cold]] int32_t elementFieldOfNonObject(State &s,
                                                             Value *row,
                                                             uint32_t column,
                                                             uint32_t display) {
  return getField(s, row[1 + column], row[0], s.module->elementKeys()[column],
                  display);
}
[[gnu::noinline, gnu::cold]] int32_t missingElementField(State &s,
                                                         uint32_t display) {
  return s.fail("missing field '" + std::string(s.str(display)) + "'");
}

/// Resolves cell `column` of an element row: the element's field of the
/// column's key, interned, written into the cell; the same value and
/// errors as getField on the element. The member is looked for first where
/// the previous element had it (keys are unique: the JSON parser rejects
/// duplicates, so the hint finds the same member a search would).
int32_t elementField(State &s, Value *row, uint32_t column, uint32_t display) {
  const Value &element = row[0];
  if (element.kind != RUNE_IPE_OBJECT)
    return elementFieldOfNonObject(s, row, column, display);
  const auto &object = *reinterpret_cast<const doc::Node *>(element.payload);
  const doc::Member *begin = object.members(), *end = begin + object.count;
  std::string_view key = s.columnKeys[column];
  uint32_t &hint = s.columnHints[column];
  const doc::Node *node = nullptr;
  if (hint < object.count && sameText(begin[hint].key(), key)) {
    node = &begin[hint].value;
  } else {
    for (const doc::Member *member = begin; member != end; ++member)
      if (sameText(member->key(), key)) {
        hint = uint32_t(member - begin);
        node = &member->value;
        break;
      }
  }
  Value &cell = row[1 + column];
  if (node && node->kind == doc::Kind::String) {
    // The usual field, without valueOf's dispatch.
    std::string_view string = node->text();
    Value text{};
    text.kind = RUNE_IPE_STRING;
    text.symbol = s.module->symbolOf(string);
    text.length = string.size();
    text.payload = reinterpret_cast<uint64_t>(string.data());
    cell = text;
    return 0;
  }
  cell = valueOf(*s.module, node);
  if (cell.kind == RUNE_IPE_MISSING)
    return missingElementField(s, display);
  return 0;
}

int32_t runCode(State &s, uint32_t entry, Value *regs);

int32_t callFilter(State &s, uint32_t filter, const Value &element) {
  uint32_t entry = s.tables().filters[filter].policyEntry;
  ++s.depth;
  Value *regs = s.registers(s.depth);
  regs[0] = element;
  int32_t result = s.module->isNative()
                       ? s.module->nativeFunctions()[entry](&s.frame, regs)
                       : runCode(s, entry, regs);
  --s.depth;
  return result;
}

int32_t aggregate(State &s, Value &dst, const Value &array, uint32_t filter,
                  uint32_t mode) {
  static const char *const names[] = {"count", "any", "all"};
  if (array.kind != RUNE_IPE_ARRAY)
    return s.fail(std::string("'.") + names[mode] +
                  "' applies to an array, not to " +
                  std::string(kindName(array.kind)) + " " + render(array));
  auto aggregateMode = static_cast<ipebc::AggregateMode>(mode);
  int64_t passed = 0;
  bool decided = false;
  if (array.payload) {
    for (const doc::Node &node :
         elementsOf(*reinterpret_cast<const doc::Node *>(array.payload))) {
      int32_t pass = 1;
      if (filter != ipebc::kNoIndex) {
        pass = callFilter(s, filter, valueOf(*s.module, &node));
        if (pass < 0)
          return -1;
      }
      passed += pass;
      if ((aggregateMode == ipebc::AggregateMode::Any && pass) ||
          (aggregateMode == ipebc::AggregateMode::All && !pass)) {
        decided = true;
        break;
      }
    }
  }
  dst = Value{};
  switch (aggregateMode) {
  case ipebc::AggregateMode::Count:
    dst.kind = RUNE_IPE_INT;
    dst.payload = uint64_t(passed);
    break;
  case ipebc::AggregateMode::Any:
    dst.kind = RUNE_IPE_BOOL;
    dst.payload = decided;
    break;
  case ipebc::AggregateMode::All:
    dst.kind = RUNE_IPE_BOOL;
    dst.payload = !decided;
    break;
  }
  return 0;
}

int32_t missing(State &s, uint32_t slot) {
  return s.fail("missing field '" +
                std::string(s.str(s.tables().slots[slot].display)) + "'");
}

/// Interprets one Policies entry (verified bytecode: operands are in
/// range, jumps land on instructions, code ends in a return).
int32_t runCode(State &s, uint32_t entry, Value *regs) {
  using bc::loadI32;
  using bc::loadU16;
  using bc::loadU32;
  const uint8_t *code = s.module->bytecode().policyCode(entry);
  const Value *slots = s.frame.slots;
  const Value *literals = s.frame.literals;
  uint32_t pc = 0;
  auto reg = [&](uint32_t at) -> Value & { return regs[loadU16(code + at)]; };
  auto setBool = [](Value &v, bool b) {
    v = Value{};
    v.kind = RUNE_IPE_BOOL;
    v.payload = b;
  };
  for (;;) {
    switch (static_cast<bc::Opcode>(code[pc])) {
    case bc::Opcode::IpeLoadSlot: {
      uint32_t slot = loadU32(code + pc + 3);
      if (slots[slot].kind == RUNE_IPE_MISSING)
        return missing(s, slot);
      reg(pc + 1) = slots[slot];
      pc += 7;
      break;
    }
    case bc::Opcode::IpeLoadCollection: {
      const Value &v = slots[loadU32(code + pc + 3)];
      Value &dst = reg(pc + 1);
      if (v.kind == RUNE_IPE_MISSING) {
        dst = Value{};
        dst.kind = RUNE_IPE_ARRAY; // a missing collection is empty
      } else {
        dst = v;
      }
      pc += 7;
      break;
    }
    case bc::Opcode::IpeLoadLiteral:
      reg(pc + 1) = literals[loadU32(code + pc + 3)];
      pc += 7;
      break;
    case bc::Opcode::IpeGetField: {
      Value result;
      if (getField(s, result, reg(pc + 3), loadU32(code + pc + 5),
                   loadU32(code + pc + 9)) < 0)
        return -1;
      reg(pc + 1) = result;
      pc += 13;
      break;
    }
    case bc::Opcode::IpeCompare: {
      int32_t r = compare(s, reg(pc + 3), reg(pc + 5), loadU32(code + pc + 7));
      if (r < 0)
        return -1;
      setBool(reg(pc + 1), r);
      pc += 11;
      break;
    }
    case bc::Opcode::IpeIn: {
      int32_t r = inList(s, reg(pc + 3), loadU32(code + pc + 5));
      if (r < 0)
        return -1;
      setBool(reg(pc + 1), r);
      pc += 9;
      break;
    }
    case bc::Opcode::IpeTruth: {
      int32_t r = truth(s, reg(pc + 3), loadU32(code + pc + 5));
      if (r < 0)
        return -1;
      setBool(reg(pc + 1), r);
      pc += 9;
      break;
    }
    case bc::Opcode::IpeAggregate: {
      Value result;
      Value array = reg(pc + 3);
      if (aggregate(s, result, array, loadU32(code + pc + 5), code[pc + 9]) < 0)
        return -1;
      reg(pc + 1) = result;
      pc += 10;
      break;
    }
    case bc::Opcode::IpeNot: {
      const Value &v = reg(pc + 3);
      if (v.kind != RUNE_IPE_BOOL)
        return s.fail("'not' applies to a boolean");
      setBool(reg(pc + 1), !v.payload);
      pc += 5;
      break;
    }
    case bc::Opcode::Move:
      reg(pc + 1) = reg(pc + 3);
      pc += 5;
      break;
    case bc::Opcode::IpeReturn:
      return code[pc + 1];
    case bc::Opcode::Return: {
      const Value &v = reg(pc + 1);
      if (v.kind != RUNE_IPE_BOOL)
        return s.fail("a filter must produce a boolean");
      return int32_t(v.payload);
    }
    case bc::Opcode::Jump:
      pc += 5 + loadI32(code + pc + 1);
      break;
    case bc::Opcode::JumpIfFalse:
    case bc::Opcode::JumpIfTrue: {
      const Value &v = reg(pc + 1);
      if (v.kind != RUNE_IPE_BOOL)
        return s.fail("a condition must produce a boolean");
      bool jumpWhen = code[pc] == uint8_t(bc::Opcode::JumpIfTrue);
      pc += 7;
      if (bool(v.payload) == jumpWhen)
        pc += loadI32(code + pc - 4);
      break;
    }
    default:
      // Unreachable for verified code (the verifier admits only the
      // opcodes above in an IPE module).
      return s.fail("invalid instruction");
    }
  }
}

} // namespace

Evaluator::Evaluator(const Module &module)
    : module(module), nativeDecide(module.nativeDecide()),
      state(std::make_unique<State>()) {
  state->module = &module;
  state->frame.literals = module.literalValues();
  // Sized once: every decision of this module needs the same room.
  topRegisters = state->registers(0);
  if (module.isNative())
    state->prepareRows();
  if (module.nativeDecide())
    applicableEntries.resize(module.policyCount());
}

Evaluator::~Evaluator() = default;

namespace {

// decideNative's rare paths, out of line: inlined, their loops (string
// destructors, copies) made decideNative save every callee-saved register
// and reserve a large frame on every decision.

/// Empties the errors and the trace a previous decision left.
[[gnu::noinline, gnu::cold]] void clearMessages(Decision &out) {
  out.errors.clear();
  out.trace.clear();
}

/// The compiled decision does not keep messages (an error is rare and
/// evaluation deterministic): each erroring policy of `out` runs again, in
/// policy order, to record its message.
[[gnu::noinline, gnu::cold]] void recordNativeErrors(State &s,
                                                     const Module &module,
                                                     Value *registers,
                                                     Decision &out) {
  for (const PolicyResult &result : out.applicable) {
    if (result.outcome != Outcome::Error)
      continue;
    s.error.clear();
    s.depth = 0;
    s.tracing = false;
    module.nativeFunctions()[result.policy](&s.frame, registers);
    out.errors.push_back(s.error);
  }
}

} // namespace

void Evaluator::decideNative(const Request &request, Decision &out) {
  State &s = *state;
  s.beginDecision();
  s.frame.slots = request.slots();
  if (!out.errors.empty() || !out.trace.empty())
    clearMessages(out);
  uint32_t evaluated = 0;
  uint32_t *entries = applicableEntries.data();
  uint32_t count = nativeDecide(&s.frame, topRegisters, entries, &evaluated);
  out.candidateCount = evaluated;
  // Entries come in index order; the results go in policy order. Usually
  // zero to three entries: each is appended (the decision keeps its
  // capacity from one decision to the next) and moved down into place,
  // and its outcome gathered as one bit.
  out.applicable.clear();
  uint32_t outcomes = 0;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t entry = entries[i];
    outcomes |= 1u << (entry & 3);
    out.applicable.push_back(
        PolicyResult{entry >> 2, static_cast<Outcome>(entry & 3)});
    PolicyResult *results = out.applicable.data();
    for (uint32_t j = i; j > 0 && results[j - 1].policy > results[j].policy;
         --j)
      std::swap(results[j - 1], results[j]);
  }
  // Entries hold no NotApplicable outcome: allowed when some policy
  // allowed and none denied or failed, i.e. Allow is the only outcome seen
  // (no entries: denied by default).
  constexpr uint32_t kAllowBit = 1u << unsigned(Outcome::Allow);
  constexpr uint32_t kErrorBit = 1u << unsigned(Outcome::Error);
  out.allow = outcomes == kAllowBit;
  if (outcomes & kErrorBit)
    recordNativeErrors(s, module, topRegisters, out);
}

std::string_view Decision::message(size_t index) const {
  if (applicable[index].outcome != Outcome::Error)
    return {};
  size_t rank = 0;
  for (size_t i = 0; i < index; ++i)
    rank += applicable[i].outcome == Outcome::Error;
  return errors[rank];
}

void Evaluator::decideGeneric(const Request &request, Decision &out,
                              bool explain) {
  out.allow = false;
  out.applicable.clear();
  out.errors.clear();
  out.trace.clear();
  state->beginDecision();
  State &s = *state;
  s.frame.slots = request.slots();
  candidateList.clear();
  module.candidates(request.slots(), candidateList, stamps, generation);
  std::sort(candidateList.begin(), candidateList.end());
  out.candidateCount = candidateList.size();
  bool anyAllow = false, anyDeny = false;
  Value *regs = topRegisters;
  for (uint32_t policy : candidateList) {
    s.error.clear();
    s.depth = 0;
    s.tracing = false;
    int32_t result = module.isNative()
                         ? module.nativeFunctions()[policy](&s.frame, regs)
                         : runCode(s, policy, regs);
    Outcome outcome = result < 0    ? Outcome::Error
                      : result == 1 ? Outcome::Allow
                      : result == 2 ? Outcome::Deny
                                    : Outcome::NotApplicable;
    if (outcome == Outcome::NotApplicable)
      continue;
    anyAllow |= outcome == Outcome::Allow;
    anyDeny |= outcome == Outcome::Deny || outcome == Outcome::Error;
    out.applicable.push_back({policy, outcome});
    if (outcome == Outcome::Error)
      out.errors.push_back(s.error);
    if (explain) {
      // The explanation comes from the bytecode (the same semantics): the
      // native functions do not record conditions.
      s.error.clear();
      s.tracing = true;
      s.policy = policy;
      s.trace = &out.trace;
      runCode(s, policy, regs);
      s.tracing = false;
    }
  }
  out.allow = anyAllow && !anyDeny;
}

} // namespace rune::ipert

// The helpers natively compiled IPE policies call (rune_ipe_native.h).
using rune::ipert::Value;

extern "C" {

int32_t rune_ipe_rt_missing(rune_ipe_frame *frame, uint32_t slot) {
  return rune::ipert::missing(rune::ipert::stateOf(frame), slot);
}

int32_t rune_ipe_rt_load_collection(rune_ipe_frame *frame, Value *dst,
                                    uint32_t slot) {
  const Value &v = frame->slots[slot];
  if (v.kind == RUNE_IPE_MISSING) {
    *dst = Value{};
    dst->kind = RUNE_IPE_ARRAY;
  } else {
    *dst = v;
  }
  return 0;
}

int32_t rune_ipe_rt_get_field(rune_ipe_frame *frame, Value *dst,
                              const Value *object, uint32_t key,
                              uint32_t display) {
  return rune::ipert::getField(rune::ipert::stateOf(frame), *dst, *object, key,
                               display);
}

Value *rune_ipe_rt_element_rows(rune_ipe_frame *frame, uint32_t slot) {
  return rune::ipert::stateOf(frame).elementRows(slot);
}

int32_t rune_ipe_rt_element_field(rune_ipe_frame *frame, Value *row,
                                  uint32_t column, uint32_t display) {
  return rune::ipert::elementField(rune::ipert::stateOf(frame), row, column,
                                   display);
}

int32_t rune_ipe_rt_compare(rune_ipe_frame *frame, const Value *a,
                            const Value *b, uint32_t condition) {
  return rune::ipert::compare(rune::ipert::stateOf(frame), *a, *b, condition);
}

int32_t rune_ipe_rt_in(rune_ipe_frame *frame, const Value *a,
                       uint32_t condition) {
  return rune::ipert::inList(rune::ipert::stateOf(frame), *a, condition);
}

int32_t rune_ipe_rt_truth(rune_ipe_frame *frame, const Value *a,
                          uint32_t condition) {
  return rune::ipert::truth(rune::ipert::stateOf(frame), *a, condition);
}

int32_t rune_ipe_rt_aggregate(rune_ipe_frame *frame, Value *dst,
                              const Value *array, uint32_t filter,
                              uint32_t mode) {
  Value copy = *array;
  return rune::ipert::aggregate(rune::ipert::stateOf(frame), *dst, copy, filter,
                                mode);
}

} // extern "C"
