//===- DatalogIRGen.cpp - Datalog AST -> relational ops -------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Each clause becomes an unplanned query: its positive body atoms first (each
// `rune.dl.atom` binds the variables seen for the first time and compares
// the others), then the equalities that bind variables to computed values
// and aggregates, then the remaining constraints, tests and negations as
// guards, and the head as an insert. The order inside an unplanned query
// only has to respect SSA dominance: rune-dl-plan chooses the real order.
//
//===----------------------------------------------------------------------===//

#include "rune/IRGen/DatalogIRGen.h"
#include "rune/Dialect/Rune/RuneOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"

#include <cmath>
#include <optional>

using namespace mlir;
using namespace rune;
using namespace rune::souffle;
using ColumnType = rune::DlColumnType;

namespace {

/// A variable of a clause, bound to a word of a known column type.
struct Binding {
  Value value;
  ColumnType type;
};

/// The variables visible at a point of a clause (an aggregate body sees the
/// clause's variables and adds its own).
using Scope = std::map<std::string, Binding>;

class DatalogIRGenerator {
public:
  DatalogIRGenerator(ModuleOp module, rune::DiagnosticEngine &diagnostics)
      : module(module), context(module.getContext()), builder(context),
        diagnostics(diagnostics) {}

  bool generate(const Program &program) {
    if (!resolveTypes(program))
      return false;
    builder.setInsertionPointToEnd(module.getBody());
    auto programOp = builder.create<DlProgramOp>(module.getLoc());
    Block *body = new Block();
    programOp.getBody().push_back(body);
    builder.setInsertionPointToEnd(body);
    for (const RelationDecl &relation : program.relations)
      generateRelation(relation, program);
    for (const Clause &clause : program.clauses)
      generateClause(clause);
    return !failed;
  }

private:
  //===--- Locations and errors -------------------------------------------===//

  Location loc(llvm::SMLoc sourceLoc) {
    if (!sourceLoc.isValid())
      return UnknownLoc::get(context);
    llvm::SourceMgr &sourceMgr = diagnostics.getSourceMgr();
    unsigned buffer = sourceMgr.FindBufferContainingLoc(sourceLoc);
    if (buffer == 0)
      return UnknownLoc::get(context);
    auto [line, column] = diagnostics.getLineAndColumn(sourceLoc);
    return FileLineColLoc::get(
        context, sourceMgr.getMemoryBuffer(buffer)->getBufferIdentifier(), line,
        column);
  }

  void error(llvm::SMRange range, const llvm::Twine &message) {
    diagnostics.error(range.Start, message, {range});
    failed = true;
  }

  //===--- Types ----------------------------------------------------------===//

  static std::optional<ColumnType> builtinType(llvm::StringRef name) {
    if (name == "number")
      return ColumnType::Number;
    if (name == "unsigned")
      return ColumnType::Unsigned;
    if (name == "float")
      return ColumnType::Float;
    if (name == "symbol")
      return ColumnType::Symbol;
    if (name == "any")
      return ColumnType::Any;
    return std::nullopt;
  }

  /// Resolves subtypes and aliases to the builtin type they stand for.
  bool resolveTypes(const Program &program) {
    llvm::StringMap<const TypeDecl *> declared;
    for (const TypeDecl &type : program.types)
      declared[type.name] = &type;
    for (const TypeDecl &type : program.types) {
      std::string name = type.name;
      size_t steps = 0;
      while (!builtinType(name)) {
        auto it = declared.find(name);
        if (it == declared.end() || ++steps > declared.size()) {
          error(type.nameRange,
                "type '" + type.name + "' is not based on a primitive type");
          return false;
        }
        name = it->second->base;
      }
      typeNames[type.name] = *builtinType(name);
    }
    return true;
  }

  ColumnType typeNamed(llvm::StringRef name) {
    if (std::optional<ColumnType> builtin = builtinType(name))
      return *builtin;
    return typeNames.lookup(name);
  }

  //===--- Relations ------------------------------------------------------===//

  void generateRelation(const RelationDecl &decl, const Program &program) {
    llvm::SmallVector<mlir::Attribute> names, types;
    std::vector<ColumnType> columnTypes;
    for (const souffle::Attribute &attr : decl.attributes) {
      names.push_back(builder.getStringAttr(attr.name));
      ColumnType type = typeNamed(attr.type);
      columnTypes.push_back(type);
      types.push_back(DlColumnTypeAttr::get(context, type));
    }
    relationTypes[decl.name] = columnTypes;
    std::optional<DictionaryAttr> input, output;
    bool printsize = false;
    for (const IODirective &io : program.directives) {
      if (io.relation != decl.name)
        continue;
      if (io.kind == IODirective::Kind::PrintSize) {
        printsize = true;
        continue;
      }
      // Soufflé's defaults, spelled out so the plan shows them: facts come
      // from <name>.facts, outputs go to <name>.csv, tab separated.
      bool isInput = io.kind == IODirective::Kind::Input;
      llvm::StringMap<std::string> params;
      params["IO"] = "file";
      params["filename"] = decl.name + (isInput ? ".facts" : ".csv");
      params["delimiter"] = "\t";
      for (const auto &[key, value] : io.params) {
        if (key != "IO" && key != "filename" && key != "delimiter") {
          error(io.range, "unsupported IO parameter '" + key + "'");
          continue;
        }
        params[key] = value;
      }
      if (params["IO"] != "file" && params["IO"] != "stdout") {
        error(io.range, "unsupported IO kind '" + params["IO"] +
                            "' (expected file or stdout)");
        continue;
      }
      if (isInput && params["IO"] == "stdout") {
        error(io.range, "an input cannot be read from stdout");
        continue;
      }
      llvm::SmallVector<NamedAttribute> entries;
      for (const auto &entry : params)
        entries.push_back(builder.getNamedAttr(
            entry.getKey(), builder.getStringAttr(entry.getValue())));
      DictionaryAttr dict = builder.getDictionaryAttr(entries);
      (isInput ? input : output) = dict;
    }
    auto op = builder.create<DlRelationOp>(
        loc(decl.nameRange.Start), builder.getStringAttr(decl.name),
        builder.getArrayAttr(names), builder.getArrayAttr(types),
        input.value_or(nullptr), output.value_or(nullptr),
        printsize ? builder.getUnitAttr() : nullptr,
        decl.auxiliary ? builder.getUnitAttr() : nullptr, nullptr);
    (void)op;
  }

  //===--- Clauses --------------------------------------------------------===//

  static std::string sourceText(llvm::SMRange range) {
    if (!range.isValid())
      return "";
    std::string text;
    bool space = false;
    for (const char *p = range.Start.getPointer(); p < range.End.getPointer();
         ++p) {
      char c = *p;
      if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
        space = !text.empty();
        continue;
      }
      if (space)
        text += ' ';
      space = false;
      text += c;
    }
    return text;
  }

  void generateClause(const Clause &clause) {
    auto query = builder.create<DlQueryOp>(
        loc(clause.range.Start),
        builder.getStringAttr(sourceText(clause.range)));
    Block *body = new Block();
    query.getBody().push_back(body);
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToEnd(body);
    Scope scope;
    generateBody(clause.body, scope);
    auto it = relationTypes.find(clause.head.relation);
    if (it == relationTypes.end())
      return;
    llvm::SmallVector<Value> values;
    for (size_t i = 0; i < clause.head.args.size(); ++i) {
      const Term &arg = clause.head.args[i];
      Binding value = generateTerm(arg, scope, it->second[i]);
      if (!isLiteral(arg))
        checkCompatible(it->second[i], value.type, arg.range);
      values.push_back(value.value);
    }
    builder.create<DlInsertOp>(loc(clause.head.range.Start),
                               clause.head.relation, DlVersion::Full, values);
  }

  /// Emits `body` at the insertion point, extending `scope` with the
  /// variables it binds.
  void generateBody(const std::vector<Literal> &body, Scope &scope) {
    // 1. Positive atoms bind variables; repeated variables and non-variable
    //    arguments become equality guards, emitted after every atom so that
    //    the terms they compare may use variables bound by later atoms.
    struct PendingEquality {
      Value column;
      ColumnType type;
      const Term *term;
    };
    std::vector<PendingEquality> pending;
    for (const Literal &literal : body) {
      if (literal.kind != Literal::Kind::Atom)
        continue;
      const Atom &atom = literal.atom;
      const std::vector<ColumnType> &types = relationTypes[atom.relation];
      llvm::SmallVector<Type> resultTypes(atom.args.size(),
                                          builder.getI64Type());
      auto op = builder.create<DlAtomOp>(loc(atom.range.Start), resultTypes,
                                         atom.relation, DlVersion::Full);
      for (size_t i = 0; i < atom.args.size(); ++i) {
        const Term &arg = atom.args[i];
        if (arg.kind == Term::Kind::Wildcard)
          continue;
        if (arg.kind == Term::Kind::Variable && !scope.count(arg.text)) {
          scope[arg.text] = {op.getResult(i), types[i]};
          continue;
        }
        pending.push_back({op.getResult(i), types[i], &arg});
      }
    }
    for (const PendingEquality &eq : pending) {
      Binding value = generateTerm(*eq.term, scope, eq.type);
      if (!isLiteral(*eq.term))
        checkCompatible(eq.type, value.type, eq.term->range);
      guard(builder.create<DlCompareOp>(loc(eq.term->range.Start),
                                        builder.getI1Type(), DlCompare::Eq,
                                        eq.type, eq.column, value.value));
    }

    // 2. Equalities that bind a variable to a computed value, then to an
    //    aggregate, one at a time: an aggregate's body sees every variable
    //    the other equalities can bind (they group it, as in Soufflé),
    //    wherever the equalities are written.
    std::vector<bool> done(body.size(), false);
    auto bindOne = [&](bool aggregates) {
      for (size_t i = 0; i < body.size(); ++i) {
        const Literal &literal = body[i];
        if (done[i] || literal.kind != Literal::Kind::Constraint ||
            literal.compareOp != CompareOp::Eq)
          continue;
        for (int side = 0; side < 2; ++side) {
          const Term &var = literal.sides[side];
          const Term &value = literal.sides[1 - side];
          if (var.kind != Term::Kind::Variable || scope.count(var.text) ||
              (value.kind == Term::Kind::Aggregate) != aggregates ||
              !isGrounded(value, scope))
            continue;
          scope[var.text] = generateTerm(value, scope, std::nullopt);
          done[i] = true;
          return true;
        }
      }
      return false;
    };
    while (bindOne(/*aggregates=*/false) || bindOne(/*aggregates=*/true)) {
    }

    // 3. The remaining constraints, tests and negations.
    for (size_t i = 0; i < body.size(); ++i) {
      const Literal &literal = body[i];
      if (done[i])
        continue;
      switch (literal.kind) {
      case Literal::Kind::Atom:
        break;
      case Literal::Kind::Constraint:
        generateConstraint(literal, scope);
        break;
      case Literal::Kind::Test:
        generateTest(literal.sides[0], scope);
        break;
      case Literal::Kind::NegatedAtom:
        generateNegation(literal.atom, scope);
        break;
      }
    }
  }

  void guard(DlCompareOp condition) {
    builder.create<DlFilterOp>(condition.getLoc(), condition.getResult());
  }

  static bool isGrounded(const Term &term, const Scope &scope) {
    switch (term.kind) {
    case Term::Kind::Variable:
      return scope.count(term.text);
    case Term::Kind::Wildcard:
      return false;
    case Term::Kind::Aggregate:
      return true;
    default:
      for (const Term &operand : term.operands)
        if (!isGrounded(operand, scope))
          return false;
      return true;
    }
  }

  static bool isLiteral(const Term &term) {
    return term.kind == Term::Kind::Number || term.kind == Term::Kind::String ||
           term.kind == Term::Kind::Bool ||
           (term.kind == Term::Kind::Negate &&
            term.operands[0].kind == Term::Kind::Number);
  }

  static bool isNumeric(ColumnType type) {
    return type == ColumnType::Number || type == ColumnType::Unsigned ||
           type == ColumnType::Float;
  }

  /// Soufflé's primitive types do not mix (a subtype or alias is its base
  /// type here); `any` mixes with everything.
  void checkCompatible(ColumnType expected, ColumnType actual,
                       llvm::SMRange range) {
    if (expected == ColumnType::Any || actual == ColumnType::Any ||
        expected == actual)
      return;
    error(range, llvm::Twine("type mismatch: expected a ") +
                     stringifyDlColumnType(expected) + " but this is a " +
                     stringifyDlColumnType(actual));
  }

  void generateConstraint(const Literal &literal, Scope &scope) {
    std::optional<ColumnType> type = inferType(literal.sides[0], scope);
    if (!type)
      type = inferType(literal.sides[1], scope);
    Binding lhs = generateTerm(literal.sides[0], scope, type);
    Binding rhs = generateTerm(literal.sides[1], scope, type ? type : lhs.type);
    // Literals were checked against the other side's type already.
    if (!isLiteral(literal.sides[0]) && !isLiteral(literal.sides[1]))
      checkCompatible(lhs.type, rhs.type, literal.range);
    DlCompare predicate = DlCompare::Eq;
    switch (literal.compareOp) {
    case CompareOp::Eq:
      predicate = DlCompare::Eq;
      break;
    case CompareOp::Ne:
      predicate = DlCompare::Ne;
      break;
    case CompareOp::Lt:
      predicate = DlCompare::Lt;
      break;
    case CompareOp::Le:
      predicate = DlCompare::Le;
      break;
    case CompareOp::Gt:
      predicate = DlCompare::Gt;
      break;
    case CompareOp::Ge:
      predicate = DlCompare::Ge;
      break;
    }
    guard(builder.create<DlCompareOp>(loc(literal.range.Start),
                                      builder.getI1Type(), predicate, lhs.type,
                                      lhs.value, rhs.value));
  }

  void generateTest(const Term &test, Scope &scope) {
    ColumnType type = ColumnType::Symbol;
    for (const Term &operand : test.operands)
      if (inferType(operand, scope) == ColumnType::Any)
        type = ColumnType::Any;
    Binding lhs = generateTerm(test.operands[0], scope, type);
    Binding rhs = generateTerm(test.operands[1], scope, type);
    checkCompatible(ColumnType::Symbol, lhs.type, test.operands[0].range);
    checkCompatible(ColumnType::Symbol, rhs.type, test.operands[1].range);
    auto op = builder.create<DlTestOp>(
        loc(test.range.Start), builder.getI1Type(),
        builder.getStringAttr(test.text), type, lhs.value, rhs.value);
    builder.create<DlFilterOp>(op.getLoc(), op.getResult());
  }

  void generateNegation(const Atom &atom, Scope &scope) {
    const std::vector<ColumnType> &types = relationTypes[atom.relation];
    llvm::SmallVector<int64_t> columns;
    llvm::SmallVector<Value> keys;
    for (size_t i = 0; i < atom.args.size(); ++i) {
      if (atom.args[i].kind == Term::Kind::Wildcard)
        continue;
      Binding key = generateTerm(atom.args[i], scope, types[i]);
      checkCompatible(types[i], key.type, atom.args[i].range);
      columns.push_back(i);
      keys.push_back(key.value);
    }
    builder.create<DlNotExistsOp>(loc(atom.range.Start), atom.relation,
                                  DlVersion::Full, columns, keys,
                                  IntegerAttr());
  }

  //===--- Terms ----------------------------------------------------------===//

  /// The type of a term when it does not depend on its context (literals
  /// take the type they are compared with).
  std::optional<ColumnType> inferType(const Term &term, const Scope &scope) {
    switch (term.kind) {
    case Term::Kind::Variable: {
      auto it = scope.find(term.text);
      if (it == scope.end())
        return std::nullopt;
      return it->second.type;
    }
    case Term::Kind::Wildcard:
    case Term::Kind::Number:
    case Term::Kind::String:
      return std::nullopt;
    case Term::Kind::Bool:
      return ColumnType::Any;
    case Term::Kind::Negate:
      return inferType(term.operands[0], scope);
    case Term::Kind::Binary:
      if (auto type = inferType(term.operands[0], scope))
        return type;
      return inferType(term.operands[1], scope);
    case Term::Kind::Functor: {
      std::optional<ColumnType> operand;
      for (const Term &arg : term.operands)
        if (auto type = inferType(arg, scope); type && !operand)
          operand = type;
      if (operand == ColumnType::Any)
        return ColumnType::Any;
      if (term.text == "cat" || term.text == "substr" ||
          term.text == "to_string")
        return ColumnType::Symbol;
      if (term.text == "strlen" || term.text == "to_number")
        return ColumnType::Number;
      return operand; // min, max
    }
    case Term::Kind::Aggregate:
      if (term.aggregateOp == AggregateOp::Count)
        return ColumnType::Number;
      if (term.aggregateOp == AggregateOp::Mean)
        return ColumnType::Float;
      if (term.operands.empty())
        return std::nullopt;
      {
        // The target's variables are bound inside the aggregate body.
        Scope inner = scope;
        bindBodyTypes(term.body, inner);
        return inferType(term.operands[0], inner);
      }
    }
    return std::nullopt;
  }

  /// Adds the types of the variables `body`'s positive atoms bind (for type
  /// inference only: no IR is generated).
  void bindBodyTypes(const std::vector<Literal> &body, Scope &scope) {
    for (const Literal &literal : body) {
      if (literal.kind != Literal::Kind::Atom)
        continue;
      auto it = relationTypes.find(literal.atom.relation);
      if (it == relationTypes.end())
        continue;
      for (size_t i = 0; i < literal.atom.args.size(); ++i)
        if (literal.atom.args[i].kind == Term::Kind::Variable &&
            !scope.count(literal.atom.args[i].text))
          scope[literal.atom.args[i].text] = {Value(), it->second[i]};
    }
  }

  Binding constant(llvm::SMRange range, mlir::Attribute value,
                   ColumnType type) {
    auto op = builder.create<DlConstOp>(loc(range.Start), builder.getI64Type(),
                                        value, type);
    return {op.getResult(), type};
  }

  Binding generateNumber(const Term &term, std::optional<ColumnType> expected,
                         bool negate) {
    llvm::StringRef text = term.text;
    bool isUnsigned = text.consume_back("u");
    bool isFloat = !text.starts_with("0x") && !text.starts_with("0X") &&
                   text.contains('.');
    ColumnType type = expected && *expected != ColumnType::Symbol
                          ? *expected
                          : (isFloat      ? ColumnType::Float
                             : isUnsigned ? ColumnType::Unsigned
                                          : ColumnType::Number);
    if (isFloat || type == ColumnType::Float) {
      double value = std::strtod(text.str().c_str(), nullptr);
      if (negate)
        value = -value;
      if (type != ColumnType::Float) {
        error(term.range, "a float literal cannot be a " +
                              llvm::Twine(stringifyDlColumnType(type)));
        type = ColumnType::Float;
      }
      return constant(term.range,
                      builder.getF32FloatAttr(static_cast<float>(value)),
                      ColumnType::Float);
    }
    uint64_t magnitude = 0;
    unsigned radix = 10;
    llvm::StringRef digits = text;
    if (digits.consume_front("0x") || digits.consume_front("0X"))
      radix = 16;
    else if (digits.consume_front("0b") || digits.consume_front("0B"))
      radix = 2;
    if (digits.getAsInteger(radix, magnitude)) {
      error(term.range, "number literal '" + term.text + "' is out of range");
      magnitude = 0;
    }
    int64_t value = negate ? -static_cast<int64_t>(magnitude)
                           : static_cast<int64_t>(magnitude);
    // number and unsigned are 32-bit: literals wrap as in Soufflé.
    if (type == ColumnType::Number)
      value = static_cast<int32_t>(static_cast<uint32_t>(value));
    else if (type == ColumnType::Unsigned)
      value = static_cast<uint32_t>(value);
    return constant(term.range, builder.getI64IntegerAttr(value), type);
  }

  Binding generateTerm(const Term &term, Scope &scope,
                       std::optional<ColumnType> expected) {
    switch (term.kind) {
    case Term::Kind::Variable: {
      auto it = scope.find(term.text);
      if (it == scope.end() || !it->second.value) {
        // Sema reports ungrounded variables; keep the IR well formed.
        error(term.range, "ungrounded variable '" + term.text + "'");
        return constant(term.range, builder.getI64IntegerAttr(0),
                        ColumnType::Number);
      }
      return it->second;
    }
    case Term::Kind::Wildcard:
      error(term.range, "the wildcard '_' cannot be used as a value here");
      return constant(term.range, builder.getI64IntegerAttr(0),
                      ColumnType::Number);
    case Term::Kind::Number:
      return generateNumber(term, expected, /*negate=*/false);
    case Term::Kind::String:
      if (expected && isNumeric(*expected))
        error(term.range, "type mismatch: a string where a " +
                              llvm::Twine(stringifyDlColumnType(*expected)) +
                              " is expected");
      return constant(term.range, builder.getStringAttr(term.text),
                      expected == ColumnType::Any ? ColumnType::Any
                                                  : ColumnType::Symbol);
    case Term::Kind::Bool:
      return constant(term.range, builder.getBoolAttr(term.text == "true"),
                      ColumnType::Any);
    case Term::Kind::Negate: {
      if (term.operands[0].kind == Term::Kind::Number)
        return generateNumber(term.operands[0], expected, /*negate=*/true);
      Binding operand = generateTerm(term.operands[0], scope, expected);
      Binding zero =
          operand.type == ColumnType::Float
              ? constant(term.range, builder.getF32FloatAttr(0), operand.type)
              : constant(term.range, builder.getI64IntegerAttr(0),
                         operand.type);
      return arith(term.range, DlArith::Sub, operand.type, zero, operand);
    }
    case Term::Kind::Binary: {
      std::optional<ColumnType> type = inferType(term, scope);
      if (!type)
        type = expected && isNumeric(*expected)
                   ? expected
                   : std::optional(ColumnType::Number);
      Binding lhs = generateTerm(term.operands[0], scope, type);
      Binding rhs = generateTerm(term.operands[1], scope, type);
      if (lhs.type == ColumnType::Symbol || rhs.type == ColumnType::Symbol)
        error(term.range, "arithmetic on a symbol");
      DlArith op = DlArith::Add;
      switch (term.binaryOp) {
      case BinaryOp::Add:
        op = DlArith::Add;
        break;
      case BinaryOp::Sub:
        op = DlArith::Sub;
        break;
      case BinaryOp::Mul:
        op = DlArith::Mul;
        break;
      case BinaryOp::Div:
        op = DlArith::Div;
        break;
      case BinaryOp::Mod:
        op = DlArith::Mod;
        break;
      }
      return arith(term.range, op, *type, lhs, rhs);
    }
    case Term::Kind::Functor:
      return generateFunctor(term, scope, expected);
    case Term::Kind::Aggregate:
      return generateAggregate(term, scope, expected);
    }
    return constant(term.range, builder.getI64IntegerAttr(0),
                    ColumnType::Number);
  }

  Binding arith(llvm::SMRange range, DlArith op, ColumnType type, Binding lhs,
                Binding rhs) {
    auto result = builder.create<DlArithOp>(
        loc(range.Start), builder.getI64Type(), op, type, lhs.value, rhs.value);
    return {result.getResult(), type};
  }

  Binding generateFunctor(const Term &term, Scope &scope,
                          std::optional<ColumnType> expected) {
    if (term.text == "min" || term.text == "max") {
      std::optional<ColumnType> type = inferType(term, scope);
      if (!type)
        type = expected.value_or(ColumnType::Number);
      Binding lhs = generateTerm(term.operands[0], scope, type);
      Binding rhs = generateTerm(term.operands[1], scope, type);
      return arith(term.range, term.text == "min" ? DlArith::Min : DlArith::Max,
                   *type, lhs, rhs);
    }
    // String functors take symbols and numbers; in .rune rules everything
    // is an `any` word.
    bool isAny = inferType(term, scope) == ColumnType::Any ||
                 expected == ColumnType::Any;
    ColumnType domain = isAny ? ColumnType::Any : ColumnType::Symbol;
    llvm::SmallVector<Value> args;
    for (size_t i = 0; i < term.operands.size(); ++i) {
      // substr's position and length, and to_string's argument, are numbers.
      bool numeric =
          (term.text == "substr" && i > 0) || term.text == "to_string";
      ColumnType argType =
          isAny ? ColumnType::Any
                : (numeric ? ColumnType::Number : ColumnType::Symbol);
      Binding arg = generateTerm(term.operands[i], scope, argType);
      checkCompatible(argType, arg.type, term.operands[i].range);
      args.push_back(arg.value);
    }
    auto op = builder.create<DlFunctorOp>(
        loc(term.range.Start), builder.getI64Type(),
        builder.getStringAttr(term.text), domain, args);
    ColumnType result = *inferType(term, scope);
    if (isAny)
      result = ColumnType::Any;
    return {op.getResult(), result};
  }

  Binding generateAggregate(const Term &term, Scope &scope,
                            std::optional<ColumnType> expected) {
    DlAggregateKind kind = DlAggregateKind::Count;
    switch (term.aggregateOp) {
    case AggregateOp::Count:
      kind = DlAggregateKind::Count;
      break;
    case AggregateOp::Sum:
      kind = DlAggregateKind::Sum;
      break;
    case AggregateOp::Min:
      kind = DlAggregateKind::Min;
      break;
    case AggregateOp::Max:
      kind = DlAggregateKind::Max;
      break;
    case AggregateOp::Mean:
      kind = DlAggregateKind::Mean;
      break;
    }
    std::optional<ColumnType> type = inferType(term, scope);
    if (!type)
      type = expected.value_or(ColumnType::Number);
    if (kind != DlAggregateKind::Count && *type == ColumnType::Symbol) {
      error(term.range, "cannot aggregate symbols");
      type = ColumnType::Number;
    }
    // The accumulated values have the target's type; the mean of numbers
    // is a float.
    ColumnType valueType = *type;
    if (kind == DlAggregateKind::Mean && !term.operands.empty()) {
      Scope inner = scope;
      bindBodyTypes(term.body, inner);
      valueType =
          inferType(term.operands[0], inner).value_or(ColumnType::Number);
    }
    auto op = builder.create<DlAggregateOp>(
        loc(term.range.Start), builder.getI64Type(), kind,
        kind == DlAggregateKind::Mean ? valueType : *type);
    Block *body = new Block();
    op.getBody().push_back(body);
    {
      OpBuilder::InsertionGuard guard(builder);
      builder.setInsertionPointToEnd(body);
      Scope inner = scope;
      generateBody(term.body, inner);
      Value value;
      if (kind != DlAggregateKind::Count && !term.operands.empty())
        value = generateTerm(term.operands[0], inner, valueType).value;
      else if (kind != DlAggregateKind::Count)
        error(term.range, "this aggregate needs a target expression");
      if (kind != DlAggregateKind::Count && !value)
        value = constant(term.range, builder.getI64IntegerAttr(0),
                         ColumnType::Number)
                    .value;
      builder.create<DlAccumulateOp>(loc(term.range.Start), value);
    }
    return {op.getResult(), *type};
  }

  ModuleOp module;
  MLIRContext *context;
  OpBuilder builder;
  rune::DiagnosticEngine &diagnostics;
  llvm::StringMap<ColumnType> typeNames;
  llvm::StringMap<std::vector<ColumnType>> relationTypes;
  bool failed = false;
};

} // namespace

bool rune::souffle::generateDatalogIR(ModuleOp module, const Program &program,
                                      rune::DiagnosticEngine &diagnostics) {
  return DatalogIRGenerator(module, diagnostics).generate(program);
}
