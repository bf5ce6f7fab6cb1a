//===- DatalogQueryCommand.cpp - Linked Datalog programs ------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Uses only the C API (rune.h), like the other command lines of rune_cli.
//
//===----------------------------------------------------------------------===//

#include "DatalogQueryCommand.h"

#include <boost/program_options.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

namespace po = boost::program_options;

namespace {

/// Takes a message the C API allocated.
std::string takeError(char *error) {
  std::string message = error ? error : "unknown error";
  std::free(error);
  return message;
}

} // namespace

int rune::cli::runLinkedDatalog(int argc, const char *const *argv,
                                const rune_native_module *linked) {
  std::string tool = argc > 0 && argv[0] ? argv[0] : "rune";
  std::string factsDir = ".", outputDir = ".";
  po::options_description options("options");
  options.add_options()("help,h", "print this help and exit")(
      "facts,F", po::value(&factsDir),
      "directory of the input facts (default .)")(
      "output,D", po::value(&outputDir),
      "directory for the output relations, or - for stdout (default .)");
  po::variables_map vm;
  try {
    // No positional argument: the program is linked in.
    po::store(po::command_line_parser(argc, argv)
                  .options(options)
                  .positional(po::positional_options_description())
                  .run(),
              vm);
    po::notify(vm);
  } catch (const po::error &e) {
    std::cerr << tool << ": error: " << e.what() << "\n";
    return 1;
  }
  if (vm.count("help")) {
    std::cout << "usage: " << tool
              << " [-F facts-dir] [-D output-dir|-]\n\n"
                 "Evaluates the Datalog program compiled into this "
                 "executable, as Souffle's\ncompiled programs do: .input "
                 "relations are read from the facts directory,\n.output "
                 "relations written to the output directory (<name>.csv) "
                 "or, with\n-D -, to standard output.\n\n"
              << options << "\n";
    return 0;
  }

  rune_datalog *loaded = nullptr;
  char *error = nullptr;
  if (rune_datalog_load_native(linked, &loaded, &error) != RUNE_OK) {
    std::cerr << tool << ": error: the linked program: " << takeError(error)
              << "\n";
    return 1;
  }
  std::unique_ptr<rune_datalog, void (*)(rune_datalog *)> program(
      loaded, rune_datalog_free);
  if (rune_datalog_load_facts(program.get(), factsDir.c_str(), &error) !=
          RUNE_OK ||
      rune_datalog_run(program.get(), &error) != RUNE_OK) {
    std::cerr << takeError(error) << "\n";
    return 1;
  }
  if (outputDir != "-") {
    std::error_code ec;
    std::filesystem::create_directories(outputDir, ec);
    if (ec) {
      std::cerr << tool << ": error: cannot create '" << outputDir
                << "': " << ec.message() << "\n";
      return 1;
    }
  }
  if (rune_datalog_write_outputs(program.get(), outputDir.c_str(), &error) !=
      RUNE_OK) {
    std::cerr << takeError(error) << "\n";
    return 1;
  }
  return 0;
}
