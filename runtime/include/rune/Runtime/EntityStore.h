//===- EntityStore.h - Entities, attributes, tags and hierarchy -*- C++ -*-===//
//
// The entity store maps entity uids to their attributes (a record value),
// tags and ancestors. Ancestors are the transitive closure of `parents`,
// computed once by finalize() so `in` is a lookup of both uids (usually
// their cached nodes) plus a search of a sorted list of node indices.
// Parents may name uids that have no entity of their own; they still take
// part in the hierarchy.
//
// A store is built (addEntity..., finalize) by one thread and is immutable
// afterwards, so any number of evaluations may read it concurrently. A
// lookup records where it found a uid in the uid itself (through a relaxed
// atomic, EntityUidData::storeNode), so the next lookup of that uid object
// in the same store skips hashing and comparing strings.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_ENTITYSTORE_H
#define RUNE_RUNTIME_ENTITYSTORE_H

#include "rune/Runtime/Arena.h"
#include "rune/Runtime/Engine.h"
#include "rune/Runtime/Value.h"

#include <algorithm>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

struct rune_eval_frame; // rune_native.h

namespace rune {

struct TagEntry {
  std::string_view key; // in the store's arena
  Value value;
};

class EntityStore {
public:
  struct Entity {
    const EntityUidData *uid;
    Value attributes;     // a record
    const TagEntry *tags; // sorted by key
    uint32_t tagCount;
    /// The direct parents as given (the .rune `parent(E, P)` facts).
    const EntityUidData *const *parents = nullptr;
    uint32_t parentCount = 0;
  };

  explicit EntityStore(std::shared_ptr<Engine> engine);
  EntityStore(const EntityStore &) = delete;
  EntityStore &operator=(const EntityStore &) = delete;

  Engine &engine() const { return *enginePtr; }
  const std::shared_ptr<Engine> &sharedEngine() const { return enginePtr; }
  /// Where attribute values, tags and uids of this store are allocated.
  Arena &arena() { return storage; }

  /// Adds an entity. `attributes` must be a record; `tags` are sorted and
  /// copied by the store. Returns false when `uid` already has an entity.
  bool addEntity(const EntityUidData *uid, Value attributes,
                 std::span<TagEntry> tags,
                 std::span<const EntityUidData *const> parents);
  /// Computes every entity's ancestors and gives the store its serial (so
  /// uids start caching their node in it, see EntityUidData::storeNode).
  /// Call once, after the last addEntity.
  void finalize();
  /// Unique among the stores of the process (0 before finalize, or once
  /// 2^32 - 1 stores have been finalized: such a store caches nothing).
  uint32_t serial() const { return storeSerial; }

  /// The entity with this uid, or nullptr. Inline for the common case, a
  /// uid that this store has looked up before.
  const Entity *find(const EntityUidData &uid) const {
    const Entity *entity;
    if (findCached(uid, entity))
      return entity;
    return findUncached(uid);
  }
  /// find() when the uid's cache answers (true, `entity` set); false when
  /// the uid would have to be looked up. No call, so callers on a hot path
  /// (the native helpers) stay leaf code and take a general path otherwise.
  bool findCached(const EntityUidData &uid, const Entity *&entity) const {
    uint64_t cached = uid.cachedStoreNode();
    if (storeSerial == 0 || cached >> 32 != storeSerial)
      return false;
    uint32_t node = static_cast<uint32_t>(cached);
    uint32_t index = node == 0 ? kNoEntity : nodes[node - 1].entity;
    entity = index == kNoEntity ? nullptr : &entities[index];
    return true;
  }
  /// `descendant in ancestor` (equal, or a transitive parent) when both
  /// uids' caches answer: 1 or 0; -1 when one of them would have to be
  /// looked up, or neither has a node (only their strings can tell).
  int inCached(const EntityUidData &descendant,
               const EntityUidData &ancestor) const {
    uint64_t x = descendant.cachedStoreNode(), y = ancestor.cachedStoreNode();
    if (storeSerial == 0 || x >> 32 != storeSerial || y >> 32 != storeSerial)
      return -1;
    uint32_t from = static_cast<uint32_t>(x), to = static_cast<uint32_t>(y);
    if (from == 0 || to == 0)
      // A uid without a node has no ancestors and is no one's ancestor; it
      // equals the other only if that has no node either.
      return from == to ? -1 : 0;
    if (from == to)
      return 1;
    return hasAncestorNode(nodes[from - 1], to - 1);
  }
  /// Looks `uid` up now, so that later lookups and sameNode() answer from
  /// the uid's cache.
  void resolve(const EntityUidData &uid) const { (void)findNode(uid); }
  /// Whether two uids name the same uid, when their caches tell (both found
  /// in the same store: equal nodes mean equal uids, different nodes
  /// different uids): 1 or 0. -1 when the caches cannot tell.
  static int sameNode(const EntityUidData &a, const EntityUidData &b) {
    uint64_t x = a.cachedStoreNode(), y = b.cachedStoreNode();
    if (x >> 32 != y >> 32 || x >> 32 == 0 || static_cast<uint32_t>(x) == 0 ||
        static_cast<uint32_t>(y) == 0)
      return -1;
    return x == y;
  }
  /// True when `ancestor` is a (transitive) parent of `descendant`. Not
  /// reflexive: `in` checks equality itself.
  bool isAncestor(const EntityUidData &descendant,
                  const EntityUidData &ancestor) const;
  /// True when some element of `candidates` (all entities) equals
  /// `descendant` or is one of its ancestors: `in` on a set. The descendant
  /// is looked up once, and a descendant without ancestors (an action, a
  /// leaf, an unknown uid) costs no lookup per candidate at all.
  bool inAny(const EntityUidData &descendant,
             std::span<const Value> candidates) const;
  /// Writes the store's fields of a native evaluation frame (rune_native.h,
  /// ABI 4: store_serial, nodes, entities, ancestors), through which
  /// compiled code reads entities itself. The layouts it relies on are
  /// checked against this class's in EntityStore.cpp.
  void describeTo(rune_eval_frame &frame) const;
  /// The tag `key` of `entity`, or nullptr.
  static const Value *findTag(const Entity &entity, std::string_view key);

  size_t entityCount() const { return entities.size(); }
  /// Every entity, in the order they were added.
  std::span<const Entity> allEntities() const { return entities; }
  /// The ancestors of `uid` (empty when unknown), for tests and tools.
  std::vector<const EntityUidData *>
  ancestorsOf(const EntityUidData &uid) const;

private:
  static constexpr uint32_t kNoEntity = UINT32_MAX;
  struct Node {
    const EntityUidData *uid;
    uint32_t entity = kNoEntity;
    uint32_t ancestorsBegin = 0;
    uint32_t ancestorsCount = 0;
  };

  /// Whether `ancestor` is among `node`'s (sorted) ancestors. Most nodes
  /// have a few: a scan stopping at the first index not below `ancestor`
  /// costs fewer instructions than a binary search, which larger sets take.
  bool hasAncestorNode(const Node &node, uint32_t ancestor) const {
    const uint32_t *begin = ancestorPool.data() + node.ancestorsBegin;
    const uint32_t *end = begin + node.ancestorsCount;
    if (node.ancestorsCount > 16)
      return std::binary_search(begin, end, ancestor);
    for (const uint32_t *it = begin; it != end; ++it)
      if (*it >= ancestor)
        return *it == ancestor;
    return false;
  }
  /// Index of the node for `uid`, or -1. Answers from the uid's cached
  /// node when this store put it there; otherwise probes and caches.
  int64_t findNode(const EntityUidData &uid) const;
  int64_t probeNode(const EntityUidData &uid) const;
  const Entity *findUncached(const EntityUidData &uid) const;
  uint32_t internNode(const EntityUidData *uid);
  void growSlots();
  void computeClosure();

  std::shared_ptr<Engine> enginePtr;
  Arena storage;
  std::vector<Node> nodes;
  std::vector<std::vector<uint32_t>> nodeParents; // only while building
  std::vector<uint32_t> slots; // open addressing: node index + 1, 0 = empty
  std::vector<Entity> entities;
  std::vector<uint32_t> ancestorPool; // sorted node indices per node range
  uint32_t storeSerial = 0;
};

} // namespace rune

#endif // RUNE_RUNTIME_ENTITYSTORE_H
