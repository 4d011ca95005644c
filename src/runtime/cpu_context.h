// CpuContext: the intra-op thread pool CPU kernels parallelise on (Eigen's
// ThreadPool and ThreadPoolDevice). Shared by the CPU devices of a session.
//
// Thread-safety: ParallelFor may be called from any number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

namespace Eigen {
struct ThreadPoolDevice;
}  // namespace Eigen

namespace tessera {

class CoreBudget;
// The process's budget of cores (src/runtime/core_budget.h): as many as the
// machine has hardware threads.
CoreBudget& ProcessCores();

// `threads` cores of ProcessCores() for a scope: taken by the thread that
// starts a parallel region (a ParallelFor or contraction on the intra-op pool,
// a oneDNN call). Leases do not nest: a thread that holds one, and the
// intra-op pool's workers (whose caller holds it for them), take nothing, so
// a region inside a region can never wait for its own cores.
class CoreLease {
 public:
  explicit CoreLease(int threads);
  ~CoreLease();
  CoreLease(const CoreLease&) = delete;
  CoreLease& operator=(const CoreLease&) = delete;

 private:
  int held_ = 0;  // cores taken (0: none)
};

class CpuContext {
 public:
  explicit CpuContext(int num_threads);
  ~CpuContext();
  CpuContext(const CpuContext&) = delete;
  CpuContext& operator=(const CpuContext&) = delete;

  int num_threads() const { return num_threads_; }
  // Calls fn(begin, end) over disjoint chunks covering [0, n), in parallel
  // when the total cost (n * cost_per_unit, in cycles) makes it worth it
  // (then under a CoreLease of num_threads()).
  void ParallelFor(int64_t n, double cost_per_unit, const std::function<void(int64_t, int64_t)>& fn) const;
  // The pool as an Eigen device; null with one thread (then compute inline).
  // Hold a CoreLease of num_threads() while it computes.
  const Eigen::ThreadPoolDevice* eigen_device() const;

 private:
  struct Impl;
  int num_threads_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera
