// Session: runs a Graph and owns everything a run needs (devices, thread
// pools, variable values, cached plans).
//
//   auto g = Graph::Create();
//   Output c = ops::Add(*g, ops::Const(*g, Tensor::Vec<float>({1, 2})),
//                           ops::Const(*g, Tensor::Vec<float>({2, 3})));
//   StatusOr<std::unique_ptr<Session>> sess = Session::Create(g);
//   StatusOr<std::vector<Tensor>> out = (*sess)->Run({}, {c});   // [3. 5.]
//
// Run executes only the subgraph its fetches and targets need; any tensor may
// be fed. The plan for each (feeds, fetches, targets) signature is built once
// and cached, and rebuilt when the graph grew. Close() cancels in-flight runs
// and releases everything; later calls fail with Cancelled
// "Session has been closed.". The destructor closes.
//
// Thread-safety: Run may be called from many threads at once. Close may be
// called from any thread; it waits for in-flight runs to stop.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "tessera/graph.h"
#include "tessera/placement.h"
#include "tessera/status.h"
#include "tessera/tensor.h"

namespace tessera {

class DirectSession;

// Mirrors ConfigProto.gpu_options.
struct GPUOptions {
  double per_process_gpu_memory_fraction = 0.0;  // 0: all but a reserve
  bool allow_growth = false;
  std::string visible_device_list;  // "" = all, else e.g. "1,0"
};

// Limits on SessionOptions: Session::Create rejects larger values with
// InvalidArgument naming the option and the limit.
inline constexpr int kMaxSessionThreads = 1024;  // intra_/inter_op_parallelism_threads
inline constexpr int kMaxCpuDevices = 256;       // device_count["CPU"]

// One message of a session's log, as SessionOptions::log_record_sink gets it:
// the text log_sink gets, with what it is about.
struct LogRecord {
  enum class Kind {
    kDeviceMapping,         // the "Device mapping:" block (one record, several lines)
    kNoGpu,                 // "No GPU: <why>", once per session
    kPlacementNote,         // a placer note, e.g. "Ignoring device specification ..."
    kNodePlacement,         // "name: (Op): device  [why]"; `placement` is the node's record
    kPlacementSummary,      // "Placement summary: ..." and the grouped lines after it
    kSoftPlacementWarning,  // the one warning of a session with the log off
    kRoundTripWarning,      // a plan copies tensors to soft-placed nodes and back (round_trip_warning_bytes)
    kRuntimeFallback,       // a kernel failed as unsupported at run time and moved to the CPU
  };
  Kind kind = Kind::kNodePlacement;
  int level = 0;                               // as min_log_level counts: 0 INFO, 1 WARNING, 2 ERROR
  std::string_view text;                       // without the "W tessera] " prefix stderr shows
  const PlacementRecord* placement = nullptr;  // the node (kNodePlacement; the first fallback for the warning)
};

// Mirrors ConfigProto.
struct SessionOptions {
  // Maximum number of devices per type: {"CPU": 2} makes CPU:0 and CPU:1;
  // {"GPU": 0} does not even initialise CUDA. CPU defaults to 1.
  std::map<std::string, int> device_count;
  int intra_op_parallelism_threads = 0;  // 0: one per hardware thread
  int inter_op_parallelism_threads = 0;  // 0: one per hardware thread; 1: runs on the caller's thread
  bool allow_soft_placement = false;
  bool log_device_placement = false;
  // Mirrors graph_options.place_pruned_graph. false (TF's default): the first
  // Run places every node of the graph and logs each once; later Runs place
  // and log only nodes added since, the others keep their devices; a node
  // that cannot be placed fails every Run, even one that does not need it.
  // true: each (feeds, fetches, targets) plan places only the nodes it runs
  // (variables keep their first device), and logs them when it is built.
  bool place_pruned_graph = false;
  // Soft placement can leave a few nodes on the CPU between nodes that run
  // on a GPU: every edge into or out of such an island is a copy. true: the
  // placer moves the island's neighbours onto its device where that lowers
  // the bytes copied (static shapes; the log says "[moved from ... to copy N
  // fewer bytes per step]"). Off by default, as TF has no such pass.
  bool reduce_copies = false;
  // A plan whose step copies a tensor from a device to an island of
  // soft-placed nodes and back (GPU -> CPU -> GPU) is reported by one
  // warning, at its first Run, when the round trip moves more than this many
  // bytes; 0 reports every round trip, -1 none.
  int64_t round_trip_warning_bytes = int64_t{1} << 16;
  // The least severe message the session prints, to stderr or log_sink (TF's
  // TF_CPP_MIN_LOG_LEVEL): 0 all, 1 warnings and errors, 2 errors only, 3
  // nothing. -1 (the default): the environment variable TESSERA_MIN_LOG_LEVEL
  // when the session is created, else 1. The placement log itself is printed
  // whenever log_device_placement asks for it.
  int min_log_level = -1;
  int64_t operation_timeout_in_ms = 0;  // default deadline of every Run; 0: none
  GPUOptions gpu_options;
  // Where placement-log lines and warnings go; default: stderr. Called from
  // the thread that builds a plan, inside its Run: from there, Run and Close
  // of the same session fail with FailedPrecondition (they would wait for
  // that Run); other sessions may be used. Destroying the session there is
  // safe: it closes when the Run returns.
  std::function<void(std::string_view line)> log_sink;
  // The same messages as records (kind, level, node), for programs that
  // filter or route them (Python's logging, a UI). Called as log_sink is,
  // after it when both are set; with either set, nothing goes to stderr.
  std::function<void(const LogRecord& record)> log_record_sink;
  // Plans kept per session, least recently used dropped first (each
  // distinct feeds/fetches/targets signature has one plan).
  int plan_cache_capacity = 128;
};

// Mirrors RunOptions.
struct RunOptions {
  enum class TraceLevel { kNoTrace, kFullTrace };
  int64_t timeout_in_ms = 0;  // overrides operation_timeout_in_ms when > 0
  TraceLevel trace_level = TraceLevel::kNoTrace;
};

// Timing of one step of one run (RunOptions::TraceLevel::kFullTrace): a
// node, a copy between devices, or a point where the host waited.
struct NodeExecStats {
  enum class Kind { kNode, kCopy, kHostWait };
  Kind kind = Kind::kNode;
  std::string node_name;     // a copy: "x:0 -> <destination device>"
  std::string op;            // "_Copy" for a copy, "_HostWait" for a wait
  std::string device;        // where it ran (a copy: its destination)
  std::string src_device;    // a copy: where the tensor came from
  int64_t start_micros = 0;  // since the start of the run
  int64_t end_micros = 0;
  int64_t start_nanos = 0;  // the same, in nanoseconds
  int64_t end_nanos = 0;
  uint64_t thread_id = 0;            // hash of the executing thread's id
  std::vector<std::string> outputs;  // "float [64,256]" per output
  int64_t bytes = 0;                 // of the outputs (a copy: the bytes it moved)
  // A GPU node: when its work ran on the device (CUDA events), on the step's
  // clock (the device's first traced mark is aligned with the host time it
  // was recorded at). -1 for work the host timed itself.
  int64_t device_start_nanos = -1;
  int64_t device_end_nanos = -1;
};

// One copy step on a cross-device edge of a plan.
struct CopyRecord {
  std::string tensor;      // "x:0"
  std::string src_device;  // full device names
  std::string dst_device;
  int64_t bytes = -1;  // RunMetadata of a Run: the bytes it moved in that step (-1: not run)
};

// Mirrors RunMetadata.
struct RunMetadata {
  std::vector<NodeExecStats> step_stats;   // filled under kFullTrace
  std::vector<PlacementRecord> placement;  // the placement of the plan that ran
  std::vector<CopyRecord> copies;          // its cross-device copy steps (one per tensor and destination)
};

// A traced run (kFullTrace) as Chrome trace JSON, which chrome://tracing and
// ui.perfetto.dev open: a process per device, a track per device, kind and
// executing thread (compute, copies in, host waits), complete events with
// nanosecond times (microseconds with three decimals), and each event's op,
// device, output dtypes and shapes, bytes, and for copies the direction.
std::string RunMetadataToChromeTrace(const RunMetadata& metadata);

// A device of the session (mirrors DeviceAttributes).
struct DeviceAttributes {
  std::string name;         // /job:localhost/replica:0/task:0/device:CPU:0
  std::string device_type;  // "CPU", "GPU"
  int64_t memory_limit_bytes = 0;
  std::string physical_device_desc;  // GPUs: "device: 0, name: ..., pci bus id: ..., compute capability: 9.0"
};

// A structure of fetches, as TF's Session.run takes them (its fetch mappers):
// a tensor (an Output, or a name "x:0"), an operation (an Operation, or a
// name "x" without an index: it runs and returns no value), a list, or a map
// from keys to fetches, nested to any depth.
class FetchStructure {
 public:
  FetchStructure(Output tensor) : value_(tensor) {}                              // NOLINT: as TF's run(t)
  FetchStructure(Operation op) : value_(op) {}                                   // NOLINT
  FetchStructure(std::string name) : value_(std::move(name)) {}                  // NOLINT
  FetchStructure(const char* name) : value_(std::string(name)) {}                // NOLINT
  FetchStructure(std::vector<FetchStructure> list) : value_(std::move(list)) {}  // NOLINT
  FetchStructure(std::initializer_list<FetchStructure> list) : value_(std::vector<FetchStructure>(list)) {}
  FetchStructure(std::map<std::string, FetchStructure> map) : value_(std::move(map)) {}  // NOLINT

  using Value =
      std::variant<Output, Operation, std::string, std::vector<FetchStructure>, std::map<std::string, FetchStructure>>;
  const Value& value() const { return value_; }

 private:
  Value value_;
};

// What a FetchStructure returns: the same shape, with a Tensor for each
// tensor and "no value" for each operation.
class FetchedStructure {
 public:
  using Value =
      std::variant<std::monostate, Tensor, std::vector<FetchedStructure>, std::map<std::string, FetchedStructure>>;
  FetchedStructure() = default;
  explicit FetchedStructure(Value v) : value_(std::move(v)) {}
  bool is_no_value() const { return std::holds_alternative<std::monostate>(value_); }
  bool is_tensor() const { return std::holds_alternative<Tensor>(value_); }
  bool is_list() const { return std::holds_alternative<std::vector<FetchedStructure>>(value_); }
  bool is_map() const { return std::holds_alternative<std::map<std::string, FetchedStructure>>(value_); }
  // Each accessor requires the matching kind (check with is_*()).
  const Tensor& tensor() const { return std::get<Tensor>(value_); }
  const std::vector<FetchedStructure>& list() const { return std::get<std::vector<FetchedStructure>>(value_); }
  const std::map<std::string, FetchedStructure>& map() const {
    return std::get<std::map<std::string, FetchedStructure>>(value_);
  }
  const FetchedStructure& operator[](size_t i) const { return list().at(i); }
  const FetchedStructure& operator[](const std::string& key) const { return map().at(key); }

 private:
  Value value_;
};

// Keeps a session the thread's default until it ends. Scopes must nest, as
// TF enforces: a scope that ends while a session made default after it is
// still the default (an InteractiveSession created inside, or an inner scope
// moved out) is a nesting violation. The stack is never corrupted either way:
// each scope removes exactly its own entry, so the later session stays the
// default and this one stops being it.
class DefaultSessionScope {
 public:
  DefaultSessionScope(DefaultSessionScope&& other) noexcept;
  DefaultSessionScope(const DefaultSessionScope&) = delete;
  DefaultSessionScope& operator=(const DefaultSessionScope&) = delete;
  // Ends the scope now. FailedPrecondition "Nesting violated for default stack
  // of Session objects: ..." on a violation (the entry is removed anyway).
  Status Exit();
  // Calls Exit(); a violation is logged as a warning.
  ~DefaultSessionScope();

 private:
  friend class Session;
  explicit DefaultSessionScope(std::weak_ptr<DirectSession> session);
  uint64_t token_ = 0;  // 0: ended or moved from
};

class Session {
 public:
  using FeedList = std::vector<std::pair<Output, Tensor>>;
  using NamedFeedList = std::vector<std::pair<std::string, Tensor>>;

  // Fails (InvalidArgument) on bad options, e.g. a malformed visible_device_list.
  static StatusOr<std::unique_ptr<Session>> Create(std::shared_ptr<Graph> graph, const SessionOptions& options = {});
  virtual ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Returns one tensor per fetch, on the host.
  StatusOr<std::vector<Tensor>> Run(const FeedList& feeds, const std::vector<Output>& fetches,
                                    const std::vector<Operation>& targets = {});
  StatusOr<std::vector<Tensor>> Run(const RunOptions& options, const FeedList& feeds,
                                    const std::vector<Output>& fetches, const std::vector<Operation>& targets,
                                    RunMetadata* metadata);
  // TensorFlow's C++ form, by name ("x", "x:0", "op" for targets).
  Status Run(const NamedFeedList& feeds, const std::vector<std::string>& fetch_names,
             const std::vector<std::string>& target_names, std::vector<Tensor>* outputs);
  Status Run(const RunOptions& options, const NamedFeedList& feeds, const std::vector<std::string>& fetch_names,
             const std::vector<std::string>& target_names, std::vector<Tensor>* outputs, RunMetadata* metadata);

  // Fetches a structure (lists, maps, names, operations) and returns the same
  // structure, as TF's sess.run(fetches) does; a tensor fetched twice is
  // computed once. Names that do not exist are NotFound.
  StatusOr<FetchedStructure> RunStructure(const FeedList& feeds, const FetchStructure& fetches);

  // Cancels in-flight runs (they return Cancelled), waits for them, and
  // releases all resources. Idempotent.
  virtual Status Close();
  bool closed() const;

  // Makes this the thread's default session until the scope ends.
  [[nodiscard]] DefaultSessionScope AsDefault();

  const std::shared_ptr<Graph>& graph() const;
  const SessionOptions& options() const;
  std::vector<DeviceAttributes> ListDevices() const;
  // Why the session has no GPU ("" when it has one), e.g. "the CUDA runtime
  // reports no usable GPU: cudaErrorInsufficientDriver (...)".
  std::string NoGpuReason() const;
  // The thread counts in force (after resolving 0 to the hardware count).
  int inter_op_threads() const;
  int intra_op_threads() const;
  // Every node placed so far, in graph order: the whole graph as of the last
  // Run (place_pruned_graph: the nodes of the most recently built plan).
  std::vector<PlacementRecord> PlacementRecords() const;

  // The session behind the thread's current default (nullptr if none).
  static Session* Default();

  // For Output::Eval / Operation::Run.
  const std::shared_ptr<DirectSession>& impl_for_eval() const { return impl_; }

 protected:
  explicit Session(std::shared_ptr<DirectSession> impl);
  std::shared_ptr<DirectSession> impl_;
};

// A session that makes itself the default of the creating thread, and stops
// being the default when closed or destroyed.
class InteractiveSession : public Session {
 public:
  static StatusOr<std::unique_ptr<InteractiveSession>> Create(std::shared_ptr<Graph> graph,
                                                              const SessionOptions& options = {});
  ~InteractiveSession() override;
  Status Close() override;

 private:
  using Session::Session;
  uint64_t default_token_ = 0;  // its entry on the creating thread's default stack
};

}  // namespace tessera
