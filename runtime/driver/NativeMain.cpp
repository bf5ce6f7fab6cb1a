//===- NativeMain.cpp - main() of natively compiled policy programs -------===//
//
// Link with an object file produced by `runec --emit=obj`, which defines
// rune_linked_module:
//
//   c++ policy.o -L<build>/lib -lrune_native_main -lrune_cli -lrune_runtime \
//       -lboost_program_options -lfmt -lsimdjson
//
// The program takes the command line of what the module holds: IPE
// policies decide a request like `rune-run eval` (IpeEvalCommand.h); a
// Soufflé program reads facts and writes its outputs like Soufflé's
// compiled programs (-F, -D; DatalogQueryCommand.h); Cedar policies, with
// the rules of a .rune file if any, authorize like `rune-run authorize`
// (AuthorizeCommand.h).
//
//===----------------------------------------------------------------------===//

#include "AuthorizeCommand.h"
#include "DatalogQueryCommand.h"
#include "IpeEvalCommand.h"

#include <iostream>

extern "C" const rune_native_module rune_linked_module;

int main(int argc, char **argv) {
  unsigned contents = rune_bytecode_contents(rune_linked_module.bytecode,
                                             rune_linked_module.bytecode_size);
  if (contents == 0) {
    std::cerr << (argc > 0 ? argv[0] : "rune")
              << ": error: the linked module's bytecode is invalid\n";
    return 1;
  }
  if (contents & RUNE_HOLDS_IPE)
    return rune::cli::runIpeEval(argc, argv, &rune_linked_module,
                                 /*load=*/nullptr);
  if (contents == RUNE_HOLDS_DATALOG)
    return rune::cli::runLinkedDatalog(argc, argv, &rune_linked_module);
  return rune::cli::runAuthorize(argc, argv, &rune_linked_module,
                                 /*compile=*/nullptr,
                                 /*compileSchema=*/nullptr);
}
