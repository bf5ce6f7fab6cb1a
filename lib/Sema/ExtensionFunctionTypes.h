//===- ExtensionFunctionTypes.h - Signatures of Cedar extensions -*- C++
//-*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The types of Cedar's extension functions (decimal, ipaddr, datetime) as
// the validator sees them. Methods such as `a.lessThan(b)` are functions
// whose first argument is the receiver.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_SEMA_EXTENSIONFUNCTIONTYPES_H
#define RUNE_LIB_SEMA_EXTENSIONFUNCTIONTYPES_H

#include "ValidatorTypes.h"

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace rune::cedar::validation {

struct ExtensionFunctionType {
  std::string name;
  std::vector<Type> arguments;
  Type result;
  /// The constructors `decimal`, `ip`, `datetime` and `duration`, which
  /// take a string that must parse as a value of their type.
  bool isConstructor = false;
};

/// The extension function or method `name`, or null.
const ExtensionFunctionType *lookupExtensionFunction(llvm::StringRef name);

} // namespace rune::cedar::validation

#endif // RUNE_LIB_SEMA_EXTENSIONFUNCTIONTYPES_H
