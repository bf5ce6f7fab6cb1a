//===- Disassembler.h - Readable listings of .rbc modules -------*- C++ -*-===//
//
// A stable text listing of a verified module: a header summary, the string
// and constant tables, then each policy with its id, effect, register count,
// annotations and instructions, e.g.
//
//   0004: get_attr r1, r0, "dept"
//
// and, when the module has one, the schema: its types by index (`t3 =
// Set<t1>`), entity types and actions.
//
// Offsets are decimal, relative to the start of the policy's code, as in the
// verifier's messages; jump operands show their target offset. The compiler's
// tests use this as golden output (`runec --emit=bytecode-asm`), so the
// format only changes deliberately.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_DISASSEMBLER_H
#define RUNE_RUNTIME_DISASSEMBLER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rune::bc {

class Module;

/// Lists a module returned by readModule.
std::string disassemble(const Module &verifiedModule);

/// Reads and verifies `bytes`, then lists them. Returns false with the
/// reader's message in `error` when the bytes do not verify.
bool disassemble(const uint8_t *data, size_t size, std::string &listing,
                 std::string &error);
inline bool disassemble(const std::vector<uint8_t> &bytes, std::string &listing,
                        std::string &error) {
  return disassemble(bytes.data(), bytes.size(), listing, error);
}

} // namespace rune::bc

#endif // RUNE_RUNTIME_DISASSEMBLER_H
