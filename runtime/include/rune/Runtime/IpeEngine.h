//===- IpeEngine.h - Loading and running IPE modules ------------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The runtime side of IPE policies (docs/ipe.md): a loaded module (verified
// bytecode plus, for a native module, its policy functions), a request
// parsed once and resolved into the module's slots, and the decision: the
// trigger index picks the candidate policies, each candidate is evaluated
// to NotApplicable / Allow / Deny / Error, and the outcomes are combined
// fail-closed.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_IPEENGINE_H
#define RUNE_RUNTIME_IPEENGINE_H

#include "rune/Runtime/BytecodeReader.h"
#include "rune/rune_ipe_native.h"
#include "rune/rune_native.h"

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rune::ipert {

using Value = rune_ipe_value;

namespace doc {
struct Node;
class Reader;
} // namespace doc

enum class Outcome : uint8_t { NotApplicable, Allow, Deny, Error };
std::string_view outcomeName(Outcome outcome);

class Module {
public:
  /// Reads and verifies `size` bytes; fails unless they hold an IPE module.
  static std::unique_ptr<Module> load(const uint8_t *data, size_t size,
                                      std::string &error);
  /// Verifies the embedded bytecode of a native IPE module and binds its
  /// functions.
  static std::unique_ptr<Module> loadNative(const rune_native_module *native,
                                            std::string &error);

  const bc::Module &bytecode() const { return image; }
  const ipebc::Sections &tables() const { return *image.ipe; }
  size_t policyCount() const { return tables().policies.size(); }
  std::string_view policyName(size_t index) const {
    return image.policyId(index);
  }
  std::string_view string(uint32_t index) const { return image.strings[index]; }
  /// The symbol of `text`: the index of the equal module string, or -1.
  int32_t symbolOf(std::string_view text) const;
  const Value *literalValues() const { return literals.data(); }
  const rune_ipe_policy_fn *nativeFunctions() const { return nativeFns; }
  bool isNative() const { return nativeFns != nullptr; }
  /// The native module's compiled decision (descriptor layout 2), or null.
  rune_ipe_decide_fn nativeDecide() const { return nativeDecideFn; }
  uint16_t maxRegisterCount() const { return maxRegisters; }
  /// The columns of the element rows (appendElementRows).
  const std::vector<uint32_t> &elementKeys() const { return rowKeys; }
  /// The slots aggregates read as collections.
  const std::vector<uint32_t> &collectionSlotList() const { return rowSlots; }

  /// For ordering strings: the enumeration memberships of a symbol, as
  /// (enum index, rank) pairs.
  const std::vector<std::pair<uint32_t, uint32_t>> &
  enumMemberships(int32_t symbol) const;

  /// Appends to `out` (unsorted, without duplicates) the policies the
  /// trigger index says a request with these slots can trigger.
  void candidates(const Value *slots, std::vector<uint32_t> &out,
                  std::vector<uint32_t> &stamps, uint32_t &generation) const;

  /// The JSON reader Request::parse keeps from one request to the next
  /// (its buffers), or a new one when another thread has it: one is kept,
  /// without a lock.
  std::unique_ptr<doc::Reader> lendReader() const;
  /// Keeps `reader` for the next request, unless one is kept already or it
  /// grew past kKeptReaderBytes (a rare large request).
  void returnReader(std::unique_ptr<doc::Reader> reader) const;
  static constexpr size_t kKeptReaderBytes = size_t(1) << 20;

  ~Module();

private:
  Module() = default;
  bool prepare(std::string &error);

  /// One component of an index key: a string by its symbol, an integer,
  /// or a boolean (kind is the RUNE_IPE_* kind).
  struct KeyPart {
    uint32_t kind;
    int64_t value;
    bool operator==(const KeyPart &) const = default;
  };
  /// The keys of one group of policies (those whose triggers test the same
  /// paths) in a flat open-addressing table: a request probes every group,
  /// so a probe must cost a few cache lines however large the set is.
  struct GroupIndex {
    std::vector<uint32_t> slots;
    /// Power-of-two sized, at most half full; an entry holds a key's hash
    /// and its position + 1 (0 = empty slot).
    struct Entry {
      uint64_t hash = 0;
      uint32_t position = 0;
    };
    std::vector<Entry> table;
    /// Key i is keyParts[i * slots.size(), (i + 1) * slots.size()).
    std::vector<KeyPart> keyParts;
    std::vector<const std::vector<uint32_t> *> postings;
    const std::vector<uint32_t> *policies = nullptr;

    /// The position of `key` (slots.size() parts), or -1.
    int64_t find(const KeyPart *key, uint64_t hash) const;
    /// Adds key number `position`; false if it is there already.
    bool insert(uint32_t position, uint64_t hash);
  };
  static uint64_t hashKey(const KeyPart *key, size_t width);

  /// The module's strings by text, in a flat open-addressing table: every
  /// string a request holds, aggregate elements' fields included, is
  /// interned through it during a decision. Power-of-two sized, at most
  /// half full; symbol -1 marks an empty entry.
  struct SymbolEntry {
    uint32_t hash = 0;
    int32_t symbol = -1;
  };
  static uint32_t hashText(std::string_view text);

  bc::Module image;
  std::vector<SymbolEntry> symbolTable;
  std::vector<Value> literals;
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> memberships;
  std::vector<GroupIndex> groups;
  const rune_ipe_policy_fn *nativeFns = nullptr;
  rune_ipe_decide_fn nativeDecideFn = nullptr;
  uint16_t maxRegisters = 1;
  std::vector<uint32_t> rowKeys, rowSlots;
  mutable std::atomic<doc::Reader *> keptReader{nullptr};
};

/// What the element rows of a request hold, derived from the bytecode alone
/// (the .rbc format stays as it is) so that the runtime and the native
/// lowering agree on it:
///   - the keys (string indices) every aggregate filter reads with
///     IpeGetField, sorted, without duplicates: the columns of a row;
///   - the slots read as collections (IpeLoadCollection), sorted, unique.
std::vector<uint32_t> elementFieldKeys(const bc::Module &image);
std::vector<uint32_t> collectionSlots(const bc::Module &image);

/// A request: its slots and the JSON document they point into, parsed once.
///
/// The slots follow the object in the same allocation, and the document
/// (IpeDocument.h) follows the slots: a decision's first reads are the
/// slots, reaching them costs no pointer to load, and what they point to is
/// in the same block (on a stream of requests no longer in the cache, fewer
/// cache misses on the way to every decision).
class Request {
public:
  static std::unique_ptr<Request>
  parse(const Module &module, std::string_view json, std::string &error);
  const Value *slots() const {
    return reinterpret_cast<const Value *>(this + 1);
  }
  /// The document's root, an object.
  const doc::Node *root() const {
    return reinterpret_cast<const doc::Node *>(slots() + slotCount);
  }
  /// Asks the processor for the start of the request, its slots first:
  /// what a decision reads before anything else. A stream of requests
  /// parsed earlier is mostly out of the cache, and a native decision
  /// takes little longer than fetching one (Evaluator::decideEach).
  void prefetch() const {
    const char *begin = reinterpret_cast<const char *>(this);
    size_t bytes = sizeof(Request) + size_t(slotCount) * sizeof(Value);
    if (bytes > kPrefetchBytes)
      bytes = kPrefetchBytes;
    for (size_t offset = 0; offset < bytes; offset += 64)
      __builtin_prefetch(begin + offset);
  }
  /// At most this much of a request is prefetched: more lines cost more
  /// than they save (measured on the generated streams, docs/performance.md).
  static constexpr size_t kPrefetchBytes = 512;

  Request(const Request &) = delete;
  Request &operator=(const Request &) = delete;
  /// Frees the object with its slots (allocated together by parse).
  static void operator delete(void *memory) { ::operator delete(memory); }

private:
  explicit Request(uint32_t slotCount) : slotCount(slotCount) {}
  Value *mutableSlots() { return reinterpret_cast<Value *>(this + 1); }
  uint32_t slotCount;
  uint32_t reserved = 0;
};
static_assert(sizeof(Request) % alignof(Value) == 0,
              "the slots follow a Request in memory");

/// Compiled aggregate loops read element fields from element rows: appends
/// to `rows`, per element of `array`, the element, then one cell per key of
/// Module::elementKeys(), missing until compiled code reads it: it then
/// resolves the field through rune_ipe_rt_element_field into the cell (or
/// fails when the element has none), so a field is searched and interned
/// at most once per decision however many filters read it. False when
/// `array` is not an array. The evaluator builds a slot's rows on the first
/// aggregate over it in a decision (rune_ipe_rt_element_rows), so their
/// cost is part of the decision's.
bool appendElementRows(const Module &module, const Value &array,
                       std::vector<Value> &rows);
/// The evaluator's form of appendElementRows: writes the rows of `array`
/// over the start of `buffer`, which it grows when too small and never
/// shrinks (a decision reuses the buffer of the one before: no allocation,
/// no clearing), and returns the first row; null when `array` is not an
/// array, a valid pointer to no rows when it is empty.
Value *buildElementRows(const Module &module, const Value &array,
                        std::vector<Value> &buffer);

/// One evaluated condition, recorded when a decision is explained.
struct TraceEvent {
  uint32_t policy;
  uint32_t condition;
  bool result;
  std::string a, b; // the operands, rendered
};

/// Plain data: a decision writes one per applicable policy, and nothing
/// of it needs building or freeing (names and reasons are the module's,
/// looked up by whoever prints them).
struct PolicyResult {
  uint32_t policy;
  Outcome outcome;
};

struct Decision {
  bool allow = false;
  /// Every evaluated policy that applied (not NotApplicable), module order.
  std::vector<PolicyResult> applicable;
  /// What went wrong, one per applicable policy with outcome Error, in the
  /// same order: errors are rare, so they are kept apart.
  std::vector<std::string> errors;
  /// The error message of applicable[index], or "" when it did not fail.
  std::string_view message(size_t index) const;
  /// Filled when explaining: the conditions evaluated at the top level of
  /// each policy (not inside aggregate filters), in evaluation order.
  std::vector<TraceEvent> trace;
  /// Policies the index selected (for statistics and tests).
  size_t candidateCount = 0;
};

/// Reusable per-thread scratch space for decisions.
class Evaluator {
public:
  explicit Evaluator(const Module &module);
  ~Evaluator();
  /// Decides `request`. With `explain`, also records the trace (through the
  /// bytecode, whichever backend decides).
  void decide(const Request &request, Decision &out, bool explain = false) {
    // Inline: the native path is a few dozen instructions, and the generic
    // one's register saves would cost it a fifth more.
    if (!explain && nativeDecide)
      return decideNative(request, out);
    decideGeneric(request, out, explain);
  }

  /// Decides requests requestAt(0) .. requestAt(count - 1) in turn into
  /// `out`, calling `use(i, out)` after each: for streams of requests
  /// parsed earlier (a log replayed against a new policy set, a batch).
  /// Each request is prefetched kPrefetchDistance decisions ahead, so that
  /// fetching it overlaps the decisions before it.
  template <typename RequestAt, typename Use>
  void decideEach(size_t count, RequestAt &&requestAt, Decision &out,
                  Use &&use) {
    for (size_t i = 0; i < count; ++i) {
      if (i + kPrefetchDistance < count)
        requestAt(i + kPrefetchDistance).prefetch();
      decide(requestAt(i), out);
      use(i, static_cast<const Decision &>(out));
    }
  }
  static constexpr size_t kPrefetchDistance = 2;

  /// The evaluation state; it starts with the rune_ipe_frame compiled code
  /// sees.
  struct State;

private:
  /// A plain decision through the module's compiled decision function.
  void decideNative(const Request &request, Decision &out);
  /// Any other: the trigger index, then each candidate policy (bytecode or
  /// its native function), explained or not.
  void decideGeneric(const Request &request, Decision &out, bool explain);

  const Module &module;
  /// module.nativeDecide(), kept here: read on every decision.
  rune_ipe_decide_fn nativeDecide;
  std::unique_ptr<State> state;
  /// decideNative: the entries the compiled decision writes, one per policy
  /// (sized when the evaluator is made).
  std::vector<uint32_t> applicableEntries;
  /// The registers of top-level evaluation (State::registers(0)).
  Value *topRegisters = nullptr;
  std::vector<uint32_t> candidateList;
  std::vector<uint32_t> stamps;
  uint32_t generation = 0;
};

/// Renders a value for messages and explanations (strings quoted).
std::string render(const Value &value);

} // namespace rune::ipert

#endif // RUNE_RUNTIME_IPEENGINE_H
