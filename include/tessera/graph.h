// Graph, Operation and Output: the description of a computation.
//
//   std::shared_ptr<Graph> g = Graph::Create();
//   Output a = ops::Const(*g, Tensor::Vec<float>({1, 2}));   // node "Const"
//   Output b = ops::Const(*g, Tensor::Vec<float>({2, 3}));   // node "Const_1"
//   {
//     auto scope = g->NameScope("layer");
//     auto dev = g->Device("/gpu:0");
//     Output c = ops::Add(*g, a, b);                          // "layer/Add" on /gpu:0
//   }
//
// A Graph holds no values; a Session runs it. Nodes are never removed or
// changed once added, so a graph can grow after a session has run it. Names
// are unique ("a", "a_1", ...). Every op runs its shape function when it is
// added; an op that fails (wrong input count, dtype mismatch, incompatible
// shapes) is not added: the builder returns an invalid Output and the graph
// keeps the first such error in status().
//
// Thread-safety: build a graph from one thread at a time. Sessions may run a
// graph from other threads while it is being extended.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "tessera/name.h"
#include "tessera/status.h"
#include "tessera/tensor.h"
#include "tessera/types.h"

namespace tessera {

class Graph;
class Node;
class Session;
struct OpDef;

// An attribute value of a node.
using AttrValue = std::variant<int64_t, float, bool, DataType, std::string, std::vector<int64_t>,
                               std::vector<std::string>, PartialShape, Tensor, std::vector<DataType>>;
using AttrMap = std::map<std::string, AttrValue, std::less<>>;

// One output of a node: "name:index".
class Output {
 public:
  Output() = default;
  explicit Output(Node* node, int index) : node_(node), index_(index) {}

  // False when the op that should have produced it failed to be added.
  bool valid() const { return node_ != nullptr; }
  Node* node() const { return node_; }
  int index() const { return index_; }
  // "name:index".
  std::string name() const;
  DataType dtype() const;
  // The shape known at construction time.
  PartialShape shape() const;

  // Runs this tensor in `session`, or in the thread's default session when
  // null. FailedPrecondition when there is none.
  StatusOr<Tensor> Eval(Session* session = nullptr) const;
  StatusOr<Tensor> Eval(const std::vector<std::pair<Output, Tensor>>& feeds, Session* session = nullptr) const;

  friend bool operator==(const Output& a, const Output& b) { return a.node_ == b.node_ && a.index_ == b.index_; }

 private:
  Node* node_ = nullptr;
  int index_ = 0;
};

// A handle on a node, for use as a target or control dependency.
class Operation {
 public:
  Operation() = default;
  explicit Operation(Node* node) : node_(node) {}
  Operation(const Output& out) : node_(out.node()) {}  // NOLINT: an output names its op

  bool valid() const { return node_ != nullptr; }
  Node* node() const { return node_; }
  const std::string& name() const;
  Output output(int i) const { return Output(node_, i); }

  // Runs this op as a target in `session`, or the default session.
  Status Run(Session* session = nullptr) const;

 private:
  Node* node_ = nullptr;
};

// A node of the graph. Immutable once added.
class Node {
 public:
  int id() const { return id_; }
  const std::string& name() const { return name_; }
  const std::string& op() const { return op_; }
  const OpDef& op_def() const { return *op_def_; }
  Graph* graph() const { return graph_; }
  const std::vector<Output>& inputs() const { return inputs_; }
  const std::vector<Node*>& control_inputs() const { return control_inputs_; }
  int num_inputs() const { return static_cast<int>(inputs_.size()); }
  int num_outputs() const { return static_cast<int>(output_types_.size()); }
  DataType output_type(int i) const { return output_types_[static_cast<size_t>(i)]; }
  const PartialShape& output_shape(int i) const { return output_shapes_[static_cast<size_t>(i)]; }
  DataType input_type(int i) const { return inputs_[static_cast<size_t>(i)].dtype(); }
  // The device the user asked for, as written after scope merging ("" = none).
  const std::string& requested_device() const { return requested_device_; }
  // Names of the nodes this one must be colocated with (TF's "loc:@x").
  const std::vector<std::string>& colocate_with() const { return colocate_with_; }
  const AttrMap& attrs() const { return attrs_; }
  // Where the user's code made it (unknown for a node made with no user
  // code on the stack).
  const SourceLocation& source() const { return source_; }
  // " (defined at mlp_inference.cc:42)" for messages; "" when unknown.
  std::string DefinedAt() const;

  // Typed attribute lookup; nullptr when absent or of another type.
  template <typename T>
  const T* attr(std::string_view name) const {
    auto it = attrs_.find(name);
    if (it == attrs_.end()) return nullptr;
    return std::get_if<T>(&it->second);
  }
  // "name = Op[attrs](inputs)" for error messages.
  std::string DebugString() const;

 private:
  friend class Graph;
  int id_ = 0;
  std::string name_;
  std::string op_;
  const OpDef* op_def_ = nullptr;
  Graph* graph_ = nullptr;
  std::vector<Output> inputs_;
  std::vector<Node*> control_inputs_;
  AttrMap attrs_;
  std::string requested_device_;
  std::vector<std::string> colocate_with_;
  std::vector<DataType> output_types_;
  std::vector<PartialShape> output_shapes_;
  SourceLocation source_;
};

// What a builder asks the graph to add.
struct NodeSpec {
  std::string op;
  std::string name;  // base name; empty means the op name. The name scope is prepended.
  std::vector<Output> inputs;
  AttrMap attrs;
  std::vector<Operation> control_inputs;  // in addition to the control-dependency scope
  // `name` is already scoped and was reserved with UniqueScopedName(): use it as is.
  bool name_is_final = false;
  // Where the node was made in the user's code; unknown: the newest user
  // Name live on this thread (CurrentSourceLocation(), see tessera/name.h).
  SourceLocation source;
};

// TF's GraphKeys: the standard collection names.
namespace GraphKeys {
inline constexpr std::string_view kGlobalVariables = "variables";
inline constexpr std::string_view kLocalVariables = "local_variables";
inline constexpr std::string_view kTrainableVariables = "trainable_variables";
inline constexpr std::string_view kModelVariables = "model_variables";
inline constexpr std::string_view kUpdateOps = "update_ops";
inline constexpr std::string_view kInitOp = "init_op";
inline constexpr std::string_view kGlobalStep = "global_step";
}  // namespace GraphKeys

// OK when `name` is a valid node name (TF's [A-Za-z0-9.][A-Za-z0-9_.\-/]*,
// no empty scope component); InvalidArgument naming the name otherwise.
Status CheckNodeName(std::string_view name);

class Graph : public std::enable_shared_from_this<Graph> {
 public:
  static std::shared_ptr<Graph> Create();
  ~Graph();
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;

  // Adds a node after running its op's shape function. The scopes in force
  // (name, device, control dependencies, colocation) apply.
  StatusOr<Operation> AddNode(NodeSpec spec);
  // Same as AddNode, but records a failure in status() and returns an
  // invalid Operation; what the op builders use.
  Operation AddNodeOrRecord(NodeSpec spec);

  // The first error any builder hit, or OK.
  Status status() const;
  // True while status() holds an error (one atomic load: Run checks it).
  bool has_error() const { return has_error_.load(std::memory_order_acquire); }
  // Records `s` as a builder error (kept only if it is the first).
  void RecordError(const Status& s);
  // Returns the recorded error and clears it (the graph runs again).
  Status ResetStatus();

  // Looks up "name" (a node) or "name:i" (an output).
  StatusOr<Operation> FindOperation(std::string_view name) const;
  StatusOr<Output> FindOutput(std::string_view name) const;

  int num_nodes() const { return num_nodes_.load(std::memory_order_acquire); }
  // Nodes in creation order (a topological order: inputs come first).
  std::vector<Node*> nodes() const;
  // Grows by one every time a node is added; sessions use it to notice growth.
  int64_t version() const { return num_nodes(); }

  // Returns a unique name built from `base` ("a", "a_1", "a_2", ...).
  std::string UniqueName(std::string_view base);
  // The current name scope prepended to `base`, made unique and reserved.
  std::string UniqueScopedName(std::string_view base);

  // ---- Scopes (RAII). Scopes nest; leaving one restores the previous state.
  class ScopeGuard {
   public:
    explicit ScopeGuard(std::function<void()> on_exit) : on_exit_(std::move(on_exit)) {}
    ScopeGuard(ScopeGuard&& o) noexcept : on_exit_(std::move(o.on_exit_)) { o.on_exit_ = nullptr; }
    ScopeGuard(const ScopeGuard&) = delete;
    ~ScopeGuard() {
      if (on_exit_) on_exit_();
    }

   private:
    std::function<void()> on_exit_;
  };
  // Prefixes "scope/" to the names of nodes made inside. A name that is already
  // in use as a scope gets a unique suffix, as in TF ("layer", "layer_1").
  // As TF's name_scope: a name ending in "/" re-enters that scope as it is
  // (absolute, not made unique: "layer/" after "layer" is "layer" again), and
  // "" returns to the root.
  [[nodiscard]] ScopeGuard NameScope(std::string_view name);
  // The innermost name scope in force ("" at the root; "a/b" inside "a", "b").
  std::string CurrentNameScope() const { return name_scopes_.empty() ? std::string() : name_scopes_.back(); }
  // Requests a device for nodes made inside; nested specs merge field by field
  // (innermost wins). "" changes nothing (TF's tf.device("")); Device(nullptr)
  // clears the enclosing requests (TF's tf.device(None)). A malformed spec is
  // recorded as an error in status().
  [[nodiscard]] ScopeGuard Device(std::string_view device_spec);
  [[nodiscard]] ScopeGuard Device(std::nullptr_t);
  // Nodes made inside depend on `ops` (control edges), and on those of the
  // enclosing scopes. ControlDependencies(nullptr) drops the enclosing ones
  // (TF's tf.control_dependencies(None)); scopes opened inside it add again.
  [[nodiscard]] ScopeGuard ControlDependencies(const std::vector<Operation>& ops);
  [[nodiscard]] ScopeGuard ControlDependencies(std::nullptr_t);
  // Nodes made inside are colocated with `op` (and with the ops of enclosing
  // ColocateWith scopes) and request `op`'s device; device scopes are ignored
  // inside, as in TF.
  [[nodiscard]] ScopeGuard ColocateWith(const Operation& op);

  // ---- The default graph (TF's tf.get_default_graph()).
  // The graph of the innermost AsDefault() scope on this thread, else the
  // process-wide default graph (made on first use, shared by all threads).
  static std::shared_ptr<Graph> GetDefault();
  // Replaces the process-wide default graph with a new, empty one. Graphs
  // already handed out are unaffected. FailedPrecondition inside an
  // AsDefault() scope of this thread, as TF refuses to clear nested graphs.
  static Status ResetDefault();
  // Makes this graph the thread's default until the scope ends (scopes nest;
  // each removes its own entry). The scope keeps the graph alive.
  [[nodiscard]] ScopeGuard AsDefault();

  // ---- Finalize: no node can be added afterwards (AddNode fails with
  // FailedPrecondition "Graph is finalized and cannot be modified: ..." naming
  // the node and op). Sessions and runs are unaffected. Cannot be undone.
  // The graph as a binary TensorFlow GraphDef (tessera/graph_def.h has the
  // text form, files and ImportGraphDef).
  StatusOr<std::string> ToGraphDef() const;

  void Finalize() { finalized_.store(true, std::memory_order_release); }
  bool finalized() const { return finalized_.load(std::memory_order_acquire); }

  // ---- Random seeds, as TF1 (tf.compat.v1.set_random_seed / get_seed).
  // The graph-level seed; nullopt (the default) means none.
  void SetRandomSeed(std::optional<int64_t> seed) { random_seed_ = seed; }
  std::optional<int64_t> random_seed() const { return random_seed_; }
  // The (seed, seed2) attributes of a random op made now with the op seed
  // `op_seed`, derived as TF derives them: with a graph seed s, (s, op_seed),
  // or (s, k) for the k-th op made without an op seed; without one,
  // (87654321, op_seed), or (0, 0) (fresh randomness) when neither is set.
  // Both are taken modulo 2**31 - 1; (0, 0) from set seeds becomes
  // (0, 2**31 - 1).
  std::pair<int64_t, int64_t> DeriveSeeds(std::optional<int64_t> op_seed);

  // ---- Collections (TF's graph collections): named lists of operations, in
  // the order they were added; keys as TF's GraphKeys (see GraphKeys below).
  // A variable is listed by its VariableV2 operation (tessera/variable.h
  // turns those back into Variables: GlobalVariables(g), TrainableVariables(g)).
  void AddToCollection(std::string_view key, const Operation& op);
  // A copy of the collection (empty for an unknown key).
  std::vector<Operation> GetCollection(std::string_view key) const;
  std::vector<std::string> GetAllCollectionKeys() const;  // sorted
  void ClearCollection(std::string_view key);

  // The nodes of each tessera::Variable made in this graph, by its
  // VariableV2 node (nullptr for any other node).
  struct VariableNodes {
    Output ref;             // the VariableV2 output
    Output value;           // "name/read"
    Operation initializer;  // "name/Assign" of the initial value
    Output initial_value;
  };
  void AddVariableNodes(const VariableNodes& v);
  const VariableNodes* FindVariableNodes(const Node* variable) const;

 private:
  Graph() = default;
  Status AddNodeLocked(NodeSpec spec, Node** out);
  StatusOr<Operation> AddNodeChecked(NodeSpec spec);
  // The inputs and control inputs of `spec` (node `scoped`, op `def`) are valid.
  Status CheckInputs(const NodeSpec& spec, const OpDef& def, const std::string& scoped) const;
  Status CheckScopeOp(const Operation& op, const std::string& what) const;
  // `base` under the innermost name scope (as it is at the root).
  std::string Scoped(std::string_view base) const;
  // Adds the control edges, device request and colocation of the scopes in force.
  void ApplyScopes(Node* node) const;

  mutable std::mutex mu_;  // guards nodes_, by_name_, status_
  std::deque<std::unique_ptr<Node>> nodes_;
  std::unordered_map<std::string, Node*> by_name_;
  std::unordered_map<std::string, int> name_counts_;
  Status status_;
  std::atomic<bool> has_error_{false};
  std::atomic<int> num_nodes_{0};

  // Builder state (single builder thread).
  std::vector<std::string> name_scopes_;
  std::vector<std::string> device_scopes_;  // merged spec at each level
  struct ControlLevel {
    std::vector<Node*> ops;
    bool clears_outer = false;  // ControlDependencies(nullptr)
  };
  std::vector<ControlLevel> control_scopes_;
  std::vector<const Node*> colocation_scopes_;                              // null for an invalid op (already recorded)
  std::map<std::string, std::vector<Operation>, std::less<>> collections_;  // guarded by mu_
  std::unordered_map<const Node*, VariableNodes> variable_nodes_;           // guarded by mu_
  std::optional<int64_t> random_seed_;
  std::set<std::string, std::less<>> source_files_;  // the files SourceLocations point into
  std::atomic<bool> finalized_{false};
  int64_t seed_offset_ = 0;  // ops seeded from the graph seed alone so far
};

}  // namespace tessera
