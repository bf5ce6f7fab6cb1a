//===- Arena.cpp - Bump allocator for runtime values ----------------------===//

#include "rune/Runtime/Arena.h"

#include <algorithm>
#include <cstring>
#include <new>

namespace rune {

Arena::Arena(size_t firstChunkSize)
    : firstChunkSize(std::max<size_t>(firstChunkSize, 256)) {}

void Arena::addChunk(size_t minimumSize) {
  size_t size = chunks.empty() ? firstChunkSize : chunks.back().size * 2;
  size = std::max(size, minimumSize);
  chunks.push_back({std::make_unique<std::byte[]>(size), size});
  offset = 0;
}

void *Arena::allocate(size_t size, size_t align) {
  if (size == 0)
    size = 1;
  if (!chunks.empty()) {
    Chunk &chunk = chunks.back();
    size_t start = (offset + align - 1) & ~(align - 1);
    if (start <= chunk.size && chunk.size - start >= size) {
      offset = start + size;
      used += size;
      return chunk.memory.get() + start;
    }
  }
  // Chunk memory from operator new[] is aligned for any fundamental type,
  // which covers every alignment the runtime asks for.
  if (size > SIZE_MAX / 2)
    throw std::bad_alloc();
  addChunk(size + align);
  Chunk &chunk = chunks.back();
  offset = size;
  used += size;
  return chunk.memory.get();
}

std::string_view Arena::copyString(std::string_view text) {
  if (text.empty())
    return {};
  char *copy = static_cast<char *>(allocate(text.size(), 1));
  std::memcpy(copy, text.data(), text.size());
  return {copy, text.size()};
}

void Arena::reset() {
  if (chunks.size() > 1) {
    size_t total = 0;
    for (const Chunk &chunk : chunks)
      total += chunk.size;
    chunks.clear();
    chunks.push_back({std::make_unique<std::byte[]>(total), total});
  }
  offset = 0;
  used = 0;
}

} // namespace rune
