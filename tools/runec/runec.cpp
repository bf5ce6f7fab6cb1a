//===- runec.cpp - The rune policy compiler -------------------------------===//
//
//   runec <input> [-o <output>] [--emit=<kind>] [--check] [-O<n>]
//   runec <input> --format [--check] [-o <output>]
//
// Compiles a policy source through the rune dialect to bytecode (default),
// native object code, or one of the textual forms along the way. Output is
// written to a temporary file and renamed into place only on success, so a
// failed compilation never leaves a half-written file behind.
//
//===----------------------------------------------------------------------===//

#include "rune/Driver/Compiler.h"
#include "rune/Runtime/Disassembler.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/BuryPointer.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

#include <boost/program_options.hpp>
#include <iostream>

namespace po = boost::program_options;

namespace {

enum class EmitKind { Mlir, MlirOpt, Bytecode, BytecodeAsm, LLVM, Object };

struct EmitKindInfo {
  const char *name;
  EmitKind kind;
  bool binary;
  const char *extension; // default output: <input stem><extension>; "" = stdout
};

constexpr EmitKindInfo kEmitKinds[] = {
    {"mlir", EmitKind::Mlir, false, ""},
    {"mlir-opt", EmitKind::MlirOpt, false, ""},
    {"bytecode", EmitKind::Bytecode, true, ".rbc"},
    {"bytecode-asm", EmitKind::BytecodeAsm, false, ""},
    {"llvm", EmitKind::LLVM, false, ""},
    {"obj", EmitKind::Object, true, ".o"},
};

constexpr const char *kUsage =
    "Usage: runec <input> [options]\n"
    "\n"
    "Compiles Cedar policies (.cedar), IPE policies (.ipe), Datalog programs\n"
    "(.dl) and .rune files through the rune MLIR dialect.\n"
    "Exit codes: 0 success, 1 errors, 2 --analyze findings, 3 validation "
    "against --schema failed.\n"
    "\n"
    "Options";

int fail(const std::string &message) {
  llvm::errs() << "runec: error: " << message << "\n";
  return 1;
}

/// `--format`: writes the formatted source, or with `check` only says
/// whether the file is formatted already (exit 1 if not), like
/// `cargo fmt --check`.
int formatFile(const std::string &input, std::string output, bool check) {
  rune::Compiler compiler;
  std::string original;
  std::optional<std::string> formatted =
      compiler.formatSource(input, &original);
  if (!formatted)
    return 1;
  if (check) {
    if (*formatted == original)
      return 0;
    llvm::errs() << "runec: " << input << " is not formatted\n";
    return 1;
  }
  if (output.empty())
    output = "-";
  std::error_code error;
  llvm::ToolOutputFile file(output, error, llvm::sys::fs::OF_Text);
  if (error)
    return fail("cannot open '" + output + "': " + error.message());
  file.os() << *formatted;
  file.keep();
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);

  std::string input, output, emit = "bytecode", schemaPath, linksPath;
  unsigned optLevel = 2;
  po::options_description visible(kUsage);
  visible.add_options()("help,h", "print this help and exit")(
      "version", "print the version and exit")(
      "output,o", po::value(&output),
      "output file ('-' for stdout); default: <input>.rbc for bytecode, "
      "<input>.o for obj, stdout for text")(
      "emit", po::value(&emit),
      "what to produce: mlir (rune dialect as generated), mlir-opt (after "
      "optimization), bytecode (default), bytecode-asm (disassembled "
      "bytecode), llvm (LLVM IR), obj (native object file)")(
      "check",
      "parse and check only; write nothing. With --format: exit 1 if the "
      "file is not formatted already")(
      "format",
      "print the policies laid out as `cedar format` does (to stdout, or "
      "-o), comments kept")(
      "analyze",
      "IPE policy files: check, then report conflicting, never-triggering "
      "and duplicate policies as warnings; write nothing. Exit 0 when "
      "nothing is found, 2 when something is, 1 on errors")(
      "schema,s", po::value(&schemaPath),
      "a Cedar schema (.cedarschema or JSON): the policies are validated "
      "against it (exit code 3 when validation fails) and it is compiled "
      "into the module, so the runtime reads entities and requests with it")(
      "links", po::value(&linksPath),
      "Cedar template-link JSON ([{\"templateId\", \"newId\", "
      "\"values\": {\"?principal\": {\"type\", \"id\"}}}]): each link "
      "becomes a policy; the templates themselves are not compiled")(
      "opt-level,O", po::value(&optLevel),
      "native code optimization level 0-3 (default 2); 0 also skips the "
      "rune dialect optimizations")(
      "verify-output",
      "re-read the emitted bytecode with the runtime's verifier before "
      "writing it (always done by debug builds; the runtime verifies every "
      "module before it runs it either way)")(
      "verify-ir",
      "verify the rune dialect module after the optimization pipeline "
      "(always done by debug builds, after every pass; --emit=mlir always "
      "verifies what it prints)");
  po::options_description hidden;
  hidden.add_options()("input", po::value(&input));
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("input", 1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv)
                  .options(all)
                  .positional(positional)
                  .run(),
              vm);
    po::notify(vm);
  } catch (const po::error &error) {
    return fail(std::string(error.what()) + " (see --help)");
  }
  if (vm.count("help")) {
    std::cout << visible << "\n";
    return 0;
  }
  if (vm.count("version")) {
    std::cout << "runec (rune) " RUNE_VERSION "\n"
              << "LLVM/MLIR " LLVM_VERSION_STRING "\n";
    return 0;
  }
  if (input.empty())
    return fail("no input file (see --help)");
  if (optLevel > 3)
    return fail("-O must be 0, 1, 2 or 3");
  const EmitKindInfo *kind = nullptr;
  for (const EmitKindInfo &info : kEmitKinds)
    if (emit == info.name)
      kind = &info;
  if (!kind)
    return fail("unknown --emit kind '" + emit +
                "' (expected mlir, mlir-opt, bytecode, bytecode-asm, llvm "
                "or obj)");

  if (vm.count("format"))
    return formatFile(input, output, vm.count("check") != 0);

  if (vm.count("analyze")) {
    if (!rune::Compiler::isIpeSource(input))
      return fail("--analyze applies to IPE policy files (.ipe)");
    rune::Compiler compiler;
    std::optional<unsigned> findings = compiler.analyzeIpeSource(input);
    if (!findings)
      return 1;
    if (*findings == 0)
      return 0;
    // Findings fail the run, as a linter's do, so that CI can gate on
    // them; 2 keeps them apart from errors in the file (1).
    llvm::errs() << *findings << (*findings == 1 ? " finding" : " findings")
                 << " in " << input << "\n";
    return 2;
  }

  // IPE policy files can only be checked so far.
  if (vm.count("check") && rune::Compiler::isIpeSource(input)) {
    rune::Compiler compiler;
    return compiler.checkIpeSource(input) ? 0 : 1;
  }

  // Soufflé Datalog programs can only be checked so far.
  if (vm.count("check") && rune::Compiler::isSouffleSource(input)) {
    rune::Compiler compiler;
    return compiler.checkSouffleSource(input) ? 0 : 1;
  }

  rune::Compiler compiler;
  if (vm.count("verify-output"))
    compiler.setVerifyOutput(true);
  if (vm.count("verify-ir"))
    compiler.setVerifyIR(true);
  rune::SourceOptions sourceOptions;
  sourceOptions.schemaPath = schemaPath;
  sourceOptions.validate = !schemaPath.empty();
  sourceOptions.linksPath = linksPath;
  std::optional<bool> validated;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      compiler.loadSource(input, sourceOptions, &validated);
  if (!module)
    return 1;
  // Exit code 3, as Cedar's CLI: the policies are well formed but do not
  // validate against the schema.
  if (validated == false)
    return 3;
  if (vm.count("check"))
    return 0;
  if (kind->kind != EmitKind::Mlir && optLevel > 0 &&
      mlir::failed(compiler.optimize(*module)))
    return 1;
  if (kind->kind != EmitKind::Mlir && optLevel == 0 &&
      rune::Compiler::isIpeSource(input) &&
      mlir::failed(compiler.indexIpeTriggers(*module)))
    return 1;
  // Datalog programs are always planned: the backends need the plan.
  if (kind->kind != EmitKind::Mlir && optLevel == 0 &&
      mlir::failed(compiler.planDatalog(*module)))
    return 1;

  if (output.empty()) {
    if (*kind->extension == 0 || input == "-") {
      output = "-";
    } else {
      llvm::SmallString<128> path(llvm::sys::path::filename(input));
      llvm::sys::path::replace_extension(path, kind->extension);
      output = std::string(path);
    }
  }
  std::error_code error;
  llvm::ToolOutputFile file(output, error,
                            kind->binary ? llvm::sys::fs::OF_None
                                         : llvm::sys::fs::OF_Text);
  if (error)
    return fail("cannot open '" + output + "': " + error.message());

  switch (kind->kind) {
  case EmitKind::Mlir:
  case EmitKind::MlirOpt:
    // The printer would quietly fall back to the generic form for an
    // invalid module, and release builds verify neither IRGen's IPE output
    // nor the pipeline's unless asked (--verify-ir): verify what is printed.
    if (mlir::failed(mlir::verify(*module)))
      return 1;
    module->print(file.os(), mlir::OpPrintingFlags().enableDebugInfo(
                                 /*enable=*/false));
    file.os() << "\n";
    break;
  case EmitKind::Bytecode:
  case EmitKind::BytecodeAsm: {
    std::vector<uint8_t> bytecode;
    if (mlir::failed(compiler.emitBytecode(*module, bytecode)))
      return 1;
    if (kind->kind == EmitKind::Bytecode) {
      file.os().write(reinterpret_cast<const char *>(bytecode.data()),
                      bytecode.size());
      break;
    }
    std::string listing, disassemblyError;
    if (!rune::bc::disassemble(bytecode.data(), bytecode.size(), listing,
                               disassemblyError))
      return fail("emitted bytecode does not verify: " + disassemblyError);
    file.os() << listing;
    break;
  }
  case EmitKind::LLVM: {
    llvm::LLVMContext llvmContext;
    std::unique_ptr<llvm::Module> llvmModule =
        compiler.emitLLVMIR(*module, llvmContext, optLevel);
    if (!llvmModule)
      return 1;
    llvmModule->print(file.os(), nullptr);
    break;
  }
  case EmitKind::Object:
    if (mlir::failed(compiler.emitObject(*module, optLevel, file.os())))
      return 1;
    break;
  }
  if (compiler.errorCount() != 0)
    return 1;
  file.keep();
  // The process ends here: erasing the module operation by operation (2%
  // of compiling 10,000 IPE policies) would only hand memory back to an
  // exiting process. BuryPointer keeps it reachable for leak checkers.
  llvm::BuryPointer(module.release().getOperation());
  return 0;
}
