//===- Extensions.cpp - call_ext: Cedar's extension functions -------------===//
//
// The 22 functions of BytecodeFormat.h's ExtFn: constructors for decimal,
// ipaddr, datetime and duration, and their methods. Argument type errors read
// like the rest ("type error: expected decimal, got string"); failures inside
// a function read like Cedar's: "error while evaluating `decimal` extension
// function: ...".
//
//===----------------------------------------------------------------------===//

#include "rune/Runtime/ExtensionParsers.h"
#include "rune/Runtime/Operations.h"

namespace rune::ops {

namespace {

bool extensionError(EvalContext &ctx, std::string_view extension,
                    std::string_view message) {
  return fail(ctx, "error while evaluating `" + std::string(extension) +
                       "` extension function: " + std::string(message));
}

bool expectKind(EvalContext &ctx, const Value &value, ValueKind kind) {
  if (!value.is(kind))
    return typeError(ctx, kindName(kind), value);
  return true;
}

bool constructor(EvalContext &ctx, Value &dst, bc::ExtFn fn, const Value &arg) {
  if (!expectKind(ctx, arg, ValueKind::String))
    return false;
  std::string_view text = arg.asString();
  std::string message;
  switch (fn) {
  case bc::ExtFn::Decimal: {
    int64_t scaled;
    if (!ext::parseDecimal(text, scaled, message))
      return extensionError(ctx, "decimal", message);
    dst = Value::decimal(scaled);
    return true;
  }
  case bc::ExtFn::Ip: {
    IpAddrData ip;
    if (!ext::parseIpAddr(text, ip, message))
      return extensionError(ctx, "ipaddr", message);
    auto *stored = static_cast<IpAddrData *>(
        ctx.arena->allocate(sizeof(IpAddrData), alignof(IpAddrData)));
    *stored = ip;
    dst = Value::ipAddr(stored);
    return true;
  }
  case bc::ExtFn::Datetime: {
    int64_t millis;
    if (!ext::parseDatetime(text, millis, message))
      return extensionError(ctx, "datetime", message);
    dst = Value::datetime(millis);
    return true;
  }
  case bc::ExtFn::Duration: {
    int64_t millis;
    if (!ext::parseDuration(text, millis, message))
      return extensionError(ctx, "duration", message);
    dst = Value::duration(millis);
    return true;
  }
  default:
    return fail(ctx, "internal error: not an extension constructor");
  }
}

bool decimalComparison(EvalContext &ctx, Value &dst, bc::ExtFn fn,
                       const Value &a, const Value &b) {
  if (!expectKind(ctx, a, ValueKind::Decimal) ||
      !expectKind(ctx, b, ValueKind::Decimal))
    return false;
  int64_t x = a.asScalar(), y = b.asScalar();
  bool result = false;
  switch (fn) {
  case bc::ExtFn::LessThan:
    result = x < y;
    break;
  case bc::ExtFn::LessThanOrEqual:
    result = x <= y;
    break;
  case bc::ExtFn::GreaterThan:
    result = x > y;
    break;
  case bc::ExtFn::GreaterThanOrEqual:
    result = x >= y;
    break;
  default:
    break;
  }
  dst = Value::boolean(result);
  return true;
}

bool ipPredicate(EvalContext &ctx, Value &dst, bc::ExtFn fn,
                 const Value *args) {
  if (!expectKind(ctx, args[0], ValueKind::IpAddr))
    return false;
  const IpAddrData &ip = args[0].asIpAddr();
  bool result = false;
  switch (fn) {
  case bc::ExtFn::IsIpv4:
    result = !ip.isV6;
    break;
  case bc::ExtFn::IsIpv6:
    result = ip.isV6;
    break;
  case bc::ExtFn::IsLoopback:
    result = ext::ipIsLoopback(ip);
    break;
  case bc::ExtFn::IsMulticast:
    result = ext::ipIsMulticast(ip);
    break;
  case bc::ExtFn::IsInRange:
    if (!expectKind(ctx, args[1], ValueKind::IpAddr))
      return false;
    result = ext::ipIsInRange(ip, args[1].asIpAddr());
    break;
  default:
    break;
  }
  dst = Value::boolean(result);
  return true;
}

bool datetimeMethod(EvalContext &ctx, Value &dst, bc::ExtFn fn,
                    const Value *args) {
  if (!expectKind(ctx, args[0], ValueKind::Datetime))
    return false;
  int64_t millis = args[0].asScalar();
  switch (fn) {
  case bc::ExtFn::Offset: {
    if (!expectKind(ctx, args[1], ValueKind::Duration))
      return false;
    int64_t result;
    if (__builtin_add_overflow(millis, args[1].asScalar(), &result))
      return extensionError(ctx, "offset",
                            "overflows when adding an offset: " +
                                formatValue(args[0], *ctx.symbols) + "+(" +
                                ext::formatDuration(args[1].asScalar()) + ")");
    dst = Value::datetime(result);
    return true;
  }
  case bc::ExtFn::DurationSince: {
    if (!expectKind(ctx, args[1], ValueKind::Datetime))
      return false;
    int64_t result;
    if (__builtin_sub_overflow(millis, args[1].asScalar(), &result))
      return extensionError(ctx, "durationSince",
                            "overflows when computing the duration between " +
                                formatValue(args[0], *ctx.symbols) + " and " +
                                formatValue(args[1], *ctx.symbols));
    dst = Value::duration(result);
    return true;
  }
  case bc::ExtFn::ToDate: {
    // Round down to midnight UTC (Euclidean remainder, so instants before
    // the epoch go to the start of their own day).
    int64_t remainder = millis % ext::kMillisPerDay;
    if (remainder < 0)
      remainder += ext::kMillisPerDay;
    int64_t result;
    if (__builtin_sub_overflow(millis, remainder, &result))
      return extensionError(ctx, "toDate",
                            "overflows when computing the date of " +
                                formatValue(args[0], *ctx.symbols));
    dst = Value::datetime(result);
    return true;
  }
  case bc::ExtFn::ToTime: {
    int64_t remainder = millis % ext::kMillisPerDay;
    if (remainder < 0)
      remainder += ext::kMillisPerDay;
    dst = Value::duration(remainder);
    return true;
  }
  default:
    return fail(ctx, "internal error: not a datetime method");
  }
}

bool durationMethod(EvalContext &ctx, Value &dst, bc::ExtFn fn,
                    const Value &arg) {
  if (!expectKind(ctx, arg, ValueKind::Duration))
    return false;
  int64_t millis = arg.asScalar();
  // Truncating division, as Cedar's (Rust's) integer division.
  int64_t result = millis;
  switch (fn) {
  case bc::ExtFn::ToDays:
    result = millis / ext::kMillisPerDay;
    break;
  case bc::ExtFn::ToHours:
    result = millis / 3'600'000;
    break;
  case bc::ExtFn::ToMinutes:
    result = millis / 60'000;
    break;
  case bc::ExtFn::ToSeconds:
    result = millis / 1000;
    break;
  case bc::ExtFn::ToMilliseconds:
    break;
  default:
    return fail(ctx, "internal error: not a duration method");
  }
  dst = Value::integer(result);
  return true;
}

} // namespace

bool callExtension(EvalContext &ctx, Value &dst, bc::ExtFn fn,
                   const Value *args) {
  switch (fn) {
  case bc::ExtFn::Decimal:
  case bc::ExtFn::Ip:
  case bc::ExtFn::Datetime:
  case bc::ExtFn::Duration:
    return constructor(ctx, dst, fn, args[0]);
  case bc::ExtFn::LessThan:
  case bc::ExtFn::LessThanOrEqual:
  case bc::ExtFn::GreaterThan:
  case bc::ExtFn::GreaterThanOrEqual:
    return decimalComparison(ctx, dst, fn, args[0], args[1]);
  case bc::ExtFn::IsIpv4:
  case bc::ExtFn::IsIpv6:
  case bc::ExtFn::IsLoopback:
  case bc::ExtFn::IsMulticast:
  case bc::ExtFn::IsInRange:
    return ipPredicate(ctx, dst, fn, args);
  case bc::ExtFn::Offset:
  case bc::ExtFn::DurationSince:
  case bc::ExtFn::ToDate:
  case bc::ExtFn::ToTime:
    return datetimeMethod(ctx, dst, fn, args);
  case bc::ExtFn::ToDays:
  case bc::ExtFn::ToHours:
  case bc::ExtFn::ToMinutes:
  case bc::ExtFn::ToSeconds:
  case bc::ExtFn::ToMilliseconds:
    return durationMethod(ctx, dst, fn, args[0]);
  }
  return fail(ctx, "invalid extension function");
}

} // namespace rune::ops
