// CopyKernel: the copy step the plan inserts on a cross-device edge. It runs
// on the destination device: it records an event on the source device's
// compute stream (the producer's work) and asks the destination to copy the
// tensor after that event (Device::CopyFrom).
#pragma once

#include "src/framework/op_kernel.h"
#include "src/runtime/device.h"

namespace tessera {

class CopyKernel final : public OpKernel {
 public:
  // `node` is the producer of the copied tensor (for messages).
  CopyKernel(const Node& node, Device* src) : OpKernel(node), src_(src) {}

  Status Compute(OpKernelContext& ctx) const override {
    TESSERA_ASSIGN_OR_RETURN(std::shared_ptr<Event> produced, src_->stream(StreamRole::kCompute)->Record());
    TESSERA_ASSIGN_OR_RETURN(Tensor copy, static_cast<Device*>(ctx.device())->CopyFrom(ctx.input(0), src_, *produced));
    ctx.set_output(0, std::move(copy));
    return Status::OK();
  }

 private:
  Device* src_;
};

}  // namespace tessera
