//===- IpeBenchCommand.cpp - rune-run bench for IPE policies --------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
//   rune-run bench policies.ipe --requests stream.jsonl
//                  [--backend bytecode|native|both] [--repeat N]
//                  [--min-time SECONDS] [--format text|json]
//                  [--decisions FILE]
//
// The stream holds one JSON request per line. Everything is compiled and
// loaded before timing starts. Four costs are measured per backend:
//   decide        Evaluator::decide on a request already parsed and
//                 resolved into slots (index lookup, policy evaluation,
//                 fail-closed combination): the policy engine itself;
//   decide-each   the same stream through Evaluator::decideEach, which
//                 prefetches each request while deciding the ones before
//                 it (decisions/s only: its calls are decide's);
//   decide-fresh  decide on requests just parsed (64 at a time, the
//                 parsing untimed): what an application pays to decide
//                 what it has just read. Over a stream of thousands of
//                 parsed requests (decide) the request data has left the
//                 cache; here it is in the cache, and the module's code
//                 and tables compete with the parser for it;
//   parse+decide  Request::parse of the JSON text, then decide: what an
//                 application handing over JSON pays per decision.
// Latency is taken call by call over --repeat passes (steady_clock, whose
// cost of some tens of nanoseconds is included). Decisions per second come
// from whole passes with no clock reads inside, repeated until each backend
// has run --min-time seconds: the figure is the median pass's rate (the
// best pass's is in the JSON report). A pass of decide or parse+decide
// makes as many laps over the stream as last at least 50 ms. On a shared
// machine a single pass is easily disturbed; the median of many is not.
// With --backend both, the backends' passes alternate, so that both see
// the same machine: their ratio is printed last.
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
#include <functional>
#include <iostream>

namespace po = boost::program_options;
using Clock = std::chrono::steady_clock;

namespace rune::cli {

namespace {

struct Figures {
  double medianNs = 0, p99Ns = 0, meanNs = 0, perSecond = 0, bestPerSecond = 0;
  /// False when no call was timed on its own (decide-each).
  bool hasLatency = false;
};

/// decide-fresh parses this many requests, then decides them.
constexpr size_t kFreshBatch = 64;

/// The figures of latency samples and of whole passes over `count`
/// requests: decisions/s from the median pass, and from the best.
Figures summarize(std::vector<double> &samples,
                  std::vector<double> &passSeconds, size_t count) {
  Figures f;
  std::sort(passSeconds.begin(), passSeconds.end());
  f.perSecond = double(count) / passSeconds[passSeconds.size() / 2];
  f.bestPerSecond = double(count) / passSeconds.front();
  f.hasLatency = !samples.empty();
  if (!f.hasLatency)
    return f;
  std::sort(samples.begin(), samples.end());
  f.medianNs = samples[samples.size() / 2];
  f.p99Ns = samples[std::min(samples.size() - 1, samples.size() * 99 / 100)];
  double sum = 0;
  for (double s : samples)
    sum += s;
  f.meanNs = sum / double(samples.size());
  return f;
}

/// One backend's part in a measurement: `decideOne(i)` decides the i-th
/// request of the stream, `pass(count)` the first `count` of them with no
/// indirect call per decision (its loop is compiled with the decision
/// inlined, as an application's would be); the samples and pass times
/// accumulate here.
struct Contestant {
  std::function<void(size_t)> decideOne;
  std::function<void(size_t)> pass;
  std::vector<double> latencyNs;
  /// Seconds per lap over the stream, one entry per timed pass.
  std::vector<double> passSeconds;
  double totalSeconds = 0;
  /// Laps over the stream in one timed pass (measure()).
  unsigned laps = 1;
  /// False when a pass is not made of decideOne calls, whose latency would
  /// then say nothing of it.
  bool timesCalls = true;
};

template <typename DecideOne> Contestant contestant(DecideOne decideOne) {
  Contestant c;
  c.decideOne = decideOne;
  c.pass = [decideOne](size_t count) {
    for (size_t i = 0; i < count; ++i)
      decideOne(i);
  };
  return c;
}

/// Seconds of `laps` laps over the first `count` requests.
double timePass(Contestant &c, size_t count, unsigned laps) {
  auto start = Clock::now();
  for (unsigned lap = 0; lap < laps; ++lap)
    c.pass(count);
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// A timed pass lasts at least this long. The contestants take turns pass
/// by pass, and each turn starts with the caches the other one left: its
/// working set (the stream's requests, the module's code or bytecode: a few
/// megabytes for 1,000 policies) comes back from memory, about a
/// millisecond. An application runs one backend, not two in turns, so that
/// refill is the bench's, not the engine's: over 50 ms it is noise, while
/// over a pass of a few hundred microseconds (2,000 requests decided
/// natively) it was a third to a half of the time measured, and weighed on the
/// faster backend most (docs/performance.md, session 8).
constexpr double kMinPassSeconds = 0.05;

/// Measures every contestant over a stream of `count` requests: a warm-up
/// pass (caches, branch predictors, lazily built scratch space), `repeat`
/// passes timed call by call, then whole passes until each has run
/// `minSeconds` (and at least `repeat` passes). Each round runs one pass of
/// every contestant in turn.
std::vector<Figures> measure(std::vector<Contestant> &contestants, size_t count,
                             unsigned repeat, double minSeconds) {
  for (Contestant &c : contestants) {
    double lap = timePass(c, count, 1);
    c.laps = unsigned(
        std::clamp(kMinPassSeconds / std::max(lap, 1e-9), 1.0, 1e6) + 0.5);
    c.latencyNs.reserve(count * repeat);
  }
  for (unsigned r = 0; r < repeat; ++r)
    for (Contestant &c : contestants)
      for (size_t i = 0; c.timesCalls && i < count; ++i) {
        auto start = Clock::now();
        c.decideOne(i);
        c.latencyNs.push_back(
            std::chrono::duration<double, std::nano>(Clock::now() - start)
                .count());
      }
  auto unfinished = [&] {
    for (const Contestant &c : contestants)
      if (c.passSeconds.size() < repeat || c.totalSeconds < minSeconds)
        return true;
    return false;
  };
  while (unfinished())
    for (Contestant &c : contestants) {
      double seconds = timePass(c, count, c.laps);
      c.passSeconds.push_back(seconds / c.laps);
      c.totalSeconds += seconds;
    }
  std::vector<Figures> figures;
  for (Contestant &c : contestants)
    figures.push_back(summarize(c.latencyNs, c.passSeconds, count));
  return figures;
}

/// decide-fresh: one backend's part. `parseBatch(first, count)` parses
/// requests [first, first + count) of the stream into the run's batch,
/// untimed; `decideOne(k)` decides the k-th request of the batch;
/// `pass(count)` the first `count` of them.
struct FreshContestant {
  std::function<void(size_t, size_t)> parseBatch;
  std::function<void(size_t)> decideOne;
  std::function<void(size_t)> pass;
};

/// Measures deciding requests right after parsing them, `batch` at a time,
/// as an application decides what it has just read: the request is in the
/// cache. After a warm-up pass over the stream, passes alternate between
/// timing whole batches (decisions/s, no clock read per decision) and
/// timing each decision (latency), `repeat` of each, the contestants
/// taking turns pass by pass.
std::vector<Figures> measureFresh(std::vector<FreshContestant> &contestants,
                                  size_t count, unsigned repeat, size_t batch) {
  struct Tally {
    std::vector<double> latencyNs, passSeconds;
  };
  std::vector<Tally> tallies(contestants.size());
  for (unsigned pass = 0; pass <= 2 * repeat; ++pass)
    for (size_t c = 0; c < contestants.size(); ++c) {
      FreshContestant &fc = contestants[c];
      bool warmUp = pass == 0, batchTimed = pass % 2 == 1;
      double seconds = 0;
      for (size_t first = 0; first < count; first += batch) {
        size_t n = std::min(batch, count - first);
        fc.parseBatch(first, n);
        if (warmUp) {
          fc.pass(n);
        } else if (batchTimed) {
          auto start = Clock::now();
          fc.pass(n);
          seconds +=
              std::chrono::duration<double>(Clock::now() - start).count();
        } else {
          for (size_t k = 0; k < n; ++k) {
            auto start = Clock::now();
            fc.decideOne(k);
            tallies[c].latencyNs.push_back(
                std::chrono::duration<double, std::nano>(Clock::now() - start)
                    .count());
          }
        }
      }
      if (batchTimed)
        tallies[c].passSeconds.push_back(seconds);
    }
  std::vector<Figures> figures;
  for (Tally &t : tallies)
    figures.push_back(summarize(t.latencyNs, t.passSeconds, count));
  return figures;
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
  double minSeconds = 0.5;
  po::options_description options("rune-run bench <policies.ipe|.rbc> options");
  options.add_options()("help,h", "show this help")(
      "requests", po::value(&requestsPath)->required(),
      "request stream: one JSON request per line")(
      "backend", po::value(&backendName), "bytecode, native or both (default)")(
      "repeat", po::value(&repeat),
      "passes over the stream timed call by call (5)")(
      "min-time", po::value(&minSeconds),
      "seconds of whole passes per backend for decisions/s (0.5)")(
      "format", po::value(&format), "text (default) or json")(
      "decisions", po::value(&decisionsPath),
      "write every decision to this file (native ones to FILE.native with "
      "--backend both)")("policies", po::value(&policies)->required(), "");
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
      repeat == 0 || !(minSeconds >= 0)) {
    std::cerr << "rune-run bench: error: --backend is bytecode, native or "
                 "both; --format text or json; --repeat at least 1; "
                 "--min-time not negative\n";
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
  // Everything of every backend is ready before the first measurement, so
  // that the measurements can alternate between backends.
  struct Run {
    const char *name;
    LoadedIpeModule loaded;
    std::vector<std::unique_ptr<ipert::Request>> requests;
    std::unique_ptr<ipert::Evaluator> evaluator;
    ipert::Decision decision;
    std::vector<std::unique_ptr<ipert::Request>> batch; // decide-fresh
    nlohmann::ordered_json entry;
  };
  std::vector<std::unique_ptr<Run>> runs;
  for (IpeBackend backend : backends) {
    auto run = std::make_unique<Run>();
    run->name = backend == IpeBackend::Native ? "native" : "bytecode";
    std::string diagnostics;
    if (!loadIpeModule(policies, backend, run->loaded, diagnostics)) {
      std::cerr << diagnostics;
      return 1;
    }
    const ipert::Module &module = *run->loaded.module;
    for (size_t i = 0; i < lines.size(); ++i) {
      std::string error;
      run->requests.push_back(ipert::Request::parse(module, lines[i], error));
      if (!run->requests.back()) {
        std::cerr << requestsPath << ":" << i + 1 << ": error: " << error
                  << "\n";
        return 1;
      }
    }
    run->evaluator = std::make_unique<ipert::Evaluator>(module);
    size_t allows = 0, candidates = 0, applicable = 0;
    std::ofstream decisionsOut;
    std::string path = decisionsPath;
    if (!path.empty()) {
      if (backend == IpeBackend::Native && backends.size() == 2)
        path += ".native";
      decisionsOut.open(path);
      if (!decisionsOut) {
        std::cerr << path << ": error: cannot write the decisions\n";
        return 1;
      }
    }
    for (const auto &request : run->requests) {
      run->evaluator->decide(*request, run->decision);
      allows += run->decision.allow;
      candidates += run->decision.candidateCount;
      applicable += run->decision.applicable.size();
      if (decisionsOut.is_open())
        writeDecision(decisionsOut, module, run->decision);
    }
    if (decisionsOut.is_open()) {
      decisionsOut.close();
      if (!decisionsOut) {
        std::cerr << path << ": error: cannot write the decisions\n";
        return 1;
      }
    }
    nlohmann::ordered_json &entry = run->entry;
    entry["policies"] = module.policyCount();
    entry["allow"] = allows;
    entry["deny"] = run->requests.size() - allows;
    entry["mean_policies_evaluated"] =
        double(candidates) / double(run->requests.size());
    entry["mean_policies_applicable"] =
        double(applicable) / double(run->requests.size());
    runs.push_back(std::move(run));
  }

  std::vector<Contestant> deciders, eachers, parsers;
  for (auto &runPtr : runs) {
    Run &run = *runPtr;
    deciders.push_back(contestant([&run](size_t i) {
      run.evaluator->decide(*run.requests[i], run.decision);
    }));
    Contestant each;
    each.timesCalls = false;
    each.pass = [&run](size_t count) {
      run.evaluator->decideEach(
          count,
          [&run](size_t i) -> const ipert::Request & {
            return *run.requests[i];
          },
          run.decision, [](size_t, const ipert::Decision &) {});
    };
    eachers.push_back(std::move(each));
    parsers.push_back(contestant([&run, &lines](size_t i) {
      std::string error;
      auto request = ipert::Request::parse(*run.loaded.module, lines[i], error);
      run.evaluator->decide(*request, run.decision);
    }));
  }
  std::vector<FreshContestant> fresh;
  for (auto &runPtr : runs) {
    Run &run = *runPtr;
    auto decideOne = [&run](size_t k) {
      run.evaluator->decide(*run.batch[k], run.decision);
    };
    fresh.push_back({[&run, &lines](size_t first, size_t count) {
                       run.batch.clear();
                       std::string error;
                       for (size_t i = first; i < first + count; ++i)
                         // Parsed once already: it parses.
                         run.batch.push_back(ipert::Request::parse(
                             *run.loaded.module, lines[i], error));
                     },
                     decideOne,
                     [decideOne](size_t count) {
                       for (size_t k = 0; k < count; ++k)
                         decideOne(k);
                     }});
  }
  std::vector<Figures> decide =
      measure(deciders, lines.size(), repeat, minSeconds);
  std::vector<Figures> decideEach =
      measure(eachers, lines.size(), repeat, minSeconds);
  std::vector<Figures> decideFresh =
      measureFresh(fresh, lines.size(), repeat, kFreshBatch);
  std::vector<Figures> parseDecide =
      measure(parsers, lines.size(), repeat, minSeconds);

  for (size_t r = 0; r < runs.size(); ++r) {
    Run &run = *runs[r];
    nlohmann::ordered_json &entry = run.entry;
    for (auto [label, f] : {std::pair("decide", decide[r]),
                            std::pair("decide-each", decideEach[r]),
                            std::pair("decide-fresh", decideFresh[r]),
                            std::pair("parse+decide", parseDecide[r])}) {
      bool latency = f.hasLatency;
      nlohmann::ordered_json &figures = entry[label];
      if (latency)
        figures = {{"median_us", f.medianNs / 1000},
                   {"p99_us", f.p99Ns / 1000},
                   {"mean_us", f.meanNs / 1000}};
      figures["decisions_per_second"] = f.perSecond;
      figures["decisions_per_second_best_pass"] = f.bestPerSecond;
      if (format == "text" && latency)
        std::cout << fmt::format(
            "{:<9} {:<13} {:>11.3f} {:>11.3f} {:>11.3f} {:>13.0f}\n", run.name,
            label, f.medianNs / 1000, f.p99Ns / 1000, f.meanNs / 1000,
            f.perSecond);
      else if (format == "text")
        std::cout << fmt::format(
            "{:<9} {:<13} {:>11} {:>11} {:>11} {:>13.0f}\n", run.name, label,
            "-", "-", "-", f.perSecond);
    }
    if (format == "text")
      std::cout << fmt::format(
          "{:<9} {} policies; per request on average {:.1f} evaluated "
          "(trigger index), {:.1f} applicable; {} allow, {} deny\n",
          run.name, entry["policies"].get<size_t>(),
          entry["mean_policies_evaluated"].get<double>(),
          entry["mean_policies_applicable"].get<double>(),
          entry["allow"].get<size_t>(), entry["deny"].get<size_t>());
    report[run.name] = entry;
  }
  if (runs.size() == 2) {
    // runs[0] is bytecode, runs[1] native (the order of `backends`).
    nlohmann::ordered_json &ratios = report["native_over_bytecode"];
    for (auto [label, f] :
         {std::pair("decide", &decide), std::pair("decide-each", &decideEach),
          std::pair("decide-fresh", &decideFresh)}) {
      // decide-each takes no latency: only its rates compare.
      bool latency = (*f)[0].hasLatency;
      double rateRatio = (*f)[1].perSecond / (*f)[0].perSecond;
      double bestRatio = (*f)[1].bestPerSecond / (*f)[0].bestPerSecond;
      nlohmann::ordered_json &ratio = ratios[label];
      std::string median;
      if (latency) {
        double medianRatio = (*f)[0].medianNs / (*f)[1].medianNs;
        ratio["median"] = medianRatio;
        median = fmt::format("median {:.2f}x, ", medianRatio);
      }
      ratio["decisions_per_second"] = rateRatio;
      ratio["decisions_per_second_best_pass"] = bestRatio;
      if (format == "text")
        std::cout << fmt::format("native / bytecode, {:<12}  {}decisions/s "
                                 "{:.2f}x (best passes {:.2f}x)\n",
                                 label, median, rateRatio, bestRatio);
    }
  }
  if (format == "json")
    std::cout << report.dump(2) << "\n";
  return 0;
}

} // namespace rune::cli
