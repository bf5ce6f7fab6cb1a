//===- NativeMain.cpp - main() of natively compiled authorizers -----------===//
//
// Link with an object file produced by `runec --emit=obj`, which defines
// rune_linked_module:
//
//   c++ policy.o -L<build>/lib -lrune_native_main -lrune_cli -lrune_runtime \
//       -lboost_program_options -lfmt
//
//===----------------------------------------------------------------------===//

#include "AuthorizeCommand.h"

extern "C" const rune_native_module rune_linked_module;

int main(int argc, char **argv) {
  return rune::cli::runAuthorize(argc, argv, &rune_linked_module,
                                 /*compile=*/nullptr,
                                 /*compileSchema=*/nullptr);
}
