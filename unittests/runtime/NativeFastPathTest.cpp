//===- NativeFastPathTest.cpp - Native helpers' cached-node fast paths ----===//
//
// rune_rt_in, rune_rt_in_entities, rune_rt_eq and rune_rt_equals_any answer
// from the uids' cached store nodes (EntityStore::inCached) and from a
// leaf-code equality before falling back to the operations of the
// interpreter. These tests check that the fast paths only ever save time:
// every answer and every error is the general path's, whether or not the
// uids have been looked up in the store, for ancestor lists scanned and
// bisected alike.
//
//===----------------------------------------------------------------------===//

#include "CApiSupport.h"
#include "TestSupport.h"

#include "rune/Runtime/Operations.h"
#include "rune/rune_native.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace rune::test {
namespace {

// User::"u" is in Group::"g0", and every Group::"gN" in Group::"gN+1": u has
// kGroups ancestors (more than the 16 that hasAncestorNode scans, so it
// bisects), the groups from none up to kGroups - 1.
constexpr int kGroups = 20;

std::string chainEntities() {
  std::string json = R"([{"uid": {"type": "User", "id": "u"}, "attrs": {},
    "parents": [{"type": "Group", "id": "g0"}]})";
  for (int i = 0; i < kGroups; ++i) {
    json += R"(, {"uid": {"type": "Group", "id": "g)" + std::to_string(i) +
            R"("}, "attrs": {}, "parents": [)";
    if (i + 1 < kGroups)
      json += R"({"type": "Group", "id": "g)" + std::to_string(i + 1) + R"("})";
    json += "]}";
  }
  return json + "]";
}

/// A uid of the test: its rank in the chain (0 for u, i + 1 for gi), or -1
/// for uids the store does not hold.
struct Named {
  const char *type;
  std::string id;
  int rank;
};

std::vector<Named> allUids() {
  std::vector<Named> uids = {
      {"User", "u", 0}, {"User", "stranger", -1}, {"Group", "nowhere", -1}};
  for (int i = 0; i < kGroups; ++i)
    uids.push_back({"Group", "g" + std::to_string(i), i + 1});
  return uids;
}

/// `a in b` by the chain's construction.
bool expectedIn(const Named &a, const Named &b) {
  if (a.rank < 0 || b.rank < 0)
    return a.type == std::string_view(b.type) && a.id == b.id;
  return b.rank >= a.rank;
}

TEST(NativeFastPathTest, InCachedAgreesWithTheHierarchy) {
  Environment env(chainEntities());
  std::vector<Named> uids = allUids();
  for (const Named &a : uids) {
    for (const Named &b : uids) {
      SCOPED_TRACE(a.id + " in " + b.id);
      Value x = env.entity(a.type, a.id), y = env.entity(b.type, b.id);
      const EntityUidData &from = x.asEntity(), &to = y.asEntity();
      // Fresh uids: the caches cannot tell, the general path can.
      EXPECT_EQ(env.store->inCached(from, to), -1);
      EXPECT_EQ(env.store->inAny(from, std::span<const Value>(&y, 1)),
                expectedIn(a, b));
      env.store->resolve(from);
      env.store->resolve(to);
      int cached = env.store->inCached(from, to);
      if (a.rank < 0 && b.rank < 0)
        EXPECT_EQ(cached, -1); // only the strings can tell
      else
        EXPECT_EQ(cached, expectedIn(a, b) ? 1 : 0);
      EXPECT_EQ(env.store->inAny(from, std::span<const Value>(&y, 1)),
                expectedIn(a, b));
    }
  }
}

/// Calls a native helper and the operation it stands for on the same
/// operands and expects the same status, value and error.
template <typename Native, typename General>
void expectSame(Environment &env, Native native, General general) {
  rune_value nativeResult{};
  int32_t status = native(&env.context(), &nativeResult);
  std::string nativeError = env.ctx.error;
  Value generalResult;
  bool ok = general(env.context(), generalResult);
  EXPECT_EQ(status == 0, ok) << nativeError << " / " << env.ctx.error;
  EXPECT_EQ(nativeError, env.ctx.error);
  if (ok && status == 0)
    EXPECT_TRUE(
        valuesEqual(reinterpret_cast<Value &>(nativeResult), generalResult))
        << env.show(reinterpret_cast<Value &>(nativeResult)) << " vs "
        << env.show(generalResult);
}

TEST(NativeFastPathTest, InHelpersGiveTheGeneralPathsAnswersAndErrors) {
  Environment env(chainEntities());
  std::vector<Named> uids = allUids();
  for (int resolved = 0; resolved < 2; ++resolved) {
    for (const Named &a : uids) {
      for (const Named &b : uids) {
        SCOPED_TRACE(a.id + " in " + b.id + (resolved ? " (resolved)" : ""));
        rune_value x{}, y{};
        reinterpret_cast<Value &>(x) = env.entity(a.type, a.id);
        reinterpret_cast<Value &>(y) = env.entity(b.type, b.id);
        if (resolved) {
          env.store->resolve(reinterpret_cast<Value &>(x).asEntity());
          env.store->resolve(reinterpret_cast<Value &>(y).asEntity());
        }
        expectSame(
            env,
            [&](rune_eval_state *state, rune_value *dst) {
              return rune_rt_in(state, dst, &x, &y);
            },
            [&](EvalContext &ctx, Value &dst) {
              return ops::in(ctx, dst, reinterpret_cast<Value &>(x),
                             reinterpret_cast<Value &>(y));
            });
        // The list forms: the candidate first, last, and before a non-entity
        // (an error even after a match, as in Cedar).
        rune_value lists[3][2] = {};
        reinterpret_cast<Value &>(lists[0][0]) = reinterpret_cast<Value &>(y);
        reinterpret_cast<Value &>(lists[0][1]) = env.entity("Group", "other");
        reinterpret_cast<Value &>(lists[1][0]) = env.entity("Group", "other");
        reinterpret_cast<Value &>(lists[1][1]) = reinterpret_cast<Value &>(y);
        reinterpret_cast<Value &>(lists[2][0]) = reinterpret_cast<Value &>(y);
        reinterpret_cast<Value &>(lists[2][1]) = env.lng(1);
        for (rune_value *list : lists) {
          std::span<const Value> elements(reinterpret_cast<Value *>(list), 2);
          expectSame(
              env,
              [&](rune_eval_state *state, rune_value *dst) {
                return rune_rt_in_entities(state, dst, &x, list, 2);
              },
              [&](EvalContext &ctx, Value &dst) {
                return ops::inEntities(ctx, dst, reinterpret_cast<Value &>(x),
                                       elements);
              });
          expectSame(
              env,
              [&](rune_eval_state *state, rune_value *dst) {
                return rune_rt_equals_any(state, dst, &x, list, 2);
              },
              [&](EvalContext &ctx, Value &dst) {
                return ops::equalsAny(ctx, dst, reinterpret_cast<Value &>(x),
                                      elements);
              });
        }
        expectSame(
            env,
            [&](rune_eval_state *state, rune_value *dst) {
              return rune_rt_eq(state, dst, &x, &y);
            },
            [&](EvalContext &ctx, Value &dst) {
              return ops::equal(ctx, dst, reinterpret_cast<Value &>(x),
                                reinterpret_cast<Value &>(y));
            });
      }
    }
  }
  // A non-entity on the left of `in`.
  rune_value number{}, group{};
  reinterpret_cast<Value &>(number) = env.lng(3);
  reinterpret_cast<Value &>(group) = env.entity("Group", "g0");
  expectSame(
      env,
      [&](rune_eval_state *state, rune_value *dst) {
        return rune_rt_in(state, dst, &number, &group);
      },
      [&](EvalContext &ctx, Value &dst) {
        return ops::in(ctx, dst, reinterpret_cast<Value &>(number),
                       reinterpret_cast<Value &>(group));
      });
  expectSame(
      env,
      [&](rune_eval_state *state, rune_value *dst) {
        return rune_rt_in_entities(state, dst, &number, &group, 1);
      },
      [&](EvalContext &ctx, Value &dst) {
        return ops::inEntities(
            ctx, dst, reinterpret_cast<Value &>(number),
            std::span<const Value>(&reinterpret_cast<Value &>(group), 1));
      });
}

TEST(NativeFastPathTest, EqualityGivesTheGeneralPathsAnswers) {
  Environment env;
  std::vector<Value> values = {
      env.lng(1),
      env.lng(2),
      env.boolean(true),
      env.boolean(false),
      env.str("abc"),
      env.str("abc"),
      env.str("abd"),
      env.str("ab"),
      env.str(""),
      env.entity("User", "a"),
      env.entity("User", "a"),
      env.entity("Group", "a"),
      env.set({env.lng(1)}),
      env.set({env.lng(1)}),
      env.record({{"k", env.lng(1)}}),
      env.record({{"k", env.lng(2)}}),
  };
  for (Value &a : values) {
    for (Value &b : values) {
      rune_value x{}, y{};
      reinterpret_cast<Value &>(x) = a;
      reinterpret_cast<Value &>(y) = b;
      SCOPED_TRACE(env.show(a) + " == " + env.show(b));
      expectSame(
          env,
          [&](rune_eval_state *state, rune_value *dst) {
            return rune_rt_eq(state, dst, &x, &y);
          },
          [&](EvalContext &ctx, Value &dst) {
            return ops::equal(ctx, dst, a, b);
          });
      expectSame(
          env,
          [&](rune_eval_state *state, rune_value *dst) {
            return rune_rt_equals_any(state, dst, &x, &y, 1);
          },
          [&](EvalContext &ctx, Value &dst) {
            return ops::equalsAny(ctx, dst, a, std::span<const Value>(&b, 1));
          });
    }
  }
}

TEST(NativeFastPathTest, AttributeHelpersGiveTheGeneralPathsAnswers) {
  Environment env(
      R"([{"uid": {"type": "User", "id": "bob"}, "attrs": {"n": 2}},
          {"uid": {"type": "User", "id": "wide"}, "attrs": {"a": 1, "b": 2,
           "c": 3, "d": 4, "e": 5, "f": 6, "g": 7, "h": 8, "n": 9}}])");
  bc::ModuleWriter writer;
  uint32_t names[] = {writer.internString("n"), writer.internString("a"),
                      writer.internString("missing")};
  env.useModule(finishModule(writer));
  std::vector<Value> objects = {env.entity("User", "bob"),
                                env.entity("User", "wide"),
                                env.entity("User", "carol"), // no such entity
                                env.record({{"n", env.lng(7)}}),
                                env.record({}),
                                env.lng(1)};
  for (int resolved = 0; resolved < 2; ++resolved) {
    for (Value &object : objects) {
      if (resolved && object.is(ValueKind::Entity))
        env.store->resolve(object.asEntity());
      rune_value obj{};
      reinterpret_cast<Value &>(obj) = object;
      for (uint32_t name : names) {
        SCOPED_TRACE(env.show(object) + " attribute " + std::to_string(name) +
                     (resolved ? " (resolved)" : ""));
        Symbol symbol = env.module->stringSymbol(name);
        expectSame(
            env,
            [&](rune_eval_state *state, rune_value *dst) {
              return rune_rt_has_attr(state, dst, &obj, name);
            },
            [&](EvalContext &ctx, Value &dst) {
              return ops::hasAttr(ctx, dst, object, symbol);
            });
        expectSame(
            env,
            [&](rune_eval_state *state, rune_value *dst) {
              return rune_rt_get_attr(state, dst, &obj, name);
            },
            [&](EvalContext &ctx, Value &dst) {
              return ops::getAttr(ctx, dst, object, symbol);
            });
      }
    }
  }
}

// ABI 4 layouts (rune_native.h) that compiled code reads values by: the
// count or length at RUNE_VALUE_AUX_OFFSET of records, sets and strings.
TEST(NativeFastPathTest, ValueLayoutMatchesTheNativeHeader) {
  Environment env;
  auto aux = [](const Value &value) {
    uint32_t word;
    std::memcpy(&word,
                reinterpret_cast<const char *>(&value) + RUNE_VALUE_AUX_OFFSET,
                sizeof word);
    return word;
  };
  auto kind = [](const Value &value) {
    return *reinterpret_cast<const uint8_t *>(&value);
  };
  Value record = env.record({{"a", env.lng(1)}, {"b", env.lng(2)}});
  EXPECT_EQ(kind(record), RUNE_KIND_RECORD);
  EXPECT_EQ(aux(record), 2u);
  const auto *fields = reinterpret_cast<const rune_record_field *>(
      reinterpret_cast<const rune_value &>(record).word1);
  EXPECT_EQ(fields[1].key, env.engine->symbols().intern("b"));
  EXPECT_EQ(reinterpret_cast<const Value &>(fields[1].value).asLong(), 2);
  Value text = env.str("hello");
  EXPECT_EQ(kind(text), RUNE_KIND_STRING);
  EXPECT_EQ(aux(text), 5u);
  Value set = env.set({env.lng(3), env.lng(4), env.lng(5)});
  EXPECT_EQ(kind(set), RUNE_KIND_SET);
  EXPECT_EQ(aux(set), 3u);
}

// EntityStore::describeTo gives compiled code the store's tables: through a
// uid's cached node, its entity's attributes and its ancestors, as the
// store itself answers; a store without a serial matches no uid.
TEST(NativeFastPathTest, StoreTablesInTheFrameAnswerLikeTheStore) {
  Environment env(chainEntities());
  rune_eval_frame frame{};
  env.store->describeTo(frame);
  ASSERT_NE(env.store->serial(), 0u);
  EXPECT_EQ(frame.store_serial, env.store->serial());
  for (const Named &named : allUids()) {
    SCOPED_TRACE(named.id);
    Value uid = env.entity(named.type, named.id);
    const EntityUidData &data = uid.asEntity();
    env.store->resolve(data);
    const auto *layout = reinterpret_cast<const rune_uid_layout *>(&data);
    ASSERT_EQ(layout->store_node >> 32, frame.store_serial);
    uint32_t node = uint32_t(layout->store_node);
    const EntityStore::Entity *entity = env.store->find(data);
    if (named.rank < 0) {
      EXPECT_EQ(node, 0u);
      EXPECT_EQ(entity, nullptr);
      continue;
    }
    ASSERT_NE(node, 0u);
    const rune_store_node &stored = frame.nodes[node - 1];
    EXPECT_EQ(stored.uid->hash, data.hash);
    ASSERT_NE(stored.entity, UINT32_MAX);
    EXPECT_EQ(&reinterpret_cast<const Value &>(
                  frame.entities[stored.entity].attributes),
              &entity->attributes);
    std::vector<const EntityUidData *> ancestors = env.store->ancestorsOf(data);
    ASSERT_EQ(stored.ancestors_count, ancestors.size());
    for (uint32_t i = 0; i < stored.ancestors_count; ++i) {
      uint32_t ancestor = frame.ancestors[stored.ancestors_begin + i];
      if (i)
        EXPECT_LT(frame.ancestors[stored.ancestors_begin + i - 1], ancestor);
      const auto *ancestorUid =
          reinterpret_cast<const EntityUidData *>(frame.nodes[ancestor].uid);
      EXPECT_NE(std::find_if(ancestors.begin(), ancestors.end(),
                             [&](const EntityUidData *a) {
                               return a->type == ancestorUid->type &&
                                      a->id() == ancestorUid->id();
                             }),
                ancestors.end());
    }
  }
  EntityStore unfinished(env.engine);
  unfinished.describeTo(frame);
  EXPECT_EQ(frame.store_serial, UINT64_MAX);
}

// Modules are told apart by serial (the native state is kept per module
// serial), and give compiled code their strings' symbols.
TEST(NativeFastPathTest, ModulesHaveSerialsAndSymbolTables) {
  Environment env;
  bc::ModuleWriter writer;
  uint32_t name = writer.internString("dept");
  std::vector<uint8_t> bytes = finishModule(writer);
  std::string error;
  auto a = LoadedModule::load(env.engine, bytes.data(), bytes.size(), error);
  auto b = LoadedModule::load(env.engine, bytes.data(), bytes.size(), error);
  ASSERT_TRUE(a && b) << error;
  EXPECT_NE(a->serial(), 0u);
  EXPECT_NE(a->serial(), b->serial());
  EXPECT_EQ(a->stringSymbolData()[name], env.engine->symbols().intern("dept"));
  EXPECT_EQ(a->stringSymbolData()[name], a->stringSymbol(name));
}

} // namespace
} // namespace rune::test
