// The portable build's MatMul modules (kernels_cpu/matmul_contract.h): the
// library itself holds x86-64-v2 code only, and the contraction for newer
// CPUs comes from modules beside it, chosen by what this CPU runs. Every
// module this CPU can load computes what the library's own code does.
#include <gtest/gtest.h>
#include <tessera/tessera.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "kernels_cpu/matmul_contract.h"

namespace tessera {
namespace {

Tensor Random(DataType dt, int64_t rows, int64_t cols, uint64_t seed) {
  Tensor t(dt, TensorShape{rows, cols});
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 7;
  for (int64_t i = 0; i < t.num_elements(); ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    const double u = static_cast<double>(x >> 11) / static_cast<double>(uint64_t{1} << 53) - 0.5;
    if (dt == DataType::kFloat) {
      t.flat<float>()[i] = static_cast<float>(u);
    } else {
      t.flat<double>()[i] = u;
    }
  }
  return t;
}

// out = op(a) op(b) through `table`, without a thread pool.
Tensor Product(const cpu::ContractTable& table, const Tensor& a, const Tensor& b, bool ta, bool tb) {
  auto g = Graph::Create();
  Output m = ops::MatMul(*g, ops::Const(*g, a), ops::Const(*g, b), ta, tb);
  const MatMulDims d = MatMulGeometry(a.shape(), b.shape(), ta, tb).value();
  Tensor out(a.dtype(), TensorShape{d.m, d.n});
  const Tensor* inputs[2] = {&a, &b};
  OpKernelContext ctx(*m.node(), nullptr, inputs, 2, &out);
  (a.dtype() == DataType::kFloat ? table.f32 : table.f64)(ctx, a, b, ta, tb, d, &out);
  return out;
}

TEST(CpuIsa, TheLibraryIsPortableAndTheBestModuleIsChosen) {
  const std::string own = cpu::BuiltinContracts().isa;
  if (!TESSERA_CPU_MODULES_BUILT) GTEST_SKIP() << "no ISA modules in this build (library: " << own << ")";
  EXPECT_EQ(own, "x86-64-v2");
  std::string best = own;
  for (const char* level : {"x86-64-v3", "x86-64-v4"}) {
    StatusOr<const cpu::ContractTable*> t = cpu::LoadContracts(level);
    if (t.ok()) {
      EXPECT_EQ(std::string((*t)->isa), level);
      best = level;
    } else {
      EXPECT_NE(t.status().message().find("does not run"), std::string::npos) << t.status();
    }
  }
  EXPECT_EQ(std::string(cpu::Contracts().isa), best);
  EXPECT_EQ(cpu::LoadContracts("x86-64-v9").status().code(), Code::kInvalidArgument);
  // scripts/check_v2_cpu.sh runs this under an emulated CPU and says which level it has.
  if (const char* expected = std::getenv("TESSERA_EXPECT_CPU_ISA")) EXPECT_EQ(best, expected);
}

TEST(CpuIsa, EveryModuleComputesWhatTheLibraryDoes) {
  std::vector<const cpu::ContractTable*> tables = {&cpu::BuiltinContracts()};
  for (const char* level : {"x86-64-v3", "x86-64-v4"}) {
    if (auto t = cpu::LoadContracts(level); t.ok()) tables.push_back(*t);
  }
  struct Case {
    int64_t m, k, n;
    bool ta, tb;
  };
  for (const Case c : {Case{64, 784, 256, false, false}, Case{1, 784, 256, false, false}, Case{33, 17, 9, true, false},
                       Case{5, 64, 70, false, true}, Case{4, 0, 3, false, false}}) {
    for (const DataType dt : {DataType::kFloat, DataType::kDouble}) {
      const Tensor a = c.ta ? Random(dt, c.k, c.m, 1) : Random(dt, c.m, c.k, 1);
      const Tensor b = c.tb ? Random(dt, c.n, c.k, 2) : Random(dt, c.k, c.n, 2);
      const Tensor want = Product(*tables[0], a, b, c.ta, c.tb);
      for (const cpu::ContractTable* t : tables) {
        SCOPED_TRACE(std::string(t->isa) + " " + std::to_string(c.m) + "x" + std::to_string(c.k) + "x" +
                     std::to_string(c.n) + " " + std::string(DataTypeString(dt)));
        const Tensor got = Product(*t, a, b, c.ta, c.tb);
        ASSERT_EQ(got.shape(), want.shape());
        const double tol = (dt == DataType::kFloat ? 2e-6 : 1e-14) * std::sqrt(static_cast<double>(c.k) + 1);
        for (int64_t i = 0; i < got.num_elements(); ++i) {
          const double x = dt == DataType::kFloat ? got.flat<float>()[i] : got.flat<double>()[i];
          const double y = dt == DataType::kFloat ? want.flat<float>()[i] : want.flat<double>()[i];
          ASSERT_NEAR(x, y, tol) << "element " << i;
        }
      }
    }
  }
}

}  // namespace
}  // namespace tessera
