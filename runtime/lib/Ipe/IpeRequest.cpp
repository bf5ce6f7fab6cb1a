//===- IpeRequest.cpp - A request resolved into the module's slots --------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The request JSON is parsed once; every request path the module reads (its
// slots, IpeFormat.h) is then walked once, so policies read slots instead of
// searching the document, and strings carry their module symbol so that
// equality with a literal is one integer comparison. The same goes for the
// element fields aggregate filters read: each array a policy aggregates over
// gets its element rows here (IpeEngine.h), after the slots in the same
// block, so that a decision touches a few contiguous cache lines of the
// request instead of the document's nodes.
//
//===----------------------------------------------------------------------===//

#include "rune/Runtime/IpeEngine.h"

#include "IpeText.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

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
  std::unique_ptr<Request> request(new Request());
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
  std::vector<Value> &values = request->values;
  values.resize(tables.slots.size());
  for (size_t i = 0; i < tables.slots.size(); ++i) {
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
    values[i] = valueOf(module, node);
  }
  appendElementRows(module, *request);
  return request;
}

namespace {

/// The cell of `key` for an element that is an object: its field, or
/// missing. Elements of one array usually list their members in the same
/// order, so the member where the previous element had the key (`hint`) is
/// tried first; keys are unique (the JSON parser rejects duplicates), so
/// the hint finds the member a search would.
Value elementCell(const Module &module, const json::Node &element,
                  std::string_view key, uint32_t &hint) {
  const std::vector<json::Member> &members = element.members;
  if (hint < members.size() && sameText(members[hint].key, key))
    return valueOf(module, &members[hint].value);
  for (size_t m = 0; m < members.size(); ++m)
    if (sameText(members[m].key, key)) {
      hint = uint32_t(m);
      return valueOf(module, &members[m].value);
    }
  return Value{};
}

} // namespace

void Request::appendElementRows(const Module &module, Request &request) {
  const std::vector<uint32_t> &collections = module.collectionSlotList();
  const std::vector<uint32_t> &keys = module.elementKeys();
  std::vector<Value> &values = request.values;
  request.rowOffsets.assign(collections.size(), kNoRows);
  size_t width = 1 + keys.size();
  size_t needed = values.size() + 1;
  for (uint32_t slot : collections)
    if (values[slot].kind == RUNE_IPE_ARRAY)
      needed += values[slot].length * width;
  if (needed > kNoRows)
    needed = kNoRows; // unreachable: a request is far smaller than 4 GiB
  values.reserve(needed);
  std::vector<uint32_t> hints(keys.size(), 0);
  for (size_t c = 0; c < collections.size(); ++c) {
    // Copied: `values` grows below, and a reference into it would dangle.
    Value array = values[collections[c]];
    if (array.kind != RUNE_IPE_ARRAY)
      continue;
    request.rowOffsets[c] = uint32_t(values.size());
    for (const json::Node &element :
         reinterpret_cast<const json::Node *>(array.payload)->elements) {
      values.push_back(valueOf(module, &element));
      for (size_t k = 0; k < keys.size(); ++k)
        values.push_back(element.kind == json::Kind::Object
                             ? elementCell(module, element,
                                           module.string(keys[k]), hints[k])
                             : Value{});
    }
  }
  values.push_back(Value{});
}

} // namespace rune::ipert
