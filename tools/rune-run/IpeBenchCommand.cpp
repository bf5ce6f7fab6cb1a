//===- IpeBenchCommand.cpp - rune-run bench for IPE policies --------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
//   rune-run bench policies.ipe --requests stream.jsonl
//                  [--backend bytecode|native|both] [--repeat N]
//                  [--format text|json] [--decisions FILE]
//
// The stream holds one JSON request per line. Everything is compiled and
// loaded before timing starts. Two costs are measured per backend:
//   decide        Evaluator::decide on a request already parsed and
//                 resolved into slots (index lookup, policy evaluation,
//                 fail-closed combination): the policy engine itself;
//   parse+decide  Request::parse of the JSON text, then decide: what an
//                 application handing over JSON pays per decision.
// Latency is taken call by call (steady_clock, whose cost of some tens of
// nanoseconds is included); decisions/s over whole passes with no clock
// reads inside.
//
// --decisions writes every decision of the stream to FILE (one line per
// request: allow/deny, policies evaluated, then each applicable policy with
// its outcome and error message), before timing; with --backend both the
// native decisions go to FILE.native. The two backends must write the same
// lines: this is how lit compares them over whole generated streams.
//
//===----------------------------------------------------------------------===//

#include "IpeBenchCommand.h"
#include "CommandLine.h"

#include "IpeModuleLoader.h"

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>

namespace po = boost::program_options;
using Clock = std::chrono::steady_clock;

namespace rune::cli {

namespace {

struct Figures {
  double medianNs = 0, p99Ns = 0, meanNs = 0, perSecond = 0;
};

Figures summarize(std::vector<double> samples, double passSeconds,
                  size_t passDecisions) {
  Figures f;
  std::sort(samples.begin(), samples.end());
  f.medianNs = samples[samples.size() / 2];
  f.p99Ns = samples[std::min(samples.size() - 1, samples.size() * 99 / 100)];
  double sum = 0;
  for (double s : samples)
    sum += s;
  f.meanNs = sum / double(samples.size());
  f.perSecond = double(passDecisions) / passSeconds;
  return f;
}

template <typename Fn>
Figures measure(size_t count, unsigned repeat, Fn &&decideOne) {
  // Warm-up pass: caches, branch predictors, lazily built scratch space.
  for (size_t i = 0; i < count; ++i)
    decideOne(i);
  std::vector<double> samples;
  samples.reserve(count * repeat);
  for (unsigned r = 0; r < repeat; ++r)
    for (size_t i = 0; i < count; ++i) {
      auto start = Clock::now();
      decideOne(i);
      samples.push_back(
          std::chrono::duration<double, std::nano>(Clock::now() - start)
              .count());
    }
  auto start = Clock::now();
  for (unsigned r = 0; r < repeat; ++r)
    for (size_t i = 0; i < count; ++i)
      decideOne(i);
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return summarize(std::move(samples), seconds, count * repeat);
}

/// One line per decision (see the file comment).
void writeDecision(std::ostream &out, const ipert::Module &module,
                   const ipert::Decision &decision) {
  out << (decision.allow ? "allow" : "deny") << " evaluated "
      << decision.candidateCount;
  for (size_t i = 0; i < decision.applicable.size(); ++i) {
    const ipert::PolicyResult &result = decision.applicable[i];
    out << " | " << module.policyName(result.policy) << " "
        << ipert::outcomeName(result.outcome);
    if (!decision.message(i).empty())
      out << ": " << decision.message(i);
  }
  out << "\n";
}

/// The median cost of one steady_clock read, measured back to back: every
/// latency sample includes about one (reported so that small latencies can
/// be read against it).
double clockReadNs() {
  std::vector<double> samples;
  samples.reserve(10001);
  for (int i = 0; i < 10001; ++i) {
    auto a = Clock::now();
    auto b = Clock::now();
    samples.push_back(std::chrono::duration<double, std::nano>(b - a).count());
  }
  std::nth_element(samples.begin(), samples.begin() + 5000, samples.end());
  return samples[5000];
}

} // namespace

int runIpeBench(int argc, char **argv) {
  std::string policies, requestsPath, backendName = "both", format = "text",
                                      decisionsPath;
  unsigned repeat = 5;
  po::options_description options("rune-run bench <policies.ipe|.rbc> options");
  options.add_options()("help,h", "show this help")(
      "requests", po::value(&requestsPath)->required(),
      "request stream: one JSON request per line")(
      "backend", po::value(&backendName), "bytecode, native or both (default)")(
      "repeat", po::value(&repeat), "timed passes over the stream (5)")(
      "format", po::value(&format), "text (default) or json")(
      "decisions", po::value(&decisionsPath),
      "write every decision to this file (native ones to FILE.native with "
      "--backend both)")(
      "policies", po::value(&policies)->required(), "");
  po::variables_map vm;
  try {
    storeCommandLine(argc, argv, options, "policies", vm);
    if (vm.count("help")) {
      std::cout << options;
      return 0;
    }
    po::notify(vm);
  } catch (const po::error &e) {
    std::cerr << "rune-run bench: error: " << e.what() << "\n";
    return 1;
  }
  std::vector<IpeBackend> backends;
  if (backendName == "bytecode" || backendName == "both")
    backends.push_back(IpeBackend::Bytecode);
  if (backendName == "native" || backendName == "both")
    backends.push_back(IpeBackend::Native);
  if (backends.empty() || (format != "text" && format != "json") ||
      repeat == 0) {
    std::cerr << "rune-run bench: error: --backend is bytecode, native or "
                 "both; --format text or json; --repeat at least 1\n";
    return 1;
  }

  std::vector<std::string> lines;
  {
    std::ifstream in(requestsPath);
    if (!in) {
      std::cerr << requestsPath << ": error: cannot read the requests\n";
      return 1;
    }
    std::string line;
    while (std::getline(in, line))
      if (line.find_first_not_of(" \t\r") != std::string::npos)
        lines.push_back(line);
  }
  if (lines.empty()) {
    std::cerr << requestsPath << ": error: no requests\n";
    return 1;
  }

  nlohmann::ordered_json report;
  report["policies_file"] = policies;
  report["requests"] = lines.size();
  report["repeat"] = repeat;
  double clockNs = clockReadNs();
  report["clock_read_ns"] = clockNs;
  if (format == "text")
    std::cout << fmt::format("{} requests x {} passes (latencies include a "
                             "clock read, {:.0f} ns)\n",
                             lines.size(), repeat, clockNs)
              << fmt::format("{:<9} {:<13} {:>11} {:>11} {:>11} {:>13}\n",
                             "backend", "measure", "median us", "p99 us",
                             "mean us", "decisions/s");
  for (IpeBackend backend : backends) {
    const char *name = backend == IpeBackend::Native ? "native" : "bytecode";
    LoadedIpeModule loaded;
    std::string diagnostics;
    if (!loadIpeModule(policies, backend, loaded, diagnostics)) {
      std::cerr << diagnostics;
      return 1;
    }
    const ipert::Module &module = *loaded.module;
    std::vector<std::unique_ptr<ipert::Request>> requests;
    for (size_t i = 0; i < lines.size(); ++i) {
      std::string error;
      requests.push_back(ipert::Request::parse(module, lines[i], error));
      if (!requests.back()) {
        std::cerr << requestsPath << ":" << i + 1 << ": error: " << error
                  << "\n";
        return 1;
      }
    }
    ipert::Evaluator evaluator(module);
    ipert::Decision decision;
    size_t allows = 0, candidates = 0, applicable = 0;
    std::ofstream decisionsOut;
    if (!decisionsPath.empty()) {
      std::string path = decisionsPath;
      if (backend == IpeBackend::Native && backends.size() == 2)
        path += ".native";
      decisionsOut.open(path);
      if (!decisionsOut) {
        std::cerr << path << ": error: cannot write the decisions\n";
        return 1;
      }
    }
    for (const auto &request : requests) {
      evaluator.decide(*request, decision);
      allows += decision.allow;
      candidates += decision.candidateCount;
      applicable += decision.applicable.size();
      if (decisionsOut.is_open())
        writeDecision(decisionsOut, module, decision);
    }
    if (decisionsOut.is_open()) {
      decisionsOut.close();
      if (!decisionsOut) {
        std::cerr << decisionsPath << ": error: cannot write the decisions\n";
        return 1;
      }
    }
    Figures decide = measure(requests.size(), repeat, [&](size_t i) {
      evaluator.decide(*requests[i], decision);
    });
    Figures parseDecide = measure(lines.size(), repeat, [&](size_t i) {
      std::string error;
      auto request = ipert::Request::parse(module, lines[i], error);
      evaluator.decide(*request, decision);
    });
    double meanCandidates = double(candidates) / double(requests.size());
    double meanApplicable = double(applicable) / double(requests.size());
    nlohmann::ordered_json entry;
    entry["policies"] = module.policyCount();
    entry["allow"] = allows;
    entry["deny"] = requests.size() - allows;
    entry["mean_policies_evaluated"] = meanCandidates;
    entry["mean_policies_applicable"] = meanApplicable;
    for (auto [label, f] : {std::pair("decide", decide),
                            std::pair("parse+decide", parseDecide)}) {
      entry[label] = {{"median_us", f.medianNs / 1000},
                      {"p99_us", f.p99Ns / 1000},
                      {"mean_us", f.meanNs / 1000},
                      {"decisions_per_second", f.perSecond}};
      if (format == "text")
        std::cout << fmt::format(
            "{:<9} {:<13} {:>11.3f} {:>11.3f} {:>11.3f} {:>13.0f}\n", name,
            label, f.medianNs / 1000, f.p99Ns / 1000, f.meanNs / 1000,
            f.perSecond);
    }
    if (format == "text")
      std::cout << fmt::format("{:<9} {} policies; per request on average "
                               "{:.1f} evaluated (trigger index), {:.1f} "
                               "applicable; {} allow, {} deny\n",
                               name, module.policyCount(), meanCandidates,
                               meanApplicable, allows,
                               requests.size() - allows);
    report[name] = entry;
  }
  if (format == "json")
    std::cout << report.dump(2) << "\n";
  return 0;
}

} // namespace rune::cli
