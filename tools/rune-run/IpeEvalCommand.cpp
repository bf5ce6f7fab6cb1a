//===- IpeEvalCommand.cpp - rune-run eval for IPE policies ----------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
//   rune-run eval policies.ipe --request request.json [-v] [--format json]
//                [--backend bytecode|native]
//
// Prints the decision with the reasons people read: the intent sentence (or
// the `denies` reason) of every deciding policy, with its name and
// metadata; -v adds, for every policy that applied, the condition that
// decided it. Exit codes as `rune-run authorize`: 0 allow, 2 deny, 1 error
// (a bad policy file or request, reported with its location).
//
//===----------------------------------------------------------------------===//

#include "IpeEvalCommand.h"
#include "CommandLine.h"

#include "IpeModuleLoader.h"

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

namespace po = boost::program_options;

namespace rune::cli {

namespace {

using nlohmann::ordered_json;

/// Fills an explanation template: {a}, {b} and {a:noun} (a count).
std::string fillTemplate(const std::string &text, const std::string &a,
                         const std::string &b) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') {
      out += text[i];
      continue;
    }
    size_t close = text.find('}', i);
    if (close == std::string::npos) {
      out += text.substr(i);
      break;
    }
    std::string field = text.substr(i + 1, close - i - 1);
    std::string name = field.substr(0, field.find(':'));
    const std::string &value = name == "b" ? b : a;
    if (size_t colon = field.find(':'); colon != std::string::npos) {
      std::string noun = field.substr(colon + 1);
      out += value + " " + noun + (value == "1" ? "" : "s");
    } else {
      out += value;
    }
    i = close;
  }
  return out;
}

struct Explained {
  std::string condition;
  bool result = false;
  std::string explanation;
};

/// The condition that decided `policy`: the last one evaluated at its top
/// level (`and`/`or` stop at the operand that decides them).
std::optional<Explained> decidingCondition(const ipert::Module &module,
                                           const ipert::Decision &decision,
                                           uint32_t policy) {
  const ipert::TraceEvent *last = nullptr;
  for (const ipert::TraceEvent &event : decision.trace)
    if (event.policy == policy)
      last = &event;
  if (!last)
    return std::nullopt;
  const auto &condition = module.tables().conditions[last->condition];
  return Explained{
      std::string(module.string(condition.label)), last->result,
      fillTemplate(std::string(module.string(condition.explanation)), last->a,
                   last->b)};
}

std::string reasonOf(const ipert::Module &module,
                     const ipert::PolicyResult &result) {
  const auto &info = module.tables().policies[result.policy];
  if (result.outcome == ipert::Outcome::Error)
    return result.message;
  if (result.outcome == ipert::Outcome::Deny && info.reason != ipebc::kNoIndex)
    return std::string(module.string(info.reason));
  return std::string(module.string(info.intent));
}

ordered_json metadataJson(const ipert::Module &module, uint32_t policy) {
  ordered_json out = ordered_json::object();
  for (auto [key, value] : module.tables().policies[policy].metadata)
    out[std::string(module.string(key))] =
        ordered_json::parse(module.string(value));
  return out;
}

std::string metadataText(const ipert::Module &module, uint32_t policy) {
  std::string out;
  for (auto [key, value] : module.tables().policies[policy].metadata)
    out += (out.empty() ? "" : ", ") + std::string(module.string(key)) + ": " +
           std::string(module.string(value));
  return out;
}

/// `file:line:col: error: message` lines of the compiler's output.
ordered_json locatedErrors(const std::string &diagnostics,
                           const std::string &fallbackFile) {
  ordered_json errors = ordered_json::array();
  static const std::regex located(R"(^(.*):(\d+):(\d+): error: (.*)$)");
  std::istringstream lines(diagnostics);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch match;
    if (std::regex_match(line, match, located))
      errors.push_back({{"file", match[1].str()},
                        {"line", std::stoi(match[2].str())},
                        {"column", std::stoi(match[3].str())},
                        {"message", match[4].str()}});
  }
  if (errors.empty() && !diagnostics.empty()) {
    std::string message = diagnostics;
    while (!message.empty() && message.back() == '\n')
      message.pop_back();
    errors.push_back({{"file", fallbackFile}, {"message", message}});
  }
  return errors;
}

int reportError(bool json, const std::string &diagnostics,
                const std::string &file) {
  if (json) {
    ordered_json out = {{"decision", "error"},
                        {"errors", locatedErrors(diagnostics, file)}};
    std::cout << out.dump(2) << "\n";
  }
  std::cerr << diagnostics;
  if (!diagnostics.empty() && diagnostics.back() != '\n')
    std::cerr << "\n";
  return 1;
}

} // namespace

bool isIpeEvalInput(int argc, char **argv) {
  for (int i = 1; i < argc; ++i)
    if (argv[i][0] != '-' && isIpeInput(argv[i]))
      return true;
  return false;
}

int runIpeEval(int argc, char **argv) {
  std::string policies, requestPath, format = "text", backendName = "bytecode";
  po::options_description options("rune-run eval <policies.ipe|.rbc> options");
  options.add_options()("help,h", "show this help")(
      "request", po::value(&requestPath)->required(),
      "the request, a JSON document")("verbose,v",
                                      "show the condition that decided each "
                                      "applicable policy")(
      "format", po::value(&format), "text (default) or json")(
      "backend", po::value(&backendName),
      "bytecode (default) or native (compiled in process)")(
      "policies", po::value(&policies)->required(), "");
  po::variables_map vm;
  try {
    storeCommandLine(argc, argv, options, "policies", vm);
    if (vm.count("help")) {
      std::cout << options << "\nExit codes: 0 allow, 2 deny, 1 error.\n";
      return 0;
    }
    po::notify(vm);
  } catch (const po::error &e) {
    std::cerr << "rune-run eval: error: " << e.what() << "\n";
    return 1;
  }
  bool json = format == "json";
  if (!json && format != "text") {
    std::cerr << "rune-run eval: error: unknown --format '" << format
              << "' (text or json)\n";
    return 1;
  }
  IpeBackend backend;
  if (backendName == "bytecode")
    backend = IpeBackend::Bytecode;
  else if (backendName == "native")
    backend = IpeBackend::Native;
  else {
    std::cerr << "rune-run eval: error: unknown --backend '" << backendName
              << "' (bytecode or native)\n";
    return 1;
  }
  bool verbose = vm.count("verbose");

  LoadedIpeModule loaded;
  std::string diagnostics;
  if (!loadIpeModule(policies, backend, loaded, diagnostics))
    return reportError(json, diagnostics, policies);
  const ipert::Module &module = *loaded.module;

  std::ifstream requestFile(requestPath, std::ios::binary);
  if (!requestFile)
    return reportError(json, requestPath + ": error: cannot read the request",
                       requestPath);
  std::string text((std::istreambuf_iterator<char>(requestFile)),
                   std::istreambuf_iterator<char>());
  std::string error;
  auto request = ipert::Request::parse(module, text, error);
  if (!request) {
    // "line:col: message", shown with the line and a caret like every other
    // located error.
    size_t colon = error.find(':');
    size_t line = std::stoul(error.substr(0, colon));
    size_t column = std::stoul(error.substr(colon + 1));
    std::string located =
        requestPath + ":" + error.substr(0, error.find(": ")) +
        ": error: " + error.substr(error.find(": ") + 2) + "\n";
    std::istringstream lines(text);
    std::string sourceLine;
    for (size_t i = 0; i < line && std::getline(lines, sourceLine); ++i)
      ;
    located += sourceLine + "\n" + std::string(column - 1, ' ') + "^\n";
    return reportError(json, located, requestPath);
  }

  ipert::Evaluator evaluator(module);
  ipert::Decision decision;
  evaluator.decide(*request, decision, verbose);

  // The deciding policies: denials and errors on deny, allows on allow.
  std::vector<const ipert::PolicyResult *> deciding;
  for (const ipert::PolicyResult &r : decision.applicable)
    if (decision.allow ? r.outcome == ipert::Outcome::Allow
                       : r.outcome != ipert::Outcome::Allow)
      deciding.push_back(&r);

  if (json) {
    ordered_json out;
    out["decision"] = decision.allow ? "allow" : "deny";
    ordered_json reasons = ordered_json::array();
    for (const ipert::PolicyResult *r : deciding)
      reasons.push_back(
          {{"policy", std::string(module.policyName(r->policy))},
           {"outcome", std::string(ipert::outcomeName(r->outcome))},
           {r->outcome == ipert::Outcome::Error ? "error" : "reason",
            reasonOf(module, *r)},
           {"metadata", metadataJson(module, r->policy)}});
    out["reasons"] = reasons;
    if (deciding.empty())
      out["note"] = "no applicable policy";
    if (verbose) {
      ordered_json applicable = ordered_json::array();
      for (const ipert::PolicyResult &r : decision.applicable) {
        ordered_json entry = {
            {"policy", std::string(module.policyName(r.policy))},
            {"outcome", std::string(ipert::outcomeName(r.outcome))}};
        auto why = decidingCondition(module, decision, r.policy);
        if (why && r.outcome != ipert::Outcome::Error)
          entry["decided_by"] = {{"condition", why->condition},
                                 {"result", why->result},
                                 {"explanation", why->explanation}};
        if (r.outcome == ipert::Outcome::Error)
          entry["error"] = r.message;
        applicable.push_back(entry);
      }
      out["applicable"] = applicable;
      out["evaluated"] = decision.candidateCount;
      out["policies"] = module.policyCount();
    }
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << "decision: " << (decision.allow ? "ALLOW" : "DENY") << "\n";
    if (deciding.empty())
      std::cout << "  no applicable policy\n";
    for (const ipert::PolicyResult *r : deciding) {
      std::cout << fmt::format("  {} [{}]: {}\n", module.policyName(r->policy),
                               ipert::outcomeName(r->outcome),
                               reasonOf(module, *r));
      std::string metadata = metadataText(module, r->policy);
      if (!metadata.empty())
        std::cout << "    metadata: " << metadata << "\n";
    }
    if (verbose) {
      std::cout << fmt::format("evaluated {} of {} policies (trigger index)\n",
                               decision.candidateCount, module.policyCount());
      std::cout << "applicable policies:\n";
      if (decision.applicable.empty())
        std::cout << "  none\n";
      for (const ipert::PolicyResult &r : decision.applicable) {
        std::cout << fmt::format("  {} [{}]\n", module.policyName(r.policy),
                                 ipert::outcomeName(r.outcome));
        if (r.outcome == ipert::Outcome::Error)
          std::cout << "    error: " << r.message << "\n";
        else if (auto why = decidingCondition(module, decision, r.policy)) {
          std::string verdict = fmt::format("{} is {}", why->condition,
                                            why->result ? "true" : "false");
          // A truth test explains itself ("x.all is true").
          if (why->explanation == verdict)
            std::cout << "    " << verdict << "\n";
          else
            std::cout << "    " << verdict << ": " << why->explanation << "\n";
        }
      }
    }
  }
  return decision.allow ? 0 : 2;
}

} // namespace rune::cli
