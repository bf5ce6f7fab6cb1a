//===- Relation.h - A set of Datalog tuples with its indexes ----*- C++ -*-===//
//
// A Relation is a set of fixed-arity tuples (duplicates are eliminated on
// insert) kept in one or more indexes. Each index is a B+-tree over whole
// tuples sorted in one column order; index 0 is the primary index, the
// others exist so a prefix of another column order can be looked up (a join
// binding column 1 of `edge(x, y)` wants an index ordered (1, 0)).
//
// Storage: when every column is a 32-bit Soufflé type (number, unsigned,
// float, symbol) the tuples are packed as uint32 elements, otherwise (any
// `any` column) as uint64. Order inside an index is the unsigned order of
// the stored elements -- indexes serve equality prefix lookups and dedupe,
// not typed range queries (compareValues() in Word.h gives typed order).
//
// Arity 0 is allowed: a nullary relation holds (size 1) or not (size 0); a
// scan of a holding nullary relation yields one empty tuple.
//
// Concurrency: every const member function only reads, so one Relation may
// be read by any number of threads as long as nobody mutates it. Versions
// are built by copying (or by building a fresh relation) and publishing the
// new one as an immutable std::shared_ptr<const Relation> (Database.h).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_DATALOG_RELATION_H
#define RUNE_RUNTIME_DATALOG_RELATION_H

#include "rune/Runtime/Datalog/BTree.h"
#include "rune/Runtime/Datalog/Word.h"

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace rune::datalog {

/// A column order: the columns an index sorts by, most significant first.
using IndexOrder = std::vector<unsigned>;

class Relation {
  struct IndexInfo {
    IndexOrder order;                     // complete permutation of the columns
    std::vector<ColumnType> typesInOrder; // columnTypes[order[i]]
  };

public:
  /// A relation with the given column types and indexes. Each order lists
  /// distinct columns < arity; an order naming only some columns is
  /// completed with the remaining columns in ascending order, so every
  /// index holds whole tuples (lookup() then accepts a prefix of the
  /// completed order). No orders means one index in column order (0, 1,
  /// ...). Invalid orders (a column twice or out of range) throw
  /// std::invalid_argument.
  explicit Relation(std::vector<ColumnType> columnTypes,
                    std::vector<IndexOrder> indexOrders = {});
  /// Deep copy: the same schema and tuples; the copy is built in sorted
  /// order so its leaves are full (a compact copy).
  Relation(const Relation &other);
  Relation &operator=(const Relation &other);
  Relation(Relation &&other) noexcept;
  Relation &operator=(Relation &&other) noexcept;
  ~Relation();

  /// An empty relation with this one's column types and index orders (the
  /// delta and new relations of semi-naive evaluation).
  Relation emptyCopy() const;

  unsigned arity() const { return static_cast<unsigned>(types.size()); }
  const std::vector<ColumnType> &columnTypes() const { return types; }
  unsigned indexCount() const { return static_cast<unsigned>(indexes.size()); }
  /// The completed column order of index `indexNo`.
  const IndexOrder &indexOrder(unsigned indexNo) const {
    return indexes[indexNo].order;
  }
  /// True when tuples are stored as uint32 elements.
  bool isPacked() const { return packed; }

  /// Inserts `tuple` (arity() Words in column order; may be null when the
  /// arity is 0). Returns true when it was not in the relation before.
  /// Consecutive inserts of nearby or ascending tuples take a fast path
  /// (the leaf of the last insert is tried first; a full leaf receiving a
  /// tuple at its end is not split in half, so sorted input fills leaves).
  bool insert(const Word *tuple);
  /// Inserts every tuple of `other`, which must have the same column types
  /// (its indexes may differ). Returns the number of new tuples.
  size_t insertAll(const Relation &other);
  /// insertAll() that also inserts each tuple that was new here into
  /// `added` (same column types): semi-naive evaluation's "delta = new -
  /// full; full += new" as one ordered pass over `other`, instead of a
  /// random-order contains() probe of the full relation per derived tuple.
  size_t insertAll(const Relation &other, Relation &added);
  bool contains(const Word *tuple) const;
  size_t size() const { return arity() == 0 ? (nullaryHolds ? 1 : 0) : count; }
  bool empty() const { return size() == 0; }
  /// Removes every tuple (and frees the nodes); the schema stays.
  void clear();
  /// Exchanges contents AND schemas with `other` in O(1).
  void swap(Relation &other) noexcept;

  /// Bytes of tuple storage: every node of every index plus this object.
  size_t memoryBytes() const;

  /// Where the previous lookup of one index ended. A run of lookups whose
  /// prefixes ascend or repeat (an outer loop over a sorted relation, a
  /// semi-naive join) then starts at that leaf or the next instead of
  /// descending from the root. Caller-owned and cheap: keep one per
  /// (thread, relation, index) in the evaluation state; never share one
  /// between threads. A hint is always safe: when the relation was cleared,
  /// swapped, assigned or replaced since, it is detected as stale and the
  /// lookup starts from the root.
  class LookupHint {
  public:
    LookupHint() = default;

  private:
    friend class Relation;
    uint64_t epoch = 0; // TupleBTree::epoch() the leaf belongs to
    const detail::BTreeNode *leaf = nullptr;
  };

  /// Iterates the tuples of one index whose leading elements equal a prefix,
  /// in index order, yielding each tuple in ORIGINAL column order:
  ///
  ///   Word key[1] = {encodeNumber(3)};
  ///   for (auto c = edges.lookup(1, key, 1); c.valid(); c.next())
  ///     use(c.tuple()[0], c.tuple()[1]);
  ///
  /// A cursor reads the relation without locking; it is invalidated by any
  /// mutation of the relation (insert, clear, swap, assignment, move).
  class Cursor {
  public:
    Cursor(Cursor &&other) noexcept = default;
    Cursor &operator=(Cursor &&other) noexcept = default;
    Cursor(const Cursor &) = delete;
    Cursor &operator=(const Cursor &) = delete;

    /// True while the cursor is on a matching tuple.
    bool valid() const { return leaf != nullptr || nullaryPending; }
    /// Moves to the next matching tuple (or becomes invalid).
    void next() {
      if (nullaryPending) {
        nullaryPending = false;
        return;
      }
      if (++position == leaf->count) {
        leaf = leaf->next;
        position = 0;
        if (!leaf)
          return;
      }
      load();
    }
    /// The current tuple, arity Words in the relation's column order. Valid
    /// until next() or the cursor's destruction.
    const Word *tuple() const { return buffer(); }
    Word operator[](unsigned column) const { return buffer()[column]; }

  private:
    friend class Relation;
    static constexpr unsigned kInlineWords = 32;
    Cursor(const Relation &relation, unsigned indexNo, const Word *prefix,
           unsigned prefixLength, LookupHint *hint);
    void start(const Relation &relation, unsigned indexNo, const Word *prefix,
               LookupHint *hint);
    Word *buffer() { return heapWords ? heapWords.get() : inlineWords; }
    const Word *buffer() const {
      return heapWords ? heapWords.get() : inlineWords;
    }
    /// Decodes the key at (leaf, position) into the tuple buffer; leaves
    /// the cursor invalid when it no longer starts with the prefix.
    void load() {
      if (packed)
        loadKey(detail::TupleBTree<uint32_t>::keysOf(leaf));
      else
        loadKey(detail::TupleBTree<uint64_t>::keysOf(leaf));
    }
    template <typename E> void loadKey(const E *keys) {
      const E *key = keys + size_t(position) * arity;
      Word *tupleWords = buffer();
      const Word *prefixWords = tupleWords + arity;
      for (unsigned p = 0; p < prefixLength; ++p) {
        if (key[p] != static_cast<E>(prefixWords[p])) {
          leaf = nullptr;
          return;
        }
      }
      const unsigned *order = index->order.data();
      if constexpr (sizeof(E) == sizeof(uint32_t)) {
        const ColumnType *typesInOrder = index->typesInOrder.data();
        for (unsigned p = 0; p < arity; ++p)
          tupleWords[order[p]] = unpackWord(typesInOrder[p], key[p]);
      } else {
        for (unsigned p = 0; p < arity; ++p)
          tupleWords[order[p]] = key[p];
      }
    }

    const detail::BTreeNode *leaf = nullptr;
    unsigned position = 0;
    unsigned arity = 0;
    unsigned prefixLength = 0;
    bool packed = false;
    bool nullaryPending = false;
    const IndexInfo *index = nullptr;
    // The tuple (arity Words) followed by the prefix in index order.
    Word inlineWords[kInlineWords];
    std::unique_ptr<Word[]> heapWords;
  };

  /// Tuples of index `indexNo` whose first `prefixLength` elements in that
  /// index's order equal `prefix[0..prefixLength)` (Words, in index order).
  /// prefixLength 0 scans the whole index.
  Cursor lookup(unsigned indexNo, const Word *prefix,
                unsigned prefixLength) const {
    assert(indexNo < indexCount() && prefixLength <= arity());
    return Cursor(*this, indexNo, prefix, prefixLength, nullptr);
  }
  /// lookup() that starts where `hint` says and updates it.
  Cursor lookup(unsigned indexNo, const Word *prefix, unsigned prefixLength,
                LookupHint &hint) const {
    assert(indexNo < indexCount() && prefixLength <= arity());
    return Cursor(*this, indexNo, prefix, prefixLength, &hint);
  }
  /// contains() through index `indexNo` with a hint (any index holds every
  /// tuple, so the one whose hint is warm can answer).
  bool contains(const Word *tuple, unsigned indexNo, LookupHint &hint) const;
  /// Every tuple, in the order of index `indexNo`.
  Cursor scan(unsigned indexNo = 0) const {
    return lookup(indexNo, nullptr, 0);
  }
  /// True when some tuple matches the prefix (an existence check).
  bool containsPrefix(unsigned indexNo, const Word *prefix,
                      unsigned prefixLength) const {
    return lookup(indexNo, prefix, prefixLength).valid();
  }

  /// Calls `f(const Word *tuple)` for every match of a prefix lookup.
  template <typename F>
  void forEach(unsigned indexNo, const Word *prefix, unsigned prefixLength,
               F &&f) const {
    for (Cursor c = lookup(indexNo, prefix, prefixLength); c.valid(); c.next())
      f(c.tuple());
  }

private:
  template <typename E> bool insertInto(const Word *tuple);
  template <typename E> bool containsIn(const Word *tuple) const;
  template <typename E> size_t mergeFrom(const Relation &other);
  void copyFrom(const Relation &other);
  void buildIndexes(std::vector<IndexOrder> indexOrders);

  std::vector<ColumnType> types;
  std::vector<IndexInfo> indexes;
  bool packed = true;
  bool nullaryHolds = false;
  size_t count = 0;
  // One tree per index; only the vector matching `packed` is used.
  std::vector<detail::TupleBTree<uint32_t>> narrowTrees;
  std::vector<detail::TupleBTree<uint64_t>> wideTrees;
};

inline void swap(Relation &a, Relation &b) noexcept { a.swap(b); }

} // namespace rune::datalog

#endif // RUNE_RUNTIME_DATALOG_RELATION_H
