//===- IpeValueLayout.h - rune_ipe_value as native IPE code sees it -------===//
//
// The layout and kind numbers of `rune_ipe_value` (rune_ipe_native.h), in
// one place for the two IPE lowerings that read request values in place:
// the policy functions (IpeToLLVM.cpp) and the compiled decision
// (IpeDecideToLLVM.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_CONVERSION_RUNETOLLVM_IPEVALUELAYOUT_H
#define RUNE_LIB_CONVERSION_RUNETOLLVM_IPEVALUELAYOUT_H

#include <cstdint>

namespace rune::ipe_value_layout {

constexpr int64_t kKindMissing = 0, kKindBool = 1, kKindInt = 2, kKindFloat = 3,
                  kKindString = 4, kKindArray = 5;
/// Offsets: the string symbol, the length (string bytes, array elements), the
/// payload.
constexpr int32_t kSymbolOffset = 4, kLengthOffset = 8, kPayloadOffset = 16;
constexpr int64_t kValueSize = 24;

} // namespace rune::ipe_value_layout

#endif // RUNE_LIB_CONVERSION_RUNETOLLVM_IPEVALUELAYOUT_H
