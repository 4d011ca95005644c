#define EIGEN_USE_THREADS
#include "src/runtime/cpu_context.h"

#include <thread>
#include <unsupported/Eigen/CXX11/Tensor>

#include "src/runtime/core_budget.h"
#include "src/runtime/pool_environment.h"

namespace tessera {
namespace {

// Whether this thread takes no lease: it holds one, or it is an intra-op
// worker, running part of a region whose caller holds it.
thread_local bool t_no_lease = false;

// The intra-op pool's threads: denormals flushed, and no leases of their own.
struct IntraOpEnvironment : FlushDenormalsEnvironment {
  EnvThread* CreateThread(std::function<void()> f) {
    return FlushDenormalsEnvironment::CreateThread([f = std::move(f)] {
      t_no_lease = true;
      f();
    });
  }
};

}  // namespace

CoreBudget& ProcessCores() {
  static auto* b = new CoreBudget(static_cast<int>(std::thread::hardware_concurrency()));  // never destroyed
  return *b;
}

CoreLease::CoreLease(int threads) {
  if (threads <= 1 || t_no_lease) return;
  ProcessCores().Acquire(threads);
  held_ = threads;
  t_no_lease = true;
}

CoreLease::~CoreLease() {
  if (held_ == 0) return;
  t_no_lease = false;
  ProcessCores().Release(held_);
}

struct CpuContext::Impl {
  explicit Impl(int n) : pool(n), device(&pool, n) {}
  Eigen::ThreadPoolTempl<IntraOpEnvironment> pool;
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
  const CoreLease lease(num_threads_);
  impl_->device.parallelFor(n, Eigen::TensorOpCost(0, 0, cost_per_unit),
                            [&fn](Eigen::Index b, Eigen::Index e) { fn(b, e); });
}

const Eigen::ThreadPoolDevice* CpuContext::eigen_device() const { return impl_ ? &impl_->device : nullptr; }

}  // namespace tessera
