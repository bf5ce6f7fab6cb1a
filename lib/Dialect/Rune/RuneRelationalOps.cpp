//===- RuneRelationalOps.cpp - Verifiers of the Datalog operations --------===//
//
// The relational operations are generated from RuneRelationalOps.td together
// with the rest of the dialect (RuneOps.cpp holds the generated code); this
// file holds their verifiers, the relation declaration's assembly format and
// the few helpers passes and backends share.
//
//===----------------------------------------------------------------------===//

#include "rune/Dialect/Rune/RuneOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace rune;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// The relation `name` of the program enclosing `op`, or an error on `op`.
static DlRelationOp resolveRelation(Operation *op, FlatSymbolRefAttr name) {
  auto program = op->getParentOfType<DlProgramOp>();
  if (!program) {
    op->emitOpError("must be inside a rune.dl.program");
    return nullptr;
  }
  DlRelationOp relation = program.lookupRelation(name.getValue());
  if (!relation)
    op->emitOpError("refers to the undeclared relation ") << name;
  return relation;
}

/// Checks a key list against a relation: distinct columns in range, one key
/// per column.
static LogicalResult verifyKeys(Operation *op, DlRelationOp relation,
                                ArrayRef<int64_t> columns, size_t numKeys) {
  if (columns.size() != numKeys)
    return op->emitOpError("has ")
           << numKeys << " keys for " << columns.size() << " columns";
  llvm::SmallVector<bool> seen(relation.getArity(), false);
  for (int64_t column : columns) {
    if (column < 0 || column >= static_cast<int64_t>(relation.getArity()))
      return op->emitOpError("column ")
             << column << " is out of range for relation @"
             << relation.getSymName() << " of arity " << relation.getArity();
    if (seen[column])
      return op->emitOpError("column ") << column << " is listed twice";
    seen[column] = true;
  }
  return success();
}

static LogicalResult verifyIndex(Operation *op, DlRelationOp relation,
                                 ArrayRef<int64_t> columns,
                                 std::optional<uint64_t> index) {
  if (!index)
    return success();
  auto orders = relation.getIndexOrders();
  if (*index >= orders.size())
    return op->emitOpError("index ")
           << *index << " does not exist on relation @"
           << relation.getSymName();
  // The looked-up columns must be a prefix of the index's order (in any
  // order among themselves).
  llvm::ArrayRef<int64_t> order = orders[*index];
  llvm::SmallVector<int64_t> prefix(order.take_front(columns.size()));
  llvm::SmallVector<int64_t> wanted(columns);
  llvm::sort(prefix);
  llvm::sort(wanted);
  if (prefix != wanted)
    return op->emitOpError("columns are not a prefix of index ") << *index;
  return success();
}

static LogicalResult verifyBlockArgs(Operation *op, Region &body,
                                     DlRelationOp relation) {
  Block &block = body.front();
  if (block.getNumArguments() != relation.getArity())
    return op->emitOpError("body has ")
           << block.getNumArguments() << " arguments but relation @"
           << relation.getSymName() << " has arity " << relation.getArity();
  for (BlockArgument arg : block.getArguments())
    if (!arg.getType().isInteger(64))
      return op->emitOpError("body arguments must be i64 words");
  return success();
}

/// Versions other than `full` exist only for the relations of an enclosing
/// fixpoint.
static LogicalResult verifyVersion(Operation *op, DlRelationOp relation,
                                   DlVersion version) {
  if (version == DlVersion::Full)
    return success();
  auto fixpoint = op->getParentOfType<DlFixpointOp>();
  if (fixpoint)
    for (Attribute name : fixpoint.getRelations())
      if (cast<FlatSymbolRefAttr>(name).getValue() == relation.getSymName())
        return success();
  return op->emitOpError("reads or writes the ")
         << stringifyDlVersion(version) << " version of @"
         << relation.getSymName()
         << ", which only exists inside a fixpoint over it";
}

//===----------------------------------------------------------------------===//
// Program structure
//===----------------------------------------------------------------------===//

DlRelationOp DlProgramOp::lookupRelation(StringRef name) {
  return dyn_cast_or_null<DlRelationOp>(
      mlir::SymbolTable::lookupSymbolIn(getOperation(), name));
}

LogicalResult DlProgramOp::verify() {
  bool seenStatement = false;
  for (Operation &op : getBody().front()) {
    if (isa<DlRelationOp>(op)) {
      if (seenStatement)
        return op.emitOpError(
            "relations must be declared before the program's statements");
      continue;
    }
    seenStatement = true;
  }
  return success();
}

static std::optional<DlColumnType> columnTypeOf(Attribute attr) {
  if (auto typed = dyn_cast<DlColumnTypeAttr>(attr))
    return typed.getValue();
  return std::nullopt;
}

DlColumnType DlRelationOp::getColumnType(unsigned column) {
  return *columnTypeOf(getColumnTypes()[column]);
}

llvm::SmallVector<llvm::SmallVector<int64_t>> DlRelationOp::getIndexOrders() {
  llvm::SmallVector<llvm::SmallVector<int64_t>> orders;
  if (std::optional<ArrayAttr> indexes = getIndexes())
    for (Attribute index : *indexes)
      orders.emplace_back(cast<DenseI64ArrayAttr>(index).asArrayRef());
  return orders;
}

LogicalResult DlRelationOp::verify() {
  if (getColumnTypes().size() != getColumnNames().size())
    return emitOpError("has ") << getColumnNames().size() << " columns but "
                               << getColumnTypes().size() << " types";
  for (Attribute type : getColumnTypes())
    if (!columnTypeOf(type))
      return emitOpError("column types must be #rune.dl_type values");
  if (std::optional<ArrayAttr> indexes = getIndexes()) {
    for (Attribute index : *indexes) {
      auto order = dyn_cast<DenseI64ArrayAttr>(index);
      if (!order)
        return emitOpError("indexes must be arrays of columns");
      // Every index orders all columns: it is a permutation.
      llvm::SmallVector<int64_t> sorted(order.asArrayRef());
      llvm::sort(sorted);
      bool permutation = sorted.size() == getArity();
      for (size_t i = 0; i < sorted.size(); ++i)
        permutation &= sorted[i] == static_cast<int64_t>(i);
      if (!permutation) {
        InFlightDiagnostic diag = emitOpError("index [");
        llvm::interleaveComma(order.asArrayRef(), diag);
        return diag << "] is not a permutation of " << getArity() << " columns";
      }
    }
  }
  auto checkParams = [&](std::optional<DictionaryAttr> params,
                         StringRef what) -> LogicalResult {
    if (!params)
      return success();
    for (NamedAttribute param : *params)
      if (!isa<StringAttr>(param.getValue()))
        return emitOpError(what) << " parameter '" << param.getName().getValue()
                                 << "' must be a string";
    return success();
  };
  if (getAuxiliary() && (getInput() || getOutput()))
    return emitOpError("an auxiliary relation is never input or output");
  if (failed(checkParams(getInput(), "input")) ||
      failed(checkParams(getOutput(), "output")))
    return failure();
  return success();
}

// rune.dl.relation @name(col: type, ...) [input {..}] [output {..}]
//     [printsize] [auxiliary] [indexes [..]] attr-dict
ParseResult DlRelationOp::parse(OpAsmParser &parser, OperationState &result) {
  Builder &builder = parser.getBuilder();
  StringAttr name;
  if (parser.parseSymbolName(name, getSymNameAttrName(result.name),
                             result.attributes))
    return failure();
  llvm::SmallVector<Attribute> names, types;
  auto parseColumn = [&]() -> ParseResult {
    std::string column;
    StringRef typeName;
    llvm::SMLoc typeLoc;
    if (parser.parseKeywordOrString(&column) || parser.parseColon())
      return failure();
    typeLoc = parser.getCurrentLocation();
    if (parser.parseKeyword(&typeName))
      return failure();
    std::optional<DlColumnType> type = symbolizeDlColumnType(typeName);
    if (!type)
      return parser.emitError(typeLoc, "unknown column type '")
             << typeName << "'";
    names.push_back(builder.getStringAttr(column));
    types.push_back(DlColumnTypeAttr::get(builder.getContext(), *type));
    return success();
  };
  if (parser.parseCommaSeparatedList(OpAsmParser::Delimiter::Paren,
                                     parseColumn))
    return failure();
  result.addAttribute(getColumnNamesAttrName(result.name),
                      builder.getArrayAttr(names));
  result.addAttribute(getColumnTypesAttrName(result.name),
                      builder.getArrayAttr(types));
  DictionaryAttr params;
  if (succeeded(parser.parseOptionalKeyword("input"))) {
    if (parser.parseAttribute(params))
      return failure();
    result.addAttribute(getInputAttrName(result.name), params);
  }
  if (succeeded(parser.parseOptionalKeyword("output"))) {
    if (parser.parseAttribute(params))
      return failure();
    result.addAttribute(getOutputAttrName(result.name), params);
  }
  if (succeeded(parser.parseOptionalKeyword("printsize")))
    result.addAttribute(getPrintsizeAttrName(result.name),
                        builder.getUnitAttr());
  if (succeeded(parser.parseOptionalKeyword("auxiliary")))
    result.addAttribute(getAuxiliaryAttrName(result.name),
                        builder.getUnitAttr());
  if (succeeded(parser.parseOptionalKeyword("indexes"))) {
    llvm::SmallVector<Attribute> indexes;
    auto parseIndex = [&]() -> ParseResult {
      llvm::SmallVector<int64_t> order;
      if (parser.parseCommaSeparatedList(OpAsmParser::Delimiter::Square,
                                         [&]() -> ParseResult {
                                           int64_t column;
                                           if (parser.parseInteger(column))
                                             return failure();
                                           order.push_back(column);
                                           return success();
                                         }))
        return failure();
      indexes.push_back(builder.getDenseI64ArrayAttr(order));
      return success();
    };
    if (parser.parseCommaSeparatedList(OpAsmParser::Delimiter::Square,
                                       parseIndex))
      return failure();
    result.addAttribute(getIndexesAttrName(result.name),
                        builder.getArrayAttr(indexes));
  }
  return parser.parseOptionalAttrDict(result.attributes);
}

void DlRelationOp::print(OpAsmPrinter &printer) {
  printer << ' ';
  printer.printSymbolName(getSymName());
  printer << '(';
  for (unsigned i = 0; i < getArity(); ++i) {
    if (i)
      printer << ", ";
    printer.printKeywordOrString(
        cast<StringAttr>(getColumnNames()[i]).getValue());
    printer << ": " << stringifyDlColumnType(getColumnType(i));
  }
  printer << ')';
  if (getInput())
    printer << " input " << *getInput();
  if (getOutput())
    printer << " output " << *getOutput();
  if (getPrintsize())
    printer << " printsize";
  if (getAuxiliary())
    printer << " auxiliary";
  if (getIndexes()) {
    printer << " indexes [";
    llvm::interleaveComma(getIndexOrders(), printer,
                          [&](llvm::ArrayRef<int64_t> order) {
                            printer << '[';
                            llvm::interleaveComma(order, printer);
                            printer << ']';
                          });
    printer << ']';
  }
  printer.printOptionalAttrDict((*this)->getAttrs(),
                                {getSymNameAttrName(), getColumnNamesAttrName(),
                                 getColumnTypesAttrName(), getInputAttrName(),
                                 getOutputAttrName(), getPrintsizeAttrName(),
                                 getAuxiliaryAttrName(), getIndexesAttrName()});
}

LogicalResult DlFixpointOp::verify() {
  auto program = (*this)->getParentOfType<DlProgramOp>();
  for (Attribute name : getRelations()) {
    auto ref = dyn_cast<FlatSymbolRefAttr>(name);
    if (!ref)
      return emitOpError("relations must be symbol references");
    if (!program.lookupRelation(ref.getValue()))
      return emitOpError("refers to the undeclared relation ") << ref;
  }
  for (Operation &op : getBody().front())
    if (!isa<DlQueryOp>(op))
      return op.emitOpError("only queries may appear in a fixpoint");
  return success();
}

//===----------------------------------------------------------------------===//
// Relation access
//===----------------------------------------------------------------------===//

LogicalResult DlAtomOp::verify() {
  DlRelationOp relation = resolveRelation(*this, getRelationAttr());
  if (!relation)
    return failure();
  if (getNumResults() != relation.getArity())
    return emitOpError("has ")
           << getNumResults() << " results but relation @"
           << relation.getSymName() << " has arity " << relation.getArity();
  return verifyVersion(*this, relation, getVersion());
}

LogicalResult DlScanOp::verify() {
  DlRelationOp relation = resolveRelation(*this, getRelationAttr());
  if (!relation || failed(verifyBlockArgs(*this, getBody(), relation)))
    return failure();
  return verifyVersion(*this, relation, getVersion());
}

LogicalResult DlLookupOp::verify() {
  DlRelationOp relation = resolveRelation(*this, getRelationAttr());
  if (!relation || failed(verifyBlockArgs(*this, getBody(), relation)) ||
      failed(verifyKeys(*this, relation, getColumns(), getKeys().size())) ||
      failed(verifyIndex(*this, relation, getColumns(), getIndex())))
    return failure();
  if (getColumns().empty())
    return emitOpError("needs at least one key column (use rune.dl.scan)");
  return verifyVersion(*this, relation, getVersion());
}

LogicalResult DlNotExistsOp::verify() {
  DlRelationOp relation = resolveRelation(*this, getRelationAttr());
  if (!relation ||
      failed(verifyKeys(*this, relation, getColumns(), getKeys().size())) ||
      failed(verifyIndex(*this, relation, getColumns(), getIndex())))
    return failure();
  return verifyVersion(*this, relation, getVersion());
}

LogicalResult DlInsertOp::verify() {
  DlRelationOp relation = resolveRelation(*this, getRelationAttr());
  if (!relation)
    return failure();
  if (getValues().size() != relation.getArity())
    return emitOpError("inserts ")
           << getValues().size() << " values into relation @"
           << relation.getSymName() << " of arity " << relation.getArity();
  if (getVersion() == DlVersion::Delta)
    return emitOpError("cannot insert into a delta version");
  if (!(*this)->getParentOfType<DlQueryOp>())
    return emitOpError("must be inside a query");
  if ((*this)->getParentOfType<DlAggregateOp>())
    return emitOpError("cannot insert from inside an aggregate");
  return verifyVersion(*this, relation, getVersion());
}

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

LogicalResult DlConstOp::verify() {
  Attribute value = getValue();
  switch (getType()) {
  case DlColumnType::Number:
  case DlColumnType::Unsigned:
    if (!isa<IntegerAttr>(value))
      return emitOpError("a ") << stringifyDlColumnType(getType())
                               << " constant must be an integer";
    return success();
  case DlColumnType::Float:
    if (!isa<FloatAttr>(value))
      return emitOpError("a float constant must be a float");
    return success();
  case DlColumnType::Symbol:
    if (!isa<StringAttr>(value))
      return emitOpError("a symbol constant must be a string");
    return success();
  case DlColumnType::Any:
    if (!isa<IntegerAttr, StringAttr, BoolAttr>(value))
      return emitOpError(
          "an any constant must be an integer, a string or a boolean");
    return success();
  }
  return success();
}

LogicalResult DlFunctorOp::verify() {
  StringRef name = getName();
  size_t arity = getArgs().size();
  std::optional<size_t> expected;
  if (name == "strlen" || name == "to_number" || name == "to_string")
    expected = 1;
  else if (name == "substr")
    expected = 3;
  else if (name == "cat") {
    if (arity < 1)
      return emitOpError("cat needs at least one argument");
  } else {
    return emitOpError("unknown functor '") << name << "'";
  }
  if (expected && arity != *expected)
    return emitOpError("'")
           << name << "' takes " << *expected << " arguments, not " << arity;
  if (getType() != DlColumnType::Symbol && getType() != DlColumnType::Any)
    return emitOpError("string functors work on symbol or any words");
  return success();
}

LogicalResult DlTestOp::verify() {
  StringRef name = getName();
  if (name != "contains" && name != "match" && name != "starts_with" &&
      name != "ends_with")
    return emitOpError("unknown test '") << name << "'";
  if (getType() != DlColumnType::Symbol && getType() != DlColumnType::Any)
    return emitOpError("string tests work on symbol or any words");
  return success();
}

LogicalResult DlAggregateOp::verify() {
  if (getKind() != DlAggregateKind::Count && getType() == DlColumnType::Symbol)
    return emitOpError("cannot ")
           << stringifyDlAggregateKind(getKind()) << " symbols";
  if (!(*this)->getParentOfType<DlQueryOp>())
    return emitOpError("must be inside a query");
  return success();
}

LogicalResult DlAccumulateOp::verify() {
  auto aggregate = (*this)->getParentOfType<DlAggregateOp>();
  if (!aggregate)
    return emitOpError("must be inside a rune.dl.aggregate");
  bool isCount = aggregate.getKind() == DlAggregateKind::Count;
  if (isCount && getValue())
    return emitOpError("a count accumulates no value");
  if (!isCount && !getValue())
    return emitOpError("a ") << stringifyDlAggregateKind(aggregate.getKind())
                             << " accumulates a value";
  return success();
}
