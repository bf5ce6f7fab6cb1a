//===- Engine.h - The root object of the runtime ----------------*- C++ -*-===//
//
// An engine owns the symbol table that modules, entity stores and requests
// created from it share. Those objects hold a shared_ptr to their engine, so
// the symbols they refer to outlive them whatever order the embedder frees
// things in.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_ENGINE_H
#define RUNE_RUNTIME_ENGINE_H

#include "rune/Runtime/SymbolTable.h"

namespace rune {

class Engine {
public:
  SymbolTable &symbols() { return symbolTable; }
  const SymbolTable &symbols() const { return symbolTable; }

private:
  SymbolTable symbolTable;
};

} // namespace rune

#endif // RUNE_RUNTIME_ENGINE_H
