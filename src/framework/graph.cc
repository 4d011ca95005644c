#include "tessera/graph.h"

#include <algorithm>
#include <cctype>

#include "src/framework/op_registry.h"
#include "tessera/device_name.h"

namespace tessera {
namespace {

// A shape function's output must describe tensors that can exist: no dim
// below -1 (unknown) and no more than 2**63 - 1 elements over the known dims.
Status CheckOutputShape(const PartialShape& s, const std::string& node, const std::string& op) {
  if (!s.known_rank()) return Status::OK();
  if (s.rank() > kMaxRank) {
    return InvalidArgumentError("Node '" + node + "' (" + op + ") would have an output of rank " +
                                std::to_string(s.rank()) + "; at most " + std::to_string(kMaxRank) + " is supported");
  }
  int64_t n = 1;
  for (int64_t d : s.dims()) {
    if (d < -1) {
      return InvalidArgumentError("Node '" + node + "' (" + op +
                                  ") would have an output that has a negative dimension " + std::to_string(d) +
                                  " (only -1, unknown, may be negative)");
    }
    if (d >= 0) n = MultiplyDims(n, d);
    if (n < 0) {
      return InvalidArgumentError("Shape " + s.DebugString() + " is too large (more than 2**63 - 1 entries) for '" +
                                  node + "' (op: '" + op + "')");
    }
  }
  return Status::OK();
}

}  // namespace

std::string Output::name() const {
  if (node_ == nullptr) return "<invalid output>";
  return node_->name() + ":" + std::to_string(index_);
}

DataType Output::dtype() const {
  if (node_ == nullptr || index_ < 0 || index_ >= node_->num_outputs()) return DataType::kInvalid;
  return node_->output_type(index_);
}

PartialShape Output::shape() const {
  if (node_ == nullptr || index_ < 0 || index_ >= node_->num_outputs()) return PartialShape();
  return node_->output_shape(index_);
}

const std::string& Operation::name() const {
  static const std::string* const kInvalid = new std::string("<invalid operation>");
  return node_ ? node_->name() : *kInvalid;
}

std::string Node::DebugString() const {
  std::string s = name_ + " = " + op_ + "[";
  bool first = true;
  for (const auto& [k, v] : attrs_) {
    if (k == "value") continue;  // constants can be large
    if (!first) s += ", ";
    first = false;
    s += k + "=";
    if (auto* dt = std::get_if<DataType>(&v))
      s += DataTypeString(*dt);
    else if (auto* b = std::get_if<bool>(&v))
      s += *b ? "true" : "false";
    else if (auto* i = std::get_if<int64_t>(&v))
      s += std::to_string(*i);
    else if (auto* str = std::get_if<std::string>(&v))
      s += "\"" + *str + "\"";
    else if (auto* ps = std::get_if<PartialShape>(&v))
      s += ps->DebugString();
    else
      s += "...";
  }
  s += "](";
  for (size_t i = 0; i < inputs_.size(); ++i) {
    if (i) s += ", ";
    s += inputs_[i].name();
  }
  for (const Node* c : control_inputs_) s += (s.back() == '(' ? "^" : ", ^") + c->name();
  s += ")";
  if (!requested_device_.empty()) s += ", device=" + requested_device_;
  return s;
}

Status CheckNodeName(std::string_view name) {
  auto head_ok = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.';
  };
  auto tail_ok = [&](char c) { return head_ok(c) || c == '_' || c == '-' || c == '/'; };
  auto quoted = [&] {
    std::string q;
    for (char c : name.substr(0, 200)) {
      if (c >= 0x20 && c < 0x7f) {
        q += c;
      } else {
        q += "\\x";
        q += "0123456789abcdef"[(static_cast<unsigned char>(c) >> 4) & 15];
        q += "0123456789abcdef"[static_cast<unsigned char>(c) & 15];
      }
    }
    return "'" + q + (name.size() > 200 ? "...'" : "'");
  };
  if (name.empty()) return InvalidArgumentError("Node name must not be empty");
  if (!head_ok(name[0])) {
    return InvalidArgumentError("Node name " + quoted() +
                                " is not valid: it must start with a letter, digit or '.' (TF's "
                                "[A-Za-z0-9.][A-Za-z0-9_.\\-/]*)");
  }
  for (size_t i = 1; i < name.size(); ++i) {
    if (!tail_ok(name[i])) {
      return InvalidArgumentError("Node name " + quoted() + " is not valid: character " + std::to_string(i) +
                                  " is not one of [A-Za-z0-9_.\\-/] (TF's [A-Za-z0-9.][A-Za-z0-9_.\\-/]*)");
    }
    if (name[i] == '/' && (name[i - 1] == '/' || i + 1 == name.size())) {
      return InvalidArgumentError("Node name " + quoted() + " is not valid: it has an empty scope component");
    }
  }
  return Status::OK();
}

std::shared_ptr<Graph> Graph::Create() { return std::shared_ptr<Graph>(new Graph()); }

namespace {

struct DefaultGraphEntry {
  std::shared_ptr<Graph> graph;
  uint64_t token;
};

std::vector<DefaultGraphEntry>& DefaultGraphStack() {
  thread_local std::vector<DefaultGraphEntry> stack;
  return stack;
}

std::mutex& GlobalDefaultMutex() {
  static std::mutex mu;
  return mu;
}

std::shared_ptr<Graph>& GlobalDefault() {
  static std::shared_ptr<Graph> graph;
  return graph;
}

}  // namespace

std::shared_ptr<Graph> Graph::GetDefault() {
  if (!DefaultGraphStack().empty()) return DefaultGraphStack().back().graph;
  std::lock_guard<std::mutex> l(GlobalDefaultMutex());
  if (GlobalDefault() == nullptr) GlobalDefault() = Create();
  return GlobalDefault();
}

Status Graph::ResetDefault() {
  if (!DefaultGraphStack().empty()) {
    return FailedPreconditionError(
        "Do not use Graph::ResetDefault() to clear nested graphs: a Graph::AsDefault() scope is open on this "
        "thread. If you need a cleared graph, exit the nesting and create a new graph.");
  }
  std::lock_guard<std::mutex> l(GlobalDefaultMutex());
  GlobalDefault() = Create();
  return Status::OK();
}

Graph::ScopeGuard Graph::AsDefault() {
  thread_local uint64_t next_token = 0;
  const uint64_t token = ++next_token;
  DefaultGraphStack().push_back(DefaultGraphEntry{shared_from_this(), token});
  return ScopeGuard([token] {
    auto& stack = DefaultGraphStack();
    for (auto it = stack.end(); it != stack.begin();) {
      --it;
      if (it->token == token) {
        stack.erase(it);
        return;
      }
    }
  });
}

Graph::~Graph() = default;

Status Graph::status() const {
  std::lock_guard<std::mutex> l(mu_);
  return status_;
}

void Graph::RecordError(const Status& s) {
  if (s.ok()) return;
  std::lock_guard<std::mutex> l(mu_);
  if (status_.ok()) status_ = s;
  has_error_.store(true, std::memory_order_release);
}

Status Graph::ResetStatus() {
  std::lock_guard<std::mutex> l(mu_);
  Status s = std::move(status_);
  status_ = Status::OK();
  has_error_.store(false, std::memory_order_release);
  return s;
}

std::vector<Node*> Graph::nodes() const {
  std::lock_guard<std::mutex> l(mu_);
  std::vector<Node*> out;
  out.reserve(nodes_.size());
  for (const auto& n : nodes_) out.push_back(n.get());
  return out;
}

namespace {

// TF makes names unique regardless of case ("add" then tf.add: "Add_1"), so
// that graphs written to case-insensitive file systems keep them apart.
std::string NameKey(std::string_view name) {
  std::string key(name);
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

}  // namespace

std::string Graph::UniqueName(std::string_view base_view) {
  std::lock_guard<std::mutex> l(mu_);
  const std::string base(base_view);
  const std::string base_key = NameKey(base);
  auto used = [&](const std::string& n) { return name_counts_.count(NameKey(n)) > 0 || by_name_.count(n) > 0; };
  if (!used(base)) {
    name_counts_[base_key] = 1;
    return base;
  }
  int& next = name_counts_[base_key];
  if (next < 1) next = 1;
  std::string candidate;
  do {
    candidate = base + "_" + std::to_string(next++);
  } while (used(candidate));
  name_counts_[NameKey(candidate)] = 1;
  return candidate;
}

std::string Graph::Scoped(std::string_view base) const {
  if (name_scopes_.empty() || name_scopes_.back().empty()) return std::string(base);
  return name_scopes_.back() + "/" + std::string(base);
}

std::string Graph::UniqueScopedName(std::string_view base) { return UniqueName(Scoped(base)); }

StatusOr<Operation> Graph::FindOperation(std::string_view name) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = by_name_.find(std::string(name));
  if (it == by_name_.end()) return NotFoundError("Operation '" + std::string(name) + "' not found in the graph");
  return Operation(it->second);
}

StatusOr<Output> Graph::FindOutput(std::string_view name) const {
  std::string node_name(name);
  int index = 0;
  size_t colon = name.rfind(':');
  if (colon != std::string_view::npos) {
    node_name = std::string(name.substr(0, colon));
    std::string idx(name.substr(colon + 1));
    if (idx.empty() || idx.find_first_not_of("0123456789") != std::string::npos || idx.size() > 6) {
      return InvalidArgumentError("Malformed tensor name '" + std::string(name) +
                                  "': expected \"node\" or \"node:index\"");
    }
    index = std::stoi(idx);
  }
  std::lock_guard<std::mutex> l(mu_);
  auto it = by_name_.find(node_name);
  if (it == by_name_.end()) {
    return NotFoundError("Tensor " + std::string(name) + " not found: the graph has no node named '" + node_name + "'");
  }
  if (index >= it->second->num_outputs()) {
    return NotFoundError("Tensor " + std::string(name) + " not found: node '" + node_name + "' (" + it->second->op() +
                         ") has " + std::to_string(it->second->num_outputs()) + " output(s)");
  }
  return Output(it->second, index);
}

std::string Node::DefinedAt() const {
  return source_.known() ? " (defined at " + source_.ToString() + ")" : std::string();
}

Operation Graph::AddNodeOrRecord(NodeSpec spec) {
  StatusOr<Operation> op = AddNode(std::move(spec));
  if (op.ok()) return *op;
  RecordError(op.status());
  return Operation();
}

StatusOr<Operation> Graph::AddNode(NodeSpec spec) {
  if (!spec.source.known()) spec.source = CurrentSourceLocation();
  const SourceLocation source = spec.source;
  StatusOr<Operation> op = AddNodeChecked(std::move(spec));
  if (!op.ok() && source.known()) return op.status().WithSuffix(" (defined at " + source.ToString() + ")");
  return op;
}

Status Graph::CheckInputs(const NodeSpec& spec, const OpDef& op_def, const std::string& scoped) const {
  const OpDef* def = &op_def;
  const int n = static_cast<int>(spec.inputs.size());
  if (n < def->min_inputs || (def->max_inputs >= 0 && n > def->max_inputs)) {
    std::string expected = def->min_inputs == def->max_inputs ? std::to_string(def->min_inputs)
                                                              : "at least " + std::to_string(def->min_inputs);
    return InvalidArgumentError("Op '" + spec.op + "' (node '" + scoped + "') expects " + expected + " input(s), got " +
                                std::to_string(n));
  }
  for (int i = 0; i < n; ++i) {
    const Output& in = spec.inputs[static_cast<size_t>(i)];
    if (!in.valid()) {
      Status first = status();
      return InvalidArgumentError(
          "Input " + std::to_string(i) + " of node '" + scoped + "' (" + spec.op + ") is invalid" +
          (first.ok() ? std::string() : "; the op that should have made it failed: " + first.message()));
    }
    if (in.node()->graph() != this) {
      return InvalidArgumentError("Input " + std::to_string(i) + " of node '" + scoped + "' (" + in.name() +
                                  ") belongs to a different Graph");
    }
    if (in.index() < 0 || in.index() >= in.node()->num_outputs()) {
      return InvalidArgumentError("Input " + std::to_string(i) + " of node '" + scoped + "' names output " + in.name() +
                                  " which does not exist");
    }
    if (def->is_ref_input(i) && !in.node()->op_def().is_variable) {
      return InvalidArgumentError("Input " + std::to_string(i) + " of '" + scoped + "' (" + spec.op +
                                  ") must be a variable reference (the ref() of a Variable), got " + in.name() +
                                  " from a " + in.node()->op() + " op");
    }
  }
  for (const Operation& c : spec.control_inputs) {
    if (!c.valid()) return InvalidArgumentError("A control input of node '" + scoped + "' is invalid");
    if (c.node()->graph() != this) {
      return InvalidArgumentError("Control input '" + c.name() + "' of node '" + scoped +
                                  "' belongs to a different Graph");
    }
  }
  return Status::OK();
}

StatusOr<Operation> Graph::AddNodeChecked(NodeSpec spec) {
  const OpDef* def = OpRegistry::Global().Lookup(spec.op);
  const std::string base_name = spec.name.empty() ? spec.op : spec.name;
  std::string scoped = base_name;
  if (!spec.name_is_final) scoped = Scoped(base_name);
  if (finalized()) {
    return FailedPreconditionError("Graph is finalized and cannot be modified: cannot add node '" + scoped + "' (" +
                                   spec.op + ")");
  }
  if (def == nullptr) return NotFoundError("Op type not registered '" + spec.op + "' (node '" + scoped + "')");
  TESSERA_RETURN_IF_ERROR(CheckInputs(spec, *def, scoped));
  TESSERA_RETURN_IF_ERROR(CheckNodeName(scoped).WithSuffix(" (a " + spec.op + " op)"));
  // Shape function: validates, fills inferred attrs, computes outputs.
  InferenceContext ctx(*def, scoped, spec.inputs, &spec.attrs);
  TESSERA_RETURN_IF_ERROR(def->shape_fn(ctx));
  for (const PartialShape& out : ctx.output_shapes()) TESSERA_RETURN_IF_ERROR(CheckOutputShape(out, scoped, spec.op));

  auto node = std::unique_ptr<Node>(new Node());
  if (spec.name_is_final) {
    std::lock_guard<std::mutex> l(mu_);
    if (by_name_.count(scoped)) return InvalidArgumentError("Duplicate node name in graph: '" + scoped + "'");
    node->name_ = scoped;
  } else {
    node->name_ = UniqueName(scoped);
  }
  node->op_ = spec.op;
  node->op_def_ = def;
  node->graph_ = this;
  node->inputs_ = std::move(spec.inputs);
  node->attrs_ = std::move(spec.attrs);
  node->output_types_ = ctx.output_types();
  node->output_shapes_ = ctx.output_shapes();
  for (const Operation& c : spec.control_inputs) node->control_inputs_.push_back(c.node());
  ApplyScopes(node.get());
  Node* raw = node.get();
  {
    std::lock_guard<std::mutex> l(mu_);
    if (spec.source.known()) {
      // The node points into the graph's copy of the file name (a caller's may not live as long).
      auto it = source_files_.find(std::string_view(spec.source.file));
      if (it == source_files_.end()) it = source_files_.emplace(spec.source.file).first;
      node->source_ = SourceLocation{it->c_str(), spec.source.line};
    }
    node->id_ = static_cast<int>(nodes_.size());
    by_name_[node->name_] = raw;
    name_counts_.try_emplace(NameKey(node->name_), 1);  // names given as final (an import) are in use too
    nodes_.push_back(std::move(node));
    num_nodes_.store(static_cast<int>(nodes_.size()), std::memory_order_release);
  }
  return Operation(raw);
}

void Graph::ApplyScopes(Node* node) const {
  // Control scopes inside the innermost ControlDependencies(nullptr), if any.
  size_t first_level = control_scopes_.size();
  while (first_level > 0 && !control_scopes_[first_level - 1].clears_outer) --first_level;
  for (size_t l = first_level; l < control_scopes_.size(); ++l) {
    for (Node* c : control_scopes_[l].ops) node->control_inputs_.push_back(c);
  }
  // Inside ColocateWith the node takes the innermost colocated op's device and
  // joins every enclosing colocation group; device scopes are ignored (TF).
  if (!colocation_scopes_.empty()) {
    for (const Node* c : colocation_scopes_) {
      if (c == nullptr) continue;
      if (std::find(node->colocate_with_.begin(), node->colocate_with_.end(), c->name()) == node->colocate_with_.end())
        node->colocate_with_.push_back(c->name());
    }
    if (colocation_scopes_.back() != nullptr) node->requested_device_ = colocation_scopes_.back()->requested_device();
  } else if (!device_scopes_.empty()) {
    node->requested_device_ = device_scopes_.back();
  }
}

std::pair<int64_t, int64_t> Graph::DeriveSeeds(std::optional<int64_t> op_seed) {
  constexpr int64_t kMaxInt32 = 2147483647;  // TF's _MAXINT32
  constexpr int64_t kDefaultGraphSeed = 87654321;
  auto truncate = [](int64_t s) { return ((s % kMaxInt32) + kMaxInt32) % kMaxInt32; };  // Python's %
  std::pair<int64_t, int64_t> seeds;
  if (random_seed_.has_value()) {
    seeds = {truncate(*random_seed_), truncate(op_seed.has_value() ? *op_seed : seed_offset_++)};
  } else if (op_seed.has_value()) {
    seeds = {kDefaultGraphSeed, truncate(*op_seed)};
  } else {
    return {0, 0};
  }
  if (seeds.first == 0 && seeds.second == 0) seeds.second = kMaxInt32;  // (0, 0) would mean "not seeded"
  return seeds;
}

Graph::ScopeGuard Graph::NameScope(std::string_view name) {
  const bool absolute = name.empty() || name.back() == '/';  // TF: "a/" is the scope "a" itself, "" the root
  std::string full = absolute ? std::string(name.substr(0, name.empty() ? 0 : name.size() - 1)) : Scoped(name);
  if (!full.empty()) {
    Status valid = CheckNodeName(full);
    if (!valid.ok()) RecordError(valid.WithPrefix("Graph::NameScope: "));
  }
  if (!absolute) full = UniqueName(full);
  name_scopes_.push_back(full);
  return ScopeGuard([this] { name_scopes_.pop_back(); });
}

Graph::ScopeGuard Graph::Device(std::string_view device_spec) {
  std::string merged = device_scopes_.empty() ? "" : device_scopes_.back();
  if (!device_spec.empty()) {
    StatusOr<DeviceName> inner = DeviceName::Parse(device_spec);
    if (!inner.ok()) {
      RecordError(inner.status().WithSuffix(" (in a Graph::Device scope)"));
    } else {
      DeviceName outer;
      if (!device_scopes_.empty() && !device_scopes_.back().empty()) {
        outer = DeviceName::Parse(device_scopes_.back()).value();
      }
      merged = outer.MergedWith(*inner).ToString();
    }
  }
  device_scopes_.push_back(merged);
  return ScopeGuard([this] { device_scopes_.pop_back(); });
}

Graph::ScopeGuard Graph::Device(std::nullptr_t) {
  device_scopes_.emplace_back();
  return ScopeGuard([this] { device_scopes_.pop_back(); });
}

Status Graph::CheckScopeOp(const Operation& op, const std::string& what) const {
  if (!op.valid()) {
    return InvalidArgumentError(what + " is invalid (the op that should have made it failed)");
  }
  if (op.node()->graph() != this) {
    return InvalidArgumentError(what + " '" + op.name() + "' belongs to a different Graph");
  }
  return Status::OK();
}

Graph::ScopeGuard Graph::ControlDependencies(const std::vector<Operation>& ops) {
  std::vector<Node*> level;
  for (size_t i = 0; i < ops.size(); ++i) {
    Status s = CheckScopeOp(ops[i], "Graph::ControlDependencies: operation " + std::to_string(i));
    if (s.ok()) {
      level.push_back(ops[i].node());
    } else {
      RecordError(s);
    }
  }
  control_scopes_.push_back(ControlLevel{std::move(level), false});
  return ScopeGuard([this] { control_scopes_.pop_back(); });
}

Graph::ScopeGuard Graph::ControlDependencies(std::nullptr_t) {
  control_scopes_.push_back(ControlLevel{{}, true});
  return ScopeGuard([this] { control_scopes_.pop_back(); });
}

Graph::ScopeGuard Graph::ColocateWith(const Operation& op) {
  Status s = CheckScopeOp(op, "Graph::ColocateWith: the operation");
  RecordError(s);
  colocation_scopes_.push_back(s.ok() ? op.node() : nullptr);
  return ScopeGuard([this] { colocation_scopes_.pop_back(); });
}

void Graph::AddToCollection(std::string_view key, const Operation& op) {
  Status s = CheckScopeOp(op, "Graph::AddToCollection(\"" + std::string(key) + "\"): the operation");
  if (!s.ok()) {
    RecordError(s);
    return;
  }
  std::lock_guard<std::mutex> l(mu_);
  auto it = collections_.find(key);
  if (it == collections_.end()) it = collections_.emplace(std::string(key), std::vector<Operation>()).first;
  it->second.push_back(op);
}

std::vector<Operation> Graph::GetCollection(std::string_view key) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = collections_.find(key);
  return it == collections_.end() ? std::vector<Operation>() : it->second;
}

std::vector<std::string> Graph::GetAllCollectionKeys() const {
  std::lock_guard<std::mutex> l(mu_);
  std::vector<std::string> keys;
  for (const auto& [key, ops] : collections_) keys.push_back(key);
  return keys;
}

void Graph::ClearCollection(std::string_view key) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = collections_.find(key);
  if (it != collections_.end()) collections_.erase(it);
}

void Graph::AddVariableNodes(const VariableNodes& v) {
  std::lock_guard<std::mutex> l(mu_);
  variable_nodes_.emplace(v.ref.node(), v);
}

const Graph::VariableNodes* Graph::FindVariableNodes(const Node* variable) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = variable_nodes_.find(variable);
  return it == variable_nodes_.end() ? nullptr : &it->second;
}

}  // namespace tessera
