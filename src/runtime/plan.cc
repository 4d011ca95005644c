#include "src/runtime/plan.h"

namespace tessera {

std::unique_ptr<RunBuffers> Plan::AcquireBuffers() const {
  {
    std::lock_guard<std::mutex> l(buffers_mu_);
    if (!free_buffers_.empty()) {
      std::unique_ptr<RunBuffers> b = std::move(free_buffers_.back());
      free_buffers_.pop_back();
      return b;
    }
  }
  auto b = std::make_unique<RunBuffers>();
  b->slots.resize(static_cast<size_t>(num_slots));
  b->pending.reset(new std::atomic<int>[nodes.size()]);
  b->uses.reset(new std::atomic<int>[static_cast<size_t>(num_slots)]);
  return b;
}

void Plan::ReleaseBuffers(std::unique_ptr<RunBuffers> buffers) const {
  for (Tensor& t : buffers->slots) t = Tensor();  // drop this run's tensors now
  std::lock_guard<std::mutex> l(buffers_mu_);
  if (free_buffers_.size() < 16) free_buffers_.push_back(std::move(buffers));
}

}  // namespace tessera
