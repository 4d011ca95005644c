#include "src/runtime/thread_pool.h"

#include <algorithm>
#include <thread>
#include <unsupported/Eigen/CXX11/ThreadPool>

#include "src/runtime/pool_environment.h"

namespace tessera {

int ResolveThreadCount(int requested) {
  return requested > 0 ? requested : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

struct ThreadPool::Impl {
  explicit Impl(int n) : pool(n) {}
  Eigen::ThreadPoolTempl<FlushDenormalsEnvironment> pool;
};

ThreadPool::ThreadPool(int num_threads)
    : num_threads_(num_threads < 1 ? 1 : num_threads), impl_(std::make_unique<Impl>(num_threads_)) {}

ThreadPool::~ThreadPool() = default;

void ThreadPool::Schedule(std::function<void()> fn) { impl_->pool.Schedule(std::move(fn)); }

}  // namespace tessera
