//===- ProgramDisassembler.cpp - Listing of a module's Datalog program ----===//
//
// The decoded instruction tree, one instruction per line, bodies indented
// (runec --emit=bytecode-asm, rune::bc::disassemble).
//
//===----------------------------------------------------------------------===//

#include "ProgramImage.h"

#include "rune/Runtime/BytecodeReader.h"
#include "rune/Runtime/CedarSyntax.h"

#include <cinttypes>
#include <cstdio>

using namespace rune;
using namespace rune::datalog;
using namespace rune::datalog::detail;
using bc::DatalogOpcode;

namespace {

const char *const kVersions[] = {"full", "delta", "new"};
const char *const kCompares[] = {"eq", "ne", "lt", "le", "gt", "ge"};
const char *const kAriths[] = {"add", "sub", "mul", "div", "mod", "min", "max"};
const char *const kAggregates[] = {"count", "sum", "min", "max", "mean"};
const char *const kFunctors[] = {"cat", "strlen", "substr", "to_number",
                                 "to_string"};
const char *const kTests[] = {"contains", "match", "starts_with", "ends_with"};

class Lister {
public:
  Lister(const bc::Module &module, const ProgramImage &image, std::string &out)
      : module(module), image(image), out(out) {}

  void list() {
    out += "\ndatalog relations (" + std::to_string(image.relations.size()) +
           "):\n";
    for (size_t i = 0; i < image.relations.size(); ++i) {
      const RelationInfo &rel = image.relations[i];
      out += "  r" + std::to_string(i) + " = " + rel.name + "(";
      for (size_t c = 0; c < rel.types.size(); ++c) {
        out += c ? ", " : "";
        out += rel.columnNames[c] + ": " +
               std::string(columnTypeName(rel.types[c]));
      }
      out += ")";
      if (rel.io.input)
        out += " input " + syntax::quoteString(rel.io.inputFile);
      if (rel.io.output)
        out += rel.io.outputToStdout
                   ? std::string(" output stdout")
                   : " output " + syntax::quoteString(rel.io.outputFile);
      if (rel.io.printSize)
        out += " printsize";
      if (rel.io.auxiliary)
        out += " auxiliary";
      out += " indexes";
      for (const IndexOrder &order : rel.indexes) {
        out += " [";
        for (size_t c = 0; c < order.size(); ++c)
          out += (c ? " " : "") + std::to_string(order[c]);
        out += "]";
      }
      out += "\n";
    }
    out += "\ndatalog code (registers " + std::to_string(image.registerCount) +
           "):\n";
    for (const Instr &instr : image.statements)
      listInstr(instr, 1);
  }

private:
  std::string reg(uint16_t r) { return "%" + std::to_string(r); }
  std::string range(uint16_t first, size_t n) {
    return "%" + std::to_string(first) + "+" + std::to_string(n);
  }
  std::string rel(uint16_t r) { return "r" + std::to_string(r); }
  std::string version(const Instr &instr) {
    return kVersions[static_cast<unsigned>(instr.version)];
  }
  std::string type(const Instr &instr) {
    return std::string(columnTypeName(instr.type));
  }

  void listInstr(const Instr &instr, unsigned depth) {
    std::string line(depth * 2, ' ');
    size_t arity = 0;
    if (instr.relation < image.relations.size())
      arity = image.relations[instr.relation].types.size();
    switch (instr.op) {
    case DatalogOpcode::Stratum:
      line += "stratum";
      break;
    case DatalogOpcode::Fixpoint:
      line += "fixpoint";
      for (uint16_t r : instr.relations)
        line += " " + rel(r);
      break;
    case DatalogOpcode::Query:
      line += "query";
      break;
    case DatalogOpcode::Scan:
      line += "scan " + rel(instr.relation) + " " + version(instr) + " -> " +
              range(instr.dst, arity);
      break;
    case DatalogOpcode::Lookup:
      line += "lookup " + rel(instr.relation) + " " + version(instr) +
              " index " + std::to_string(instr.index) + " keys " +
              range(instr.a, instr.count) + " -> " + range(instr.dst, arity);
      break;
    case DatalogOpcode::NotExists:
      line += "not_exists " + rel(instr.relation) + " " + version(instr) +
              " index " + std::to_string(instr.index) + " keys " +
              range(instr.a, instr.count);
      break;
    case DatalogOpcode::Insert:
      line += "insert " + rel(instr.relation) + " " + version(instr) + " " +
              range(instr.a, arity);
      break;
    case DatalogOpcode::Filter:
      line += "filter " + reg(instr.a);
      break;
    case DatalogOpcode::Aggregate:
      line += reg(instr.dst) + " = aggregate " +
              std::string(kAggregates[instr.kind]) + " " + type(instr);
      break;
    case DatalogOpcode::Accumulate:
      line += "accumulate " + reg(instr.a);
      break;
    case DatalogOpcode::ConstWord: {
      char word[32];
      std::snprintf(word, sizeof word, "0x%" PRIx64, instr.word);
      line += reg(instr.dst) + " = const " + word;
      break;
    }
    case DatalogOpcode::ConstSymbol:
    case DatalogOpcode::ConstAnySymbol:
      line += reg(instr.dst) +
              (instr.op == DatalogOpcode::ConstSymbol ? " = symbol "
                                                      : " = any_symbol ") +
              syntax::quoteString(module.strings[instr.string]);
      break;
    case DatalogOpcode::Move:
      line += reg(instr.dst) + " = move " + reg(instr.a);
      break;
    case DatalogOpcode::Compare:
      line += reg(instr.dst) + " = " + kCompares[instr.kind] + " " +
              type(instr) + " " + reg(instr.a) + ", " + reg(instr.b);
      break;
    case DatalogOpcode::Arith:
      line += reg(instr.dst) + " = " + kAriths[instr.kind] + " " + type(instr) +
              " " + reg(instr.a) + ", " + reg(instr.b);
      break;
    case DatalogOpcode::Functor:
      line += reg(instr.dst) + " = " + kFunctors[instr.kind] + " " +
              type(instr) + " " + range(instr.a, instr.count);
      break;
    case DatalogOpcode::Test:
      line += reg(instr.dst) + " = " + kTests[instr.kind] + " " + type(instr) +
              " " + reg(instr.a) + ", " + reg(instr.b);
      break;
    }
    out += line + "\n";
    for (const Instr &inner : instr.body)
      listInstr(inner, depth + 1);
  }

  const bc::Module &module;
  const ProgramImage &image;
  std::string &out;
};

} // namespace

void rune::datalog::listProgram(const bc::Module &module, std::string &out) {
  ProgramImage image;
  std::string error;
  if (!decodeProgram(module, image, error)) {
    out += "\n; " + error + "\n";
    return;
  }
  Lister(module, image, out).list();
}
