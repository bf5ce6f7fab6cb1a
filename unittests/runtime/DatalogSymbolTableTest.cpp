//===- DatalogSymbolTableTest.cpp - Interned Datalog symbols --------------===//

#include "rune/Runtime/Datalog/SymbolTable.h"
#include "rune/Runtime/Datalog/Word.h"

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace rune::datalog;

TEST(DatalogSymbolTable, InternsDenseStableIds) {
  SymbolTable symbols;
  EXPECT_EQ(symbols.size(), 0u);
  EXPECT_FALSE(symbols.isValid(0));
  SymbolId alice = symbols.intern("alice");
  SymbolId bob = symbols.intern("bob");
  SymbolId empty = symbols.intern("");
  EXPECT_EQ(alice, 0u);
  EXPECT_EQ(bob, 1u);
  EXPECT_EQ(empty, 2u);
  EXPECT_EQ(symbols.intern("alice"), alice);
  EXPECT_EQ(symbols.resolve(bob), "bob");
  EXPECT_EQ(symbols.resolve(empty), "");
  EXPECT_EQ(symbols.find("bob"), bob);
  EXPECT_FALSE(symbols.find("carol").has_value());
  EXPECT_EQ(symbols.size(), 3u);
  EXPECT_TRUE(symbols.isValid(2));
  EXPECT_FALSE(symbols.isValid(3));
  // Embedded NUL bytes are part of the symbol.
  SymbolId withNul = symbols.intern(std::string_view("a\0b", 3));
  EXPECT_EQ(symbols.resolve(withNul).size(), 3u);
  EXPECT_NE(withNul, symbols.intern("a"));
}

TEST(DatalogSymbolTable, ManyAndLongSymbolsKeepTheirViews) {
  SymbolTable symbols;
  std::vector<std::string_view> views;
  std::string longText(100000, 'x');
  // Crosses several directory chunks (the first holds 1024 ids) and text
  // blocks, with long strings in between.
  for (int i = 0; i < 20000; ++i) {
    std::string text = i % 1000 == 0 ? longText + std::to_string(i)
                                     : "symbol-" + std::to_string(i);
    SymbolId id = symbols.intern(text);
    ASSERT_EQ(id, static_cast<SymbolId>(i));
    views.push_back(symbols.resolve(id));
  }
  for (int i = 0; i < 20000; ++i) {
    std::string text = i % 1000 == 0 ? longText + std::to_string(i)
                                     : "symbol-" + std::to_string(i);
    ASSERT_EQ(views[i], text);
    ASSERT_EQ(symbols.resolve(static_cast<SymbolId>(i)), text);
    ASSERT_EQ(symbols.intern(text), static_cast<SymbolId>(i));
  }
  EXPECT_GT(symbols.memoryBytes(), 20 * longText.size());
}

TEST(DatalogSymbolTable, ReadersResolveWhileAWriterInterns) {
  SymbolTable symbols;
  constexpr int kSymbols = 200000;
  std::atomic<bool> done{false};
  std::atomic<long> checks{0};
  auto reader = [&](unsigned seed) {
    std::mt19937 random(seed);
    long local = 0;
    while (!done.load(std::memory_order_acquire) || local == 0) {
      size_t available = symbols.size();
      if (available == 0)
        continue;
      SymbolId id = static_cast<SymbolId>(random() % available);
      std::string_view text = symbols.resolve(id);
      if (text != "s" + std::to_string(id)) {
        ADD_FAILURE() << "symbol " << id << " resolved to '" << text << "'";
        return;
      }
      ++local;
    }
    checks += local;
  };
  std::vector<std::thread> readers;
  for (unsigned i = 0; i < 3; ++i)
    readers.emplace_back(reader, i + 1);
  for (int i = 0; i < kSymbols; ++i)
    ASSERT_EQ(symbols.intern("s" + std::to_string(i)),
              static_cast<SymbolId>(i));
  done.store(true, std::memory_order_release);
  for (std::thread &t : readers)
    t.join();
  EXPECT_GT(checks.load(), 0);
  EXPECT_EQ(symbols.size(), static_cast<size_t>(kSymbols));
}

TEST(DatalogSymbolTable, ConcurrentWritersAgreeOnIds) {
  SymbolTable symbols;
  constexpr int kThreads = 4, kNames = 20011; // prime: every stride visits all
  std::vector<std::vector<SymbolId>> seen(kThreads,
                                          std::vector<SymbolId>(kNames));
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t)
    writers.emplace_back([&, t] {
      // Each thread walks the same names in a different order.
      for (int i = 0; i < kNames; ++i) {
        int name = (i * (2 * t + 1)) % kNames;
        seen[t][name] = symbols.intern("n" + std::to_string(name));
      }
    });
  for (std::thread &t : writers)
    t.join();
  EXPECT_EQ(symbols.size(), static_cast<size_t>(kNames));
  for (int name = 0; name < kNames; ++name) {
    for (int t = 1; t < kThreads; ++t)
      ASSERT_EQ(seen[t][name], seen[0][name]);
    ASSERT_EQ(symbols.resolve(seen[0][name]), "n" + std::to_string(name));
  }
}

TEST(DatalogWord, EncodingsRoundTrip) {
  EXPECT_EQ(decodeNumber(encodeNumber(-5)), -5);
  EXPECT_EQ(encodeNumber(-1), ~Word(0));
  EXPECT_EQ(decodeUnsigned(encodeUnsigned(4294967295u)), 4294967295u);
  EXPECT_EQ(encodeUnsigned(7), Word(7));
  EXPECT_EQ(decodeFloat(encodeFloat(1.5f)), 1.5f);
  EXPECT_EQ(encodeFloat(1.0f), Word(0x3F800000u));
  EXPECT_EQ(decodeSymbol(encodeSymbol(42)), 42u);
  EXPECT_EQ(unpackWord(ColumnType::Number, packWord(encodeNumber(-9))),
            encodeNumber(-9));
  EXPECT_EQ(unpackWord(ColumnType::Unsigned, packWord(encodeUnsigned(3e9))),
            encodeUnsigned(3e9));

  for (int64_t v : {int64_t(0), int64_t(-1), kAnyIntegerMin, kAnyIntegerMax,
                    int64_t(123456789012)}) {
    Word w = encodeAnyInteger(v);
    EXPECT_EQ(anyKind(w), AnyKind::Integer);
    EXPECT_EQ(decodeAnyInteger(w), v);
  }
  EXPECT_EQ(anyKind(encodeAnySymbol(9)), AnyKind::Symbol);
  EXPECT_EQ(decodeAnySymbol(encodeAnySymbol(9)), 9u);
  EXPECT_EQ(anyKind(encodeAnyBool(true)), AnyKind::Bool);
  EXPECT_TRUE(decodeAnyBool(encodeAnyBool(true)));
  EXPECT_FALSE(decodeAnyBool(encodeAnyBool(false)));
  EXPECT_TRUE(anyKindIsValid(encodeAnyBool(false)));
  EXPECT_FALSE(anyKindIsValid(Word(3) << 62));
  EXPECT_EQ(columnTypeName(ColumnType::Unsigned), "unsigned");
}

TEST(DatalogWord, TypedOrdering) {
  SymbolTable symbols;
  Word apple = encodeSymbol(symbols.intern("pear"));
  Word banana = encodeSymbol(symbols.intern("banana"));
  EXPECT_EQ(compareValues(ColumnType::Number, encodeNumber(-3), encodeNumber(2),
                          nullptr),
            -1);
  // Unsigned order differs from the signed reading of the same bits.
  EXPECT_EQ(compareValues(ColumnType::Unsigned, encodeUnsigned(4000000000u),
                          encodeUnsigned(2), nullptr),
            1);
  EXPECT_EQ(compareValues(ColumnType::Float, encodeFloat(-1.5f),
                          encodeFloat(0.25f), nullptr),
            -1);
  EXPECT_EQ(compareValues(ColumnType::Float, encodeFloat(NAN),
                          encodeFloat(1e30f), nullptr),
            1);
  // Symbols by text, not by id ("pear" was interned first).
  EXPECT_EQ(compareValues(ColumnType::Symbol, apple, banana, &symbols), 1);
  EXPECT_EQ(compareValues(ColumnType::Symbol, banana, banana, &symbols), 0);
  // Any: kind first, then value.
  EXPECT_EQ(compareValues(ColumnType::Any, encodeAnyInteger(1000),
                          encodeAnySymbol(decodeSymbol(banana)), &symbols),
            -1);
  EXPECT_EQ(compareValues(ColumnType::Any, encodeAnyInteger(-5),
                          encodeAnyInteger(3), &symbols),
            -1);
  EXPECT_EQ(compareValues(ColumnType::Any, encodeAnySymbol(decodeSymbol(apple)),
                          encodeAnySymbol(decodeSymbol(banana)), &symbols),
            1);
  EXPECT_EQ(compareValues(ColumnType::Any, encodeAnyBool(false),
                          encodeAnyBool(true), &symbols),
            -1);
  EXPECT_EQ(compareValues(ColumnType::Any, encodeAnyBool(false),
                          encodeAnySymbol(0), &symbols),
            1);
}
