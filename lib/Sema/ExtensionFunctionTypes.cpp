//===- ExtensionFunctionTypes.cpp - Signatures of Cedar extensions --------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "ExtensionFunctionTypes.h"

using namespace rune;
using namespace rune::cedar::validation;

const ExtensionFunctionType *
rune::cedar::validation::lookupExtensionFunction(llvm::StringRef name) {
  static const std::vector<ExtensionFunctionType> functions = [] {
    using schema::ExtensionType;
    Type string = Type::getString(), boolean = Type::getBool(),
         number = Type::getLong();
    Type ip = Type::getExtension(ExtensionType::IpAddr);
    Type decimal = Type::getExtension(ExtensionType::Decimal);
    Type datetime = Type::getExtension(ExtensionType::Datetime);
    Type duration = Type::getExtension(ExtensionType::Duration);
    return std::vector<ExtensionFunctionType>{
        {"decimal", {string}, decimal, true},
        {"ip", {string}, ip, true},
        {"datetime", {string}, datetime, true},
        {"duration", {string}, duration, true},
        {"lessThan", {decimal, decimal}, boolean},
        {"lessThanOrEqual", {decimal, decimal}, boolean},
        {"greaterThan", {decimal, decimal}, boolean},
        {"greaterThanOrEqual", {decimal, decimal}, boolean},
        {"isIpv4", {ip}, boolean},
        {"isIpv6", {ip}, boolean},
        {"isLoopback", {ip}, boolean},
        {"isMulticast", {ip}, boolean},
        {"isInRange", {ip, ip}, boolean},
        {"offset", {datetime, duration}, datetime},
        {"durationSince", {datetime, datetime}, duration},
        {"toDate", {datetime}, datetime},
        {"toTime", {datetime}, duration},
        {"toMilliseconds", {duration}, number},
        {"toSeconds", {duration}, number},
        {"toMinutes", {duration}, number},
        {"toHours", {duration}, number},
        {"toDays", {duration}, number},
    };
  }();
  for (const ExtensionFunctionType &function : functions)
    if (function.name == name)
      return &function;
  return nullptr;
}
