//===- RelationBenchmark.cpp - Datalog relation storage -------------------===//
//
// Throughput and footprint of the relation store: inserting random and
// sorted binary tuples, prefix lookups on the primary and a secondary
// index, membership tests, merging a delta, and loading 1,000,000 binary
// facts from Soufflé fact text (the memory target: under 24 MB of
// relation storage). Memory is reported as counters: `bytes_per_tuple` and
// `relation_MB` from Relation::memoryBytes(), `peak_rss_MB` from getrusage
// (whole process, so run the load benchmark on its own for that figure).
//
//===----------------------------------------------------------------------===//

#include "rune/Runtime/Datalog/FactsIO.h"
#include "rune/Runtime/Datalog/Relation.h"
#include "rune/Runtime/Datalog/SymbolTable.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

using namespace rune::datalog;

namespace {

constexpr size_t kMillion = 1000000;
const std::vector<ColumnType> kBinary = {ColumnType::Number,
                                         ColumnType::Number};

/// `count` random binary tuples over `nodes` values (duplicates possible,
/// as in any generated edge list).
std::vector<Word> randomPairs(size_t count, uint32_t nodes, unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_int_distribution<uint32_t> node(0, nodes - 1);
  std::vector<Word> words(count * 2);
  for (Word &w : words)
    w = encodeNumber(static_cast<int32_t>(node(random)));
  return words;
}

double peakRssMegabytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0; // ru_maxrss is in KiB on Linux
}

void reportMemory(benchmark::State &state, const Relation &relation) {
  state.counters["tuples"] = static_cast<double>(relation.size());
  state.counters["bytes_per_tuple"] =
      static_cast<double>(relation.memoryBytes()) /
      static_cast<double>(relation.size());
  state.counters["relation_MB"] = relation.memoryBytes() / 1e6;
}

void BM_InsertRandomBinary(benchmark::State &state) {
  std::vector<Word> pairs = randomPairs(kMillion, 1u << 30, 1);
  size_t indexes = static_cast<size_t>(state.range(0));
  std::vector<IndexOrder> orders = {{0, 1}};
  if (indexes == 2)
    orders.push_back({1, 0});
  for (auto _ : state) {
    Relation relation(kBinary, orders);
    for (size_t i = 0; i < kMillion; ++i)
      relation.insert(&pairs[2 * i]);
    benchmark::DoNotOptimize(relation.size());
    state.PauseTiming();
    reportMemory(state, relation);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kMillion);
}
BENCHMARK(BM_InsertRandomBinary)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_InsertSortedBinary(benchmark::State &state) {
  std::vector<Word> pairs(kMillion * 2);
  for (size_t i = 0; i < kMillion; ++i) {
    pairs[2 * i] = encodeNumber(static_cast<int32_t>(i / 10));
    pairs[2 * i + 1] = encodeNumber(static_cast<int32_t>(i % 10));
  }
  for (auto _ : state) {
    Relation relation(kBinary);
    for (size_t i = 0; i < kMillion; ++i)
      relation.insert(&pairs[2 * i]);
    benchmark::DoNotOptimize(relation.size());
    state.PauseTiming();
    reportMemory(state, relation);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kMillion);
}
BENCHMARK(BM_InsertSortedBinary)->Unit(benchmark::kMillisecond);

/// A random graph of 100,000 nodes and 1,000,000 edges with indexes (0, 1)
/// and (1, 0): the shape of a join's inner relation.
const Relation &graph() {
  static const Relation relation = [] {
    Relation r(kBinary, {{0, 1}, {1, 0}});
    std::vector<Word> pairs = randomPairs(kMillion, 100000, 2);
    for (size_t i = 0; i < kMillion; ++i)
      r.insert(&pairs[2 * i]);
    return r;
  }();
  return relation;
}

void BM_PrefixLookup(benchmark::State &state) {
  const Relation &edges = graph();
  unsigned index = static_cast<unsigned>(state.range(0));
  std::vector<Word> keys = randomPairs(4096, 100000, 3);
  size_t next = 0, matches = 0;
  for (auto _ : state) {
    Word key = keys[next++ & 4095];
    for (Relation::Cursor c = edges.lookup(index, &key, 1); c.valid(); c.next())
      matches += c.tuple()[0] != c.tuple()[1];
  }
  benchmark::DoNotOptimize(matches);
  state.SetItemsProcessed(state.iterations());
  state.counters["tuples_per_lookup"] =
      static_cast<double>(matches) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_PrefixLookup)->Arg(0)->Arg(1);

/// Lookups with ascending keys, as a join's outer loop over a sorted
/// relation issues them; Arg(1) passes a LookupHint.
void BM_PrefixLookupAscending(benchmark::State &state) {
  const Relation &edges = graph();
  bool hinted = state.range(0) != 0;
  Relation::LookupHint hint;
  int32_t next = 0;
  size_t matches = 0;
  for (auto _ : state) {
    Word key = encodeNumber(next);
    next = next == 99999 ? 0 : next + 1;
    Relation::Cursor c =
        hinted ? edges.lookup(0, &key, 1, hint) : edges.lookup(0, &key, 1);
    for (; c.valid(); c.next())
      matches += c.tuple()[0] != c.tuple()[1];
  }
  benchmark::DoNotOptimize(matches);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PrefixLookupAscending)->Arg(0)->Arg(1);

void BM_Contains(benchmark::State &state) {
  const Relation &edges = graph();
  std::vector<Word> probes = randomPairs(4096, 100000, 4);
  size_t next = 0, hits = 0;
  for (auto _ : state) {
    hits += edges.contains(&probes[2 * (next++ & 4095)]);
  }
  benchmark::DoNotOptimize(hits);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Contains);

void BM_MergeDelta(benchmark::State &state) {
  // Semi-naive evaluation's "full += delta": 100,000 new tuples into a
  // relation of 1,000,000, both indexes.
  std::vector<Word> delta = randomPairs(100000, 100000, 5);
  Relation deltaRelation = graph().emptyCopy();
  for (size_t i = 0; i < 100000; ++i)
    deltaRelation.insert(&delta[2 * i]);
  for (auto _ : state) {
    state.PauseTiming();
    Relation full(graph());
    state.ResumeTiming();
    benchmark::DoNotOptimize(full.insertAll(deltaRelation));
  }
  state.SetItemsProcessed(state.iterations() * deltaRelation.size());
}
BENCHMARK(BM_MergeDelta)->Unit(benchmark::kMillisecond);

void BM_CopyRelation(benchmark::State &state) {
  const Relation &edges = graph();
  for (auto _ : state) {
    Relation copy(edges);
    benchmark::DoNotOptimize(copy.size());
  }
  state.SetItemsProcessed(state.iterations() * edges.size());
}
BENCHMARK(BM_CopyRelation)->Unit(benchmark::kMillisecond);

/// Semi-naive transitive closure written directly against the store (no
/// interpreter): path(x,z) :- path(x,y), edge(y,z) over a random graph of
/// Arg(0) nodes and 5 * Arg(0) edges. The storage-only lower bound for the
/// engine's transitive-closure benchmark.
void BM_TransitiveClosureStoreOnly(benchmark::State &state) {
  uint32_t nodes = static_cast<uint32_t>(state.range(0));
  std::vector<Word> pairs = randomPairs(size_t(nodes) * 5, nodes, 7);
  for (auto _ : state) {
    Relation edge(kBinary);
    for (size_t i = 0; i < pairs.size() / 2; ++i)
      edge.insert(&pairs[2 * i]);
    Relation path(edge);
    Relation delta(edge);
    Relation fresh = path.emptyCopy();
    Relation::LookupHint edgeHint, pathHint;
    while (!delta.empty()) {
      for (Relation::Cursor d = delta.scan(); d.valid(); d.next()) {
        Word x = d.tuple()[0], y = d.tuple()[1];
        for (Relation::Cursor e = edge.lookup(0, &y, 1, edgeHint); e.valid();
             e.next()) {
          Word tuple[2] = {x, e.tuple()[1]};
          if (!path.contains(tuple, 0, pathHint))
            fresh.insert(tuple);
        }
      }
      path.insertAll(fresh);
      delta.swap(fresh);
      fresh.clear();
    }
    state.PauseTiming();
    reportMemory(state, path);
    state.ResumeTiming();
  }
}
/// The same closure with the other semi-naive bookkeeping: derived tuples
/// go to `fresh` unchecked, then one ordered pass
/// `path.insertAll(fresh, delta)` keeps the new ones.
void BM_TransitiveClosureStoreOnlyMerge(benchmark::State &state) {
  uint32_t nodes = static_cast<uint32_t>(state.range(0));
  std::vector<Word> pairs = randomPairs(size_t(nodes) * 5, nodes, 7);
  for (auto _ : state) {
    Relation edge(kBinary);
    for (size_t i = 0; i < pairs.size() / 2; ++i)
      edge.insert(&pairs[2 * i]);
    Relation path(edge);
    Relation delta(edge);
    Relation fresh = path.emptyCopy();
    Relation::LookupHint edgeHint;
    while (!delta.empty()) {
      for (Relation::Cursor d = delta.scan(); d.valid(); d.next()) {
        Word x = d.tuple()[0], y = d.tuple()[1];
        for (Relation::Cursor e = edge.lookup(0, &y, 1, edgeHint); e.valid();
             e.next()) {
          Word tuple[2] = {x, e.tuple()[1]};
          fresh.insert(tuple);
        }
      }
      delta.clear();
      path.insertAll(fresh, delta);
      fresh.clear();
    }
    state.PauseTiming();
    reportMemory(state, path);
    state.ResumeTiming();
  }
}
BENCHMARK(BM_TransitiveClosureStoreOnlyMerge)
    ->Arg(2000)
    ->Arg(5000)
    ->Unit(benchmark::kMillisecond);

BENCHMARK(BM_TransitiveClosureStoreOnly)
    ->Arg(2000)
    ->Arg(5000)
    ->Unit(benchmark::kMillisecond);

/// The memory target: 1,000,000 binary `number` facts (distinct,
/// in random order) parsed from Soufflé fact text into a relation with its
/// primary index.
void BM_LoadMillionBinaryFacts(benchmark::State &state) {
  std::string text;
  {
    std::vector<uint64_t> ids(kMillion);
    for (size_t i = 0; i < kMillion; ++i)
      ids[i] = i;
    std::shuffle(ids.begin(), ids.end(), std::mt19937(6));
    text.reserve(kMillion * 14);
    for (uint64_t id : ids) {
      // Node ids up to 100,000: 10 targets per source.
      text += std::to_string(id / 10);
      text += '\t';
      text += std::to_string((id * 7919) % 100000);
      text += '\n';
    }
  }
  SymbolTable symbols;
  for (auto _ : state) {
    Relation relation(kBinary);
    std::string error;
    if (!parseFacts("million.facts", text, symbols, relation, error)) {
      state.SkipWithError(error.c_str());
      return;
    }
    state.PauseTiming();
    reportMemory(state, relation);
    state.counters["peak_rss_MB"] = peakRssMegabytes();
    state.counters["facts_text_MB"] = text.size() / 1e6;
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kMillion);
  state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK(BM_LoadMillionBinaryFacts)->Unit(benchmark::kMillisecond);

/// The same million facts read from a file, in 1 MiB blocks: run alone
/// (--benchmark_filter=File) and `peak_rss_MB` is the whole process's
/// footprint for loading them. The file is written line by line and the
/// order comes from a multiplicative permutation, so generating it holds
/// no memory.
void BM_LoadMillionBinaryFactsFile(benchmark::State &state) {
  std::string path = "/tmp/rune-datalog-million-" +
                     std::to_string(static_cast<long>(getpid())) + ".facts";
  {
    std::ofstream out(path, std::ios::binary);
    for (uint64_t i = 0; i < kMillion; ++i) {
      // 7919 is prime and does not divide 10^6: i -> i*7919 mod 10^6 is a
      // permutation.
      uint64_t id = (i * 7919) % kMillion;
      out << id / 10 << '\t' << (id * 7919) % 100000 << '\n';
    }
  }
  SymbolTable symbols;
  for (auto _ : state) {
    Relation relation(kBinary);
    std::string error;
    if (!readFactsFile(path, symbols, relation, error)) {
      state.SkipWithError(error.c_str());
      break;
    }
    state.PauseTiming();
    reportMemory(state, relation);
    state.counters["peak_rss_MB"] = peakRssMegabytes();
    state.ResumeTiming();
  }
  std::remove(path.c_str());
  state.SetItemsProcessed(state.iterations() * kMillion);
}
BENCHMARK(BM_LoadMillionBinaryFactsFile)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
