//===- EntityStore.cpp - Entities, attributes, tags and hierarchy ---------===//

#include "rune/Runtime/EntityStore.h"

#include "rune/rune_native.h"

#include <algorithm>
#include <atomic>
#include <cstddef>

namespace rune {

namespace {

bool sameUid(const EntityUidData &a, const EntityUidData &b) {
  if (&a == &b)
    return true;
  if (a.hash != b.hash)
    return false;
  // Equal hashes: usually the same uid at two addresses (a request's and a
  // policy constant's), which the cached nodes tell without a string
  // compare when a store has looked both up.
  int byNode = EntityStore::sameNode(a, b);
  if (byNode >= 0)
    return byNode;
  return a.type == b.type && a.id() == b.id();
}

/// Serials handed out so far; a store finalized after the last one gets 0
/// (no caching) rather than a reused serial, which could match a stale
/// cached node.
std::atomic<uint32_t> lastStoreSerial{0};

uint32_t nextStoreSerial() {
  uint32_t current = lastStoreSerial.load(std::memory_order_relaxed);
  do {
    if (current == UINT32_MAX)
      return 0;
  } while (!lastStoreSerial.compare_exchange_weak(current, current + 1,
                                                  std::memory_order_relaxed));
  return current + 1;
}

} // namespace

EntityStore::EntityStore(std::shared_ptr<Engine> engine)
    : enginePtr(std::move(engine)), storage(64 * 1024) {}

int64_t EntityStore::findNode(const EntityUidData &uid) const {
  // Before finalize (serial 0) nodes are still being added, so an answer
  // could go stale: nothing is cached.
  if (storeSerial == 0)
    return probeNode(uid);
  uint64_t cached = uid.cachedStoreNode();
  if (cached >> 32 == storeSerial)
    return static_cast<int64_t>(static_cast<uint32_t>(cached)) - 1;
  int64_t node = probeNode(uid);
  uid.cacheStoreNode(uint64_t(storeSerial) << 32 | uint64_t(node + 1));
  return node;
}

int64_t EntityStore::probeNode(const EntityUidData &uid) const {
  if (slots.empty())
    return -1;
  size_t mask = slots.size() - 1;
  for (size_t i = uid.hash & mask;; i = (i + 1) & mask) {
    uint32_t slot = slots[i];
    if (slot == 0)
      return -1;
    if (sameUid(*nodes[slot - 1].uid, uid))
      return slot - 1;
  }
}

void EntityStore::growSlots() {
  size_t size = slots.empty() ? 64 : slots.size() * 2;
  slots.assign(size, 0);
  size_t mask = size - 1;
  for (uint32_t n = 0; n < nodes.size(); ++n) {
    size_t i = nodes[n].uid->hash & mask;
    while (slots[i] != 0)
      i = (i + 1) & mask;
    slots[i] = n + 1;
  }
}

uint32_t EntityStore::internNode(const EntityUidData *uid) {
  int64_t existing = probeNode(*uid);
  if (existing >= 0)
    return static_cast<uint32_t>(existing);
  // Keep the load factor at or below one half.
  if ((nodes.size() + 1) * 2 > slots.size()) {
    nodes.push_back({uid});
    nodeParents.emplace_back();
    growSlots();
  } else {
    nodes.push_back({uid});
    nodeParents.emplace_back();
    size_t mask = slots.size() - 1;
    size_t i = uid->hash & mask;
    while (slots[i] != 0)
      i = (i + 1) & mask;
    slots[i] = static_cast<uint32_t>(nodes.size());
  }
  return static_cast<uint32_t>(nodes.size() - 1);
}

bool EntityStore::addEntity(const EntityUidData *uid, Value attributes,
                            std::span<TagEntry> tags,
                            std::span<const EntityUidData *const> parents) {
  uint32_t node = internNode(uid);
  if (nodes[node].entity != kNoEntity)
    return false;
  std::sort(tags.begin(), tags.end(),
            [](const TagEntry &a, const TagEntry &b) { return a.key < b.key; });
  TagEntry *storedTags = storage.allocateArray<TagEntry>(tags.size());
  std::copy(tags.begin(), tags.end(), storedTags);
  nodes[node].entity = static_cast<uint32_t>(entities.size());
  const EntityUidData **storedParents =
      storage.allocateArray<const EntityUidData *>(parents.size());
  std::copy(parents.begin(), parents.end(), storedParents);
  entities.push_back({nodes[node].uid, attributes, storedTags,
                      static_cast<uint32_t>(tags.size()), storedParents,
                      static_cast<uint32_t>(parents.size())});
  for (const EntityUidData *parent : parents) {
    uint32_t parentNode = internNode(parent);
    nodeParents[node].push_back(parentNode);
  }
  return true;
}

void EntityStore::finalize() {
  computeClosure();
  nodeParents.clear();
  nodeParents.shrink_to_fit();
  storeSerial = nextStoreSerial();
  // The store's own uids know their node from the start.
  if (storeSerial != 0)
    for (uint32_t n = 0; n < nodes.size(); ++n)
      nodes[n].uid->cacheStoreNode(uint64_t(storeSerial) << 32 | (n + 1));
}

void EntityStore::describeTo(rune_eval_frame &frame) const {
  // Compiled code reads these structures at the offsets of rune_native.h:
  // a layout change here must change the ABI (and fails the build first).
  static_assert(sizeof(Node) == sizeof(rune_store_node) &&
                offsetof(Node, uid) == offsetof(rune_store_node, uid) &&
                offsetof(Node, entity) == offsetof(rune_store_node, entity) &&
                offsetof(Node, ancestorsBegin) ==
                    offsetof(rune_store_node, ancestors_begin) &&
                offsetof(Node, ancestorsCount) ==
                    offsetof(rune_store_node, ancestors_count));
  static_assert(kNoEntity == UINT32_MAX);
  static_assert(sizeof(Entity) == sizeof(rune_store_entity) &&
                offsetof(Entity, attributes) ==
                    offsetof(rune_store_entity, attributes));
  static_assert(offsetof(EntityUidData, hash) ==
                    offsetof(rune_uid_layout, hash) &&
                offsetof(EntityUidData, storeNode) ==
                    offsetof(rune_uid_layout, store_node) &&
                alignof(EntityUidData) == alignof(rune_uid_layout));
  static_assert(
      sizeof(RecordField) == sizeof(rune_record_field) &&
      offsetof(RecordField, key) == offsetof(rune_record_field, key) &&
      offsetof(RecordField, value) == offsetof(rune_record_field, value) &&
      sizeof(Symbol) == sizeof(uint32_t));
  // Serial 0 (not finalized, or out of serials) caches nothing, and no
  // uid's serial can equal UINT64_MAX.
  frame.store_serial = storeSerial ? storeSerial : UINT64_MAX;
  frame.nodes = reinterpret_cast<const rune_store_node *>(nodes.data());
  frame.entities = reinterpret_cast<const rune_store_entity *>(entities.data());
  frame.ancestors = ancestorPool.data();
}

void EntityStore::computeClosure() {
  // Tarjan's strongly connected components, iteratively (hierarchies can be
  // deep; recursion could overflow the stack). Tarjan emits a component only
  // after every component reachable from it, so each component's ancestors
  // are the union of its successors' members and ancestors, all final by
  // then. Cycles are allowed: members of a cycle are ancestors of each other.
  const uint32_t count = static_cast<uint32_t>(nodes.size());
  constexpr uint32_t kUnvisited = UINT32_MAX;
  std::vector<uint32_t> order(count, kUnvisited), low(count, 0);
  std::vector<uint32_t> component(count, kUnvisited);
  std::vector<bool> onStack(count, false);
  std::vector<uint32_t> stack;
  struct Frame {
    uint32_t node;
    uint32_t nextEdge;
  };
  std::vector<Frame> frames;
  // Per component: its members and its ancestor range in ancestorPool.
  std::vector<std::vector<uint32_t>> members;
  std::vector<std::pair<uint32_t, uint32_t>> ancestorRange;
  uint32_t counter = 0;
  std::vector<uint32_t> scratch;
  ancestorPool.clear();

  auto finishComponent = [&](uint32_t root) {
    uint32_t id = static_cast<uint32_t>(members.size());
    std::vector<uint32_t> group;
    uint32_t member;
    do {
      member = stack.back();
      stack.pop_back();
      onStack[member] = false;
      component[member] = id;
      group.push_back(member);
    } while (member != root);
    scratch.clear();
    bool internalEdge = false;
    for (uint32_t u : group) {
      for (uint32_t w : nodeParents[u]) {
        uint32_t other = component[w];
        if (other == id) {
          internalEdge = true;
          continue;
        }
        scratch.insert(scratch.end(), members[other].begin(),
                       members[other].end());
        auto [begin, size] = ancestorRange[other];
        scratch.insert(scratch.end(), ancestorPool.begin() + begin,
                       ancestorPool.begin() + begin + size);
      }
    }
    if (internalEdge)
      scratch.insert(scratch.end(), group.begin(), group.end());
    std::sort(scratch.begin(), scratch.end());
    scratch.erase(std::unique(scratch.begin(), scratch.end()), scratch.end());
    uint32_t begin = static_cast<uint32_t>(ancestorPool.size());
    ancestorPool.insert(ancestorPool.end(), scratch.begin(), scratch.end());
    ancestorRange.emplace_back(begin, static_cast<uint32_t>(scratch.size()));
    for (uint32_t u : group) {
      nodes[u].ancestorsBegin = begin;
      nodes[u].ancestorsCount = static_cast<uint32_t>(scratch.size());
    }
    members.push_back(std::move(group));
  };

  for (uint32_t start = 0; start < count; ++start) {
    if (order[start] != kUnvisited)
      continue;
    order[start] = low[start] = counter++;
    stack.push_back(start);
    onStack[start] = true;
    frames.push_back({start, 0});
    while (!frames.empty()) {
      Frame &frame = frames.back();
      uint32_t v = frame.node;
      if (frame.nextEdge < nodeParents[v].size()) {
        uint32_t w = nodeParents[v][frame.nextEdge++];
        if (order[w] == kUnvisited) {
          order[w] = low[w] = counter++;
          stack.push_back(w);
          onStack[w] = true;
          frames.push_back({w, 0}); // invalidates `frame`
        } else if (onStack[w]) {
          low[v] = std::min(low[v], order[w]);
        }
        continue;
      }
      if (low[v] == order[v])
        finishComponent(v);
      frames.pop_back();
      if (!frames.empty()) {
        uint32_t parent = frames.back().node;
        low[parent] = std::min(low[parent], low[v]);
      }
    }
  }
}

const EntityStore::Entity *
EntityStore::findUncached(const EntityUidData &uid) const {
  int64_t node = findNode(uid);
  if (node < 0 || nodes[node].entity == kNoEntity)
    return nullptr;
  return &entities[nodes[node].entity];
}

bool EntityStore::isAncestor(const EntityUidData &descendant,
                             const EntityUidData &ancestor) const {
  int64_t from = findNode(descendant);
  if (from < 0)
    return false;
  int64_t to = findNode(ancestor);
  if (to < 0)
    return false;
  return hasAncestorNode(nodes[from], static_cast<uint32_t>(to));
}

bool EntityStore::inAny(const EntityUidData &descendant,
                        std::span<const Value> candidates) const {
  // The authorizer resolves the request's uids and the module's constants
  // in the store, so the caches usually answer for every candidate when the
  // descendant has a node (inCached, with the descendant's side hoisted).
  uint64_t cached = descendant.cachedStoreNode();
  if (storeSerial != 0 && cached >> 32 == storeSerial &&
      static_cast<uint32_t>(cached) != 0) {
    uint32_t from = static_cast<uint32_t>(cached);
    const Node &node = nodes[from - 1];
    bool cachesAnswered = true;
    for (const Value &candidate : candidates) {
      uint64_t other = candidate.asEntity().cachedStoreNode();
      if (other >> 32 != storeSerial) {
        cachesAnswered = false;
        break;
      }
      // A candidate without a node is neither the descendant nor one of its
      // ancestors.
      uint32_t to = static_cast<uint32_t>(other);
      if (to == from || (to != 0 && node.ancestorsCount != 0 &&
                         hasAncestorNode(node, to - 1)))
        return true;
    }
    if (cachesAnswered)
      return false;
  }
  for (const Value &candidate : candidates)
    if (sameUid(descendant, candidate.asEntity()))
      return true;
  int64_t from = findNode(descendant);
  if (from < 0 || nodes[from].ancestorsCount == 0)
    return false;
  for (const Value &candidate : candidates) {
    int64_t to = findNode(candidate.asEntity());
    if (to >= 0 && hasAncestorNode(nodes[from], static_cast<uint32_t>(to)))
      return true;
  }
  return false;
}

const Value *EntityStore::findTag(const Entity &entity, std::string_view key) {
  const TagEntry *begin = entity.tags, *end = entity.tags + entity.tagCount;
  const TagEntry *it = std::lower_bound(
      begin, end, key,
      [](const TagEntry &tag, std::string_view k) { return tag.key < k; });
  if (it != end && it->key == key)
    return &it->value;
  return nullptr;
}

std::vector<const EntityUidData *>
EntityStore::ancestorsOf(const EntityUidData &uid) const {
  std::vector<const EntityUidData *> result;
  int64_t node = findNode(uid);
  if (node < 0)
    return result;
  for (uint32_t i = 0; i < nodes[node].ancestorsCount; ++i)
    result.push_back(nodes[ancestorPool[nodes[node].ancestorsBegin + i]].uid);
  return result;
}

} // namespace rune
