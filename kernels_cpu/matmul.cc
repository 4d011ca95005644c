// MatMul math on the CPU: float products through oneDNN's sgemm, but the
// smallest and matrix-vector ones, which Eigen's tensor contraction does
// faster on the intra-op ThreadPoolDevice (matmul_contract.cc, in the best
// ISA this CPU has), as it does every double product.
#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "kernels_cpu/cpu_math.h"
#include "kernels_cpu/dnnl_conv.h"
#include "kernels_cpu/matmul_contract.h"
#include "src/framework/cwise_functors.h"
#include "src/runtime/cuda_plugin.h"

namespace tessera {
namespace cpu {
namespace {

// Whether this CPU (and its OS) runs code for `level`.
bool CpuRuns(const std::string& level) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  // (F16C, LZCNT and MOVBE come with every AVX2+FMA+BMI2 CPU; clang cannot ask for F16C.)
  const bool v3 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi") &&
                  __builtin_cpu_supports("bmi2");
  if (level == "x86-64-v3") return v3;
  if (level == "x86-64-v4") {
    return v3 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl");
  }
#endif
  return false;
}

}  // namespace

StatusOr<const ContractTable*> LoadContracts(const std::string& level) {
  if (!TESSERA_CPU_MODULES_BUILT) {
    return UnavailableError("this build has no ISA modules (TESSERA_NATIVE=ON, or not x86-64)");
  }
  if (level != "x86-64-v3" && level != "x86-64-v4") return InvalidArgumentError("no ISA module for " + level);
  if (!CpuRuns(level)) return UnavailableError("this CPU does not run " + level + " code");
  const std::string& dir = RuntimeDirectory();
  if (dir.empty()) return UnavailableError("the static library loads no ISA modules");
  const std::string path = dir + "/libtessera_cpu_" + level + ".so";
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    return UnavailableError(path + " could not be loaded: " + (why != nullptr ? why : "unknown dlopen error"));
  }
  using Entry = const ContractTable* (*)();
  auto entry = reinterpret_cast<Entry>(dlsym(handle, "tessera_cpu_contracts_v1"));
  const ContractTable* t = entry != nullptr ? entry() : nullptr;
  if (t == nullptr || std::string(t->version) != BuiltinContracts().version) {
    dlclose(handle);
    return UnavailableError(path + " is not this tessera's ISA module");
  }
  return t;  // never unloaded
}

const ContractTable& Contracts() {
  static const ContractTable* chosen = [] {
    // $TESSERA_CPU_ISA caps the level ("x86-64-v2" keeps the library's own).
    const char* cap = std::getenv("TESSERA_CPU_ISA");
    for (const char* level : {"x86-64-v4", "x86-64-v3"}) {
      if (cap != nullptr && std::string(cap) < level) continue;
      StatusOr<const ContractTable*> t = LoadContracts(level);
      if (t.ok()) return *t;
    }
    return &BuiltinContracts();
  }();
  return *chosen;
}

}  // namespace cpu

namespace {

template <typename T>
ContractFn ContractFor() {
  return std::is_same_v<T, float> ? cpu::Contracts().f32 : cpu::Contracts().f64;
}

// Integer products: a plain loop whose multiply-adds wrap as TF's do (Eigen's
// contraction would overflow signed integers, which is undefined).
template <typename T>
void IntegerProduct(const Tensor& a, const Tensor& b, bool ta, bool tb, const MatMulDims& d, Tensor* out) {
  const T* av = a.flat<T>().data();
  const T* bv = b.flat<T>().data();
  T* cv = out->flat<T>().data();
  for (int64_t i = 0; i < d.m; ++i) {
    for (int64_t j = 0; j < d.n; ++j) {
      T acc = 0;
      for (int64_t p = 0; p < d.k; ++p) {
        const T x = ta ? av[p * d.m + i] : av[i * d.k + p];
        const T y = tb ? bv[j * d.k + p] : bv[p * d.n + j];
        acc = functor::Add()(acc, functor::Mul()(x, y));
      }
      cv[i * d.n + j] = acc;
    }
  }
}

// Which float products run through oneDNN's sgemm (on the calling thread;
// kernels_cpu/dnnl_conv.cc) and which through Eigen's contraction. Paired
// through a Session on 1 and 2 threads (bench/RESULTS.md), sgemm is faster
// from 16x256x8 up (64x784x256: 157 against 203 us on one thread, 88
// against 194 on two), Eigen below 2^16 flops (4^3: 0.58 against 1.0 us) and
// for a single row of A below 2^25 flops (1x784x256: 7.2 against 9.4 us).
constexpr double kDnnlFlops = double{1 << 16};
constexpr double kDnnlRowFlops = double{1 << 25};

bool UseDnnl(DataType dtype, const MatMulDims& d, double flops) {
  if (dtype != DataType::kFloat) return false;
  return flops >= (d.m == 1 ? kDnnlRowFlops : kDnnlFlops);
}

// oneDNN's products run in cancellable tiles of up to this many flops (about
// 25-50 ms of one core here). Each call packs its own panels of A and B, so
// smaller tiles cost speed: paired at 2048^3, 64-row blocks of 2^28 flops ran
// 30-45 % slower than one call, tiles of 2^32 within 5 % of it
// (bench/RESULTS.md).
constexpr double kDnnlTileFlops = 4294967296.0;  // 2^32

// The tile of a product: about square (each of A's rows and B's columns is
// packed once per tile, so the perimeter is what costs), multiples of 64.
struct Tile {
  int64_t rows, cols;
};
Tile DnnlTile(const MatMulDims& d) {
  const double k = static_cast<double>(std::max<int64_t>(d.k, 1));
  if (2.0 * static_cast<double>(d.m) * static_cast<double>(d.n) * k <= kDnnlTileFlops) return {d.m, d.n};
  const double area = kDnnlTileFlops / (2.0 * k);  // rows * cols of one tile
  const auto round64 = [](double x) { return std::max<int64_t>(64, static_cast<int64_t>(x / 64) * 64); };
  int64_t rows = std::min(d.m, round64(std::sqrt(area)));
  const int64_t cols = std::min(d.n, round64(area / static_cast<double>(rows)));
  if (cols == d.n) rows = std::min(d.m, round64(area / static_cast<double>(cols)));
  return {rows, cols};
}

// A float product through oneDNN's sgemm, tile by tile (C's tile (r0, c0) is
// rows r0.. of op(A) times columns c0.. of op(B)).
Status DnnlProduct(OpKernelContext& ctx, const Tensor& a, const Tensor& b, bool ta, bool tb, const MatMulDims& d,
                   Tensor* out) {
  const Tile t = DnnlTile(d);
  const float* av = a.flat<float>().data();
  const float* bv = b.flat<float>().data();
  float* cv = out->flat<float>().data();
  for (int64_t r0 = 0; r0 < d.m; r0 += t.rows) {
    for (int64_t c0 = 0; c0 < d.n; c0 += t.cols) {
      if (ctx.ShouldStop()) return Status::OK();
      cpu::SgemmArgs g{ta, tb, std::min(t.rows, d.m - r0), std::min(t.cols, d.n - c0), d.k};
      g.a = ta ? av + r0 : av + r0 * d.k;
      g.lda = ta ? d.m : d.k;
      g.b = tb ? bv + c0 * d.k : bv + c0;
      g.ldb = tb ? d.k : d.n;
      g.c = cv + r0 * d.n + c0;
      g.ldc = d.n;
      TESSERA_RETURN_IF_ERROR(cpu::DnnlSgemm(ctx, g));
    }
  }
  return Status::OK();
}

Status MatMul(OpKernelContext& ctx, const Tensor& a, const Tensor& b, bool ta, bool tb, const MatMulDims& d,
              Tensor* out) {
  const double flops = 2.0 * static_cast<double>(d.m) * static_cast<double>(d.n) * static_cast<double>(d.k);
  if (UseDnnl(a.dtype(), d, flops)) return DnnlProduct(ctx, a, b, ta, tb, d, out);
  return SwitchNumericTypes(a.dtype(), [&]<typename T>() {
    if constexpr (std::is_integral_v<T>) {
      IntegerProduct<T>(a, b, ta, tb, d, out);
    } else {
      ContractFor<T>()(ctx, a, b, ta, tb, d, out);
    }
  });
}

}  // namespace

void cpu::AddMatMulMath(BackendKernels& b) { b.matmul = {MatMul, NumericTypes()}; }

}  // namespace tessera
