//===- IpeRequest.cpp - A request resolved into the module's slots --------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The request JSON is parsed once, into a compact document (IpeDocument.h)
// in the request's own allocation; every request path the module reads (its
// slots, IpeFormat.h) is then walked once, so policies read slots instead of
// searching the document, and strings carry their module symbol so that
// equality with a literal is one integer comparison.
//
//===----------------------------------------------------------------------===//

#include "rune/Runtime/IpeEngine.h"

#include "IpeDocument.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <new>

namespace rune::ipert {

Value valueOf(const Module &module, const doc::Node *node);

Value valueOf(const Module &module, const doc::Node *node) {
  Value v{};
  if (!node)
    return v;
  switch (node->kind) {
  case doc::Kind::Null:
    break; // null is missing
  case doc::Kind::Bool:
    v.kind = RUNE_IPE_BOOL;
    v.payload = node->boolean;
    break;
  case doc::Kind::Integer:
    v.kind = RUNE_IPE_INT;
    v.payload = static_cast<uint64_t>(node->integer());
    break;
  case doc::Kind::Float:
    v.kind = RUNE_IPE_FLOAT;
    v.payload = static_cast<uint64_t>(node->data); // the double's bits
    break;
  case doc::Kind::String: {
    std::string_view text = node->text();
    v.kind = RUNE_IPE_STRING;
    v.symbol = module.symbolOf(text);
    v.length = text.size();
    v.payload = reinterpret_cast<uint64_t>(text.data());
    break;
  }
  case doc::Kind::Array:
    v.kind = RUNE_IPE_ARRAY;
    v.length = node->count;
    v.payload = reinterpret_cast<uint64_t>(node);
    break;
  case doc::Kind::Object:
    v.kind = RUNE_IPE_OBJECT;
    v.payload = reinterpret_cast<uint64_t>(node);
    break;
  }
  return v;
}

namespace {

std::string_view kindName(doc::Kind kind) {
  switch (kind) {
  case doc::Kind::Null:
    return "null";
  case doc::Kind::Bool:
    return "a boolean";
  case doc::Kind::Integer:
  case doc::Kind::Float:
    return "a number";
  case doc::Kind::String:
    return "a string";
  case doc::Kind::Array:
    return "an array";
  case doc::Kind::Object:
    return "an object";
  }
  return "?";
}

} // namespace

std::unique_ptr<Request> Request::parse(const Module &module,
                                        std::string_view text,
                                        std::string &error) {
  // Built in scratch memory the module keeps from one request to the next,
  // then moved into the request's own block. (Not thread_local scratch:
  // that would make the shared runtime depend on the dynamic loader for its
  // TLS.)
  struct Lent {
    const Module &module;
    std::unique_ptr<doc::Reader> reader;
    ~Lent() { module.returnReader(std::move(reader)); }
  } lent{module, module.lendReader()};
  const doc::Builder &builder = lent.reader->builder();
  json::ParseError parseError;
  if (!lent.reader->read(text, parseError)) {
    // Report line and column: requests are files people edit.
    size_t line = 1, column = 1;
    for (size_t i = 0; i < parseError.offset && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    error = std::to_string(line) + ":" + std::to_string(column) + ": " +
            parseError.message;
    return nullptr;
  }
  if (builder.rootKind() != doc::Kind::Object) {
    error = "1:1: a request must be a JSON object, not " +
            std::string(kindName(builder.rootKind()));
    return nullptr;
  }
  if (!builder.fits()) {
    error = "1:1: the request is too large (2 GiB or more once parsed)";
    return nullptr;
  }
  // One allocation for the object, its slots and its document.
  size_t slotCount = module.tables().slots.size();
  size_t slotBytes = slotCount * sizeof(Value);
  void *memory = ::operator new(sizeof(Request) + slotBytes + builder.size());
  std::unique_ptr<Request> request(new (memory) Request(uint32_t(slotCount)));
  Value *slots = request->mutableSlots();
  const doc::Node *root = builder.write(slots + slotCount);
  const ipebc::Sections &tables = module.tables();
  for (size_t i = 0; i < slotCount; ++i) {
    const doc::Node *node = root;
    for (uint32_t component : tables.slots[i].components) {
      if (node->kind != doc::Kind::Object) {
        node = nullptr;
        break;
      }
      node = node->find(module.string(component));
      if (!node)
        break;
    }
    slots[i] = valueOf(module, node);
  }
  return request;
}

namespace {

/// Writes from `out` a row per element of `array`: the element, then
/// `width - 1` cells, unresolved (kind missing).
void writeElementRows(const Module &module, const doc::Node &array,
                      size_t width, Value *out) {
  for (const doc::Node &element : elementsOf(array)) {
    if (element.kind == doc::Kind::Object) {
      // The usual element, without valueOf's dispatch.
      Value object{};
      object.kind = RUNE_IPE_OBJECT;
      object.payload = reinterpret_cast<uint64_t>(&element);
      out[0] = object;
    } else {
      out[0] = valueOf(module, &element);
    }
    // A cell is unresolved while its kind is missing, and nothing reads
    // the rest of it before it is resolved: one store per cell.
    for (size_t column = 1; column < width; ++column)
      out[column].kind = RUNE_IPE_MISSING;
    out += width;
  }
}

} // namespace

bool appendElementRows(const Module &module, const Value &array,
                       std::vector<Value> &rows) {
  if (array.kind != RUNE_IPE_ARRAY)
    return false;
  size_t width = 1 + module.elementKeys().size();
  const auto *node = reinterpret_cast<const doc::Node *>(array.payload);
  size_t at = rows.size();
  rows.resize(at + node->count * width);
  writeElementRows(module, *node, width, rows.data() + at);
  return true;
}

Value *buildElementRows(const Module &module, const Value &array,
                        std::vector<Value> &buffer) {
  if (array.kind != RUNE_IPE_ARRAY)
    return nullptr;
  size_t width = 1 + module.elementKeys().size();
  const auto *node = reinterpret_cast<const doc::Node *>(array.payload);
  // At least one value, so that an empty array has a non-null pointer to
  // its (no) rows; never shrunk, so that the next decision reuses it.
  size_t needed = std::max<size_t>(node->count * width, 1);
  if (buffer.size() < needed)
    buffer.resize(needed);
  writeElementRows(module, *node, width, buffer.data());
  return buffer.data();
}

} // namespace rune::ipert
