//===- DiagnosticsTest.cpp - Tests of the diagnostic engine ---------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Support/Diagnostics.h"

#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

using namespace rune;

namespace {

class DiagnosticsTest : public ::testing::Test {
protected:
  DiagnosticsTest() {
    bufferId = sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy("first line\nsecond line\n",
                                             "file.cedar"),
        llvm::SMLoc());
    start = sourceMgr.getMemoryBuffer(bufferId)->getBufferStart();
  }

  llvm::SMLoc at(size_t offset) {
    return llvm::SMLoc::getFromPointer(start + offset);
  }

  std::string output;
  llvm::raw_string_ostream os{output};
  llvm::SourceMgr sourceMgr;
  DiagnosticEngine diags{sourceMgr, os};
  unsigned bufferId;
  const char *start;
};

TEST_F(DiagnosticsTest, ClangStyleErrorWithCaretAndRange) {
  diags.error(at(18), "something is wrong", {{at(18), at(22)}});
  EXPECT_EQ(output, "file.cedar:2:8: error: something is wrong\n"
                    "second line\n"
                    "       ^~~~\n");
  EXPECT_EQ(diags.errorCount(), 1u);
  EXPECT_TRUE(diags.hasErrors());
}

TEST_F(DiagnosticsTest, WarningsAndNotes) {
  diags.warning(at(0), "be careful");
  diags.note(at(6), "see here");
  EXPECT_EQ(output, "file.cedar:1:1: warning: be careful\n"
                    "first line\n"
                    "^\n"
                    "file.cedar:1:7: note: see here\n"
                    "first line\n"
                    "      ^\n");
  EXPECT_EQ(diags.errorCount(), 0u);
  EXPECT_EQ(diags.warningCount(), 1u);
  EXPECT_FALSE(diags.hasErrors());
}

TEST_F(DiagnosticsTest, ErrorWithoutLocation) {
  diags.error("cannot open file 'x.cedar'");
  EXPECT_EQ(output, "error: cannot open file 'x.cedar'\n");
  output.clear();
  diags.note(llvm::SMLoc(), "a note without location");
  EXPECT_EQ(output, "note: a note without location\n");
}

TEST_F(DiagnosticsTest, StopsPrintingAfterTheErrorLimit) {
  for (int i = 0; i < 25; ++i) {
    diags.error(at(0), "error " + llvm::Twine(i));
    diags.note(at(0), "note " + llvm::Twine(i));
  }
  EXPECT_EQ(diags.errorCount(), 25u);
  EXPECT_NE(output.find("error: error 19"), std::string::npos);
  EXPECT_NE(output.find("note: note 19"), std::string::npos);
  EXPECT_EQ(output.find("error 20"), std::string::npos);
  EXPECT_EQ(output.find("note 20"), std::string::npos);
  EXPECT_NE(output.find("note: too many errors emitted, stopping now\n"),
            std::string::npos);
  // The note is printed once.
  EXPECT_EQ(output.find("stopping now"), output.rfind("stopping now"));
}

TEST_F(DiagnosticsTest, ErrorLimitCanBeChangedOrDisabled) {
  diags.setErrorLimit(0);
  EXPECT_EQ(diags.getErrorLimit(), 0u);
  for (int i = 0; i < 30; ++i)
    diags.error(at(0), "error " + llvm::Twine(i));
  EXPECT_NE(output.find("error 29"), std::string::npos);
  EXPECT_EQ(output.find("stopping now"), std::string::npos);
}

TEST_F(DiagnosticsTest, LineAndColumn) {
  EXPECT_EQ(diags.getLineAndColumn(at(0)), std::make_pair(1u, 1u));
  EXPECT_EQ(diags.getLineAndColumn(at(13)), std::make_pair(2u, 3u));
  EXPECT_EQ(diags.getLineAndColumn(llvm::SMLoc()), std::make_pair(0u, 0u));
  const char outside = 'x';
  EXPECT_EQ(diags.getLineAndColumn(llvm::SMLoc::getFromPointer(&outside)),
            std::make_pair(0u, 0u));
  EXPECT_EQ(&diags.getSourceMgr(), &sourceMgr);
}

TEST_F(DiagnosticsTest, IgnoresRangesOutsideTheBuffer) {
  const char outside[] = "elsewhere";
  diags.error(at(0), "message",
              {{llvm::SMLoc::getFromPointer(outside),
                llvm::SMLoc::getFromPointer(outside + 4)},
               {}});
  EXPECT_EQ(output, "file.cedar:1:1: error: message\n"
                    "first line\n"
                    "^\n");
}

} // namespace
