//===- Verifier.h - Checking a decoded module before it runs ----*- C++ -*-===//
//
// verifyModule checks everything about a decoded module that the container
// decoding (BytecodeReader) does not: strings are valid UTF-8; constants use
// valid indices and kinds; policy entries have valid ids, effects and
// non-overlapping code ranges; every instruction has a valid opcode, operands
// in range, constants of the kind its opcode needs, forward jump targets on
// instruction boundaries of its own policy, and the code never falls off its
// end; and the schema, when there is one, passes verifySchema. After it
// succeeds the interpreter runs without bounds checks.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_VERIFIER_H
#define RUNE_RUNTIME_VERIFIER_H

#include <string>

namespace rune::bc {

class Module;

/// Returns false with a message starting with "bytecode: " on the first
/// problem found.
bool verifyModule(const Module &module, std::string &error);

} // namespace rune::bc

#endif // RUNE_RUNTIME_VERIFIER_H
