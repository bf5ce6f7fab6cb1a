//===- IpeEvalCommand.cpp - The `eval` command line for IPE ---------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Uses only the C API (rune.h), so it links with the static or the shared
// runtime, like AuthorizeCommand.cpp.
//
//===----------------------------------------------------------------------===//

#include "IpeEvalCommand.h"
#include "CommandLine.h"

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <vector>

namespace po = boost::program_options;

namespace rune::cli {

namespace {

using nlohmann::ordered_json;

const char *outcomeName(rune_ipe_outcome outcome) {
  switch (outcome) {
  case RUNE_IPE_ALLOW:
    return "allow";
  case RUNE_IPE_DENY:
    return "deny";
  case RUNE_IPE_ERROR:
    return "error";
  case RUNE_IPE_NOT_APPLICABLE:
    break;
  }
  return "not-applicable";
}

ordered_json metadataJson(const rune_ipe_module *module, size_t policy) {
  ordered_json out = ordered_json::object();
  size_t count = rune_ipe_module_policy_metadata_count(module, policy);
  for (size_t i = 0; i < count; ++i)
    out[rune_ipe_module_policy_metadata_key(module, policy, i)] =
        ordered_json::parse(
            rune_ipe_module_policy_metadata_value(module, policy, i));
  return out;
}

std::string metadataText(const rune_ipe_module *module, size_t policy) {
  std::string out;
  size_t count = rune_ipe_module_policy_metadata_count(module, policy);
  for (size_t i = 0; i < count; ++i)
    out +=
        fmt::format("{}{}: {}", out.empty() ? "" : ", ",
                    rune_ipe_module_policy_metadata_key(module, policy, i),
                    rune_ipe_module_policy_metadata_value(module, policy, i));
  return out;
}

/// Owns a C API object.
template <typename T, void (*Free)(T *)> struct Owned {
  T *object = nullptr;
  Owned() = default;
  Owned(const Owned &) = delete;
  Owned &operator=(const Owned &) = delete;
  ~Owned() {
    if (object)
      Free(object);
  }
};

/// Takes a message the C API allocated.
std::string takeError(char *error) {
  std::string message = error ? error : "unknown error";
  std::free(error);
  return message;
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

int runIpeEval(int argc, const char *const *argv,
               const rune_native_module *linked, const IpeModuleLoader &load) {
  // Messages name the command as the user typed it.
  std::string tool = linked && argc > 0 && argv[0] ? argv[0] : "rune-run eval";
  std::string policies, requestPath, format = "text", backendName = "bytecode";
  po::options_description options(
      linked ? "options" : "rune-run eval <policies.ipe|.rbc> options");
  options.add_options()("help,h", "show this help")(
      "request", po::value(&requestPath)->required(),
      "the request, a JSON document")("verbose,v",
                                      "show the condition that decided each "
                                      "applicable policy")(
      "format", po::value(&format), "text (default) or json");
  if (!linked)
    options.add_options()("backend", po::value(&backendName),
                          "bytecode (default) or native (compiled in process)")(
        "policies", po::value(&policies)->required(), "");
  po::variables_map vm;
  try {
    if (linked)
      // No positional argument: the policies are linked in.
      po::store(po::command_line_parser(argc, argv)
                    .options(options)
                    .positional(po::positional_options_description())
                    .run(),
                vm);
    else
      storeCommandLine(argc, argv, options, "policies", vm);
    if (vm.count("help")) {
      if (linked)
        std::cout << "usage: " << tool
                  << " --request request.json [-v] [--format json]\n\n"
                     "Decides the request with the IPE policies compiled "
                     "into this program.\n\n";
      std::cout << options << "\nExit codes: 0 allow, 2 deny, 1 error.\n";
      return 0;
    }
    po::notify(vm);
  } catch (const po::error &e) {
    std::cerr << tool << ": error: " << e.what() << "\n";
    return 1;
  }
  bool json = format == "json";
  if (!json && format != "text") {
    std::cerr << tool << ": error: unknown --format '" << format
              << "' (text or json)\n";
    return 1;
  }
  if (backendName != "bytecode" && backendName != "native") {
    std::cerr << tool << ": error: unknown --backend '" << backendName
              << "' (bytecode or native)\n";
    return 1;
  }
  bool verbose = vm.count("verbose");

  IpeModuleRef loaded;
  std::string diagnostics;
  if (linked) {
    rune_ipe_module *module = nullptr;
    char *error = nullptr;
    if (rune_ipe_module_load_native(linked, &module, &error) != RUNE_OK)
      return reportError(
          json, tool + ": error: the linked module: " + takeError(error), tool);
    loaded = IpeModuleRef(module, rune_ipe_module_free);
  } else {
    loaded = load(policies, backendName == "native", diagnostics);
    if (!loaded)
      return reportError(json, diagnostics, policies);
  }
  const rune_ipe_module *module = loaded.get();

  std::ifstream requestFile(requestPath, std::ios::binary);
  if (!requestFile)
    return reportError(json, requestPath + ": error: cannot read the request",
                       requestPath);
  std::string text((std::istreambuf_iterator<char>(requestFile)),
                   std::istreambuf_iterator<char>());
  Owned<rune_ipe_request, rune_ipe_request_free> request;
  char *parseError = nullptr;
  if (rune_ipe_request_parse(module, text.data(), text.size(), &request.object,
                             &parseError) != RUNE_OK) {
    // "line:col: message", shown with the line and a caret like every other
    // located error.
    std::string error = takeError(parseError);
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

  Owned<rune_ipe_decision, rune_ipe_decision_free> decided;
  char *decideError = nullptr;
  rune_status status =
      verbose ? rune_ipe_decide_explained(module, request.object,
                                          &decided.object, &decideError)
              : rune_ipe_decide(module, request.object, &decided.object,
                                &decideError);
  if (status != RUNE_OK)
    return reportError(json, tool + ": error: " + takeError(decideError),
                       requestPath);
  const rune_ipe_decision *decision = decided.object;
  bool allow = rune_ipe_decision_result(decision) == RUNE_ALLOW;

  // The deciding policies (indices into the applicable ones): denials and
  // errors on deny, allows on allow.
  size_t applicableCount = rune_ipe_decision_policy_count(decision);
  std::vector<size_t> deciding;
  for (size_t i = 0; i < applicableCount; ++i) {
    bool allowed =
        rune_ipe_decision_policy_outcome(decision, i) == RUNE_IPE_ALLOW;
    if (allow == allowed)
      deciding.push_back(i);
  }
  auto policyOf = [&](size_t applicable) {
    return rune_ipe_decision_policy_index(decision, applicable);
  };
  auto nameOf = [&](size_t applicable) {
    return std::string(
        rune_ipe_module_policy_name(module, policyOf(applicable)));
  };
  auto outcomeOf = [&](size_t applicable) {
    return rune_ipe_decision_policy_outcome(decision, applicable);
  };
  size_t policyCount = rune_ipe_module_policy_count(module);
  size_t evaluated = rune_ipe_decision_evaluated_count(decision);

  if (json) {
    ordered_json out;
    out["decision"] = allow ? "allow" : "deny";
    ordered_json reasons = ordered_json::array();
    for (size_t i : deciding)
      reasons.push_back({{"policy", nameOf(i)},
                         {"outcome", outcomeName(outcomeOf(i))},
                         {outcomeOf(i) == RUNE_IPE_ERROR ? "error" : "reason",
                          rune_ipe_decision_policy_reason(decision, i)},
                         {"metadata", metadataJson(module, policyOf(i))}});
    out["reasons"] = reasons;
    if (deciding.empty())
      out["note"] = "no applicable policy";
    if (verbose) {
      ordered_json applicable = ordered_json::array();
      for (size_t i = 0; i < applicableCount; ++i) {
        ordered_json entry = {{"policy", nameOf(i)},
                              {"outcome", outcomeName(outcomeOf(i))}};
        if (outcomeOf(i) == RUNE_IPE_ERROR)
          entry["error"] = rune_ipe_decision_policy_reason(decision, i);
        else if (const char *condition =
                     rune_ipe_decision_policy_condition(decision, i))
          entry["decided_by"] = {
              {"condition", condition},
              {"result",
               rune_ipe_decision_policy_condition_result(decision, i) != 0},
              {"explanation",
               rune_ipe_decision_policy_explanation(decision, i)}};
        applicable.push_back(entry);
      }
      out["applicable"] = applicable;
      out["evaluated"] = evaluated;
      out["policies"] = policyCount;
    }
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << "decision: " << (allow ? "ALLOW" : "DENY") << "\n";
    if (deciding.empty())
      std::cout << "  no applicable policy\n";
    for (size_t i : deciding) {
      std::cout << fmt::format("  {} [{}]: {}\n", nameOf(i),
                               outcomeName(outcomeOf(i)),
                               rune_ipe_decision_policy_reason(decision, i));
      std::string metadata = metadataText(module, policyOf(i));
      if (!metadata.empty())
        std::cout << "    metadata: " << metadata << "\n";
    }
    if (verbose) {
      std::cout << fmt::format("evaluated {} of {} policies (trigger index)\n",
                               evaluated, policyCount);
      std::cout << "applicable policies:\n";
      if (applicableCount == 0)
        std::cout << "  none\n";
      for (size_t i = 0; i < applicableCount; ++i) {
        std::cout << fmt::format("  {} [{}]\n", nameOf(i),
                                 outcomeName(outcomeOf(i)));
        if (outcomeOf(i) == RUNE_IPE_ERROR) {
          std::cout << "    error: "
                    << rune_ipe_decision_policy_reason(decision, i) << "\n";
        } else if (const char *condition =
                       rune_ipe_decision_policy_condition(decision, i)) {
          std::string verdict = fmt::format(
              "{} is {}", condition,
              rune_ipe_decision_policy_condition_result(decision, i) ? "true"
                                                                     : "false");
          std::string explanation =
              rune_ipe_decision_policy_explanation(decision, i);
          // A truth test explains itself ("x.all is true").
          if (explanation == verdict)
            std::cout << "    " << verdict << "\n";
          else
            std::cout << "    " << verdict << ": " << explanation << "\n";
        }
      }
    }
  }
  return allow ? 0 : 2;
}

} // namespace rune::cli
