//===- Arena.h - Bump allocator for runtime values --------------*- C++ -*-===//
//
// Values never own their heap parts (string bytes, set elements, record
// fields, ip addresses): those live in an arena whose lifetime covers every
// value pointing into it. A module's constants live in the module's arena,
// entity data in the entity store's arena, request data in the request's
// arena and evaluation temporaries in a scratch arena that is reset after
// each authorization.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_ARENA_H
#define RUNE_RUNTIME_ARENA_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace rune {

class Arena {
public:
  explicit Arena(size_t firstChunkSize = 4096);
  Arena(const Arena &) = delete;
  Arena &operator=(const Arena &) = delete;
  Arena(Arena &&) noexcept = default;
  Arena &operator=(Arena &&) noexcept = default;

  /// Returns `size` bytes aligned to `align` (a power of two). Throws
  /// std::bad_alloc when memory is exhausted, like operator new.
  void *allocate(size_t size, size_t align);

  template <typename T> T *allocateArray(size_t count) {
    return static_cast<T *>(allocate(count * sizeof(T), alignof(T)));
  }

  /// Copies `text` into the arena (not NUL-terminated).
  std::string_view copyString(std::string_view text);

  /// Forgets every allocation but keeps the memory. When the last use needed
  /// several chunks they are merged into one, so a steady workload settles
  /// on a single chunk and stops calling the system allocator.
  void reset();

  /// Bytes handed out since construction or the last reset.
  size_t bytesUsed() const { return used; }

private:
  struct Chunk {
    std::unique_ptr<std::byte[]> memory;
    size_t size;
  };
  void addChunk(size_t minimumSize);

  std::vector<Chunk> chunks;
  size_t offset = 0; // inside chunks.back()
  size_t used = 0;
  size_t firstChunkSize;
};

} // namespace rune

#endif // RUNE_RUNTIME_ARENA_H
