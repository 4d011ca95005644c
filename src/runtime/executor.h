// Executor: runs a Plan once.
//
// Dataflow scheduling: nodes whose inputs are ready run on the calling thread
// (run to completion, no sleeping on the critical path); when several
// expensive nodes become ready at once and the session has an inter-op pool,
// all but one are handed to the pool. The first error stops the run and comes
// back with the node's name. A StepState can be cancelled from another thread
// (Session::Close) or by its deadline; running kernels finish, nothing new
// starts.
//
// Thread-safety: Run may be called concurrently on one Plan.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

#include "src/runtime/plan.h"
#include "src/runtime/thread_pool.h"
#include "tessera/session.h"

namespace tessera {

// The cancellable state of one step.
class StepState {
 public:
  // Stops the step with `status` (the first call wins).
  void Abort(const Status& status);
  bool aborted() const { return aborted_.load(std::memory_order_acquire); }
  const std::atomic<bool>* aborted_flag() const { return &aborted_; }
  Status status() const;

  // An intrusive list of steps (a session's in-flight runs), so registering a
  // run does not allocate. A default StepState is an empty list head.
  void LinkAfter(StepState* head) {
    prev_ = head;
    next_ = head->next_;
    head->next_->prev_ = this;
    head->next_ = this;
  }
  void Unlink() {
    prev_->next_ = next_;
    next_->prev_ = prev_;
    prev_ = next_ = this;
  }
  StepState* next() const { return next_; }

 private:
  StepState* prev_ = this;
  StepState* next_ = this;
  std::atomic<bool> aborted_{false};
  mutable std::mutex mu_;
  Status status_;
};

struct ExecutorArgs {
  ThreadPool* inter_op_pool = nullptr;  // null: everything runs on the caller
  // No deadline when it equals time_point::max().
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  int64_t timeout_ms = 0;  // for the message
  bool trace = false;
  StepState* step = nullptr;
  // When set (one entry per Plan::copies), each copy step writes the bytes it moved.
  int64_t* copy_bytes = nullptr;
  // When set, the plan node whose failure failed the step (-1: none).
  std::atomic<int>* failed_node = nullptr;
};

// Runs `plan` with `feeds` (one per plan.feed_slots). On success *fetches has
// one tensor per plan.fetch_slots; *stats gets per-node timings when traced.
Status ExecutePlan(const Plan& plan, std::vector<Tensor> feeds, const ExecutorArgs& args, std::vector<Tensor>* fetches,
                   std::vector<NodeExecStats>* stats);

}  // namespace tessera
