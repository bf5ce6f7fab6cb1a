//===- DatalogDatabaseTest.cpp - Published relation versions --------------===//

#include "rune/Runtime/Datalog/Database.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace rune::datalog;

TEST(DatalogDatabase, DeclareAndFindRelations) {
  Database db;
  unsigned edge = db.declare("edge", {ColumnType::Number, ColumnType::Number},
                             {{0, 1}, {1, 0}});
  unsigned name = db.declare("name", {ColumnType::Symbol});
  EXPECT_EQ(edge, 0u);
  EXPECT_EQ(name, 1u);
  EXPECT_EQ(db.relationCount(), 2u);
  EXPECT_EQ(db.find("name"), name);
  EXPECT_FALSE(db.find("path").has_value());
  EXPECT_EQ(db.name(edge), "edge");
  EXPECT_THROW(db.declare("edge", {ColumnType::Number}), std::invalid_argument);
  auto snapshot = db.snapshot();
  EXPECT_EQ(snapshot->number(), 0u);
  EXPECT_EQ(snapshot->relationCount(), 2u);
  EXPECT_TRUE(snapshot->relation(edge).empty());
  EXPECT_EQ(snapshot->relation(edge).indexCount(), 2u);
}

TEST(DatalogDatabase, PublishKeepsOldSnapshotsIntact) {
  Database db;
  unsigned r = db.declare("r", {ColumnType::Number});
  unsigned s = db.declare("s", {ColumnType::Number});
  auto before = db.snapshot();

  std::unique_ptr<Relation> next = db.copyRelation(r);
  Word one[1] = {encodeNumber(1)};
  next->insert(one);
  db.publish(r, std::move(next));

  auto after = db.snapshot();
  EXPECT_EQ(after->number(), 1u);
  EXPECT_TRUE(before->relation(r).empty());
  EXPECT_TRUE(after->relation(r).contains(one));
  // The untouched relation is shared, not copied.
  EXPECT_EQ(after->relationPtr(s), before->relationPtr(s));
  EXPECT_EQ(db.snapshot(r)->size(), 1u);

  // Wrong column types: rejected, nothing published.
  auto wrong = std::make_shared<const Relation>(
      std::vector<ColumnType>{ColumnType::Symbol});
  auto fine = std::make_shared<const Relation>(
      std::vector<ColumnType>{ColumnType::Number});
  EXPECT_THROW(db.publish({{s, fine}, {r, wrong}}), std::invalid_argument);
  EXPECT_THROW(db.publish(7, fine), std::invalid_argument);
  EXPECT_EQ(db.snapshot()->number(), 1u);
  EXPECT_GT(db.memoryBytes(), 0u);
}

TEST(DatalogDatabase, ReadersSeeConsistentVersionsWhileTheNextIsBuilt) {
  // The writer publishes versions k = 1..N in which `counter` holds the one
  // tuple (k) and `items` holds (0, 0) .. (k-1, k-1): a reader that takes a
  // snapshot must always find both relations from the same publish, fully
  // built, and versions must never go backwards.
  Database db;
  unsigned counter = db.declare("counter", {ColumnType::Number});
  unsigned items = db.declare("items", {ColumnType::Number, ColumnType::Number},
                              {{0, 1}, {1, 0}});
  constexpr int kVersions = 300;
  std::atomic<bool> done{false};
  std::atomic<long> verified{0};
  std::atomic<int> failures{0};

  auto reader = [&] {
    uint64_t lastSeen = 0;
    long local = 0;
    while (!done.load(std::memory_order_acquire) || local == 0) {
      auto version = db.snapshot();
      if (version->number() < lastSeen)
        ++failures;
      lastSeen = version->number();
      const Relation &c = version->relation(counter);
      const Relation &i = version->relation(items);
      int k = 0;
      if (!c.empty())
        k = decodeNumber(c.scan().tuple()[0]);
      if (static_cast<uint64_t>(k) != version->number() ||
          i.size() != static_cast<size_t>(k))
        ++failures;
      // Walk the whole secondary index and look one tuple up.
      size_t seen = 0;
      for (Relation::Cursor cursor = i.scan(1); cursor.valid(); cursor.next())
        seen += cursor.tuple()[0] == cursor.tuple()[1] ? 1 : 0;
      if (seen != i.size())
        ++failures;
      if (k > 0) {
        Word key[1] = {encodeNumber(k - 1)};
        if (!i.containsPrefix(1, key, 1))
          ++failures;
      }
      ++local;
    }
    verified += local;
  };
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t)
    readers.emplace_back(reader);

  for (int k = 1; k <= kVersions; ++k) {
    std::unique_ptr<Relation> nextItems = db.copyRelation(items);
    Word tuple[2] = {encodeNumber(k - 1), encodeNumber(k - 1)};
    nextItems->insert(tuple);
    auto nextCounter =
        std::make_shared<Relation>(std::vector<ColumnType>{ColumnType::Number});
    Word value[1] = {encodeNumber(k)};
    nextCounter->insert(value);
    db.publish({{items, std::move(nextItems)}, {counter, nextCounter}});
  }
  done.store(true, std::memory_order_release);
  for (std::thread &t : readers)
    t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(verified.load(), 0);
  EXPECT_EQ(db.snapshot()->number(), static_cast<uint64_t>(kVersions));
  EXPECT_EQ(db.snapshot(items)->size(), static_cast<size_t>(kVersions));
}
