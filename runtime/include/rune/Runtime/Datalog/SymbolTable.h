//===- SymbolTable.h - Interned strings of a Datalog database ---*- C++ -*-===//
//
// Datalog `symbol` values are stored in relations as 32-bit ids; this table
// maps strings to ids and back. Ids are dense (0, 1, 2, ... in interning
// order) and never change or disappear while the table lives.
//
// Thread safety -- the guarantee relations rely on when a published version
// is read by many threads while the next version is being built:
//   * resolve() is lock-free and may run on any number of threads while
//     other threads intern(). Strings live in append-only chunks that are
//     never moved or freed, and the id -> string directory is a fixed array
//     of chunk pointers whose chunks double in size, so it is never
//     reallocated either. An id handed out by intern() (to this or, through
//     any synchronising publish, another thread) always resolves.
//   * intern() and find() take a lock on the string -> id map (shared for
//     the lookup, exclusive only when a new string is added), so several
//     threads may intern at once.
//   * The string_views returned by resolve() stay valid for the table's
//     lifetime.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_DATALOG_SYMBOLTABLE_H
#define RUNE_RUNTIME_DATALOG_SYMBOLTABLE_H

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rune::datalog {

using SymbolId = uint32_t;

class SymbolTable {
public:
  SymbolTable();
  ~SymbolTable();
  SymbolTable(const SymbolTable &) = delete;
  SymbolTable &operator=(const SymbolTable &) = delete;

  /// The id of `text`, adding it on first use. Throws std::length_error when
  /// 2^32 - 1 symbols exist already.
  SymbolId intern(std::string_view text);
  /// The id of `text` if it was interned before (never adds).
  std::optional<SymbolId> find(std::string_view text) const;
  /// The text of `id`. `id` must come from intern()/find() of this table
  /// (checked with an assertion; use isValid() for untrusted ids).
  std::string_view resolve(SymbolId id) const;
  /// True when `id` names an interned symbol.
  bool isValid(SymbolId id) const {
    return id < count.load(std::memory_order_acquire);
  }
  /// Number of interned symbols.
  size_t size() const { return count.load(std::memory_order_acquire); }
  /// Bytes held by the table (strings, directory, map), for reporting.
  size_t memoryBytes() const;

private:
  struct Entry {
    const char *data;
    uint32_t length;
  };
  // Chunk k of the directory holds kFirstChunkEntries << k entries, so 32
  // chunks cover every 32-bit id without ever reallocating the directory.
  static constexpr unsigned kFirstChunkBits = 10;
  static constexpr size_t kFirstChunkEntries = size_t(1) << kFirstChunkBits;
  static constexpr unsigned kDirectorySize = 33 - kFirstChunkBits;

  const char *storeText(std::string_view text); // writer lock held
  static void locate(SymbolId id, unsigned &chunk, size_t &slot);

  std::atomic<Entry *> directory[kDirectorySize] = {};
  std::atomic<uint32_t> count{0};

  mutable std::shared_mutex mapMutex;
  std::unordered_map<std::string_view, SymbolId> ids; // views into textChunks
  std::vector<std::unique_ptr<char[]>> textChunks;    // writer lock held
  size_t textChunkUsed = 0, textChunkSize = 0, textBytes = 0;
};

} // namespace rune::datalog

#endif // RUNE_RUNTIME_DATALOG_SYMBOLTABLE_H
