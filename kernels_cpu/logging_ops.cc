// Print: CPU only, on purpose (it writes to the host's stderr). Passes its
// input through and writes "<message><values>" in TF's SummarizeValue form.
#include <cstdio>
#include <mutex>

#include "kernels_cpu/cpu_math.h"

namespace tessera {
namespace {

class PrintKernel : public OpKernel {
 public:
  explicit PrintKernel(const Node& node) : OpKernel(node) {
    if (const std::string* m = node.attr<std::string>("message")) message_ = *m;
    if (const int64_t* s = node.attr<int64_t>("summarize")) summarize_ = *s;
  }
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    ctx.set_output(0, x);
    const std::string line = message_ + x.SummarizeValue(summarize_);
    static std::mutex mu;
    std::lock_guard<std::mutex> l(mu);
    std::fprintf(stderr, "%s\n", line.c_str());
    return Status::OK();
  }

 private:
  std::string message_;
  int64_t summarize_ = 3;
};

}  // namespace

Status RegisterCpuLoggingKernels(KernelRegistry& r) {
  return r.Register(
      KernelDef("Print", DeviceType::kCpu).TypeConstraint("T", AllTypes()).Factory(MakeKernelFactory<PrintKernel>()));
}

}  // namespace tessera
