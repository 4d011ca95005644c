#include "src/runtime/stream.h"

namespace tessera {
namespace {

class CompletedEventImpl final : public Event {
 public:
  Status HostWait() const override { return Status::OK(); }
};

const std::shared_ptr<Event>& Completed() {
  static const std::shared_ptr<Event>* completed = new std::shared_ptr<Event>(std::make_shared<CompletedEventImpl>());
  return *completed;
}

}  // namespace

const Event& CompletedEvent() { return *Completed(); }

StatusOr<std::shared_ptr<Event>> CpuStream::Record() {
  ++records_;
  return Completed();
}

}  // namespace tessera
