// The cores that parallel regions may use at once: oneDNN's OpenMP teams
// (kernels_cpu/dnnl_conv.cc) and the intra-op pool's ParallelFor and
// contractions (src/runtime/cpu_context.h) lease their threads from one
// process-wide budget (ProcessCores(), taken through CoreLease). A region waits
// until its threads fit in what is free, so concurrent regions (inter-op
// branches) run side by side when they fit and never oversubscribe the cores.
// A region larger than the machine runs alone; one of a single thread is the
// calling thread itself, which adds no thread, so it takes nothing.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <mutex>

namespace tessera {

class CoreBudget {
 public:
  explicit CoreBudget(int cores) : cores_(std::max(1, cores)), free_(cores_) {}
  CoreBudget(const CoreBudget&) = delete;
  CoreBudget& operator=(const CoreBudget&) = delete;

  void Acquire(int threads) {
    if (threads <= 1) return;
    std::unique_lock<std::mutex> l(mu_);
    const int need = std::min(threads, cores_);
    freed_.wait(l, [&] { return free_ >= need; });
    free_ -= need;
  }
  void Release(int threads) {
    if (threads <= 1) return;
    {
      std::lock_guard<std::mutex> l(mu_);
      free_ += std::min(threads, cores_);
    }
    freed_.notify_all();
  }
  int free_cores() {
    std::lock_guard<std::mutex> l(mu_);
    return free_;
  }

 private:
  std::mutex mu_;
  std::condition_variable freed_;
  const int cores_;
  int free_;
};

}  // namespace tessera
