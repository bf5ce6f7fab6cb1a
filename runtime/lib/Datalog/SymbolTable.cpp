//===- SymbolTable.cpp - Interned strings of a Datalog database -----------===//

#include "rune/Runtime/Datalog/SymbolTable.h"

#include <bit>
#include <cassert>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace rune::datalog {

namespace {
/// Strings are copied into blocks of this size (bigger strings get a block
/// of their own), so interning costs no allocation per string.
constexpr size_t kTextChunkSize = 64 * 1024;
} // namespace

SymbolTable::SymbolTable() = default;

SymbolTable::~SymbolTable() {
  for (auto &chunk : directory)
    delete[] chunk.load(std::memory_order_relaxed);
}

void SymbolTable::locate(SymbolId id, unsigned &chunk, size_t &slot) {
  // Chunk k starts at id kFirstChunkEntries * (2^k - 1): shifting ids by
  // kFirstChunkEntries makes the chunk number the position of the top bit.
  uint64_t shifted = uint64_t(id) + kFirstChunkEntries;
  chunk = static_cast<unsigned>(std::bit_width(shifted)) - 1 - kFirstChunkBits;
  slot = shifted - (uint64_t(kFirstChunkEntries) << chunk);
}

const char *SymbolTable::storeText(std::string_view text) {
  if (text.empty())
    return "";
  if (text.size() > kTextChunkSize / 4) {
    // A long string gets its own block so it does not waste the rest of
    // the current one.
    textChunks.push_back(std::make_unique<char[]>(text.size()));
    std::memcpy(textChunks.back().get(), text.data(), text.size());
    textBytes += text.size();
    const char *stored = textChunks.back().get();
    // Keep filling the previous shared block: move it back to the end.
    if (textChunks.size() >= 2 && textChunkSize != 0)
      std::swap(textChunks[textChunks.size() - 1],
                textChunks[textChunks.size() - 2]);
    return stored;
  }
  if (textChunkSize - textChunkUsed < text.size()) {
    textChunks.push_back(std::make_unique<char[]>(kTextChunkSize));
    textChunkSize = kTextChunkSize;
    textChunkUsed = 0;
    textBytes += kTextChunkSize;
  }
  char *stored = textChunks.back().get() + textChunkUsed;
  std::memcpy(stored, text.data(), text.size());
  textChunkUsed += text.size();
  return stored;
}

SymbolId SymbolTable::intern(std::string_view text) {
  {
    std::shared_lock lock(mapMutex);
    auto it = ids.find(text);
    if (it != ids.end())
      return it->second;
  }
  std::unique_lock lock(mapMutex);
  auto it = ids.find(text);
  if (it != ids.end())
    return it->second;
  uint32_t id = count.load(std::memory_order_relaxed);
  if (id == std::numeric_limits<uint32_t>::max())
    throw std::length_error("too many symbols");
  const char *stored = storeText(text);
  unsigned chunk;
  size_t slot;
  locate(id, chunk, slot);
  Entry *entries = directory[chunk].load(std::memory_order_relaxed);
  if (!entries) {
    entries = new Entry[kFirstChunkEntries << chunk];
    directory[chunk].store(entries, std::memory_order_release);
  }
  entries[slot] = Entry{stored, static_cast<uint32_t>(text.size())};
  ids.emplace(std::string_view(stored, text.size()), id);
  // Publishing the count last makes the entry visible to isValid()/size()
  // readers before they can ask for it.
  count.store(id + 1, std::memory_order_release);
  return id;
}

std::optional<SymbolId> SymbolTable::find(std::string_view text) const {
  std::shared_lock lock(mapMutex);
  auto it = ids.find(text);
  if (it == ids.end())
    return std::nullopt;
  return it->second;
}

std::string_view SymbolTable::resolve(SymbolId id) const {
  assert(isValid(id) && "symbol id from another table or corrupted");
  unsigned chunk;
  size_t slot;
  locate(id, chunk, slot);
  const Entry &entry = directory[chunk].load(std::memory_order_acquire)[slot];
  return std::string_view(entry.data, entry.length);
}

size_t SymbolTable::memoryBytes() const {
  std::shared_lock lock(mapMutex);
  size_t bytes = sizeof(*this) + textBytes;
  for (unsigned chunk = 0; chunk < kDirectorySize; ++chunk)
    if (directory[chunk].load(std::memory_order_acquire))
      bytes += sizeof(Entry) * (kFirstChunkEntries << chunk);
  // unordered_map: one bucket pointer per bucket, one node per entry.
  bytes += ids.bucket_count() * sizeof(void *) +
           ids.size() * (sizeof(void *) + sizeof(std::string_view) +
                         sizeof(SymbolId) + sizeof(size_t));
  return bytes;
}

} // namespace rune::datalog
