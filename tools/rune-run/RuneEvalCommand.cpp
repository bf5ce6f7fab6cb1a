//===- RuneEvalCommand.cpp - `rune-run eval` for .rune files --------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "RuneEvalCommand.h"
#include "CommandLine.h"
#include "RuneExplain.h"

#include "rune/Driver/Compiler.h"
#include "rune/Frontend/Rune/Parser.h"
#include "rune/Runtime/Engine.h"
#include "rune/Runtime/JsonData.h"
#include "rune/Runtime/Module.h"
#include "rune/Runtime/Request.h"
#include "rune/Runtime/RuneDecision.h"
#include "rune/Sema/RuneSema.h"
#include "rune/Target/Native/NativeJIT.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <boost/program_options.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

namespace po = boost::program_options;
using namespace rune;

namespace {

int fail(const std::string &message) {
  std::cerr << "rune-run eval: error: " << message << "\n";
  return 1;
}

bool readFile(const std::string &path, std::string &text) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return false;
  std::ostringstream contents;
  contents << in.rdbuf();
  text = contents.str();
  return true;
}

/// The lowered Datalog program of a .rune file, for explanations; its
/// locations live in `sourceMgr`.
std::optional<souffle::Program> loadRules(const std::string &path,
                                          llvm::SourceMgr &sourceMgr) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return std::nullopt;
  unsigned id = sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  // The file compiled already: any diagnostic here was printed then.
  DiagnosticEngine diags(sourceMgr, llvm::nulls());
  std::optional<runefile::RuneFile> file = runefile::parseRuneFile(id, diags);
  if (!file)
    return std::nullopt;
  return runefile::checkRuneFile(*file, diags);
}

} // namespace

bool rune::cli::isRuneEvalCommandLine(int argc, const char *const *argv) {
  for (int i = 1; i < argc; ++i)
    if (llvm::StringRef(argv[i]).ends_with(".rune"))
      return true;
  return false;
}

int rune::cli::runRuneEval(int argc, const char *const *argv) {
  std::string file, principal, action, resource, context, entitiesPath;
  std::string backend = "bytecode";
  po::options_description options(
      "rune-run eval <file.rune> --principal P --action A --resource R "
      "[options]");
  options.add_options()("help,h", "print this help")(
      "principal,l", po::value(&principal),
      "principal entity uid, e.g. "
      "'User::\"alice\"'")("action,a", po::value(&action), "action entity uid")(
      "resource,r", po::value(&resource), "resource entity uid")(
      "context,c", po::value(&context),
      "the context: a JSON object, or a file holding one")(
      "entities", po::value(&entitiesPath), "Cedar entities JSON file")(
      "verbose,v", po::bool_switch(),
      "also print what decided and why (one derivation per relation)")(
      "backend", po::value(&backend),
      "bytecode (default) or native: the policies and rules compiled to "
      "native code in process")(
      "bench", po::value<unsigned>()->default_value(0),
      "decide the request N more times and print the per-request latency "
      "(median, p99, mean) of the decision (policies, rules, combination), "
      "everything loaded beforehand");
  po::options_description hidden;
  hidden.add_options()("file", po::value(&file));
  po::options_description all;
  all.add(options).add(hidden);
  po::variables_map vm;
  try {
    storeCommandLine(argc, argv, all, "file", vm);
    po::notify(vm);
  } catch (const po::error &e) {
    return fail(e.what());
  }
  if (vm.count("help")) {
    std::cout << options
              << "\nDecides one request with the Cedar policies and the "
                 "rules of a .rune file.\nExit code: 0 ALLOW, 2 DENY, 1 "
                 "error.\n";
    return 0;
  }
  if (file.empty())
    return fail("no .rune file given");
  if (principal.empty() || action.empty() || resource.empty())
    return fail("--principal, --action and --resource are required");
  bool verbose = vm["verbose"].as<bool>();

  if (backend != "bytecode" && backend != "native")
    return fail("unknown backend '" + backend + "' (bytecode or native)");

  // Compile through the rune dialect to bytecode, or to native code whose
  // descriptor embeds the bytecode (rune_native.h).
  std::string error;
  auto engine = std::make_shared<Engine>();
  std::unique_ptr<LoadedModule> module;
  std::unique_ptr<NativeJIT> jit;
  {
    Compiler compiler;
    mlir::OwningOpRef<mlir::ModuleOp> source = compiler.loadSource(file);
    if (!source || mlir::failed(compiler.optimize(*source)))
      return fail("'" + file + "' did not compile");
    if (backend == "native") {
      auto llvmContext = std::make_unique<llvm::LLVMContext>();
      std::unique_ptr<llvm::Module> llvmModule =
          compiler.emitLLVMIR(*source, *llvmContext, /*optLevel=*/2);
      if (!llvmModule)
        return fail("'" + file + "' did not compile to native code");
      llvm::Expected<std::unique_ptr<NativeJIT>> created = NativeJIT::create();
      if (!created)
        return fail(llvm::toString(created.takeError()));
      jit = std::move(*created);
      llvm::Expected<const rune_native_module *> native = jit->load(
          std::move(llvmModule), std::move(llvmContext), "rune_linked_module");
      if (!native)
        return fail(llvm::toString(native.takeError()));
      module = LoadedModule::loadNative(engine, *native, error);
    } else {
      std::vector<uint8_t> bytecode;
      if (mlir::failed(compiler.emitBytecode(*source, bytecode)))
        return fail("'" + file + "' did not compile");
      module =
          LoadedModule::load(engine, bytecode.data(), bytecode.size(), error);
    }
  }
  if (!module)
    return fail(error);

  EntityStore entities(engine);
  if (!entitiesPath.empty()) {
    std::string text;
    if (!readFile(entitiesPath, text))
      return fail("cannot read '" + entitiesPath + "'");
    if (!parseEntitiesJson(text, entitiesPath, entities, error))
      return fail(error);
  } else {
    entities.finalize();
  }

  std::string contextJson = context;
  if (!context.empty() && llvm::StringRef(context).ltrim().front() != '{' &&
      !readFile(context, contextJson))
    return fail("cannot read the context file '" + context + "'");
  Request request(engine);
  if (!request.build(principal, action, resource, contextJson, error))
    return fail(error);

  std::unique_ptr<RuneDecider> decider =
      RuneDecider::create(*module, entities, error);
  if (!decider)
    return fail(error);
  EvalScratch scratch;
  RuneResponse response;
  if (!decider->decide(request, scratch, response, error,
                       /*keepEvaluation=*/verbose))
    return fail(error);

  if (unsigned repetitions = vm["bench"].as<unsigned>()) {
    std::vector<double> latencies;
    latencies.reserve(repetitions);
    RuneResponse again;
    for (unsigned i = 0; i < repetitions; ++i) {
      auto start = std::chrono::steady_clock::now();
      bool ok = decider->decide(request, scratch, again, error);
      auto stop = std::chrono::steady_clock::now();
      if (!ok || again.decision != response.decision)
        return fail("the decision changed between repetitions");
      latencies.push_back(
          std::chrono::duration<double, std::micro>(stop - start).count());
    }
    std::vector<double> sorted = latencies;
    std::sort(sorted.begin(), sorted.end());
    double sum = 0;
    for (double latency : sorted)
      sum += latency;
    auto percentile = [&](double p) {
      size_t index = static_cast<size_t>(p * (sorted.size() - 1) + 0.5);
      return sorted[std::min(index, sorted.size() - 1)];
    };
    std::cout << "strata: " << decider->strataCount() << " ("
              << decider->requestStrataCount() << " per decision)\n"
              << "decisions: " << repetitions << "\n"
              << "median: " << percentile(0.5) << " us\n"
              << "p99: " << percentile(0.99) << " us\n"
              << "mean: " << sum / sorted.size() << " us\n";
  }

  bool allow = response.decision == Decision::Allow;
  std::cout << (allow ? "ALLOW\n" : "DENY\n");
  if (verbose) {
    for (const std::string &reason : response.reasons)
      std::cout << "reason: " << reason << "\n";
    for (const PolicyError &policyError : response.cedar.errors)
      std::cout << "error: " << policyError.policyId << ": "
                << policyError.message << "\n";
    const std::vector<std::string> &relations =
        allow ? response.permittingRelations : response.forbiddingRelations;
    if (!relations.empty() && response.evaluation) {
      llvm::SourceMgr sourceMgr;
      std::optional<souffle::Program> rules = loadRules(file, sourceMgr);
      if (rules) {
        cli::DerivationExplainer explainer(*rules, sourceMgr,
                                           *response.evaluation);
        for (const std::string &relation : relations) {
          std::cout << "why " << relation << ":\n";
          if (!explainer.explainFirst(relation, std::cout))
            std::cout << "  (no derivation found within the search budget)\n";
        }
      }
    }
  }
  return allow ? 0 : 2;
}
