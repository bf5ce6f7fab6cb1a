//===- TestCommand.h - rune-run test: Cedar integration tests ---*- C++ -*-===//

#ifndef RUNE_TOOLS_RUNE_RUN_TESTCOMMAND_H
#define RUNE_TOOLS_RUNE_RUN_TESTCOMMAND_H

namespace rune::cli {

/// `rune-run test [--root DIR] [--backend bytecode|native|both] FILE|DIR...`
/// Runs tests in the Cedar integration-test format and ends with the line
/// `N passed, M failed` (requests). Exit code 0 when everything passed.
int runTest(int argc, const char *const *argv);

} // namespace rune::cli

#endif // RUNE_TOOLS_RUNE_RUN_TESTCOMMAND_H
