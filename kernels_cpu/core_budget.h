// The cores that oneDNN's OpenMP teams may use at once (kernels_cpu/dnnl_conv.cc):
// a call waits until its team fits in what is free, so concurrent calls (inter-op
// branches of one intra-op thread each) run side by side and teams together never
// oversubscribe the cores. A team larger than the machine runs alone; a team of
// one is the calling thread itself, which adds no thread, so it takes nothing.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <mutex>

namespace tessera::cpu {

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

// `threads` of a budget, for a scope.
class CoreLease {
 public:
  CoreLease(CoreBudget& budget, int threads) : budget_(budget), threads_(threads) { budget_.Acquire(threads_); }
  ~CoreLease() { budget_.Release(threads_); }
  CoreLease(const CoreLease&) = delete;
  CoreLease& operator=(const CoreLease&) = delete;

 private:
  CoreBudget& budget_;
  const int threads_;
};

}  // namespace tessera::cpu
