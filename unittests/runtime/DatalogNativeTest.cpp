//===- DatalogNativeTest.cpp - The runtime side of native Datalog ---------===//
//
// The rune_dl_rt_* helpers (rune_datalog_native.h) driven by hand-written
// stratum functions, as compiled code calls them, and the buffered inserts
// behind `new` versions (PendingTuples).
//
//===----------------------------------------------------------------------===//

#include "NativeStrata.h"
#include "PendingTuples.h"

#include "rune/Runtime/Datalog/SymbolTable.h"
#include "rune/rune_datalog_native.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <random>
#include <set>
#include <vector>

using namespace rune;
using namespace rune::datalog;
using namespace rune::datalog::detail;

namespace {

std::set<std::vector<Word>> contents(const Relation &relation) {
  std::set<std::vector<Word>> tuples;
  for (auto cursor = relation.scan(0); cursor.valid(); cursor.next())
    tuples.emplace(cursor.tuple(), cursor.tuple() + relation.arity());
  return tuples;
}

TEST(DatalogPendingTuplesTest, RadixSortSortsLikeStdSort) {
  std::mt19937_64 random(7);
  for (unsigned shift : {0u, 20u, 40u}) {
    std::vector<uint64_t> values, scratch;
    for (int i = 0; i < 5000; ++i)
      values.push_back((random() % 100000) << shift);
    std::vector<uint64_t> expected = values;
    std::sort(expected.begin(), expected.end());
    PendingTuples::radixSort(values, scratch);
    EXPECT_EQ(values, expected) << "shift " << shift;
  }
  std::vector<uint64_t> same(10, 42), scratch;
  PendingTuples::radixSort(same, scratch);
  EXPECT_EQ(same, std::vector<uint64_t>(10, 42));
}

/// Buffers `tuples` (with duplicates, in random order) as derived into the
/// new version of a relation of `types` and `orders` that holds every other
/// tuple of them already; merging must give the relation every tuple and the
/// delta exactly those it did not hold.
void expectSemiNaiveMerge(std::vector<ColumnType> types,
                          std::vector<IndexOrder> orders,
                          const std::vector<std::vector<Word>> &tuples) {
  Relation full(types, orders), next = full.emptyCopy(),
                                delta = full.emptyCopy();
  std::set<std::vector<Word>> all, known;
  for (size_t i = 0; i < tuples.size(); i += 2) {
    full.insert(tuples[i].data());
    known.insert(tuples[i]);
  }
  PendingTuples pending;
  for (const std::vector<Word> &tuple : tuples) {
    all.insert(tuple);
    pending.add(tuple.data(), next);
  }
  pending.mergeInto(next, full, delta);
  std::set<std::vector<Word>> added;
  std::set_difference(all.begin(), all.end(), known.begin(), known.end(),
                      std::inserter(added, added.begin()));
  EXPECT_EQ(pending.size(), 0u);
  EXPECT_TRUE(next.empty());
  EXPECT_EQ(contents(full), all);
  EXPECT_EQ(contents(delta), added);
  EXPECT_EQ(delta.size(), added.size());
}

TEST(DatalogPendingTuplesTest, MergesEveryDistinctTupleOnce) {
  std::mt19937 random(3);
  // More than one run, negative numbers (sign-extended words), a
  // second index and a first index that is not in column order.
  std::vector<std::vector<Word>> pairs;
  for (size_t i = 0; i < 3 * PendingTuples::kRunTuples + 5000; ++i)
    pairs.push_back({encodeNumber(int32_t(random() % 300) - 150),
                     encodeNumber(int32_t(random() % 300) - 150)});
  expectSemiNaiveMerge({ColumnType::Number, ColumnType::Number}, {}, pairs);
  expectSemiNaiveMerge({ColumnType::Number, ColumnType::Number},
                       {{1, 0}, {0, 1}}, pairs);

  std::vector<std::vector<Word>> singles;
  for (int i = 0; i < 1000; ++i)
    singles.push_back({encodeUnsigned(uint32_t(random() % 50) * 100000000u)});
  expectSemiNaiveMerge({ColumnType::Unsigned}, {}, singles);

  // Three columns, and `any` columns (64-bit elements): sorted runs into
  // the new version, more than one.
  std::vector<std::vector<Word>> triples, anys;
  for (size_t i = 0; i < PendingTuples::kRunTuples + 3000; ++i) {
    triples.push_back({encodeNumber(int32_t(random() % 7) - 3),
                       encodeSymbol(random() % 5), encodeFloat(0.5f)});
    anys.push_back({encodeAnyInteger(int64_t(random() % 9) - 4),
                    encodeAnySymbol(random() % 4)});
  }
  expectSemiNaiveMerge(
      {ColumnType::Number, ColumnType::Symbol, ColumnType::Float}, {{2, 1, 0}},
      triples);
  expectSemiNaiveMerge({ColumnType::Any, ColumnType::Any}, {}, anys);

  // A nullary relation holds after any insert.
  Relation nullary({}, {}), next = nullary.emptyCopy(),
                            delta = nullary.emptyCopy();
  PendingTuples pending;
  pending.add(nullptr, next);
  pending.mergeInto(next, nullary, delta);
  EXPECT_EQ(nullary.size(), 1u);
  EXPECT_EQ(delta.size(), 1u);
}

//===----------------------------------------------------------------------===//
// Helpers, called as compiled code calls them
//===----------------------------------------------------------------------===//

// Relations of the hand-written program: 0 edge(a, b), 1 path(a, b) with
// indexes [0, 1]; 2 counts(n) .
constexpr uint32_t kEdge = 0, kPath = 1, kCounts = 2;
constexpr uint32_t kFull = 0, kDelta = 1, kNew = 2;

/// path(x, y) :- edge(x, y). as a stratum function.
void basePaths(rune_dl_frame *frame) {
  rune_dl_cursor cursor;
  for (const uint64_t *t = rune_dl_rt_scan_begin(frame, &cursor, kEdge, kFull);
       t; t = rune_dl_rt_cursor_next(&cursor))
    rune_dl_rt_insert(frame, kPath, kFull, t);
}

/// The fixpoint of path(x, z) :- path(x, y), edge(y, z). with the loop in
/// "native" code, as DatalogToLLVM.cpp lowers it.
void closePaths(rune_dl_frame *frame) {
  const uint32_t relations[] = {kPath};
  rune_dl_rt_fixpoint_begin(frame, relations, 1);
  do {
    rune_dl_cursor outer, inner;
    for (const uint64_t *p =
             rune_dl_rt_scan_begin(frame, &outer, kPath, kDelta);
         p; p = rune_dl_rt_cursor_next(&outer)) {
      uint64_t x = p[0], key = p[1];
      for (const uint64_t *e = rune_dl_rt_lookup_begin(
               frame, &inner, kEdge, kFull, 0, &key, 1, /*hint=*/0);
           e; e = rune_dl_rt_cursor_next(&inner)) {
        uint64_t tuple[2] = {x, e[1]};
        rune_dl_rt_insert(frame, kPath, kNew, tuple);
      }
    }
  } while (rune_dl_rt_fixpoint_advance(frame, relations, 1));
  rune_dl_rt_fixpoint_end(frame, relations, 1);
}

/// counts(n) :- n = count : { path(_, _) }, and a max over a relation that
/// has no tuple with key 999 (it does not exist: nothing is inserted).
void countPaths(rune_dl_frame *frame) {
  rune_dl_accumulator count, none;
  rune_dl_rt_aggregate_begin(frame, &count,
                             uint32_t(bc::DatalogAggregate::Count),
                             uint32_t(ColumnType::Number));
  rune_dl_cursor cursor;
  for (const uint64_t *t = rune_dl_rt_scan_begin(frame, &cursor, kPath, kFull);
       t; t = rune_dl_rt_cursor_next(&cursor))
    rune_dl_rt_accumulate(frame, &count, 0);
  uint64_t n = 0;
  if (rune_dl_rt_aggregate_finish(frame, &count, &n))
    rune_dl_rt_insert(frame, kCounts, kFull, &n);

  rune_dl_rt_aggregate_begin(frame, &none, uint32_t(bc::DatalogAggregate::Max),
                             uint32_t(ColumnType::Number));
  uint64_t key = encodeNumber(999);
  for (const uint64_t *t = rune_dl_rt_lookup_begin(frame, &cursor, kEdge, kFull,
                                                   0, &key, 1, /*hint=*/1);
       t; t = rune_dl_rt_cursor_next(&cursor))
    rune_dl_rt_accumulate(frame, &none, t[1]);
  uint64_t best = 0;
  if (rune_dl_rt_aggregate_finish(frame, &none, &best))
    rune_dl_rt_insert(frame, kCounts, kFull, &best);
}

TEST(DatalogNativeHelpersTest, RunsHandWrittenStrata) {
  ProgramImage image;
  image.relations.resize(3);
  image.hintCount = 2;
  std::vector<std::unique_ptr<Relation>> relations;
  relations.push_back(std::make_unique<Relation>(
      std::vector<ColumnType>{ColumnType::Number, ColumnType::Number}));
  relations.push_back(std::make_unique<Relation>(
      std::vector<ColumnType>{ColumnType::Number, ColumnType::Number}));
  relations.push_back(
      std::make_unique<Relation>(std::vector<ColumnType>{ColumnType::Number}));
  // A chain 0 -> 1 -> ... -> 39 plus a back edge 39 -> 0: every node reaches
  // every node.
  const int nodes = 40;
  for (int i = 0; i < nodes; ++i) {
    Word edge[2] = {encodeNumber(i), encodeNumber((i + 1) % nodes)};
    relations[kEdge]->insert(edge);
  }
  SymbolTable symbols;
  std::vector<uint64_t> symbolWords = nativeSymbolWords(image);
  evaluateNative(image, {basePaths, closePaths, countPaths}, symbolWords,
                 relations, symbols);
  EXPECT_EQ(relations[kPath]->size(), size_t(nodes * nodes));
  std::set<std::vector<Word>> expected = {{encodeNumber(nodes * nodes)}};
  EXPECT_EQ(contents(*relations[kCounts]), expected);
}

TEST(DatalogNativeHelpersTest, ValueHelpersFollowTheInterpreter) {
  ProgramImage image;
  std::vector<std::unique_ptr<Relation>> relations;
  SymbolTable symbols;
  std::vector<uint64_t> symbolWords = nativeSymbolWords(image);
  uint32_t abc = symbols.intern("abc"), abd = symbols.intern("abd");
  static int32_t results[6];
  static uint64_t words[3];
  // Symbols order by text, not id; `any` arithmetic on a non-integer is 0;
  // cat interns its result.
  auto values = [](rune_dl_frame *frame) {
    results[0] =
        rune_dl_rt_compare(frame, uint32_t(bc::DatalogCompare::Lt),
                           uint32_t(ColumnType::Symbol), words[0], words[1]);
    results[1] =
        rune_dl_rt_compare(frame, uint32_t(bc::DatalogCompare::Gt),
                           uint32_t(ColumnType::Symbol), words[0], words[1]);
    results[2] =
        rune_dl_rt_test(frame, uint32_t(bc::DatalogTest::StartsWith),
                        uint32_t(ColumnType::Symbol), words[0], words[1]);
    uint64_t args[2] = {words[0], words[1]};
    words[2] = rune_dl_rt_functor(frame, uint32_t(bc::DatalogFunctor::Cat),
                                  uint32_t(ColumnType::Symbol), args, 2);
    results[3] = int32_t(rune_dl_rt_arith(
        frame, uint32_t(bc::DatalogArith::Add), uint32_t(ColumnType::Any),
        encodeAnySymbol(0), encodeAnyInteger(5)));
    results[4] = int32_t(decodeAnyInteger(rune_dl_rt_arith(
        frame, uint32_t(bc::DatalogArith::Div), uint32_t(ColumnType::Any),
        encodeAnyInteger(-7), encodeAnyInteger(2))));
  };
  words[0] = encodeSymbol(abd);
  words[1] = encodeSymbol(abc);
  evaluateNative(image, {values}, symbolWords, relations, symbols);
  EXPECT_EQ(results[0], 0); // "abd" < "abc" is false
  EXPECT_EQ(results[1], 1);
  EXPECT_EQ(results[2], 0); // "abd" does not start with "abc"
  EXPECT_EQ(symbols.resolve(decodeSymbol(words[2])), "abdabc");
  EXPECT_EQ(uint64_t(uint32_t(results[3])), encodeAnyInteger(0));
  EXPECT_EQ(results[4], -3);
}

TEST(DatalogNativeHelpersTest, ChecksTheStratumTable) {
  ProgramImage image;
  image.statements.resize(2);
  std::string error;
  rune_dl_stratum_fn two[] = {basePaths, closePaths};
  EXPECT_TRUE(checkNativeStrata(image, two, 2, error));
  EXPECT_FALSE(checkNativeStrata(image, two, 1, error));
  EXPECT_EQ(error, "native module: 1 Datalog stratum functions but the "
                   "bytecode has 2 statements");
  EXPECT_FALSE(checkNativeStrata(image, nullptr, 2, error));
  rune_dl_stratum_fn withNull[] = {basePaths, nullptr};
  EXPECT_FALSE(checkNativeStrata(image, withNull, 2, error));
  EXPECT_EQ(error, "native module: Datalog stratum function 1 is null");
}

} // namespace
