//===- EntityStore.h - Entities, attributes, tags and hierarchy -*- C++ -*-===//
//
// The entity store maps entity uids to their attributes (a record value),
// tags and ancestors. Ancestors are the transitive closure of `parents`,
// computed once by finalize() so `in` is a hash lookup plus a binary search.
// Parents may name uids that have no entity of their own; they still take
// part in the hierarchy.
//
// A store is built (addEntity..., finalize) by one thread and is immutable
// afterwards, so any number of evaluations may read it concurrently.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_ENTITYSTORE_H
#define RUNE_RUNTIME_ENTITYSTORE_H

#include "rune/Runtime/Arena.h"
#include "rune/Runtime/Engine.h"
#include "rune/Runtime/Value.h"

#include <memory>
#include <span>
#include <string_view>
#include <vector>

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
  /// Computes every entity's ancestors. Call once, after the last addEntity.
  void finalize();

  /// The entity with this uid, or nullptr.
  const Entity *find(const EntityUidData &uid) const;
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

  /// Index of the node for `uid`, or -1.
  int64_t findNode(const EntityUidData &uid) const;
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
};

} // namespace rune

#endif // RUNE_RUNTIME_ENTITYSTORE_H
