//===- DatalogRelationTest.cpp - Relation storage and its indexes ---------===//

#include "rune/Runtime/Datalog/Relation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <stdexcept>
#include <vector>

using namespace rune::datalog;

namespace {

using Tuple = std::vector<Word>;

std::vector<Tuple> collect(Relation::Cursor cursor, unsigned arity) {
  std::vector<Tuple> out;
  for (; cursor.valid(); cursor.next())
    out.emplace_back(cursor.tuple(), cursor.tuple() + arity);
  return out;
}

Tuple numbers(std::initializer_list<int32_t> values) {
  Tuple tuple;
  for (int32_t v : values)
    tuple.push_back(encodeNumber(v));
  return tuple;
}

/// The unsigned order of a tuple's stored elements in one index order, as
/// the relation sorts them (packed relations compare the low 32 bits).
Tuple indexKey(const Tuple &tuple, const IndexOrder &order, bool packed) {
  Tuple key;
  for (unsigned column : order)
    key.push_back(packed ? Word(packWord(tuple[column])) : tuple[column]);
  return key;
}

/// Checks every observable of `relation` against a reference set: size,
/// membership, each index's full scan (same tuples, sorted in that index's
/// order) and a prefix lookup of every length for a sample of tuples.
void checkAgainstReference(const Relation &relation,
                           const std::set<Tuple> &reference,
                           const std::vector<Tuple> &absent) {
  unsigned arity = relation.arity();
  ASSERT_EQ(relation.size(), reference.size());
  ASSERT_EQ(relation.empty(), reference.empty());
  for (const Tuple &tuple : reference)
    ASSERT_TRUE(relation.contains(tuple.data()));
  for (const Tuple &tuple : absent)
    if (!reference.count(tuple))
      ASSERT_FALSE(relation.contains(tuple.data()));

  for (unsigned index = 0; index < relation.indexCount(); ++index) {
    const IndexOrder &order = relation.indexOrder(index);
    std::vector<Tuple> scanned = collect(relation.scan(index), arity);
    ASSERT_EQ(scanned.size(), reference.size());
    ASSERT_EQ(std::set<Tuple>(scanned.begin(), scanned.end()), reference);
    for (size_t i = 1; i < scanned.size(); ++i)
      ASSERT_LT(indexKey(scanned[i - 1], order, relation.isPacked()),
                indexKey(scanned[i], order, relation.isPacked()));

    size_t sampled = 0;
    for (const Tuple &probe : reference) {
      if (++sampled > 12)
        break;
      Tuple prefix;
      for (unsigned column : order)
        prefix.push_back(probe[column]);
      for (unsigned length = 0; length <= arity; ++length) {
        std::set<Tuple> expected;
        for (const Tuple &tuple : reference) {
          bool matches = true;
          for (unsigned p = 0; p < length; ++p)
            matches = matches && tuple[order[p]] == prefix[p];
          if (matches)
            expected.insert(tuple);
        }
        std::vector<Tuple> found =
            collect(relation.lookup(index, prefix.data(), length), arity);
        ASSERT_EQ(found.size(), expected.size())
            << "index " << index << " prefix length " << length;
        ASSERT_EQ(std::set<Tuple>(found.begin(), found.end()), expected);
        ASSERT_TRUE(relation.containsPrefix(index, prefix.data(), length));
      }
    }
  }
}

} // namespace

TEST(DatalogRelation, InsertEliminatesDuplicates) {
  Relation edges({ColumnType::Number, ColumnType::Number});
  Tuple a = numbers({1, 2}), b = numbers({2, 1});
  EXPECT_TRUE(edges.empty());
  EXPECT_TRUE(edges.insert(a.data()));
  EXPECT_FALSE(edges.insert(a.data()));
  EXPECT_TRUE(edges.insert(b.data()));
  EXPECT_FALSE(edges.insert(b.data()));
  EXPECT_EQ(edges.size(), 2u);
  EXPECT_TRUE(edges.contains(a.data()));
  Tuple c = numbers({1, 3});
  EXPECT_FALSE(edges.contains(c.data()));
  EXPECT_TRUE(edges.isPacked());
}

TEST(DatalogRelation, NegativeNumbersRoundTripThroughPacking) {
  Relation relation(
      {ColumnType::Number, ColumnType::Float, ColumnType::Unsigned},
      {{0, 1, 2}, {2}});
  Tuple tuple = {encodeNumber(-7), encodeFloat(-0.5f),
                 encodeUnsigned(4000000000u)};
  relation.insert(tuple.data());
  std::vector<Tuple> all = collect(relation.scan(), 3);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0], tuple);
  EXPECT_EQ(decodeNumber(all[0][0]), -7);
  EXPECT_EQ(decodeFloat(all[0][1]), -0.5f);
  Word key[1] = {encodeUnsigned(4000000000u)};
  EXPECT_EQ(collect(relation.lookup(1, key, 1), 3).size(), 1u);
  // A non-canonical Number Word (not sign-extended) still finds the tuple:
  // prefixes are canonicalised like stored elements.
  Word loose[1] = {0xFFFFFFF9u};
  EXPECT_EQ(collect(relation.lookup(0, loose, 1), 3).size(), 1u);
}

TEST(DatalogRelation, RandomTuplesMatchReferenceOnEveryIndex) {
  std::mt19937 random(12345);
  struct Config {
    std::vector<ColumnType> types;
    std::vector<IndexOrder> orders;
  };
  std::vector<Config> configs = {
      {{ColumnType::Number}, {}},
      {{ColumnType::Number, ColumnType::Number}, {{0, 1}, {1, 0}}},
      {{ColumnType::Symbol, ColumnType::Unsigned, ColumnType::Number},
       {{0}, {2, 1}, {1}}},
      {{ColumnType::Any, ColumnType::Number}, {{}, {1}}},
      {{ColumnType::Number, ColumnType::Number, ColumnType::Number,
        ColumnType::Number},
       {{3, 2, 1, 0}, {1, 3}}},
      // 64-byte keys: nodes of the minimum 8 keys, so a few thousand tuples
      // make a tree five levels deep (splits and shifts at every level).
      {std::vector<ColumnType>(8, ColumnType::Any), {{}, {7, 6}}},
  };
  for (const Config &config : configs) {
    Relation relation(config.types, config.orders);
    std::set<Tuple> reference;
    std::vector<Tuple> absent;
    unsigned arity = relation.arity();
    for (int i = 0; i < 6000; ++i) {
      Tuple tuple(arity);
      for (unsigned c = 0; c < arity; ++c) {
        int32_t value = arity == 8 ? static_cast<int32_t>(random() % 4)
                                   : static_cast<int32_t>(random() % 60) - 20;
        tuple[c] = config.types[c] == ColumnType::Any ? encodeAnyInteger(value)
                   : config.types[c] == ColumnType::Number
                       ? encodeNumber(value)
                       : Word(uint32_t(value + 20));
      }
      if (i % 5 == 4) {
        absent.push_back(tuple);
        continue;
      }
      bool isNew = reference.insert(tuple).second;
      ASSERT_EQ(relation.insert(tuple.data()), isNew);
    }
    checkAgainstReference(relation, reference, absent);
  }
}

TEST(DatalogRelation, AscendingAndDescendingInsertion) {
  for (bool ascending : {true, false}) {
    Relation relation({ColumnType::Number, ColumnType::Number});
    std::set<Tuple> reference;
    for (int i = 0; i < 20000; ++i) {
      int v = ascending ? i : 20000 - i;
      Tuple tuple = numbers({v / 7, v % 7});
      reference.insert(tuple);
      ASSERT_TRUE(relation.insert(tuple.data()));
    }
    checkAgainstReference(relation, reference, {numbers({-1, 0})});
  }
}

TEST(DatalogRelation, AscendingInsertionFillsLeaves) {
  // The append fast path keeps full leaves: 8 bytes per binary tuple plus
  // a little for node headers and inner nodes.
  Relation relation({ColumnType::Number, ColumnType::Number});
  constexpr int kTuples = 200000;
  for (int i = 0; i < kTuples; ++i) {
    Tuple tuple = numbers({i / 16, i % 16});
    relation.insert(tuple.data());
  }
  EXPECT_LT(relation.memoryBytes(), size_t(kTuples) * 8 * 110 / 100);
  // Random order leaves partly filled leaves; a copy is compact again.
  Relation shuffled({ColumnType::Number, ColumnType::Number});
  std::vector<int> order(kTuples);
  for (int i = 0; i < kTuples; ++i)
    order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(7));
  for (int i : order) {
    Tuple tuple = numbers({i / 16, i % 16});
    shuffled.insert(tuple.data());
  }
  EXPECT_GT(shuffled.memoryBytes(), relation.memoryBytes());
  Relation compact(shuffled);
  EXPECT_LT(compact.memoryBytes(), size_t(kTuples) * 8 * 110 / 100);
  EXPECT_EQ(collect(compact.scan(), 2), collect(relation.scan(), 2));
}

TEST(DatalogRelation, NullaryRelationHoldsOrNot) {
  Relation flag({});
  EXPECT_EQ(flag.arity(), 0u);
  EXPECT_TRUE(flag.empty());
  EXPECT_FALSE(flag.contains(nullptr));
  EXPECT_FALSE(flag.scan().valid());
  EXPECT_TRUE(flag.insert(nullptr));
  EXPECT_FALSE(flag.insert(nullptr));
  EXPECT_EQ(flag.size(), 1u);
  EXPECT_TRUE(flag.contains(nullptr));
  Relation::Cursor cursor = flag.scan();
  ASSERT_TRUE(cursor.valid());
  cursor.next();
  EXPECT_FALSE(cursor.valid());

  Relation other({});
  EXPECT_EQ(other.insertAll(flag), 1u);
  EXPECT_EQ(other.insertAll(flag), 0u);
  EXPECT_EQ(other.size(), 1u);
  Relation copy(flag);
  EXPECT_EQ(copy.size(), 1u);
  flag.clear();
  EXPECT_TRUE(flag.empty());
  EXPECT_EQ(copy.size(), 1u);
}

TEST(DatalogRelation, InsertAllMergesAndCountsNewTuples) {
  std::vector<ColumnType> types = {ColumnType::Number, ColumnType::Number};
  Relation full(types, {{0, 1}, {1, 0}});
  Relation delta = full.emptyCopy();
  Relation differentIndexes(types, {{1}});
  std::set<Tuple> reference;
  for (int i = 0; i < 3000; ++i) {
    Tuple tuple = numbers({i % 97, i % 31});
    full.insert(tuple.data());
    reference.insert(tuple);
  }
  for (int i = 0; i < 3000; ++i) {
    Tuple tuple = numbers({i % 89, i % 37});
    delta.insert(tuple.data());
    differentIndexes.insert(tuple.data());
  }
  std::set<Tuple> deltaTuples;
  for (const Tuple &tuple : collect(delta.scan(), 2))
    deltaTuples.insert(tuple);
  size_t newInDelta = 0;
  for (const Tuple &tuple : deltaTuples)
    newInDelta += reference.insert(tuple).second ? 1 : 0;

  Relation viaSlowPath(full);
  EXPECT_EQ(full.insertAll(delta), newInDelta);
  checkAgainstReference(full, reference, {numbers({500, 500})});
  // Index orders that differ: merged tuple by tuple, same result.
  EXPECT_EQ(viaSlowPath.insertAll(differentIndexes), newInDelta);
  checkAgainstReference(viaSlowPath, reference, {});
  EXPECT_EQ(full.insertAll(delta), 0u);

  Relation wrongTypes({ColumnType::Symbol, ColumnType::Number});
  EXPECT_THROW(full.insertAll(wrongTypes), std::invalid_argument);
}

TEST(DatalogRelation, SwapClearCopyAndMove) {
  Relation a({ColumnType::Number});
  Relation b({ColumnType::Symbol, ColumnType::Symbol});
  Tuple one = numbers({1});
  Tuple pair = {encodeSymbol(3), encodeSymbol(4)};
  a.insert(one.data());
  b.insert(pair.data());
  a.swap(b);
  EXPECT_EQ(a.arity(), 2u);
  EXPECT_TRUE(a.contains(pair.data()));
  EXPECT_EQ(b.arity(), 1u);
  EXPECT_TRUE(b.contains(one.data()));

  Relation copy(a);
  a.clear();
  EXPECT_TRUE(a.empty());
  EXPECT_FALSE(a.scan().valid());
  EXPECT_TRUE(copy.contains(pair.data()));
  EXPECT_TRUE(a.insert(pair.data()));

  Relation moved(std::move(copy));
  EXPECT_TRUE(moved.contains(pair.data()));
  Relation assigned({ColumnType::Number});
  assigned = moved;
  EXPECT_TRUE(assigned.contains(pair.data()));
  EXPECT_EQ(assigned.arity(), 2u);
}

TEST(DatalogRelation, IndexOrdersAreValidatedAndCompleted) {
  std::vector<ColumnType> three(3, ColumnType::Number);
  EXPECT_THROW(Relation(three, {{0, 0}}), std::invalid_argument);
  EXPECT_THROW(Relation(three, {{3}}), std::invalid_argument);
  Relation relation(three, {{}, {2}, {1, 0}});
  EXPECT_EQ(relation.indexOrder(0), (IndexOrder{0, 1, 2}));
  EXPECT_EQ(relation.indexOrder(1), (IndexOrder{2, 0, 1}));
  EXPECT_EQ(relation.indexOrder(2), (IndexOrder{1, 0, 2}));
  Relation empty = relation.emptyCopy();
  EXPECT_EQ(empty.indexCount(), 3u);
  EXPECT_EQ(empty.indexOrder(1), (IndexOrder{2, 0, 1}));
}

TEST(DatalogRelation, WideArityUsesHeapCursorBuffers) {
  // Arity 20 with a full-length prefix needs more Words than a cursor holds
  // inline.
  std::vector<ColumnType> types(20, ColumnType::Any);
  IndexOrder reversed;
  for (int c = 19; c >= 0; --c)
    reversed.push_back(static_cast<unsigned>(c));
  Relation relation(types, {{}, reversed});
  EXPECT_FALSE(relation.isPacked());
  std::set<Tuple> reference;
  std::vector<Tuple> absent;
  std::mt19937 random(99);
  for (int i = 0; i < 500; ++i) {
    Tuple tuple(20);
    for (Word &w : tuple)
      w = random() % 3 == 0 ? encodeAnyBool(random() % 2)
                            : encodeAnyInteger(int64_t(random() % 5) - 2);
    reference.insert(tuple);
    relation.insert(tuple.data());
  }
  absent.push_back(Tuple(20, encodeAnySymbol(1)));
  checkAgainstReference(relation, reference, absent);
}

TEST(DatalogRelation, ForEachVisitsPrefixMatches) {
  Relation edges({ColumnType::Number, ColumnType::Number}, {{}, {1}});
  for (int i = 0; i < 100; ++i) {
    Tuple tuple = numbers({i, i % 10});
    edges.insert(tuple.data());
  }
  Word target[1] = {encodeNumber(3)};
  std::vector<int> sources;
  edges.forEach(1, target, 1, [&](const Word *tuple) {
    sources.push_back(decodeNumber(tuple[0]));
    EXPECT_EQ(decodeNumber(tuple[1]), 3);
  });
  EXPECT_EQ(sources, (std::vector<int>{3, 13, 23, 33, 43, 53, 63, 73, 83, 93}));
  Word missing[1] = {encodeNumber(10)};
  EXPECT_FALSE(edges.containsPrefix(1, missing, 1));
}

TEST(DatalogRelation, HintedLookupsMatchUnhintedOnes) {
  std::mt19937 random(4242);
  Relation edges({ColumnType::Number, ColumnType::Number}, {{}, {1}});
  for (int i = 0; i < 30000; ++i) {
    Tuple tuple = numbers({static_cast<int32_t>(random() % 3000),
                           static_cast<int32_t>(random() % 3000) - 1500});
    edges.insert(tuple.data());
  }
  for (unsigned index = 0; index < 2; ++index) {
    Relation::LookupHint hint, containsHint;
    // Ascending keys (the hinted fast path), then random ones (misses),
    // then repeats; every answer must equal the unhinted lookup's.
    std::vector<int32_t> keys;
    for (int k = -1600; k < 3100; k += 3)
      keys.push_back(k);
    for (int i = 0; i < 2000; ++i)
      keys.push_back(static_cast<int32_t>(random() % 4700) - 1600);
    for (int i = 0; i < 200; ++i)
      keys.push_back(keys[i % 7]);
    for (int32_t k : keys) {
      Word key[1] = {encodeNumber(k)};
      ASSERT_EQ(collect(edges.lookup(index, key, 1, hint), 2),
                collect(edges.lookup(index, key, 1), 2))
          << "index " << index << " key " << k;
      Tuple probe = numbers({k, k % 1500});
      ASSERT_EQ(edges.contains(probe.data(), index, containsHint),
                edges.contains(probe.data()));
    }
  }
}

TEST(DatalogRelation, StaleHintsAreDetected) {
  Relation a({ColumnType::Number}), b({ColumnType::Number});
  for (int i = 0; i < 5000; ++i) {
    Tuple x = numbers({i}), y = numbers({i + 100000});
    a.insert(x.data());
    b.insert(y.data());
  }
  Relation::LookupHint hint;
  Word key[1] = {encodeNumber(4000)};
  EXPECT_TRUE(a.lookup(0, key, 1, hint).valid());
  // The hint's leaf is freed by clear(); a later lookup must not use it.
  a.clear();
  EXPECT_FALSE(a.lookup(0, key, 1, hint).valid());
  Tuple again = numbers({4000});
  a.insert(again.data());
  EXPECT_TRUE(a.lookup(0, key, 1, hint).valid());
  // A hint from one relation used on another: detected, not followed.
  Word other[1] = {encodeNumber(104000)};
  EXPECT_TRUE(b.lookup(0, other, 1, hint).valid());
  EXPECT_FALSE(b.lookup(0, key, 1, hint).valid());
  a.swap(b);
  EXPECT_TRUE(a.lookup(0, other, 1, hint).valid());
  EXPECT_TRUE(b.lookup(0, key, 1, hint).valid());
  // Inserts split leaves under a warm hint; answers stay right.
  for (int i = 0; i < 5000; ++i) {
    Tuple x = numbers({i * 2});
    b.insert(x.data());
    Word k[1] = {encodeNumber(i)};
    ASSERT_EQ(b.lookup(0, k, 1, hint).valid(), i % 2 == 0 || i == 4000);
  }
}

TEST(DatalogRelation, InsertAllCollectsTheNewTuples) {
  std::vector<ColumnType> types = {ColumnType::Number, ColumnType::Symbol};
  Relation full(types, {{}, {1}});
  Relation candidates = full.emptyCopy();
  std::set<Tuple> before, expectedAdded;
  for (int i = 0; i < 4000; ++i) {
    Tuple tuple = {encodeNumber(i % 300), encodeSymbol(i % 7)};
    full.insert(tuple.data());
    before.insert(tuple);
  }
  for (int i = 0; i < 4000; ++i) {
    Tuple tuple = {encodeNumber(i % 450 - 50), encodeSymbol(i % 11)};
    candidates.insert(tuple.data());
    if (!before.count(tuple))
      expectedAdded.insert(tuple);
  }
  Relation added = full.emptyCopy();
  // `added` may already hold tuples; they stay.
  Tuple old = {encodeNumber(-1000), encodeSymbol(0)};
  added.insert(old.data());
  expectedAdded.insert(old);
  EXPECT_EQ(full.insertAll(candidates, added), expectedAdded.size() - 1);
  checkAgainstReference(added, expectedAdded, {});
  std::set<Tuple> all = before;
  for (const Tuple &tuple : collect(candidates.scan(), 2))
    all.insert(tuple);
  checkAgainstReference(full, all, {});
  EXPECT_EQ(full.insertAll(candidates, added), 0u);
  Relation wrong({ColumnType::Number, ColumnType::Number});
  EXPECT_THROW(full.insertAll(candidates, wrong), std::invalid_argument);
}
