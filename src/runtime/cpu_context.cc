#define EIGEN_USE_THREADS
#include "src/runtime/cpu_context.h"

#include <unsupported/Eigen/CXX11/Tensor>

#include "src/runtime/pool_environment.h"

namespace tessera {

struct CpuContext::Impl {
  explicit Impl(int n) : pool(n), device(&pool, n) {}
  Eigen::ThreadPoolTempl<FlushDenormalsEnvironment> pool;
  Eigen::ThreadPoolDevice device;
};

// One thread needs no pool: everything runs on the caller (and no idle worker spins).
CpuContext::CpuContext(int num_threads)
    : num_threads_(num_threads < 1 ? 1 : num_threads),
      impl_(num_threads_ > 1 ? std::make_unique<Impl>(num_threads_) : nullptr) {}

CpuContext::~CpuContext() = default;

void CpuContext::ParallelFor(int64_t n, double cost_per_unit, const std::function<void(int64_t, int64_t)>& fn) const {
  if (n <= 0) return;
  if (num_threads_ == 1 || static_cast<double>(n) * cost_per_unit < 50000.0) {
    fn(0, n);
    return;
  }
  impl_->device.parallelFor(n, Eigen::TensorOpCost(0, 0, cost_per_unit),
                            [&fn](Eigen::Index b, Eigen::Index e) { fn(b, e); });
}

const Eigen::ThreadPoolDevice* CpuContext::eigen_device() const { return impl_ ? &impl_->device : nullptr; }

}  // namespace tessera
