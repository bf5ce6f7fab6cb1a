//===- Json.h - JSON parsed into a tree that remembers positions -*- C++
//-*-===//
//
// RFC 8259 JSON, parsed by nlohmann-json's SAX interface into a small tree
// whose nodes carry their byte offsets, so errors found while converting
// JSON into Cedar values (a float where a long is needed, a bad entity uid,
// ...) can point at the offending text just like syntax errors. Objects keep
// their members in input order and duplicate keys are rejected, as Cedar
// rejects them.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_JSON_H
#define RUNE_RUNTIME_JSON_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rune::json {

enum class Kind : uint8_t { Null, Bool, Number, String, Array, Object };

struct Member;

struct Node {
  Kind kind = Kind::Null;
  size_t offset = 0; // of the value's first byte
  bool boolean = false;
  /// Number: an integer literal (no fraction, no exponent) that fits i64.
  bool isInteger = false;
  int64_t integer = 0;
  /// String: the decoded value; Number: the literal as written.
  std::string text;
  std::vector<Node> elements;  // Array
  std::vector<Member> members; // Object, in input order

  /// Object member lookup; nullptr when absent.
  const Node *find(std::string_view key) const;
};

struct Member {
  std::string key;
  size_t keyOffset = 0;
  Node value;
};

struct ParseError {
  size_t offset = 0;
  std::string message;
};

/// Maximum nesting of arrays and objects (bounds the recursion of everything
/// that walks the tree, including its destructor).
inline constexpr unsigned kMaxDepth = 256;

/// Receives the values of a JSON text as they are read, for a
/// representation other than Node (the IPE runtime's compact requests).
/// Offsets are those of the values' (or keys') first bytes; a container's
/// values come between its open and its close call. Virtual rather than a
/// template parameter: nlohmann's parser is then instantiated once, for
/// every sink, which keeps the shared runtime within its size budget.
class EventSink {
public:
  virtual ~EventSink() = default;
  virtual void null(size_t offset) = 0;
  virtual void boolean(size_t offset, bool value) = 0;
  /// `literal` is the number as written; `isInteger` when it is an integer
  /// literal (no fraction, no exponent) that fits i64, then in `integer`.
  virtual void number(size_t offset, std::string_view literal, bool isInteger,
                      int64_t integer) = 0;
  /// The decoded string; the sink may take it.
  virtual void string(size_t offset, std::string &value) = 0;
  virtual void openArray(size_t offset) = 0;
  virtual void openObject(size_t offset) = 0;
  /// The next member's name. Returns false, and leaves `name` as it is,
  /// when the open object has that member already: the parse then fails
  /// with "duplicate key".
  virtual bool key(size_t offset, std::string &name) = 0;
  /// Closes the innermost open array or object.
  virtual void close() = 0;
};

/// Parses `text` as parse(text, Node &, ...) does, handing its values to
/// `sink` as they are read. On failure the sink may hold a partial value.
bool parse(std::string_view text, EventSink &sink, ParseError &error);

/// Parses `text` (one JSON value, optionally preceded by a UTF-8 byte order
/// mark and surrounded by whitespace). On failure returns false with the
/// byte offset of the problem and a message such as "expected ',' or '}'
/// after an object member".
bool parse(std::string_view text, Node &out, ParseError &error);

std::string_view kindName(Kind kind);

} // namespace rune::json

#endif // RUNE_RUNTIME_JSON_H
