// CopyKernel: the copy step the plan inserts on a cross-device edge. It runs
// on the destination device and asks it to copy the tensor from the source
// device (Device::CopyFrom), which orders the copy after the producing work.
#pragma once

#include "src/framework/op_kernel.h"
#include "src/runtime/device.h"

namespace tessera {

class CopyKernel final : public OpKernel {
 public:
  // `node` is the producer of the copied tensor (for messages).
  CopyKernel(const Node& node, Device* src) : OpKernel(node), src_(src) {}

  Status Compute(OpKernelContext& ctx) const override {
    TF_ASSIGN_OR_RETURN(Tensor copy, ctx.device()->CopyFrom(ctx.input(0), src_));
    ctx.set_output(0, std::move(copy));
    return Status::OK();
  }

 private:
  Device* src_;
};

}  // namespace tessera
