//===- CApiBenchmark.cpp - IPE decisions through the C API
//-----------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// What an application embedding the runtime pays per decision, through
// rune.h, for one generated policy set compiled to both backends (the
// native object is linked into this program; the bytecode is loaded from
// the build directory):
//   OneShot     rune_ipe_decide then rune_ipe_decision_free: an evaluator's
//               scratch space and a decision set up per call;
//   Evaluator   rune_ipe_evaluator_decide with one kept evaluator: no
//               allocation once warm;
//   Batch       rune_ipe_evaluator_decide_batch over the stream: each
//               request prefetched while the ones before it are decided;
//   ParseDecide rune_ipe_request_parse of the JSON text, then
//               rune_ipe_evaluator_decide: what a service handing over JSON
//               pays.
// The argument is how many requests of the stream are cycled through: 64
// stay in the cache, 2,000 do not.
//
//===----------------------------------------------------------------------===//

#include "rune/rune_native.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

extern "C" const rune_native_module rune_linked_module;

namespace {

[[noreturn]] void fail(const std::string &what, char *error) {
  std::fprintf(stderr, "IpeCApiBenchmark: %s: %s\n", what.c_str(),
               error ? error : "");
  std::exit(1);
}

/// One backend's module and the parsed request stream.
struct Backend {
  rune_ipe_module *module = nullptr;
  std::vector<rune_ipe_request *> requests;
};

std::vector<std::string> &requestLines() {
  static std::vector<std::string> lines = [] {
    std::ifstream in(RUNE_BENCH_REQUESTS);
    if (!in)
      fail(RUNE_BENCH_REQUESTS, nullptr);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);)
      out.push_back(line);
    return out;
  }();
  return lines;
}

Backend load(bool native) {
  Backend backend;
  char *error = nullptr;
  if (native) {
    if (rune_ipe_module_load_native(&rune_linked_module, &backend.module,
                                    &error) != RUNE_OK)
      fail("the linked module", error);
  } else {
    std::ifstream in(RUNE_BENCH_BYTECODE, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)),
                      std::istreambuf_iterator<char>());
    if (rune_ipe_module_load(reinterpret_cast<const uint8_t *>(bytes.data()),
                             bytes.size(), &backend.module, &error) != RUNE_OK)
      fail(RUNE_BENCH_BYTECODE, error);
  }
  for (const std::string &line : requestLines()) {
    rune_ipe_request *request = nullptr;
    if (rune_ipe_request_parse(backend.module, line.data(), line.size(),
                               &request, &error) != RUNE_OK)
      fail(RUNE_BENCH_REQUESTS, error);
    backend.requests.push_back(request);
  }
  return backend;
}

Backend &backend(bool native) {
  static Backend bytecode = load(false), compiled = load(true);
  return native ? compiled : bytecode;
}

size_t streamLength(const benchmark::State &state, const Backend &b) {
  return std::min<size_t>(size_t(state.range(0)), b.requests.size());
}

template <bool Native> void OneShot(benchmark::State &state) {
  Backend &b = backend(Native);
  size_t n = streamLength(state, b), i = 0, allows = 0;
  for (auto _ : state) {
    rune_ipe_decision *decision = nullptr;
    rune_ipe_decide(b.module, b.requests[i], &decision, nullptr);
    allows += rune_ipe_decision_result(decision) == RUNE_ALLOW;
    rune_ipe_decision_free(decision);
    i = i + 1 == n ? 0 : i + 1;
  }
  benchmark::DoNotOptimize(allows);
  state.SetItemsProcessed(state.iterations());
}

template <bool Native> void Evaluator(benchmark::State &state) {
  Backend &b = backend(Native);
  rune_ipe_evaluator *evaluator = nullptr;
  rune_ipe_evaluator_new(b.module, &evaluator, nullptr);
  size_t n = streamLength(state, b), i = 0, allows = 0;
  for (auto _ : state) {
    const rune_ipe_decision *decision = nullptr;
    rune_ipe_evaluator_decide(evaluator, b.requests[i], &decision, nullptr);
    allows += rune_ipe_decision_result(decision) == RUNE_ALLOW;
    i = i + 1 == n ? 0 : i + 1;
  }
  benchmark::DoNotOptimize(allows);
  state.SetItemsProcessed(state.iterations());
  rune_ipe_evaluator_free(evaluator);
}

template <bool Native> void Batch(benchmark::State &state) {
  Backend &b = backend(Native);
  rune_ipe_evaluator *evaluator = nullptr;
  rune_ipe_evaluator_new(b.module, &evaluator, nullptr);
  size_t n = streamLength(state, b);
  std::vector<rune_decision> results(n);
  for (auto _ : state) {
    rune_ipe_evaluator_decide_batch(evaluator, b.requests.data(), n,
                                    results.data(), nullptr);
    benchmark::DoNotOptimize(results.data());
  }
  state.SetItemsProcessed(state.iterations() * int64_t(n));
  rune_ipe_evaluator_free(evaluator);
}

template <bool Native> void ParseDecide(benchmark::State &state) {
  Backend &b = backend(Native);
  const std::vector<std::string> &lines = requestLines();
  rune_ipe_evaluator *evaluator = nullptr;
  rune_ipe_evaluator_new(b.module, &evaluator, nullptr);
  size_t n = streamLength(state, b), i = 0, allows = 0;
  for (auto _ : state) {
    rune_ipe_request *request = nullptr;
    rune_ipe_request_parse(b.module, lines[i].data(), lines[i].size(), &request,
                           nullptr);
    const rune_ipe_decision *decision = nullptr;
    rune_ipe_evaluator_decide(evaluator, request, &decision, nullptr);
    allows += rune_ipe_decision_result(decision) == RUNE_ALLOW;
    rune_ipe_request_free(request);
    i = i + 1 == n ? 0 : i + 1;
  }
  benchmark::DoNotOptimize(allows);
  state.SetItemsProcessed(state.iterations());
  rune_ipe_evaluator_free(evaluator);
}

BENCHMARK(OneShot<false>)->Name("OneShot/bytecode")->Arg(64)->Arg(2000);
BENCHMARK(OneShot<true>)->Name("OneShot/native")->Arg(64)->Arg(2000);
BENCHMARK(Evaluator<false>)->Name("Evaluator/bytecode")->Arg(64)->Arg(2000);
BENCHMARK(Evaluator<true>)->Name("Evaluator/native")->Arg(64)->Arg(2000);
BENCHMARK(Batch<false>)->Name("Batch/bytecode")->Arg(64)->Arg(2000);
BENCHMARK(Batch<true>)->Name("Batch/native")->Arg(64)->Arg(2000);
BENCHMARK(ParseDecide<false>)->Name("ParseDecide/bytecode")->Arg(2000);
BENCHMARK(ParseDecide<true>)->Name("ParseDecide/native")->Arg(2000);

} // namespace

BENCHMARK_MAIN();
