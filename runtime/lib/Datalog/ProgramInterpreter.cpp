//===- ProgramInterpreter.cpp - Runs a decoded Datalog program ------------===//
//
// A tree-walking interpreter over the verified instruction tree: registers
// are 64-bit words, a guard that fails returns from the body it is in (the
// rest of that body is skipped for the current bindings), scans and lookups
// run their body once per tuple. Fixpoints are semi-naive: delta starts as a
// copy of the relation; each iteration's `new` tuples (not checked against
// the relation when inserted) are merged into it in one ordered pass, and
// those that were really new become the next delta.
//
// Semantics of values follow Soufflé: `number` and `unsigned` arithmetic is
// 32-bit and wraps, division truncates (by zero it yields 0: Datalog has no
// evaluation errors), floats are IEEE float32; `any` (.rune) integers are
// 62-bit and operations on a non-integer yield 0.
//
//===----------------------------------------------------------------------===//

#include "ProgramImage.h"

#include "rune/Runtime/Datalog/FactsIO.h"
#include "rune/Runtime/Datalog/SymbolTable.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <regex>
#include <unordered_map>

using namespace rune;
using namespace rune::datalog;
using namespace rune::datalog::detail;
using bc::DatalogOpcode;

namespace {

struct Accumulator {
  bc::DatalogAggregate kind;
  ColumnType type;
  uint64_t count = 0;
  int64_t integerSum = 0;
  uint32_t unsignedSum = 0;
  double floatSum = 0;
  Word best = 0;
  bool hasBest = false;
};

class Evaluator {
public:
  Evaluator(const ProgramImage &image,
            std::vector<std::unique_ptr<Relation>> &full, SymbolTable &symbols)
      : image(image), full(full), delta(full.size()), next(full.size()),
        symbols(symbols), regs(image.registerCount, 0),
        hints(hintSlots(image.statements)) {}

  void run() {
    for (const Instr &statement : image.statements)
      runStatement(statement);
  }

private:
  /// One more than the highest hint slot used: images assembled from parts
  /// of a decoded one (a .rune decision's static and per-request halves)
  /// keep the slots decoding gave their instructions.
  static size_t hintSlots(const std::vector<Instr> &body) {
    size_t slots = 0;
    for (const Instr &instr : body) {
      if (instr.op == DatalogOpcode::Lookup ||
          instr.op == DatalogOpcode::NotExists)
        slots = std::max<size_t>(slots, instr.hint + 1);
      slots = std::max(slots, hintSlots(instr.body));
    }
    return slots;
  }

  void runStatement(const Instr &statement) {
    switch (statement.op) {
    case DatalogOpcode::Stratum:
      for (const Instr &inner : statement.body)
        runStatement(inner);
      break;
    case DatalogOpcode::Fixpoint:
      runFixpoint(statement);
      break;
    case DatalogOpcode::Query:
      runBody(statement.body);
      break;
    default:
      break; // the verifier allows nothing else here
    }
  }

  void runFixpoint(const Instr &fixpoint) {
    for (uint16_t rel : fixpoint.relations) {
      delta[rel] = std::make_unique<Relation>(*full[rel]);
      next[rel] = std::make_unique<Relation>(full[rel]->emptyCopy());
    }
    while (true) {
      for (const Instr &query : fixpoint.body)
        runStatement(query);
      // delta := new - full; full += new.
      bool changed = false;
      for (uint16_t rel : fixpoint.relations) {
        delta[rel]->clear();
        full[rel]->insertAll(*next[rel], *delta[rel]);
        next[rel]->clear();
        changed |= !delta[rel]->empty();
      }
      if (!changed)
        break;
    }
    for (uint16_t rel : fixpoint.relations) {
      delta[rel].reset();
      next[rel].reset();
    }
  }

  Relation &version(uint16_t rel, bc::DatalogVersion v) {
    switch (v) {
    case bc::DatalogVersion::Delta:
      return *delta[rel];
    case bc::DatalogVersion::New:
      return *next[rel];
    default:
      return *full[rel];
    }
  }

  /// Runs `body`; returns early when a guard fails.
  void runBody(const std::vector<Instr> &body) {
    for (const Instr &instr : body) {
      switch (instr.op) {
      case DatalogOpcode::Scan: {
        const Relation &rel = version(instr.relation, instr.version);
        unsigned arity = rel.arity();
        for (auto cursor = rel.scan(0); cursor.valid(); cursor.next()) {
          const Word *tuple = cursor.tuple();
          for (unsigned c = 0; c < arity; ++c)
            regs[instr.dst + c] = tuple[c];
          runBody(instr.body);
        }
        break;
      }
      case DatalogOpcode::Lookup: {
        const Relation &rel = version(instr.relation, instr.version);
        unsigned arity = rel.arity();
        for (auto cursor = rel.lookup(instr.index, regs.data() + instr.a,
                                      instr.count, hints[instr.hint]);
             cursor.valid(); cursor.next()) {
          const Word *tuple = cursor.tuple();
          for (unsigned c = 0; c < arity; ++c)
            regs[instr.dst + c] = tuple[c];
          runBody(instr.body);
        }
        break;
      }
      case DatalogOpcode::NotExists: {
        const Relation &rel = version(instr.relation, instr.version);
        if (rel.lookup(instr.index, regs.data() + instr.a, instr.count,
                       hints[instr.hint])
                .valid())
          return;
        break;
      }
      case DatalogOpcode::Insert: {
        const Word *tuple = regs.data() + instr.a;
        if (instr.version == bc::DatalogVersion::New) {
          // Tuples already known are dropped when `new` is merged into the
          // relation: one ordered pass instead of a probe per derivation.
          next[instr.relation]->insert(tuple);
        } else {
          full[instr.relation]->insert(tuple);
        }
        break;
      }
      case DatalogOpcode::Filter:
        if (regs[instr.a] == 0)
          return;
        break;
      case DatalogOpcode::Aggregate: {
        Accumulator acc{static_cast<bc::DatalogAggregate>(instr.kind),
                        instr.type};
        accumulators.push_back(&acc);
        runBody(instr.body);
        accumulators.pop_back();
        std::optional<Word> result = finish(acc);
        if (!result)
          return;
        regs[instr.dst] = *result;
        break;
      }
      case DatalogOpcode::Accumulate:
        add(*accumulators.back(), regs[instr.a]);
        break;
      case DatalogOpcode::ConstWord:
      case DatalogOpcode::ConstSymbol:
      case DatalogOpcode::ConstAnySymbol:
        regs[instr.dst] = instr.word;
        break;
      case DatalogOpcode::Move:
        regs[instr.dst] = regs[instr.a];
        break;
      case DatalogOpcode::Compare:
        regs[instr.dst] = compare(static_cast<bc::DatalogCompare>(instr.kind),
                                  instr.type, regs[instr.a], regs[instr.b]);
        break;
      case DatalogOpcode::Arith:
        regs[instr.dst] = arith(static_cast<bc::DatalogArith>(instr.kind),
                                instr.type, regs[instr.a], regs[instr.b]);
        break;
      case DatalogOpcode::Functor:
        regs[instr.dst] = functor(instr);
        break;
      case DatalogOpcode::Test:
        regs[instr.dst] = test(static_cast<bc::DatalogTest>(instr.kind),
                               instr.type, regs[instr.a], regs[instr.b]);
        break;
      default:
        break;
      }
    }
  }

  //===--- Values ---------------------------------------------------------===//

  bool compare(bc::DatalogCompare op, ColumnType type, Word a, Word b) {
    // Words are canonical, so equality of words is equality of values --
    // except for floats, which compare as IEEE numbers (0.0 = -0.0).
    if (type != ColumnType::Float) {
      if (op == bc::DatalogCompare::Eq)
        return a == b;
      if (op == bc::DatalogCompare::Ne)
        return a != b;
    }
    if (type == ColumnType::Float) {
      float x = decodeFloat(a), y = decodeFloat(b);
      switch (op) {
      case bc::DatalogCompare::Eq:
        return x == y;
      case bc::DatalogCompare::Ne:
        return x != y;
      case bc::DatalogCompare::Lt:
        return x < y;
      case bc::DatalogCompare::Le:
        return x <= y;
      case bc::DatalogCompare::Gt:
        return x > y;
      case bc::DatalogCompare::Ge:
        return x >= y;
      }
    }
    int order = compareValues(type, a, b, &symbols);
    switch (op) {
    case bc::DatalogCompare::Lt:
      return order < 0;
    case bc::DatalogCompare::Le:
      return order <= 0;
    case bc::DatalogCompare::Gt:
      return order > 0;
    case bc::DatalogCompare::Ge:
      return order >= 0;
    default:
      return false;
    }
  }

  Word arith(bc::DatalogArith op, ColumnType type, Word a, Word b) {
    if (op == bc::DatalogArith::Min || op == bc::DatalogArith::Max) {
      int order = compareValues(type, a, b, &symbols);
      bool pickA = op == bc::DatalogArith::Min ? order <= 0 : order >= 0;
      return pickA ? a : b;
    }
    switch (type) {
    case ColumnType::Number: {
      int32_t x = decodeNumber(a), y = decodeNumber(b);
      uint32_t ux = uint32_t(x), uy = uint32_t(y);
      switch (op) {
      case bc::DatalogArith::Add:
        return encodeNumber(int32_t(ux + uy));
      case bc::DatalogArith::Sub:
        return encodeNumber(int32_t(ux - uy));
      case bc::DatalogArith::Mul:
        return encodeNumber(int32_t(ux * uy));
      case bc::DatalogArith::Div:
        if (y == 0)
          return encodeNumber(0);
        if (y == -1)
          return encodeNumber(int32_t(0u - ux)); // INT_MIN / -1 wraps
        return encodeNumber(x / y);
      case bc::DatalogArith::Mod:
        if (y == 0 || y == -1)
          return encodeNumber(0);
        return encodeNumber(x % y);
      default:
        return 0;
      }
    }
    case ColumnType::Unsigned: {
      uint32_t x = decodeUnsigned(a), y = decodeUnsigned(b);
      switch (op) {
      case bc::DatalogArith::Add:
        return encodeUnsigned(x + y);
      case bc::DatalogArith::Sub:
        return encodeUnsigned(x - y);
      case bc::DatalogArith::Mul:
        return encodeUnsigned(x * y);
      case bc::DatalogArith::Div:
        return encodeUnsigned(y ? x / y : 0);
      case bc::DatalogArith::Mod:
        return encodeUnsigned(y ? x % y : 0);
      default:
        return 0;
      }
    }
    case ColumnType::Float: {
      float x = decodeFloat(a), y = decodeFloat(b);
      switch (op) {
      case bc::DatalogArith::Add:
        return encodeFloat(x + y);
      case bc::DatalogArith::Sub:
        return encodeFloat(x - y);
      case bc::DatalogArith::Mul:
        return encodeFloat(x * y);
      case bc::DatalogArith::Div:
        return encodeFloat(x / y);
      case bc::DatalogArith::Mod:
        return encodeFloat(std::fmod(x, y));
      default:
        return 0;
      }
    }
    case ColumnType::Any: {
      if (anyKind(a) != AnyKind::Integer || anyKind(b) != AnyKind::Integer)
        return encodeAnyInteger(0);
      // 62-bit wrapping arithmetic: compute in 64 bits, keep 62.
      uint64_t x = uint64_t(decodeAnyInteger(a)),
               y = uint64_t(decodeAnyInteger(b));
      int64_t sx = decodeAnyInteger(a), sy = decodeAnyInteger(b);
      switch (op) {
      case bc::DatalogArith::Add:
        return encodeAnyInteger(int64_t(x + y));
      case bc::DatalogArith::Sub:
        return encodeAnyInteger(int64_t(x - y));
      case bc::DatalogArith::Mul:
        return encodeAnyInteger(int64_t(x * y));
      case bc::DatalogArith::Div:
        return encodeAnyInteger(sy ? sx / sy : 0);
      case bc::DatalogArith::Mod:
        return encodeAnyInteger(sy ? sx % sy : 0);
      default:
        return 0;
      }
    }
    case ColumnType::Symbol:
      return 0; // rejected by the compiler
    }
    return 0;
  }

  /// The string a symbol or `any` word stands for, if it is one.
  std::optional<std::string_view> text(ColumnType domain, Word word) {
    if (domain == ColumnType::Any) {
      if (anyKind(word) != AnyKind::Symbol)
        return std::nullopt;
      return symbols.resolve(decodeAnySymbol(word));
    }
    return symbols.resolve(decodeSymbol(word));
  }

  Word makeString(ColumnType domain, std::string_view value) {
    SymbolId id = symbols.intern(value);
    return domain == ColumnType::Any ? encodeAnySymbol(id) : encodeSymbol(id);
  }

  Word makeNumber(ColumnType domain, int64_t value) {
    return domain == ColumnType::Any ? encodeAnyInteger(value)
                                     : encodeNumber(int32_t(value));
  }

  std::optional<int64_t> number(ColumnType domain, Word word) {
    if (domain == ColumnType::Any) {
      if (anyKind(word) != AnyKind::Integer)
        return std::nullopt;
      return decodeAnyInteger(word);
    }
    return decodeNumber(word);
  }

  Word functor(const Instr &instr) {
    ColumnType domain = instr.type;
    const Word *args = regs.data() + instr.a;
    switch (static_cast<bc::DatalogFunctor>(instr.kind)) {
    case bc::DatalogFunctor::Cat: {
      std::string result;
      for (unsigned i = 0; i < instr.count; ++i) {
        if (std::optional<std::string_view> part = text(domain, args[i]))
          result += *part;
        else if (std::optional<int64_t> n = number(domain, args[i]))
          result += std::to_string(*n);
      }
      return makeString(domain, result);
    }
    case bc::DatalogFunctor::Strlen: {
      std::optional<std::string_view> s = text(domain, args[0]);
      return makeNumber(domain, s ? int64_t(s->size()) : 0);
    }
    case bc::DatalogFunctor::Substr: {
      std::optional<std::string_view> s = text(domain, args[0]);
      std::optional<int64_t> start = number(domain, args[1]);
      std::optional<int64_t> length = number(domain, args[2]);
      // Soufflé returns the empty string when the range is invalid.
      if (!s || !start || !length || *start < 0 ||
          *start > int64_t(s->size()) || *length < 0)
        return makeString(domain, "");
      return makeString(domain, s->substr(size_t(*start), size_t(*length)));
    }
    case bc::DatalogFunctor::ToNumber: {
      std::optional<std::string_view> s = text(domain, args[0]);
      int64_t value = 0;
      if (s) {
        std::string_view digits = *s;
        while (!digits.empty() &&
               (digits.front() == ' ' || digits.front() == '\t'))
          digits.remove_prefix(1);
        if (!digits.empty() && digits.front() == '+')
          digits.remove_prefix(1);
        std::from_chars(digits.data(), digits.data() + digits.size(), value);
      }
      return makeNumber(domain, value);
    }
    case bc::DatalogFunctor::ToString: {
      std::optional<int64_t> n = number(domain, args[0]);
      if (!n) // to_string of a string in .rune: itself
        return args[0];
      return makeString(domain, std::to_string(*n));
    }
    }
    return 0;
  }

  bool test(bc::DatalogTest op, ColumnType domain, Word a, Word b) {
    std::optional<std::string_view> x = text(domain, a), y = text(domain, b);
    if (!x || !y)
      return false;
    switch (op) {
    case bc::DatalogTest::Contains:
      return y->find(*x) != std::string_view::npos;
    case bc::DatalogTest::StartsWith:
      return y->size() <= x->size() && x->substr(0, y->size()) == *y;
    case bc::DatalogTest::EndsWith:
      return y->size() <= x->size() && x->substr(x->size() - y->size()) == *y;
    case bc::DatalogTest::Match: {
      auto it = regexes.find(std::string(*x));
      if (it == regexes.end()) {
        std::optional<std::regex> compiled;
        try {
          compiled.emplace(std::string(*x), std::regex::ECMAScript);
        } catch (const std::regex_error &) {
          // Soufflé warns and treats an invalid pattern as not matching.
        }
        it = regexes.emplace(std::string(*x), std::move(compiled)).first;
      }
      return it->second && std::regex_match(y->begin(), y->end(), *it->second);
    }
    }
    return false;
  }

  void add(Accumulator &acc, Word value) {
    ++acc.count;
    switch (acc.kind) {
    case bc::DatalogAggregate::Count:
      return;
    case bc::DatalogAggregate::Sum:
    case bc::DatalogAggregate::Mean:
      switch (acc.type) {
      case ColumnType::Number:
        acc.integerSum += decodeNumber(value);
        return;
      case ColumnType::Unsigned:
        acc.unsignedSum += decodeUnsigned(value);
        acc.integerSum += decodeUnsigned(value);
        return;
      case ColumnType::Float:
        acc.floatSum += decodeFloat(value);
        return;
      case ColumnType::Any:
        if (anyKind(value) == AnyKind::Integer)
          acc.integerSum += decodeAnyInteger(value);
        return;
      case ColumnType::Symbol:
        return;
      }
      return;
    case bc::DatalogAggregate::Min:
    case bc::DatalogAggregate::Max: {
      if (!acc.hasBest) {
        acc.best = value;
        acc.hasBest = true;
        return;
      }
      int order = acc.type == ColumnType::Float
                      ? compareFloats(value, acc.best)
                      : compareValues(acc.type, value, acc.best, &symbols);
      if ((acc.kind == bc::DatalogAggregate::Min && order < 0) ||
          (acc.kind == bc::DatalogAggregate::Max && order > 0))
        acc.best = value;
      return;
    }
    }
  }

  std::optional<Word> finish(const Accumulator &acc) {
    switch (acc.kind) {
    case bc::DatalogAggregate::Count:
      return acc.type == ColumnType::Any ? encodeAnyInteger(int64_t(acc.count))
             : acc.type == ColumnType::Unsigned
                 ? encodeUnsigned(uint32_t(acc.count))
                 : encodeNumber(int32_t(acc.count));
    case bc::DatalogAggregate::Sum:
      switch (acc.type) {
      case ColumnType::Number:
        return encodeNumber(int32_t(uint32_t(acc.integerSum)));
      case ColumnType::Unsigned:
        return encodeUnsigned(acc.unsignedSum);
      case ColumnType::Float:
        return encodeFloat(float(acc.floatSum));
      case ColumnType::Any:
        return encodeAnyInteger(acc.integerSum);
      case ColumnType::Symbol:
        return std::nullopt;
      }
      return std::nullopt;
    case bc::DatalogAggregate::Min:
    case bc::DatalogAggregate::Max:
      if (!acc.hasBest)
        return std::nullopt;
      return acc.best;
    case bc::DatalogAggregate::Mean: {
      if (acc.count == 0)
        return std::nullopt;
      double sum =
          acc.type == ColumnType::Float ? acc.floatSum : double(acc.integerSum);
      double mean = sum / double(acc.count);
      if (acc.type == ColumnType::Any)
        return encodeAnyInteger(int64_t(mean));
      return encodeFloat(float(mean));
    }
    }
    return std::nullopt;
  }

  const ProgramImage &image;
  std::vector<std::unique_ptr<Relation>> &full;
  std::vector<std::unique_ptr<Relation>> delta, next;
  SymbolTable &symbols;
  std::vector<Word> regs;
  /// Where each Lookup/NotExists instruction's previous lookup ended: the
  /// keys of a semi-naive join mostly ascend, so the next lookup starts
  /// there instead of at the root.
  std::vector<Relation::LookupHint> hints;
  std::vector<Accumulator *> accumulators;
  std::unordered_map<std::string, std::optional<std::regex>> regexes;
};

} // namespace

void rune::datalog::detail::evaluate(
    const ProgramImage &image,
    std::vector<std::unique_ptr<Relation>> &relations, SymbolTable &symbols) {
  Evaluator(image, relations, symbols).run();
}
