//===- Relation.cpp - A set of Datalog tuples with its indexes ------------===//

#include "rune/Runtime/Datalog/Relation.h"

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <string>

namespace rune::datalog {

uint64_t detail::nextTreeEpoch() {
  static std::atomic<uint64_t> counter{1};
  return counter.fetch_add(1, std::memory_order_relaxed);
}

namespace {

/// Scratch space for one key: on the stack for the usual arities.
template <typename E> class KeyBuffer {
public:
  explicit KeyBuffer(size_t length) {
    if (length > kInline) {
      heap = std::make_unique<E[]>(length);
      pointer = heap.get();
    }
  }
  E *data() { return pointer; }

private:
  static constexpr size_t kInline = 32;
  E storage[kInline];
  std::unique_ptr<E[]> heap;
  E *pointer = storage;
};

/// The key of `tuple` in an index's column order, narrowed for packed
/// relations (canonical Words of 32-bit types keep their value in the low
/// half).
template <typename E>
void packKey(const IndexOrder &order, const Word *tuple, E *key) {
  for (size_t p = 0; p < order.size(); ++p)
    key[p] = static_cast<E>(tuple[order[p]]);
}

} // namespace

Relation::Relation(std::vector<ColumnType> columnTypes,
                   std::vector<IndexOrder> indexOrders)
    : types(std::move(columnTypes)) {
  // The work is out of line so the two constructor symbols GCC emits stay
  // small (the shared runtime has a size budget).
  buildIndexes(std::move(indexOrders));
}

void Relation::buildIndexes(std::vector<IndexOrder> indexOrders) {
  unsigned arity = this->arity();
  packed = std::all_of(types.begin(), types.end(), isThirtyTwoBit);
  if (indexOrders.empty())
    indexOrders.emplace_back();
  for (IndexOrder &requested : indexOrders) {
    std::vector<bool> used(arity, false);
    for (unsigned column : requested) {
      if (column >= arity || used[column])
        throw std::invalid_argument(
            "index order names column " + std::to_string(column) +
            (column >= arity
                 ? " of a relation of arity " + std::to_string(arity)
                 : std::string(" twice")));
      used[column] = true;
    }
    IndexInfo info;
    info.order = requested;
    for (unsigned column = 0; column < arity; ++column)
      if (!used[column])
        info.order.push_back(column);
    for (unsigned column : info.order)
      info.typesInOrder.push_back(types[column]);
    indexes.push_back(std::move(info));
    if (arity == 0)
      continue;
    if (packed)
      narrowTrees.emplace_back(arity);
    else
      wideTrees.emplace_back(arity);
  }
}

Relation::Relation(const Relation &other) { copyFrom(other); }

Relation &Relation::operator=(const Relation &other) {
  if (this != &other) {
    Relation copy(other);
    swap(copy);
  }
  return *this;
}

Relation::Relation(Relation &&other) noexcept = default;
Relation &Relation::operator=(Relation &&other) noexcept = default;
Relation::~Relation() = default;

void Relation::copyFrom(const Relation &other) {
  types = other.types;
  indexes = other.indexes;
  packed = other.packed;
  nullaryHolds = other.nullaryHolds;
  count = other.count;
  // Walking each source index in order and inserting into an empty tree
  // takes the append path every time: the copy's leaves come out full.
  auto copyTrees = [](auto &into, const auto &from) {
    using Tree = typename std::decay_t<decltype(from)>::value_type;
    for (const Tree &source : from) {
      Tree &target = into.emplace_back(source.keyStride());
      unsigned stride = source.keyStride();
      for (const detail::BTreeNode *leaf = source.firstLeaf(); leaf;
           leaf = leaf->next) {
        const auto *keys = Tree::keysOf(leaf);
        for (unsigned i = 0; i < leaf->count; ++i)
          target.insert(keys + size_t(i) * stride);
      }
    }
  };
  copyTrees(narrowTrees, other.narrowTrees);
  copyTrees(wideTrees, other.wideTrees);
}

Relation Relation::emptyCopy() const {
  std::vector<IndexOrder> orders;
  for (const IndexInfo &info : indexes)
    orders.push_back(info.order);
  return Relation(types, std::move(orders));
}

template <typename E> bool Relation::insertInto(const Word *tuple) {
  auto &trees = [this]() -> auto & {
    if constexpr (sizeof(E) == sizeof(uint32_t))
      return narrowTrees;
    else
      return wideTrees;
  }
  ();
  KeyBuffer<E> key(arity());
  packKey(indexes[0].order, tuple, key.data());
  if (!trees[0].insert(key.data()))
    return false;
  for (size_t i = 1; i < trees.size(); ++i) {
    packKey(indexes[i].order, tuple, key.data());
    trees[i].insert(key.data());
  }
  ++count;
  return true;
}

bool Relation::insert(const Word *tuple) {
  if (arity() == 0) {
    bool added = !nullaryHolds;
    nullaryHolds = true;
    return added;
  }
  return packed ? insertInto<uint32_t>(tuple) : insertInto<uint64_t>(tuple);
}

template <typename E> bool Relation::containsIn(const Word *tuple) const {
  KeyBuffer<E> key(arity());
  packKey(indexes[0].order, tuple, key.data());
  if constexpr (sizeof(E) == sizeof(uint32_t))
    return narrowTrees[0].contains(key.data());
  else
    return wideTrees[0].contains(key.data());
}

bool Relation::contains(const Word *tuple) const {
  if (arity() == 0)
    return nullaryHolds;
  return packed ? containsIn<uint32_t>(tuple) : containsIn<uint64_t>(tuple);
}

bool Relation::contains(const Word *tuple, unsigned indexNo,
                        LookupHint &hint) const {
  if (arity() == 0)
    return nullaryHolds;
  // A full-length prefix lookup: the cursor is valid iff the tuple exists.
  Word prefix[Cursor::kInlineWords];
  std::unique_ptr<Word[]> heapPrefix;
  Word *key = prefix;
  if (arity() > Cursor::kInlineWords) {
    heapPrefix = std::make_unique<Word[]>(arity());
    key = heapPrefix.get();
  }
  const IndexOrder &order = indexes[indexNo].order;
  for (unsigned p = 0; p < arity(); ++p)
    key[p] = tuple[order[p]];
  return lookup(indexNo, key, arity(), hint).valid();
}

template <typename E> size_t Relation::mergeFrom(const Relation &other) {
  auto select = [](auto &relation) -> auto & {
    if constexpr (sizeof(E) == sizeof(uint32_t))
      return relation.narrowTrees;
    else
      return relation.wideTrees;
  };
  auto &trees = select(*this);
  const auto &otherTrees = select(other);
  size_t added = 0;
  for (size_t i = 0; i < trees.size(); ++i) {
    // Same order in `other` (checked by the caller): copy keys as stored,
    // in sorted order, which also keeps the hint on the right leaf.
    size_t j = 0;
    while (indexes[i].order != other.indexes[j].order)
      ++j;
    unsigned stride = arity();
    for (const detail::BTreeNode *leaf = otherTrees[j].firstLeaf(); leaf;
         leaf = leaf->next) {
      const E *keys = detail::TupleBTree<E>::keysOf(leaf);
      for (unsigned k = 0; k < leaf->count; ++k) {
        bool isNew = trees[i].insert(keys + size_t(k) * stride);
        if (i == 0 && isNew)
          ++added;
      }
    }
  }
  count += added;
  return added;
}

size_t Relation::insertAll(const Relation &other) {
  if (other.types != types)
    throw std::invalid_argument(
        "insertAll: relations with different column types");
  if (arity() == 0) {
    if (!other.nullaryHolds || nullaryHolds)
      return 0;
    nullaryHolds = true;
    return 1;
  }
  if (&other == this)
    return 0;
  bool sameOrders =
      std::all_of(indexes.begin(), indexes.end(), [&](const IndexInfo &mine) {
        return std::any_of(other.indexes.begin(), other.indexes.end(),
                           [&](const IndexInfo &theirs) {
                             return theirs.order == mine.order;
                           });
      });
  if (sameOrders)
    return packed ? mergeFrom<uint32_t>(other) : mergeFrom<uint64_t>(other);
  size_t added = 0;
  for (Cursor c = other.scan(); c.valid(); c.next())
    added += insert(c.tuple()) ? 1 : 0;
  return added;
}

size_t Relation::insertAll(const Relation &other, Relation &added) {
  if (other.types != types || added.types != types)
    throw std::invalid_argument(
        "insertAll: relations with different column types");
  if (&other == this)
    return 0;
  // Walking `other` in its primary order feeds both this relation's and
  // `added`'s trees (nearly) sorted input, which the insert hint serves
  // without descending from the root.
  size_t count = 0;
  for (Cursor c = other.scan(); c.valid(); c.next()) {
    if (insert(c.tuple())) {
      added.insert(c.tuple());
      ++count;
    }
  }
  return count;
}

void Relation::clear() {
  for (auto &tree : narrowTrees)
    tree.clear();
  for (auto &tree : wideTrees)
    tree.clear();
  count = 0;
  nullaryHolds = false;
}

void Relation::swap(Relation &other) noexcept {
  std::swap(types, other.types);
  std::swap(indexes, other.indexes);
  std::swap(packed, other.packed);
  std::swap(nullaryHolds, other.nullaryHolds);
  std::swap(count, other.count);
  std::swap(narrowTrees, other.narrowTrees);
  std::swap(wideTrees, other.wideTrees);
}

size_t Relation::memoryBytes() const {
  size_t bytes = sizeof(*this);
  for (const auto &tree : narrowTrees)
    bytes += tree.memoryBytes();
  for (const auto &tree : wideTrees)
    bytes += tree.memoryBytes();
  return bytes;
}

Relation::Cursor::Cursor(const Relation &relation, unsigned indexNo,
                         const Word *prefix, unsigned prefixLength,
                         LookupHint *hint)
    : arity(relation.arity()), prefixLength(prefixLength),
      packed(relation.packed), index(&relation.indexes[indexNo]) {
  start(relation, indexNo, prefix, hint);
}

void Relation::Cursor::start(const Relation &relation, unsigned indexNo,
                             const Word *prefix, LookupHint *hint) {
  if (arity == 0) {
    nullaryPending = relation.nullaryHolds;
    return;
  }
  if (arity + prefixLength > kInlineWords)
    heapWords = std::make_unique<Word[]>(arity + prefixLength);
  Word *prefixWords = buffer() + arity;
  // Canonical prefix Words, so load() can compare stored elements directly.
  for (unsigned p = 0; p < prefixLength; ++p)
    prefixWords[p] =
        packed ? unpackWord(index->typesInOrder[p], packWord(prefix[p]))
               : prefix[p];
  auto startIn = [&](const auto &tree, auto element) {
    using E = decltype(element);
    KeyBuffer<E> key(prefixLength);
    for (unsigned p = 0; p < prefixLength; ++p)
      key.data()[p] = static_cast<E>(prefixWords[p]);
    if (!hint) {
      tree.lowerBound(key.data(), prefixLength, leaf, position);
      return;
    }
    if (hint->epoch != tree.epoch()) {
      hint->epoch = tree.epoch();
      hint->leaf = nullptr;
    }
    tree.lowerBoundHinted(key.data(), prefixLength, leaf, position, hint->leaf);
  };
  if (packed)
    startIn(relation.narrowTrees[indexNo], uint32_t());
  else
    startIn(relation.wideTrees[indexNo], uint64_t());
  if (leaf)
    load();
}

} // namespace rune::datalog
