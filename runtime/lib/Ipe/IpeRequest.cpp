//===- IpeRequest.cpp - A request resolved into the module's slots --------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The request JSON is parsed once; every request path the module reads (its
// slots, IpeFormat.h) is then walked once, so policies read slots instead of
// searching the document, and strings carry their module symbol so that
// equality with a literal is one integer comparison.
//
//===----------------------------------------------------------------------===//

#include "rune/Runtime/IpeEngine.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

namespace rune::ipert {

Value valueOf(const Module &module, const json::Node *node);

Value valueOf(const Module &module, const json::Node *node) {
  Value v{};
  if (!node)
    return v;
  switch (node->kind) {
  case json::Kind::Null:
    break; // null is missing
  case json::Kind::Bool:
    v.kind = RUNE_IPE_BOOL;
    v.payload = node->boolean;
    break;
  case json::Kind::Number:
    if (node->isInteger) {
      v.kind = RUNE_IPE_INT;
      v.payload = static_cast<uint64_t>(node->integer);
    } else {
      double d = std::strtod(node->text.c_str(), nullptr);
      v.kind = RUNE_IPE_FLOAT;
      std::memcpy(&v.payload, &d, sizeof d);
    }
    break;
  case json::Kind::String:
    v.kind = RUNE_IPE_STRING;
    v.symbol = module.symbolOf(node->text);
    v.length = node->text.size();
    v.payload = reinterpret_cast<uint64_t>(node->text.data());
    break;
  case json::Kind::Array:
    v.kind = RUNE_IPE_ARRAY;
    v.length = node->elements.size();
    v.payload = reinterpret_cast<uint64_t>(node);
    break;
  case json::Kind::Object:
    v.kind = RUNE_IPE_OBJECT;
    v.payload = reinterpret_cast<uint64_t>(node);
    break;
  }
  return v;
}

std::unique_ptr<Request> Request::parse(const Module &module,
                                        std::string_view text,
                                        std::string &error) {
  // One allocation for the object and its slots (Request::slots()).
  size_t slotCount = module.tables().slots.size();
  void *memory = ::operator new(sizeof(Request) + slotCount * sizeof(Value));
  std::unique_ptr<Request> request(new (memory) Request());
  Value *slots = request->mutableSlots();
  std::uninitialized_value_construct_n(slots, slotCount);
  json::ParseError parseError;
  if (!json::parse(text, request->document, parseError)) {
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
  if (request->document.kind != json::Kind::Object) {
    error = "1:1: a request must be a JSON object, not " +
            std::string(json::kindName(request->document.kind));
    return nullptr;
  }
  const ipebc::Sections &tables = module.tables();
  for (size_t i = 0; i < slotCount; ++i) {
    const json::Node *node = &request->document;
    for (uint32_t component : tables.slots[i].components) {
      if (node->kind != json::Kind::Object) {
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
void writeElementRows(const Module &module, const json::Node &array,
                      size_t width, Value *out) {
  for (const json::Node &element : array.elements) {
    if (element.kind == json::Kind::Object) {
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
  const auto *node = reinterpret_cast<const json::Node *>(array.payload);
  size_t at = rows.size();
  rows.resize(at + node->elements.size() * width);
  writeElementRows(module, *node, width, rows.data() + at);
  return true;
}

Value *buildElementRows(const Module &module, const Value &array,
                        std::vector<Value> &buffer) {
  if (array.kind != RUNE_IPE_ARRAY)
    return nullptr;
  size_t width = 1 + module.elementKeys().size();
  const auto *node = reinterpret_cast<const json::Node *>(array.payload);
  // At least one value, so that an empty array has a non-null pointer to
  // its (no) rows; never shrunk, so that the next decision reuses it.
  size_t needed = std::max<size_t>(node->elements.size() * width, 1);
  if (buffer.size() < needed)
    buffer.resize(needed);
  writeElementRows(module, *node, width, buffer.data());
  return buffer.data();
}

} // namespace rune::ipert
