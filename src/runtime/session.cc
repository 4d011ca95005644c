// Session facade, the thread-local default-session stack, Output::Eval and
// Operation::Run.
#include "tessera/session.h"

#include <algorithm>

#include "src/runtime/direct_session.h"
#include "src/runtime/logging.h"

namespace tessera {
namespace {

// The thread's default-session stack (innermost last). Each entry carries the
// token of the scope (or InteractiveSession) that pushed it, which removes
// exactly that entry. Entries of destroyed sessions stay until their owner
// leaves; they are skipped.
struct DefaultEntry {
  std::weak_ptr<DirectSession> session;
  uint64_t token = 0;
};

std::vector<DefaultEntry>& DefaultStack() {
  thread_local std::vector<DefaultEntry> stack;
  return stack;
}

uint64_t PushDefault(std::weak_ptr<DirectSession> session) {
  thread_local uint64_t next_token = 0;
  DefaultStack().push_back(DefaultEntry{std::move(session), ++next_token});
  return next_token;
}

// Removes the entry `token`; false when it was not on top (entries of
// destroyed sessions above it do not count).
bool RemoveDefault(uint64_t token) {
  auto& stack = DefaultStack();
  bool on_top = true;
  for (auto it = stack.end(); it != stack.begin();) {
    --it;
    if (it->token == token) {
      stack.erase(it);
      return on_top;
    }
    if (!it->session.expired()) on_top = false;
  }
  return true;  // not on this thread's stack (moved to another thread): nothing to undo
}

std::shared_ptr<DirectSession> CurrentDefault() {
  auto& stack = DefaultStack();
  for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
    if (auto s = it->session.lock()) return s;
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

DefaultSessionScope::DefaultSessionScope(std::weak_ptr<DirectSession> session)
    : token_(PushDefault(std::move(session))) {}

DefaultSessionScope::DefaultSessionScope(DefaultSessionScope&& other) noexcept : token_(other.token_) {
  other.token_ = 0;
}

Status DefaultSessionScope::Exit() {
  if (token_ == 0) return Status::OK();
  const bool on_top = RemoveDefault(token_);
  token_ = 0;
  if (on_top) return Status::OK();
  return FailedPreconditionError(
      "Nesting violated for default stack of Session objects: an AsDefault() scope ended while a session made "
      "default after it (an InteractiveSession or a scope that outlived it) is still the default. The scope's "
      "session is no longer the default; the later one stays.");
}

DefaultSessionScope::~DefaultSessionScope() {
  Status s = Exit();
  if (!s.ok()) LogMessage(LogSeverity::kWarning, s.message());
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

namespace {

// Collects the tensors (deduplicated) and operations of a fetch structure.
struct FlatFetches {
  std::vector<Output> tensors;
  std::vector<Operation> targets;
};

Status Flatten(const Graph& g, const FetchStructure& f, FlatFetches* flat) {
  const auto& v = f.value();
  if (const auto* name = std::get_if<std::string>(&v)) {
    if (name->find(':') != std::string::npos) {
      TESSERA_ASSIGN_OR_RETURN(Output o, g.FindOutput(*name));
      return Flatten(g, FetchStructure(o), flat);
    }
    TESSERA_ASSIGN_OR_RETURN(Operation op, g.FindOperation(*name));
    return Flatten(g, FetchStructure(op), flat);
  }
  if (const auto* o = std::get_if<Output>(&v)) {
    if (std::find(flat->tensors.begin(), flat->tensors.end(), *o) == flat->tensors.end()) flat->tensors.push_back(*o);
  } else if (const auto* op = std::get_if<Operation>(&v)) {
    if (!op->valid()) return InvalidArgumentError("Fetch structure holds an invalid Operation");
    flat->targets.push_back(*op);
  } else if (const auto* list = std::get_if<std::vector<FetchStructure>>(&v)) {
    for (const FetchStructure& e : *list) TESSERA_RETURN_IF_ERROR(Flatten(g, e, flat));
  } else {
    for (const auto& [key, e] : std::get<std::map<std::string, FetchStructure>>(v)) {
      TESSERA_RETURN_IF_ERROR(Flatten(g, e, flat));
    }
  }
  return Status::OK();
}

FetchedStructure Rebuild(const Graph& g, const FetchStructure& f, const FlatFetches& flat,
                         const std::vector<Tensor>& values) {
  const auto& v = f.value();
  if (const auto* name = std::get_if<std::string>(&v)) {
    if (name->find(':') == std::string::npos) return FetchedStructure();
    return Rebuild(g, FetchStructure(g.FindOutput(*name).value()), flat, values);
  }
  if (const auto* o = std::get_if<Output>(&v)) {
    const size_t i =
        static_cast<size_t>(std::find(flat.tensors.begin(), flat.tensors.end(), *o) - flat.tensors.begin());
    return FetchedStructure(values[i]);
  }
  if (std::holds_alternative<Operation>(v)) return FetchedStructure();
  if (const auto* list = std::get_if<std::vector<FetchStructure>>(&v)) {
    std::vector<FetchedStructure> out;
    for (const FetchStructure& e : *list) out.push_back(Rebuild(g, e, flat, values));
    return FetchedStructure(std::move(out));
  }
  std::map<std::string, FetchedStructure> out;
  for (const auto& [key, e] : std::get<std::map<std::string, FetchStructure>>(v)) {
    out.emplace(key, Rebuild(g, e, flat, values));
  }
  return FetchedStructure(std::move(out));
}

}  // namespace

StatusOr<FetchedStructure> Session::RunStructure(const FeedList& feeds, const FetchStructure& fetches) {
  if (impl_->closed()) return CancelledError("Session has been closed.");
  const Graph& g = *impl_->graph();
  FlatFetches flat;
  TESSERA_RETURN_IF_ERROR(Flatten(g, fetches, &flat));
  std::vector<Tensor> values;
  if (!flat.tensors.empty() || !flat.targets.empty()) {
    TESSERA_RETURN_IF_ERROR(impl_->Run(RunOptions(), feeds, flat.tensors, flat.targets, &values, nullptr));
  }
  return Rebuild(g, fetches, flat, values);
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
std::vector<PlacementRecord> Session::PlacementRecords() const { return impl_->placement_records(); }

Session* Session::Default() {
  std::shared_ptr<DirectSession> s = CurrentDefault();
  return s ? s->facade() : nullptr;
}

StatusOr<std::unique_ptr<InteractiveSession>> InteractiveSession::Create(std::shared_ptr<Graph> graph,
                                                                         const SessionOptions& options) {
  TESSERA_ASSIGN_OR_RETURN(std::shared_ptr<DirectSession> impl, DirectSession::Create(std::move(graph), options));
  auto s = std::unique_ptr<InteractiveSession>(new InteractiveSession(impl));
  s->default_token_ = PushDefault(impl);
  return s;
}

InteractiveSession::~InteractiveSession() { Close().IgnoreError(); }

Status InteractiveSession::Close() {
  // Not nested (TF: enforce_nesting=False): removes its own entry wherever it is.
  if (default_token_ != 0) RemoveDefault(default_token_);
  default_token_ = 0;
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
