//===- ExtensionLiterals.cpp - Cedar extension constructor strings --------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Sema/ExtensionLiterals.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <limits>
#include <optional>

using namespace rune::cedar;

static llvm::Error failure(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static bool isDigits(llvm::StringRef text) {
  return !text.empty() && llvm::all_of(text, llvm::isDigit);
}

/// Parses a decimal integer with an optional leading '-' into an i64.
static std::optional<int64_t> parseSigned(llvm::StringRef text) {
  int64_t value;
  if (text.getAsInteger(10, value))
    return std::nullopt;
  return value;
}

//===----------------------------------------------------------------------===//
// decimal
//===----------------------------------------------------------------------===//

llvm::Expected<int64_t> rune::cedar::parseDecimal(llvm::StringRef text) {
  constexpr unsigned FractionDigits = 4;
  auto [whole, fraction] = text.split('.');
  bool negative = whole.consume_front("-");
  if (!isDigits(whole) || !isDigits(fraction))
    return failure("'" + text + "' is not a well-formed decimal value");
  if (fraction.size() > FractionDigits)
    return failure("too many digits after the decimal point in '" + text +
                   "'; at most 4 are supported");

  auto overflow = [&] {
    return failure("'" + text + "' is out of range for a decimal");
  };
  std::optional<int64_t> wholeValue = parseSigned(whole);
  if (!wholeValue)
    return overflow();
  std::optional<int64_t> scaled = llvm::checkedMul<int64_t>(*wholeValue, 10000);
  if (!scaled)
    return overflow();
  int64_t fractionValue = *parseSigned(fraction);
  for (size_t i = fraction.size(); i != FractionDigits; ++i)
    fractionValue *= 10;
  // Build the negative values downwards so that the most negative decimal
  // does not overflow on the way.
  std::optional<int64_t> result =
      negative ? llvm::checkedSub<int64_t>(-*scaled, fractionValue)
               : llvm::checkedAdd<int64_t>(*scaled, fractionValue);
  if (!result)
    return overflow();
  return *result;
}

//===----------------------------------------------------------------------===//
// ip
//===----------------------------------------------------------------------===//

/// Parses a dotted-quad IPv4 address the way Rust's std::net does: exactly
/// four decimal octets of at most three digits, no leading zeros.
static bool parseIPv4(llvm::StringRef text, std::array<uint8_t, 16> &bytes) {
  llvm::SmallVector<llvm::StringRef, 4> octets;
  text.split(octets, '.');
  if (octets.size() != 4)
    return false;
  for (size_t i = 0; i != 4; ++i) {
    llvm::StringRef octet = octets[i];
    if (!isDigits(octet) || octet.size() > 3 ||
        (octet.size() > 1 && octet.front() == '0'))
      return false;
    unsigned value;
    if (octet.getAsInteger(10, value) || value > 255)
      return false;
    bytes[i] = uint8_t(value);
  }
  return true;
}

/// Parses the colon-separated groups of an IPv6 address (without `::`).
static bool parseIPv6Groups(llvm::StringRef text,
                            llvm::SmallVectorImpl<uint16_t> &groups) {
  if (text.empty())
    return true;
  llvm::SmallVector<llvm::StringRef, 8> parts;
  text.split(parts, ':');
  for (llvm::StringRef part : parts) {
    if (part.empty() || part.size() > 4 ||
        !llvm::all_of(part, llvm::isHexDigit))
      return false;
    unsigned value;
    part.getAsInteger(16, value);
    groups.push_back(uint16_t(value));
  }
  return true;
}

/// Parses an IPv6 address the way Rust's std::net does (minus embedded IPv4,
/// which Cedar rejects): eight groups of 1-4 hex digits, or fewer with one
/// `::` standing for at least one zero group.
static bool parseIPv6(llvm::StringRef text, std::array<uint8_t, 16> &bytes) {
  llvm::SmallVector<uint16_t, 8> head, tail;
  size_t gap = text.find("::");
  if (gap == llvm::StringRef::npos) {
    if (!parseIPv6Groups(text, head) || head.size() != 8)
      return false;
  } else {
    if (!parseIPv6Groups(text.take_front(gap), head) ||
        !parseIPv6Groups(text.drop_front(gap + 2), tail) ||
        head.size() + tail.size() > 7)
      return false;
  }
  std::array<uint16_t, 8> groups = {};
  llvm::copy(head, groups.begin());
  llvm::copy(tail, groups.end() - tail.size());
  for (size_t i = 0; i != 8; ++i) {
    bytes[2 * i] = uint8_t(groups[i] >> 8);
    bytes[2 * i + 1] = uint8_t(groups[i]);
  }
  return true;
}

llvm::Expected<IPAddress> rune::cedar::parseIPAddress(llvm::StringRef text) {
  // Cedar refuses IPv4-in-IPv6 notation such as ::ffff:127.0.0.1, detected
  // (as Cedar does) by at least two colons and at least two dots.
  if (text.count(':') >= 2 && text.count('.') >= 2)
    return failure("'" + text +
                   "' is not supported: IPv4 addresses embedded in IPv6 must "
                   "be written in hexadecimal IPv6 notation");

  auto [address, prefix] = text.split('/');
  bool hasPrefix = address.size() != text.size();
  IPAddress result;
  if (parseIPv4(address, result.bytes)) {
    result.isIPv6 = false;
  } else if (parseIPv6(address, result.bytes)) {
    result.isIPv6 = true;
  } else {
    return failure("'" + text + "' is not a valid IP address");
  }

  unsigned maxPrefix = result.isIPv6 ? 128 : 32;
  result.prefixLength = maxPrefix;
  if (hasPrefix) {
    // Rust's u8 parser, which Cedar uses here, accepts an explicit '+'.
    llvm::StringRef digits = prefix;
    digits.consume_front("+");
    unsigned length;
    if (!isDigits(digits) || digits.getAsInteger(10, length) || length > 255)
      return failure("'" + prefix + "' is not a valid prefix length in '" +
                     text + "'");
    if (length > maxPrefix)
      return failure("invalid " + llvm::Twine(result.isIPv6 ? "IPv6" : "IPv4") +
                     " prefix length " + llvm::Twine(length) +
                     "; the maximum is " + llvm::Twine(maxPrefix));
    result.prefixLength = length;
  }
  return result;
}

//===----------------------------------------------------------------------===//
// datetime
//===----------------------------------------------------------------------===//

static bool isLeapYear(int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static unsigned daysInMonth(int64_t year, unsigned month) {
  static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30,
                                      31, 31, 30, 31, 30, 31};
  return month == 2 && isLeapYear(year) ? 29 : days[month - 1];
}

/// Days from 1970-01-01 to the given proleptic Gregorian date (Howard
/// Hinnant's days_from_civil).
static int64_t daysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  int64_t era = (year >= 0 ? year : year - 399) / 400;
  int64_t yearOfEra = year - era * 400;
  int64_t dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int64_t dayOfEra =
      yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/// Consumes exactly `count` ASCII digits from the front of `text`.
static std::optional<unsigned> takeDigits(llvm::StringRef &text, size_t count) {
  if (text.size() < count ||
      !llvm::all_of(text.take_front(count), llvm::isDigit))
    return std::nullopt;
  unsigned value;
  text.take_front(count).getAsInteger(10, value);
  text = text.drop_front(count);
  return value;
}

llvm::Expected<int64_t> rune::cedar::parseDatetime(llvm::StringRef text) {
  // The checks run in the same order as Cedar's so that the same problem is
  // reported: the date's shape, then the time's shape, then the suffix,
  // then the values.
  llvm::StringRef rest = text;
  std::optional<unsigned> year = takeDigits(rest, 4);
  bool dateShape = year && rest.consume_front("-");
  std::optional<unsigned> month =
      dateShape ? takeDigits(rest, 2) : std::nullopt;
  dateShape = month && rest.consume_front("-");
  std::optional<unsigned> day = dateShape ? takeDigits(rest, 2) : std::nullopt;
  if (!day)
    return failure("'" + text +
                   "' is not a valid datetime: it must start with YYYY-MM-DD");
  auto checkDate = [&]() -> llvm::Error {
    if (*month < 1 || *month > 12 || *day < 1 ||
        *day > daysInMonth(*year, *month))
      return failure("'" + text + "' is not a valid datetime: invalid date '" +
                     text.take_front(10) + "'");
    return llvm::Error::success();
  };
  int64_t days = 0;
  if (rest.empty()) {
    if (llvm::Error error = checkDate())
      return error;
    return daysFromCivil(*year, *month, *day) * 86400000;
  }

  std::optional<unsigned> hour, minute, second;
  if (rest.consume_front("T") && (hour = takeDigits(rest, 2)) &&
      rest.consume_front(":") && (minute = takeDigits(rest, 2)) &&
      rest.consume_front(":"))
    second = takeDigits(rest, 2);
  if (!second)
    return failure("'" + text +
                   "' is not a valid datetime: the date must be followed by "
                   "THH:MM:SS");

  unsigned millis = 0;
  int64_t offsetMinutes = 0;
  bool suffixShape = true;
  if (rest.consume_front(".")) {
    std::optional<unsigned> value = takeDigits(rest, 3);
    suffixShape = value.has_value();
    millis = value.value_or(0);
  }
  std::optional<unsigned> offsetHours, offsetMins;
  bool negativeOffset = false;
  if (suffixShape) {
    if (rest == "Z") {
      rest = {};
    } else if (rest.size() == 5 && (rest[0] == '+' || rest[0] == '-')) {
      negativeOffset = rest[0] == '-';
      rest = rest.drop_front();
      offsetHours = takeDigits(rest, 2);
      offsetMins = takeDigits(rest, 2);
      suffixShape = offsetHours && offsetMins;
    } else {
      suffixShape = false;
    }
  }
  if (!suffixShape || !rest.empty())
    return failure("'" + text +
                   "' is not a valid datetime: the time must end with Z, "
                   ".SSSZ, (+|-)hhmm or .SSS(+|-)hhmm");

  if (llvm::Error error = checkDate())
    return error;
  // Leap seconds (:60) are rejected, as Cedar cannot tell real ones apart.
  if (*hour > 23 || *minute > 59 || *second > 59)
    return failure("'" + text + "' is not a valid datetime: invalid time '" +
                   text.substr(11, 8) + "'");
  if (offsetHours) {
    if (*offsetHours > 23 || *offsetMins > 59)
      return failure("'" + text +
                     "' is not a valid datetime: invalid offset; "
                     "hours must be below 24 and minutes below 60");
    offsetMinutes = int64_t(*offsetHours) * 60 + *offsetMins;
    if (negativeOffset)
      offsetMinutes = -offsetMinutes;
  }

  days = daysFromCivil(*year, *month, *day);
  int64_t seconds = days * 86400 + int64_t(*hour) * 3600 +
                    int64_t(*minute) * 60 + *second - offsetMinutes * 60;
  return seconds * 1000 + millis;
}

//===----------------------------------------------------------------------===//
// duration
//===----------------------------------------------------------------------===//

llvm::Expected<int64_t> rune::cedar::parseDuration(llvm::StringRef text) {
  struct Unit {
    llvm::StringLiteral suffix;
    int64_t millis;
  };
  // In the order Cedar requires them.
  static constexpr Unit units[] = {
      {"d", 86400000}, {"h", 3600000}, {"m", 60000}, {"s", 1000}, {"ms", 1}};

  auto invalid = [&] {
    return failure("'" + text +
                   "' is not a valid duration: expected quantity-unit pairs "
                   "such as 1d2h3m4s5ms, units in that order, optionally "
                   "preceded by '-'");
  };
  auto overflow = [&] {
    return failure("'" + text +
                   "' is out of range: durations are 64-bit milliseconds");
  };

  llvm::StringRef rest = text;
  bool negative = rest.consume_front("-");
  if (rest.empty())
    return invalid();

  int64_t total = 0;
  size_t nextUnit = 0;
  while (!rest.empty()) {
    size_t digitCount = 0;
    while (digitCount < rest.size() && llvm::isDigit(rest[digitCount]))
      ++digitCount;
    if (digitCount == 0)
      return invalid();
    llvm::StringRef digits = rest.take_front(digitCount);
    rest = rest.drop_front(digitCount);
    // "ms" must win over "m" followed by garbage.
    size_t unit = rest.starts_with("ms")  ? 4
                  : rest.starts_with("m") ? 2
                  : rest.starts_with("d") ? 0
                  : rest.starts_with("h") ? 1
                  : rest.starts_with("s") ? 3
                                          : llvm::StringRef::npos;
    if (unit == llvm::StringRef::npos || unit < nextUnit)
      return invalid();
    rest = rest.drop_front(units[unit].suffix.size());
    nextUnit = unit + 1;

    uint64_t quantity;
    if (digits.getAsInteger(10, quantity))
      return overflow();
    std::optional<uint64_t> millis =
        llvm::checkedMulUnsigned<uint64_t>(quantity, units[unit].millis);
    if (!millis)
      return overflow();
    std::optional<int64_t> sum;
    if (!negative) {
      if (*millis <= uint64_t(std::numeric_limits<int64_t>::max()))
        sum = llvm::checkedAdd<int64_t>(total, int64_t(*millis));
    } else {
      // Negative durations reach down to INT64_MIN, one further than
      // INT64_MAX; `room` is how far below `total` that still is.
      uint64_t room = uint64_t(total) + (uint64_t(1) << 63);
      if (*millis <= room)
        sum = int64_t(uint64_t(total) - *millis);
    }
    if (!sum)
      return overflow();
    total = *sum;
  }
  return total;
}
