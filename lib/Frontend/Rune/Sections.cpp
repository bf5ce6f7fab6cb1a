//===- Sections.cpp - Version line and section headers of .rune -----------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// A section header is a line starting (in column 1) with `[name]`, possibly
// followed by blanks and a `#` comment. Only lines of that shape are
// headers: a Cedar set literal that happens to start a line inside
// [policies] is indented or holds more than a bare name. Inside [data],
// TOML table headers (`[data.agent]`, `[[data.items]]`) belong to the data;
// anywhere else they are errors, as are unknown section names.
//
//===----------------------------------------------------------------------===//

#include "Sections.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"

using namespace rune;
using namespace rune::runefile;
using namespace rune::runefile::detail;

namespace {

llvm::SMLoc locOf(const char *p) { return llvm::SMLoc::getFromPointer(p); }

bool isNameChar(char c) {
  return llvm::isAlnum(c) || c == '_' || c == '-' || c == '.';
}

/// A header line: `[name]` or `[[name]]` in column 1.
struct Header {
  llvm::StringRef name; ///< without brackets
  llvm::StringRef text; ///< `[name]` as written
  bool arrayOfTables = false;
};

/// Recognizes a header at the start of `line` (without its line break).
std::optional<Header> parseHeader(llvm::StringRef line) {
  if (!line.starts_with("["))
    return std::nullopt;
  Header header;
  llvm::StringRef rest = line;
  header.arrayOfTables = rest.starts_with("[[");
  size_t open = header.arrayOfTables ? 2 : 1;
  rest = rest.drop_front(open);
  llvm::StringRef inner = rest.ltrim(" \t");
  size_t nameLength = 0;
  while (nameLength < inner.size() && isNameChar(inner[nameLength]))
    ++nameLength;
  if (nameLength == 0)
    return std::nullopt;
  header.name = inner.take_front(nameLength);
  rest = inner.drop_front(nameLength).ltrim(" \t");
  llvm::StringRef close = header.arrayOfTables ? "]]" : "]";
  if (!rest.consume_front(close))
    return std::nullopt;
  rest = rest.ltrim(" \t\r");
  if (!rest.empty() && !rest.starts_with("#"))
    return std::nullopt;
  header.text = line.take_front(line.size() - rest.size()).rtrim(" \t\r");
  return header;
}

/// Where the value of `version = "..."` is, if `line` has that shape.
struct VersionLine {
  llvm::StringRef value;   ///< without quotes
  llvm::StringRef literal; ///< with quotes
};

std::optional<VersionLine> parseVersionLine(llvm::StringRef line) {
  llvm::StringRef rest = line.ltrim(" \t");
  if (!rest.consume_front("version"))
    return std::nullopt;
  rest = rest.ltrim(" \t");
  if (!rest.consume_front("="))
    return std::nullopt;
  rest = rest.ltrim(" \t");
  if (!rest.starts_with("\""))
    return std::nullopt;
  size_t close = rest.find('"', 1);
  if (close == llvm::StringRef::npos)
    return std::nullopt;
  VersionLine version;
  version.literal = rest.take_front(close + 1);
  version.value = rest.slice(1, close);
  rest = rest.drop_front(close + 1).ltrim(" \t\r");
  if (!rest.empty() && !rest.starts_with("#"))
    return std::nullopt;
  return version;
}

class SectionSplitter {
public:
  SectionSplitter(llvm::StringRef text, RuneFile &file, DiagnosticEngine &diags)
      : text(text), file(file), diags(diags) {}

  bool run() {
    unsigned before = diags.errorCount();
    llvm::StringRef rest = text;
    bool first = true;
    while (!rest.empty() || first) {
      size_t lineEnd = rest.find('\n');
      llvm::StringRef line = rest.take_front(lineEnd);
      llvm::StringRef afterLine = lineEnd == llvm::StringRef::npos
                                      ? rest.drop_front(rest.size())
                                      : rest.drop_front(lineEnd + 1);
      if (first)
        checkVersionLine(line);
      else
        handleLine(line, afterLine.data());
      first = false;
      rest = afterLine;
    }
    closeSection(text.end());
    return diags.errorCount() == before;
  }

private:
  /// Skipping: after a bad header, until the next good one, so that the
  /// lines under it do not produce follow-on errors in another section.
  enum class Current { Preamble, Data, Rules, Policies, Skipping };

  void checkVersionLine(llvm::StringRef line) {
    std::optional<VersionLine> version = parseVersionLine(line);
    std::string expected =
        std::string("version = \"") + SupportedVersion + "\"";
    if (!version) {
      diags.error(locOf(line.data()), "expected the version line '" + expected +
                                          "' at the start of the file");
      // What follows is not checked against a version it does not have.
      reportedPreamble = true;
      return;
    }
    if (version->value != SupportedVersion) {
      llvm::SMRange range(locOf(version->literal.begin()),
                          locOf(version->literal.end()));
      diags.error(range.Start,
                  "unsupported version \"" + version->value +
                      "\"; the supported version is \"" + SupportedVersion +
                      "\"",
                  {range});
    }
  }

  void handleLine(llvm::StringRef line, const char *nextLine) {
    std::optional<Header> header = parseHeader(line);
    if (!header) {
      if (current == Current::Preamble) {
        llvm::StringRef content = line.ltrim(" \t\r");
        if (!content.empty() && !content.starts_with("#") &&
            !reportedPreamble) {
          reportedPreamble = true;
          diags.error(locOf(content.data()),
                      "expected a section header ([data], [rules] or "
                      "[policies]) after the version line");
        }
      }
      return;
    }
    llvm::SMRange range(locOf(header->text.begin()), locOf(header->text.end()));
    if (!header->arrayOfTables) {
      std::optional<Section> *slot = nullptr;
      Current kind = Current::Preamble;
      if (header->name == "data") {
        slot = &file.dataSection;
        kind = Current::Data;
      } else if (header->name == "rules") {
        slot = &file.rulesSection;
        kind = Current::Rules;
      } else if (header->name == "policies") {
        slot = &file.policiesSection;
        kind = Current::Policies;
      }
      if (slot) {
        closeSection(line.data());
        if (*slot) {
          diags.error(range.Start,
                      "duplicate section " + header->text.str() +
                          "; each section may appear only once",
                      {range});
          diags.note((*slot)->header.Start, "first defined here");
          current = Current::Skipping;
          return;
        }
        Section section;
        section.header = range;
        section.body = {locOf(nextLine), locOf(nextLine)};
        *slot = section;
        open = &**slot;
        current = kind;
        return;
      }
    }
    if (header->name.starts_with("data.")) {
      if (current == Current::Data)
        return; // a TOML table of the data
      diags.error(range.Start,
                  "table header " + header->text.str() +
                      " outside the [data] section",
                  {range});
    } else {
      diags.error(range.Start,
                  "unknown section " + header->text.str() +
                      "; expected [data], [rules] or [policies]",
                  {range});
    }
    closeSection(line.data());
    current = Current::Skipping;
  }

  void closeSection(const char *end) {
    if (open)
      open->body.End = locOf(end);
    open = nullptr;
  }

  llvm::StringRef text;
  RuneFile &file;
  DiagnosticEngine &diags;
  Current current = Current::Preamble;
  Section *open = nullptr;
  bool reportedPreamble = false;
};

} // namespace

bool rune::runefile::detail::splitSections(llvm::StringRef text, RuneFile &file,
                                           DiagnosticEngine &diags) {
  return SectionSplitter(text, file, diags).run();
}

std::string rune::runefile::detail::blankOutside(llvm::StringRef text,
                                                 llvm::SMRange keep) {
  std::string copy = text.str();
  size_t begin = keep.Start.getPointer() - text.data();
  size_t end = keep.End.getPointer() - text.data();
  for (size_t i = 0; i < copy.size(); ++i)
    if ((i < begin || i >= end) && copy[i] != '\n' && copy[i] != '\r')
      copy[i] = ' ';
  return copy;
}
