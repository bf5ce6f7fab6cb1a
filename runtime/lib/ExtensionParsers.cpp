//===- ExtensionParsers.cpp - Cedar extension value literals --------------===//

#include "rune/Runtime/ExtensionParsers.h"

#include <cstdio>
#include <limits>

namespace rune::ext {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

int hexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

std::string backquoted(std::string_view text) {
  std::string out = "`";
  out += text;
  out += '`';
  return out;
}

// --- IP addresses ----------------------------------------------------------

/// Dotted quad, each part 0-255 written without leading zeros (as Rust's
/// Ipv4Addr parser, which Cedar uses, demands).
bool parseIpv4(std::string_view text, uint8_t *out) {
  int part = 0;
  size_t pos = 0;
  for (;;) {
    size_t start = pos;
    unsigned value = 0;
    while (pos < text.size() && isDigit(text[pos]) && pos - start < 3)
      value = value * 10 + static_cast<unsigned>(text[pos++] - '0');
    size_t digits = pos - start;
    if (digits == 0 || value > 255 || (digits > 1 && text[start] == '0'))
      return false;
    out[part++] = static_cast<uint8_t>(value);
    if (part == 4)
      return pos == text.size();
    if (pos >= text.size() || text[pos] != '.')
      return false;
    ++pos;
  }
}

/// Colon-separated groups of 1-4 hex digits; parses `text` (which contains
/// no "::") into `groups`. An empty text means no groups.
bool parseIpv6Groups(std::string_view text, uint16_t *groups, int &count,
                     int limit) {
  count = 0;
  if (text.empty())
    return true;
  size_t pos = 0;
  for (;;) {
    size_t start = pos;
    unsigned value = 0;
    while (pos < text.size() && hexValue(text[pos]) >= 0 && pos - start < 4)
      value = value * 16 + static_cast<unsigned>(hexValue(text[pos++]));
    if (pos == start || count == limit)
      return false;
    groups[count++] = static_cast<uint16_t>(value);
    if (pos == text.size())
      return true;
    if (text[pos] != ':')
      return false;
    ++pos;
  }
}

bool parseIpv6(std::string_view text, uint8_t *out) {
  uint16_t head[8], tail[8];
  int headCount = 0, tailCount = 0;
  size_t gap = text.find("::");
  if (gap == std::string_view::npos) {
    if (!parseIpv6Groups(text, head, headCount, 8) || headCount != 8)
      return false;
  } else {
    if (text.find("::", gap + 1) != std::string_view::npos)
      return false;
    // "::" stands for at least one group of zeros.
    if (!parseIpv6Groups(text.substr(0, gap), head, headCount, 7) ||
        !parseIpv6Groups(text.substr(gap + 2), tail, tailCount, 7 - headCount))
      return false;
  }
  uint16_t groups[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int i = 0; i < headCount; ++i)
    groups[i] = head[i];
  for (int i = 0; i < tailCount; ++i)
    groups[8 - tailCount + i] = tail[i];
  for (int i = 0; i < 8; ++i) {
    out[2 * i] = static_cast<uint8_t>(groups[i] >> 8);
    out[2 * i + 1] = static_cast<uint8_t>(groups[i] & 0xFF);
  }
  return true;
}

/// A single address, v4 or v6, without prefix.
bool parseSingleAddress(std::string_view text, IpAddrData &out) {
  out.bytes.fill(0);
  if (parseIpv4(text, out.bytes.data())) {
    out.isV6 = false;
    out.prefixLength = 32;
    return true;
  }
  if (text.find('.') == std::string_view::npos &&
      parseIpv6(text, out.bytes.data())) {
    out.isV6 = true;
    out.prefixLength = 128;
    return true;
  }
  return false;
}

bool containsAtLeastTwo(std::string_view text, char c) {
  size_t first = text.find(c);
  return first != std::string_view::npos &&
         text.find(c, first + 1) != std::string_view::npos;
}

// --- Dates -------------------------------------------------------------------

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// algorithm).
int64_t daysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy =
      (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civilFromDays(int64_t days, int64_t &year, unsigned &month,
                   unsigned &day) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<int64_t>(yoe) + era * 400 + (month <= 2);
}

bool isLeapYear(int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

unsigned daysInMonth(int64_t year, unsigned month) {
  static constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30,
                                         31, 31, 30, 31, 30, 31};
  return month == 2 && isLeapYear(year) ? 29 : kDays[month - 1];
}

/// Reads exactly `count` digits at `pos`.
bool readDigits(std::string_view text, size_t pos, size_t count,
                unsigned &value) {
  if (pos + count > text.size())
    return false;
  value = 0;
  for (size_t i = 0; i < count; ++i) {
    if (!isDigit(text[pos + i]))
      return false;
    value = value * 10 + static_cast<unsigned>(text[pos + i] - '0');
  }
  return true;
}

} // namespace

// --- decimal ---------------------------------------------------------------

bool parseDecimal(std::string_view text, int64_t &scaled, std::string &error) {
  size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && text[pos] == '-') {
    negative = true;
    ++pos;
  }
  size_t intStart = pos;
  while (pos < text.size() && isDigit(text[pos]))
    ++pos;
  size_t intEnd = pos;
  bool wellFormed = intEnd > intStart && pos < text.size() && text[pos] == '.';
  size_t fracStart = pos + 1;
  if (wellFormed) {
    pos = fracStart;
    while (pos < text.size() && isDigit(text[pos]))
      ++pos;
    wellFormed = pos > fracStart && pos == text.size();
  }
  if (!wellFormed) {
    error = backquoted(text) + " is not a well-formed decimal value";
    return false;
  }
  size_t fracDigits = text.size() - fracStart;
  if (fracDigits > 4) {
    error = "too many digits after the decimal in " + backquoted(text);
    return false;
  }
  // Accumulate the negated magnitude: the negative range of i64 is one
  // larger, so "-922337203685477.5808" is representable.
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  int64_t value = 0;
  auto appendDigit = [&](char c) {
    int64_t digit = c - '0';
    if (value < (kMin + digit) / 10)
      return false;
    value = value * 10 - digit;
    return true;
  };
  for (size_t i = intStart; i < intEnd; ++i)
    if (!appendDigit(text[i]))
      goto overflow;
  for (size_t i = fracStart; i < text.size(); ++i)
    if (!appendDigit(text[i]))
      goto overflow;
  for (size_t i = fracDigits; i < 4; ++i)
    if (!appendDigit('0'))
      goto overflow;
  if (!negative) {
    if (value == kMin)
      goto overflow;
    value = -value;
  }
  scaled = value;
  return true;
overflow:
  error = "overflow when converting to decimal";
  return false;
}

std::string formatDecimal(int64_t scaled) {
  uint64_t magnitude = scaled < 0 ? 0 - static_cast<uint64_t>(scaled)
                                  : static_cast<uint64_t>(scaled);
  uint64_t whole = magnitude / kDecimalScale;
  unsigned fraction = static_cast<unsigned>(magnitude % kDecimalScale);
  char digits[8];
  std::snprintf(digits, sizeof digits, "%04u", fraction);
  std::string frac = digits;
  while (frac.size() > 1 && frac.back() == '0')
    frac.pop_back();
  std::string out = scaled < 0 ? "-" : "";
  out += std::to_string(whole);
  out += '.';
  out += frac;
  return out;
}

// --- ipaddr ------------------------------------------------------------------

bool parseIpAddr(std::string_view text, IpAddrData &out, std::string &error) {
  if (containsAtLeastTwo(text, ':') && containsAtLeastTwo(text, '.')) {
    error = "error parsing IP address from string: We do not accept IPv4 "
            "embedded in IPv6 (e.g., ::ffff:127.0.0.1). Found: " +
            backquoted(text);
    return false;
  }
  if (parseSingleAddress(text, out))
    return true;
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    error = "invalid IP address: " + backquoted(text);
    return false;
  }
  std::string_view address = text.substr(0, slash);
  std::string_view prefix = text.substr(slash + 1);
  if (!parseSingleAddress(address, out)) {
    error = "error parsing IP address from the string " + backquoted(address);
    return false;
  }
  // Cedar 4.10 takes plain decimal digits with no sign and no leading zero
  // ("/00" and "/+8" are errors).
  std::string_view digits = prefix;
  unsigned value = 0;
  bool valid = !digits.empty() && !(digits.size() > 1 && digits[0] == '0');
  for (char c : digits) {
    if (!isDigit(c) ||
        (value = value * 10 + static_cast<unsigned>(c - '0')) > 255) {
      valid = false;
      break;
    }
  }
  if (!valid) {
    error = "error parsing subnet from the string " + backquoted(prefix);
    return false;
  }
  if (!out.isV6 && value > 32) {
    error = "invalid IPv4 subnet: " + std::to_string(value);
    return false;
  }
  if (out.isV6 && value > 128) {
    error = "invalid IPv6 subnet: " + std::to_string(value);
    return false;
  }
  out.prefixLength = static_cast<uint8_t>(value);
  return true;
}

std::string formatIpAddr(const IpAddrData &ip) {
  std::string out;
  char buffer[16];
  if (!ip.isV6) {
    std::snprintf(buffer, sizeof buffer, "%u.%u.%u.%u", ip.bytes[0],
                  ip.bytes[1], ip.bytes[2], ip.bytes[3]);
    out = buffer;
  } else {
    unsigned groups[8];
    for (int i = 0; i < 8; ++i)
      groups[i] = (unsigned(ip.bytes[2 * i]) << 8) | ip.bytes[2 * i + 1];
    // RFC 5952: the longest run (of at least two) zero groups becomes "::".
    int bestStart = -1, bestLength = 1;
    for (int i = 0; i < 8;) {
      if (groups[i] != 0) {
        ++i;
        continue;
      }
      int start = i;
      while (i < 8 && groups[i] == 0)
        ++i;
      if (i - start > bestLength) {
        bestStart = start;
        bestLength = i - start;
      }
    }
    for (int i = 0; i < 8; ++i) {
      if (i == bestStart) {
        out += "::";
        i += bestLength - 1;
        continue;
      }
      if (!out.empty() && out.back() != ':')
        out += ':';
      std::snprintf(buffer, sizeof buffer, "%x", groups[i]);
      out += buffer;
    }
  }
  if (ip.prefixLength != (ip.isV6 ? 128 : 32))
    out += "/" + std::to_string(ip.prefixLength);
  return out;
}

bool ipIsLoopback(const IpAddrData &ip) {
  if (!ip.isV6)
    return ip.bytes[0] == 127;
  for (int i = 0; i < 15; ++i)
    if (ip.bytes[i] != 0)
      return false;
  return ip.bytes[15] == 1;
}

bool ipIsMulticast(const IpAddrData &ip) {
  if (!ip.isV6)
    return ip.bytes[0] >= 224 && ip.bytes[0] <= 239 && ip.prefixLength >= 4;
  return ip.bytes[0] == 0xFF && ip.prefixLength >= 8;
}

bool ipIsInRange(const IpAddrData &inner, const IpAddrData &outer) {
  if (inner.isV6 != outer.isV6)
    return false;
  // Cedar: other_network <= self_network && self_broadcast <=
  // other_broadcast, compared as big integers.
  auto toWide = [](const IpAddrData &ip, unsigned prefix, bool broadcast,
                   uint64_t &hi, uint64_t &lo) {
    int totalBits = ip.isV6 ? 128 : 32;
    int bytes = ip.isV6 ? 16 : 4;
    hi = lo = 0;
    for (int i = 0; i < bytes; ++i) {
      uint8_t byte = ip.bytes[i];
      int bits = static_cast<int>(prefix) - 8 * i;
      uint8_t mask = bits >= 8   ? 0xFF
                     : bits <= 0 ? 0
                                 : static_cast<uint8_t>(0xFF << (8 - bits));
      byte = broadcast ? static_cast<uint8_t>(byte | ~mask)
                       : static_cast<uint8_t>(byte & mask);
      if (totalBits == 128 && i < 8)
        hi = (hi << 8) | byte;
      else
        lo = (lo << 8) | byte;
    }
  };
  auto lessOrEqual = [](uint64_t aHi, uint64_t aLo, uint64_t bHi,
                        uint64_t bLo) {
    return aHi < bHi || (aHi == bHi && aLo <= bLo);
  };
  uint64_t innerNetHi, innerNetLo, innerBcHi, innerBcLo;
  uint64_t outerNetHi, outerNetLo, outerBcHi, outerBcLo;
  toWide(inner, inner.prefixLength, false, innerNetHi, innerNetLo);
  toWide(inner, inner.prefixLength, true, innerBcHi, innerBcLo);
  toWide(outer, outer.prefixLength, false, outerNetHi, outerNetLo);
  toWide(outer, outer.prefixLength, true, outerBcHi, outerBcLo);
  return lessOrEqual(outerNetHi, outerNetLo, innerNetHi, innerNetLo) &&
         lessOrEqual(innerBcHi, innerBcLo, outerBcHi, outerBcLo);
}

// --- datetime ----------------------------------------------------------------

bool parseDatetime(std::string_view text, int64_t &millis, std::string &error) {
  // Syntax first, left to right, then the ranges, as Cedar checks them.
  unsigned year, month, day;
  if (!readDigits(text, 0, 4, year) || text.size() < 10 || text[4] != '-' ||
      !readDigits(text, 5, 2, month) || text[7] != '-' ||
      !readDigits(text, 8, 2, day)) {
    error = "invalid date pattern";
    return false;
  }
  auto checkDate = [&]() {
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
      error = "invalid date: " + std::string(text.substr(0, 10));
      return false;
    }
    return true;
  };
  unsigned hour = 0, minute = 0, second = 0, milli = 0;
  int64_t offsetSeconds = 0;
  if (text.size() > 10) {
    if (text[10] != 'T' || !readDigits(text, 11, 2, hour) || text.size() < 19 ||
        text[13] != ':' || !readDigits(text, 14, 2, minute) ||
        text[16] != ':' || !readDigits(text, 17, 2, second)) {
      error = "invalid hour/minute/second pattern";
      return false;
    }
    std::string_view rest = text.substr(19);
    if (!rest.empty() && rest[0] == '.') {
      if (!readDigits(rest, 1, 3, milli)) {
        error = "invalid millisecond and/or offset pattern";
        return false;
      }
      rest.remove_prefix(4);
    }
    unsigned offsetHours = 0, offsetMinutes = 0;
    bool hasOffset = false;
    bool offsetNegative = false;
    if (rest == "Z") {
      // UTC
    } else if (rest.size() == 5 && (rest[0] == '+' || rest[0] == '-') &&
               readDigits(rest, 1, 2, offsetHours) &&
               readDigits(rest, 3, 2, offsetMinutes)) {
      hasOffset = true;
      offsetNegative = rest[0] == '-';
    } else {
      error = "invalid millisecond and/or offset pattern";
      return false;
    }
    if (!checkDate())
      return false;
    if (hour > 23 || minute > 59 || second > 59) {
      error = "invalid hour/minute/second: " + std::string(text.substr(11, 8));
      return false;
    }
    if (hasOffset) {
      if (offsetHours >= 24 || offsetMinutes >= 60) {
        error = "invalid offset range: " + std::to_string(offsetHours) +
                std::to_string(offsetMinutes);
        return false;
      }
      offsetSeconds = offsetHours * 3600 + offsetMinutes * 60;
      if (offsetNegative)
        offsetSeconds = -offsetSeconds;
    }
  } else if (!checkDate()) {
    return false;
  }
  // Years 0000-9999 keep every intermediate far inside i64.
  int64_t days = daysFromCivil(year, month, day);
  millis = days * kMillisPerDay + int64_t(hour) * 3'600'000 +
           int64_t(minute) * 60'000 + int64_t(second) * 1000 + milli -
           offsetSeconds * 1000;
  return true;
}

std::string formatDatetime(int64_t millis) {
  // Floor division so instants before the epoch land on the right day.
  int64_t days = millis / kMillisPerDay;
  int64_t rest = millis % kMillisPerDay;
  if (rest < 0) {
    rest += kMillisPerDay;
    --days;
  }
  int64_t year;
  unsigned month, day;
  civilFromDays(days, year, month, day);
  unsigned ms = static_cast<unsigned>(rest % 1000);
  unsigned seconds = static_cast<unsigned>(rest / 1000);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02u:%02u:%02u",
                static_cast<long long>(year), month, day, seconds / 3600,
                (seconds / 60) % 60, seconds % 60);
  std::string out = buffer;
  if (ms != 0) {
    std::snprintf(buffer, sizeof buffer, ".%03u", ms);
    out += buffer;
  }
  out += 'Z';
  return out;
}

// --- duration ----------------------------------------------------------------

bool parseDuration(std::string_view text, int64_t &millis, std::string &error) {
  bool negative = !text.empty() && text[0] == '-';
  std::string_view rest = text.substr(negative ? 1 : 0);
  if (rest.empty()) {
    error = "invalid duration pattern";
    return false;
  }
  // Units in the only order Cedar accepts them.
  struct Unit {
    std::string_view suffix;
    int64_t millis;
  };
  static constexpr Unit kUnits[] = {{"d", 86'400'000},
                                    {"h", 3'600'000},
                                    {"m", 60'000},
                                    {"s", 1000},
                                    {"ms", 1}};
  uint64_t quantities[5] = {0, 0, 0, 0, 0};
  bool overflowed = false;
  size_t nextUnit = 0;
  size_t pos = 0;
  while (pos < rest.size()) {
    size_t start = pos;
    uint64_t quantity = 0;
    while (pos < rest.size() && isDigit(rest[pos])) {
      uint64_t digit = static_cast<uint64_t>(rest[pos] - '0');
      if (quantity > (std::numeric_limits<uint64_t>::max() - digit) / 10)
        overflowed = true;
      quantity = quantity * 10 + digit;
      ++pos;
    }
    if (pos == start) {
      error = "invalid duration pattern";
      return false;
    }
    // "ms" must be tried before "m".
    size_t unit;
    if (rest.substr(pos, 2) == "ms")
      unit = 4;
    else if (pos < rest.size() && rest[pos] == 'd')
      unit = 0;
    else if (pos < rest.size() && rest[pos] == 'h')
      unit = 1;
    else if (pos < rest.size() && rest[pos] == 'm')
      unit = 2;
    else if (pos < rest.size() && rest[pos] == 's')
      unit = 3;
    else {
      error = "invalid duration pattern";
      return false;
    }
    if (unit < nextUnit) {
      error = "invalid duration pattern";
      return false;
    }
    pos += kUnits[unit].suffix.size();
    quantities[unit] = quantity;
    nextUnit = unit + 1;
  }
  if (overflowed) {
    error = "Duration overflows internal representation";
    return false;
  }
  // Accumulate with the sign applied to each term, so the most negative
  // duration is representable, and report overflow like Cedar.
  int64_t total = 0;
  for (size_t unit = 5; unit-- > 0;) {
    uint64_t quantity = quantities[unit];
    if (quantity > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) +
                       (negative ? 1 : 0)) {
      error = "Duration overflows internal representation";
      return false;
    }
    int64_t term;
    constexpr uint64_t kMagnitudeOfMin = uint64_t(1) << 63;
    uint64_t unitMillis = static_cast<uint64_t>(kUnits[unit].millis);
    if (negative) {
      // -(quantity * unit) may be exactly i64::MIN.
      if (quantity > kMagnitudeOfMin / unitMillis) {
        error = "Duration overflows internal representation";
        return false;
      }
      uint64_t product = quantity * unitMillis;
      term = product == kMagnitudeOfMin ? std::numeric_limits<int64_t>::min()
                                        : -static_cast<int64_t>(product);
    } else if (__builtin_mul_overflow(static_cast<int64_t>(quantity),
                                      kUnits[unit].millis, &term)) {
      error = "Duration overflows internal representation";
      return false;
    }
    if (__builtin_add_overflow(total, term, &total)) {
      error = "Duration overflows internal representation";
      return false;
    }
  }
  millis = total;
  return true;
}

std::string formatDuration(int64_t millis) {
  return std::to_string(millis) + "ms";
}

} // namespace rune::ext
