//===- IpeBenchCommand.h - rune-run bench for IPE policies ------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_TOOLS_RUNE_RUN_IPEBENCHCOMMAND_H
#define RUNE_TOOLS_RUNE_RUN_IPEBENCHCOMMAND_H

namespace rune::cli {

/// `rune-run bench` on an IPE module and a request stream (JSON lines);
/// argv[0] is "bench".
int runIpeBench(int argc, char **argv);

} // namespace rune::cli

#endif // RUNE_TOOLS_RUNE_RUN_IPEBENCHCOMMAND_H
