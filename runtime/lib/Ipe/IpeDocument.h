//===- IpeDocument.h - A request's JSON in one compact block ----*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The JSON of an IPE request, as decisions read it. A decision over a stream
// of requests is bound by the cache misses it takes on the request's memory,
// the same for both backends, so the document is built to be small and
// contiguous: a node is 16 bytes, an object member 24, and the nodes, member
// names and strings of a whole request lie in one block right after its
// slots (about a fifth of a general json::Node tree, which holds a
// std::string and two std::vectors per node, each its own allocation).
//
// A node finds its text, elements or members at a signed byte distance from
// itself, so a document built in scratch memory is moved into its request by
// one memcpy, with no pointer to fix.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_LIB_IPE_IPEDOCUMENT_H
#define RUNE_RUNTIME_LIB_IPE_IPEDOCUMENT_H

#include "rune/Runtime/Json.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace rune::ipert::doc {

enum class Kind : uint8_t { Null, Bool, Integer, Float, String, Array, Object };

struct Member;

struct Node {
  Kind kind = Kind::Null;
  bool boolean = false;
  /// String: bytes of text; Array: elements; Object: members.
  uint32_t count = 0;
  /// Integer: the value. Float: the value's bits. String, Array, Object:
  /// the distance in bytes from this node to its text (NUL-terminated),
  /// first element or first member.
  int64_t data = 0;

  int64_t integer() const { return data; }
  double number() const {
    double value;
    std::memcpy(&value, &data, sizeof value);
    return value;
  }
  /// A String's text.
  std::string_view text() const { return {at<char>(), count}; }
  const Node *elements() const { return at<Node>(); }
  const Member *members() const { return at<Member>(); }
  /// Object member lookup; nullptr when absent.
  const Node *find(std::string_view key) const;

private:
  template <typename T> const T *at() const {
    return reinterpret_cast<const T *>(reinterpret_cast<const char *>(this) +
                                       data);
  }
};
static_assert(sizeof(Node) == 16);

struct Member {
  uint32_t keyLength = 0;
  /// The distance in bytes from this member to its name.
  int32_t keyDistance = 0;
  Node value;

  std::string_view key() const {
    return {reinterpret_cast<const char *>(this) + keyDistance, keyLength};
  }
};
static_assert(sizeof(Member) == 24);

inline std::span<const Node> elementsOf(const Node &array) {
  return {array.elements(), array.count};
}

/// Builds a document from parse events, bottom up: a container's elements
/// or members are kept aside until it closes, then written together, so
/// each container's children are one array.
class Builder {
public:
  /// Reserves room for the document of a JSON text of `textBytes` bytes,
  /// so that building it usually allocates once: a document takes up to
  /// about twice its text (1,058 B for 542 B of text on average, 2.06x at
  /// most, over the requests bench/ipe/generate.py makes).
  explicit Builder(size_t textBytes);
  /// Back to no value, with room for a text of `textBytes` bytes; the
  /// memory reserved before is kept.
  void reset(size_t textBytes);
  /// The bytes of memory the builder holds.
  size_t heldBytes() const;

  void null();
  void boolean(bool value);
  void integer(int64_t value);
  /// A number that is not an integer literal within int64.
  void floating(double value);
  void string(std::string_view text);
  void openArray();
  void openObject();
  /// The name of the open object's next member; false, and nothing added,
  /// when the object has a member of that name already.
  bool key(std::string_view name);
  /// Closes the innermost open array or object.
  void close();

  /// The kind of the finished document's value.
  Kind rootKind() const { return pending.front().node.kind; }
  /// The bytes of the finished document (one value, no container open).
  size_t size() const { return sizeof(Node) + arena.size(); }
  /// Whether a document of size() bytes can be written (distances fit).
  bool fits() const { return arena.size() < INT32_MAX; }
  /// Writes the finished document to `to` (size() bytes, aligned like a
  /// Node) and returns its root.
  const Node *write(void *to) const;

private:
  /// A value written but not yet placed: its `data` holds an arena offset
  /// for the kinds that refer to the arena.
  struct Pending {
    Node node;
    uint32_t keyLength = 0;
    /// Full width while building: a document past the limit fits() sets
    /// must still be built correctly before it is refused.
    size_t keyOffset = 0;
  };
  struct Open {
    size_t container; // index of the container in `pending`
    /// The member names of a large object, for the duplicate test; small
    /// objects are scanned.
    std::unordered_set<std::string> names;
  };

  size_t appendText(std::string_view text);
  Pending &push(Kind kind);
  /// `node`, placed at arena offset `position`, with its distance fixed.
  static Node placed(Node node, int64_t position);
  static bool refersToArena(Kind kind) { return kind >= Kind::String; }

  /// Texts and placed child arrays; offsets into it are document offsets
  /// minus sizeof(Node) (the root comes first).
  std::vector<char> arena;
  std::vector<Pending> pending;
  std::vector<Open> open;
  uint32_t nextKeyLength = 0;
  size_t nextKeyOffset = 0;
};

/// Parses the JSON `text` into `builder` (a fresh one); on failure the
/// parser's error, with the builder holding part of the document.
///
/// simdjson reads the text first: a request of a few hundred bytes in about
/// a third of the general reader's instructions (docs/performance.md, IPE,
/// session 9). Whatever simdjson refuses (integers past uint64, floats past
/// double's range, a byte order mark), and whatever it would not read as
/// the general reader does (a duplicate member name, nesting past
/// json::kMaxDepth), goes to parseGeneral, so that both give the same
/// document or the same located error.
bool parse(std::string_view text, Builder &builder, json::ParseError &error);

/// simdjson's reading alone: false, with the builder holding part of a
/// document, when simdjson refuses the text or parse() leaves it to the
/// general reader.
bool parseFast(std::string_view text, Builder &builder);

/// The general reader (json::parse) alone: what parse() falls back on.
bool parseGeneral(std::string_view text, Builder &builder,
                  json::ParseError &error);

/// What reading requests keeps from one to the next: simdjson's parser and
/// a builder, with the buffers they grew (a parser per request was a third
/// of the time of reading one).
class Reader {
public:
  Reader();
  ~Reader();
  Reader(const Reader &) = delete;
  Reader &operator=(const Reader &) = delete;

  /// parse() of `text` into builder().
  bool read(std::string_view text, json::ParseError &error);
  const Builder &builder() const { return scratch; }
  /// The bytes of memory the reader holds.
  size_t heldBytes() const;

private:
  struct Fast; // simdjson's parser, out of this header
  std::unique_ptr<Fast> fast;
  Builder scratch;
};

} // namespace rune::ipert::doc

#endif // RUNE_RUNTIME_LIB_IPE_IPEDOCUMENT_H
