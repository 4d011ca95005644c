// The host half of RandomUniform, RandomStandardNormal and TruncatedNormal
// (Philox, counter-based; src/kernels/philox.h maps counters to values on
// every device, as TensorFlow does).
//
// With seed or seed2 set, a new session draws TF's sequence for (seed,
// seed2); each execution of the node continues it (the kernel is stateful and
// kept per session) after reserving n * 256 Philox calls, as TF's
// GuardedPhiloxRandom does. With both 0 both seeds come from
// std::random_device.
#include <mutex>
#include <random>

#include "src/framework/tensor_util.h"
#include "src/kernels/kernel_families.h"
#include "src/kernels/philox.h"

namespace tessera {
namespace {

class RandomOp : public OpKernel {
 public:
  RandomOp(const Node& node, random::Distribution dist, RandomMath math) : OpKernel(node), dist_(dist), math_(math) {
    int64_t seed = *node.attr<int64_t>("seed"), seed2 = *node.attr<int64_t>("seed2");
    if (seed == 0 && seed2 == 0) {
      std::random_device rd;
      auto random64 = [&rd] { return static_cast<int64_t>((static_cast<uint64_t>(rd()) << 32) | rd()); };
      seed = random64();
      seed2 = random64();
    }
    next_ = random::FromSeeds(seed, seed2);
  }

  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& shape_t = ctx.input(0);  // host memory
    if (shape_t.rank() != 1)
      return InvalidArgumentError("shape must be a vector, got " + shape_t.shape().DebugString());
    TESSERA_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Make(IntTensorValues(shape_t)));
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, shape, &out));
    const int64_t n = out->num_elements();
    if (n == 0) return Status::OK();
    random::PhiloxStart start;
    {
      std::lock_guard<std::mutex> l(mu_);
      start = next_;
      // n * 256 calls (wraps for absurd n, as TF's does).
      next_ = random::Skip(next_, static_cast<uint64_t>(n) * random::kReservedPerValue);
    }
    return math_(ctx, dist_, start, out);
  }

 private:
  random::Distribution dist_;
  RandomMath math_;
  mutable std::mutex mu_;
  mutable random::PhiloxStart next_;  // where the next execution starts
};

}  // namespace

Status RegisterRandomKernels(KernelRegistry& r, const BackendKernels& b) {
  if (b.random.math == nullptr) return Status::OK();
  const DeviceType dev = b.device_type;
  for (auto [op, dist] : {std::pair{"RandomUniform", random::Distribution::kUniform},
                          std::pair{"RandomStandardNormal", random::Distribution::kNormal},
                          std::pair{"TruncatedNormal", random::Distribution::kTruncatedNormal}}) {
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef(op, dev)
                                           .TypeConstraint("dtype", b.random.types)
                                           .HostMemory(0)
                                           .Factory(MakeKernelFactory<RandomOp>(dist, b.random.math))));
  }
  return Status::OK();
}

}  // namespace tessera
