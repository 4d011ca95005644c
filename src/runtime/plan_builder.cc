#include "src/runtime/plan_builder.h"

#include <algorithm>
#include <map>

#include "src/framework/op_registry.h"
#include "src/runtime/copy_kernel.h"

namespace tessera {
namespace {

class PlanBuilder {
 public:
  PlanBuilder(const PlanEnv& env, const Graph& graph, const std::vector<Output>& feeds,
              const std::vector<Output>& fetches, const std::vector<Operation>& targets)
      : env_(env), all_(graph.nodes()), feeds_(feeds), fetches_(fetches), targets_(targets) {}

  StatusOr<std::shared_ptr<Plan>> Build() {
    TESSERA_RETURN_IF_ERROR(Prune());
    TESSERA_RETURN_IF_ERROR(Place());
    AssignSlots();
    for (size_t i = 0; i < order_.size(); ++i) {
      WireInputs(i);
      TESSERA_RETURN_IF_ERROR(CreateKernel(i));
    }
    FinishFetches();
    plan_->placement = std::move(placement_.records);
    return plan_;
  }

 private:
  bool IsFed(const Output& o) const { return std::find(feeds_.begin(), feeds_.end(), o) != feeds_.end(); }

  // Pass 1: nodes reverse-reachable from fetches and targets, stopping at fed tensors.
  Status Prune();
  // Pass 2: a device and a kernel per node.
  Status Place();
  // Pass 3: output slots of the nodes, then of the feeds (which arrive on the host).
  void AssignSlots();
  // Pass 4: node i's data and control edges, with copy steps where needed.
  void WireInputs(size_t i);
  // Pass 5: node i's kernel.
  Status CreateKernel(size_t i);
  // Pass 6: fetches come back on the host; slot uses and roots.
  void FinishFetches();

  // Where a tensor on `src` must be copied for a consumer on `dst`, or null
  // when it can be read where it is.
  Device* CopyDestination(Device* src, Device* dst, DataType dtype, bool host_memory_input) const;
  // The slot holding `o`, and the plan node producing it (-1 for a feed).
  int SourceOf(const Output& o, int* producer) const;
  // One copy step per (tensor, destination device); returns the copy's plan node.
  int CopyTo(const Output& o, int src_slot, int producer, Device* dst);

  const PlanEnv& env_;
  std::vector<Node*> all_;
  const std::vector<Output>& feeds_;
  const std::vector<Output>& fetches_;
  const std::vector<Operation>& targets_;
  std::shared_ptr<Plan> plan_ = std::make_shared<Plan>();
  std::vector<const Node*> order_;  // the pruned nodes, topologically
  std::vector<int> plan_index_;     // graph id -> plan node, or -1
  Placement placement_;
  int next_slot_ = 0;
  std::vector<Device*> slot_device_;  // where each slot's tensor lives
  // Per plan node: when its output 0 is a live read of a variable (the
  // variable's own output, or an Identity of a live read on the same device),
  // that variable; consumers and fetches read it late (PlanNode::input_vars,
  // Plan::fetch_vars).
  struct LiveRead {
    std::shared_ptr<Var> var;
    const Node* variable = nullptr;
  };
  std::vector<LiveRead> live_read_;
  // The live read behind input `o` produced by plan node `producer` (-1 for a
  // feed), or an empty one.
  LiveRead LiveReadOf(const Output& o, int producer);
  std::map<std::pair<int, Device*>, int> copy_of_;
};

Status PlanBuilder::Prune() {
  std::vector<char> needed(all_.size(), 0);
  std::vector<Node*> stack;
  auto want = [&](Node* n) {
    if (!needed[static_cast<size_t>(n->id())]) {
      needed[static_cast<size_t>(n->id())] = 1;
      stack.push_back(n);
    }
  };
  for (const Output& f : fetches_) {
    if (!IsFed(f)) want(f.node());
  }
  for (const Operation& t : targets_) want(t.node());
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    for (const Output& in : n->inputs()) {
      if (in.node()->id() >= n->id()) {
        return InvalidArgumentError("Graph contains a cycle: node '" + n->name() + "' depends on '" +
                                    in.node()->name() + "', which does not precede it");
      }
      if (!IsFed(in)) want(in.node());
    }
    for (Node* c : n->control_inputs()) want(c);
  }
  plan_index_.assign(all_.size(), -1);
  for (Node* n : all_) {
    if (needed[static_cast<size_t>(n->id())]) {
      plan_index_[static_cast<size_t>(n->id())] = static_cast<int>(order_.size());
      order_.push_back(n);
    }
  }
  return Status::OK();
}

Status PlanBuilder::Place() {
  TESSERA_ASSIGN_OR_RETURN(placement_, env_.place(order_));
  return Status::OK();
}

void PlanBuilder::AssignSlots() {
  plan_->nodes.resize(order_.size());
  live_read_.resize(order_.size());
  for (size_t i = 0; i < order_.size(); ++i) {
    PlanNode& pn = plan_->nodes[i];
    pn.node = order_[i];
    pn.name = order_[i]->name();
    pn.device = env_.devices->devices()[static_cast<size_t>(placement_.device_index[i])];
    pn.output_base = next_slot_;
    next_slot_ += order_[i]->num_outputs();
    slot_device_.insert(slot_device_.end(), static_cast<size_t>(order_[i]->num_outputs()), pn.device);
  }
  for (size_t i = 0; i < feeds_.size(); ++i) {
    plan_->feed_slots.push_back(next_slot_++);
    slot_device_.push_back(env_.devices->client_device());
  }
}

Device* PlanBuilder::CopyDestination(Device* src, Device* dst, DataType dtype, bool host_memory_input) const {
  switch (CopyNeeded(src == dst, src->allocator()->on_host(), dst->allocator()->on_host(), dtype, host_memory_input)) {
    case CopyTarget::kNone:
      return nullptr;
    case CopyTarget::kHost:
      return env_.devices->client_device();
    case CopyTarget::kDestination:
      break;
  }
  return dst;
}

int PlanBuilder::SourceOf(const Output& o, int* producer) const {
  for (size_t i = 0; i < feeds_.size(); ++i) {
    if (feeds_[i] == o) {
      *producer = -1;
      return plan_->feed_slots[i];
    }
  }
  *producer = plan_index_[static_cast<size_t>(o.node()->id())];
  return plan_->nodes[static_cast<size_t>(*producer)].output_base + o.index();
}

PlanBuilder::LiveRead PlanBuilder::LiveReadOf(const Output& o, int producer) {
  if (producer < 0 || o.index() != 0) return {};
  if (o.node()->op_def().is_variable) {
    LiveRead& r = live_read_[static_cast<size_t>(producer)];
    if (r.var == nullptr) r = {env_.resources->LookupOrCreate(o.node()->name()), o.node()};
    return r;
  }
  return live_read_[static_cast<size_t>(producer)];
}

int PlanBuilder::CopyTo(const Output& o, int src_slot, int producer, Device* dst) {
  auto it = copy_of_.find({src_slot, dst});
  if (it != copy_of_.end()) return it->second;
  Device* src = slot_device_[static_cast<size_t>(src_slot)];
  PlanNode cp;
  cp.node = o.node();
  cp.name = o.name() + " -> " + dst->name();
  cp.is_copy = true;
  cp.copy_source = src;
  cp.copy_index = static_cast<int>(plan_->copies.size());
  cp.device = dst;
  cp.input_slots = {src_slot};
  cp.input_is_ref = {false};
  cp.input_sources = {o.node()};
  if (LiveRead r = LiveReadOf(o, producer); r.var != nullptr) {
    cp.input_vars = {r.var};
    cp.input_sources = {r.variable};
  }
  cp.output_base = next_slot_++;
  slot_device_.push_back(dst);
  cp.kernel = std::make_shared<CopyKernel>(*o.node(), src);
  cp.expensive = true;
  const int index = static_cast<int>(plan_->nodes.size());
  if (producer >= 0) {
    plan_->nodes[static_cast<size_t>(producer)].consumers.push_back(index);
    cp.initial_pending = 1;
  }
  plan_->nodes.push_back(std::move(cp));
  plan_->copies.push_back(CopyRecord{o.name(), src->name(), dst->name()});
  copy_of_[{src_slot, dst}] = index;
  return index;
}

void PlanBuilder::WireInputs(size_t i) {
  const Node& node = *order_[i];
  Device* device = plan_->nodes[i].device;
  const KernelDef* def = placement_.kernels[i];
  for (int k = 0; k < node.num_inputs(); ++k) {
    const Output& in = node.inputs()[static_cast<size_t>(k)];
    const bool is_ref = node.op_def().is_ref_input(k);
    int producer;
    int in_slot = SourceOf(in, &producer);
    int notify = producer;  // the plan node that makes this input ready
    if (!is_ref) {
      Device* dst = CopyDestination(slot_device_[static_cast<size_t>(in_slot)], device, in.dtype(),
                                    def != nullptr && def->IsHostMemoryInput(k, node.num_inputs()));
      if (dst != nullptr) {
        notify = CopyTo(in, in_slot, producer, dst);
        in_slot = plan_->nodes[static_cast<size_t>(notify)].output_base;
      }
    }
    PlanNode& pn = plan_->nodes[i];
    pn.input_slots.push_back(in_slot);
    pn.input_is_ref.push_back(is_ref);
    pn.input_sources.push_back(in.node());
    // A live read of a variable (not through a copy) is dereferenced when this
    // node runs, so it sees every assignment that ran before it.
    if (!is_ref && notify == producer) {
      if (LiveRead r = LiveReadOf(in, producer); r.var != nullptr) {
        pn.input_vars.resize(static_cast<size_t>(node.num_inputs()));
        pn.input_vars[static_cast<size_t>(k)] = r.var;
        pn.input_sources.back() = r.variable;
        // An Identity of a live read is one too (TF's Identity forwards the
        // variable's buffer).
        if (k == 0 && node.op() == "Identity") live_read_[i] = r;
      }
    }
    if (notify >= 0) {
      plan_->nodes[static_cast<size_t>(notify)].consumers.push_back(static_cast<int>(i));
      ++plan_->nodes[i].initial_pending;
    }
  }
  for (Node* c : node.control_inputs()) {
    const int src = plan_index_[static_cast<size_t>(c->id())];
    plan_->nodes[static_cast<size_t>(src)].consumers.push_back(static_cast<int>(i));
    ++plan_->nodes[i].initial_pending;
  }
}

Status PlanBuilder::CreateKernel(size_t i) {
  const Node& node = *order_[i];
  PlanNode& pn = plan_->nodes[i];
  const KernelDef* def = placement_.kernels[i];
  if (def == nullptr) {
    return InternalError(std::string("No ") + DeviceTypeString(pn.device->device_type()) + " kernel for " + node.op() +
                         " (node " + node.name() + ") although the placer chose " + pn.device->name());
  }
  TESSERA_ASSIGN_OR_RETURN(pn.kernel, env_.get_kernel(node, pn.device, *def));
  // Kernels on a non-host device only enqueue work: run them inline (TF: GPU kernels are not expensive).
  pn.expensive = pn.kernel->IsExpensive() && pn.device->allocator()->on_host();
  return Status::OK();
}

void PlanBuilder::FinishFetches() {
  for (const Output& f : fetches_) {
    int producer;
    int fslot = SourceOf(f, &producer);
    const bool copied = !InHostMemory(slot_device_[static_cast<size_t>(fslot)]->allocator()->on_host(), f.dtype());
    if (copied) {
      fslot = plan_->nodes[static_cast<size_t>(CopyTo(f, fslot, producer, env_.devices->client_device()))].output_base;
    }
    if (LiveRead r = copied ? LiveRead{} : LiveReadOf(f, producer); r.var != nullptr) {
      plan_->fetch_vars.resize(fetches_.size());
      plan_->fetch_vars[plan_->fetch_slots.size()] = r.var;
    }
    plan_->fetch_nodes.push_back(f.node());
    plan_->fetch_slots.push_back(fslot);
  }
  plan_->num_slots = next_slot_;
  plan_->slot_uses.assign(static_cast<size_t>(next_slot_), 0);
  for (const PlanNode& pn : plan_->nodes) {
    for (int s : pn.input_slots) ++plan_->slot_uses[static_cast<size_t>(s)];
  }
  for (int s : plan_->fetch_slots) ++plan_->slot_uses[static_cast<size_t>(s)];  // kept for the caller
  for (size_t i = 0; i < plan_->nodes.size(); ++i) {
    if (plan_->nodes[i].initial_pending == 0) plan_->roots.push_back(static_cast<int>(i));
  }
  // Run roots in creation order (the ready stack pops from the back).
  std::reverse(plan_->roots.begin(), plan_->roots.end());
}

}  // namespace

StatusOr<std::shared_ptr<Plan>> BuildPlan(const PlanEnv& env, const Graph& graph, const std::vector<Output>& feeds,
                                          const std::vector<Output>& fetches, const std::vector<Operation>& targets) {
  PlanBuilder builder(env, graph, feeds, fetches, targets);
  return builder.Build();
}

}  // namespace tessera
