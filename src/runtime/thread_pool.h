// ThreadPool: the session's inter-op pool (Eigen's non-blocking ThreadPool).
//
// Thread-safety: Schedule may be called from any thread.
#pragma once

#include <functional>
#include <memory>

namespace tessera {

// `requested` threads, or one per hardware thread when it is 0.
int ResolveThreadCount(int requested);

class ThreadPool {
 public:
  explicit ThreadPool(int num_threads);
  ~ThreadPool();  // waits for scheduled work to finish
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void Schedule(std::function<void()> fn);
  int num_threads() const { return num_threads_; }

 private:
  struct Impl;
  int num_threads_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera
