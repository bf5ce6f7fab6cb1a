//===- QueryCommand.h - rune-run query: evaluate a Datalog program --------===//

#ifndef RUNE_TOOLS_RUNE_RUN_QUERYCOMMAND_H
#define RUNE_TOOLS_RUNE_RUN_QUERYCOMMAND_H

namespace rune::cli {

/// `rune-run query <program.dl|.rbc> -F <facts> -D <out|-> [--relation R]`.
int runQuery(int argc, const char *const *argv);

} // namespace rune::cli

#endif // RUNE_TOOLS_RUNE_RUN_QUERYCOMMAND_H
