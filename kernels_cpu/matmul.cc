// MatMul math on the CPU: Eigen's tensor contraction on the intra-op ThreadPoolDevice;
// large float products through oneDNN's sgemm.
#define EIGEN_USE_THREADS
#include <unsupported/Eigen/CXX11/Tensor>

#include "kernels_cpu/cpu_math.h"
#include "kernels_cpu/dnnl_conv.h"
#include "src/framework/cwise_functors.h"

namespace tessera {
namespace {

// Products of at least this many flops run in cancellable blocks of rows
// (about 10-50 ms of work each here).
constexpr double kMatMulCancellationFlops = double{1 << 28};

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

// Float products of at least this many flops run through oneDNN's sgemm:
// paired here, the CNN's dense layers (64x3136x1024) 15 % faster per step on
// one thread and on two, the MLP at batch 256 even on one thread and 20 %
// faster on two (bench/RESULTS.md). Smaller ones stay with Eigen on the
// intra-op pool (no hand-off to oneDNN's thread).
constexpr double kDnnlFlops = double{1 << 25};

// A float product through oneDNN, in the same cancellable blocks of rows.
Status DnnlProduct(OpKernelContext& ctx, const Tensor& a, const Tensor& b, bool ta, bool tb, const MatMulDims& d,
                   Tensor* out) {
  const double flops = 2.0 * static_cast<double>(d.m) * static_cast<double>(d.n) * static_cast<double>(d.k);
  const int64_t rows = flops < kMatMulCancellationFlops
                           ? d.m
                           : std::max<int64_t>(64, static_cast<int64_t>(kMatMulCancellationFlops /
                                                                        (2.0 * static_cast<double>(d.n * d.k))));
  const float* av = a.flat<float>().data();
  float* cv = out->flat<float>().data();
  for (int64_t r0 = 0; r0 < d.m; r0 += rows) {
    if (ctx.ShouldStop()) return Status::OK();
    cpu::SgemmArgs g{ta, tb, std::min<int64_t>(rows, d.m - r0), d.n, d.k};
    g.a = ta ? av + r0 : av + r0 * d.k;  // rows r0.. of op(A)
    g.lda = ta ? d.m : d.k;
    g.b = b.flat<float>().data();
    g.ldb = tb ? d.k : d.n;
    g.c = cv + r0 * d.n;
    g.ldc = d.n;
    TESSERA_RETURN_IF_ERROR(cpu::DnnlSgemm(ctx, g));
  }
  return Status::OK();
}

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

Status MatMul(OpKernelContext& ctx, const Tensor& a, const Tensor& b, bool ta, bool tb, const MatMulDims& d,
              Tensor* out) {
  const double flops = 2.0 * static_cast<double>(d.m) * static_cast<double>(d.n) * static_cast<double>(d.k);
  if (a.dtype() == DataType::kFloat && flops >= kDnnlFlops) return DnnlProduct(ctx, a, b, ta, tb, d, out);
  return SwitchNumericTypes(a.dtype(), [&]<typename T>() {
    if constexpr (std::is_integral_v<T>) {
      IntegerProduct<T>(a, b, ta, tb, d, out);
    } else {
      Contract<T>(ctx, a, b, ta, tb, d, out);
    }
  });
}

}  // namespace

void cpu::AddMatMulMath(BackendKernels& b) { b.matmul = {MatMul, NumericTypes()}; }

}  // namespace tessera
