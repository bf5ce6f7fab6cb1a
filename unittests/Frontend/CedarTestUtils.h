//===- CedarTestUtils.h - Helpers for the Cedar frontend tests --*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_UNITTESTS_FRONTEND_CEDARTESTUTILS_H
#define RUNE_UNITTESTS_FRONTEND_CEDARTESTUTILS_H

#include "rune/Frontend/Cedar/AST.h"
#include "rune/Frontend/Cedar/Parser.h"
#include "rune/Sema/CedarSema.h"
#include "rune/Support/Diagnostics.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <optional>
#include <string>

namespace rune::cedar::test {

/// Parses sources named "input.cedar" and captures the diagnostics text.
class CedarTest : public ::testing::Test {
protected:
  /// Parses `source`; the result is kept in `policySet`.
  bool parse(llvm::StringRef source) {
    unsigned bufferId = sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(source, "input.cedar"),
        llvm::SMLoc());
    policySet = parsePolicySet(bufferId, diags);
    return policySet.has_value();
  }

  /// Parses `source` and runs Sema on it.
  bool parseAndCheck(llvm::StringRef source) {
    return parse(source) && checkPolicySet(*policySet, diags);
  }

  /// Parses `expr` as the `when` condition of a policy and returns it, or
  /// null if it does not parse.
  const Expr *parseExpr(llvm::StringRef expr) {
    std::string source =
        ("permit(principal, action, resource) when { " + expr + " };").str();
    if (!parse(source))
      return nullptr;
    return policySet->policies.at(0).conditions.at(0).body.get();
  }

  /// Parses `expr` as a condition and returns it printed back.
  std::string roundTripExpr(llvm::StringRef expr) {
    const Expr *parsed = parseExpr(expr);
    return parsed ? toSource(*parsed) : "<error: " + diagnostics() + ">";
  }

  const Policy &policy(size_t index = 0) const {
    return policySet->policies.at(index);
  }

  std::string diagnostics() { return output; }

  /// True if the diagnostics contain `text`.
  bool hasDiagnostic(llvm::StringRef text) {
    return llvm::StringRef(output).contains(text);
  }

  std::string output;
  llvm::raw_string_ostream os{output};
  llvm::SourceMgr sourceMgr;
  DiagnosticEngine diags{sourceMgr, os};
  std::optional<PolicySet> policySet;
};

/// Structural equality of policies, ignoring locations.
inline bool samePolicy(const Policy &lhs, const Policy &rhs) {
  auto sameScope = [](const ScopeConstraint &l, const ScopeConstraint &r) {
    if (l.var != r.var || l.kind != r.kind || l.entityType != r.entityType)
      return false;
    if (!l.operand || !r.operand)
      return !l.operand && !r.operand;
    return structurallyEqual(*l.operand, *r.operand);
  };
  if (lhs.effect != rhs.effect || lhs.id != rhs.id ||
      lhs.annotations.size() != rhs.annotations.size() ||
      lhs.conditions.size() != rhs.conditions.size() ||
      !sameScope(lhs.principal, rhs.principal) ||
      !sameScope(lhs.action, rhs.action) ||
      !sameScope(lhs.resource, rhs.resource))
    return false;
  for (size_t i = 0; i != lhs.annotations.size(); ++i)
    if (lhs.annotations[i].key != rhs.annotations[i].key ||
        lhs.annotations[i].value != rhs.annotations[i].value)
      return false;
  for (size_t i = 0; i != lhs.conditions.size(); ++i)
    if (lhs.conditions[i].kind != rhs.conditions[i].kind ||
        !structurallyEqual(*lhs.conditions[i].body, *rhs.conditions[i].body))
      return false;
  return true;
}

} // namespace rune::cedar::test

#endif // RUNE_UNITTESTS_FRONTEND_CEDARTESTUTILS_H
