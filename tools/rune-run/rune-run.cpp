//===- rune-run.cpp - Evaluate compiled or source policies ----------------===//
//
//   rune-run authorize --policies <file> --entities <file> -l P -a A -r R
//
// Subcommands share the runtime's command implementations (runtime/driver)
// with natively linked authorizers; rune-run adds the ability to take a
// source file, which it compiles through the rune dialect to bytecode first.
//
//===----------------------------------------------------------------------===//

#include "rune/Driver/Compiler.h"
#include "rune/Dialect/Rune/RuneOps.h"
#include "rune/Runtime/SchemaInfo.h"
#include "rune/Target/Bytecode/BytecodeEmitter.h"
#include "AuthorizeCommand.h"
#include "BenchCommand.h"
#include "IpeBenchCommand.h"
#include "IpeEvalCommand.h"
#include "IpeModuleLoader.h"
#include "RuneEvalCommand.h"
#include "QueryCommand.h"
#include "TestCommand.h"

#include "llvm/Support/InitLLVM.h"

#include <cstring>
#include <iostream>

namespace {

constexpr const char *kUsage =
    "Usage: rune-run <command> [options]\n"
    "\n"
    "Commands:\n"
    "  authorize   decide one request against a policy set (see "
    "'rune-run authorize --help')\n"
    "  test        run Cedar integration tests through both backends (see "
    "'rune-run test --help')\n"
    "  eval        decide one request against IPE policies or a .rune file's\n"
    "              policies and rules (see 'rune-run eval x.ipe --help',\n"
    "              'rune-run eval x.rune --help')\n"
    "  bench       measure decision latency and throughput (see "
    "'rune-run bench --help')\n"
    "  query       evaluate a Datalog program (.dl, .rune or compiled) over "
    "fact files,\n              interpreted or as native code (see "
    "'rune-run query --help')\n"
    "\n"
    "Policies may be given as compiled bytecode (.rbc) or as source, which\n"
    "is compiled first.\n";

/// Compiles a policy source to bytecode with the full pipeline.
bool compileSource(const std::string &path,
                   const rune::cli::SourceCompileOptions &options,
                   std::vector<uint8_t> &bytecode, std::string &error) {
  rune::Compiler compiler;
  rune::SourceOptions sourceOptions;
  sourceOptions.linksPath = options.linksPath;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      compiler.loadSource(path, sourceOptions);
  if (!module || mlir::failed(compiler.optimize(*module)) ||
      mlir::failed(compiler.emitBytecode(*module, bytecode))) {
    // The compiler has already printed located diagnostics.
    error = "'" + path + "' did not compile";
    return false;
  }
  return true;
}

/// Compiles a Cedar schema through the rune dialect (rune.schema) into the
/// runtime's form, for `authorize --schema`.
bool compileSchema(const std::string &path, rune::bc::SchemaInfo &schema,
                   std::string &error) {
  rune::Compiler compiler;
  mlir::OwningOpRef<mlir::ModuleOp> module = compiler.loadSchema(path);
  if (!module) {
    error = "'" + path + "' is not a valid schema";
    return false;
  }
  schema = rune::decodeSchema(*module->getOps<rune::SchemaOp>().begin());
  return true;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  if (argc < 2 || !std::strcmp(argv[1], "--help") ||
      !std::strcmp(argv[1], "-h")) {
    std::cout << kUsage;
    return argc < 2 ? 1 : 0;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::cout << "rune-run (rune) " RUNE_VERSION "\n";
    return 0;
  }
  std::string command = argv[1];
  if (command == "authorize")
    return rune::cli::runAuthorize(argc - 1, argv + 1, /*linked=*/nullptr,
                                   compileSource, compileSchema);
  if (command == "eval" && rune::cli::isIpeEvalInput(argc - 1, argv + 1))
    return rune::cli::runIpeEval(argc - 1, argv + 1, /*linked=*/nullptr,
                                 rune::cli::loadIpeModuleRef);
  if (command == "bench" && rune::cli::isIpeEvalInput(argc - 1, argv + 1))
    return rune::cli::runIpeBench(argc - 1, argv + 1);
  if (command == "bench")
    return rune::cli::runBench(argc - 1, argv + 1);
  if (command == "test")
    return rune::cli::runTest(argc - 1, argv + 1);
  // `eval` of a .rune file: its Cedar policies and rules decide together.
  if (command == "eval" &&
      rune::cli::isRuneEvalCommandLine(argc - 1, argv + 1))
    return rune::cli::runRuneEval(argc - 1, argv + 1);
  if (command == "query")
    return rune::cli::runQuery(argc - 1, argv + 1);
  if (command == "eval") {
    // Neither kind of input: say what `eval` decides with.
    bool help = argc > 2 && (!std::strcmp(argv[2], "--help") ||
                             !std::strcmp(argv[2], "-h"));
    std::ostream &os = help ? std::cout : std::cerr;
    if (!help)
      os << "rune-run eval: error: expected an IPE policy file (.ipe, or an "
            ".rbc compiled from one) or a .rune file\n";
    os << "Usage: rune-run eval <policies.ipe|policies.rbc> --request "
          "<request.json> [-v] [--format json] [--backend bytecode|native]\n"
          "       rune-run eval <file.rune> -l <principal> -a <action> -r "
          "<resource> [-c <context>] [--entities <file>] [-v] "
          "[--backend bytecode|native]\n"
          "See 'rune-run eval x.ipe --help' and 'rune-run eval x.rune "
          "--help' for every option.\n";
    return help ? 0 : 1;
  }
  std::cerr << "rune-run: error: unknown command '" << command
            << "' (see --help)\n";
  return 1;
}
