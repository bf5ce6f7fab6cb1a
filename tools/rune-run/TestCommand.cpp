//===- TestCommand.cpp - rune-run test: Cedar integration tests -----------===//
//
// Runs tests in the Cedar integration-test format through the bytecode
// interpreter and/or native code, and checks each request's decision,
// reasons and errors (as sets) and the test's `shouldValidate`. Prints each
// failure with what differed and ends with the line `N passed, M failed`
// (requests; a request passes when every backend agrees with the test).
//
//===----------------------------------------------------------------------===//

#include "TestCommand.h"
#include "IntegrationTest.h"

#include <fmt/format.h>

#include <iostream>

namespace rune::cli {
namespace {

std::string joinSet(const std::set<std::string> &items) {
  std::string text = "{";
  for (const std::string &item : items)
    text += (text.size() > 1 ? ", " : "") + item;
  return text + "}";
}

class TestRunner {
public:
  TestRunner(TestLoader &loader, bool verbose)
      : loader(loader), verbose(verbose) {}

  void run(const std::filesystem::path &file, const std::filesystem::path &root);

  int finish() {
    if (validationChecked != 0)
      std::cout << fmt::format("shouldValidate: {} agree, {} disagree\n",
                               validationChecked - validationDisagreements,
                               validationDisagreements);
    std::cout << fmt::format("{} passed, {} failed\n", passed, failed);
    return failed == 0 && validationDisagreements == 0 ? 0 : 1;
  }

private:
  void report(const std::string &line) { std::cout << line << "\n"; }
  bool checkRequest(const TestLoader::Prepared &prepared,
                    const ExpectedRequest &expected, const std::string &label);

  TestLoader &loader;
  bool verbose;
  unsigned passed = 0, failed = 0;
  unsigned validationChecked = 0, validationDisagreements = 0;
};

bool TestRunner::checkRequest(const TestLoader::Prepared &prepared,
                              const ExpectedRequest &expected,
                              const std::string &label) {
  bool ok = true;
  for (const auto &[backend, module] : prepared.modules) {
    std::string error;
    OwnedRequest request;
    Outcome outcome;
    if (!loader.buildRequest(module.get(), expected, request, error) ||
        !loader.decide(module.get(), prepared.entities, request.get(), outcome,
                       error)) {
      report(fmt::format("FAIL {} [{}]: {}", label, backendName(backend),
                         error));
      ok = false;
      continue;
    }
    std::vector<std::string> differences;
    if (outcome.allow != expected.allow)
      differences.push_back(fmt::format(
          "decision: expected {}, got {}", expected.allow ? "allow" : "deny",
          outcome.allow ? "allow" : "deny"));
    if (outcome.reasons != expected.reasons)
      differences.push_back(fmt::format("reasons: expected {}, got {}",
                                        joinSet(expected.reasons),
                                        joinSet(outcome.reasons)));
    if (outcome.errors != expected.errors)
      differences.push_back(fmt::format("errors: expected {}, got {}",
                                        joinSet(expected.errors),
                                        joinSet(outcome.errors)));
    if (differences.empty())
      continue;
    ok = false;
    std::string line = fmt::format("FAIL {} [{}]:", label, backendName(backend));
    for (const std::string &difference : differences)
      line += "\n    " + difference;
    for (const std::string &message : outcome.errorMessages)
      line += "\n    error " + message;
    report(line);
  }
  return ok;
}

void TestRunner::run(const std::filesystem::path &file,
                     const std::filesystem::path &root) {
  IntegrationTest test;
  std::string error;
  if (!readIntegrationTest(file, root, test, error)) {
    report(fmt::format("FAIL {}: {}", file.string(), error));
    ++failed;
    return;
  }
  TestLoader::Prepared prepared;
  if (!loader.prepare(test, prepared, error)) {
    report(fmt::format("FAIL {}: {}", file.string(), error));
    failed += std::max<size_t>(test.requests.size(), 1);
    return;
  }
  if (test.shouldValidate && prepared.validates) {
    ++validationChecked;
    if (*test.shouldValidate != *prepared.validates) {
      ++validationDisagreements;
      report(fmt::format("FAIL {}: shouldValidate: expected {}, got {}",
                         file.string(), *test.shouldValidate,
                         *prepared.validates));
    }
  }
  for (size_t index = 0; index < test.requests.size(); ++index) {
    const ExpectedRequest &expected = test.requests[index];
    std::string label = fmt::format("{} request {} ({})", file.string(), index,
                                    expected.description);
    if (checkRequest(prepared, expected, label)) {
      ++passed;
      if (verbose)
        report("PASS " + label);
    } else {
      ++failed;
    }
  }
}

} // namespace

int runTest(int argc, const char *const *argv) {
  boost::program_options::options_description extra;
  extra.add_options()("verbose,v", "also list the requests that pass");
  SuiteCommandLine commandLine;
  if (std::optional<int> exitCode = parseSuiteCommandLine(
          argc, argv,
          "Usage: rune-run test [options] <test.json | directory>...\n\n"
          "Runs Cedar integration tests: the decision, reasons and errors of "
          "each\nrequest and the test's shouldValidate. Ends with the line\n"
          "'N passed, M failed' (requests).\n\nOptions",
          extra, commandLine))
    return *exitCode;
  TestLoader loader(commandLine.backends);
  std::string error;
  if (!loader.initialize(error)) {
    std::cerr << "rune-run: error: " << error << "\n";
    return 1;
  }
  TestRunner runner(loader, commandLine.options.count("verbose") != 0);
  for (const std::filesystem::path &file : collectTestFiles(commandLine.inputs))
    runner.run(file, commandLine.root);
  return runner.finish();
}

} // namespace rune::cli
