//===- Database.cpp - Named relations published as snapshots --------------===//

#include "rune/Runtime/Datalog/Database.h"

#include <stdexcept>

namespace rune::datalog {

Database::Database() : current(std::make_shared<const DatabaseVersion>()) {}

unsigned Database::declare(std::string name,
                           std::vector<ColumnType> columnTypes,
                           std::vector<IndexOrder> indexOrders) {
  if (slotByName.count(name))
    throw std::invalid_argument("relation '" + name + "' declared twice");
  auto relation =
      std::make_shared<const Relation>(columnTypes, std::move(indexOrders));
  unsigned slot = static_cast<unsigned>(slots.size());
  slotByName.emplace(name, slot);
  slots.push_back(Slot{std::move(name), std::move(columnTypes)});

  std::lock_guard lock(publishMutex);
  auto next = std::make_shared<DatabaseVersion>(*snapshot());
  next->relations.push_back(std::move(relation));
  // Declaring is not a new state of the data: the version number stays.
  install(std::move(next));
  return slot;
}

std::optional<unsigned> Database::find(std::string_view name) const {
  auto it = slotByName.find(std::string(name));
  if (it == slotByName.end())
    return std::nullopt;
  return it->second;
}

std::shared_ptr<const DatabaseVersion> Database::snapshot() const {
  std::lock_guard lock(currentMutex);
  return current;
}

std::shared_ptr<const Relation> Database::snapshot(unsigned slot) const {
  return snapshot()->relationPtr(slot);
}

void Database::install(std::shared_ptr<const DatabaseVersion> next) {
  std::shared_ptr<const DatabaseVersion> previous;
  {
    std::lock_guard lock(currentMutex);
    previous = std::move(current);
    current = std::move(next);
  }
  // `previous` may be the last reference: freed here, outside the lock.
}

std::unique_ptr<Relation> Database::copyRelation(unsigned slot) const {
  return std::make_unique<Relation>(*snapshot(slot));
}

void Database::publish(
    std::vector<std::pair<unsigned, std::shared_ptr<const Relation>>> changes) {
  for (const auto &[slot, relation] : changes) {
    if (slot >= slots.size())
      throw std::invalid_argument("publish: no relation slot " +
                                  std::to_string(slot));
    if (!relation || relation->columnTypes() != slots[slot].columnTypes)
      throw std::invalid_argument("publish: relation '" + slots[slot].name +
                                  "' does not have its declared columns");
  }
  std::lock_guard lock(publishMutex);
  auto previous = snapshot();
  auto next = std::make_shared<DatabaseVersion>(*previous);
  for (auto &[slot, relation] : changes)
    next->relations[slot] = std::move(relation);
  next->versionNumber = previous->versionNumber + 1;
  previous.reset();
  install(std::move(next));
}

size_t Database::memoryBytes() const {
  auto version = snapshot();
  size_t bytes = symbolTable.memoryBytes();
  for (size_t slot = 0; slot < version->relationCount(); ++slot)
    bytes += version->relation(static_cast<unsigned>(slot)).memoryBytes();
  return bytes;
}

} // namespace rune::datalog
