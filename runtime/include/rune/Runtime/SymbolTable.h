//===- SymbolTable.h - Interned names shared by one engine ------*- C++ -*-===//
//
// Attribute names, record keys and entity type names are interned to small
// integers when a module, an entity store or a request is loaded, so the
// evaluator compares and looks names up by integer, never by string.
//
// Thread safety: interning happens while loading, which several threads may
// do at once on one engine; evaluation only reads names back when it formats
// an error message. A reader/writer lock covers both.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_SYMBOLTABLE_H
#define RUNE_RUNTIME_SYMBOLTABLE_H

#include <cstdint>
#include <deque>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace rune {

using Symbol = uint32_t;

class SymbolTable {
public:
  /// Returns the symbol of `name`, creating it on first use.
  Symbol intern(std::string_view name);
  /// Returns the symbol of `name` if it was interned before.
  std::optional<Symbol> lookup(std::string_view name) const;
  /// The text of a symbol. The view stays valid for the table's lifetime
  /// (names are stored in a deque, which never moves its elements).
  std::string_view name(Symbol symbol) const;
  size_t size() const;

private:
  mutable std::shared_mutex mutex;
  std::deque<std::string> names;
  std::unordered_map<std::string_view, Symbol> ids;
};

} // namespace rune

#endif // RUNE_RUNTIME_SYMBOLTABLE_H
