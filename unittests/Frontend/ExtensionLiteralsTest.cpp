//===- ExtensionLiteralsTest.cpp - Tests of extension literal parsing -----===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Sema/ExtensionLiterals.h"

#include "gtest/gtest.h"

#include <limits>

using namespace rune::cedar;

namespace {

/// The error message of `value`, or "" if it holds a value.
template <typename T> std::string errorOf(llvm::Expected<T> value) {
  if (value)
    return "";
  return llvm::toString(value.takeError());
}

template <typename T> T valueOf(llvm::Expected<T> value) {
  if (!value) {
    ADD_FAILURE() << llvm::toString(value.takeError());
    return T();
  }
  return *value;
}

TEST(ExtensionLiteralsTest, Decimal) {
  EXPECT_EQ(valueOf(parseDecimal("1.0")), 10000);
  EXPECT_EQ(valueOf(parseDecimal("-1.5")), -15000);
  EXPECT_EQ(valueOf(parseDecimal("123.4567")), 1234567);
  EXPECT_EQ(valueOf(parseDecimal("0.0001")), 1);
  EXPECT_EQ(valueOf(parseDecimal("-0.5")), -5000);
  EXPECT_EQ(valueOf(parseDecimal("922337203685477.5807")),
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(valueOf(parseDecimal("-922337203685477.5808")),
            std::numeric_limits<int64_t>::min());

  for (const char *bad : {"", "1", "1.", ".5", "abc", "1.2.3", "+1.0", "1e5",
                          "- 1.0", "1.0 ", "--1.0"})
    EXPECT_NE(errorOf(parseDecimal(bad)), "") << bad;
  EXPECT_EQ(errorOf(parseDecimal("1.23456")),
            "too many digits after the decimal point in '1.23456'; at most 4 "
            "are supported");
  EXPECT_EQ(errorOf(parseDecimal("922337203685477.5808")),
            "'922337203685477.5808' is out of range for a decimal");
  EXPECT_NE(errorOf(parseDecimal("99999999999999999999.0")), "");
}

TEST(ExtensionLiteralsTest, IPv4) {
  IPAddress ip = valueOf(parseIPAddress("192.168.1.20"));
  EXPECT_FALSE(ip.isIPv6);
  EXPECT_EQ(ip.prefixLength, 32u);
  EXPECT_EQ(ip.bytes[0], 192);
  EXPECT_EQ(ip.bytes[3], 20);
  ip = valueOf(parseIPAddress("10.0.0.0/8"));
  EXPECT_EQ(ip.prefixLength, 8u);
  EXPECT_EQ(valueOf(parseIPAddress("0.0.0.0/0")).prefixLength, 0u);

  for (const char *bad :
       {"1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.4/", "1.2.3.4/a",
        "1.2.3.4/-1", " 1.2.3.4", "1..2.3", "1.2.3.4/24/1", "1234.1.1.1", ""})
    EXPECT_NE(errorOf(parseIPAddress(bad)), "") << bad;
  EXPECT_EQ(errorOf(parseIPAddress("1.2.3.4/33")),
            "invalid IPv4 prefix length 33; the maximum is 32");
}

TEST(ExtensionLiteralsTest, IPv6) {
  IPAddress ip = valueOf(parseIPAddress("::1"));
  EXPECT_TRUE(ip.isIPv6);
  EXPECT_EQ(ip.prefixLength, 128u);
  EXPECT_EQ(ip.bytes[15], 1);
  EXPECT_EQ(ip.bytes[0], 0);
  ip = valueOf(parseIPAddress("ff00::/8"));
  EXPECT_EQ(ip.bytes[0], 0xff);
  EXPECT_EQ(ip.prefixLength, 8u);
  ip = valueOf(parseIPAddress("2001:db8:0:0:0:0:2:1"));
  EXPECT_EQ(ip.bytes[0], 0x20);
  EXPECT_EQ(ip.bytes[1], 0x01);
  EXPECT_EQ(ip.bytes[14], 0x00);
  EXPECT_EQ(ip.bytes[15], 0x01);
  EXPECT_TRUE(valueOf(parseIPAddress("::")).isIPv6);
  EXPECT_TRUE(valueOf(parseIPAddress("1::")).isIPv6);
  EXPECT_TRUE(valueOf(parseIPAddress("::ffff:ff00:1")).isIPv6);
  EXPECT_EQ(valueOf(parseIPAddress("::1/+64")).prefixLength, 64u);

  for (const char *bad :
       {":1", "1:", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8",
        "12345::", "g::", "1:2", "::1/129", "::1%eth0"})
    EXPECT_NE(errorOf(parseIPAddress(bad)), "") << bad;
  // IPv4-embedded notation is rejected as in Cedar.
  EXPECT_NE(errorOf(parseIPAddress("::ffff:127.0.0.1")).find("embedded"),
            std::string::npos);
}

TEST(ExtensionLiteralsTest, Datetime) {
  EXPECT_EQ(valueOf(parseDatetime("1970-01-01")), 0);
  EXPECT_EQ(valueOf(parseDatetime("1970-01-02")), 86400000);
  EXPECT_EQ(valueOf(parseDatetime("1969-12-31")), -86400000);
  EXPECT_EQ(valueOf(parseDatetime("2024-10-15T11:38:02Z")), 1728992282000);
  EXPECT_EQ(valueOf(parseDatetime("2024-10-15T11:38:02.101Z")), 1728992282101);
  // 11:38:02.101+11:34 is 00:04:02.101 UTC.
  EXPECT_EQ(valueOf(parseDatetime("2024-10-15T11:38:02.101+1134")),
            valueOf(parseDatetime("2024-10-15T00:04:02.101Z")));
  EXPECT_EQ(valueOf(parseDatetime("2024-10-15T11:38:02-1134")),
            valueOf(parseDatetime("2024-10-15T23:12:02Z")));
  EXPECT_EQ(valueOf(parseDatetime("2024-02-29")),
            valueOf(parseDatetime("2024-03-01")) - 86400000);
  EXPECT_EQ(valueOf(parseDatetime("0000-01-01")), -62167219200000);

  for (const char *bad : {"",
                          "a",
                          "-",
                          "-1",
                          "11-12-13",
                          "1111-1x-20",
                          "2024-10-15Z",
                          "2024-10-15T11:38:02ZZ",
                          "10000-01-01",
                          "2024-01-01T",
                          "2024-01-01T01:02",
                          "2024-01-01T01::02:03",
                          "2024-01-01T00:00:00",
                          "2024-01-01T00:00:00.1Z",
                          "2024-01-01T00:00:00+01",
                          "2024-00-01",
                          "2024-01-00",
                          "2025-02-29",
                          "2024-04-31",
                          "2024-01-01T24:00:00Z",
                          "2024-01-01T01:60:03Z",
                          "2016-12-31T23:59:60Z",
                          "2024-01-01T00:00:00+2400",
                          "2024-01-01T00:00:00-0060"})
    EXPECT_NE(errorOf(parseDatetime(bad)), "") << bad;
  EXPECT_EQ(errorOf(parseDatetime("2024-02-30")),
            "'2024-02-30' is not a valid datetime: invalid date '2024-02-30'");
}

TEST(ExtensionLiteralsTest, Duration) {
  EXPECT_EQ(valueOf(parseDuration("1ms")), 1);
  EXPECT_EQ(valueOf(parseDuration("1s")), 1000);
  EXPECT_EQ(valueOf(parseDuration("1m")), 60000);
  EXPECT_EQ(valueOf(parseDuration("1h")), 3600000);
  EXPECT_EQ(valueOf(parseDuration("1d")), 86400000);
  EXPECT_EQ(valueOf(parseDuration("1d2h3m4s5ms")),
            86400000 + 2 * 3600000 + 3 * 60000 + 4 * 1000 + 5);
  EXPECT_EQ(valueOf(parseDuration("-2h30m")), -(2 * 3600000 + 30 * 60000));
  EXPECT_EQ(valueOf(parseDuration("0ms")), 0);
  EXPECT_EQ(valueOf(parseDuration("1m1ms")), 60001);
  EXPECT_EQ(valueOf(parseDuration("9223372036854775807ms")),
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(valueOf(parseDuration("-9223372036854775808ms")),
            std::numeric_limits<int64_t>::min());

  for (const char *bad : {"", "-", "1", "d", "1x", "1h1d", "1d1d", "1ms1s",
                          "1.5h", " 1h", "1h ", "+1h", "1d-1h", "--1d"})
    EXPECT_NE(errorOf(parseDuration(bad)), "") << bad;
  for (const char *overflow : {"9223372036854775808ms", "106751991167301d",
                               "99999999999999999999s", "-9223372036854776s"})
    EXPECT_NE(errorOf(parseDuration(overflow)).find("out of range"),
              std::string::npos)
        << overflow;
}

} // namespace
