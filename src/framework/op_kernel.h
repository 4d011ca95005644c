// OpKernel: the computation of one node on one device type.
//
// A kernel is created once per plan (stateful ops: once per session), when
// it validates the node's attributes; then Compute runs once per step and
// must not mutate the kernel (it may run concurrently from several Runs):
//
//   Status Compute(OpKernelContext& ctx) const override {
//     const Tensor& x = ctx.input(0);               // validate
//     Tensor* y;
//     TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, x.shape(), &y));  // allocate
//     if (x.num_elements() == 0) return Status::OK();              // early-out
//     ...                                                          // compute
//   }
//
// Thread-safety: Compute is const and reentrant.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "src/framework/allocator.h"
#include "src/framework/device_base.h"
#include "tessera/graph.h"
#include "tessera/status.h"
#include "tessera/tensor.h"

namespace tessera {

class Device;
class CpuContext;
class ResourceMgr;

class OpKernelContext {
 public:
  OpKernelContext(const Node& node, DeviceBase* device, const Tensor* const* inputs, int num_inputs, Tensor* outputs)
      : node_(node), device_(device), inputs_(inputs), num_inputs_(num_inputs), outputs_(outputs) {}

  const Node& node() const { return node_; }
  DeviceBase* device() const { return device_; }
  int num_inputs() const { return num_inputs_; }
  const Tensor& input(int i) const { return *inputs_[i]; }
  int num_outputs() const { return node_.num_outputs(); }

  // Allocates output i (uninitialised memory) from the device's allocator.
  Status allocate_output(int i, const TensorShape& shape, Tensor** out);
  // Sets output i to an existing tensor (e.g. forwarding an input).
  void set_output(int i, Tensor t) { outputs_[i] = std::move(t); }

  // Reuses input `input`'s buffer for output `output` when nothing else can
  // see it (this node is its last reader and no other tensor shares it) and
  // dtype and size match; returns the output, or null (then allocate). For
  // kernels whose element i reads only element i of that input.
  Tensor* forward_input_to_output(int input, int output, const TensorShape& shape);
  // Set by the executor: bit i = input i may be forwarded.
  void set_forwardable_inputs(uint32_t mask) { forwardable_ = mask; }
  Tensor* mutable_output(int i) { return &outputs_[i]; }

  // The CPU device's intra-op context (null on other devices).
  CpuContext* cpu() const;

  // Cancellation: the step's abort flag (Close, another node's error) and
  // its deadline, set by the executor. Long kernels call ShouldStop()
  // between shards (ParallelFor does) and leave the rest undone; the run
  // then returns the step's error, never the partial output.
  void set_cancellation(const std::atomic<bool>* aborted, std::chrono::steady_clock::time_point deadline) {
    aborted_ = aborted;
    deadline_ = deadline;
  }
  bool ShouldStop() const {
    if (aborted_ != nullptr && aborted_->load(std::memory_order_relaxed)) return true;
    return deadline_ != std::chrono::steady_clock::time_point::max() && std::chrono::steady_clock::now() >= deadline_;
  }

 private:
  const Node& node_;
  DeviceBase* device_;
  const Tensor* const* inputs_;
  int num_inputs_;
  Tensor* outputs_;
  uint32_t forwardable_ = 0;
  const std::atomic<bool>* aborted_ = nullptr;
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
};

class OpKernel {
 public:
  explicit OpKernel(const Node& node) : node_(node) {}
  virtual ~OpKernel() = default;
  OpKernel(const OpKernel&) = delete;
  OpKernel& operator=(const OpKernel&) = delete;

  virtual Status Compute(OpKernelContext& ctx) const = 0;
  // Cheap kernels run inline on the scheduling thread; expensive ones may be
  // handed to the inter-op pool when other work is ready too.
  virtual bool IsExpensive() const { return true; }

  const Node& node() const { return node_; }

 private:
  const Node& node_;
};

// What a kernel factory gets.
struct KernelConstruction {
  const Node& node;
  Device* device;
  ResourceMgr* resources;  // the session's variables
};

using KernelFactory = std::function<StatusOr<std::unique_ptr<OpKernel>>(const KernelConstruction&)>;

// The one kernel factory helper: builds K from the construction context and
// `args`. K may offer, in order of preference,
//   static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction&, Args...)  (may fail),
//   K(const KernelConstruction&, Args...), or K(const Node&, Args...).
template <typename K, typename... Args>
KernelFactory MakeKernelFactory(Args... args) {
  return [=](const KernelConstruction& c) -> StatusOr<std::unique_ptr<OpKernel>> {
    if constexpr (requires { K::Create(c, args...); }) {
      return K::Create(c, args...);
    } else if constexpr (std::is_constructible_v<K, const KernelConstruction&, Args...>) {
      return std::unique_ptr<OpKernel>(std::make_unique<K>(c, args...));
    } else {
      return std::unique_ptr<OpKernel>(std::make_unique<K>(c.node, args...));
    }
  };
}

}  // namespace tessera
