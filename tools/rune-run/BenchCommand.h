//===- BenchCommand.h - rune-run bench: decision latency --------*- C++ -*-===//

#ifndef RUNE_TOOLS_RUNE_RUN_BENCHCOMMAND_H
#define RUNE_TOOLS_RUNE_RUN_BENCHCOMMAND_H

namespace rune::cli {

/// `rune-run bench [--root DIR] [--backend B] [--iterations N]
///                 [--format text|json] <test.json | directory>...`
/// Loads the policies, entities and requests of Cedar integration tests
/// once, then measures per-decision latency (median, p99) and decisions per
/// second on one core, for each backend.
int runBench(int argc, const char *const *argv);

} // namespace rune::cli

#endif // RUNE_TOOLS_RUNE_RUN_BENCHCOMMAND_H
