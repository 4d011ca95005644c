// MatMul's Eigen contraction (matmul_contract.h). Compiled into the library
// (its build's ISA) and, with TESSERA_ISA_MODULE set to the level's name,
// into a module of its own with hidden symbols.
#define EIGEN_USE_THREADS
#include "kernels_cpu/matmul_contract.h"

#include <algorithm>
#include <unsupported/Eigen/CXX11/Tensor>

#include "src/runtime/cpu_context.h"

namespace tessera::cpu {
namespace {

template <typename T>
void Contract(OpKernelContext& ctx, const Tensor& a, const Tensor& b, bool ta, bool tb, const MatMulDims& d,
              Tensor* out) {
  using Matrix = Eigen::TensorMap<Eigen::Tensor<T, 2, Eigen::RowMajor>, Eigen::Aligned>;
  using ConstMatrix = Eigen::TensorMap<Eigen::Tensor<const T, 2, Eigen::RowMajor>, Eigen::Aligned>;
  Matrix c(out->flat<T>().data(), d.m, d.n);
  if (d.k == 0) {
    c.setZero();
    return;
  }
  ConstMatrix am(a.flat<T>().data(), a.dim(0), a.dim(1));
  ConstMatrix bm(b.flat<T>().data(), b.dim(0), b.dim(1));
  Eigen::array<Eigen::IndexPair<Eigen::Index>, 1> dims = {Eigen::IndexPair<Eigen::Index>(ta ? 0 : 1, tb ? 1 : 0)};
  const Eigen::ThreadPoolDevice* pool = ctx.cpu() != nullptr ? ctx.cpu()->eigen_device() : nullptr;
  const double flops = 2.0 * static_cast<double>(d.m) * static_cast<double>(d.n) * static_cast<double>(d.k);
  const CoreLease lease(pool != nullptr ? ctx.cpu()->num_threads() : 1);  // no pool: this thread alone
  if (flops < kMatMulCancellationFlops) {
    if (pool != nullptr) {
      c.device(*pool) = am.contract(bm, dims);
    } else {
      c = am.contract(bm, dims);
    }
    return;
  }
  // A large product runs in blocks of output rows, checking for cancellation
  // between blocks (Close and deadlines take effect within one block).
  const auto rows = static_cast<Eigen::Index>(
      std::max<double>(64.0, kMatMulCancellationFlops / (2.0 * static_cast<double>(d.n) * static_cast<double>(d.k))));
  for (Eigen::Index r0 = 0; r0 < d.m; r0 += rows) {
    if (ctx.ShouldStop()) return;
    const Eigen::Index nr = std::min<Eigen::Index>(rows, d.m - r0);
    // Rows r0.. of op(A): rows of A, or columns of A when it is transposed.
    const Eigen::array<Eigen::Index, 2> a_off =
        ta ? Eigen::array<Eigen::Index, 2>{0, r0} : Eigen::array<Eigen::Index, 2>{r0, 0};
    const Eigen::array<Eigen::Index, 2> a_ext =
        ta ? Eigen::array<Eigen::Index, 2>{d.k, nr} : Eigen::array<Eigen::Index, 2>{nr, d.k};
    auto block = c.slice(Eigen::array<Eigen::Index, 2>{r0, 0}, Eigen::array<Eigen::Index, 2>{nr, d.n});
    if (pool != nullptr) {
      block.device(*pool) = am.slice(a_off, a_ext).contract(bm, dims);
    } else {
      block = am.slice(a_off, a_ext).contract(bm, dims);
    }
  }
}

}  // namespace

#ifdef TESSERA_ISA_MODULE
}  // namespace tessera::cpu

extern "C" __attribute__((visibility("default"))) const tessera::cpu::ContractTable* tessera_cpu_contracts_v1() {
  static const tessera::cpu::ContractTable table{TESSERA_VERSION_STRING, TESSERA_ISA_MODULE,
                                                 &tessera::cpu::Contract<float>, &tessera::cpu::Contract<double>};
  return &table;
}
#else
const ContractTable& BuiltinContracts() {
#ifdef TESSERA_NATIVE_BUILD
  static const ContractTable table{TESSERA_VERSION_STRING, "native", &Contract<float>, &Contract<double>};
#else
  static const ContractTable table{TESSERA_VERSION_STRING, "x86-64-v2", &Contract<float>, &Contract<double>};
#endif
  return table;
}

}  // namespace tessera::cpu
#endif
