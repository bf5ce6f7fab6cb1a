//===- IpeFastPathTest.cpp - The IPE fast-path parser against ANTLR's -----===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// lib/Frontend/Ipe/RecursiveDescent.h parses the files without errors for
// speed; the parser generated from grammar/Ipe.g4 (with the ASTBuilder)
// stays the definition. For hand-written files, the repository's .ipe files
// and thousands of token-level mutations of them, both must accept the same
// files with the same AST, every source range included, and the fast path
// must reject every file the generated parser reports an error in.
//
//===----------------------------------------------------------------------===//

#include "Lexer.h"
#include "RecursiveDescent.h"

#include "rune/Frontend/Ipe/AST.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

using namespace rune;
using namespace rune::ipe;

namespace {

/// Every field of the AST, source ranges as offsets into the text.
class Dumper {
public:
  explicit Dumper(llvm::StringRef text) : base(text.data()) {}

  std::string dump(const PolicyFile &file) {
    for (const Policy &policy : file.policies) {
      os << "policy " << policy.isPredicate << " " << policy.name
         << range(policy.nameRange) << " intent " << policy.intent
         << range(policy.intentRange) << range(policy.range) << "\n  trigger ";
      expr(*policy.trigger);
      const Requirement &req = policy.requirement;
      os << "\n  requirement " << int(req.kind) << range(req.range);
      if (req.condition) {
        os << " condition ";
        expr(*req.condition);
      }
      if (req.where) {
        os << " where" << range(req.whereRange) << " ";
        expr(*req.where);
      }
      if (req.reason)
        os << " reason " << *req.reason << range(req.reasonRange);
      for (const MetadataEntry &entry : policy.metadata) {
        os << "\n  metadata " << entry.key << range(entry.keyRange) << " ";
        value(entry.value);
      }
      os << "\n";
    }
    for (const EnumDecl &decl : file.enums) {
      os << "enum " << decl.name << range(decl.nameRange) << range(decl.range);
      for (const EnumMember &member : decl.members)
        os << " " << member.name << range(member.range);
      os << "\n";
    }
    return out;
  }

private:
  std::string range(llvm::SMRange r) {
    if (!r.isValid())
      return "@-";
    return "@" + std::to_string(r.Start.getPointer() - base) + ":" +
           std::to_string(r.End.getPointer() - base);
  }

  void expr(const Expr &e) {
    os << "(" << int(e.kind) << range(e.range);
    if (e.kind == Expr::Kind::Compare)
      os << " op " << int(e.op) << range(e.opRange);
    for (const std::string &component : e.path)
      os << " ." << component;
    if (e.kind == Expr::Kind::Literal) {
      os << " ";
      value(e.literal);
    }
    for (const Value &member : e.members) {
      os << " member ";
      value(member);
    }
    for (const ExprPtr &operand : e.operands) {
      os << " ";
      expr(*operand);
    }
    os << ")";
  }

  void value(const Value &v) {
    os << "[" << int(v.kind) << range(v.range) << " " << v.bareIdentifier;
    switch (v.kind) {
    case Value::Kind::String:
      os << " \"" << v.string << "\"";
      break;
    case Value::Kind::Int:
      os << " " << v.intValue;
      break;
    case Value::Kind::Float: {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%a", v.floatValue);
      os << " " << buffer;
      break;
    }
    case Value::Kind::Bool:
      os << " " << v.boolValue;
      break;
    case Value::Kind::List:
      for (const Value &element : v.elements) {
        os << " ";
        value(element);
      }
      break;
    }
    os << "]";
  }

  const char *base;
  std::string out;
  llvm::raw_string_ostream os{out};
};

/// Parses `text` both ways; returns whether the generated parser accepted
/// it (and checks that the fast path agrees).
bool expectSameParse(const std::string &text) {
  llvm::SourceMgr sourceMgr;
  std::string diagnostics;
  llvm::raw_string_ostream diagnosticStream(diagnostics);
  DiagnosticEngine diags(sourceMgr, diagnosticStream);
  unsigned id = sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBuffer(text, "input.ipe",
                                       /*RequiresNullTerminator=*/false),
      llvm::SMLoc());
  llvm::StringRef buffer = sourceMgr.getMemoryBuffer(id)->getBuffer();
  frontend::SourceLocator locator(buffer);
  std::optional<PolicyFile> generated =
      detail::parseWithGeneratedParser(buffer, locator, diags);
  std::optional<PolicyFile> fast = detail::parseWithoutDiagnostics(buffer);
  EXPECT_EQ(fast.has_value(), generated.has_value())
      << "input:\n"
      << text << "\ngenerated parser says:\n"
      << diagnostics;
  if (fast && generated)
    EXPECT_EQ(Dumper(buffer).dump(*fast), Dumper(buffer).dump(*generated))
        << "input:\n"
        << text;
  return generated.has_value();
}

constexpr const char *Corpus = R"(enum Tier { bronze, silver, gold }
enum One { only }
# a comment
policy RequireApproval:
  "Production deployments need 2+ approvals \"quoted\" \\ \n\t\r"
  triggers when resource.type == "Deployment"
    and environment in ["production", staging, 3, -4, 1.5, -0.25, true]
    and not not (risk >= high or f(x, -1) or g())
  requires approvals.count >= 2
    where approver.role == "senior-engineer" and approver.team != requester.team
  metadata
    severity: critical
    tags: [database, "sox", 4.5, true, [nested, []], -7]
    owner: "platform"
predicate Guard: "g" triggers when a.b.c denies with reason "no \"way\""
policy D: "d" triggers when true denies
policy Agg: "a" triggers when x < 9223372036854775807 and y > -9223372036854775808
  requires approvals.count(approver.role == "sre") >= 1 and checks.all
    and tickets.any(ticket.state in [open]) and (1 == 1.0) metadata n: 1
)";

TEST(IpeFastPath, HandWrittenCorpus) {
  EXPECT_TRUE(expectSameParse(Corpus));
  EXPECT_TRUE(expectSameParse(""));
  EXPECT_TRUE(expectSameParse("  # nothing\n// at all\n"));
}

TEST(IpeFastPath, ErrorsTheBuilderReports) {
  const char *head = "policy P: \"i\" triggers when ";
  for (const char *trigger :
       {"a < b < c", "a == b != c", "\"bad \\q escape\"",
        "x == 9223372036854775808", "x == -9223372036854775809",
        "x == 99999999999999999999", "a.", "a in []", "(a", "a b", "f(,)",
        "not", "policy", "a in [x,]", "\"unterminated", "a @ b"})
    EXPECT_FALSE(expectSameParse(head + std::string(trigger) + " denies"))
        << trigger;
  EXPECT_FALSE(expectSameParse("policy P: \"i\" triggers when a denies with "
                               "reason \"\\x\""));
  EXPECT_FALSE(expectSameParse("policy P: \"i\" triggers when a requires b "
                               "metadata"));
  EXPECT_FALSE(expectSameParse("enum E { }"));
  EXPECT_FALSE(expectSameParse("enum E { a, }"));
  EXPECT_FALSE(expectSameParse("policy P: \"i\" triggers when a denies x"));
}

TEST(IpeFastPath, NestingLimit) {
  auto nested = [](unsigned depth, bool nots) {
    std::string expr;
    for (unsigned i = 0; i < depth; ++i)
      expr += nots ? "not " : "(";
    expr += "a";
    if (!nots)
      expr += std::string(depth, ')');
    return "policy P: \"i\" triggers when " + expr + " denies";
  };
  for (unsigned depth : {199u, 200u, 201u, 300u}) {
    expectSameParse(nested(depth, false));
    expectSameParse(nested(depth, true));
  }
  EXPECT_TRUE(expectSameParse(nested(200, false)));
  EXPECT_FALSE(expectSameParse(nested(201, false)));
}

/// The tokens of `text` as strings, white space and comments dropped.
std::vector<std::string> tokensOf(const std::string &text) {
  std::vector<std::string> tokens;
  for (size_t pos = 0; pos < text.size();) {
    auto [type, length] = detail::scanToken(text, pos);
    if (type != detail::kSkippedToken)
      tokens.push_back(text.substr(pos, length));
    pos += length;
  }
  return tokens;
}

std::string join(const std::vector<std::string> &tokens, std::mt19937 &random) {
  std::string text;
  for (const std::string &token : tokens)
    text += token + (random() % 5 == 0 ? "\n" : " ");
  return text;
}

/// Deletes, duplicates, swaps or replaces a few tokens of valid files, so
/// that most inputs are almost valid: errors in every rule, and valid
/// files the corpus does not hold. Returns how many the parsers accepted.
unsigned mutate(const std::string &source, unsigned rounds, unsigned seed) {
  std::vector<std::string> original = tokensOf(source);
  const char *replacements[] = {
      "(",     ")",        "[",     "]",    ",",      ".",      "not",
      "and",   "or",       "in",    "==",   "<",      "-",      "1",
      "2.5",   "x",        "\"s\"", "true", "policy", "denies", "requires",
      "where", "metadata", ":",     "{",    "}",      "enum"};
  std::mt19937 random(seed);
  unsigned accepted = 0;
  for (unsigned round = 0; round < rounds; ++round) {
    std::vector<std::string> tokens = original;
    unsigned edits = 1 + random() % 3;
    for (unsigned e = 0; e < edits && !tokens.empty(); ++e) {
      size_t at = random() % tokens.size();
      switch (random() % 4) {
      case 0:
        tokens.erase(tokens.begin() + at);
        break;
      case 1:
        tokens.insert(tokens.begin() + at, tokens[at]);
        break;
      case 2:
        std::swap(tokens[at], tokens[random() % tokens.size()]);
        break;
      default:
        tokens[at] = replacements[random() % std::size(replacements)];
      }
    }
    accepted += expectSameParse(join(tokens, random));
    if (::testing::Test::HasFailure())
      break;
  }
  return accepted;
}

TEST(IpeFastPath, MutatedCorpus) {
  // Mutations keep some files valid: the comparison saw ASTs, not only
  // rejections.
  EXPECT_GT(mutate(Corpus, 3000, 20261121), 30u);
}

TEST(IpeFastPath, RepositoryFiles) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files = {fs::path(RUNE_SOURCE_DIR) / "examples" /
                                 "deployments.ipe"};
  for (const fs::directory_entry &entry :
       fs::directory_iterator(fs::path(RUNE_SOURCE_DIR) / "test" / "Ipe"))
    if (entry.path().extension() == ".ipe")
      files.push_back(entry.path());
  ASSERT_GT(files.size(), 5u);
  unsigned seed = 1;
  for (const fs::path &path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream contents;
    contents << in.rdbuf();
    SCOPED_TRACE(path.string());
    expectSameParse(contents.str());
    if (!tokensOf(contents.str()).empty())
      mutate(contents.str(), 200, seed++);
    if (HasFailure())
      return;
  }
}

} // namespace
