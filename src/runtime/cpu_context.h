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

class CpuContext {
 public:
  explicit CpuContext(int num_threads);
  ~CpuContext();
  CpuContext(const CpuContext&) = delete;
  CpuContext& operator=(const CpuContext&) = delete;

  int num_threads() const { return num_threads_; }
  // Calls fn(begin, end) over disjoint chunks covering [0, n), in parallel
  // when the total cost (n * cost_per_unit, in cycles) makes it worth it.
  void ParallelFor(int64_t n, double cost_per_unit, const std::function<void(int64_t, int64_t)>& fn) const;
  // The pool as an Eigen device; null with one thread (then compute inline).
  const Eigen::ThreadPoolDevice* eigen_device() const;

 private:
  struct Impl;
  int num_threads_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera
