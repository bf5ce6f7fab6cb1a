//===- BenchCommand.cpp - rune-run bench: decision latency ----------------===//
//
// Everything is loaded before timing starts: policy sets compiled (bytecode
// and native), entities and requests read with the schema. What is timed is
// one rune_authorize call and the release of its response, i.e. what an
// application embedding the runtime pays per decision.
//
// Latency is taken call by call (steady_clock, whose own cost of some tens
// of nanoseconds is included); throughput is taken over whole passes with
// no clock reads inside, so it is not.
//
//===----------------------------------------------------------------------===//

#include "BenchCommand.h"
#include "IntegrationTest.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <iostream>

using Clock = std::chrono::steady_clock;

namespace rune::cli {
namespace {

struct Decision {
  const rune_module *module;
  const rune_entities *entities;
  OwnedRequest request;
};

struct Figures {
  size_t decisions = 0;
  double medianNs = 0, p99Ns = 0, meanNs = 0, perSecond = 0;
};

bool authorizeOnce(const Decision &decision) {
  rune_response *response = nullptr;
  if (rune_authorize(decision.module, decision.entities,
                     decision.request.get(), &response,
                     nullptr) != RUNE_OK)
    return false;
  rune_response_free(response);
  return true;
}

Figures measure(const std::vector<Decision> &decisions, unsigned iterations) {
  // Warm caches and branch predictors first.
  for (unsigned i = 0; i < std::min(iterations, 20u); ++i)
    for (const Decision &decision : decisions)
      authorizeOnce(decision);

  std::vector<double> samples;
  samples.reserve(decisions.size() * iterations);
  for (unsigned i = 0; i < iterations; ++i)
    for (const Decision &decision : decisions) {
      Clock::time_point start = Clock::now();
      authorizeOnce(decision);
      samples.push_back(
          std::chrono::duration<double, std::nano>(Clock::now() - start)
              .count());
    }

  Clock::time_point start = Clock::now();
  for (unsigned i = 0; i < iterations; ++i)
    for (const Decision &decision : decisions)
      authorizeOnce(decision);
  double seconds =
      std::chrono::duration<double>(Clock::now() - start).count();

  Figures figures;
  figures.decisions = samples.size();
  std::sort(samples.begin(), samples.end());
  figures.medianNs = samples[samples.size() / 2];
  figures.p99Ns = samples[std::min(samples.size() - 1,
                                   samples.size() * 99 / 100)];
  double total = 0;
  for (double sample : samples)
    total += sample;
  figures.meanNs = total / samples.size();
  figures.perSecond = figures.decisions / seconds;
  return figures;
}

} // namespace

int runBench(int argc, const char *const *argv) {
  std::string format = "text";
  unsigned iterations = 1000;
  boost::program_options::options_description extra;
  extra.add_options()(
      "iterations,n", boost::program_options::value(&iterations),
      "passes over all requests (default: 1000)")(
      "format", boost::program_options::value(&format),
      "text (default) or json");
  SuiteCommandLine commandLine;
  if (std::optional<int> exitCode = parseSuiteCommandLine(
          argc, argv,
          "Usage: rune-run bench [options] <test.json | directory>...\n\n"
          "Measures per-decision latency and throughput on the requests of "
          "Cedar\nintegration tests, everything loaded once beforehand.\n\n"
          "Options",
          extra, commandLine))
    return *exitCode;
  if ((format != "text" && format != "json") || iterations == 0) {
    std::cerr << "rune-run: error: --format must be text or json and "
                 "--iterations positive\n";
    return 1;
  }

  TestLoader loader(commandLine.backends);
  std::string error;
  if (!loader.initialize(error)) {
    std::cerr << "rune-run: error: " << error << "\n";
    return 1;
  }
  std::vector<TestLoader::Prepared> prepared;
  std::map<Backend, std::vector<Decision>> decisions;
  size_t tests = 0;
  for (const std::filesystem::path &file :
       collectTestFiles(commandLine.inputs)) {
    IntegrationTest test;
    TestLoader::Prepared ready;
    if (!readIntegrationTest(file, commandLine.root, test, error) ||
        !loader.prepare(test, ready, error)) {
      std::cerr << "rune-run: error: " << file.string() << ": " << error
                << "\n";
      return 1;
    }
    ++tests;
    for (const auto &[backend, module] : ready.modules)
      for (const ExpectedRequest &expected : test.requests) {
        Decision decision{module.get(), ready.entities, {}};
        if (!loader.buildRequest(module.get(), expected, decision.request,
                                 error)) {
          std::cerr << "rune-run: error: " << file.string() << ": " << error
                    << "\n";
          return 1;
        }
        decisions[backend].push_back(std::move(decision));
      }
    prepared.push_back(std::move(ready));
  }

  std::map<Backend, Figures> results;
  for (const auto &[backend, list] : decisions)
    results[backend] = measure(list, iterations);

  if (format == "json") {
    nlohmann::json out;
    out["tests"] = tests;
    out["iterations"] = iterations;
    for (const auto &[backend, figures] : results)
      out[backendName(backend)] = {{"decisions", figures.decisions},
                                   {"median_us", figures.medianNs / 1000},
                                   {"p99_us", figures.p99Ns / 1000},
                                   {"mean_us", figures.meanNs / 1000},
                                   {"decisions_per_second", figures.perSecond}};
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  size_t requests = decisions.begin()->second.size();
  std::cout << fmt::format("{} tests, {} requests, {} passes each\n", tests,
                           requests, iterations);
  std::cout << fmt::format("{:<10} {:>12} {:>12} {:>12} {:>16}\n", "backend",
                           "median", "p99", "mean", "decisions/s");
  for (const auto &[backend, figures] : results)
    std::cout << fmt::format("{:<10} {:>9.3f} us {:>9.3f} us {:>9.3f} us "
                             "{:>16.0f}\n",
                             backendName(backend), figures.medianNs / 1000,
                             figures.p99Ns / 1000, figures.meanNs / 1000,
                             figures.perSecond);
  if (results.size() == 2)
    std::cout << fmt::format(
        "native speed-up: {:.2f}x (median), {:.2f}x (throughput)\n",
        results[Backend::Bytecode].medianNs / results[Backend::Native].medianNs,
        results[Backend::Native].perSecond /
            results[Backend::Bytecode].perSecond);
  return 0;
}

} // namespace rune::cli
