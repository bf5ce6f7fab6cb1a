//===- DatalogFactsIOTest.cpp - Soufflé fact files in and out -------------===//

#include "rune/Runtime/Datalog/FactsIO.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <limits>
#include <random>
#include <sstream>
#include <vector>

using namespace rune::datalog;

namespace {

const std::vector<ColumnType> kTwoNumbers = {ColumnType::Number,
                                             ColumnType::Number};

/// Parses `text` into a fresh relation of `types`; returns the error (empty
/// on success).
std::string parseError(const std::vector<ColumnType> &types,
                       std::string_view text,
                       const FactsOptions &options = {}) {
  SymbolTable symbols;
  Relation relation(types);
  std::string error;
  bool ok = parseFacts("edges.facts", text, symbols, relation, error, options);
  EXPECT_EQ(ok, error.empty());
  if (!ok)
    EXPECT_TRUE(relation.empty()) << "a failed parse must not leave tuples";
  return error;
}

std::string roundTrip(const std::vector<ColumnType> &types,
                      std::string_view text, const FactsOptions &options = {}) {
  SymbolTable symbols;
  Relation relation(types);
  std::string error;
  EXPECT_TRUE(parseFacts("in.facts", text, symbols, relation, error, options))
      << error;
  return formatFacts(relation, symbols, options);
}

std::optional<Word> value(ColumnType type, std::string_view text,
                          SymbolTable &symbols) {
  std::string error;
  std::optional<Word> word = parseFactValue(type, text, symbols, error);
  EXPECT_EQ(word.has_value(), error.empty()) << text;
  return word;
}

} // namespace

TEST(DatalogFactsIO, NumbersAsSoufflesReaderAcceptsThem) {
  SymbolTable symbols;
  auto number = [&](std::string_view text) {
    return value(ColumnType::Number, text, symbols);
  };
  EXPECT_EQ(number("0"), encodeNumber(0));
  EXPECT_EQ(number("-5"), encodeNumber(-5));
  EXPECT_EQ(number("+7"), encodeNumber(7));
  EXPECT_EQ(number(" 3"), encodeNumber(3));
  EXPECT_EQ(number("2147483647"), encodeNumber(2147483647));
  EXPECT_EQ(number("-2147483648"), encodeNumber(-2147483647 - 1));
  for (const char *bad :
       {"2147483648", "-2147483649", "0x10", "0b1", "1.5", "", "12 ", "--1",
        "+-1", "abc", "-", "99999999999999999999999"})
    EXPECT_FALSE(number(bad).has_value()) << bad;
}

TEST(DatalogFactsIO, UnsignedAcceptsHexAndBinary) {
  SymbolTable symbols;
  auto unsignedValue = [&](std::string_view text) {
    return value(ColumnType::Unsigned, text, symbols);
  };
  EXPECT_EQ(unsignedValue("0"), encodeUnsigned(0));
  EXPECT_EQ(unsignedValue("4294967295"), encodeUnsigned(4294967295u));
  EXPECT_EQ(unsignedValue("0x1F"), encodeUnsigned(31));
  EXPECT_EQ(unsignedValue("0xffffffff"), encodeUnsigned(4294967295u));
  EXPECT_EQ(unsignedValue("0b101"), encodeUnsigned(5));
  EXPECT_EQ(unsignedValue("+3"), encodeUnsigned(3));
  for (const char *bad :
       {"-1", "4294967296", "0x", "0b2", "1.0", "", "0x1G", "0x100000000"})
    EXPECT_FALSE(unsignedValue(bad).has_value()) << bad;
}

TEST(DatalogFactsIO, FloatsAndSymbolsAndAny) {
  SymbolTable symbols;
  auto floatValue = [&](std::string_view text) {
    return value(ColumnType::Float, text, symbols);
  };
  EXPECT_EQ(floatValue("1.5"), encodeFloat(1.5f));
  EXPECT_EQ(floatValue("-0.25"), encodeFloat(-0.25f));
  EXPECT_EQ(floatValue("1e3"), encodeFloat(1000.0f));
  EXPECT_EQ(floatValue("0x1p-2"), encodeFloat(0.25f));
  EXPECT_EQ(floatValue("inf"), encodeFloat(INFINITY));
  for (const char *bad : {"abc", "1e50", "", "1.5x", "1.5 "})
    EXPECT_FALSE(floatValue(bad).has_value()) << bad;

  std::optional<Word> spaced = value(ColumnType::Symbol, " a b ", symbols);
  ASSERT_TRUE(spaced);
  EXPECT_EQ(symbols.resolve(decodeSymbol(*spaced)), " a b ");
  std::optional<Word> empty = value(ColumnType::Symbol, "", symbols);
  ASSERT_TRUE(empty);
  EXPECT_EQ(symbols.resolve(decodeSymbol(*empty)), "");

  EXPECT_EQ(value(ColumnType::Any, "42", symbols), encodeAnyInteger(42));
  EXPECT_EQ(value(ColumnType::Any, "-7", symbols), encodeAnyInteger(-7));
  EXPECT_EQ(value(ColumnType::Any, "true", symbols), encodeAnyBool(true));
  EXPECT_EQ(value(ColumnType::Any, "false", symbols), encodeAnyBool(false));
  std::optional<Word> alice = value(ColumnType::Any, "alice", symbols);
  ASSERT_TRUE(alice);
  EXPECT_EQ(anyKind(*alice), AnyKind::Symbol);
  EXPECT_EQ(symbols.resolve(decodeAnySymbol(*alice)), "alice");
  EXPECT_EQ(anyKind(*value(ColumnType::Any, "4.5", symbols)), AnyKind::Symbol);
  EXPECT_FALSE(value(ColumnType::Any, "4611686018427387904", symbols));
  EXPECT_EQ(value(ColumnType::Any, "-2305843009213693952", symbols),
            encodeAnyInteger(kAnyIntegerMin));
}

TEST(DatalogFactsIO, ErrorsAreLocatedAtTheColumn) {
  EXPECT_EQ(parseError(kTwoNumbers, "1\t2\n3\tx\n"),
            "edges.facts:2:3: error: expected a number, got 'x'\n"
            "3\tx\n"
            " \t^");
  EXPECT_EQ(parseError(kTwoNumbers, "1\t2\n3\n"),
            "edges.facts:2:2: error: missing column 2: expected 2 columns, "
            "found 1\n"
            "3\n"
            " ^");
  EXPECT_EQ(parseError(kTwoNumbers, "1\t2\t3\n"),
            "edges.facts:1:4: error: too many columns: expected 2\n"
            "1\t2\t3\n"
            " \t ^");
  EXPECT_EQ(parseError(kTwoNumbers, "1\t2\n\n5\t6\n"),
            "edges.facts:2:1: error: expected a number, got ''\n"
            "\n"
            "^");
  EXPECT_EQ(parseError({ColumnType::Number}, "2147483648\r\n"),
            "edges.facts:1:1: error: number out of the 32-bit range: "
            "'2147483648'\n"
            "2147483648\n"
            "^");
  EXPECT_EQ(parseError({ColumnType::Symbol, ColumnType::Unsigned},
                       "a,1\nb,-2\n", FactsOptions{","}),
            "edges.facts:2:3: error: expected an unsigned number, got '-2'\n"
            "b,-2\n"
            "  ^");
  EXPECT_EQ(parseError(kTwoNumbers, "1\t2\n", FactsOptions{""}),
            "edges.facts: error: invalid column delimiter");
}

TEST(DatalogFactsIO, LinesDelimitersAndLineEndings) {
  EXPECT_EQ(roundTrip(kTwoNumbers, "1\t2\r\n3\t4\r\n"), "1\t2\n3\t4\n");
  EXPECT_EQ(roundTrip(kTwoNumbers, "3\t4\n1\t2"), "1\t2\n3\t4\n");
  EXPECT_EQ(roundTrip(kTwoNumbers, ""), "");
  EXPECT_EQ(roundTrip(kTwoNumbers, "1\t2\n1\t2\n"), "1\t2\n");
  EXPECT_EQ(roundTrip({ColumnType::Symbol, ColumnType::Symbol}, "a b::c\nd::\n",
                      FactsOptions{"::"}),
            "a b::c\nd::\n");
  // An empty line is an empty symbol, as in Soufflé.
  EXPECT_EQ(roundTrip({ColumnType::Symbol}, "x\n\ny\n"), "x\n\ny\n");
}

TEST(DatalogFactsIO, NullaryFactFiles) {
  EXPECT_EQ(roundTrip({}, ""), "");
  EXPECT_EQ(roundTrip({}, "()\n"), "()\n");
  EXPECT_EQ(roundTrip({}, "\n"), "()\n");
}

TEST(DatalogFactsIO, FailedParseLeavesRelationUnchanged) {
  SymbolTable symbols;
  Relation relation(kTwoNumbers, {{0, 1}, {1, 0}});
  std::string error;
  ASSERT_TRUE(parseFacts("a.facts", "1\t2\n", symbols, relation, error));
  EXPECT_FALSE(
      parseFacts("b.facts", "5\t6\n7\t8\n9\tz\n", symbols, relation, error));
  EXPECT_EQ(error.rfind("b.facts:3:3: error: expected a number, got 'z'", 0),
            0u);
  EXPECT_EQ(formatFacts(relation, symbols), "1\t2\n");
  // A good second file is merged into every index.
  ASSERT_TRUE(parseFacts("c.facts", "5\t1\n", symbols, relation, error));
  EXPECT_EQ(relation.size(), 2u);
  Word key[1] = {encodeNumber(1)};
  EXPECT_TRUE(relation.containsPrefix(1, key, 1));
}

TEST(DatalogFactsIO, OutputFormatsLikeSouffle) {
  SymbolTable symbols;
  Relation relation({ColumnType::Number, ColumnType::Unsigned,
                     ColumnType::Float, ColumnType::Symbol});
  Word tuple[4] = {encodeNumber(-3), encodeUnsigned(4000000000u),
                   encodeFloat(1.1f),
                   encodeSymbol(symbols.intern("hello world"))};
  relation.insert(tuple);
  EXPECT_EQ(formatFacts(relation, symbols),
            "-3\t4000000000\t1.10000002\thello world\n");
  EXPECT_EQ(formatFacts(relation, symbols, FactsOptions{", "}),
            "-3, 4000000000, 1.10000002, hello world\n");

  // Floats print exactly as Soufflé's `ostream << float` at precision
  // max_digits10.
  for (float f : {0.5f, 100.0f, 1e10f, -2.5f, 3e-5f, 0.0f, -0.0f, INFINITY,
                  -INFINITY, 123456789.0f, 1.0f / 3.0f}) {
    std::ostringstream expected;
    expected << std::setprecision(std::numeric_limits<float>::max_digits10)
             << f;
    EXPECT_EQ(formatValue(ColumnType::Float, encodeFloat(f), symbols),
              expected.str());
  }
  EXPECT_EQ(formatValue(ColumnType::Float, encodeFloat(1e10f), symbols),
            "1e+10");
  EXPECT_EQ(
      formatValue(ColumnType::Number, encodeNumber(-2147483647 - 1), symbols),
      "-2147483648");
  EXPECT_EQ(
      formatValue(ColumnType::Any, encodeAnyInteger(kAnyIntegerMin), symbols),
      "-2305843009213693952");
  EXPECT_EQ(formatValue(ColumnType::Any, encodeAnyBool(true), symbols), "true");
  EXPECT_EQ(formatValue(ColumnType::Any, encodeAnySymbol(symbols.intern("bob")),
                        symbols),
            "bob");
  EXPECT_THROW(formatValue(ColumnType::Symbol, encodeSymbol(999), symbols),
               std::out_of_range);

  Relation flag({});
  EXPECT_EQ(formatFacts(flag, symbols), "");
  flag.insert(nullptr);
  EXPECT_EQ(formatFacts(flag, symbols), "()\n");

  std::ostringstream block;
  writeStdoutBlock(block, "path", relation, symbols);
  EXPECT_EQ(block.str(), "---------------\npath\n===============\n"
                         "-3\t4000000000\t1.10000002\thello world\n"
                         "===============\n");
}

TEST(DatalogFactsIO, AnyColumnsRoundTrip) {
  // Output is in index order, the unsigned order of the stored Words: the
  // 62-bit two's complement -1 sorts after 42.
  EXPECT_EQ(roundTrip({ColumnType::Any, ColumnType::Any, ColumnType::Any},
                      "-1\tfalse\t4.5\n42\ttrue\talice\n"),
            "42\ttrue\talice\n-1\tfalse\t4.5\n");
}

TEST(DatalogFactsIO, FilesAreReadAndWrittenWhole) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(testing::TempDir()) / "rune-datalog-factsio";
  fs::remove_all(dir);
  fs::create_directories(dir);

  SymbolTable symbols;
  Relation relation({ColumnType::Symbol, ColumnType::Number});
  std::string error;
  std::string input = (dir / "in.facts").string();
  { std::ofstream(input) << "b\t2\na\t1\n"; }
  ASSERT_TRUE(readFactsFile(input, symbols, relation, error)) << error;
  EXPECT_EQ(relation.size(), 2u);

  std::string output = (dir / "out.csv").string();
  ASSERT_TRUE(writeFactsFile(output, relation, symbols, error)) << error;
  std::ifstream written(output);
  std::stringstream text;
  text << written.rdbuf();
  EXPECT_EQ(text.str(), formatFacts(relation, symbols));
  EXPECT_FALSE(fs::exists(output + ".partial"));

  std::string missing = (dir / "missing.facts").string();
  EXPECT_FALSE(readFactsFile(missing, symbols, relation, error));
  EXPECT_EQ(error, missing + ": error: cannot open fact file: No such file or "
                             "directory");

  EXPECT_FALSE(readFactsFile(dir.string(), symbols, relation, error));
  EXPECT_EQ(error, dir.string() + ": error: cannot read fact file: Is a "
                                  "directory");
  EXPECT_EQ(relation.size(), 2u);

  std::string unwritable = (dir / "no-such-dir" / "out.csv").string();
  EXPECT_FALSE(writeFactsFile(unwritable, relation, symbols, error));
  EXPECT_EQ(error.rfind(unwritable + ": error: cannot write output file: ", 0),
            0u);
  EXPECT_FALSE(fs::exists(unwritable));
  fs::remove_all(dir);
}

TEST(DatalogFactsIO, LargeFilesAreReadInBlocks) {
  // More than one 1 MiB block, CRLF line ends (a '\r' and its '\n' may sit
  // in different blocks) and an error on the last line: the line number
  // must count across blocks and nothing may be left in the relation.
  namespace fs = std::filesystem;
  fs::path dir = fs::path(testing::TempDir()) / "rune-datalog-blocks";
  fs::create_directories(dir);
  std::string path = (dir / "big.facts").string();
  constexpr int kLines = 200000;
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < kLines; ++i)
      out << i << '\t' << -i << "\r\n";
  }
  SymbolTable symbols;
  Relation relation(kTwoNumbers);
  std::string error;
  ASSERT_TRUE(readFactsFile(path, symbols, relation, error)) << error;
  EXPECT_EQ(relation.size(), static_cast<size_t>(kLines));
  Word last[2] = {encodeNumber(kLines - 1), encodeNumber(1 - kLines)};
  EXPECT_TRUE(relation.contains(last));

  {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out << "7\t8\t9";
  }
  Relation fresh(kTwoNumbers);
  EXPECT_FALSE(readFactsFile(path, symbols, fresh, error));
  EXPECT_EQ(error, path + ":" + std::to_string(kLines + 1) +
                       ":4: error: too many columns: expected 2\n"
                       "7\t8\t9\n"
                       " \t ^");
  EXPECT_TRUE(fresh.empty());
  fs::remove_all(dir);
}

TEST(DatalogFactsIO, GarbageNeverCrashesAndErrorsAreLocated) {
  // Random bytes (biased towards delimiters, digits, signs and line ends)
  // into every column type: each parse either succeeds or gives one
  // clang-style message for the given source, and failures add nothing.
  std::mt19937 random(2026);
  const char alphabet[] = "0123456789+-.xbe\t\t\n\r,;:  ainf\x80\xff\"()";
  std::vector<std::vector<ColumnType>> schemas = {
      {},
      {ColumnType::Number},
      {ColumnType::Unsigned, ColumnType::Float},
      {ColumnType::Symbol, ColumnType::Any, ColumnType::Number},
  };
  size_t failures = 0, successes = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    size_t length = random() % 40;
    for (size_t i = 0; i < length; ++i)
      text += random() % 8 == 0 ? static_cast<char>(random() % 256)
                                : alphabet[random() % (sizeof alphabet - 1)];
    for (const auto &schema : schemas) {
      SymbolTable symbols;
      Relation relation(schema);
      std::string error;
      FactsOptions options;
      if (round % 3 == 1)
        options.delimiter = ",";
      if (parseFacts("fuzz.facts", text, symbols, relation, error, options)) {
        ++successes;
        // What was read prints and reads back to the same relation.
        std::string printed = formatFacts(relation, symbols, options);
        Relation again(schema);
        ASSERT_TRUE(
            parseFacts("again", printed, symbols, again, error, options) ||
            schema.empty())
            << error;
      } else {
        ++failures;
        ASSERT_EQ(error.rfind("fuzz.facts:", 0), 0u) << error;
        ASSERT_NE(error.find(": error: "), std::string::npos) << error;
        ASSERT_TRUE(relation.empty());
      }
    }
  }
  EXPECT_GT(failures, 0u);
  EXPECT_GT(successes, 0u);
}
