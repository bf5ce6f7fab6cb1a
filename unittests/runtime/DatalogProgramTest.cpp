//===- DatalogProgramTest.cpp - Datalog program sections: verify and run --===//
//
// Modules written by hand with the bytecode writer: a transitive closure
// that runs through datalog::Program and the C API, and damaged programs
// the verifier must reject with a located message.
//
//===----------------------------------------------------------------------===//

#include "rune/Runtime/BytecodeReader.h"
#include "rune/Runtime/BytecodeWriter.h"
#include "rune/Runtime/Datalog/FactsIO.h"
#include "rune/Runtime/Datalog/Program.h"
#include "rune/rune.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>

using namespace rune;
using bc::DatalogOpcode;

namespace {

class Bytes {
public:
  Bytes &u8(uint64_t v) {
    data.push_back(uint8_t(v));
    return *this;
  }
  Bytes &u16(uint64_t v) { return u8(v).u8(v >> 8); }
  Bytes &u32(uint64_t v) { return u16(v).u16(v >> 16); }
  Bytes &u64(uint64_t v) { return u32(v).u32(v >> 32); }
  Bytes &op(DatalogOpcode opcode) { return u8(uint8_t(opcode)); }
  /// A size-prefixed body.
  Bytes &body(const std::function<void(Bytes &)> &fill) {
    Bytes inner;
    fill(inner);
    u32(inner.data.size());
    data.insert(data.end(), inner.data.begin(), inner.data.end());
    return *this;
  }
  std::vector<uint8_t> data;
};

struct ModuleParts {
  Bytes relations;
  Bytes code;
};

/// e(a, b) with one index (0, 1) and t(a, b) output with indexes (0, 1),
/// (1, 0); strings 0.. are interned by the writer.
ModuleParts closureProgram(bc::ModuleWriter &writer) {
  ModuleParts parts;
  Bytes &r = parts.relations;
  r.u32(2);
  for (const char *name : {"e", "t"}) {
    r.u32(writer.internString(name)).u8(2);
    r.u32(writer.internString("a")).u8(0).u32(writer.internString("b")).u8(0);
    bool isT = name[0] == 't';
    r.u8(isT ? bc::kDatalogOutput : 0);
    if (isT)
      r.u32(writer.internString("t.csv")).u32(writer.internString("\t"));
    r.u8(isT ? 2 : 1).u8(0).u8(1);
    if (isT)
      r.u8(1).u8(0);
  }
  Bytes &c = parts.code;
  c.u32(6);
  c.op(DatalogOpcode::Stratum).body([](Bytes &s) {
    for (auto [a, b] : {std::pair{1, 2}, std::pair{2, 3}})
      s.op(DatalogOpcode::Query).body([&](Bytes &q) {
        q.op(DatalogOpcode::ConstWord).u16(0).u64(a);
        q.op(DatalogOpcode::ConstWord).u16(1).u64(b);
        q.op(DatalogOpcode::Insert).u16(0).u8(0).u16(0);
      });
  });
  c.op(DatalogOpcode::Stratum).body([](Bytes &s) {
    s.op(DatalogOpcode::Query).body([](Bytes &q) {
      q.op(DatalogOpcode::Scan).u16(0).u8(0).u16(0).body([](Bytes &b) {
        b.op(DatalogOpcode::Insert).u16(1).u8(0).u16(0);
      });
    });
    s.op(DatalogOpcode::Fixpoint).u16(1).u16(1).body([](Bytes &f) {
      f.op(DatalogOpcode::Query).body([](Bytes &q) {
        // t(x, z) :- t(x, y), e(y, z).
        q.op(DatalogOpcode::Scan).u16(1).u8(1).u16(0).body([](Bytes &b) {
          b.op(DatalogOpcode::Lookup)
              .u16(0)
              .u8(0)
              .u8(0)
              .u16(1)
              .u8(1)
              .u16(2)
              .body([](Bytes &l) {
                l.op(DatalogOpcode::Move).u16(4).u16(0);
                l.op(DatalogOpcode::Move).u16(5).u16(3);
                l.op(DatalogOpcode::Insert).u16(1).u8(2).u16(4);
              });
        });
      });
    });
  });
  return parts;
}

bool writeModule(
    const std::function<void(bc::ModuleWriter &, ModuleParts &)> &damage,
    std::vector<uint8_t> &bytes, std::string &error) {
  bc::ModuleWriter writer;
  ModuleParts parts = closureProgram(writer);
  damage(writer, parts);
  writer.setDatalogSections(parts.relations.data, parts.code.data);
  return writer.finish(bytes, error);
}

TEST(DatalogProgramTest, ClosureRuns) {
  std::vector<uint8_t> bytes;
  std::string error;
  ASSERT_TRUE(writeModule([](auto &, auto &) {}, bytes, error)) << error;
  bc::Module module;
  ASSERT_TRUE(bc::readModule(bytes.data(), bytes.size(), module, error))
      << error;
  std::unique_ptr<datalog::Program> program =
      datalog::Program::load(module, error);
  ASSERT_TRUE(program) << error;
  program->run();
  unsigned t = *program->findRelation("t");
  EXPECT_EQ(datalog::formatFacts(program->relation(t), program->symbols()),
            "1\t2\n1\t3\n2\t3\n");
}

TEST(DatalogProgramTest, CApi) {
  std::vector<uint8_t> bytes;
  std::string error;
  ASSERT_TRUE(writeModule([](auto &, auto &) {}, bytes, error)) << error;
  rune_datalog *program = nullptr;
  char *message = nullptr;
  ASSERT_EQ(rune_datalog_load(bytes.data(), bytes.size(), &program, &message),
            RUNE_OK);
  ASSERT_EQ(rune_datalog_relation_count(program), 2u);
  EXPECT_STREQ(rune_datalog_relation_name(program, 1), "t");
  const char *extra[] = {"3", "4"};
  ASSERT_EQ(rune_datalog_insert(program, "e", extra, 2, &message), RUNE_OK);
  const char *bad[] = {"x", "4"};
  ASSERT_EQ(rune_datalog_insert(program, "e", bad, 2, &message),
            RUNE_ERROR_INVALID_INPUT);
  EXPECT_STREQ(message, "column 1: expected a number, got 'x'");
  rune_string_free(message);
  ASSERT_EQ(rune_datalog_run(program, nullptr), RUNE_OK);
  size_t size = 0;
  ASSERT_EQ(rune_datalog_relation_size(program, "t", &size, nullptr), RUNE_OK);
  EXPECT_EQ(size, 6u); // 1-2 1-3 1-4 2-3 2-4 3-4
  char *text = nullptr;
  ASSERT_EQ(rune_datalog_relation_text(program, "t", &text, nullptr), RUNE_OK);
  EXPECT_STREQ(text, "1\t2\n1\t3\n1\t4\n2\t3\n2\t4\n3\t4\n");
  rune_string_free(text);
  EXPECT_EQ(rune_datalog_relation_size(program, "nope", &size, &message),
            RUNE_ERROR_INVALID_INPUT);
  EXPECT_STREQ(message, "no relation 'nope'");
  rune_string_free(message);
  rune_datalog_free(program);
}

/// Rewrites the code section from scratch with `code`.
void replaceCode(ModuleParts &parts, const std::function<void(Bytes &)> &code) {
  parts.code = Bytes();
  parts.code.u32(4);
  code(parts.code);
}

std::string rejection(
    const std::function<void(bc::ModuleWriter &, ModuleParts &)> &damage) {
  std::vector<uint8_t> bytes;
  std::string error;
  if (writeModule(damage, bytes, error))
    return "accepted";
  return error;
}

TEST(DatalogProgramTest, VerifierRejectsDamage) {
  EXPECT_NE(rejection([](auto &, ModuleParts &parts) {
              parts.code.data.pop_back();
            }).find("datalog: DatalogCode offset"),
            std::string::npos);
  EXPECT_NE(
      rejection([](auto &, ModuleParts &parts) {
        replaceCode(parts, [](Bytes &c) {
          c.op(DatalogOpcode::Query).body([](Bytes &q) {
            q.op(DatalogOpcode::Scan).u16(0).u8(1).u16(0).body([](Bytes &) {});
          });
        });
      }).find("delta/new version of relation 'e' outside a fixpoint"),
      std::string::npos);
  EXPECT_NE(rejection([](auto &, ModuleParts &parts) {
              replaceCode(parts, [](Bytes &c) {
                c.op(DatalogOpcode::Query).body([](Bytes &q) {
                  q.op(DatalogOpcode::Accumulate).u16(0);
                });
              });
            }).find("accumulate outside an aggregate"),
            std::string::npos);
  EXPECT_NE(
      rejection([](auto &, ModuleParts &parts) {
        replaceCode(parts, [](Bytes &c) {
          c.op(DatalogOpcode::Query).body([](Bytes &q) {
            q.op(DatalogOpcode::Scan).u16(0).u8(0).u16(3).body([](Bytes &) {});
          });
        });
      }).find("register range 3+2 exceeds the register count 4"),
      std::string::npos);
  EXPECT_NE(
      rejection([](auto &, ModuleParts &parts) {
        replaceCode(parts, [](Bytes &c) {
          c.op(DatalogOpcode::Query).body([](Bytes &q) {
            q.op(DatalogOpcode::Scan).u16(0).u8(0).u16(0).body([](Bytes &b) {
              b.op(DatalogOpcode::Insert).u16(0).u8(0).u16(0);
            });
          });
        });
      })
          .find("insert into relation 'e' while an enclosing loop "
                "iterates over it"),
      std::string::npos);
  EXPECT_NE(rejection([](auto &, ModuleParts &parts) {
              replaceCode(parts, [](Bytes &c) {
                c.op(DatalogOpcode::Query).body([](Bytes &q) {
                  q.op(DatalogOpcode::Query).body([](Bytes &) {});
                });
              });
            }).find("opcode 0x82 cannot appear here"),
            std::string::npos);
  EXPECT_NE(rejection([](auto &, ModuleParts &parts) {
              // An index that is not a permutation: e's index (0, 0).
              parts.relations.data[22] = 0;
            }).find("is not a permutation of its columns"),
            std::string::npos);
}

} // namespace
