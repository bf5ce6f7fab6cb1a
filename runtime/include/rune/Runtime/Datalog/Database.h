//===- Database.h - Named relations published as snapshots ------*- C++ -*-===//
//
// The relations of one Datalog program, by name and by slot number, plus
// the symbol table their symbol columns refer to.
//
// Versions: the database's content at any moment is an immutable
// DatabaseVersion -- one std::shared_ptr<const Relation> per slot. Readers
// take snapshot() (a pointer copy) and may use it for as long as they like
// on any thread; evaluation builds new relations on the side (e.g. from
// copyRelation()) and publish()es them, which atomically installs a new
// DatabaseVersion sharing the unchanged relations with the previous one. A
// reader therefore always sees a consistent set of relations: all of one
// publish or none of it. Old versions are freed when their last reader
// drops them.
//
// Thread safety: snapshot(), find(), name(), columnTypes() and symbols()
// may be called concurrently with each other and with publish(); publish()
// calls are serialised internally. declare() must happen before the
// database is shared between threads (it is part of loading a program).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_DATALOG_DATABASE_H
#define RUNE_RUNTIME_DATALOG_DATABASE_H

#include "rune/Runtime/Datalog/Relation.h"
#include "rune/Runtime/Datalog/SymbolTable.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace rune::datalog {

/// One consistent state of every relation of a database.
class DatabaseVersion {
public:
  /// Increases by one with every publish (the empty initial state is 0).
  uint64_t number() const { return versionNumber; }
  size_t relationCount() const { return relations.size(); }
  const Relation &relation(unsigned slot) const { return *relations[slot]; }
  const std::shared_ptr<const Relation> &relationPtr(unsigned slot) const {
    return relations[slot];
  }

private:
  friend class Database;
  uint64_t versionNumber = 0;
  std::vector<std::shared_ptr<const Relation>> relations;
};

class Database {
public:
  Database();
  Database(const Database &) = delete;
  Database &operator=(const Database &) = delete;

  /// Adds a relation (initially empty) and returns its slot; slots are
  /// numbered 0, 1, ... in declaration order. Declaring a name twice throws
  /// std::invalid_argument.
  unsigned declare(std::string name, std::vector<ColumnType> columnTypes,
                   std::vector<IndexOrder> indexOrders = {});
  std::optional<unsigned> find(std::string_view name) const;
  size_t relationCount() const { return slots.size(); }
  std::string_view name(unsigned slot) const { return slots[slot].name; }

  SymbolTable &symbols() { return symbolTable; }
  const SymbolTable &symbols() const { return symbolTable; }

  /// The current version. Takes a lock held only while one pointer is
  /// copied, so it never waits for a publish to build its version.
  std::shared_ptr<const DatabaseVersion> snapshot() const;
  /// The current version of one relation.
  std::shared_ptr<const Relation> snapshot(unsigned slot) const;
  /// A private, mutable deep copy of the current version of `slot` to build
  /// the next version from.
  std::unique_ptr<Relation> copyRelation(unsigned slot) const;

  /// Installs new versions of some relations in one atomic step. Each
  /// relation must have the column types the slot was declared with
  /// (std::invalid_argument otherwise; nothing is published then).
  void publish(std::vector<std::pair<unsigned, std::shared_ptr<const Relation>>>
                   changes);
  void publish(unsigned slot, std::shared_ptr<const Relation> relation) {
    publish({{slot, std::move(relation)}});
  }

  /// Bytes of the relations of the current version plus the symbol table.
  size_t memoryBytes() const;

private:
  struct Slot {
    std::string name;
    std::vector<ColumnType> columnTypes;
  };
  void install(std::shared_ptr<const DatabaseVersion> next);

  std::vector<Slot> slots;
  std::unordered_map<std::string, unsigned> slotByName;
  SymbolTable symbolTable;
  // A plain mutex around the pointer rather than
  // std::atomic<std::shared_ptr>: libstdc++ 12 implements that with an
  // internal lock bit too, which ThreadSanitizer cannot see.
  mutable std::mutex currentMutex;
  std::shared_ptr<const DatabaseVersion> current;
  std::mutex publishMutex; // serialises writers (declare, publish)
};

} // namespace rune::datalog

#endif // RUNE_RUNTIME_DATALOG_DATABASE_H
