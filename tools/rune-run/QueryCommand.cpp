//===- QueryCommand.cpp - rune-run query: evaluate a Datalog program ------===//
//
// Soufflé's conventions: `.input` relations are read from the facts
// directory (-F, default "."), `.output` relations are written to the
// output directory (-D, default ".") as <name>.csv, or to standard output
// with `-D -`. A source program (.dl) is compiled through the rune dialect
// first; a compiled module (.rbc) is verified and run as it is. With
// `--backend native` the source is compiled to native code in process (ORC
// JIT) and the program's strata run as that code (rune_datalog_native.h).
//
//===----------------------------------------------------------------------===//

#include "QueryCommand.h"
#include "CommandLine.h"

#include "rune/Driver/Compiler.h"
#include "rune/Runtime/BytecodeReader.h"
#include "rune/Runtime/Datalog/Program.h"
#include "rune/Target/Native/NativeJIT.h"
#include "rune/rune_native.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

#include <boost/program_options.hpp>

#include <chrono>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

namespace po = boost::program_options;

using namespace rune;

namespace {

bool readFile(const std::string &path, std::vector<uint8_t> &bytes,
              std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read '" + path + "'";
    return false;
  }
  bytes.assign(std::istreambuf_iterator<char>(in),
               std::istreambuf_iterator<char>());
  return true;
}

/// The module bytes of `path`: compiled bytecode as it is, a source program
/// compiled through the rune dialect (the compiler prints its own located
/// diagnostics).
bool loadModuleBytes(const std::string &path, std::vector<uint8_t> &bytes,
                     std::string &error) {
  if (!readFile(path, bytes, error))
    return false;
  if (bc::hasBytecodeMagic(bytes.data(), bytes.size()))
    return true;
  bytes.clear();
  Compiler compiler;
  mlir::OwningOpRef<mlir::ModuleOp> module = compiler.loadSource(path);
  if (!module || mlir::failed(compiler.optimize(*module)) ||
      mlir::failed(compiler.emitBytecode(*module, bytes))) {
    error = "'" + path + "' did not compile";
    return false;
  }
  return true;
}

/// Seconds since `start`, for --timings.
double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

/// The descriptor of `path` compiled to native code in process; `jit` keeps
/// the code alive. Prints the compiler's diagnostics itself.
const rune_native_module *compileNative(const std::string &path,
                                        std::unique_ptr<NativeJIT> &jit,
                                        std::string &error) {
  Compiler compiler;
  mlir::OwningOpRef<mlir::ModuleOp> module = compiler.loadSource(path);
  if (!module || mlir::failed(compiler.optimize(*module))) {
    error = "'" + path + "' did not compile";
    return nullptr;
  }
  auto context = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> llvmModule =
      compiler.emitLLVMIR(*module, *context, /*optLevel=*/2);
  if (!llvmModule) {
    error = "'" + path + "' did not compile to native code";
    return nullptr;
  }
  llvm::Expected<std::unique_ptr<NativeJIT>> created = NativeJIT::create();
  if (!created) {
    error = llvm::toString(created.takeError());
    return nullptr;
  }
  jit = std::move(*created);
  llvm::Expected<const rune_native_module *> native = jit->load(
      std::move(llvmModule), std::move(context), "rune_linked_module");
  if (!native) {
    error = llvm::toString(native.takeError());
    return nullptr;
  }
  return *native;
}

} // namespace

int rune::cli::runQuery(int argc, const char *const *argv) {
  std::string programPath, factsDir = ".", outputDir = ".", backend;
  std::vector<std::string> relations;
  po::options_description options(
      "Usage: rune-run query <program.dl|program.rune|program.rbc> "
      "[options]\n\n"
      "Evaluates a Datalog program as Souffle does: .input relations are "
      "read\nfrom the facts directory, .output relations written to the "
      "output\ndirectory (<name>.csv) or, with -D -, to standard output.\n\n"
      "Options");
  options.add_options()("help,h", "print this help and exit")(
      "facts,F", po::value(&factsDir),
      "directory of the input facts (default .)")(
      "output,D", po::value(&outputDir),
      "directory for the output relations, or - for stdout (default .)")(
      "relation", po::value(&relations),
      "write only this relation (repeatable; any relation, not only "
      ".output ones)")("backend",
                       po::value(&backend)->default_value("bytecode"),
                       "bytecode (the runtime's interpreter) or native "
                       "(the source compiled to native code in process)")(
      "timings", "print the time of each phase to stderr");
  po::options_description hidden;
  hidden.add_options()("program", po::value(&programPath));
  po::options_description all;
  all.add(options).add(hidden);
  po::variables_map vm;
  try {
    storeCommandLine(argc, argv, all, "program", vm);
    po::notify(vm);
  } catch (const po::error &e) {
    std::cerr << "rune-run query: error: " << e.what() << "\n";
    return 1;
  }
  if (vm.count("help")) {
    std::cout << options << "\n";
    return 0;
  }
  if (programPath.empty()) {
    std::cerr << "rune-run query: error: no program given (see --help)\n";
    return 1;
  }
  if (backend != "bytecode" && backend != "native") {
    std::cerr << "rune-run query: error: unknown backend '" << backend
              << "' (bytecode or native)\n";
    return 1;
  }
  bool timings = vm.count("timings") != 0;
  auto phaseStart = std::chrono::steady_clock::now();
  auto phase = [&](const char *name) {
    if (timings)
      std::cerr << "rune-run query: " << name << ": "
                << secondsSince(phaseStart) * 1000 << " ms\n";
    phaseStart = std::chrono::steady_clock::now();
  };

  std::string error;
  std::unique_ptr<NativeJIT> jit;
  std::unique_ptr<datalog::Program> program;
  bc::Module module;
  if (backend == "native") {
    if (std::ifstream probe(programPath, std::ios::binary); probe) {
      char magic[8] = {};
      probe.read(magic, sizeof magic);
      if (bc::hasBytecodeMagic(reinterpret_cast<const uint8_t *>(magic),
                               size_t(probe.gcount()))) {
        std::cerr << "rune-run query: error: '" << programPath
                  << "' is compiled bytecode; the native backend compiles "
                     "the source program (.dl or .rune)\n";
        return 1;
      }
    }
    const rune_native_module *native = compileNative(programPath, jit, error);
    if (!native) {
      std::cerr << "rune-run query: error: " << error << "\n";
      return 1;
    }
    phase("compile to native code");
    // The embedded bytecode is verified in full, as for a linked object.
    if (!bc::readModule(native->bytecode, size_t(native->bytecode_size), module,
                        error)) {
      std::cerr << programPath << ": error: " << error << "\n";
      return 1;
    }
    program =
        datalog::Program::loadNative(module, native->datalog_stratum_fns,
                                     native->datalog_stratum_count, error);
  } else {
    std::vector<uint8_t> bytes;
    if (!loadModuleBytes(programPath, bytes, error)) {
      std::cerr << "rune-run query: error: " << error << "\n";
      return 1;
    }
    phase("compile to bytecode");
    if (!bc::readModule(bytes.data(), bytes.size(), module, error)) {
      std::cerr << programPath << ": error: " << error << "\n";
      return 1;
    }
    program = datalog::Program::load(module, error);
  }
  if (!program) {
    std::cerr << programPath << ": error: " << error << "\n";
    return 1;
  }
  phase("load");
  std::vector<unsigned> only;
  for (const std::string &name : relations) {
    std::optional<unsigned> slot = program->findRelation(name);
    if (!slot) {
      std::cerr << "rune-run query: error: the program has no relation '"
                << name << "'\n";
      return 1;
    }
    only.push_back(*slot);
  }
  if (!program->loadInputs(factsDir, error)) {
    std::cerr << error << "\n";
    return 1;
  }
  phase("read facts");
  program->run();
  phase("evaluate");
  if (outputDir != "-") {
    std::error_code ec;
    std::filesystem::create_directories(outputDir, ec);
    if (ec) {
      std::cerr << "rune-run query: error: cannot create '" << outputDir
                << "': " << ec.message() << "\n";
      return 1;
    }
  }
  if (!program->writeOutputs(outputDir, std::cout, error, only)) {
    std::cerr << error << "\n";
    return 1;
  }
  phase("write outputs");
  return 0;
}
