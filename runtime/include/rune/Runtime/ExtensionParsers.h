//===- ExtensionParsers.h - Cedar extension value literals ------*- C++ -*-===//
//
// Parsing and printing of the string forms of Cedar's extension types:
// decimal("1.25"), ip("10.0.0.0/8"), datetime("2024-10-15T11:38:02Z") and
// duration("1d2h"). The constructors called by policies (call_ext) and the
// `__extn` escapes of entity/context JSON both use these, so a value means
// the same wherever it comes from. Error messages are Cedar's.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_EXTENSIONPARSERS_H
#define RUNE_RUNTIME_EXTENSIONPARSERS_H

#include "rune/Runtime/Value.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace rune::ext {

/// Decimal values are integers scaled by 10^4.
inline constexpr int64_t kDecimalScale = 10000;
inline constexpr int64_t kMillisPerDay = 86'400'000;

/// `-?[0-9]+\.[0-9]{1,4}` within the range of i64 / 10^4.
bool parseDecimal(std::string_view text, int64_t &scaled, std::string &error);
/// An IPv4 or IPv6 address with an optional `/prefix`, as Cedar accepts it
/// (no IPv4 embedded in IPv6, no leading zeros in IPv4 octets).
bool parseIpAddr(std::string_view text, IpAddrData &out, std::string &error);
/// `YYYY-MM-DD` optionally followed by `Thh:mm:ss`, optional `.SSS` and `Z`
/// or a `+hhmm`/`-hhmm` offset. Returns milliseconds since the Unix epoch.
bool parseDatetime(std::string_view text, int64_t &millis, std::string &error);
/// `-?` then quantity-unit pairs in the order d, h, m, s, ms (each optional,
/// at least one). Returns milliseconds.
bool parseDuration(std::string_view text, int64_t &millis, std::string &error);

std::string formatDecimal(int64_t scaled);
std::string formatIpAddr(const IpAddrData &ip);
std::string formatDatetime(int64_t millis);
std::string formatDuration(int64_t millis);

/// Cedar's ipaddr predicates.
bool ipIsLoopback(const IpAddrData &ip);
bool ipIsMulticast(const IpAddrData &ip);
/// True when every address of `inner` lies in the range `outer`.
bool ipIsInRange(const IpAddrData &inner, const IpAddrData &outer);

} // namespace rune::ext

#endif // RUNE_RUNTIME_EXTENSIONPARSERS_H
