//===- IpeDocument.cpp - A request's JSON in one compact block ------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "IpeDocument.h"

#include "IpeText.h"

#include <simdjson.h>

#include <cassert>
#include <cstdlib>
#include <cstring>
#include <string>

namespace rune::ipert::doc {

const Node *Node::find(std::string_view key) const {
  const Member *member = members();
  for (const Member *end = member + count; member != end; ++member)
    if (sameText(member->key(), key))
      return &member->value;
  return nullptr;
}

Builder::Builder(size_t textBytes) {
  arena.reserve(2 * textBytes + 64);
  pending.reserve(64);
  open.reserve(8);
}

size_t Builder::appendText(std::string_view text) {
  size_t offset = arena.size();
  arena.insert(arena.end(), text.begin(), text.end());
  arena.push_back('\0'); // texts are NUL-terminated (Node::data)
  return offset;
}

Builder::Pending &Builder::push(Kind kind) {
  Pending &value = pending.emplace_back();
  value.node.kind = kind;
  // The last key read: a member's name inside an object; close() never
  // reads it for array elements or the root, so no test is needed.
  value.keyLength = nextKeyLength;
  value.keyOffset = nextKeyOffset;
  return value;
}

void Builder::null() { push(Kind::Null); }

void Builder::boolean(bool value) { push(Kind::Bool).node.boolean = value; }

void Builder::integer(int64_t value) { push(Kind::Integer).node.data = value; }

void Builder::floating(double value) {
  std::memcpy(&push(Kind::Float).node.data, &value, sizeof value);
}

void Builder::string(std::string_view text) {
  size_t offset = appendText(text);
  Node &node = push(Kind::String).node;
  node.count = uint32_t(text.size());
  node.data = int64_t(offset);
}

void Builder::openArray() {
  push(Kind::Array);
  open.push_back(Open{pending.size() - 1, {}});
}

void Builder::openObject() {
  push(Kind::Object);
  open.push_back(Open{pending.size() - 1, {}});
}

bool Builder::key(std::string_view name) {
  Open &object = open.back();
  size_t first = object.container + 1;
  size_t members = pending.size() - first;
  constexpr size_t kScanLimit = 16;
  if (members < kScanLimit) {
    for (size_t i = first; i < pending.size(); ++i)
      if (sameText(std::string_view(arena.data() + pending[i].keyOffset,
                                    pending[i].keyLength),
                   name))
        return false;
  } else {
    if (object.names.empty())
      for (size_t i = first; i < pending.size(); ++i)
        object.names.emplace(arena.data() + pending[i].keyOffset,
                             pending[i].keyLength);
    if (!object.names.emplace(name).second)
      return false;
  }
  nextKeyOffset = appendText(name);
  nextKeyLength = uint32_t(name.size());
  return true;
}

void Builder::reset(size_t textBytes) {
  arena.clear();
  pending.clear();
  open.clear();
  nextKeyLength = 0;
  nextKeyOffset = 0;
  arena.reserve(2 * textBytes + 64);
}

size_t Builder::heldBytes() const {
  return arena.capacity() + pending.capacity() * sizeof(Pending) +
         open.capacity() * sizeof(Open);
}

Node Builder::placed(Node node, int64_t position) {
  if (refersToArena(node.kind))
    node.data -= position;
  return node;
}

void Builder::close() {
  size_t container = open.back().container;
  open.pop_back();
  size_t first = container + 1, count = pending.size() - first;
  Node &node = pending[container].node;
  // Children are written 8-aligned: their integers are read as words.
  arena.resize((arena.size() + 7) & ~size_t(7));
  size_t start = arena.size();
  node.count = uint32_t(count);
  node.data = int64_t(start);
  if (node.kind == Kind::Array) {
    arena.resize(start + count * sizeof(Node));
    for (size_t i = 0; i < count; ++i) {
      int64_t position = int64_t(start + i * sizeof(Node));
      Node element = placed(pending[first + i].node, position);
      std::memcpy(arena.data() + position, &element, sizeof element);
    }
  } else {
    arena.resize(start + count * sizeof(Member));
    for (size_t i = 0; i < count; ++i) {
      const Pending &value = pending[first + i];
      int64_t position = int64_t(start + i * sizeof(Member));
      Member member;
      member.keyLength = value.keyLength;
      member.keyDistance = int32_t(int64_t(value.keyOffset) - position);
      member.value =
          placed(value.node, position + int64_t(offsetof(Member, value)));
      std::memcpy(arena.data() + position, &member, sizeof member);
    }
  }
  pending.resize(first);
}

const Node *Builder::write(void *to) const {
  assert(pending.size() == 1 && open.empty() && "one finished value");
  // The arena follows the root: its offsets are the root's distances plus
  // the root's size.
  Node root = placed(pending.front().node, -int64_t(sizeof(Node)));
  std::memcpy(to, &root, sizeof root);
  if (!arena.empty())
    std::memcpy(static_cast<char *>(to) + sizeof(Node), arena.data(),
                arena.size());
  return static_cast<const Node *>(to);
}

namespace {

/// Hands the JSON parser's events to a Builder.
class BuilderSink final : public json::EventSink {
public:
  explicit BuilderSink(Builder &builder) : builder(builder) {}

  void null(size_t) override { builder.null(); }
  void boolean(size_t, bool value) override { builder.boolean(value); }
  void number(size_t, std::string_view literal, bool isInteger,
              int64_t integer) override {
    if (isInteger) {
      builder.integer(integer);
      return;
    }
    // strtod, as simdjson, rounds correctly (and overflows to infinity,
    // which simdjson refuses: such texts come here); it reads a
    // NUL-terminated copy of the literal.
    std::string terminated(literal);
    builder.floating(std::strtod(terminated.c_str(), nullptr));
  }
  void string(size_t, std::string &value) override { builder.string(value); }
  void openArray(size_t) override { builder.openArray(); }
  void openObject(size_t) override { builder.openObject(); }
  bool key(size_t, std::string &name) override { return builder.key(name); }
  void close() override { builder.close(); }

private:
  Builder &builder;
};

/// Hands a document simdjson has read to a Builder; false when it is one
/// the general reader must read (see parse() in IpeDocument.h).
bool feed(simdjson::dom::element element, Builder &builder, unsigned depth) {
  using Type = simdjson::dom::element_type;
  switch (element.type()) {
  case Type::OBJECT: {
    if (depth == json::kMaxDepth)
      return false;
    // Named, not iterated in place: value_unsafe() of a temporary result
    // refers into that temporary.
    simdjson::dom::object object = element.get_object().value_unsafe();
    builder.openObject();
    for (simdjson::dom::key_value_pair member : object)
      if (!builder.key(member.key) || !feed(member.value, builder, depth + 1))
        return false;
    builder.close();
    return true;
  }
  case Type::ARRAY: {
    if (depth == json::kMaxDepth)
      return false;
    simdjson::dom::array array = element.get_array().value_unsafe();
    builder.openArray();
    for (simdjson::dom::element child : array)
      if (!feed(child, builder, depth + 1))
        return false;
    builder.close();
    return true;
  }
  case Type::INT64:
    builder.integer(element.get_int64().value_unsafe());
    return true;
  case Type::UINT64: // past int64: a float, as the general reader makes it
    builder.floating(double(element.get_uint64().value_unsafe()));
    return true;
  case Type::DOUBLE:
    builder.floating(element.get_double().value_unsafe());
    return true;
  case Type::STRING:
    builder.string(element.get_string().value_unsafe());
    return true;
  case Type::BOOL:
    builder.boolean(element.get_bool().value_unsafe());
    return true;
  case Type::NULL_VALUE:
    builder.null();
    return true;
  }
  return false;
}

/// Reads `text` with `parser` into `builder`; false when simdjson refuses it
/// or it is one for the general reader.
bool readFast(simdjson::dom::parser &parser, std::string_view text,
              Builder &builder) {
  // simdjson copies the text into a buffer with the padding it reads past
  // the end (kept by the parser from one text to the next).
  simdjson::dom::element root;
  return !parser.parse(text.data(), text.size(), /*realloc_if_needed=*/true)
              .get(root) &&
         feed(root, builder, 0);
}

/// parse() with `parser`, into `builder` (a fresh one).
bool read(simdjson::dom::parser &parser, std::string_view text,
          Builder &builder, json::ParseError &error) {
  if (readFast(parser, text, builder))
    return true;
  builder.reset(text.size());
  return parseGeneral(text, builder, error);
}

} // namespace

bool parseGeneral(std::string_view text, Builder &builder,
                  json::ParseError &error) {
  BuilderSink sink(builder);
  return json::parse(text, sink, error);
}

bool parseFast(std::string_view text, Builder &builder) {
  simdjson::dom::parser parser;
  return readFast(parser, text, builder);
}

bool parse(std::string_view text, Builder &builder, json::ParseError &error) {
  simdjson::dom::parser parser;
  return read(parser, text, builder, error);
}

struct Reader::Fast {
  simdjson::dom::parser parser;
};

Reader::Reader() : fast(std::make_unique<Fast>()), scratch(0) {}
Reader::~Reader() = default;

bool Reader::read(std::string_view text, json::ParseError &error) {
  scratch.reset(text.size());
  return doc::read(fast->parser, text, scratch, error);
}

size_t Reader::heldBytes() const {
  // The parser's buffers: structural indexes (4 bytes per byte of
  // capacity), the tape (8 per byte at most), strings (about 1), and the
  // padded copy of the text.
  return fast->parser.capacity() * 14 + scratch.heldBytes();
}

} // namespace rune::ipert::doc
