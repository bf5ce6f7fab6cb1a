//===- Json.cpp - JSON parsed into a tree that remembers positions --------===//
//
// nlohmann-json lexes and parses; this file turns its SAX events into
// located events for an EventSink (the json::Node tree is one), and its
// error reports into located, plainly worded messages.
//
// Positions. The parser reads the text through a CountingIterator, which
// counts the bytes the lexer has taken. When an event arrives the lexer has
// just finished that event's token, so the count is the token's end, except
// after a number: the lexer only knows a number has ended once it has read
// the byte after it (its one character of lookahead), so a number's end is
// computed from the number grammar instead. A token starts at the first
// byte after the previous token's end that is neither whitespace nor the one
// separator (`,` or `:`) the grammar allows there; separators produce no
// events of their own.
//
//===----------------------------------------------------------------------===//

#include "rune/Runtime/Json.h"

#include "rune/Runtime/Utf8.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <iterator>
#include <optional>
#include <unordered_set>

namespace rune::json {

const Node *Node::find(std::string_view key) const {
  for (const Member &member : members)
    if (member.key == key)
      return &member.value;
  return nullptr;
}

std::string_view kindName(Kind kind) {
  switch (kind) {
  case Kind::Null:
    return "null";
  case Kind::Bool:
    return "a boolean";
  case Kind::Number:
    return "a number";
  case Kind::String:
    return "a string";
  case Kind::Array:
    return "an array";
  case Kind::Object:
    return "an object";
  }
  return "?";
}

namespace {

/// Walks the text for nlohmann's iterator input adapter and counts every
/// byte the lexer takes in `consumed`, which the SAX handler reads.
class CountingIterator {
public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char *;
  using reference = const char &;

  CountingIterator(const char *at, size_t *consumed)
      : at(at), consumed(consumed) {}

  reference operator*() const { return *at; }
  CountingIterator &operator++() {
    ++at;
    ++*consumed;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator old = *this;
    ++*this;
    return old;
  }
  friend bool operator==(const CountingIterator &a, const CountingIterator &b) {
    return a.at == b.at;
  }

private:
  const char *at;
  size_t *consumed;
};

bool isWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

size_t skipWhitespace(std::string_view text, size_t pos) {
  while (pos < text.size() && isWhitespace(text[pos]))
    ++pos;
  return pos;
}

/// The end of the number token at `pos`, by the JSON number grammar
/// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, which the lexer
/// also matches greedily.
size_t numberEnd(std::string_view text, size_t pos) {
  auto digits = [&] {
    while (pos < text.size() && isDigit(text[pos]))
      ++pos;
  };
  if (pos < text.size() && text[pos] == '-')
    ++pos;
  if (pos < text.size() && text[pos] == '0')
    ++pos;
  else
    digits();
  if (pos + 1 < text.size() && text[pos] == '.' && isDigit(text[pos + 1])) {
    ++pos;
    digits();
  }
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    size_t exponent = pos + 1;
    if (exponent < text.size() &&
        (text[exponent] == '+' || text[exponent] == '-'))
      ++exponent;
    if (exponent < text.size() && isDigit(text[exponent])) {
      pos = exponent;
      digits();
    }
  }
  return pos;
}

bool readHex4(std::string_view text, size_t pos, uint32_t &value) {
  if (pos > text.size() || text.size() - pos < 4)
    return false;
  value = 0;
  for (size_t i = pos; i < pos + 4; ++i) {
    char c = text[i];
    uint32_t digit;
    if (c >= '0' && c <= '9')
      digit = c - '0';
    else if (c >= 'a' && c <= 'f')
      digit = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      digit = c - 'A' + 10;
    else
      return false;
    value = value * 16 + digit;
  }
  return true;
}

/// Where the string token at `start` (its opening quote) goes wrong: a
/// control character, a byte that does not begin valid UTF-8, the backslash
/// of a bad escape, or the escape of an unpaired surrogate. nullopt when the
/// string has no such problem (it is then unterminated). nlohmann only says
/// where it noticed the problem, which for escapes and multi-byte sequences
/// is past their start.
std::optional<size_t> locateStringProblem(std::string_view text, size_t start) {
  size_t pos = start + 1;
  while (pos < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[pos]);
    if (c == '"')
      return std::nullopt;
    if (c < 0x20)
      return pos;
    if (c != '\\') {
      size_t length = utf8::sequenceLength(text, pos);
      if (length == 0)
        return pos;
      pos += length;
      continue;
    }
    size_t escape = pos;
    if (pos + 1 >= text.size())
      return std::nullopt;
    char kind = text[pos + 1];
    if (kind != 'u') {
      if (std::string_view("\"\\/bfnrt").find(kind) == std::string_view::npos)
        return escape;
      pos += 2;
      continue;
    }
    uint32_t unit;
    if (!readHex4(text, pos + 2, unit))
      return escape;
    pos += 6;
    if (unit >= 0xDC00 && unit <= 0xDFFF)
      return escape;
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      uint32_t low;
      if (text.substr(pos, 2) != "\\u" || !readHex4(text, pos + 2, low) ||
          low < 0xDC00 || low > 0xDFFF)
        return escape;
      pos += 6;
    }
  }
  return std::nullopt;
}

/// The lexer's own description inside nlohmann's message "... syntax error
/// while parsing value - invalid string: ...; last read: '...'", or empty
/// when the error is about an unexpected (well-formed) token.
std::string_view lexerMessage(std::string_view what) {
  size_t lastRead = what.find("; last read: ");
  if (lastRead == std::string_view::npos)
    return {};
  size_t dash = what.rfind(" - ", lastRead);
  if (dash == std::string_view::npos)
    return {};
  return what.substr(dash + 3, lastRead - dash - 3);
}

std::string describeStringError(std::string_view message) {
  if (message.starts_with("invalid string: control character"))
    return "control character in string (must be escaped)";
  if (message.starts_with("invalid string: ill-formed UTF-8"))
    return "invalid UTF-8 in string";
  if (message.starts_with("invalid string: missing closing quote"))
    return "unterminated string";
  if (message.starts_with("invalid string: forbidden character after "
                          "backslash"))
    return "invalid escape sequence in string";
  if (message.starts_with("invalid string: '\\u'"))
    return "invalid \\u escape (expected 4 hex digits)";
  if (message.starts_with("invalid string: surrogate"))
    return "unpaired surrogate in \\u escape";
  return std::string(message);
}

std::string describeNumberError(std::string_view message) {
  if (message.find("after '.'") != std::string_view::npos)
    return "invalid number (expected digits after `.`)";
  if (message.find("exponent") != std::string_view::npos)
    return "invalid number (expected exponent digits)";
  return "invalid number";
}

/// The SAX handler: tracks token positions, words errors and hands the
/// values to an EventSink.
class EventReader {
public:
  EventReader(std::string_view text, const size_t &consumed, EventSink &sink,
              ParseError &error)
      : text(text), consumed(consumed), sink(sink), error(error) {
    // nlohmann skips a UTF-8 byte order mark, as most JSON tools do.
    if (text.starts_with("\xEF\xBB\xBF"))
      tokenEnd = 3;
  }

  // --- nlohmann::json SAX interface -----------------------------------------

  bool null() {
    sink.null(nextToken().offset);
    endScalar(consumed);
    return true;
  }

  bool boolean(bool value) {
    sink.boolean(nextToken().offset, value);
    endScalar(consumed);
    return true;
  }

  bool number_integer(nlohmann::json::number_integer_t value) {
    return number(true, value);
  }

  bool number_unsigned(nlohmann::json::number_unsigned_t value) {
    bool fits = value <= static_cast<uint64_t>(INT64_MAX);
    return number(fits, fits ? static_cast<int64_t>(value) : 0);
  }

  bool number_float(nlohmann::json::number_float_t,
                    const nlohmann::json::string_t &) {
    return number(false, 0);
  }

  bool string(nlohmann::json::string_t &value) {
    sink.string(nextToken().offset, value);
    endScalar(consumed);
    return true;
  }

  bool binary(nlohmann::json::binary_t &) {
    return fail(nextToken().offset, "unexpected binary value");
  }

  bool start_object(size_t) { return open(false); }
  bool start_array(size_t) { return open(true); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(nlohmann::json::string_t &name) {
    size_t offset = nextToken().offset;
    if (!sink.key(offset, name))
      return fail(offset, "duplicate key `" + name + "`");
    tokenEnd = consumed;
    pendingSeparator = ':';
    return true;
  }

  bool parse_error(size_t position, const std::string &,
                   const nlohmann::json::exception &failure) {
    TokenStart at = nextToken();
    if (failure.id == 406) // a number beyond the range of a double
      return fail(at.offset,
                  "number `" +
                      std::string(text.substr(
                          at.offset, numberEnd(text, at.offset) - at.offset)) +
                      "` is out of range");
    std::string_view lexer = lexerMessage(failure.what());
    if (lexer.starts_with("invalid string")) {
      std::optional<size_t> problem = locateStringProblem(text, at.offset);
      size_t noticedAt = position > 0 ? position - 1 : 0;
      size_t offset = problem ? *problem
                      : lexer.find("missing closing quote") != lexer.npos
                          ? at.offset
                          : noticedAt;
      return fail(offset, describeStringError(lexer));
    }
    if (lexer.starts_with("invalid number"))
      return fail(at.offset, describeNumberError(lexer));
    if (lexer.starts_with("invalid BOM"))
      return fail(0, "invalid byte order mark");
    // An unexpected token, or bytes that start no token ("invalid literal"):
    // say what the grammar wanted there.
    std::string expected = expectation(at.afterSeparator);
    if (at.offset >= text.size() && expected == "expected a value")
      expected = "unexpected end of input, expected a value";
    return fail(at.offset, expected);
  }

  // ----------------------------------------------------------------------------

  /// Called after nlohmann accepted the document: it stops at a NUL byte as
  /// if the input ended there, so anything after the value is checked here.
  bool finishDocument() {
    size_t pos = skipWhitespace(text, tokenEnd);
    if (pos < text.size())
      return fail(pos, "unexpected text after the JSON value");
    return true;
  }

private:
  struct TokenStart {
    size_t offset;
    bool afterSeparator; // the expected `,` or `:` came first
  };

  TokenStart nextToken() const {
    size_t pos = skipWhitespace(text, tokenEnd);
    if (pendingSeparator && pos < text.size() && text[pos] == pendingSeparator)
      return {skipWhitespace(text, pos + 1), true};
    return {pos, false};
  }

  bool fail(size_t offset, std::string message) {
    error.offset = offset;
    error.message = std::move(message);
    return false;
  }

  void endScalar(size_t end) {
    tokenEnd = end;
    pendingSeparator = openArrays.empty() ? 0 : ',';
    rootDone = openArrays.empty();
  }

  bool number(bool isInteger, int64_t value) {
    size_t offset = nextToken().offset;
    size_t end = numberEnd(text, offset);
    sink.number(offset, text.substr(offset, end - offset), isInteger, value);
    endScalar(end);
    return true;
  }

  bool open(bool isArray) {
    if (openArrays.size() >= kMaxDepth)
      return fail(nextToken().offset, "nesting too deep (more than " +
                                          std::to_string(kMaxDepth) +
                                          " levels)");
    size_t offset = nextToken().offset;
    if (isArray)
      sink.openArray(offset);
    else
      sink.openObject(offset);
    openArrays.push_back(isArray);
    tokenEnd = consumed;
    pendingSeparator = 0;
    return true;
  }

  bool close() {
    openArrays.pop_back();
    sink.close();
    endScalar(consumed);
    return true;
  }

  /// What the grammar allows at the next token, as an error message.
  std::string expectation(bool afterSeparator) const {
    if (openArrays.empty())
      return rootDone ? "unexpected text after the JSON value"
                      : "expected a value";
    bool inArray = openArrays.back();
    if (pendingSeparator == ':')
      return afterSeparator ? "expected a value"
                            : "expected ':' after an object key";
    if (pendingSeparator == ',' && !afterSeparator)
      return inArray ? "expected ',' or ']' after an array element"
                     : "expected ',' or '}' after an object member";
    // Just after `[` / `{`, or after a `,`.
    return inArray ? "expected a value" : "expected a string as object key";
  }

  std::string_view text;
  const size_t &consumed;
  EventSink &sink;
  ParseError &error;
  /// The open containers, innermost last: true for an array.
  std::vector<bool> openArrays;
  size_t tokenEnd = 0;
  char pendingSeparator = 0; // `,` after a member or element, `:` after a key
  bool rootDone = false;
};

/// The EventSink that builds a Node tree.
class TreeBuilder final : public EventSink {
public:
  explicit TreeBuilder(Node &root) : root(root) {}

  void null(size_t offset) override { beginValue(Kind::Null, offset); }
  void boolean(size_t offset, bool value) override {
    beginValue(Kind::Bool, offset)->boolean = value;
  }
  void number(size_t offset, std::string_view literal, bool isInteger,
              int64_t integer) override {
    Node *node = beginValue(Kind::Number, offset);
    node->text = std::string(literal);
    node->isInteger = isInteger;
    node->integer = integer;
  }
  void string(size_t offset, std::string &value) override {
    beginValue(Kind::String, offset)->text = std::move(value);
  }
  void openArray(size_t offset) override {
    stack.push_back(Frame{beginValue(Kind::Array, offset), {}});
  }
  void openObject(size_t offset) override {
    stack.push_back(Frame{beginValue(Kind::Object, offset), {}});
  }
  bool key(size_t offset, std::string &name) override {
    Frame &frame = stack.back();
    if (!frame.addKey(name))
      return false;
    frame.node->members.push_back(Member{std::move(name), offset, Node()});
    return true;
  }
  void close() override { stack.pop_back(); }

private:
  /// An open array or object.
  struct Frame {
    Node *node;
    /// The keys of a large object; small objects are scanned instead.
    std::unordered_set<std::string> keys;

    /// False when `key` is already a member.
    bool addKey(const std::string &key) {
      constexpr size_t kScanLimit = 16;
      const std::vector<Member> &members = node->members;
      if (members.size() < kScanLimit) {
        for (const Member &member : members)
          if (member.key == key)
            return false;
        return true;
      }
      if (keys.empty())
        for (const Member &member : members)
          keys.insert(member.key);
      return keys.insert(key).second;
    }
  };

  /// The node the next value fills: the root, a new array element or the
  /// value of the object member whose key came last.
  Node *beginValue(Kind kind, size_t offset) {
    Node *node;
    if (stack.empty())
      node = &root;
    else if (stack.back().node->kind == Kind::Array)
      node = &stack.back().node->elements.emplace_back();
    else
      node = &stack.back().node->members.back().value;
    node->kind = kind;
    node->offset = offset;
    return node;
  }

  Node &root;
  std::vector<Frame> stack;
};

} // namespace

bool parse(std::string_view text, EventSink &sink, ParseError &error) {
  size_t consumed = 0;
  EventReader reader(text, consumed, sink, error);
  CountingIterator first(text.data(), &consumed);
  CountingIterator last(text.data() + text.size(), &consumed);
  return nlohmann::json::sax_parse(first, last, &reader) &&
         reader.finishDocument();
}

bool parse(std::string_view text, Node &out, ParseError &error) {
  out = Node();
  TreeBuilder builder(out);
  return parse(text, builder, error);
}

} // namespace rune::json
