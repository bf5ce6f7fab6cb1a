//===- SymbolTable.cpp - Interned names shared by one engine --------------===//

#include "rune/Runtime/SymbolTable.h"

#include <mutex>

namespace rune {

Symbol SymbolTable::intern(std::string_view name) {
  {
    std::shared_lock lock(mutex);
    auto it = ids.find(name);
    if (it != ids.end())
      return it->second;
  }
  std::unique_lock lock(mutex);
  auto it = ids.find(name);
  if (it != ids.end())
    return it->second;
  Symbol symbol = static_cast<Symbol>(names.size());
  const std::string &stored = names.emplace_back(name);
  ids.emplace(std::string_view(stored), symbol);
  return symbol;
}

std::optional<Symbol> SymbolTable::lookup(std::string_view name) const {
  std::shared_lock lock(mutex);
  auto it = ids.find(name);
  if (it == ids.end())
    return std::nullopt;
  return it->second;
}

std::string_view SymbolTable::name(Symbol symbol) const {
  std::shared_lock lock(mutex);
  if (symbol >= names.size())
    return "<invalid symbol>";
  return names[symbol];
}

size_t SymbolTable::size() const {
  std::shared_lock lock(mutex);
  return names.size();
}

} // namespace rune
