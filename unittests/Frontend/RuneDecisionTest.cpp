//===- RuneDecisionTest.cpp - The combined decision of .rune modules ------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Compiles .rune sources through the whole pipeline to bytecode, then
// decides through the C API (rune_decider_*), checking the static /
// per-request split of the rules and that decisions do not leak into each
// other.
//
//===----------------------------------------------------------------------===//

#include "rune/Driver/Compiler.h"
#include "rune/rune.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <string>
#include <vector>

namespace {

class RuneDecisionTest : public ::testing::Test {
protected:
  void TearDown() override {
    if (decider)
      rune_decider_free(decider);
    if (entities)
      rune_entities_free(entities);
    if (module)
      rune_module_free(module);
    if (engine)
      rune_engine_free(engine);
    if (!path.empty())
      llvm::sys::fs::remove(path);
  }

  /// Compiles `source` (a .rune file) and prepares a decider over
  /// `entitiesJson`.
  void load(const std::string &source, const std::string &entitiesJson = "[]") {
    llvm::SmallString<128> file;
    ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("decision", "rune", file));
    path = std::string(file);
    {
      std::error_code error;
      llvm::raw_fd_ostream out(path, error);
      ASSERT_FALSE(error);
      out << source;
    }
    std::string diagnostics;
    llvm::raw_string_ostream diagnosticStream(diagnostics);
    rune::Compiler compiler(diagnosticStream);
    mlir::OwningOpRef<mlir::ModuleOp> compiled = compiler.loadSource(path);
    ASSERT_TRUE(compiled) << diagnostics;
    ASSERT_TRUE(mlir::succeeded(compiler.optimize(*compiled))) << diagnostics;
    std::vector<uint8_t> bytecode;
    ASSERT_TRUE(mlir::succeeded(compiler.emitBytecode(*compiled, bytecode)));

    engine = rune_engine_create();
    char *error = nullptr;
    ASSERT_EQ(rune_module_load(engine, bytecode.data(), bytecode.size(),
                               &module, &error),
              RUNE_OK)
        << error;
    ASSERT_EQ(rune_entities_parse_json(engine, entitiesJson.data(),
                                       entitiesJson.size(), "entities",
                                       &entities, &error),
              RUNE_OK)
        << error;
    ASSERT_EQ(rune_decider_create(module, entities, &decider, &error), RUNE_OK)
        << error;
  }

  /// The decision and its reasons, e.g. "ALLOW allow_x".
  std::string decide(const char *principal, const char *action,
                     const char *resource, const char *context = nullptr) {
    rune_request *request = nullptr;
    char *error = nullptr;
    if (rune_request_create(engine, principal, action, resource, context,
                            &request, &error) != RUNE_OK) {
      std::string message = error;
      rune_string_free(error);
      return "error: " + message;
    }
    rune_response *response = nullptr;
    std::string result;
    if (rune_decide(decider, request, &response, &error) != RUNE_OK) {
      result = std::string("error: ") + error;
      rune_string_free(error);
    } else {
      result =
          rune_response_decision(response) == RUNE_ALLOW ? "ALLOW" : "DENY";
      for (size_t i = 0; i < rune_response_reason_count(response); ++i)
        result += std::string(" ") + rune_response_reason(response, i);
      rune_response_free(response);
    }
    rune_request_free(request);
    return result;
  }

  std::string path;
  rune_engine *engine = nullptr;
  rune_module *module = nullptr;
  rune_entities *entities = nullptr;
  rune_decider *decider = nullptr;
};

TEST_F(RuneDecisionTest, OnlyStrataReadingTheRequestRunPerDecision) {
  load("version = \"rune/1.0\"\n"
       "[rules]\n"
       "edge(a, b). edge(b, c). edge(c, d).\n"
       "path(X, Y) :- edge(X, Y).\n"
       "path(X, Z) :- path(X, Y), edge(Y, Z).\n"
       "allow_reach(Y) :- context(\"from\", X), path(X, Y), Y = \"d\".\n");
  size_t strata = rune_decider_strata_count(decider);
  size_t perRequest = rune_decider_request_strata_count(decider);
  // edge and path are static; only allow_reach reads the request.
  EXPECT_GE(strata, 3u);
  EXPECT_EQ(perRequest, 1u);
  EXPECT_EQ(decide("User::\"u\"", "Action::\"go\"", "Place::\"p\"",
                   "{\"from\": \"a\"}"),
            "ALLOW allow_reach");
  EXPECT_EQ(decide("User::\"u\"", "Action::\"go\"", "Place::\"p\"",
                   "{\"from\": \"d\"}"),
            "DENY");
}

TEST_F(RuneDecisionTest, DecisionsDoNotLeakIntoEachOther) {
  // A negation over a request relation: what one request derives must not
  // survive into the next.
  load("version = \"rune/1.0\"\n"
       "[data]\n"
       "admins = ['User::\"root\"']\n"
       "[rules]\n"
       "allow_admin(P) :- principal(P), admins(P).\n"
       "deny_other(P) :- principal(P), not admins(P).\n");
  EXPECT_EQ(decide("User::\"root\"", "Action::\"a\"", "R::\"r\""),
            "ALLOW allow_admin");
  EXPECT_EQ(decide("User::\"eve\"", "Action::\"a\"", "R::\"r\""),
            "DENY deny_other");
  EXPECT_EQ(decide("User::\"root\"", "Action::\"a\"", "R::\"r\""),
            "ALLOW allow_admin");
}

TEST_F(RuneDecisionTest, ForbidsWinOverPermitsFromEitherSide) {
  load("version = \"rune/1.0\"\n"
       "[rules]\n"
       "allow_all :- principal(_).\n"
       "deny_guest :- principal(\"User::\\\"guest\\\"\").\n"
       "[policies]\n"
       "@id(\"no-delete\")\n"
       "forbid(principal, action == Action::\"delete\", resource);\n"
       "@id(\"admins\")\n"
       "permit(principal == User::\"admin\", action, resource);\n");
  EXPECT_EQ(decide("User::\"bob\"", "Action::\"read\"", "R::\"r\""),
            "ALLOW allow_all");
  EXPECT_EQ(decide("User::\"admin\"", "Action::\"read\"", "R::\"r\""),
            "ALLOW admins allow_all");
  EXPECT_EQ(decide("User::\"guest\"", "Action::\"read\"", "R::\"r\""),
            "DENY deny_guest");
  EXPECT_EQ(decide("User::\"admin\"", "Action::\"delete\"", "R::\"r\""),
            "DENY no-delete");
}

TEST_F(RuneDecisionTest, ModulesWithoutRulesDecideAsCedar) {
  load("version = \"rune/1.0\"\n"
       "[policies]\n"
       "@id(\"p\")\n"
       "permit(principal == User::\"a\", action, resource);\n");
  EXPECT_EQ(rune_decider_strata_count(decider), 0u);
  EXPECT_EQ(decide("User::\"a\"", "Action::\"x\"", "R::\"r\""), "ALLOW p");
  EXPECT_EQ(decide("User::\"b\"", "Action::\"x\"", "R::\"r\""), "DENY");
}

} // namespace
