//===- ExtensionLiterals.h - Cedar extension literals -----------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Parsers for the strings accepted by Cedar's extension constructors
// `decimal`, `ip`, `datetime` and `duration`, following the reference
// implementation's rules exactly (Cedar rejects a constructor call whose
// literal argument does not parse when the policy is parsed). Sema uses them
// to validate literals; later stages can use the decoded values to fold
// constructor calls into constants.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_SEMA_EXTENSIONLITERALS_H
#define RUNE_SEMA_EXTENSIONLITERALS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>

namespace rune::cedar {

/// `decimal("12.3456")`: a fixed-point number with 4 fractional digits,
/// represented as the value times 10^4. The text must match
/// `-?[0-9]+\.[0-9]{1,4}` and fit in 64 bits once scaled.
llvm::Expected<int64_t> parseDecimal(llvm::StringRef text);

/// An IPv4 or IPv6 address or CIDR range.
struct IPAddress {
  bool isIPv6 = false;
  /// Network byte order; IPv4 uses the first 4 bytes.
  std::array<uint8_t, 16> bytes = {};
  /// The CIDR prefix length; 32 or 128 for a single address.
  unsigned prefixLength = 0;
};

/// `ip("10.0.0.1")`, `ip("10.0.0.0/8")`, `ip("::1")`, `ip("ff00::/8")`.
/// IPv4 octets may not have leading zeros, and IPv4-embedded IPv6 notation
/// (`::ffff:1.2.3.4`) is rejected, as in Cedar.
llvm::Expected<IPAddress> parseIPAddress(llvm::StringRef text);

/// `datetime("2024-10-15")`, `datetime("2024-10-15T11:38:02Z")`, with
/// optional `.SSS` milliseconds and `Z` or a `+hhmm`/`-hhmm` offset.
/// Returns milliseconds since the Unix epoch (UTC).
llvm::Expected<int64_t> parseDatetime(llvm::StringRef text);

/// `duration("1d2h3m4s5ms")`, optionally negative: units in that order, each
/// at most once, at least one. Returns milliseconds.
llvm::Expected<int64_t> parseDuration(llvm::StringRef text);

} // namespace rune::cedar

#endif // RUNE_SEMA_EXTENSIONLITERALS_H
