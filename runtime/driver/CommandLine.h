//===- CommandLine.h - A command's options and its input --------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Every rune-run subcommand takes options plus one positional input (the
// policy file, program or .rune file); this is that parse, once. Header
// only, so the tools and the command lines of rune_cli share it.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_CLI_COMMANDLINE_H
#define RUNE_CLI_COMMANDLINE_H

#include <boost/program_options.hpp>

namespace rune::cli {

/// Stores into `vm` the arguments of `argv` described by `options`, the
/// first bare argument becoming the option `positionalName` (which
/// `options` must declare). Throws boost::program_options::error; calling
/// notify() is left to the caller, which may want to handle --help first.
inline void
storeCommandLine(int argc, const char *const *argv,
                 const boost::program_options::options_description &options,
                 const char *positionalName,
                 boost::program_options::variables_map &vm) {
  namespace po = boost::program_options;
  po::positional_options_description positional;
  positional.add(positionalName, 1);
  po::store(po::command_line_parser(argc, argv)
                .options(options)
                .positional(positional)
                .run(),
            vm);
}

} // namespace rune::cli

#endif // RUNE_CLI_COMMANDLINE_H
