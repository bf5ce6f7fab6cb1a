//===- Program.cpp - A loaded Datalog program, run over a Database --------===//

#include "NativeStrata.h"
#include "ProgramImage.h"

#include "rune/Runtime/BytecodeReader.h"
#include "rune/Runtime/Datalog/FactsIO.h"

using namespace rune;
using namespace rune::datalog;
using namespace rune::datalog::detail;

Program::Program() : image(std::make_unique<ProgramImage>()) {}
Program::~Program() = default;

/// Symbol constants become words once their strings are interned in this
/// program's table.
static void internConstants(std::vector<Instr> &body, const bc::Module &module,
                            SymbolTable &symbols) {
  for (Instr &instr : body) {
    if (instr.op == bc::DatalogOpcode::ConstSymbol)
      instr.word = encodeSymbol(symbols.intern(module.strings[instr.string]));
    else if (instr.op == bc::DatalogOpcode::ConstAnySymbol)
      instr.word =
          encodeAnySymbol(symbols.intern(module.strings[instr.string]));
    internConstants(instr.body, module, symbols);
  }
}

std::unique_ptr<Program> Program::load(const bc::Module &module,
                                       std::string &error) {
  std::unique_ptr<Program> program(new Program());
  if (!decodeProgram(module, *program->image, error))
    return nullptr;
  for (const RelationInfo &rel : program->image->relations)
    program->db.declare(rel.name, rel.types, rel.indexes);
  program->workingRelations.resize(program->image->relations.size());
  internConstants(program->image->statements, module, program->db.symbols());
  return program;
}

std::unique_ptr<Program> Program::loadNative(const bc::Module &module,
                                             const rune_dl_stratum_fn *strata,
                                             uint32_t strataCount,
                                             std::string &error) {
  std::unique_ptr<Program> program = load(module, error);
  if (!program)
    return nullptr;
  if (!checkNativeStrata(*program->image, strata, strataCount, error))
    return nullptr;
  if (strataCount == 0) {
    // Nothing to run natively, nothing to interpret either: run() stays
    // the interpreter's (an empty statement list).
    return program;
  }
  program->nativeStrata.assign(strata, strata + strataCount);
  program->nativeSymbols = nativeSymbolWords(*program->image);
  return program;
}

size_t Program::relationCount() const { return image->relations.size(); }

std::string_view Program::relationName(unsigned slot) const {
  return image->relations[slot].name;
}

std::optional<unsigned> Program::findRelation(std::string_view name) const {
  return db.find(name);
}

const std::vector<ColumnType> &Program::columnTypes(unsigned slot) const {
  return image->relations[slot].types;
}

const std::vector<std::string> &Program::columnNames(unsigned slot) const {
  return image->relations[slot].columnNames;
}

const RelationIO &Program::io(unsigned slot) const {
  return image->relations[slot].io;
}

Relation &Program::working(unsigned slot) {
  if (!workingRelations[slot])
    workingRelations[slot] = db.copyRelation(slot);
  return *workingRelations[slot];
}

size_t Program::workingBytes() const {
  size_t bytes = 0;
  for (const auto &relation : workingRelations)
    if (relation)
      bytes += relation->memoryBytes();
  return bytes;
}

static std::string joinPath(const std::string &dir, const std::string &file) {
  if (file.empty() || file.front() == '/' || dir.empty())
    return file;
  return dir.back() == '/' ? dir + file : dir + "/" + file;
}

bool Program::loadInputs(const std::string &factsDir, std::string &error) {
  for (unsigned slot = 0; slot < relationCount(); ++slot) {
    const RelationIO &rio = io(slot);
    if (!rio.input)
      continue;
    FactsOptions options;
    options.delimiter = rio.inputDelimiter;
    if (!readFactsFile(joinPath(factsDir, rio.inputFile), symbols(),
                       working(slot), error, options))
      return false;
  }
  return true;
}

bool Program::insert(unsigned slot, const Word *tuple) {
  return working(slot).insert(tuple);
}

void Program::run() {
  for (unsigned slot = 0; slot < relationCount(); ++slot)
    working(slot);
  if (isNative())
    evaluateNative(*image, nativeStrata, nativeSymbols, workingRelations,
                   db.symbols());
  else
    evaluate(*image, workingRelations, db.symbols());
  std::vector<std::pair<unsigned, std::shared_ptr<const Relation>>> results;
  for (unsigned slot = 0; slot < relationCount(); ++slot)
    results.emplace_back(slot, std::shared_ptr<const Relation>(
                                   std::move(workingRelations[slot])));
  db.publish(std::move(results));
}

const Relation &Program::relation(unsigned slot) const {
  if (workingRelations[slot])
    return *workingRelations[slot];
  // The database keeps the published version alive until the next publish.
  return *db.snapshot()->relationPtr(slot);
}

bool Program::writeOutputs(const std::string &outDir, std::ostream &out,
                           std::string &error,
                           const std::vector<unsigned> &only) {
  auto selected = [&](unsigned slot) {
    if (only.empty())
      return io(slot).output;
    for (unsigned s : only)
      if (s == slot)
        return true;
    return false;
  };
  for (unsigned slot = 0; slot < relationCount(); ++slot) {
    if (!selected(slot))
      continue;
    const RelationIO &rio = io(slot);
    FactsOptions options;
    if (rio.output)
      options.delimiter = rio.outputDelimiter;
    std::string file =
        rio.output ? rio.outputFile : std::string(relationName(slot)) + ".csv";
    if (outDir == "-" || rio.outputToStdout) {
      writeStdoutBlock(out, relationName(slot), relation(slot), symbols(),
                       options);
      continue;
    }
    if (!writeFactsFile(joinPath(outDir, file), relation(slot), symbols(),
                        error, options))
      return false;
  }
  for (unsigned slot = 0; slot < relationCount(); ++slot)
    if (io(slot).printSize)
      out << relationName(slot) << '\t' << relation(slot).size() << '\n';
  return true;
}
