//===- IpeIRGenTest.cpp - IPE IRGen: locations and the released AST -------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/IRGen/IpeIRGen.h"
#include "rune/Dialect/Rune/RuneIntentOps.h"
#include "rune/Frontend/Ipe/Parser.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/OperationSupport.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <string>

using namespace rune;

namespace {

// CRLF line ends, and a `where` filter: IRGen makes the filter's operations
// when it reaches the aggregate, then goes back to the rest of the
// requirement, which comes earlier in the text.
constexpr const char *kSource =
    "policy NeedsSeniors:\r\n"
    "  \"Production needs two senior approvals\"\r\n"
    "  triggers when\r\n"
    "    resource.env == \"prod\"\r\n"
    "  requires approvals.count >= 2 and principal.team == \"ops\"\r\n"
    "    where approver.level == \"senior\"\r\n"
    "\n"
    "policy DenyUnsigned:\n"
    "  \"Unsigned images never run\"\n"
    "  triggers when resource.signed == false\n"
    "  denies with reason \"unsigned\"\n";

struct Compiled {
  llvm::SourceMgr sourceMgr;
  unsigned buffer = 0;
  std::string diagnosticText;
  llvm::raw_string_ostream diagnosticStream{diagnosticText};
  DiagnosticEngine diagnostics{sourceMgr, diagnosticStream};
  mlir::MLIRContext context;

  std::optional<ipe::PolicyFile> parse() {
    buffer = sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(kSource, "test.ipe"),
        llvm::SMLoc());
    return ipe::parsePolicyFile(buffer, diagnostics);
  }

  /// Line and column of the first occurrence of `text` in the source, as
  /// SourceMgr counts them.
  std::pair<unsigned, unsigned> positionOf(llvm::StringRef text) {
    llvm::StringRef source = sourceMgr.getMemoryBuffer(buffer)->getBuffer();
    size_t offset = source.find(text);
    EXPECT_NE(offset, llvm::StringRef::npos) << text.str();
    return sourceMgr.getLineAndColumn(
        llvm::SMLoc::getFromPointer(source.data() + offset), buffer);
  }
};

std::pair<unsigned, unsigned> lineAndColumn(mlir::Operation *op) {
  auto location = mlir::dyn_cast<mlir::FileLineColLoc>(op->getLoc());
  EXPECT_TRUE(location) << "not a file location";
  if (!location)
    return {0, 0};
  EXPECT_EQ(location.getFilename().getValue(), "test.ipe");
  return {location.getLine(), location.getColumn()};
}

std::string printWithLocations(mlir::ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os, mlir::OpPrintingFlags().enableDebugInfo(true));
  return text;
}

TEST(IpeIRGenTest, LocationsAreSourcePositions) {
  Compiled c;
  std::optional<ipe::PolicyFile> file = c.parse();
  ASSERT_TRUE(file) << c.diagnosticText;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      ipe::generateIR(c.context, *file, c.diagnostics);
  ASSERT_TRUE(module) << c.diagnosticText;

  unsigned checked = 0;
  module->walk([&](mlir::Operation *op) {
    if (auto policy = mlir::dyn_cast<IntentPolicyOp>(op)) {
      EXPECT_EQ(lineAndColumn(op), c.positionOf(policy.getSymName()));
      ++checked;
    } else if (auto read = mlir::dyn_cast<IntentReadOp>(op)) {
      llvm::StringRef path = read.getPath();
      // `principal.team` is read as request.principal.team.
      if (path == "request.principal.team")
        path = "principal.team";
      // An aggregate's collection is read where the aggregate starts.
      if (path == "approvals")
        path = "approvals.count";
      EXPECT_EQ(lineAndColumn(op), c.positionOf(path)) << path.str();
      ++checked;
    } else if (auto get = mlir::dyn_cast<IntentGetOp>(op)) {
      EXPECT_EQ(lineAndColumn(op), c.positionOf(get.getDisplay()));
      ++checked;
    } else if (auto literal = mlir::dyn_cast<IntentLiteralOp>(op)) {
      // After the filter, back to `2` and `"ops"`, earlier in the text.
      // Strings print quoted, as written; BoolAttr is an IntegerAttr.
      std::string text;
      mlir::Attribute value = literal.getValue();
      if (auto boolean = mlir::dyn_cast<mlir::BoolAttr>(value)) {
        text = boolean.getValue() ? "true" : "false";
      } else if (auto integer = mlir::dyn_cast<mlir::IntegerAttr>(value)) {
        text = std::to_string(integer.getInt());
      } else {
        llvm::raw_string_ostream os(text);
        value.print(os);
      }
      EXPECT_EQ(lineAndColumn(op), c.positionOf(text)) << text;
      ++checked;
    }
  });
  // 2 policies, 4 reads, 1 get, 5 literals.
  EXPECT_EQ(checked, 12u);
}

TEST(IpeIRGenTest, ReleasingTheASTGivesTheSameModule) {
  Compiled kept, released;
  std::optional<ipe::PolicyFile> keptFile = kept.parse();
  std::optional<ipe::PolicyFile> releasedFile = released.parse();
  ASSERT_TRUE(keptFile && releasedFile);
  mlir::OwningOpRef<mlir::ModuleOp> fromKept =
      ipe::generateIR(kept.context, *keptFile, kept.diagnostics);
  mlir::OwningOpRef<mlir::ModuleOp> fromReleased = ipe::generateIR(
      released.context, std::move(*releasedFile), released.diagnostics);
  ASSERT_TRUE(fromKept && fromReleased);
  EXPECT_EQ(printWithLocations(*fromKept), printWithLocations(*fromReleased));

  // The policies were emptied one by one as they were generated.
  ASSERT_EQ(releasedFile->policies.size(), 2u);
  for (const ipe::Policy &policy : releasedFile->policies) {
    EXPECT_TRUE(policy.name.empty());
    EXPECT_FALSE(policy.trigger);
  }
}

} // namespace
