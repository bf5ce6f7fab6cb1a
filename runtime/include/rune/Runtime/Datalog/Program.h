//===- Program.h - A loaded Datalog program, run over a Database -*- C++
//-*-===//
//
// A Datalog program compiled into a module's DatalogRelations and
// DatalogCode sections (BytecodeFormat.h). Loading decodes the verified
// sections; run() evaluates the strata in order (semi-naive fixpoints for
// recursive ones) over the program's relations, then publishes the results
// in the Database, where any number of readers can take snapshots.
//
//   bc::Module module;                       // bc::readModule(...)
//   auto program = datalog::Program::load(module, error);
//   program->loadInputs("facts/", error);    // the .input relations
//   program->run();
//   program->writeOutputs("out/", std::cout, error);   // "-" for stdout
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_DATALOG_PROGRAM_H
#define RUNE_RUNTIME_DATALOG_PROGRAM_H

#include "rune/Runtime/Datalog/Database.h"
#include "rune/Runtime/Datalog/Relation.h"
#include "rune/rune_datalog_native.h"

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace rune::bc {
class Module;
}

namespace rune::datalog {

namespace detail {
struct ProgramImage;
}

/// Decodes and verifies the Datalog sections of `module` (both present);
/// called by bc::readModule. Returns false with a message naming the
/// offending byte offset.
bool verifyProgram(const bc::Module &module, std::string &error);

/// Appends a listing of the verified module's Datalog program (relations,
/// then the instruction tree) to `out`; used by bc::disassemble.
void listProgram(const bc::Module &module, std::string &out);

/// How a relation takes part in IO (Soufflé's directives).
struct RelationIO {
  bool input = false;
  std::string inputFile;      ///< relative to the facts directory
  std::string inputDelimiter; ///< "\t" by default
  bool output = false;
  bool outputToStdout = false;
  std::string outputFile; ///< relative to the output directory
  std::string outputDelimiter;
  bool printSize = false;
  /// Introduced by the compiler for a .rune aggregate (kDatalogAuxiliary).
  bool auxiliary = false;
};

class Program {
public:
  ~Program();
  Program(const Program &) = delete;
  Program &operator=(const Program &) = delete;

  /// The program of a module read by bc::readModule (which verified it).
  /// Returns null with `error` when the module has no Datalog program.
  static std::unique_ptr<Program> load(const bc::Module &module,
                                       std::string &error);

  /// load() for a natively compiled module: run() calls `strata` (one
  /// function per top-level statement of the program, checked against it)
  /// instead of interpreting the statements.
  static std::unique_ptr<Program> loadNative(const bc::Module &module,
                                             const rune_dl_stratum_fn *strata,
                                             uint32_t strataCount,
                                             std::string &error);
  /// True when run() executes native code.
  bool isNative() const { return !nativeStrata.empty(); }

  size_t relationCount() const;
  std::string_view relationName(unsigned slot) const;
  std::optional<unsigned> findRelation(std::string_view name) const;
  const std::vector<ColumnType> &columnTypes(unsigned slot) const;
  const std::vector<std::string> &columnNames(unsigned slot) const;
  const RelationIO &io(unsigned slot) const;

  Database &database() { return db; }
  SymbolTable &symbols() { return db.symbols(); }
  const SymbolTable &symbols() const { return db.symbols(); }

  /// Reads every `.input` relation from `<factsDir>/<filename>`. A missing
  /// file is an error, as in Soufflé. Returns false with located messages.
  bool loadInputs(const std::string &factsDir, std::string &error);
  /// Adds one tuple (arity Words in column order) to a relation before
  /// run(), e.g. the request facts of a .rune decision.
  bool insert(unsigned slot, const Word *tuple);

  /// Evaluates the program (every stratum, in order) and publishes every
  /// relation in database(). Calling it again continues from the published
  /// relations (facts inserted since are taken into account).
  void run();

  /// The current contents of a relation (after run(): its result).
  const Relation &relation(unsigned slot) const;

  /// Writes the `.output` relations (all of `only` instead when it is not
  /// empty) as Soufflé does: to `<outDir>/<filename>`, or, when outDir is
  /// "-" or the relation's IO is stdout, to `out` in Soufflé's stdout
  /// block format. Then prints `<name>\t<size>` for `.printsize` relations.
  bool writeOutputs(const std::string &outDir, std::ostream &out,
                    std::string &error, const std::vector<unsigned> &only = {});

  /// Bytes of relation storage and symbols.
  size_t memoryBytes() const { return db.memoryBytes() + workingBytes(); }

private:
  Program();
  Relation &working(unsigned slot);
  size_t workingBytes() const;

  std::unique_ptr<detail::ProgramImage> image;
  Database db;
  /// Relations being built (taken from the database for inserts and runs,
  /// published back at the end of run()).
  std::vector<std::unique_ptr<Relation>> workingRelations;
  /// Native code (loadNative): the stratum functions and the frame's table
  /// of symbol constants.
  std::vector<rune_dl_stratum_fn> nativeStrata;
  std::vector<uint64_t> nativeSymbols;
};

} // namespace rune::datalog

#endif // RUNE_RUNTIME_DATALOG_PROGRAM_H
