// libFuzzer target: the public API as a sequence of calls. The input is a
// program: each step picks an API call (an op on earlier outputs with shapes,
// dtypes and attributes from the input; a scope; a variable; a run with
// feeds) and its arguments. Every call must return (an invalid Output, a
// recorded error, a Status) without crashing, hanging or tripping a
// sanitizer. Tensors stay tiny or are absurdly large (never merely large),
// so allocations either succeed fast or fail cleanly.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "tessera/tessera.h"

using namespace tessera;

namespace {

class Input {
 public:
  Input(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool done() const { return pos_ >= size_; }
  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  int Pick(int n) { return n <= 0 ? 0 : Byte() % n; }
  bool Bool() { return Byte() & 1; }
  int64_t Dim() {
    static constexpr int64_t kDims[] = {0, 1, 2, 3, 4, 5, 1, 2, -1, -3, int64_t{1} << 40, int64_t{1} << 62, INT64_MAX};
    return kDims[Pick(static_cast<int>(std::size(kDims)))];
  }
  std::vector<int64_t> Dims() {
    std::vector<int64_t> d(static_cast<size_t>(Pick(4)));
    for (int64_t& x : d) x = Dim();
    return d;
  }
  std::vector<int32_t> Axes() {
    std::vector<int32_t> a(static_cast<size_t>(Pick(4)));
    for (int32_t& x : a) x = static_cast<int32_t>(Pick(9)) - 4;
    return a;
  }
  DataType Dtype() {
    static constexpr DataType kTypes[] = {DataType::kFloat, DataType::kDouble, DataType::kInt32,
                                          DataType::kInt64, DataType::kBool,   DataType::kInvalid};
    return kTypes[Pick(static_cast<int>(std::size(kTypes)))];
  }
  std::string Text(int max_len) {
    std::string s(static_cast<size_t>(Pick(max_len + 1)), ' ');
    for (char& c : s) c = static_cast<char>(Byte());
    return s;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// A small tensor of `dtype` with up to 3 small dims (values from the input).
Tensor SmallTensor(Input& in, DataType dtype) {
  TensorShape shape;
  for (int r = in.Pick(4); r > 0; --r) shape.AddDim(in.Pick(4));
  Tensor t(dtype == DataType::kInvalid ? DataType::kFloat : dtype, shape);
  auto* bytes = static_cast<uint8_t*>(t.raw_data());
  for (size_t i = 0; i < t.bytes(); ++i) bytes[i] = in.Byte();
  if (t.dtype() == DataType::kBool) {
    for (size_t i = 0; i < t.bytes(); ++i) bytes[i] &= 1;
  }
  return t;
}

struct Program {
  std::shared_ptr<Graph> g = Graph::Create();
  std::vector<Output> values;
  std::vector<Output> placeholders;
  std::vector<Operation> ops;
  std::vector<Graph::ScopeGuard> scopes;

  Output Any(Input& in) {
    return values.empty() ? Output() : values[static_cast<size_t>(in.Pick(256)) % values.size()];
  }
  void Add(Output o) {
    if (o.valid()) {
      values.push_back(o);
      ops.push_back(o);
    }
  }
};

// Every one of `outs` (Split, SplitV).
void AddAll(Program& p, const std::vector<Output>& outs) {
  for (const Output& o : outs) p.Add(o);
}

// A small int in [lo, lo + n).
int64_t Small(Input& in, int n, int lo) { return lo + in.Pick(n); }

// Tile, Pad, Split, SplitV, StridedSlice, GatherV2, OneHot, Range, Cumsum,
// SelectV2, each with small arguments (bad ones included).
void BuildLayout(Input& in, Program& p) {
  Graph& g = *p.g;
  std::vector<int64_t> v;
  for (int r = in.Pick(4); r > 0; --r) v.push_back(Small(in, 5, -1));
  switch (in.Pick(10)) {
    case 0:
      return p.Add(ops::Tile(g, p.Any(in), v));
    case 1: {
      std::vector<std::pair<int64_t, int64_t>> pads;
      for (int64_t x : v) pads.emplace_back(x, Small(in, 3, 0));
      return p.Add(ops::Pad(g, p.Any(in), pads, in.Bool() ? SmallTensor(in, in.Dtype()) : Tensor()));
    }
    case 2:
      return AddAll(p, ops::Split(g, p.Any(in), Small(in, 4, 0), Small(in, 5, -2)));
    case 3:
      return AddAll(p, ops::SplitV(g, p.Any(in), v, Small(in, 5, -2)));
    case 4: {
      std::vector<ops::SliceIndex> spec;
      for (int r = in.Pick(5); r > 0; --r) {
        switch (in.Pick(4)) {
          case 0:
            spec.push_back(Small(in, 7, -3));
            break;
          case 1:
            spec.push_back(ops::SliceIndex::Range(Small(in, 7, -3), Small(in, 7, -3), Small(in, 5, -2)));
            break;
          case 2:
            spec.push_back(ops::SliceIndex::NewAxis());
            break;
          default:
            spec.push_back(ops::SliceIndex::Ellipsis());
        }
      }
      return p.Add(ops::Index(g, p.Any(in), spec));
    }
    case 5:
      if (in.Bool()) return p.Add(ops::UnsortedSegmentSum(g, p.Any(in), p.Any(in), Small(in, 6, -1)));
      return p.Add(ops::Gather(g, p.Any(in), p.Any(in), Small(in, 5, -2)));
    case 6:
      return p.Add(ops::OneHot(g, p.Any(in), static_cast<int32_t>(Small(in, 6, -1)), SmallTensor(in, in.Dtype()),
                               SmallTensor(in, in.Dtype()), Small(in, 4, -2)));
    case 7:  // constant bounds: fed ones could ask for billions of elements, which is no bug
      return p.Add(ops::Range(g, Small(in, 9, -4), Small(in, 9, -4), Small(in, 5, -2), in.Dtype()));
    case 8:
      return p.Add((in.Bool() ? ops::Cumsum : ops::Cumprod)(g, p.Any(in), static_cast<int32_t>(Small(in, 5, -2)),
                                                            in.Bool(), in.Bool(), {}));
    default:
      return p.Add(in.Bool() ? ops::Where(g, p.Any(in), p.Any(in), p.Any(in)) : ops::Where(g, p.Any(in)));
  }
}

void BuildStep(Input& in, Program& p) {
  Graph& g = *p.g;
  switch (in.Pick(27)) {
    case 0:
      p.Add(ops::Const(g, SmallTensor(in, in.Dtype())));
      break;
    case 1: {
      Output ph = ops::Placeholder(g, in.Dtype(), in.Bool() ? PartialShape() : PartialShape(in.Dims()));
      p.Add(ph);
      if (ph.valid()) p.placeholders.push_back(ph);
      break;
    }
    case 2: {
      static Output (*const kUnary[])(Graph&, Output, ops::Name) = {
          ops::Neg,     ops::Square, ops::Sqrt,       ops::Exp,        ops::Log,  ops::Abs,   ops::Tanh,
          ops::Sigmoid, ops::Relu,   ops::Identity,   ops::Softmax,    ops::Sign, ops::Floor, ops::Ceil,
          ops::Round,   ops::Rsqrt,  ops::Reciprocal, ops::LogicalNot, ops::Log1p};
      p.Add(kUnary[in.Pick(static_cast<int>(std::size(kUnary)))](g, p.Any(in), {}));
      break;
    }
    case 3: {
      static Output (*const kBinary[])(Graph&, Output, Output, ops::Name) = {
          ops::Add,          ops::Sub,       ops::Mul,      ops::Div,      ops::Maximum,    ops::Minimum,
          ops::Pow,          ops::Equal,     ops::Less,     ops::Greater,  ops::BiasAdd,    ops::NotEqual,
          ops::GreaterEqual, ops::LessEqual, ops::FloorDiv, ops::FloorMod, ops::LogicalAnd, ops::LogicalOr};
      p.Add(kBinary[in.Pick(static_cast<int>(std::size(kBinary)))](g, p.Any(in), p.Any(in), {}));
      break;
    }
    case 4:
      p.Add(ops::MatMul(g, p.Any(in), p.Any(in), in.Bool(), in.Bool()));
      break;
    case 5: {
      static Output (*const kReduce[])(Graph&, Output, const std::vector<int32_t>&, bool, ops::Name) = {
          ops::Sum, ops::Mean, ops::Max, ops::Min, ops::Prod, ops::All, ops::Any};
      p.Add(kReduce[in.Pick(static_cast<int>(std::size(kReduce)))](g, p.Any(in), in.Axes(), in.Bool(), {}));
      break;
    }
    case 6:
      p.Add(ops::SumAlong(g, p.Any(in), p.Any(in), in.Bool()));
      break;
    case 7:
      p.Add((in.Bool() ? ops::ArgMax : ops::ArgMin)(g, p.Any(in), in.Pick(7) - 3,
                                                    in.Bool() ? DataType::kInt32 : in.Dtype(), {}));
      break;
    case 8:
      p.Add(ops::Reshape(g, p.Any(in), in.Dims()));
      break;
    case 9:
      p.Add(ops::Reshape(g, p.Any(in), p.Any(in)));
      break;
    case 10:
      p.Add(ops::Transpose(g, p.Any(in), in.Axes()));
      break;
    case 11:
      p.Add(ops::Shape(g, p.Any(in), in.Dtype()));
      break;
    case 12:
      p.Add(ops::Fill(g, in.Dims(), SmallTensor(in, in.Dtype())));
      break;
    case 13:
      p.Add(ops::Fill(g, p.Any(in), p.Any(in)));
      break;
    case 14:
      p.Add(in.Bool() ? ops::ZerosLike(g, p.Any(in)) : ops::OnesLike(g, p.Any(in)));
      break;
    case 15:
      p.Add(ops::Concat(g, {p.Any(in), p.Any(in)}, in.Pick(7) - 3));
      break;
    case 16:
      p.Add(ops::Slice(g, p.Any(in), in.Dims(), in.Dims()));
      break;
    case 17:
      p.Add(ops::Select(g, p.Any(in), p.Any(in), p.Any(in)));
      break;
    case 18:
      p.Add(ops::Cast(g, p.Any(in), in.Dtype()));
      break;
    case 19:
      p.Add(in.Bool() ? ops::RandomUniform(g, in.Dims(), in.Dtype(), in.Byte())
                      : ops::RandomNormal(g, in.Dims(), in.Dtype(), 0.0, 1.0, in.Byte()));
      break;
    case 20: {
      Variable v(g, p.Any(in), in.Bool() ? "v" : in.Text(6));
      if (!v.valid()) break;
      p.ops.push_back(v.initializer());
      p.Add(v.value());
      static Output (Variable::*const kAssign[])(Output, Name)
          const = {&Variable::Assign, &Variable::AssignAdd, &Variable::AssignSub};
      p.Add((v.*kAssign[in.Pick(3)])(p.Any(in), {}));
      break;
    }
    case 21: {
      // A scope that stays open for the following steps (bad specs and names included).
      switch (in.Pick(4)) {
        case 0:
          p.scopes.push_back(g.Device(in.Bool() ? "/cpu:0" : in.Text(12)));
          break;
        case 1:
          p.scopes.push_back(g.NameScope(in.Bool() ? "s" : in.Text(6)));
          break;
        case 2:
          p.scopes.push_back(g.ControlDependencies({p.ops.empty() ? Operation() : p.ops[in.Pick(256) % p.ops.size()]}));
          break;
        default:
          p.scopes.push_back(g.ColocateWith(p.Any(in)));
          break;
      }
      break;
    }
    case 22:
      if (!p.scopes.empty()) p.scopes.pop_back();
      break;
    case 23:
      switch (in.Pick(4)) {
        case 0:
          p.Add(ops::ExpandDims(g, p.Any(in), in.Pick(9) - 4));
          break;
        case 1: {
          std::vector<int64_t> axes;
          for (int32_t a : in.Axes()) axes.push_back(a);
          p.Add(ops::Squeeze(g, p.Any(in), axes));
          break;
        }
        case 2:
          p.Add(ops::Size(g, p.Any(in), in.Dtype()));
          break;
        default:
          p.Add(ops::Rank(g, p.Any(in)));
          break;
      }
      break;
    case 24:
      if (in.Bool()) {
        p.Add(ops::Stack(g, {p.Any(in), p.Any(in)}, in.Pick(7) - 3));
      } else {
        // At most 64 outputs (a huge known dimension would be a huge node, not a bug).
        Output x = p.Any(in);
        const PartialShape s = x.valid() ? x.shape() : PartialShape();
        int64_t outputs = 1;
        for (int i = 0; s.known_rank() && i < s.rank(); ++i) outputs = std::max(outputs, s.dim(i));
        if (outputs > 64) break;
        for (const Output& o : ops::Unstack(g, x, in.Pick(7) - 3)) p.Add(o);
      }
      break;
    case 25:
      BuildLayout(in, p);
      break;
    default:
      p.Add(ops::Print(g, p.Any(in), "fuzz", in.Pick(5) - 1));
      break;
  }
}

void RunStep(Input& in, Program& p, Session& sess) {
  Session::FeedList feeds;
  for (const Output& ph : p.placeholders) {
    if (in.Bool()) feeds.emplace_back(ph, SmallTensor(in, in.Bool() ? ph.dtype() : in.Dtype()));
  }
  std::vector<Output> fetches;
  for (int n = in.Pick(3) + 1; n > 0; --n) fetches.push_back(p.Any(in));
  std::vector<Operation> targets;
  if (!p.ops.empty() && in.Bool()) targets.push_back(p.ops[in.Pick(256) % p.ops.size()]);
  RunOptions ro;
  if (in.Pick(8) == 0) ro.timeout_in_ms = in.Pick(3);
  RunMetadata md;
  if (in.Bool()) ro.trace_level = RunOptions::TraceLevel::kFullTrace;
  (void)sess.Run(ro, feeds, fetches, targets, &md);
  if (!md.step_stats.empty()) (void)RunMetadataToChromeTrace(md);
  if (in.Pick(4) == 0) {  // TF's by-name form, with a name from the graph or from the input
    std::vector<Tensor> out;
    (void)sess.Run({}, {in.Bool() ? fetches[0].name() : in.Text(8)}, {}, &out);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(data, size);
  Program p;
  SessionOptions options;
  // Pools of 2 now and then (thread start-up dominates a tiny program's cost).
  options.inter_op_parallelism_threads = in.Pick(8) == 0 ? 2 : 1;
  options.intra_op_parallelism_threads = in.Pick(8) == 0 ? 2 : 1;
  options.allow_soft_placement = in.Bool();
  options.log_device_placement = in.Bool();
  options.plan_cache_capacity = 1 + in.Pick(4);
  options.log_sink = [](std::string_view) {};
  if (in.Bool()) options.device_count["GPU"] = 0;
  StatusOr<std::unique_ptr<Session>> sess = Session::Create(p.g, options);
  if (!sess.ok()) std::abort();  // these options are all valid
  for (int steps = 0; !in.done() && steps < 64; ++steps) {
    if (in.Pick(6) == 0) {
      RunStep(in, p, **sess);
    } else if (in.Pick(12) == 0 && !p.values.empty()) {  // gradients of what was built, run by later steps
      GradientOptions go;
      go.unconnected_gradients = in.Bool() ? UnconnectedGradients::kZero : UnconnectedGradients::kNone;
      go.colocate_gradients_with_ops = in.Bool();
      StatusOr<std::vector<Output>> d = AddSymbolicGradients(*p.g, {p.Any(in)}, {p.Any(in), p.Any(in)}, {}, go);
      if (d.ok()) {
        for (const Output& o : *d) p.Add(o);
      }
    } else {
      BuildStep(in, p);
    }
  }
  if (in.Bool()) (void)p.g->ResetStatus();
  if (!p.values.empty()) RunStep(in, p, **sess);
  if (in.Pick(4) == 0) {  // the graph explained on a machine of the input's choosing, and its picture
    ExplainOptions eo;
    eo.num_cpus = 1 + in.Pick(2);
    eo.num_gpus = in.Pick(3);
    eo.allow_soft_placement = in.Bool();
    eo.reduce_copies = in.Bool();
    eo.unknown_dim = in.Pick(64);
    if (in.Bool()) eo.gpu_ops = std::vector<std::string>{"MatMul", "Add", "AddV2", "Relu", in.Text(6)};
    if (!p.values.empty() && in.Bool()) eo.fetches = {p.Any(in).name()};
    StatusOr<PlacementExplanation> e = ExplainPlacement(*p.g, eo);
    if (e.ok()) {
      (void)e->ToTable();
      (void)e->ToJson();
      DotOptions d;
      d.max_nodes = 1 + in.Pick(64);
      (void)PlacementToDot(*p.g, e->records, d);
    }
  }
  p.scopes.clear();
  return 0;
}
