// Session facade, the thread-local default-session stack, Output::Eval and
// Operation::Run.
#include "tessera/session.h"

#include <algorithm>

#include "src/runtime/direct_session.h"

namespace tessera {
namespace {

// The thread's default-session stack (innermost last).
std::vector<std::weak_ptr<DirectSession>>& DefaultStack() {
  thread_local std::vector<std::weak_ptr<DirectSession>> stack;
  return stack;
}

std::shared_ptr<DirectSession> CurrentDefault() {
  auto& stack = DefaultStack();
  while (!stack.empty()) {
    if (auto s = stack.back().lock()) return s;
    stack.pop_back();  // its session is gone
  }
  return nullptr;
}

StatusOr<std::vector<Output>> ResolveOutputs(const Graph& g, const std::vector<std::string>& names) {
  std::vector<Output> out;
  for (const std::string& n : names) {
    TESSERA_ASSIGN_OR_RETURN(Output o, g.FindOutput(n));
    out.push_back(o);
  }
  return out;
}

}  // namespace

DefaultSessionScope::DefaultSessionScope(std::weak_ptr<DirectSession> session) : active_(true) {
  DefaultStack().push_back(std::move(session));
}

DefaultSessionScope::DefaultSessionScope(DefaultSessionScope&& other) noexcept : active_(other.active_) {
  other.active_ = false;
}

DefaultSessionScope::~DefaultSessionScope() {
  if (active_ && !DefaultStack().empty()) DefaultStack().pop_back();
}

Session::Session(std::shared_ptr<DirectSession> impl) : impl_(std::move(impl)) { impl_->set_facade(this); }

Session::~Session() {
  impl_->set_facade(nullptr);
  impl_->Close().IgnoreError();
}

StatusOr<std::unique_ptr<Session>> Session::Create(std::shared_ptr<Graph> graph, const SessionOptions& options) {
  TESSERA_ASSIGN_OR_RETURN(std::shared_ptr<DirectSession> impl, DirectSession::Create(std::move(graph), options));
  return std::unique_ptr<Session>(new Session(std::move(impl)));
}

StatusOr<std::vector<Tensor>> Session::Run(const FeedList& feeds, const std::vector<Output>& fetches,
                                           const std::vector<Operation>& targets) {
  return Run(RunOptions(), feeds, fetches, targets, nullptr);
}

StatusOr<std::vector<Tensor>> Session::Run(const RunOptions& options, const FeedList& feeds,
                                           const std::vector<Output>& fetches, const std::vector<Operation>& targets,
                                           RunMetadata* metadata) {
  std::vector<Tensor> out;
  TESSERA_RETURN_IF_ERROR(impl_->Run(options, feeds, fetches, targets, &out, metadata));
  return out;
}

Status Session::Run(const NamedFeedList& feeds, const std::vector<std::string>& fetch_names,
                    const std::vector<std::string>& target_names, std::vector<Tensor>* outputs) {
  return Run(RunOptions(), feeds, fetch_names, target_names, outputs, nullptr);
}

Status Session::Run(const RunOptions& options, const NamedFeedList& feeds, const std::vector<std::string>& fetch_names,
                    const std::vector<std::string>& target_names, std::vector<Tensor>* outputs, RunMetadata* metadata) {
  if (impl_->closed()) return CancelledError("Session has been closed.");
  const Graph& g = *impl_->graph();
  FeedList feed_list;
  for (const auto& [name, value] : feeds) {
    TESSERA_ASSIGN_OR_RETURN(Output o, g.FindOutput(name));
    feed_list.emplace_back(o, value);
  }
  TESSERA_ASSIGN_OR_RETURN(std::vector<Output> fetches, ResolveOutputs(g, fetch_names));
  std::vector<Operation> targets;
  std::string missing;
  for (const std::string& t : target_names) {
    StatusOr<Operation> op = g.FindOperation(t);
    if (!op.ok()) {
      missing += (missing.empty() ? "" : ", ") + t;
      continue;
    }
    targets.push_back(*op);
  }
  if (!missing.empty()) return NotFoundError("PruneForTargets: Some target nodes not found: " + missing);
  return impl_->Run(options, feed_list, fetches, targets, outputs, metadata);
}

Status Session::Close() { return impl_->Close(); }
bool Session::closed() const { return impl_->closed(); }

DefaultSessionScope Session::AsDefault() { return DefaultSessionScope(impl_); }

const std::shared_ptr<Graph>& Session::graph() const { return impl_->graph(); }
const SessionOptions& Session::options() const { return impl_->options(); }

std::vector<DeviceAttributes> Session::ListDevices() const {
  std::vector<DeviceAttributes> out;
  for (Device* d : impl_->device_mgr().devices()) out.push_back(d->attributes());
  return out;
}

std::string Session::NoGpuReason() const { return impl_->device_mgr().no_gpu_reason(); }

int Session::inter_op_threads() const { return impl_->inter_op_threads(); }
int Session::intra_op_threads() const { return impl_->intra_op_threads(); }
std::vector<PlacementRecord> Session::PlacementRecords() const { return impl_->last_placement(); }

Session* Session::Default() {
  std::shared_ptr<DirectSession> s = CurrentDefault();
  return s ? s->facade() : nullptr;
}

StatusOr<std::unique_ptr<InteractiveSession>> InteractiveSession::Create(std::shared_ptr<Graph> graph,
                                                                         const SessionOptions& options) {
  TESSERA_ASSIGN_OR_RETURN(std::shared_ptr<DirectSession> impl, DirectSession::Create(std::move(graph), options));
  auto s = std::unique_ptr<InteractiveSession>(new InteractiveSession(impl));
  DefaultStack().push_back(impl);
  s->registered_ = true;
  return s;
}

InteractiveSession::~InteractiveSession() { Close().IgnoreError(); }

Status InteractiveSession::Close() {
  if (registered_) {
    auto& stack = DefaultStack();
    // Remove this session's entry (on the creating thread); expired entries
    // elsewhere are skipped by CurrentDefault().
    for (auto it = stack.end(); it != stack.begin();) {
      --it;
      if (auto s = it->lock(); s == impl_) {
        stack.erase(it);
        break;
      }
    }
    registered_ = false;
  }
  return Session::Close();
}

// ---- Output::Eval and Operation::Run

static StatusOr<std::shared_ptr<DirectSession>> ResolveSession(Session* explicit_session, const Graph* graph,
                                                               const char* what, const char* call) {
  std::shared_ptr<DirectSession> s;
  if (explicit_session != nullptr) {
    s = explicit_session->impl_for_eval();
  } else {
    s = CurrentDefault();
    if (s == nullptr) {
      return FailedPreconditionError(std::string("Cannot ") + what + " using `" + call +
                                     "()`: No default session is registered. Use `sess.AsDefault()` or pass an "
                                     "explicit session to `" +
                                     call + "(&sess)`");
    }
  }
  if (s->graph().get() != graph) {
    return InvalidArgumentError(
        std::string("Cannot use the ") + (explicit_session ? "given" : "default") + " session to " +
        (std::string(call) == "Eval" ? "evaluate tensor" : "execute operation") + ": the " +
        (std::string(call) == "Eval" ? "tensor's" : "operation's") +
        " graph is different from the session's graph. Pass an explicit session to `" + call + "(&sess)`.");
  }
  return s;
}

StatusOr<Tensor> Output::Eval(Session* session) const { return Eval({}, session); }

StatusOr<Tensor> Output::Eval(const std::vector<std::pair<Output, Tensor>>& feeds, Session* session) const {
  if (!valid()) return InvalidArgumentError("Cannot evaluate an invalid Output");
  TESSERA_ASSIGN_OR_RETURN(std::shared_ptr<DirectSession> s,
                           ResolveSession(session, node_->graph(), "evaluate tensor", "Eval"));
  std::vector<Tensor> out;
  TESSERA_RETURN_IF_ERROR(s->Run(RunOptions(), feeds, {*this}, {}, &out, nullptr));
  return out[0];
}

Status Operation::Run(Session* session) const {
  if (!valid()) return InvalidArgumentError("Cannot run an invalid Operation");
  TESSERA_ASSIGN_OR_RETURN(std::shared_ptr<DirectSession> s,
                           ResolveSession(session, node_->graph(), "execute operation", "Run"));
  std::vector<Tensor> out;
  return s->Run(RunOptions(), {}, {}, {*this}, &out, nullptr);
}

}  // namespace tessera
