//===- IpeIRGen.cpp - IPE policy files to the rune dialect ----------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/IRGen/IpeIRGen.h"

#include "rune/Dialect/Rune/RuneIntentOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"

#include <cstring>

using namespace mlir;
using namespace rune;
using namespace rune::ipe;

namespace {

bool isAggregateName(llvm::StringRef name) {
  return name == "count" || name == "any" || name == "all";
}

/// "approvals" -> "approval": the noun -v counts with.
llvm::StringRef singular(llvm::StringRef collection) {
  if (collection.size() > 1 && collection.ends_with("s"))
    return collection.drop_back();
  return collection;
}

class Generator {
public:
  Generator(MLIRContext &context, rune::DiagnosticEngine &diagnostics)
      : context(context), diagnostics(diagnostics), builder(&context) {}

  /// With `release` (the policies of `file`, owned by the caller), each
  /// policy is emptied, its AST freed, once generated.
  OwningOpRef<ModuleOp> run(const PolicyFile &file,
                            std::vector<Policy> *release = nullptr) {
    OwningOpRef<ModuleOp> module = ModuleOp::create(UnknownLoc::get(&context));
    builder.setInsertionPointToEnd(module->getBody());
    builder.create<IntentEnumOp>(
        UnknownLoc::get(&context), "risk",
        builder.getStrArrayAttr({"low", "medium", "high", "critical"}));
    for (const EnumDecl &decl : file.enums) {
      SmallVector<StringRef> members;
      for (const EnumMember &member : decl.members)
        members.push_back(member.name);
      builder.create<IntentEnumOp>(loc(decl.nameRange.Start), decl.name,
                                   builder.getStrArrayAttr(members));
    }
    for (size_t i = 0; i < file.policies.size(); ++i) {
      generatePolicy(file.policies[i]);
      if (release)
        (*release)[i] = Policy();
    }
    if (failed)
      return nullptr;
    return module;
  }

private:
  Location loc(llvm::SMLoc sourceLoc) {
    if (!sourceLoc.isValid())
      return UnknownLoc::get(&context);
    const char *at = sourceLoc.getPointer();
    if (!(at >= cursor.bufferStart && at <= cursor.bufferEnd)) {
      llvm::SourceMgr &sourceMgr = diagnostics.getSourceMgr();
      unsigned buffer = sourceMgr.FindBufferContainingLoc(sourceLoc);
      if (buffer == 0)
        return UnknownLoc::get(&context);
      // A policy file makes a location per operation: unique its name once.
      const llvm::MemoryBuffer *memory = sourceMgr.getMemoryBuffer(buffer);
      fileName = StringAttr::get(&context, memory->getBufferIdentifier());
      locations.clear();
      cursor = {memory->getBufferStart(), memory->getBufferEnd(),   buffer,
                memory->getBufferStart(), memory->getBufferStart(), 1};
    }
    // An operation often starts where its first operand does (a
    // comparison and its left-hand side, an aggregate and its collection):
    // a pointer lookup is much cheaper than uniquing the location again.
    auto [cached, fresh] = locations.try_emplace(at, Location(nullptr));
    if (fresh) {
      auto [line, column] = lineAndColumn(at);
      cached->second = FileLineColLoc::get(fileName, line, column);
    }
    return cached->second;
  }
  llvm::DenseMap<const char *, Location> locations;

  /// What SourceMgr::getLineAndColumn gives (lines counted at '\n', the
  /// column from the last '\n' or '\r'), from a cursor that moves forward
  /// through the file: IRGen asks for locations in nearly source order, so
  /// this scans each byte about once instead of a binary search and a
  /// backward scan per operation.
  std::pair<unsigned, unsigned> lineAndColumn(const char *at) {
    // A `where` filter is generated where its aggregate is, before the
    // rest of the requirement it follows in the text: going back within
    // the policy rescans from the policy's start, not from the file's.
    if (at < cursor.lineStart && at >= policyCursor.scanned &&
        policyCursor.buffer == cursor.buffer && policyCursor.scanned)
      cursor = policyCursor;
    if (at < cursor.lineStart) {
      auto [line, column] = diagnostics.getSourceMgr().getLineAndColumn(
          llvm::SMLoc::getFromPointer(at), cursor.buffer);
      cursor.scanned = at;
      cursor.line = line;
      cursor.lineStart = at - (column - 1);
      return {line, column};
    }
    // memchr finds the line ends a machine word or more at a time.
    size_t length = at > cursor.scanned ? size_t(at - cursor.scanned) : 0;
    if (length) {
      const char *from = cursor.scanned, *end = at;
      while (const char *newline = static_cast<const char *>(
                 std::memchr(from, '\n', size_t(end - from)))) {
        ++cursor.line;
        cursor.lineStart = newline + 1;
        from = newline + 1;
      }
      // A '\r' restarts the column too (as SourceMgr counts it).
      if (const char *carriage =
              static_cast<const char *>(memrchr(cursor.scanned, '\r', length));
          carriage && carriage + 1 > cursor.lineStart)
        cursor.lineStart = carriage + 1;
      cursor.scanned = at;
    }
    return {cursor.line, unsigned(at - cursor.lineStart) + 1};
  }

  struct LineCursor {
    const char *bufferStart = nullptr;
    const char *bufferEnd = nullptr;
    unsigned buffer = 0;
    /// Everything before `scanned` has been counted: `line` is the line
    /// of `scanned`, which starts at `lineStart`.
    const char *scanned = nullptr;
    const char *lineStart = nullptr;
    unsigned line = 1;
  } cursor;
  /// The cursor at the start of the policy being generated.
  LineCursor policyCursor;
  StringAttr fileName;

  void error(llvm::SMRange range, const llvm::Twine &message) {
    diagnostics.error(range.Start, message, {range});
    failed = true;
  }

  /// Labels and -v templates are built in these buffers and copied once,
  /// into the context: no std::string temporaries per condition.
  using TextBuffer = llvm::SmallString<256>;
  TextBuffer labelText, explainText;

  /// Appends the expression as written, white space runs collapsed to one
  /// space.
  static void appendSourceText(TextBuffer &out, llvm::SMRange range) {
    if (!range.isValid())
      return;
    llvm::StringRef text(range.Start.getPointer(),
                         range.End.getPointer() - range.Start.getPointer());
    auto isSpace = [](char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    };
    // Most conditions are written on one line with single spaces: nothing
    // to collapse, so copy them whole rather than byte by byte.
    bool collapses =
        !text.empty() && (isSpace(text.front()) || isSpace(text.back()));
    for (size_t i = 0; !collapses && i < text.size(); ++i)
      collapses = text[i] == '\t' || text[i] == '\n' || text[i] == '\r' ||
                  (text[i] == ' ' && isSpace(text[i + 1]));
    if (!collapses) {
      out += text;
      return;
    }
    size_t start = out.size();
    bool space = false;
    for (char c : text) {
      if (isSpace(c)) {
        space = out.size() != start;
        continue;
      }
      if (space)
        out.push_back(' ');
      space = false;
      out.push_back(c);
    }
  }

  /// Strings that recur across policies (request paths, literals,
  /// predicates, aggregate modes, metadata keys): a hash lookup here is
  /// several times cheaper than uniquing them in the context again.
  StringAttr recurringString(llvm::StringRef text) {
    auto [entry, fresh] = recurringStrings.try_emplace(text, StringAttr());
    if (fresh)
      entry->second = builder.getStringAttr(text);
    return entry->second;
  }
  llvm::StringMap<StringAttr> recurringStrings;

  Attribute literalAttr(const ipe::Value &value) {
    switch (value.kind) {
    case ipe::Value::Kind::String:
      return recurringString(value.string);
    case ipe::Value::Kind::Int:
      return builder.getI64IntegerAttr(value.intValue);
    case ipe::Value::Kind::Float:
      return builder.getF64FloatAttr(value.floatValue);
    case ipe::Value::Kind::Bool:
      return builder.getBoolAttr(value.boolValue);
    case ipe::Value::Kind::List: {
      SmallVector<Attribute> elements;
      for (const ipe::Value &element : value.elements)
        elements.push_back(literalAttr(element));
      return builder.getArrayAttr(elements);
    }
    }
    return {};
  }

  void generatePolicy(const Policy &policy) {
    // Policies do not share source positions: a small map per policy
    // stays in the cache.
    locations.clear();
    const Requirement &req = policy.requirement;
    bool denies = req.kind == Requirement::Kind::Denies;
    DictionaryAttr metadata;
    if (!policy.metadata.empty()) {
      SmallVector<NamedAttribute> entries;
      for (const MetadataEntry &entry : policy.metadata)
        entries.emplace_back(recurringString(entry.key),
                             literalAttr(entry.value));
      metadata = builder.getDictionaryAttr(entries);
    }
    Location policyLoc = loc(policy.nameRange.Start);
    policyCursor = cursor;
    auto op = builder.create<IntentPolicyOp>(
        policyLoc, builder.getStringAttr(policy.name),
        policy.isPredicate ? builder.getUnitAttr() : UnitAttr(),
        denies ? builder.getUnitAttr() : UnitAttr(),
        builder.getStringAttr(policy.intent),
        denies && req.reason ? builder.getStringAttr(*req.reason)
                             : StringAttr(),
        metadata);
    OpBuilder::InsertionGuard guard(builder);
    {
      builder.setInsertionPointToStart(&op.getTrigger().emplaceBlock());
      mlir::Value trigger = condition(*policy.trigger);
      builder.create<IntentYieldOp>(loc(policy.trigger->range.Start), trigger);
    }
    if (!denies) {
      where = req.where.get();
      builder.setInsertionPointToStart(&op.getRequirement().emplaceBlock());
      mlir::Value requirement = condition(*req.condition);
      builder.create<IntentYieldOp>(loc(req.condition->range.Start),
                                    requirement);
      where = nullptr;
    }
  }

  Type i1() { return builder.getI1Type(); }
  Type valueType() { return ValueType::get(&context); }

  /// A placeholder condition after an error, so generation can go on and
  /// report every error.
  mlir::Value poison(Location location) {
    return builder.create<IntentBoolOp>(location, false);
  }

  mlir::Value condition(const Expr &expr) {
    Location location = loc(expr.range.Start);
    switch (expr.kind) {
    case Expr::Kind::Or:
    case Expr::Kind::And: {
      mlir::Value lhs = condition(*expr.operands[0]);
      Operation *op;
      Region *rhsRegion;
      if (expr.kind == Expr::Kind::And) {
        auto andOp = builder.create<IntentAndOp>(location, i1(), lhs);
        op = andOp;
        rhsRegion = &andOp.getRhs();
      } else {
        auto orOp = builder.create<IntentOrOp>(location, i1(), lhs);
        op = orOp;
        rhsRegion = &orOp.getRhs();
      }
      OpBuilder::InsertionGuard guard(builder);
      builder.setInsertionPointToStart(&rhsRegion->emplaceBlock());
      mlir::Value rhs = condition(*expr.operands[1]);
      builder.create<IntentYieldOp>(location, rhs);
      return op->getResult(0);
    }
    case Expr::Kind::Not:
      return builder.create<IntentNotOp>(location, i1(),
                                         condition(*expr.operands[0]));
    case Expr::Kind::Compare: {
      static const char *const predicates[] = {"eq", "ne", "lt",
                                               "le", "gt", "ge"};
      const Expr &lhsExpr = *expr.operands[0], &rhsExpr = *expr.operands[1];
      mlir::Value lhs = value(lhsExpr), rhs = value(rhsExpr);
      // "<a's>, <b's>", or the one there is (a literal has none).
      explainText.clear();
      appendDescription(explainText, lhsExpr, 'a');
      size_t first = explainText.size();
      if (first)
        explainText += ", ";
      size_t second = explainText.size();
      appendDescription(explainText, rhsExpr, 'b');
      if (explainText.size() == second)
        explainText.resize(first);
      labelText.clear();
      appendSourceText(labelText, expr.range);
      return builder.create<IntentCompareOp>(
          location, i1(),
          recurringString(predicates[static_cast<int>(expr.op)]), lhs, rhs,
          builder.getStringAttr(labelText), builder.getStringAttr(explainText));
    }
    case Expr::Kind::In: {
      mlir::Value tested = value(*expr.operands[0]);
      SmallVector<Attribute> members;
      for (const ipe::Value &member : expr.members) {
        if (member.kind == ipe::Value::Kind::List) {
          error(member.range, "an 'in' list holds strings, numbers and "
                              "booleans, not lists");
          continue;
        }
        members.push_back(literalAttr(member));
      }
      labelText.clear();
      appendSourceText(labelText, expr.range);
      explainText.clear();
      appendDescription(explainText, *expr.operands[0], 'a');
      return builder.create<IntentInOp>(
          location, i1(), tested, builder.getArrayAttr(members),
          builder.getStringAttr(labelText), builder.getStringAttr(explainText));
    }
    case Expr::Kind::Path:
    case Expr::Kind::Call:
    case Expr::Kind::Literal: {
      mlir::Value tested = value(expr);
      labelText.clear();
      appendSourceText(labelText, expr.range);
      explainText.clear();
      appendDescription(explainText, expr, 'a');
      if (explainText.empty()) {
        explainText = labelText;
        explainText += " is {a}";
      }
      return builder.create<IntentTruthOp>(location, i1(), tested,
                                           builder.getStringAttr(labelText),
                                           builder.getStringAttr(explainText));
    }
    }
    return poison(location);
  }

  /// Appends what -v says about one operand of a condition; nothing for a
  /// literal.
  void appendDescription(TextBuffer &out, const Expr &expr, char placeholder) {
    if (expr.kind == Expr::Kind::Literal)
      return;
    if ((expr.kind == Expr::Kind::Path || expr.kind == Expr::Kind::Call) &&
        expr.path.size() >= 2 && expr.path.back() == "count") {
      out += '{';
      out += placeholder;
      out += ':';
      out += singular(expr.path[expr.path.size() - 2]);
      out += '}';
      if (where || expr.kind == Expr::Kind::Call)
        out += " matched the filter";
      return;
    }
    appendSourceText(out, expr.range);
    out += " is {";
    out += placeholder;
    out += '}';
  }

  mlir::Value value(const Expr &expr) {
    Location location = loc(expr.range.Start);
    switch (expr.kind) {
    case Expr::Kind::Literal:
      return builder.create<IntentLiteralOp>(location, valueType(),
                                             literalAttr(expr.literal));
    case Expr::Kind::Path:
      if (expr.path.size() >= 2 && isAggregateName(expr.path.back()))
        return aggregate(expr, where);
      return path(expr, expr.path, /*collection=*/false);
    case Expr::Kind::Call:
      if (expr.path.size() >= 2 && isAggregateName(expr.path.back()) &&
          expr.operands.size() <= 1)
        return aggregate(
            expr, expr.operands.empty() ? where : expr.operands.front().get());
      error(expr.range,
            "unknown function '" + llvm::join(expr.path, ".") +
                "' (the functions are '.count', '.any' and '.all' of a "
                "collection, with at most one filter argument)");
      return builder.create<IntentLiteralOp>(location, valueType(),
                                             builder.getBoolAttr(false));
    default:
      error(expr.range, "a condition cannot be used as a value here; "
                        "comparisons do not chain");
      return builder.create<IntentLiteralOp>(location, valueType(),
                                             builder.getBoolAttr(false));
    }
  }

  /// Reads `components` of the request (or of the current aggregate
  /// element when they start with its name).
  mlir::Value path(const Expr &expr, llvm::ArrayRef<std::string> components,
                   bool collection) {
    Location location = loc(expr.range.Start);
    if (element && components.front() == elementName) {
      mlir::Value current = element;
      std::string display = elementName;
      for (const std::string &key : components.drop_front()) {
        display += "." + key;
        current = builder.create<IntentGetOp>(location, valueType(), current,
                                              key, display);
      }
      return current;
    }
    llvm::SmallString<64> resolved;
    llvm::ArrayRef<std::string> rest = components;
    if (components.front() == "principal" ||
        components.front() == "requester") {
      resolved = "request.principal";
      rest = rest.drop_front();
    }
    for (const std::string &component : rest) {
      if (!resolved.empty())
        resolved += '.';
      resolved += component;
    }
    return builder.create<IntentReadOp>(
        location, valueType(), recurringString(resolved),
        collection ? builder.getUnitAttr() : UnitAttr());
  }

  mlir::Value aggregate(const Expr &expr, const Expr *filter) {
    Location location = loc(expr.range.Start);
    llvm::ArrayRef<std::string> collectionPath =
        llvm::ArrayRef(expr.path).drop_back();
    mlir::Value collection = path(expr, collectionPath, /*collection=*/true);
    std::string name =
        collectionPath.size() == 1 && collectionPath.front() == "approvals"
            ? "approver"
            : "item";
    auto op = builder.create<IntentAggregateOp>(
        location, valueType(), recurringString(expr.path.back()), collection,
        recurringString(name));
    if (!filter)
      return op;
    OpBuilder::InsertionGuard guard(builder);
    Block &block = op.getFilter().emplaceBlock();
    block.addArgument(valueType(), location);
    builder.setInsertionPointToStart(&block);
    mlir::Value savedElement = element;
    std::string savedName = elementName;
    const Expr *savedWhere = where;
    element = block.getArgument(0);
    elementName = name;
    where = nullptr; // a filter's own aggregates have no filter
    mlir::Value passes = condition(*filter);
    builder.create<IntentYieldOp>(loc(filter->range.Start), passes);
    element = savedElement;
    elementName = savedName;
    where = savedWhere;
    return op;
  }

  MLIRContext &context;
  rune::DiagnosticEngine &diagnostics;
  OpBuilder builder;
  bool failed = false;
  /// The `where` of the requirement being generated, or null.
  const Expr *where = nullptr;
  /// Inside a filter: the element and its name.
  mlir::Value element;
  std::string elementName;
};

} // namespace

OwningOpRef<ModuleOp> rune::ipe::generateIR(MLIRContext &context,
                                            const PolicyFile &file,
                                            DiagnosticEngine &diagnostics) {
  context.getOrLoadDialect<RuneDialect>();
  return Generator(context, diagnostics).run(file);
}

OwningOpRef<ModuleOp> rune::ipe::generateIR(MLIRContext &context,
                                            PolicyFile &&file,
                                            DiagnosticEngine &diagnostics) {
  context.getOrLoadDialect<RuneDialect>();
  return Generator(context, diagnostics).run(file, &file.policies);
}
