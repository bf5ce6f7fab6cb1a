//===- BTree.h - B+-tree of fixed-width keys for Datalog indexes -*- C++
//-*-===//
//
// The storage behind one index of a Relation: a B+-tree whose keys are
// fixed-width arrays of `stride` unsigned elements (uint32 for packed
// relations, uint64 otherwise) compared lexicographically. Keys live only in
// the leaves, which are chained left to right for scans; inner nodes hold
// separators (a copy of the first key of the child on their right).
//
// Written for Datalog's workload: only inserts (no deletion), many lookups,
// and large batches of sorted or nearly sorted input. A full leaf first
// passes keys to a neighbour with room (as B*-trees do) and only splits when
// its neighbours are nearly full, which keeps random-order trees ~80% full.
// Two things make sorted batches cheap:
//   * an insert first tries the leaf of the previous insert (the hint), so a
//     run of neighbouring keys does not descend from the root every time;
//   * a full leaf receiving a key at its very end keeps its keys and starts
//     a new leaf with the one key, so ascending input fills leaves to 100%
//     (a half split would leave them half empty forever, as nothing is ever
//     inserted to the left of an ascending run).
//
// Since nothing is deleted, the separator left of a leaf always equals the
// leaf's first key, which makes the hint test exact: a key belongs to leaf L
// iff (L is the first leaf or key >= L.first) and (L is the last leaf or
// key < L.next.first).
//
// Internal header of the relation store: Relation.h includes it so cursors
// can walk the leaves inline.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_DATALOG_BTREE_H
#define RUNE_RUNTIME_DATALOG_BTREE_H

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace rune::datalog::detail {

/// Header shared by leaves and inner nodes; the keys (and for inner nodes
/// the child pointers) follow it in the same allocation.
struct BTreeNode {
  BTreeNode *parent; // null for the root
  BTreeNode *next;   // next leaf to the right (leaves only)
  uint32_t count;    // keys in the node
  bool isLeaf;
};

/// A process-wide counter shared by every tree type (defined out of line so
/// there is exactly one).
uint64_t nextTreeEpoch();

template <typename E> class TupleBTree {
  static_assert(std::is_same_v<E, uint32_t> || std::is_same_v<E, uint64_t>);

public:
  /// Aimed-at bytes of keys per node: big enough that per-node overhead is
  /// small, small enough that an insert's memmove stays cheap.
  static constexpr size_t kTargetKeyBytes = 512;
  static constexpr unsigned kMinCapacity = 8;

  explicit TupleBTree(unsigned stride) : stride(stride) {
    size_t keyBytes = std::max<size_t>(1, stride) * sizeof(E);
    capacity = std::max<unsigned>(
        kMinCapacity, static_cast<unsigned>(kTargetKeyBytes / keyBytes));
    keysOffset = sizeof(BTreeNode);
    leafBytes = keysOffset + size_t(capacity) * stride * sizeof(E);
    // Inner nodes have room for one extra key and child so an insertion can
    // be made before the split (simpler than splitting around a gap).
    childrenOffset =
        alignUp(keysOffset + size_t(capacity + 1) * stride * sizeof(E),
                alignof(BTreeNode *));
    innerBytes = childrenOffset + size_t(capacity + 2) * sizeof(BTreeNode *);
  }
  TupleBTree(const TupleBTree &) = delete;
  TupleBTree &operator=(const TupleBTree &) = delete;
  TupleBTree(TupleBTree &&other) noexcept { moveFrom(other); }
  TupleBTree &operator=(TupleBTree &&other) noexcept {
    if (this != &other) {
      clear();
      moveFrom(other);
    }
    return *this;
  }
  ~TupleBTree() { clear(); }

  unsigned keyStride() const { return stride; }
  size_t size() const { return keyCount; }
  size_t memoryBytes() const { return nodeBytes; }
  const BTreeNode *firstLeaf() const { return first; }

  static const E *keysOf(const BTreeNode *node) {
    return reinterpret_cast<const E *>(reinterpret_cast<const char *>(node) +
                                       sizeof(BTreeNode));
  }
  const E *keyAt(const BTreeNode *node, unsigned i) const {
    return keysOf(node) + size_t(i) * stride;
  }

  /// Lexicographic comparison of the first `length` elements.
  static int compare(const E *a, const E *b, unsigned length) {
    for (unsigned i = 0; i < length; ++i)
      if (a[i] != b[i])
        return a[i] < b[i] ? -1 : 1;
    return 0;
  }

  /// Inserts `key`; false when it was present already.
  bool insert(const E *key) {
    if (!root) {
      BTreeNode *leaf = newLeaf();
      std::memcpy(keys(leaf), key, stride * sizeof(E));
      leaf->count = 1;
      root = first = hint = leaf;
      keyCount = 1;
      return true;
    }
    BTreeNode *leaf = hint && hintCovers(hint, key) ? hint : findLeaf(key);
    unsigned position = lowerBoundIn(leaf, key, stride);
    if (position < leaf->count &&
        compare(keyAt(leaf, position), key, stride) == 0) {
      hint = leaf;
      return false;
    }
    ++keyCount;
    if (leaf->count < capacity) {
      insertAt(leaf, position, key);
      hint = leaf;
      return true;
    }
    splitLeafAndInsert(leaf, position, key);
    return true;
  }

  bool contains(const E *key) const {
    if (!root)
      return false;
    const BTreeNode *leaf = findLeaf(key);
    unsigned position = lowerBoundIn(leaf, key, stride);
    return position < leaf->count &&
           compare(keyAt(leaf, position), key, stride) == 0;
  }

  /// The first key whose first `length` elements are >= `prefix`, as a leaf
  /// and position; leaf is null when there is none.
  void lowerBound(const E *prefix, unsigned length, const BTreeNode *&leaf,
                  unsigned &position) const {
    if (!root) {
      leaf = nullptr;
      position = 0;
      return;
    }
    const BTreeNode *node = root;
    while (!node->isLeaf) {
      // Child i holds keys < separator i; a child whose right separator has
      // a prefix < `prefix` holds nothing >= it.
      node = childrenOf(node)[search<false>(node, prefix, length)];
    }
    unsigned p = lowerBoundIn(node, prefix, length);
    if (p == node->count) {
      node = node->next;
      p = 0;
    }
    leaf = node;
    position = p;
  }

  /// lowerBound() starting from `hintLeaf` (the leaf a previous lookup of
  /// this tree ended on, or null) when the answer is in that leaf or the
  /// next one, else from the root; updates `hintLeaf`. The caller
  /// guarantees `hintLeaf` is a leaf of this tree (see epoch()).
  void lowerBoundHinted(const E *prefix, unsigned length,
                        const BTreeNode *&leaf, unsigned &position,
                        const BTreeNode *&hintLeaf) const {
    if (const BTreeNode *h = hintLeaf) {
      // The answer is in leaf L iff L starts below the prefix (or is the
      // first leaf) and L's last key is not below it.
      if (h == first || compare(keyAt(h, 0), prefix, length) < 0) {
        if (compare(keyAt(h, h->count - 1), prefix, length) >= 0) {
          leaf = h;
          position = lowerBoundIn(h, prefix, length);
          return;
        }
        const BTreeNode *next = h->next;
        if (next &&
            compare(keyAt(next, next->count - 1), prefix, length) >= 0) {
          leaf = hintLeaf = next;
          position = lowerBoundIn(next, prefix, length);
          return;
        }
      }
    }
    lowerBound(prefix, length, leaf, position);
    if (leaf)
      hintLeaf = leaf;
  }

  /// Identifies this tree's current set of nodes: a new value (from a
  /// process-wide counter) whenever nodes may have been freed or the tree
  /// was moved or swapped, never reused. Lookup hints remember it so a stale
  /// hint is detected instead of followed.
  uint64_t epoch() const { return epochValue; }

  /// Frees every node.
  void clear() {
    if (root)
      freeSubtree(root);
    root = first = hint = nullptr;
    keyCount = 0;
    nodeBytes = 0;
    epochValue = nextEpoch();
  }

  void swap(TupleBTree &other) noexcept {
    std::swap(stride, other.stride);
    std::swap(capacity, other.capacity);
    std::swap(keysOffset, other.keysOffset);
    std::swap(childrenOffset, other.childrenOffset);
    std::swap(leafBytes, other.leafBytes);
    std::swap(innerBytes, other.innerBytes);
    std::swap(root, other.root);
    std::swap(first, other.first);
    std::swap(hint, other.hint);
    std::swap(keyCount, other.keyCount);
    std::swap(nodeBytes, other.nodeBytes);
    std::swap(epochValue, other.epochValue);
  }

  /// Depth of the tree (0 when empty, 1 for a single leaf); for tests.
  unsigned height() const {
    unsigned h = 0;
    for (const BTreeNode *n = root; n;
         n = n->isLeaf ? nullptr : childrenOf(n)[0])
      ++h;
    return h;
  }

private:
  static size_t alignUp(size_t value, size_t alignment) {
    return (value + alignment - 1) / alignment * alignment;
  }
  static E *keys(BTreeNode *node) {
    return reinterpret_cast<E *>(reinterpret_cast<char *>(node) +
                                 sizeof(BTreeNode));
  }
  E *mutableKeyAt(BTreeNode *node, unsigned i) {
    return keys(node) + size_t(i) * stride;
  }
  BTreeNode **childrenOf(BTreeNode *node) const {
    return reinterpret_cast<BTreeNode **>(reinterpret_cast<char *>(node) +
                                          childrenOffset);
  }
  BTreeNode *const *childrenOf(const BTreeNode *node) const {
    return reinterpret_cast<BTreeNode *const *>(
        reinterpret_cast<const char *>(node) + childrenOffset);
  }

  BTreeNode *newNode(bool leaf) {
    size_t bytes = leaf ? leafBytes : innerBytes;
    auto *node = static_cast<BTreeNode *>(::operator new(bytes));
    node->parent = nullptr;
    node->next = nullptr;
    node->count = 0;
    node->isLeaf = leaf;
    nodeBytes += bytes;
    return node;
  }
  BTreeNode *newLeaf() { return newNode(true); }

  void freeSubtree(BTreeNode *node) {
    if (!node->isLeaf)
      for (unsigned i = 0; i <= node->count; ++i)
        freeSubtree(childrenOf(node)[i]);
    ::operator delete(node);
  }

  void moveFrom(TupleBTree &other) {
    stride = other.stride;
    capacity = other.capacity;
    keysOffset = other.keysOffset;
    childrenOffset = other.childrenOffset;
    leafBytes = other.leafBytes;
    innerBytes = other.innerBytes;
    root = other.root;
    first = other.first;
    hint = other.hint;
    keyCount = other.keyCount;
    nodeBytes = other.nodeBytes;
    epochValue = other.epochValue;
    other.root = other.first = other.hint = nullptr;
    other.keyCount = 0;
    other.nodeBytes = 0;
    other.epochValue = nextEpoch();
  }

  static uint64_t nextEpoch() { return nextTreeEpoch(); }

  bool hintCovers(const BTreeNode *leaf, const E *key) const {
    if (leaf != first && compare(key, keyAt(leaf, 0), stride) < 0)
      return false;
    return !leaf->next || compare(key, keyAt(leaf->next, 0), stride) < 0;
  }

  /// The leaf whose range holds `key`.
  BTreeNode *findLeaf(const E *key) const {
    BTreeNode *node = root;
    while (!node->isLeaf) {
      // upper bound: the first separator > key; keys equal to a separator
      // live in the child to its right.
      node = childrenOf(node)[search<true>(node, key, stride)];
    }
    return node;
  }

  unsigned lowerBoundIn(const BTreeNode *leaf, const E *key,
                        unsigned length) const {
    return search<false>(leaf, key, length);
  }

  /// In `node`'s sorted keys compared on their first `length` elements:
  /// the number of keys < `probe` (Upper = false, a lower bound) or
  /// <= `probe` (Upper = true, an upper bound).
  template <bool Upper>
  unsigned search(const BTreeNode *node, const E *probe,
                  unsigned length) const {
    // Keys of at most 64 bits (unary and binary packed relations, unary
    // wide ones: the common Datalog shapes) compare as one integer, with a
    // binary search the compiler makes branch-free; mispredicted branches
    // dominate a generic search of a node already in cache.
    if (length * sizeof(E) <= sizeof(uint64_t)) {
      if constexpr (sizeof(E) == sizeof(uint32_t)) {
        if (length == 2)
          return searchScalar<Upper>(node, probe, [](const E *key) {
            return (uint64_t(key[0]) << 32) | key[1];
          });
      }
      if (length == 1)
        return searchScalar<Upper>(
            node, probe, [](const E *key) { return uint64_t(key[0]); });
    }
    unsigned low = 0, high = node->count;
    while (low < high) {
      unsigned mid = (low + high) / 2;
      int c = compare(keyAt(node, mid), probe, length);
      if (Upper ? c <= 0 : c < 0)
        low = mid + 1;
      else
        high = mid;
    }
    return low;
  }

  template <bool Upper, typename Scalar>
  unsigned searchScalar(const BTreeNode *node, const E *probe,
                        Scalar scalar) const {
    const E *keys = keysOf(node);
    uint64_t target = scalar(probe);
    unsigned low = 0, count = node->count;
    while (count > 0) {
      unsigned half = count / 2;
      uint64_t value = scalar(keys + size_t(low + half) * stride);
      bool right = Upper ? value <= target : value < target;
      low = right ? low + half + 1 : low;
      count = right ? count - half - 1 : half;
    }
    return low;
  }

  void insertAt(BTreeNode *leaf, unsigned position, const E *key) {
    E *slot = mutableKeyAt(leaf, position);
    std::memmove(slot + stride, slot,
                 size_t(leaf->count - position) * stride * sizeof(E));
    std::memcpy(slot, key, stride * sizeof(E));
    ++leaf->count;
  }

  /// Index of `child` among its parent's children (scanning from the
  /// right, where appends happen).
  unsigned childIndex(BTreeNode *parent, BTreeNode *child) const {
    BTreeNode **children = childrenOf(parent);
    unsigned index = parent->count;
    while (children[index] != child) {
      assert(index > 0);
      --index;
    }
    return index;
  }

  /// Makes room in the full `leaf` by moving keys to a sibling under the
  /// same parent that has room, then inserts. Random insertion then fills
  /// leaves to ~80% instead of the ~70% of split-only B-trees (a split
  /// only happens when both neighbours are nearly full too).
  bool shiftToSiblingAndInsert(BTreeNode *leaf, unsigned position,
                               const E *key) {
    BTreeNode *parent = leaf->parent;
    if (!parent)
      return false;
    unsigned index = childIndex(parent, leaf);
    BTreeNode **children = childrenOf(parent);
    if (index < parent->count) {
      BTreeNode *right = children[index + 1];
      unsigned moved = (capacity - right->count) / 2;
      if (moved > 0) {
        // The last `moved` keys of `leaf` go to the front of `right`.
        E *rightKeys = keys(right);
        std::memmove(rightKeys + size_t(moved) * stride, rightKeys,
                     size_t(right->count) * stride * sizeof(E));
        unsigned kept = leaf->count - moved;
        std::memcpy(rightKeys, mutableKeyAt(leaf, kept),
                    size_t(moved) * stride * sizeof(E));
        right->count += moved;
        leaf->count = kept;
        if (position <= kept) {
          insertAt(leaf, position, key);
          hint = leaf;
        } else {
          insertAt(right, position - kept, key);
          hint = right;
        }
        std::memcpy(mutableKeyAt(parent, index), keys(right),
                    stride * sizeof(E));
        return true;
      }
    }
    if (index > 0) {
      BTreeNode *left = children[index - 1];
      unsigned moved = (capacity - left->count) / 2;
      if (moved > 0) {
        // The first `moved` keys of `leaf` go to the end of `left`.
        unsigned leftCount = left->count;
        std::memcpy(mutableKeyAt(left, leftCount), keys(leaf),
                    size_t(moved) * stride * sizeof(E));
        left->count += moved;
        E *leafKeys = keys(leaf);
        std::memmove(leafKeys, leafKeys + size_t(moved) * stride,
                     size_t(leaf->count - moved) * stride * sizeof(E));
        leaf->count -= moved;
        if (position <= moved) {
          insertAt(left, leftCount + position, key);
          hint = left;
        } else {
          insertAt(leaf, position - moved, key);
          hint = leaf;
        }
        std::memcpy(mutableKeyAt(parent, index - 1), keys(leaf),
                    stride * sizeof(E));
        return true;
      }
    }
    return false;
  }

  void splitLeafAndInsert(BTreeNode *leaf, unsigned position, const E *key) {
    if (position < leaf->count && shiftToSiblingAndInsert(leaf, position, key))
      return;
    BTreeNode *right = newLeaf();
    right->next = leaf->next;
    leaf->next = right;
    if (position == leaf->count) {
      // Appending: keep the full leaf as it is (see the file comment).
      std::memcpy(keys(right), key, stride * sizeof(E));
      right->count = 1;
      hint = right;
    } else {
      unsigned keep = leaf->count / 2;
      unsigned moved = leaf->count - keep;
      std::memcpy(keys(right), mutableKeyAt(leaf, keep),
                  size_t(moved) * stride * sizeof(E));
      right->count = moved;
      leaf->count = keep;
      if (position <= keep) {
        insertAt(leaf, position, key);
        hint = leaf;
      } else {
        insertAt(right, position - keep, key);
        hint = right;
      }
    }
    insertIntoParent(leaf, keys(right), right);
  }

  /// Adds separator `separator` and the new node `right` just after `left`
  /// in left's parent, splitting upwards as needed.
  void insertIntoParent(BTreeNode *left, const E *separator, BTreeNode *right) {
    BTreeNode *parent = left->parent;
    if (!parent) {
      BTreeNode *newRoot = newNode(false);
      std::memcpy(keys(newRoot), separator, stride * sizeof(E));
      newRoot->count = 1;
      childrenOf(newRoot)[0] = left;
      childrenOf(newRoot)[1] = right;
      left->parent = right->parent = newRoot;
      root = newRoot;
      return;
    }
    BTreeNode **children = childrenOf(parent);
    unsigned index = childIndex(parent, left);
    unsigned count = parent->count;
    E *slot = mutableKeyAt(parent, index);
    std::memmove(slot + stride, slot,
                 size_t(count - index) * stride * sizeof(E));
    std::memcpy(slot, separator, stride * sizeof(E));
    std::memmove(children + index + 2, children + index + 1,
                 size_t(count - index) * sizeof(BTreeNode *));
    children[index + 1] = right;
    right->parent = parent;
    parent->count = count + 1;
    if (parent->count <= capacity)
      return;

    // Split the overfull inner node around a middle key that moves up. When
    // the insertion was at the end, keep the left node nearly full.
    unsigned total = parent->count; // capacity + 1 keys
    unsigned middle = index == count ? total - 2 : total / 2;
    BTreeNode *sibling = newNode(false);
    unsigned movedKeys = total - middle - 1;
    std::memcpy(keys(sibling), mutableKeyAt(parent, middle + 1),
                size_t(movedKeys) * stride * sizeof(E));
    BTreeNode **siblingChildren = childrenOf(sibling);
    std::memcpy(siblingChildren, children + middle + 1,
                size_t(movedKeys + 1) * sizeof(BTreeNode *));
    for (unsigned i = 0; i <= movedKeys; ++i)
      siblingChildren[i]->parent = sibling;
    sibling->count = movedKeys;
    parent->count = middle;
    // The middle key is still stored in `parent` past its new count; copy
    // it out before recursing, which may write into `parent` again.
    std::vector<E> middleKey(mutableKeyAt(parent, middle),
                             mutableKeyAt(parent, middle) + stride);
    insertIntoParent(parent, middleKey.data(), sibling);
  }

  unsigned stride;
  unsigned capacity = 0;
  size_t keysOffset = 0, childrenOffset = 0, leafBytes = 0, innerBytes = 0;
  BTreeNode *root = nullptr;
  BTreeNode *first = nullptr;
  BTreeNode *hint = nullptr; // leaf of the last insert
  size_t keyCount = 0;
  size_t nodeBytes = 0;
  uint64_t epochValue = nextEpoch();
};

} // namespace rune::datalog::detail

#endif // RUNE_RUNTIME_DATALOG_BTREE_H
