//===- IpeRuntimeTest.cpp - The IPE sections, index and engine ------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Modules are written by hand with the ModuleWriter (no compiler), so the
// runtime's data structures are tested on their own: the section codec and
// its checks, truncated sections, the trigger index (groups, missing
// fields, integral floats), slots with interned strings, and decisions.
//
//===----------------------------------------------------------------------===//

#include "rune/Runtime/BytecodeWriter.h"
#include "rune/Runtime/IpeEngine.h"
#include "rune/Runtime/IpeFormat.h"
#include "rune/rune.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <set>
#include <thread>

using namespace rune;
using namespace rune::ipebc;

namespace {

/// Writes the IPE sections of `tables` into `writer` and returns the module.
std::vector<uint8_t> finishModule(bc::ModuleWriter &writer,
                                  const Sections &tables) {
  writer.setIpeSections(encodeModuleSection(tables),
                        encodeIndexSection(tables));
  std::vector<uint8_t> out;
  std::string error;
  EXPECT_TRUE(writer.finish(out, error)) << error;
  return out;
}

/// Policies `Type<i>`: `resource.type == "<types[i]>"` -> allow (policy
/// kinds from `denies`), indexed on resource.type unless `indexed` is false.
/// A last policy `Level` reads resource.level == 3 and is indexed on it.
std::vector<uint8_t> buildModule(const std::vector<std::string> &types,
                                 bool indexed, bool denies = false) {
  bc::ModuleWriter writer;
  Sections tables;
  tables.slots.push_back(
      {writer.internString("resource.type"),
       {writer.internString("resource"), writer.internString("type")}});
  tables.slots.push_back(
      {writer.internString("resource.level"),
       {writer.internString("resource"), writer.internString("level")}});
  IndexGroup byType;
  byType.slots = {0};
  for (size_t i = 0; i < types.size() + 1; ++i) {
    bool level = i == types.size();
    std::string name = level ? "Level" : "Type" + std::to_string(i);
    LiteralInfo literal;
    if (level) {
      literal.kind = LiteralKind::Int;
      literal.intValue = 3;
    } else {
      literal.kind = LiteralKind::String;
      literal.string = writer.internString(types[i]);
    }
    tables.literals.push_back(literal);
    uint32_t lit = uint32_t(tables.literals.size() - 1);
    tables.conditions.push_back({ConditionKind::Eq, 0,
                                 writer.internString(name + " test"),
                                 writer.internString("{a}")});
    uint32_t cond = uint32_t(tables.conditions.size() - 1);
    PolicyInfo info;
    info.requirement = denies ? Requirement::Denies : Requirement::Requires;
    info.intent = writer.internString("intent of " + name);
    tables.policies.push_back(info);
    bc::PolicyCode &code = writer.addPolicy(name, bc::Effect::Permit, {});
    code.emit(bc::Opcode::IpeLoadSlot, {0, level ? 1 : 0});
    code.emit(bc::Opcode::IpeLoadLiteral, {1, lit});
    code.emit(bc::Opcode::IpeCompare, {2, 0, 1, cond});
    bc::Label notApplicable = code.createLabel();
    code.emit(bc::Opcode::JumpIfFalse, {2, notApplicable.id});
    code.emit(bc::Opcode::IpeReturn, {denies ? 2 : 1});
    code.bindLabel(notApplicable);
    code.emit(bc::Opcode::IpeReturn, {0});
    if (level) {
      IndexGroup byLevel;
      byLevel.slots = {1};
      byLevel.keys.push_back({{lit}, {uint32_t(i)}});
      byLevel.policies = {uint32_t(i)};
      if (indexed)
        tables.indexGroups.push_back(byLevel);
      else
        tables.alwaysChecked.push_back(uint32_t(i));
    } else if (indexed) {
      byType.keys.push_back({{lit}, {uint32_t(i)}});
      byType.policies.push_back(uint32_t(i));
    } else {
      tables.alwaysChecked.push_back(uint32_t(i));
    }
  }
  if (indexed)
    tables.indexGroups.insert(tables.indexGroups.begin(), byType);
  return finishModule(writer, tables);
}

struct Engine {
  std::unique_ptr<ipert::Module> module;
  explicit Engine(const std::vector<uint8_t> &bytes) {
    std::string error;
    module = ipert::Module::load(bytes.data(), bytes.size(), error);
    EXPECT_TRUE(module) << error;
  }
  ipert::Decision decide(const std::string &json) {
    std::string error;
    auto request = ipert::Request::parse(*module, json, error);
    EXPECT_TRUE(request) << error;
    ipert::Evaluator evaluator(*module);
    ipert::Decision decision;
    evaluator.decide(*request, decision);
    return decision;
  }
};

TEST(IpeSections, RoundTrip) {
  Sections s;
  s.policies.push_back(
      {Requirement::Denies, kPolicyFlagPredicate, 1, 2, {{3, 4}}});
  s.slots.push_back({5, {6, 7}});
  LiteralInfo f;
  f.kind = LiteralKind::Float;
  f.floatValue = 2.5;
  s.literals.push_back(f);
  s.lists.push_back({0});
  s.enums.push_back({8, {9, 10}});
  s.conditions.push_back({ConditionKind::In, 0, 11, 12});
  s.indexGroups.push_back({{0}, {}, {0}});
  s.alwaysChecked = {0};
  std::vector<uint8_t> module = encodeModuleSection(s);
  std::vector<uint8_t> index = encodeIndexSection(s);
  Sections back;
  std::string error;
  ASSERT_TRUE(decodeModuleSection(module.data(), module.size(), back, error))
      << error;
  ASSERT_TRUE(decodeIndexSection(index.data(), index.size(), back, error))
      << error;
  EXPECT_EQ(back.policies[0].requirement, Requirement::Denies);
  EXPECT_EQ(back.policies[0].flags, kPolicyFlagPredicate);
  EXPECT_EQ(back.policies[0].metadata[0].second, 4u);
  EXPECT_EQ(back.slots[0].components, (std::vector<uint32_t>{6, 7}));
  EXPECT_EQ(back.literals[0].floatValue, 2.5);
  EXPECT_EQ(back.enums[0].members.size(), 2u);
  EXPECT_EQ(back.conditions[0].kind, ConditionKind::In);
  EXPECT_EQ(back.indexGroups[0].policies, (std::vector<uint32_t>{0}));
  EXPECT_EQ(back.alwaysChecked, (std::vector<uint32_t>{0}));
  EXPECT_EQ(checkSections(back, 13, 1), "");
  EXPECT_NE(checkSections(back, 12, 1), ""); // string 12 out of range
  EXPECT_NE(checkSections(back, 13, 2), ""); // entry count mismatch
}

TEST(IpeSections, TruncatedSectionsAreRejected) {
  std::vector<uint8_t> bytes = buildModule({"A", "B"}, true);
  Engine engine(bytes);
  const bc::Module &image = engine.module->bytecode();
  for (const bc::SectionEntry &section : image.sections) {
    if (section.kind != bc::SectionKind::IpeModule &&
        section.kind != bc::SectionKind::IpeTriggerIndex)
      continue;
    for (uint32_t size = 0; size < section.size; ++size) {
      Sections out;
      std::string error;
      bool ok = section.kind == bc::SectionKind::IpeModule
                    ? decodeModuleSection(bytes.data() + section.offset, size,
                                          out, error)
                    : decodeIndexSection(bytes.data() + section.offset, size,
                                         out, error);
      EXPECT_FALSE(ok) << "size " << size;
      EXPECT_NE(error.find("section"), std::string::npos);
    }
  }
}

TEST(IpeEngine, CedarRuntimeRefusesIpeModules) {
  std::vector<uint8_t> bytes = buildModule({"A"}, true);
  rune_engine *engine = rune_engine_create();
  rune_module *module = nullptr;
  char *error = nullptr;
  EXPECT_NE(
      rune_module_load(engine, bytes.data(), bytes.size(), &module, &error),
      RUNE_OK);
  ASSERT_TRUE(error);
  EXPECT_NE(std::string(error).find("IPE module"), std::string::npos);
  rune_string_free(error);
  rune_engine_free(engine);
  // The IPE entry point loads it.
  rune_ipe_module *ipe = nullptr;
  ASSERT_EQ(rune_ipe_module_load(bytes.data(), bytes.size(), &ipe, nullptr),
            RUNE_OK);
  EXPECT_EQ(rune_ipe_module_policy_count(ipe), 2u);
  EXPECT_STREQ(rune_ipe_module_policy_intent(ipe, 0), "intent of Type0");
  rune_ipe_module_free(ipe);
}

TEST(IpeEngine, IndexSelectsOnlyMatchingPolicies) {
  Engine engine(buildModule({"A", "B", "C"}, true));
  ipert::Decision d =
      engine.decide(R"({"resource": {"type": "B", "level": 1}})");
  EXPECT_TRUE(d.allow);
  EXPECT_EQ(d.candidateCount, 1u);
  ASSERT_EQ(d.applicable.size(), 1u);
  EXPECT_EQ(engine.module->policyName(d.applicable[0].policy), "Type1");
}

TEST(IpeEngine, IndexAgreesWithFullEvaluation) {
  Engine indexed(buildModule({"A", "B"}, true));
  Engine full(buildModule({"A", "B"}, false));
  for (const char *json :
       {R"({"resource": {"type": "A", "level": 3}})",
        R"({"resource": {"type": "Z", "level": 3.0}})",
        R"({"resource": {"type": "Z", "level": 3.5}})",
        R"({"resource": {"level": 2}})", R"({"resource": {"type": "A"}})",
        R"({"resource": {"type": ["A"], "level": 2}})",
        R"({"resource": {"type": null, "level": true}})", R"({})"}) {
    ipert::Decision a = indexed.decide(json), b = full.decide(json);
    EXPECT_EQ(a.allow, b.allow) << json;
    ASSERT_EQ(a.applicable.size(), b.applicable.size()) << json;
    for (size_t i = 0; i < a.applicable.size(); ++i) {
      EXPECT_EQ(a.applicable[i].policy, b.applicable[i].policy) << json;
      EXPECT_EQ(a.applicable[i].outcome, b.applicable[i].outcome) << json;
      EXPECT_EQ(a.message(i), b.message(i)) << json;
    }
    EXPECT_LE(a.candidateCount, b.candidateCount) << json;
  }
}

TEST(IpeEngine, MissingFieldIsAnErrorAndDenies) {
  Engine engine(buildModule({"A"}, true));
  ipert::Decision d = engine.decide(R"({"resource": {"level": 3}})");
  EXPECT_FALSE(d.allow);
  ASSERT_EQ(d.applicable.size(), 2u);
  EXPECT_EQ(d.applicable[0].outcome, ipert::Outcome::Error);
  EXPECT_EQ(d.message(0), "missing field 'resource.type'");
  EXPECT_EQ(d.applicable[1].outcome, ipert::Outcome::Allow);
}

TEST(IpeEngine, DenyOverridesAndNothingApplicableDenies) {
  Engine engine(buildModule({"A"}, true, /*denies=*/true));
  EXPECT_FALSE(
      engine.decide(R"({"resource": {"type": "A", "level": 0}})").allow);
  ipert::Decision none =
      engine.decide(R"({"resource": {"type": "Q", "level": 0}})");
  EXPECT_FALSE(none.allow);
  EXPECT_TRUE(none.applicable.empty());
}

TEST(IpeEngine, RequestStringsCarryModuleSymbols) {
  Engine engine(buildModule({"A"}, true));
  std::string error;
  auto request = ipert::Request::parse(
      *engine.module, R"({"resource": {"type": "A", "level": 7}})", error);
  ASSERT_TRUE(request);
  const rune_ipe_value &type = request->slots()[0];
  EXPECT_EQ(type.kind, RUNE_IPE_STRING);
  EXPECT_EQ(type.symbol, engine.module->symbolOf("A"));
  EXPECT_GE(type.symbol, 0);
  EXPECT_EQ(engine.module->symbolOf("not a module string"), -1);
  EXPECT_EQ(request->slots()[1].kind, RUNE_IPE_INT);
}

TEST(IpeEngine, SymbolsOfTextsOfEveryShortLength) {
  // Interning hashes and compares by words, overlapping at the end: every
  // length up to three words, and every byte of each text, must count.
  std::vector<std::string> texts;
  for (size_t length = 1; length <= 24; ++length) {
    std::string text;
    for (size_t i = 0; i < length; ++i)
      text += char('a' + (i * 7 + length) % 26);
    texts.push_back(text);
  }
  Engine engine(buildModule(texts, true));
  const bc::Module &image = engine.module->bytecode();
  for (const std::string &text : texts) {
    int32_t symbol = engine.module->symbolOf(text);
    ASSERT_GE(symbol, 0) << text;
    EXPECT_EQ(image.strings[size_t(symbol)], text);
    for (size_t i = 0; i < text.size(); ++i) {
      std::string other = text;
      other[i] = '#';
      EXPECT_EQ(engine.module->symbolOf(other), -1) << other;
    }
    EXPECT_EQ(engine.module->symbolOf(text + "#"), -1) << text;
    EXPECT_EQ(engine.module->symbolOf(text.substr(1)),
              text.size() > 1 ? -1 : engine.module->symbolOf(""))
        << text;
  }
}

TEST(IpeEngine, MalformedRequestsAreLocated) {
  Engine engine(buildModule({"A"}, true));
  std::string error;
  EXPECT_FALSE(ipert::Request::parse(*engine.module, "{\n  \"a\": ,}", error));
  EXPECT_EQ(error.substr(0, 4), "2:8:");
  EXPECT_FALSE(ipert::Request::parse(*engine.module, "[1]", error));
  EXPECT_EQ(error, "1:1: a request must be a JSON object, not an array");
}

} // namespace

TEST(IpeEngine, RequestsParsedInTurnAndAtOnceReadTheSame) {
  // Request::parse keeps its JSON reader in the module from one request to
  // the next (and lends a new one to a thread that finds it taken): a
  // request must read the same after any other, after a failed one, after
  // one too large to keep the reader of, and on several threads at once.
  Engine engine(buildModule({"A", "B"}, true));
  std::string padding(2 << 20, 'x');
  const std::string texts[] = {
      R"({"resource": {"type": "A", "level": 7}})",
      R"({"resource": {"type": "B", "level": 1.5, "tags": ["a", "b"]}})",
      "{\"resource\": {\"type\": \"A\", \"pad\": \"" + padding + "\"}}",
      R"({"resource": {"type": "A", "type": "B"}})",
      R"({"resource": {"level": 2}})",
      R"({"resource": )",
      R"({"resource": {"type": "B", "level": 3}})",
  };
  auto describeWith = [](const ipert::Module &module, const std::string &text) {
    std::string error;
    auto request = ipert::Request::parse(module, text, error);
    if (!request)
      return "error " + error;
    std::string out;
    for (size_t i = 0; i < 2; ++i) {
      const rune_ipe_value &slot = request->slots()[i];
      out +=
          std::to_string(slot.kind) + ":" + std::to_string(slot.symbol) + ":" +
          std::to_string(slot.payload * (slot.kind != RUNE_IPE_STRING)) + ";";
    }
    return out;
  };
  auto describe = [&](const std::string &text) {
    return describeWith(*engine.module, text);
  };
  // Each alone, with a module of its own: nothing kept from another.
  std::vector<std::string> alone;
  for (const std::string &text : texts)
    alone.push_back(
        describeWith(*Engine(buildModule({"A", "B"}, true)).module, text));
  EXPECT_EQ(alone[0],
            "4:" + std::to_string(engine.module->symbolOf("A")) + ":0;2:0:7;");
  EXPECT_EQ(alone[3].substr(0, 6), "error ");
  EXPECT_EQ(alone[5].substr(0, 6), "error ");
  // In turn, twice over, in both orders.
  for (int round = 0; round < 2; ++round)
    for (size_t k = 0; k < std::size(texts); ++k) {
      size_t i = round ? std::size(texts) - 1 - k : k;
      EXPECT_EQ(describe(texts[i]), alone[i]) << i;
    }
  // At once, on four threads.
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int n = 0; n < 200; ++n) {
        size_t i = size_t(t + n) % std::size(texts);
        if (i == 2)
          continue; // the large one: slow, and covered in turn above
        if (describe(texts[i]) != alone[i])
          ++mismatches;
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(IpeEngine, CApiExplainsDecisions) {
  std::vector<uint8_t> bytes = buildModule({"A", "B"}, true);
  EXPECT_EQ(rune_bytecode_contents(bytes.data(), bytes.size()), RUNE_HOLDS_IPE);
  std::vector<uint8_t> damaged = bytes;
  damaged[damaged.size() / 2] ^= 0xFF;
  EXPECT_EQ(rune_bytecode_contents(damaged.data(), damaged.size()), 0u);

  rune_ipe_module *module = nullptr;
  ASSERT_EQ(rune_ipe_module_load(bytes.data(), bytes.size(), &module, nullptr),
            RUNE_OK);
  EXPECT_EQ(rune_ipe_module_policy_metadata_count(module, 0), 0u);
  EXPECT_EQ(rune_ipe_module_policy_metadata_key(module, 0, 0), nullptr);
  std::string json = R"({"resource": {"type": "B", "level": 1}})";
  rune_ipe_request *request = nullptr;
  ASSERT_EQ(rune_ipe_request_parse(module, json.data(), json.size(), &request,
                                   nullptr),
            RUNE_OK);

  // A plain decision records no conditions.
  rune_ipe_decision *plain = nullptr;
  ASSERT_EQ(rune_ipe_decide(module, request, &plain, nullptr), RUNE_OK);
  ASSERT_EQ(rune_ipe_decision_policy_count(plain), 1u);
  EXPECT_EQ(rune_ipe_decision_evaluated_count(plain), 1u);
  EXPECT_EQ(rune_ipe_decision_policy_condition(plain, 0), nullptr);
  EXPECT_EQ(rune_ipe_decision_policy_explanation(plain, 0), nullptr);
  rune_ipe_decision_free(plain);

  // An explained one names the condition that decided policy Type1, with
  // the request's value filled into its explanation template ("{a}").
  rune_ipe_decision *explained = nullptr;
  ASSERT_EQ(rune_ipe_decide_explained(module, request, &explained, nullptr),
            RUNE_OK);
  EXPECT_EQ(rune_ipe_decision_result(explained), RUNE_ALLOW);
  ASSERT_EQ(rune_ipe_decision_policy_count(explained), 1u);
  EXPECT_EQ(rune_ipe_decision_policy_index(explained, 0), 1u);
  EXPECT_STREQ(rune_ipe_decision_policy_condition(explained, 0), "Type1 test");
  EXPECT_EQ(rune_ipe_decision_policy_condition_result(explained, 0), 1);
  const char *explanation = rune_ipe_decision_policy_explanation(explained, 0);
  ASSERT_NE(explanation, nullptr);
  EXPECT_NE(std::string(explanation).find('B'), std::string::npos);
  EXPECT_EQ(rune_ipe_decision_policy_condition(explained, 1), nullptr);
  rune_ipe_decision_free(explained);
  rune_ipe_request_free(request);
  rune_ipe_module_free(module);
}

namespace {

// Hand-written native code for buildModule({"A", "B"}, true) (policies
// Type0, Type1, Level): Type0 fails on a missing field, Type1 allows, Level
// denies; the decision function reports them in reverse policy order, as a
// compiled one may (it follows the index groups, not the policy order).
int32_t nativeType0(rune_ipe_frame *frame, rune_ipe_value *) {
  return rune_ipe_rt_missing(frame, 0);
}
int32_t nativeType1(rune_ipe_frame *, rune_ipe_value *) { return 1; }
int32_t nativeLevel(rune_ipe_frame *, rune_ipe_value *) { return 2; }
uint32_t nativeDecide(rune_ipe_frame *frame, rune_ipe_value *regs,
                      uint32_t *applicable, uint32_t *evaluated) {
  uint32_t count = 0;
  rune_ipe_policy_fn policies[] = {nativeType0, nativeType1, nativeLevel};
  for (uint32_t p = 3; p-- > 0;)
    if (int32_t result = policies[p](frame, regs))
      applicable[count++] = (p << 2) | uint32_t(result & 3);
  *evaluated = 3;
  return count;
}

rune_policy_fn asPolicyFn(rune_ipe_policy_fn fn) {
  return reinterpret_cast<rune_policy_fn>(reinterpret_cast<void (*)()>(fn));
}

} // namespace

TEST(IpeEngine, NativeDescriptorLayoutsAndDamage) {
  std::vector<uint8_t> bytes = buildModule({"A", "B"}, true);
  rune_policy_fn withDecide[] = {
      asPolicyFn(nativeType0), asPolicyFn(nativeType1), asPolicyFn(nativeLevel),
      reinterpret_cast<rune_policy_fn>(
          reinterpret_cast<void (*)()>(nativeDecide))};
  auto load = [&](uint32_t count, const rune_policy_fn *fns,
                  std::string &error) {
    rune_native_module native{RUNE_NATIVE_ABI_VERSION,
                              count,
                              bytes.data(),
                              bytes.size(),
                              fns,
                              0,
                              nullptr};
    return ipert::Module::loadNative(&native, error);
  };
  std::string error;
  // Layout 1: one function per policy, the runtime's generic decision.
  auto layout1 = load(3, withDecide, error);
  ASSERT_TRUE(layout1) << error;
  EXPECT_EQ(layout1->nativeDecide(), nullptr);
  // Layout 2: the decision function follows.
  auto layout2 = load(4, withDecide, error);
  ASSERT_TRUE(layout2) << error;
  EXPECT_NE(layout2->nativeDecide(), nullptr);
  // Any other count, a missing table or a null function is refused.
  EXPECT_FALSE(load(5, withDecide, error));
  EXPECT_NE(error.find("5 functions for 3 policies"), std::string::npos)
      << error;
  EXPECT_FALSE(load(2, withDecide, error));
  EXPECT_FALSE(load(4, nullptr, error));
  EXPECT_EQ(error, "native module has no function table");
  rune_policy_fn withNull[] = {withDecide[0], nullptr, withDecide[2],
                               withDecide[3]};
  EXPECT_FALSE(load(4, withNull, error));
  EXPECT_EQ(error, "native module: function 1 is null");
}

/// The native module of the hand-written functions above, over the
/// bytecode of buildModule({"A", "B"}, true).
struct HandWrittenNative {
  std::vector<uint8_t> bytes = buildModule({"A", "B"}, true);
  rune_policy_fn fns[4] = {asPolicyFn(nativeType0), asPolicyFn(nativeType1),
                           asPolicyFn(nativeLevel),
                           reinterpret_cast<rune_policy_fn>(
                               reinterpret_cast<void (*)()>(nativeDecide))};
  rune_native_module native{
      RUNE_NATIVE_ABI_VERSION, 4, bytes.data(), bytes.size(), fns, 0, nullptr};
};

TEST(IpeEngine, CompiledDecisionIsOrderedAndKeepsErrorMessages) {
  HandWrittenNative handWritten;
  std::string error;
  auto module = ipert::Module::loadNative(&handWritten.native, error);
  ASSERT_TRUE(module) << error;
  auto request = ipert::Request::parse(*module, R"({"resource": {}})", error);
  ASSERT_TRUE(request) << error;
  ipert::Evaluator evaluator(*module);
  ipert::Decision decision;
  // Twice: the second decision must not keep anything of the first.
  for (int round = 0; round < 2; ++round) {
    evaluator.decide(*request, decision);
    EXPECT_FALSE(decision.allow);
    EXPECT_EQ(decision.candidateCount, 3u);
    ASSERT_EQ(decision.applicable.size(), 3u);
    EXPECT_EQ(decision.applicable[0].policy, 0u);
    EXPECT_EQ(decision.applicable[0].outcome, ipert::Outcome::Error);
    EXPECT_EQ(decision.message(0), "missing field 'resource.type'");
    EXPECT_EQ(decision.applicable[1].policy, 1u);
    EXPECT_EQ(decision.applicable[1].outcome, ipert::Outcome::Allow);
    EXPECT_EQ(decision.message(1), "");
    EXPECT_EQ(decision.applicable[2].policy, 2u);
    EXPECT_EQ(decision.applicable[2].outcome, ipert::Outcome::Deny);
  }
}

namespace {

/// Everything the C API reads of a decision, as text, so that two
/// decisions compare in one assertion.
std::string describe(const rune_ipe_decision *decision) {
  std::string out =
      rune_ipe_decision_result(decision) == RUNE_ALLOW ? "allow" : "deny";
  out += " evaluated " +
         std::to_string(rune_ipe_decision_evaluated_count(decision));
  for (size_t i = 0; i < rune_ipe_decision_policy_count(decision); ++i) {
    out += "; " + std::to_string(rune_ipe_decision_policy_index(decision, i)) +
           " " +
           std::to_string(int(rune_ipe_decision_policy_outcome(decision, i))) +
           " " + rune_ipe_decision_policy_reason(decision, i);
    if (const char *condition = rune_ipe_decision_policy_condition(decision, i))
      out += std::string(" [") + condition + ": " +
             rune_ipe_decision_policy_explanation(decision, i) + "]";
  }
  return out;
}

/// A kept evaluator decides every request as one-shot rune_ipe_decide
/// does, explained or not, in any order; and refuses another module's
/// requests.
void checkEvaluatorAgainstOneShot(rune_ipe_module *module) {
  std::vector<uint8_t> otherBytes = buildModule({"A"}, false);
  rune_ipe_module *otherModule = nullptr;
  ASSERT_EQ(rune_ipe_module_load(otherBytes.data(), otherBytes.size(),
                                 &otherModule, nullptr),
            RUNE_OK);
  const char *jsons[] = {
      R"({"resource": {"type": "A", "level": 3}})",
      R"({"resource": {"type": "B", "level": 1}})",
      R"({"resource": {"type": "Q", "level": 0}})",
      R"({"resource": {"level": 3}})", // resource.type missing: an error
      R"({})",
  };
  std::vector<rune_ipe_request *> requests;
  for (const char *json : jsons) {
    rune_ipe_request *request = nullptr;
    ASSERT_EQ(rune_ipe_request_parse(module, json, std::strlen(json), &request,
                                     nullptr),
              RUNE_OK);
    requests.push_back(request);
  }
  rune_ipe_evaluator *evaluator = nullptr;
  ASSERT_EQ(rune_ipe_evaluator_new(module, &evaluator, nullptr), RUNE_OK);
  std::set<std::string> seen;
  for (int round = 0; round < 3; ++round)
    for (size_t i = 0; i < requests.size(); ++i) {
      // Explained on alternate turns: a plain decision after an explained
      // one must keep none of its conditions.
      bool explain = (round + i) % 2 == 1;
      rune_ipe_decision *oneShot = nullptr;
      ASSERT_EQ(explain
                    ? rune_ipe_decide_explained(module, requests[i], &oneShot,
                                                nullptr)
                    : rune_ipe_decide(module, requests[i], &oneShot, nullptr),
                RUNE_OK);
      const rune_ipe_decision *kept = nullptr;
      ASSERT_EQ(explain ? rune_ipe_evaluator_decide_explained(
                              evaluator, requests[i], &kept, nullptr)
                        : rune_ipe_evaluator_decide(evaluator, requests[i],
                                                    &kept, nullptr),
                RUNE_OK);
      EXPECT_EQ(describe(kept), describe(oneShot)) << jsons[i];
      seen.insert(describe(kept));
      rune_ipe_decision_free(oneShot);
    }
  // The requests do not all decide alike (so the comparison can fail).
  EXPECT_GE(seen.size(), requests.size());

  // A batch decides each request as one decision does; with another
  // module's request in it, nothing.
  std::vector<rune_decision> batch(requests.size(), rune_decision(7));
  ASSERT_EQ(rune_ipe_evaluator_decide_batch(evaluator, requests.data(),
                                            requests.size(), batch.data(),
                                            nullptr),
            RUNE_OK);
  for (size_t i = 0; i < requests.size(); ++i) {
    const rune_ipe_decision *one = nullptr;
    ASSERT_EQ(rune_ipe_evaluator_decide(evaluator, requests[i], &one, nullptr),
              RUNE_OK);
    EXPECT_EQ(batch[i], rune_ipe_decision_result(one)) << jsons[i];
  }

  // Past the applicable policies, the accessors answer "none".
  const rune_ipe_decision *kept = nullptr;
  ASSERT_EQ(rune_ipe_evaluator_decide(evaluator, requests[0], &kept, nullptr),
            RUNE_OK);
  size_t count = rune_ipe_decision_policy_count(kept);
  EXPECT_EQ(rune_ipe_decision_policy_index(kept, count), SIZE_MAX);
  EXPECT_EQ(rune_ipe_decision_policy_outcome(kept, count),
            RUNE_IPE_NOT_APPLICABLE);
  EXPECT_EQ(rune_ipe_decision_policy_reason(kept, count), nullptr);

  // Another module's request: its slots are not this module's.
  const char *json = R"({"resource": {"type": "A", "level": 3}})";
  rune_ipe_request *foreign = nullptr;
  ASSERT_EQ(rune_ipe_request_parse(otherModule, json, std::strlen(json),
                                   &foreign, nullptr),
            RUNE_OK);
  char *error = nullptr;
  const rune_ipe_decision *refused = nullptr;
  EXPECT_EQ(rune_ipe_evaluator_decide(evaluator, foreign, &refused, &error),
            RUNE_ERROR_INVALID_INPUT);
  EXPECT_EQ(refused, nullptr);
  ASSERT_NE(error, nullptr);
  EXPECT_STREQ(error, "the request was parsed for another module");
  rune_string_free(error);
  std::vector<const rune_ipe_request *> mixed = {requests[0], foreign};
  rune_decision untouched[2] = {rune_decision(7), rune_decision(7)};
  EXPECT_EQ(rune_ipe_evaluator_decide_batch(evaluator, mixed.data(), 2,
                                            untouched, &error),
            RUNE_ERROR_INVALID_INPUT);
  EXPECT_STREQ(error, "request 1 was parsed for another module");
  rune_string_free(error);
  EXPECT_EQ(untouched[0], rune_decision(7));
  rune_ipe_decision *refusedOnce = nullptr;
  EXPECT_EQ(rune_ipe_decide(module, foreign, &refusedOnce, nullptr),
            RUNE_ERROR_INVALID_INPUT);
  EXPECT_EQ(refusedOnce, nullptr);
  rune_ipe_request_free(foreign);
  rune_ipe_module_free(otherModule);

  rune_ipe_evaluator_free(evaluator);
  for (rune_ipe_request *request : requests)
    rune_ipe_request_free(request);
}

} // namespace

TEST(IpeEngine, CApiEvaluatorDecidesAsOneShotDecisions) {
  std::vector<uint8_t> bytes = buildModule({"A", "B"}, true);
  rune_ipe_module *module = nullptr;
  ASSERT_EQ(rune_ipe_module_load(bytes.data(), bytes.size(), &module, nullptr),
            RUNE_OK);
  checkEvaluatorAgainstOneShot(module);
  rune_ipe_module_free(module);
}

TEST(IpeEngine, CApiEvaluatorDecidesAsOneShotDecisionsNatively) {
  HandWrittenNative handWritten;
  rune_ipe_module *module = nullptr;
  ASSERT_EQ(rune_ipe_module_load_native(&handWritten.native, &module, nullptr),
            RUNE_OK);
  checkEvaluatorAgainstOneShot(module);
  rune_ipe_module_free(module);
}

namespace {

/// One policy `AnyLead`: approvals.any where approver.role == "lead" (and,
/// for a second column, approver.team read by the same filter), written by
/// hand: entry 0 the policy, entry 1 its filter.
std::vector<uint8_t> buildAggregateModule() {
  bc::ModuleWriter writer;
  Sections tables;
  tables.slots.push_back(
      {writer.internString("approvals"), {writer.internString("approvals")}});
  tables.slots.push_back(
      {writer.internString("resource.type"),
       {writer.internString("resource"), writer.internString("type")}});
  LiteralInfo lead;
  lead.kind = LiteralKind::String;
  lead.string = writer.internString("lead");
  tables.literals.push_back(lead);
  tables.conditions.push_back({ConditionKind::Eq, 0,
                               writer.internString("approver.role == lead"),
                               writer.internString("{a}")});
  PolicyInfo info;
  info.intent = writer.internString("a lead approved");
  tables.policies.push_back(info);
  tables.filters.push_back({1, writer.internString("approver")});
  tables.alwaysChecked.push_back(0);
  bc::PolicyCode &policy = writer.addPolicy("AnyLead", bc::Effect::Permit, {});
  policy.emit(bc::Opcode::IpeLoadCollection, {0, 0});
  policy.emit(bc::Opcode::IpeAggregate, {1, 0, 0, 1});
  policy.emit(bc::Opcode::IpeReturn, {1});
  bc::PolicyCode &filter =
      writer.addPolicy("AnyLead/filter0", bc::Effect::Permit, {});
  // Keys in reverse string order: the columns are sorted by string index.
  filter.emit(bc::Opcode::IpeGetField, {1, 0, writer.internString("team"),
                                        writer.internString("approver.team")});
  filter.emit(bc::Opcode::IpeGetField, {2, 0, writer.internString("role"),
                                        writer.internString("approver.role")});
  filter.emit(bc::Opcode::IpeLoadLiteral, {3, 0});
  filter.emit(bc::Opcode::IpeCompare, {4, 2, 3, 0});
  filter.emit(bc::Opcode::Return, {4});
  return finishModule(writer, tables);
}

int32_t notApplicable(rune_ipe_frame *, rune_ipe_value *) { return 0; }

} // namespace

TEST(IpeEngine, ElementRowsHoldEachFilterField) {
  std::vector<uint8_t> bytes = buildAggregateModule();
  rune_policy_fn fns[] = {asPolicyFn(notApplicable), asPolicyFn(notApplicable)};
  rune_native_module native{
      RUNE_NATIVE_ABI_VERSION, 2, bytes.data(), bytes.size(), fns, 0, nullptr};
  std::string error;
  auto module = ipert::Module::loadNative(&native, error);
  ASSERT_TRUE(module) << error;
  // The columns: every key the filters read, by string index; the slots
  // read as collections.
  const bc::Module &image = module->bytecode();
  ASSERT_EQ(module->elementKeys().size(), 2u);
  EXPECT_EQ(image.strings[module->elementKeys()[0]], "team");
  EXPECT_EQ(image.strings[module->elementKeys()[1]], "role");
  EXPECT_EQ(module->elementKeys(), ipert::elementFieldKeys(image));
  EXPECT_EQ(module->collectionSlotList(), std::vector<uint32_t>{0});

  auto request = ipert::Request::parse(
      *module,
      R"({"approvals": [{"role": "lead", "team": "ops"}, {"role": null},)"
      R"( 7, "lead"], "resource": {"type": ["x"]}})",
      error);
  ASSERT_TRUE(request) << error;
  std::vector<ipert::Value> rows;
  ASSERT_TRUE(ipert::appendElementRows(*module, request->slots()[0], rows));
  ASSERT_EQ(rows.size(), 12u);
  // A row per element: the element itself (an object, an integer, a
  // string with its symbol), then a cell per column, unresolved (missing)
  // until compiled code reads it through rune_ipe_rt_get_field.
  EXPECT_EQ(rows[0].kind, RUNE_IPE_OBJECT);
  EXPECT_EQ(rows[3].kind, RUNE_IPE_OBJECT);
  EXPECT_EQ(rows[6].kind, RUNE_IPE_INT);
  EXPECT_EQ(rows[9].kind, RUNE_IPE_STRING);
  EXPECT_EQ(rows[9].symbol, module->symbolOf("lead"));
  for (size_t row = 0; row < 4; ++row)
    for (size_t column = 1; column < 3; ++column)
      EXPECT_EQ(rows[row * 3 + column].kind, RUNE_IPE_MISSING);
  // Only arrays have rows; an empty array has none.
  for (const char *json : {R"({})", R"({"approvals": "lead"})"}) {
    auto other = ipert::Request::parse(*module, json, error);
    ASSERT_TRUE(other) << error;
    std::vector<ipert::Value> none;
    EXPECT_FALSE(ipert::appendElementRows(*module, other->slots()[0], none))
        << json;
    EXPECT_TRUE(none.empty());
  }
  auto empty = ipert::Request::parse(*module, R"({"approvals": []})", error);
  ASSERT_TRUE(empty) << error;
  std::vector<ipert::Value> noRows;
  EXPECT_TRUE(ipert::appendElementRows(*module, empty->slots()[0], noRows));
  EXPECT_TRUE(noRows.empty());

  // The evaluator's form writes the same rows over a buffer it only grows:
  // a shorter array after a longer one reuses the buffer, its cells
  // unresolved again; an empty array has a pointer to no rows; only arrays
  // have rows.
  std::vector<ipert::Value> buffer;
  ipert::Value *first =
      ipert::buildElementRows(*module, request->slots()[0], buffer);
  ASSERT_EQ(first, buffer.data());
  ASSERT_EQ(buffer.size(), 12u);
  for (size_t i = 0; i < 12; i += 3) {
    EXPECT_EQ(first[i].kind, rows[i].kind);
    EXPECT_EQ(first[i].payload, rows[i].payload);
    EXPECT_EQ(first[i + 1].kind, RUNE_IPE_MISSING);
    EXPECT_EQ(first[i + 2].kind, RUNE_IPE_MISSING);
  }
  first[1].kind = RUNE_IPE_STRING; // as if compiled code resolved it
  auto shorter = ipert::Request::parse(
      *module, R"({"approvals": [{"role": "lead"}]})", error);
  ASSERT_TRUE(shorter) << error;
  ASSERT_EQ(ipert::buildElementRows(*module, shorter->slots()[0], buffer),
            buffer.data());
  EXPECT_EQ(buffer.size(), 12u);
  EXPECT_EQ(buffer[0].kind, RUNE_IPE_OBJECT);
  EXPECT_EQ(buffer[1].kind, RUNE_IPE_MISSING);
  EXPECT_NE(ipert::buildElementRows(*module, empty->slots()[0], buffer),
            nullptr);
  std::vector<ipert::Value> fresh;
  EXPECT_NE(ipert::buildElementRows(*module, empty->slots()[0], fresh),
            nullptr);
  auto notArray =
      ipert::Request::parse(*module, R"({"approvals": "lead"})", error);
  ASSERT_TRUE(notArray) << error;
  EXPECT_EQ(ipert::buildElementRows(*module, notArray->slots()[0], fresh),
            nullptr);
}

TEST(IpeEngine, ErrorMessagesFollowTheirPolicies) {
  ipert::Decision decision;
  decision.applicable = {{0, ipert::Outcome::Error},
                         {1, ipert::Outcome::Allow},
                         {2, ipert::Outcome::Error}};
  decision.errors = {"first", "second"};
  EXPECT_EQ(decision.message(0), "first");
  EXPECT_EQ(decision.message(1), "");
  EXPECT_EQ(decision.message(2), "second");
}
