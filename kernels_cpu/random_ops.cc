// RandomUniform and RandomStandardNormal on the CPU (Philox, counter-based).
//
// With seed or seed2 set, a new session draws the same sequence; each Run
// continues it (the kernel is stateful and kept per session). With both 0,
// the key comes from std::random_device.
#include <atomic>
#include <random>

#include "kernels_cpu/cpu_kernel_util.h"
#include "src/framework/tensor_util.h"
#include "src/kernels/philox.h"

namespace tessera {
namespace {

template <typename T>
class RandomKernel : public OpKernel {
 public:
  RandomKernel(const Node& node, bool normal) : OpKernel(node), normal_(normal) {
    const int64_t seed = *node.attr<int64_t>("seed"), seed2 = *node.attr<int64_t>("seed2");
    if (seed == 0 && seed2 == 0) {
      std::random_device rd;
      key_ = (static_cast<uint64_t>(rd()) << 32) | rd();
    } else {
      key_ = random::KeyFromSeeds(seed, seed2);
    }
  }

  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& shape_t = ctx.input(0);
    if (shape_t.rank() != 1) return InvalidArgumentError("shape must be a vector, got " + shape_t.shape().DebugString());
    TF_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Make(IntTensorValues(shape_t)));
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, shape, &out));
    const int64_t n = out->num_elements();
    if (n == 0) return Status::OK();
    const uint64_t base = counter_.fetch_add(random::BlocksFor(n), std::memory_order_relaxed);
    T* p = out->flat<T>().data();
    const uint64_t key = key_;
    const bool normal = normal_;
    ParallelFor(ctx, n, 60.0, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) {
        p[i] = normal ? random::NormalAt<T>(key, base, i) : random::UniformAt<T>(key, base, i);
      }
    });
    return Status::OK();
  }

 private:
  bool normal_;
  uint64_t key_;
  mutable std::atomic<uint64_t> counter_{0};
};

KernelFactory RandomFactory(bool normal) {
  return [normal](const KernelConstruction& c) -> StatusOr<std::unique_ptr<OpKernel>> {
    std::unique_ptr<OpKernel> k;
    TF_RETURN_IF_ERROR(SwitchFloatTypes(*c.node.attr<DataType>("dtype"),
                                        [&]<typename T>() { k = std::make_unique<RandomKernel<T>>(c.node, normal); }));
    return k;
  };
}

}  // namespace

void RegisterCpuRandomKernels(KernelRegistry& r) {
  r.Register({"RandomUniform", "CPU", {{"dtype", FloatTypes()}}, RandomFactory(false)});
  r.Register({"RandomStandardNormal", "CPU", {{"dtype", FloatTypes()}}, RandomFactory(true)});
}

}  // namespace tessera
