//===- CliTest.cpp - The authorize command line ---------------------------===//

#include "SampleSchema.h"
#include "TestSupport.h"

#include "AuthorizeCommand.h"

#include <cstdio>
#include <fstream>
#include <map>

namespace rune::test {
namespace {

using bc::Effect;
using bc::Var;

std::vector<uint8_t> cliModule() {
  bc::ModuleWriter w;
  // permit if principal in Group::"staff"
  bc::PolicyCode &p = w.addPolicy("staff-can-view", Effect::Permit, {});
  p.emit(Opcode::LoadVar, {0, static_cast<int64_t>(Var::Principal)});
  p.emit(Opcode::LoadConst, {1, w.constantEntity("Group", "staff")});
  p.emit(Opcode::In, {0, 0, 1});
  p.emit(Opcode::Return, {0});
  // forbid if context.risk > 5
  bc::PolicyCode &f = w.addPolicy("too-risky", Effect::Forbid, {});
  f.emit(Opcode::LoadVar, {0, static_cast<int64_t>(Var::Context)});
  f.emit(Opcode::GetAttr, {0, 0, w.internString("risk")});
  f.emit(Opcode::LoadConst, {1, w.constantLong(5)});
  f.emit(Opcode::Gt, {0, 0, 1});
  f.emit(Opcode::Return, {0});
  return finishModule(w);
}

class CliTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = ::testing::TempDir() + "rune_cli_test_" +
          ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_";
    std::vector<uint8_t> bytes = cliModule();
    write("policies.rbc",
          std::string(reinterpret_cast<const char *>(bytes.data()),
                      bytes.size()));
    write("entities.json",
          R"([{"uid": {"type": "User", "id": "alice"},
               "parents": [{"type": "Group", "id": "staff"}]},
              {"uid": {"type": "User", "id": "bob"}}])");
    write("low.json", R"({"risk": 1})");
    write("high.json", R"({"risk": 9})");
  }
  void TearDown() override {
    for (const std::string &file : written)
      std::remove(file.c_str());
  }

  std::string path(const std::string &name) { return dir + name; }
  void write(const std::string &name, const std::string &contents) {
    std::ofstream(path(name), std::ios::binary) << contents;
    written.push_back(path(name));
  }

  struct Result {
    int status;
    std::string out;
    std::string err;
  };
  Result run(std::vector<std::string> args,
             const rune_native_module *linked = nullptr,
             const cli::SourceCompiler &compile = nullptr,
             const cli::SchemaCompiler &compileSchema = nullptr) {
    std::vector<const char *> argv = {"rune-run"};
    for (const std::string &arg : args)
      argv.push_back(arg.c_str());
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    int status = cli::runAuthorize(static_cast<int>(argv.size()), argv.data(),
                                   linked, compile, compileSchema);
    std::fflush(stdout);
    std::fflush(stderr);
    Result result{status, ::testing::internal::GetCapturedStdout(),
                  ::testing::internal::GetCapturedStderr()};
    return result;
  }
  std::vector<std::string> request(const std::string &principal,
                                   const std::string &context) {
    return {"--policies", path("policies.rbc"),
            "--entities", path("entities.json"),
            "-l",         principal,
            "-a",         "Action::\"view\"",
            "-r",         "Photo::\"p\"",
            "-c",         path(context)};
  }

  std::string dir;
  std::vector<std::string> written;
};

TEST_F(CliTest, AllowAndDeny) {
  Result r = run(request("User::\"alice\"", "low.json"));
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "ALLOW\n");
  EXPECT_EQ(r.err, "");

  std::vector<std::string> args = request("User::\"alice\"", "high.json");
  args.push_back("-v");
  r = run(args);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "DENY\nreason: too-risky\n");

  args = request("User::\"bob\"", "low.json");
  args.push_back("--verbose");
  r = run(args);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "DENY\n");
}

TEST_F(CliTest, VerboseErrorsAndTiming) {
  write("empty.json", "{}");
  std::vector<std::string> args = request("User::\"alice\"", "empty.json");
  args.insert(args.end(), {"-v", "-t"});
  Result r = run(args);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out.substr(0, r.out.find("time:")),
            "ALLOW\nreason: staff-can-view\nerror: too-risky: record does "
            "not have an attribute named `risk`\n");
  EXPECT_NE(r.out.find("time: "), std::string::npos);
  EXPECT_EQ(r.out.substr(r.out.size() - 4), " us\n");
}

TEST_F(CliTest, NoEntitiesMeansEmptyStore) {
  Result r = run({"-p", path("policies.rbc"), "-l", "User::\"alice\"", "-a",
                  "Action::\"view\"", "-r", "Photo::\"p\""});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "DENY\n");
}

TEST_F(CliTest, RequestJson) {
  write("request.json", R"({
    "principal": {"type": "User", "id": "alice"},
    "action": "Action::\"view\"",
    "resource": {"__entity": {"type": "Photo", "id": "with \"quotes\""}},
    "context": {"risk": 2}
  })");
  Result r =
      run({"-p", path("policies.rbc"), "--entities", path("entities.json"),
           "--request-json", path("request.json"), "-v"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "ALLOW\nreason: staff-can-view\n");

  write("bad.json", "{\n  \"principal\": ,\n}");
  r = run({"-p", path("policies.rbc"), "--request-json", path("bad.json")});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err.substr(0, r.err.find(": error: ")),
            path("bad.json") + ":2:16");

  write("missing.json",
        R"({"principal": "User::\"a\"", "action": "A::\"a\""})");
  r = run({"-p", path("policies.rbc"), "--request-json", path("missing.json")});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "rune-run: error: " + path("missing.json") +
                       ": missing `resource`\n");

  write("float.json", R"({"principal": "User::\"a\"", "action": "A::\"a\"",
                          "resource": "R::\"r\"", "context": {"x": 1.5}})");
  r = run({"-p", path("policies.rbc"), "--request-json", path("float.json")});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "rune-run: error: " + path("float.json") +
                       ": invalid context: in context, attribute `x`: number "
                       "`1.5` is not an integer (Cedar longs are 64-bit "
                       "integers)\n");

  r = run({"-p", path("policies.rbc"), "--request-json", path("request.json"),
           "-l", "User::\"x\""});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "rune-run: error: --principal cannot be combined with "
                   "--request-json\n");
}

TEST_F(CliTest, InputErrorsAreLocated) {
  write("broken.json", "[\n  {\"uid\": {\"type\": \"User\", \"id\": 3}}\n]");
  std::vector<std::string> args = request("User::\"alice\"", "low.json");
  args[3] = path("broken.json");
  Result r = run(args);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, path("broken.json") +
                       ":2:34: error: expected a string for the entity id, "
                       "got a number\n  {\"uid\": {\"type\": \"User\", \"id\": "
                       "3}}\n                                 ^\n");

  write("ctx.json", "{\"risk\":\n  true,\n  \"x\": nope}");
  r = run(request("User::\"alice\"", "ctx.json"));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            path("ctx.json") + ":3:8: error: expected a value");
}

TEST_F(CliTest, UsageErrors) {
  Result r =
      run({"-p", path("policies.rbc"), "-a", "A::\"a\"", "-r", "R::\"r\""});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "rune-run: error: missing --principal\n");

  r = run({"--bogus"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("rune-run: error: unrecognised option '--bogus'"),
            std::string::npos)
      << r.err;

  r = run({"-l", "User::\"a\"", "-a", "A::\"a\"", "-r", "R::\"r\""});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "rune-run: error: no policies given (use --policies "
                   "FILE)\n");

  r = run({"-p", path("nope.rbc"), "-l", "User::\"a\"", "-a", "A::\"a\"", "-r",
           "R::\"r\""});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(
      r.err.rfind("rune-run: error: cannot open `" + path("nope.rbc") + "`", 0),
      0u);

  r = run({"-p", path("policies.rbc"), "-l", "alice", "-a", "A::\"a\"", "-r",
           "R::\"r\""});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "rune-run: error: principal: invalid entity uid "
                   "\"alice\": expected `::` after the entity type name\n");

  r = run({"--help"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("--request-json"), std::string::npos);
}

TEST_F(CliTest, CorruptBytecode) {
  std::vector<uint8_t> bytes = cliModule();
  bytes[bytes.size() - 1] ^= 0xFF;
  write("corrupt.rbc", std::string(reinterpret_cast<const char *>(bytes.data()),
                                   bytes.size()));
  std::vector<std::string> args = request("User::\"alice\"", "low.json");
  args[1] = path("corrupt.rbc");
  Result r = run(args);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err.rfind("rune-run: error: " + path("corrupt.rbc") +
                            ": bytecode: checksum mismatch",
                        0),
            0u)
      << r.err;
}

TEST_F(CliTest, SourceFilesGoThroughTheCompiler) {
  write("policies.cedar", "permit(principal, action, resource);");
  std::vector<std::string> args = request("User::\"bob\"", "low.json");
  args[1] = path("policies.cedar");

  Result r = run(args);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "rune-run: error: `" + path("policies.cedar") +
                       "` is not a rune bytecode file, and this program "
                       "cannot compile policy sources\n");

  std::string compiledPath;
  cli::SourceCompiler compiler = [&](const std::string &source,
                                     const cli::SourceCompileOptions &,
                                     std::vector<uint8_t> &bytecode,
                                     std::string &error) {
    compiledPath = source;
    bc::ModuleWriter w;
    addConstantPolicy(w, "policy0", Effect::Permit, true);
    return w.finish(bytecode, error);
  };
  r = run(args, nullptr, compiler);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "ALLOW\n");
  EXPECT_EQ(compiledPath, path("policies.cedar"));

  cli::SourceCompiler failing = [](const std::string &,
                                   const cli::SourceCompileOptions &,
                                   std::vector<uint8_t> &,
                                   std::string &error) {
    error = "p.cedar:1:1: error: unexpected token";
    return false;
  };
  r = run(args, nullptr, failing);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "p.cedar:1:1: error: unexpected token\n");
}

/// permit when context.ip.isLoopback() and principal in Group::"staff".
std::vector<uint8_t> loopbackModule(const bc::SchemaInfo *schema) {
  bc::ModuleWriter w;
  bc::PolicyCode &p = w.addPolicy("staff-at-home", Effect::Permit, {});
  bc::Label no = p.createLabel();
  p.emit(Opcode::LoadVar, {0, static_cast<int64_t>(Var::Context)});
  p.emit(Opcode::GetAttr, {0, 0, w.internString("ip")});
  p.emit(Opcode::CallExt,
         {0, static_cast<int64_t>(bc::ExtFn::IsLoopback), 0, 1});
  p.emit(Opcode::JumpIfFalse, {0, no.id});
  p.emit(Opcode::LoadVar, {0, static_cast<int64_t>(Var::Principal)});
  p.emit(Opcode::LoadConst, {1, w.constantEntity("Group", "staff")});
  p.emit(Opcode::In, {0, 0, 1});
  p.emit(Opcode::Return, {0});
  p.bindLabel(no);
  p.emit(Opcode::LoadConst, {0, w.constantBool(false)});
  p.emit(Opcode::Return, {0});
  if (schema)
    w.setSchema(*schema);
  return finishModule(w);
}

class CliSchemaTest : public CliTest {
protected:
  void SetUp() override {
    CliTest::SetUp();
    writeModule("loopback.rbc", loopbackModule(nullptr));
    bc::SchemaInfo schema = sampleSchema();
    writeModule("embedded.rbc", loopbackModule(&schema));
    write("typed.json",
          R"([{"uid": {"type": "User", "id": "alice"}, "attrs": {"age": 30},
               "parents": [{"type": "Group", "id": "staff"}]},
              {"uid": {"type": "Group", "id": "staff"},
               "attrs": {"name": "Staff"}}])");
    write("home.json", R"({"ip": "127.0.0.1"})");
    write("schema.cedarschema", "(read by the schema compiler)");
  }
  void writeModule(const std::string &name, const std::vector<uint8_t> &b) {
    write(name,
          std::string(reinterpret_cast<const char *>(b.data()), b.size()));
  }
  std::vector<std::string> args(const std::string &policies,
                                const std::string &action = "view",
                                const std::string &context = "home.json") {
    return {"-p", path(policies),    "--entities", path("typed.json"),
            "-l", "User::\"alice\"", "-a",         "Action::\"" + action + "\"",
            "-r", "Photo::\"p\"",    "-c",         path(context),
            "-v"};
  }
  /// A schema compiler that hands out `schema`.
  cli::SchemaCompiler compilerOf(bc::SchemaInfo schema) {
    return [this, schema](const std::string &file, bc::SchemaInfo &out,
                          std::string &) {
      compiledSchemaPath = file;
      out = schema;
      return true;
    };
  }

  std::string compiledSchemaPath;
};

TEST_F(CliSchemaTest, SchemaOnTheCommandLine) {
  std::vector<std::string> withSchema = args("loopback.rbc");
  withSchema.insert(withSchema.end(), {"--schema", path("schema.cedarschema")});
  Result r = run(withSchema, nullptr, nullptr, compilerOf(sampleSchema()));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "ALLOW\nreason: staff-at-home\n");
  EXPECT_EQ(compiledSchemaPath, path("schema.cedarschema"));

  // Without it the address is a string, which isLoopback rejects.
  r = run(args("loopback.rbc"));
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "DENY");
  EXPECT_NE(r.out.find("error: staff-at-home: "), std::string::npos);

  // The request is validated against the schema.
  std::vector<std::string> fly = args("loopback.rbc", "fly");
  fly.insert(fly.end(), {"-s", path("schema.cedarschema")});
  r = run(fly, nullptr, nullptr, compilerOf(sampleSchema()));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "rune-run: error: request's action `Action::\"fly\"` is "
                   "not declared in the schema\n");

  // So is the context, located in its file.
  write("away.json", R"({"level": 1})");
  std::vector<std::string> away = args("loopback.rbc", "view", "away.json");
  away.insert(away.end(), {"-s", path("schema.cedarschema")});
  r = run(away, nullptr, nullptr, compilerOf(sampleSchema()));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            path("away.json") +
                ":1:1: error: in context: missing required attribute `ip`");

  // And the entities.
  write("typed.json", R"([{"uid": {"type": "User", "id": "alice"}}])");
  r = run(withSchema, nullptr, nullptr, compilerOf(sampleSchema()));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            path("typed.json") + ":1:2: error: in entity `User::\"alice\"`: "
                                 "missing required attribute `age`");
}

TEST_F(CliSchemaTest, SchemaCompilerProblems) {
  std::vector<std::string> withSchema = args("loopback.rbc");
  withSchema.insert(withSchema.end(), {"--schema", path("schema.cedarschema")});
  Result r = run(withSchema);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "rune-run: error: cannot use the schema `" +
                       path("schema.cedarschema") +
                       "`: this program cannot compile schemas\n");

  cli::SchemaCompiler failing = [](const std::string &, bc::SchemaInfo &,
                                   std::string &error) {
    error = "s.cedarschema:1:1: error: unexpected token";
    return false;
  };
  r = run(withSchema, nullptr, nullptr, failing);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "s.cedarschema:1:1: error: unexpected token\n");

  bc::SchemaInfo invalid = sampleSchema();
  invalid.entityTypes[2].memberOfTypes = {"Team"};
  r = run(withSchema, nullptr, nullptr, compilerOf(invalid));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "rune-run: error: " + path("schema.cedarschema") +
                       ": invalid schema: Schema section: entity type 2: "
                       "parent type `Team` is not a declared entity type\n");
}

TEST_F(CliSchemaTest, TheModulesOwnSchemaIsUsed) {
  Result r = run(args("embedded.rbc"));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "ALLOW\nreason: staff-at-home\n");

  // --schema replaces it: here `ip` becomes a plain string.
  bc::SchemaInfo stringIp = sampleSchema();
  stringIp.types[sample::ViewContext].attributes[0].type = sample::String;
  std::vector<std::string> replaced = args("embedded.rbc");
  replaced.insert(replaced.end(), {"--schema", path("schema.cedarschema")});
  r = run(replaced, nullptr, nullptr, compilerOf(stringIp));
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "DENY");

  // Without --entities the store still holds the schema's actions.
  r = run({"-p", path("embedded.rbc"), "-l", "User::\"alice\"", "-a",
           "Action::\"edit\"", "-r", "Photo::\"p\""});
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(r.out, "DENY\n");
}

int32_t alwaysTrue(rune_eval_state *state, rune_value *regs) {
  int32_t result;
  if (rune_rt_load_const(state, &regs[0], 0) ||
      rune_rt_to_bool(state, &regs[0], &result))
    return -1;
  return result;
}

TEST_F(CliTest, LinkedNativeModule) {
  bc::ModuleWriter w;
  addConstantPolicy(w, "native", Effect::Permit, true);
  std::vector<uint8_t> bytes = finishModule(w);
  const rune_policy_fn fns[] = {alwaysTrue};
  rune_native_module native{RUNE_NATIVE_ABI_VERSION, 1, bytes.data(),
                            bytes.size(), fns};
  Result r = run(
      {"-l", "User::\"a\"", "-a", "A::\"a\"", "-r", "R::\"r\"", "-v"}, &native);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "ALLOW\nreason: native\n");

  r = run({"-p", path("policies.rbc"), "-l", "User::\"a\"", "-a", "A::\"a\"",
           "-r", "R::\"r\""},
          &native);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "rune-run: error: --policies cannot be used: this "
                   "program's policies are compiled in\n");
}

} // namespace
} // namespace rune::test
