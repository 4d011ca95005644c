#include "src/runtime/executor.h"

#include <functional>
#include <map>
#include <memory>
#include <thread>

#include "src/framework/op_registry.h"

namespace tessera {

void StepState::Abort(const Status& status) {
  std::lock_guard<std::mutex> l(mu_);
  if (aborted_.load(std::memory_order_relaxed)) return;
  status_ = status;
  aborted_.store(true, std::memory_order_release);
}

Status StepState::status() const {
  std::lock_guard<std::mutex> l(mu_);
  return status_;
}

namespace {

// A stack of node ids with inline storage for the common small case.
class ReadyStack {
 public:
  bool empty() const { return size_ == 0; }
  int pop() { return size_ <= kInline ? inline_[--size_] : PopHeap(); }
  void push(int v) {
    if (size_ < kInline) {
      inline_[size_++] = v;
    } else {
      if (size_ == kInline) heap_.assign(inline_, inline_ + kInline);
      heap_.push_back(v);
      ++size_;
    }
  }

 private:
  int PopHeap() {
    const int v = heap_.back();
    heap_.pop_back();
    if (--size_ == kInline) heap_.clear();
    return v;
  }
  static constexpr int kInline = 32;
  int size_ = 0;
  int inline_[kInline];
  std::vector<int> heap_;
};

// TF's "[[{{node x}}]]" suffix, with where the user's code made the node.
Status WithNode(const Status& s, const PlanNode& pn) {
  return s.WithSuffix("\n\t [[{{node " + pn.name + "}}" + pn.node->DefinedAt() + "]]");
}

Status UninitializedError(const Node& var, const PlanNode& user) {
  return WithNode(FailedPreconditionError("Attempting to use uninitialized value " + var.name()), user);
}

class Run {
 public:
  Run(const Plan& plan, const ExecutorArgs& args)
      : plan_(plan),
        args_(args),
        buffers_(plan.AcquireBuffers()),
        slots_(buffers_->slots),
        pending_(buffers_->pending.get()),
        uses_(buffers_->uses.get()) {
    for (size_t i = 0; i < plan.nodes.size(); ++i) {
      pending_[i].store(plan.nodes[i].initial_pending, std::memory_order_relaxed);
    }
    for (size_t i = 0; i < plan.slot_uses.size(); ++i) uses_[i].store(plan.slot_uses[i], std::memory_order_relaxed);
    if (args.trace) start_ = std::chrono::steady_clock::now();
  }
  ~Run() { plan_.ReleaseBuffers(std::move(buffers_)); }

  Status Execute(std::vector<Tensor> feeds, std::vector<Tensor>* fetches, std::vector<NodeExecStats>* stats) {
    for (size_t i = 0; i < feeds.size(); ++i) slots_[static_cast<size_t>(plan_.feed_slots[i])] = std::move(feeds[i]);
    if (!plan_.roots.empty()) {
      outstanding_.store(1, std::memory_order_relaxed);
      ReadyStack ready;
      for (int r : plan_.roots) ready.push(r);
      Process(ready);
      WaitForWorkers();
    }
    // A run that finished past its deadline failed, as in TF, even when the
    // node that overran was the last one.
    if (args_.deadline != std::chrono::steady_clock::time_point::max() &&
        std::chrono::steady_clock::now() >= args_.deadline) {
      args_.step->Abort(DeadlineExceeded());
    }
    if (args_.step->aborted()) return args_.step->status();
    fetches->clear();
    for (size_t i = 0; i < plan_.fetch_slots.size(); ++i) {
      Tensor& t = slots_[static_cast<size_t>(plan_.fetch_slots[i])];
      if (!plan_.fetch_vars.empty() && plan_.fetch_vars[i] != nullptr) {
        std::lock_guard<std::mutex> l(plan_.fetch_vars[i]->mu);
        if (plan_.fetch_vars[i]->value.valid()) t = plan_.fetch_vars[i]->value;
      }
      if (!t.valid()) {
        const Node* src = plan_.fetch_nodes[i];
        if (src != nullptr && src->op_def().is_variable) {
          return FailedPreconditionError("Attempting to use uninitialized value " + src->name());
        }
        return InternalError("Fetch " + std::to_string(i) + " produced no value");
      }
      fetches->push_back(t);
    }
    if (stats != nullptr) {
      ResolveDeviceTimes();
      *stats = std::move(stats_);
    }
    return Status::OK();
  }

 private:
  // Runs ready nodes to completion on this thread, handing extra expensive
  // ready nodes to the pool. Called with one unit counted in outstanding_.
  void Process(ReadyStack& ready) {
    while (!ready.empty()) {
      const int id = ready.pop();
      if (args_.step->aborted()) break;
      if (args_.deadline != std::chrono::steady_clock::time_point::max() &&
          std::chrono::steady_clock::now() >= args_.deadline) {
        args_.step->Abort(DeadlineExceeded());
        break;
      }
      Status s = RunNode(id);
      if (!s.ok()) {
        if (args_.failed_node != nullptr && !args_.step->aborted()) {
          int none = -1;  // the first failure is the one the step reports
          args_.failed_node->compare_exchange_strong(none, id);
        }
        args_.step->Abort(s);
        break;
      }
      const PlanNode& pn = plan_.nodes[static_cast<size_t>(id)];
      // Release inputs this node was the last reader of.
      for (int slot : pn.input_slots) {
        if (Decrement(uses_[slot]) == 0) slots_[static_cast<size_t>(slot)] = Tensor();
      }
      // Keep one newly ready node (and every cheap one) here; give the other
      // expensive ones to the pool.
      bool kept_one = false;
      for (int c : pn.consumers) {
        if (Decrement(pending_[static_cast<size_t>(c)]) != 0) continue;
        const bool expensive = plan_.nodes[static_cast<size_t>(c)].expensive;
        if (args_.inter_op_pool != nullptr && expensive && kept_one) {
          outstanding_.fetch_add(1, std::memory_order_relaxed);
          args_.inter_op_pool->Schedule([this, c] {
            ReadyStack mine;
            mine.push(c);
            Process(mine);
          });
        } else {
          ready.push(c);
          if (expensive) kept_one = true;
        }
      }
    }
    // Without a pool this is the only work item, on the caller's thread.
    if (args_.inter_op_pool == nullptr) {
      outstanding_.store(0, std::memory_order_relaxed);
      return;
    }
    // Decrement under the lock: the waiter may destroy this Run as soon as it
    // sees zero, so nothing may touch it after the lock is released.
    std::lock_guard<std::mutex> l(mu_);
    if (outstanding_.fetch_sub(1, std::memory_order_acq_rel) == 1) cv_.notify_all();
  }

  // Counts down a shared counter and returns the new value. Without a pool
  // every node runs on this thread, so a plain load and store will do (no
  // locked instruction on the per-node path).
  int Decrement(std::atomic<int>& counter) const {
    if (args_.inter_op_pool == nullptr) {
      const int v = counter.load(std::memory_order_relaxed) - 1;
      counter.store(v, std::memory_order_relaxed);
      return v;
    }
    return counter.fetch_sub(1, std::memory_order_acq_rel) - 1;
  }

  Status DeadlineExceeded() const {
    return DeadlineExceededError("Timed out waiting for notification: the run exceeded its deadline of " +
                                 std::to_string(args_.timeout_ms) + " ms and was cancelled");
  }

  void WaitForWorkers() {
    if (args_.inter_op_pool == nullptr) return;  // everything ran on this thread
    const auto t0 = args_.trace ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
    WaitForOutstanding();
    if (args_.trace) {
      // A host wait point: the caller's thread blocked until the pool's work ended.
      AddStats(Stats(NodeExecStats::Kind::kHostWait, "wait for inter-op threads", "_HostWait", std::string(), t0,
                     std::chrono::steady_clock::now()));
    }
  }

  void WaitForOutstanding() {
    std::unique_lock<std::mutex> l(mu_);
    while (outstanding_.load(std::memory_order_acquire) != 0) {
      if (args_.deadline == std::chrono::steady_clock::time_point::max()) {
        cv_.wait(l);
      } else if (cv_.wait_until(l, args_.deadline) == std::cv_status::timeout) {
        args_.step->Abort(DeadlineExceeded());
        // Running kernels finish; nothing new starts. Wait for them.
        cv_.wait(l, [this] { return outstanding_.load(std::memory_order_acquire) == 0; });
      }
    }
  }

  Status RunNode(int id) {
    const PlanNode& pn = plan_.nodes[static_cast<size_t>(id)];
    const Node& node = *pn.node;
    const size_t n_in = pn.input_slots.size();
    const Tensor* inline_inputs[8];
    std::unique_ptr<const Tensor*[]> heap_inputs;
    const Tensor** inputs = inline_inputs;
    if (n_in > 8) {
      heap_inputs.reset(new const Tensor*[n_in]);
      inputs = heap_inputs.get();
    }
    Tensor derefs[8];  // values read from variables at this node (rare; at most 8 inline)
    std::unique_ptr<Tensor[]> heap_derefs;
    Tensor* deref = derefs;
    if (!pn.input_vars.empty() && n_in > 8) {
      heap_derefs.reset(new Tensor[n_in]);
      deref = heap_derefs.get();
    }
    for (size_t i = 0; i < n_in; ++i) {
      if (!pn.input_vars.empty() && pn.input_vars[i] != nullptr) {
        {
          std::lock_guard<std::mutex> l(pn.input_vars[i]->mu);
          deref[i] = pn.input_vars[i]->value;
        }
        if (!deref[i].valid()) return UninitializedError(*pn.input_sources[i], pn);
        inputs[i] = &deref[i];
        continue;
      }
      const Tensor& t = slots_[static_cast<size_t>(pn.input_slots[i])];
      if (!t.valid() && !pn.input_is_ref[i]) {
        const Node& src = *pn.input_sources[i];
        if (src.op_def().is_variable) return UninitializedError(src, pn);
        return WithNode(InternalError("Input " + std::to_string(i) + " has no value"), pn);
      }
      inputs[i] = &t;
    }
    // data() + base, not &slots_[base]: a plan with no output slots has an empty vector.
    OpKernelContext ctx(node, pn.device, inputs, static_cast<int>(n_in), slots_.data() + pn.output_base);
    // Inputs whose buffer only this node can still see may become outputs.
    uint32_t forwardable = 0;
    for (size_t i = 0; i < n_in && i < 32; ++i) {
      const int slot = pn.input_slots[i];
      if (pn.input_is_ref[i] || (!pn.input_vars.empty() && pn.input_vars[i] != nullptr)) continue;
      if (uses_[slot].load(std::memory_order_acquire) != 1) continue;
      const std::shared_ptr<Buffer>& b = slots_[static_cast<size_t>(slot)].buffer();
      if (b != nullptr && b.use_count() == 1) forwardable |= 1u << i;
    }
    ctx.set_forwardable_inputs(forwardable);
    ctx.set_cancellation(args_.step->aborted_flag(), args_.deadline);
    if (!args_.trace) {
      Status s = pn.device->Compute(*pn.kernel, ctx);
      if (pn.is_copy && args_.copy_bytes != nullptr && s.ok()) CountCopy(pn);
      return s.ok() ? s : WithNode(s, pn);
    }
    return ComputeTraced(pn, ctx);
  }

  // RunNode's compute under kFullTrace: timed, with outputs and device times
  // recorded. Kept out of line so the untraced path stays small.
  [[gnu::noinline]] Status ComputeTraced(const PlanNode& pn, OpKernelContext& ctx) {
    const Node& node = *pn.node;
    auto t0 = std::chrono::steady_clock::now();
    // Kernels only: a copy runs on a copy stream, which compute-stream marks would not time.
    const std::shared_ptr<Event> mark0 = pn.is_copy ? nullptr : TimingMark(pn.device, t0);
    Status s = pn.device->Compute(*pn.kernel, ctx);
    const std::shared_ptr<Event> mark1 = mark0 != nullptr ? TimingMark(pn.device, t0) : nullptr;
    auto t1 = std::chrono::steady_clock::now();
    NodeExecStats st = Stats(pn.is_copy ? NodeExecStats::Kind::kCopy : NodeExecStats::Kind::kNode, pn.name,
                             pn.is_copy ? "_Copy" : node.op(), pn.device->name(), t0, t1);
    if (pn.is_copy) st.src_device = pn.copy_source->name();
    if (pn.is_copy && args_.copy_bytes != nullptr && s.ok()) CountCopy(pn);
    const int n_out = pn.is_copy ? 1 : node.num_outputs();
    for (int i = 0; i < n_out && s.ok(); ++i) {
      const Tensor& t = slots_[static_cast<size_t>(pn.output_base + i)];
      if (!t.valid()) continue;
      st.outputs.push_back(std::string(DataTypeString(t.dtype())) + " " + t.shape().DebugString());
      st.bytes += static_cast<int64_t>(t.bytes());
    }
    const size_t index = AddStats(std::move(st));
    if (mark1 != nullptr) {
      std::lock_guard<std::mutex> l(stats_mu_);
      device_spans_.push_back(DeviceSpan{index, pn.device, mark0, mark1});
    }
    return s.ok() ? s : WithNode(s, pn);
  }

  // A timing mark on `device`'s compute stream (null for host devices); the
  // device's first mark of the step is its origin, at host time `now`.
  std::shared_ptr<Event> TimingMark(Device* device, std::chrono::steady_clock::time_point now) {
    StatusOr<std::shared_ptr<Event>> mark = device->RecordTimingMark();
    if (!mark.ok() || *mark == nullptr) return nullptr;
    std::lock_guard<std::mutex> l(stats_mu_);
    origins_.try_emplace(device, *mark, std::chrono::duration_cast<std::chrono::nanoseconds>(now - start_).count());
    return *mark;
  }

  // The device times of the traced spans, once the step's work is done.
  void ResolveDeviceTimes() {
    for (const DeviceSpan& span : device_spans_) {
      const auto& [origin, origin_nanos] = origins_.at(span.device);
      StatusOr<int64_t> a = span.device->NanosBetween(*origin, *span.start);
      StatusOr<int64_t> b = span.device->NanosBetween(*origin, *span.end);
      if (!a.ok() || !b.ok()) continue;  // the host times stand
      stats_[span.stat].device_start_nanos = origin_nanos + *a;
      stats_[span.stat].device_end_nanos = origin_nanos + *b;
    }
  }

  NodeExecStats Stats(NodeExecStats::Kind kind, std::string name, std::string op, std::string device,
                      std::chrono::steady_clock::time_point t0, std::chrono::steady_clock::time_point t1) const {
    NodeExecStats st;
    st.kind = kind;
    st.node_name = std::move(name);
    st.op = std::move(op);
    st.device = std::move(device);
    st.start_nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(t0 - start_).count();
    st.end_nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - start_).count();
    st.start_micros = st.start_nanos / 1000;
    st.end_micros = st.end_nanos / 1000;
    st.thread_id = std::hash<std::thread::id>()(std::this_thread::get_id());
    return st;
  }

  void CountCopy(const PlanNode& pn) {
    const Tensor& t = slots_[static_cast<size_t>(pn.output_base)];
    args_.copy_bytes[pn.copy_index] = t.valid() ? static_cast<int64_t>(t.bytes()) : 0;
  }

  size_t AddStats(NodeExecStats st) {
    std::lock_guard<std::mutex> l(stats_mu_);
    stats_.push_back(std::move(st));
    return stats_.size() - 1;
  }

  const Plan& plan_;
  const ExecutorArgs& args_;
  std::unique_ptr<RunBuffers> buffers_;
  std::vector<Tensor>& slots_;
  std::atomic<int>* pending_;
  std::atomic<int>* uses_;
  std::atomic<int> outstanding_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  std::chrono::steady_clock::time_point start_;
  std::mutex stats_mu_;
  std::vector<NodeExecStats> stats_;
  // Traced work on devices with timing marks (guarded by stats_mu_).
  struct DeviceSpan {
    size_t stat;
    Device* device;
    std::shared_ptr<Event> start, end;
  };
  std::vector<DeviceSpan> device_spans_;
  std::map<Device*, std::pair<std::shared_ptr<Event>, int64_t>> origins_;  // first mark, its host time
};

}  // namespace

Status ExecutePlan(const Plan& plan, std::vector<Tensor> feeds, const ExecutorArgs& args, std::vector<Tensor>* fetches,
                   std::vector<NodeExecStats>* stats) {
  Run run(plan, args);
  return run.Execute(std::move(feeds), fetches, stats);
}

}  // namespace tessera
