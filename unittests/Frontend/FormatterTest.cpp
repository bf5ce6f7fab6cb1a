//===- FormatterTest.cpp - Tests of runec --format ------------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Frontend/Cedar/Formatter.h"

#include "llvm/Support/MemoryBuffer.h"

#include <gtest/gtest.h>

using namespace rune;

namespace {

/// Formats `source`; "<error>" if it does not parse.
std::string format(llvm::StringRef source) {
  llvm::SourceMgr sourceMgr;
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  DiagnosticEngine diags(sourceMgr, os);
  unsigned bufferId = sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(source, "test.cedar"),
      llvm::SMLoc());
  std::optional<std::string> formatted =
      cedar::formatPolicySource(bufferId, diags);
  return formatted ? *formatted : "<error>";
}

/// Formats `source` and checks that formatting is idempotent.
std::string formatTwice(llvm::StringRef source) {
  std::string once = format(source);
  EXPECT_EQ(format(once), once) << "not idempotent for:\n" << source.str();
  return once;
}

TEST(FormatterTest, UnconstrainedScopeStaysOnOneLine) {
  EXPECT_EQ(formatTwice("permit(principal,action,resource);"),
            "permit (principal, action, resource);\n");
  EXPECT_EQ(formatTwice("forbid(principal is User,action,resource);"),
            "forbid (principal is User, action, resource);\n");
}

TEST(FormatterTest, ConstrainedScopeBreaksPerElement) {
  EXPECT_EQ(formatTwice("permit(principal==User::\"a\",action,resource)"
                        "when{true};"),
            "permit (\n  principal == User::\"a\",\n  action,\n  resource\n)\n"
            "when { true };\n");
}

TEST(FormatterTest, LongConditionBreaksAfterOperators) {
  std::string source = "permit(principal,action,resource) when { "
                       "principal.aaaaaaaaaaaaaaaaaaaa == 1 && "
                       "resource.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb == 2 && "
                       "context.cccccccccccccccc == 3 };";
  EXPECT_EQ(formatTwice(source),
            "permit (principal, action, resource)\nwhen\n{\n"
            "  principal.aaaaaaaaaaaaaaaaaaaa == 1 &&\n"
            "  resource.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb == 2 &&\n"
            "  context.cccccccccccccccc == 3\n};\n");
}

TEST(FormatterTest, CommentsAreKept) {
  EXPECT_EQ(formatTwice("// one\npermit(principal,action,resource); // two\n"
                        "// three\nforbid(principal,action,resource)\n"
                        "when { // four\n true };\n// five\n"),
            "// one\npermit (principal, action, resource); // two\n\n"
            "// three\nforbid (principal, action, resource)\n"
            "when\n{\n  // four\n  true\n};\n// five\n");
}

TEST(FormatterTest, CommentMarkersInStringsAreNotComments) {
  EXPECT_EQ(formatTwice("permit(principal,action,resource) when "
                        "{ context.url == \"http://x\" };"),
            "permit (principal, action, resource)\n"
            "when { context.url == \"http://x\" };\n");
}

TEST(FormatterTest, EmptyAndCommentOnlyFiles) {
  EXPECT_EQ(formatTwice(""), "");
  EXPECT_EQ(formatTwice("// only a comment   \n"), "// only a comment\n");
}

TEST(FormatterTest, SyntaxErrorsFail) {
  EXPECT_EQ(format("permit(principal,action,resource"), "<error>");
}

} // namespace
