// The host half of RandomUniform and RandomStandardNormal (Philox,
// counter-based; src/kernels/philox.h maps counters to values on every device).
//
// With seed or seed2 set, a new session draws the same sequence; each Run
// continues it (the kernel is stateful and kept per session). With both 0,
// the key comes from std::random_device.
#include <atomic>
#include <random>

#include "src/framework/tensor_util.h"
#include "src/kernels/kernel_families.h"
#include "src/kernels/philox.h"

namespace tessera {
namespace {

class RandomOp : public OpKernel {
 public:
  RandomOp(const Node& node, bool normal, RandomMath math) : OpKernel(node), normal_(normal), math_(math) {
    const int64_t seed = *node.attr<int64_t>("seed"), seed2 = *node.attr<int64_t>("seed2");
    if (seed == 0 && seed2 == 0) {
      std::random_device rd;
      key_ = (static_cast<uint64_t>(rd()) << 32) | rd();
    } else {
      key_ = random::KeyFromSeeds(seed, seed2);
    }
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
    const uint64_t base = counter_.fetch_add(random::BlocksFor(n), std::memory_order_relaxed);
    return math_(ctx, normal_, key_, base, out);
  }

 private:
  bool normal_;
  RandomMath math_;
  uint64_t key_;
  mutable std::atomic<uint64_t> counter_{0};
};

}  // namespace

Status RegisterRandomKernels(KernelRegistry& r, const BackendKernels& b) {
  if (b.random.math == nullptr) return Status::OK();
  const DeviceType dev = b.device_type;
  TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("RandomUniform", dev)
                                         .TypeConstraint("dtype", b.random.types)
                                         .HostMemory(0)
                                         .Factory(MakeKernelFactory<RandomOp>(false, b.random.math))));
  return r.Register(KernelDef("RandomStandardNormal", dev)
                        .TypeConstraint("dtype", b.random.types)
                        .HostMemory(0)
                        .Factory(MakeKernelFactory<RandomOp>(true, b.random.math)));
}

}  // namespace tessera
