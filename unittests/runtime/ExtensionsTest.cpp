//===- ExtensionsTest.cpp - decimal, ipaddr, datetime, duration -----------===//

#include "TestSupport.h"

#include "rune/Runtime/ExtensionParsers.h"
#include "rune/Runtime/Operations.h"

#include <limits>

namespace rune::test {
namespace {

using bc::ExtFn;

int64_t decimal(std::string_view text) {
  int64_t v = 0;
  std::string error;
  EXPECT_TRUE(ext::parseDecimal(text, v, error)) << text << ": " << error;
  return v;
}
std::string decimalError(std::string_view text) {
  int64_t v;
  std::string error;
  EXPECT_FALSE(ext::parseDecimal(text, v, error)) << text;
  return error;
}

TEST(DecimalTest, Parses) {
  EXPECT_EQ(decimal("1.0"), 10000);
  EXPECT_EQ(decimal("1.2345"), 12345);
  EXPECT_EQ(decimal("-1.5"), -15000);
  EXPECT_EQ(decimal("-0.5"), -5000);
  EXPECT_EQ(decimal("0.0001"), 1);
  EXPECT_EQ(decimal("007.10"), 71000);
  EXPECT_EQ(decimal("922337203685477.5807"),
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(decimal("-922337203685477.5808"),
            std::numeric_limits<int64_t>::min());
}

TEST(DecimalTest, Rejects) {
  EXPECT_EQ(decimalError("1"), "`1` is not a well-formed decimal value");
  for (const char *bad :
       {"", ".5", "1.", "-", "+1.0", "1.2.3", "1e3", " 1.0", "1,0", "0x1.0"})
    EXPECT_NE(decimalError(bad).find("is not a well-formed decimal value"),
              std::string::npos)
        << bad;
  EXPECT_EQ(decimalError("1.23456"),
            "too many digits after the decimal in `1.23456`");
  EXPECT_EQ(decimalError("922337203685477.5808"),
            "overflow when converting to decimal");
  EXPECT_EQ(decimalError("-922337203685477.5809"),
            "overflow when converting to decimal");
  EXPECT_EQ(decimalError("99999999999999999999.0"),
            "overflow when converting to decimal");
}

TEST(DecimalTest, Formats) {
  EXPECT_EQ(ext::formatDecimal(12345), "1.2345");
  EXPECT_EQ(ext::formatDecimal(10500), "1.05");
  EXPECT_EQ(ext::formatDecimal(0), "0.0");
  EXPECT_EQ(ext::formatDecimal(std::numeric_limits<int64_t>::min()),
            "-922337203685477.5808");
}

IpAddrData ip(std::string_view text) {
  IpAddrData out{};
  std::string error;
  EXPECT_TRUE(ext::parseIpAddr(text, out, error)) << text << ": " << error;
  return out;
}
std::string ipError(std::string_view text) {
  IpAddrData out{};
  std::string error;
  EXPECT_FALSE(ext::parseIpAddr(text, out, error)) << text;
  return error;
}

TEST(IpAddrTest, Parses) {
  IpAddrData a = ip("192.168.0.1");
  EXPECT_FALSE(a.isV6);
  EXPECT_EQ(a.prefixLength, 32);
  EXPECT_EQ(a.bytes[0], 192);
  EXPECT_EQ(a.bytes[3], 1);
  EXPECT_EQ(ip("10.0.0.0/8").prefixLength, 8);
  // Cedar 4.10 takes plain digits: no sign, no leading zero.
  ipError("10.0.0.0/+8");
  ipError("174.174.174.0/00");
  ipError("10.0.0.0/08");
  EXPECT_EQ(ip("10.0.0.0/0").prefixLength, 0);
  IpAddrData v6 = ip("::1");
  EXPECT_TRUE(v6.isV6);
  EXPECT_EQ(v6.prefixLength, 128);
  EXPECT_EQ(v6.bytes[15], 1);
  EXPECT_EQ(ip("2001:db8::/32").prefixLength, 32);
  EXPECT_EQ(ip("1:2:3:4:5:6:7:8").bytes[14], 0);
  EXPECT_EQ(ip("1:2:3:4:5:6:7:8").bytes[15], 8);
  EXPECT_EQ(ip("ffff::").bytes[0], 0xFF);
  EXPECT_EQ(ip("::").prefixLength, 128);
}

TEST(IpAddrTest, Rejects) {
  for (const char *bad :
       {"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.4/33",
        "1.2.3.4/", "1.2.3.4/-1", "::1/129", "1:2:3:4:5:6:7:8:9", "1::2::3",
        ":::", "12345::", "g::", "1:2:3:4:5:6:7:8::", "a.b.c.d", " 1.2.3.4",
        "1.2.3.4/256"})
    ipError(bad);
  EXPECT_EQ(ipError("::ffff:127.0.0.1"),
            "error parsing IP address from string: We do not accept IPv4 "
            "embedded in IPv6 (e.g., ::ffff:127.0.0.1). Found: "
            "`::ffff:127.0.0.1`");
  EXPECT_EQ(ipError("1.2.3.4/33"), "invalid IPv4 subnet: 33");
  EXPECT_EQ(ipError("::/200"), "invalid IPv6 subnet: 200");
}

TEST(IpAddrTest, Predicates) {
  EXPECT_TRUE(ext::ipIsLoopback(ip("127.0.0.1")));
  EXPECT_TRUE(ext::ipIsLoopback(ip("127.5.0.0/16")));
  EXPECT_TRUE(ext::ipIsLoopback(ip("::1")));
  EXPECT_FALSE(ext::ipIsLoopback(ip("::2")));
  EXPECT_FALSE(ext::ipIsLoopback(ip("::ffff:ff00:1")));
  EXPECT_TRUE(ext::ipIsMulticast(ip("224.0.0.1")));
  EXPECT_TRUE(ext::ipIsMulticast(ip("239.255.255.255")));
  EXPECT_FALSE(ext::ipIsMulticast(ip("224.0.0.0/3"))); // range too wide
  EXPECT_TRUE(ext::ipIsMulticast(ip("ff02::1")));
  EXPECT_FALSE(ext::ipIsMulticast(ip("ff00::/7")));
  EXPECT_TRUE(ext::ipIsInRange(ip("10.1.2.3"), ip("10.0.0.0/8")));
  EXPECT_TRUE(ext::ipIsInRange(ip("10.1.0.0/16"), ip("10.0.0.0/8")));
  EXPECT_FALSE(ext::ipIsInRange(ip("10.0.0.0/8"), ip("10.1.0.0/16")));
  EXPECT_TRUE(ext::ipIsInRange(ip("10.0.0.0/8"), ip("10.0.0.0/8")));
  EXPECT_FALSE(ext::ipIsInRange(ip("11.0.0.1"), ip("10.0.0.0/8")));
  EXPECT_TRUE(ext::ipIsInRange(ip("1.2.3.4"), ip("0.0.0.0/0")));
  EXPECT_FALSE(ext::ipIsInRange(ip("::1"), ip("0.0.0.0/0"))); // families
  EXPECT_TRUE(ext::ipIsInRange(ip("2001:db8::1"), ip("2001:db8::/32")));
  EXPECT_FALSE(ext::ipIsInRange(ip("2001:db9::1"), ip("2001:db8::/32")));
  EXPECT_TRUE(ext::ipIsInRange(ip("::1"), ip("::/0")));
}

TEST(IpAddrTest, Formats) {
  EXPECT_EQ(ext::formatIpAddr(ip("10.0.0.1")), "10.0.0.1");
  EXPECT_EQ(ext::formatIpAddr(ip("10.0.0.0/8")), "10.0.0.0/8");
  EXPECT_EQ(ext::formatIpAddr(ip("2001:db8:0:0:1:0:0:1")), "2001:db8::1:0:0:1");
  EXPECT_EQ(ext::formatIpAddr(ip("::")), "::");
  EXPECT_EQ(ext::formatIpAddr(ip("::1")), "::1");
}

int64_t datetime(std::string_view text) {
  int64_t v = 0;
  std::string error;
  EXPECT_TRUE(ext::parseDatetime(text, v, error)) << text << ": " << error;
  return v;
}
std::string datetimeError(std::string_view text) {
  int64_t v;
  std::string error;
  EXPECT_FALSE(ext::parseDatetime(text, v, error)) << text;
  return error;
}

TEST(DatetimeTest, Parses) {
  EXPECT_EQ(datetime("1970-01-01"), 0);
  EXPECT_EQ(datetime("1970-01-02"), 86'400'000);
  EXPECT_EQ(datetime("1969-12-31"), -86'400'000);
  EXPECT_EQ(datetime("2024-10-15T11:38:02Z"), 1728992282000);
  EXPECT_EQ(datetime("2024-10-15T11:38:02.101Z"), 1728992282101);
  // Offsets: local time minus offset is UTC.
  EXPECT_EQ(datetime("2024-10-15T11:38:02.101+1134"),
            datetime("2024-10-15T00:04:02.101Z"));
  EXPECT_EQ(datetime("2024-10-15T11:38:02-1134"),
            datetime("2024-10-15T23:12:02Z"));
  EXPECT_EQ(datetime("2024-02-29"), datetime("2024-03-01") - 86'400'000);
  EXPECT_EQ(datetime("0000-01-01"), -62167219200000);
  EXPECT_EQ(datetime("9999-12-31T23:59:59.999Z"), 253402300799999);
}

TEST(DatetimeTest, Rejects) {
  for (const char *bad :
       {"", "a", "-1", "11-12-13", "1111-1x-20", "10000-01-01"})
    EXPECT_EQ(datetimeError(bad), "invalid date pattern") << bad;
  EXPECT_EQ(datetimeError("2024-02-30"), "invalid date: 2024-02-30");
  EXPECT_EQ(datetimeError("2025-02-29"), "invalid date: 2025-02-29");
  EXPECT_EQ(datetimeError("2024-00-01"), "invalid date: 2024-00-01");
  EXPECT_EQ(datetimeError("2024-04-31"), "invalid date: 2024-04-31");
  for (const char *bad : {"2024-10-15Z", "2024-01-01T", "2024-01-01Ta",
                          "2024-01-01T01:", "2024-01-01T01:02",
                          "2024-01-01T01:02:0b", "2024-01-01T01::02:03"})
    EXPECT_EQ(datetimeError(bad), "invalid hour/minute/second pattern") << bad;
  EXPECT_EQ(datetimeError("2024-01-01T31:02:03Z"),
            "invalid hour/minute/second: 31:02:03");
  EXPECT_EQ(datetimeError("2016-12-31T23:59:60Z"),
            "invalid hour/minute/second: 23:59:60");
  for (const char *bad : {"2024-01-01T00:00:00", "2024-01-01T00:00:00T",
                          "2024-01-01T00:00:00ZZ", "2024-01-01T00:00:00.1Z",
                          "2024-01-01T00:00:00+01", "2024-01-01T00:00:00.123"})
    EXPECT_EQ(datetimeError(bad), "invalid millisecond and/or offset pattern")
        << bad;
  EXPECT_EQ(datetimeError("2024-01-01T00:00:00+2400"),
            "invalid offset range: 240");
  EXPECT_EQ(datetimeError("2024-01-01T00:00:00-0160"),
            "invalid offset range: 160");
}

TEST(DatetimeTest, Formats) {
  EXPECT_EQ(ext::formatDatetime(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(ext::formatDatetime(1728992282101), "2024-10-15T11:38:02.101Z");
  EXPECT_EQ(ext::formatDatetime(-1), "1969-12-31T23:59:59.999Z");
}

int64_t duration(std::string_view text) {
  int64_t v = 0;
  std::string error;
  EXPECT_TRUE(ext::parseDuration(text, v, error)) << text << ": " << error;
  return v;
}
std::string durationError(std::string_view text) {
  int64_t v;
  std::string error;
  EXPECT_FALSE(ext::parseDuration(text, v, error)) << text;
  return error;
}

TEST(DurationTest, Parses) {
  EXPECT_EQ(duration("1ms"), 1);
  EXPECT_EQ(duration("1s"), 1000);
  EXPECT_EQ(duration("1m"), 60'000);
  EXPECT_EQ(duration("1h"), 3'600'000);
  EXPECT_EQ(duration("1d"), 86'400'000);
  EXPECT_EQ(duration("1d2h3m4s5ms"), 93'784'005);
  EXPECT_EQ(duration("-1d2h"), -93'600'000);
  EXPECT_EQ(duration("0ms"), 0);
  EXPECT_EQ(duration("2m5ms"), 120'005);
  EXPECT_EQ(duration("9223372036854775807ms"),
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(duration("-9223372036854775808ms"),
            std::numeric_limits<int64_t>::min());
}

TEST(DurationTest, Rejects) {
  for (const char *bad : {"", "-", "1", "d", "1x", "1h1d", "1s1s", "1d-2h",
                          "1.5h", " 1h", "1ms2s", "+1h", "1D"})
    EXPECT_EQ(durationError(bad), "invalid duration pattern") << bad;
  EXPECT_EQ(durationError("9223372036854775808ms"),
            "Duration overflows internal representation");
  EXPECT_EQ(durationError("106751991167301d"),
            "Duration overflows internal representation");
  EXPECT_EQ(durationError("99999999999999999999999ms"),
            "Duration overflows internal representation");
  EXPECT_EQ(durationError("9223372036854775807ms1ms"),
            "invalid duration pattern");
  EXPECT_EQ(durationError("9223372036854775s808ms"),
            "Duration overflows internal representation");
}

class CallExtTest : public ::testing::Test {
protected:
  Value call(ExtFn fn, std::vector<Value> args) {
    Value dst;
    EvalContext &ctx = env.context();
    EXPECT_TRUE(ops::callExtension(ctx, dst, fn, args.data())) << ctx.error;
    return dst;
  }
  std::string fails(ExtFn fn, std::vector<Value> args) {
    Value dst;
    EvalContext &ctx = env.context();
    EXPECT_FALSE(ops::callExtension(ctx, dst, fn, args.data()));
    return ctx.error;
  }
  bool truth(ExtFn fn, std::vector<Value> args) {
    Value v = call(fn, std::move(args));
    EXPECT_TRUE(v.is(ValueKind::Bool));
    return v.asBool();
  }
  Value dec(std::string_view s) { return call(ExtFn::Decimal, {env.str(s)}); }
  Value ipv(std::string_view s) { return call(ExtFn::Ip, {env.str(s)}); }
  Value dt(std::string_view s) { return call(ExtFn::Datetime, {env.str(s)}); }
  Value dur(std::string_view s) { return call(ExtFn::Duration, {env.str(s)}); }

  Environment env;
};

TEST_F(CallExtTest, Constructors) {
  EXPECT_EQ(env.show(dec("1.5")), "decimal(\"1.5\")");
  EXPECT_EQ(env.show(ipv("10.0.0.0/8")), "ip(\"10.0.0.0/8\")");
  EXPECT_EQ(dt("1970-01-01T00:00:01Z").asScalar(), 1000);
  EXPECT_EQ(dur("-1s").asScalar(), -1000);
  EXPECT_EQ(fails(ExtFn::Decimal, {env.str("x")}),
            "error while evaluating `decimal` extension function: `x` is not "
            "a well-formed decimal value");
  EXPECT_EQ(fails(ExtFn::Ip, {env.str("1.2.3.4/40")}),
            "error while evaluating `ipaddr` extension function: invalid IPv4 "
            "subnet: 40");
  EXPECT_EQ(fails(ExtFn::Datetime, {env.str("2024-13-01")}),
            "error while evaluating `datetime` extension function: invalid "
            "date: 2024-13-01");
  EXPECT_EQ(fails(ExtFn::Duration, {env.str("1y")}),
            "error while evaluating `duration` extension function: invalid "
            "duration pattern");
  EXPECT_EQ(fails(ExtFn::Decimal, {env.lng(1)}),
            "type error: expected string, got long");
}

TEST_F(CallExtTest, DecimalComparisons) {
  EXPECT_TRUE(truth(ExtFn::LessThan, {dec("1.5"), dec("1.51")}));
  EXPECT_FALSE(truth(ExtFn::LessThan, {dec("1.5"), dec("1.50")}));
  EXPECT_TRUE(truth(ExtFn::LessThanOrEqual, {dec("1.5"), dec("1.50")}));
  EXPECT_TRUE(truth(ExtFn::GreaterThan, {dec("-0.1"), dec("-0.2")}));
  EXPECT_TRUE(truth(ExtFn::GreaterThanOrEqual, {dec("2.0"), dec("2.0")}));
  EXPECT_TRUE(valuesEqual(dec("1.50"), dec("1.5")));
  EXPECT_EQ(fails(ExtFn::LessThan, {dec("1.0"), env.str("2.0")}),
            "type error: expected decimal, got string");
  EXPECT_EQ(fails(ExtFn::GreaterThan, {env.lng(1), dec("2.0")}),
            "type error: expected decimal, got long");
}

TEST_F(CallExtTest, IpMethods) {
  EXPECT_TRUE(truth(ExtFn::IsIpv4, {ipv("1.2.3.4")}));
  EXPECT_FALSE(truth(ExtFn::IsIpv6, {ipv("1.2.3.4")}));
  EXPECT_TRUE(truth(ExtFn::IsIpv6, {ipv("::1")}));
  EXPECT_TRUE(truth(ExtFn::IsLoopback, {ipv("127.0.0.1")}));
  EXPECT_TRUE(truth(ExtFn::IsMulticast, {ipv("ff00::1")}));
  EXPECT_TRUE(truth(ExtFn::IsInRange, {ipv("10.0.0.1"), ipv("10.0.0.0/24")}));
  EXPECT_FALSE(truth(ExtFn::IsInRange, {ipv("10.0.1.1"), ipv("10.0.0.0/24")}));
  EXPECT_EQ(fails(ExtFn::IsLoopback, {env.str("127.0.0.1")}),
            "type error: expected ipaddr, got string");
  EXPECT_EQ(fails(ExtFn::IsInRange, {ipv("1.1.1.1"), env.lng(1)}),
            "type error: expected ipaddr, got long");
  // ipaddr equality compares address and prefix as written.
  EXPECT_FALSE(valuesEqual(ipv("10.0.0.1/24"), ipv("10.0.0.0/24")));
  EXPECT_TRUE(valuesEqual(ipv("::0001"), ipv("::1")));
}

TEST_F(CallExtTest, DatetimeMethods) {
  Value day = dt("2024-10-15T11:38:02.101Z");
  EXPECT_EQ(call(ExtFn::Offset, {day, dur("1d")}).asScalar(),
            dt("2024-10-16T11:38:02.101Z").asScalar());
  EXPECT_EQ(call(ExtFn::DurationSince, {day, dt("2024-10-15")}).asScalar(),
            dur("11h38m2s101ms").asScalar());
  EXPECT_EQ(call(ExtFn::ToDate, {day}).asScalar(), dt("2024-10-15").asScalar());
  EXPECT_EQ(call(ExtFn::ToTime, {day}).asScalar(),
            dur("11h38m2s101ms").asScalar());
  Value before = dt("1969-12-31T23:00:00Z");
  EXPECT_EQ(call(ExtFn::ToDate, {before}).asScalar(),
            dt("1969-12-31").asScalar());
  EXPECT_EQ(call(ExtFn::ToTime, {before}).asScalar(), dur("23h").asScalar());
  EXPECT_TRUE(call(ExtFn::ToDate, {day}).is(ValueKind::Datetime));
  EXPECT_TRUE(call(ExtFn::ToTime, {day}).is(ValueKind::Duration));

  Value max = Value::datetime(std::numeric_limits<int64_t>::max());
  EXPECT_NE(fails(ExtFn::Offset, {max, dur("1ms")})
                .find("error while evaluating `offset` extension function: "
                      "overflows when adding an offset"),
            std::string::npos);
  Value min = Value::datetime(std::numeric_limits<int64_t>::min());
  EXPECT_NE(fails(ExtFn::DurationSince, {max, min})
                .find("error while evaluating `durationSince` extension "
                      "function: overflows when computing the duration"),
            std::string::npos);
  EXPECT_NE(fails(ExtFn::ToDate, {min})
                .find("error while evaluating `toDate` extension function"),
            std::string::npos);
  EXPECT_EQ(fails(ExtFn::Offset, {day, day}),
            "type error: expected duration, got datetime");
  EXPECT_EQ(fails(ExtFn::ToTime, {dur("1h")}),
            "type error: expected datetime, got duration");
}

TEST_F(CallExtTest, DurationMethods) {
  Value d = dur("1d2h3m4s5ms");
  EXPECT_EQ(call(ExtFn::ToDays, {d}).asLong(), 1);
  EXPECT_EQ(call(ExtFn::ToHours, {d}).asLong(), 26);
  EXPECT_EQ(call(ExtFn::ToMinutes, {d}).asLong(), 1563);
  EXPECT_EQ(call(ExtFn::ToSeconds, {d}).asLong(), 93784);
  EXPECT_EQ(call(ExtFn::ToMilliseconds, {d}).asLong(), 93784005);
  // Truncation toward zero for negative durations.
  EXPECT_EQ(call(ExtFn::ToDays, {dur("-1d23h")}).asLong(), -1);
  EXPECT_EQ(call(ExtFn::ToSeconds, {dur("-1500ms")}).asLong(), -1);
  EXPECT_EQ(fails(ExtFn::ToDays, {env.lng(1)}),
            "type error: expected duration, got long");
}

} // namespace
} // namespace rune::test
