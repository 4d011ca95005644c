// Float convolution through oneDNN (Debian libdnnl-dev): forward, backward
// data and backward weights on the user's NHWC/HWIO buffers, primitives
// cached per geometry. oneDNN picks its kernels for the CPU at run time
// (AVX-512 where present) and runs them on OpenMP threads, as many as the
// session's intra-op threads (omp_set_num_threads on the calling thread).
#include "kernels_cpu/dnnl_conv.h"

#include <omp.h>

#include <condition_variable>
#include <deque>
#include <dnnl.hpp>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <tuple>

#include "src/framework/allocator.h"
#include "src/framework/device_base.h"
#include "src/runtime/cpu_context.h"
#include "src/runtime/denormal.h"

namespace tessera::cpu {
namespace {

using dnnl::memory;
using tag = memory::format_tag;

dnnl::engine& Engine() {
  static dnnl::engine* e = new dnnl::engine(dnnl::engine::kind::cpu, 0);
  return *e;
}

// A primitive and the scratchpad it needs. Scratchpads are the caller's
// (scratchpad_mode::user): Debian's oneDNN shares its own scratchpad between
// threads, so two convolutions running at once (the inter-op pool) would
// write over each other's.
// The weights are in the layout oneDNN chose for the primitive (`any`: a
// blocked one lets it use its direct kernels, where our HWIO would get its
// slower im2col + GEMM); `to_chosen` / `from_chosen` move them between ours
// and that one when they differ.
struct Primitive {
  dnnl::primitive prim;
  memory::desc scratchpad;
  memory::desc weights;  // the chosen layout
  bool reorder = false;
  dnnl::reorder to_chosen, from_chosen;
};

using Key = std::tuple<int, std::vector<int64_t>>;

// The primitive for one pass and geometry, made once (a few hundred entries at most).
StatusOr<std::shared_ptr<Primitive>> Lookup(ConvPass pass, const WindowShape& s) {
  static std::mutex mu;
  static auto* cache = new std::map<Key, std::shared_ptr<Primitive>>();
  const std::vector<int64_t> k = {s.batch,         s.in_rows,   s.in_cols,     s.in_depth,    s.window_rows,
                                  s.window_cols,   s.out_depth, s.stride_rows, s.stride_cols, s.dilation_rows,
                                  s.dilation_cols, s.out_rows,  s.out_cols,    s.pad_top,     s.pad_left,
                                  s.pad_bottom,    s.pad_right};
  const Key key{static_cast<int>(pass), k};
  std::lock_guard<std::mutex> l(mu);
  if (auto it = cache->find(key); it != cache->end()) return it->second;
  const memory::desc src({s.batch, s.in_depth, s.in_rows, s.in_cols}, memory::data_type::f32, tag::nhwc);
  const memory::desc wei({s.out_depth, s.in_depth, s.window_rows, s.window_cols}, memory::data_type::f32, tag::any);
  const memory::desc dst({s.batch, s.out_depth, s.out_rows, s.out_cols}, memory::data_type::f32, tag::nhwc);
  const memory::desc user_wei({s.out_depth, s.in_depth, s.window_rows, s.window_cols}, memory::data_type::f32,
                              tag::hwio);
  const memory::dims strides = {s.stride_rows, s.stride_cols};
  const memory::dims dilates = {s.dilation_rows - 1, s.dilation_cols - 1};
  const memory::dims pad_l = {s.pad_top, s.pad_left}, pad_r = {s.pad_bottom, s.pad_right};
  auto entry = std::make_shared<Primitive>();
  try {
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    dnnl::convolution_forward::primitive_desc fwd(
        dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, src,
                                        wei, dst, strides, dilates, pad_l, pad_r),
        attr, Engine());
    if (pass == ConvPass::kForward) {
      entry->prim = dnnl::convolution_forward(fwd);
      entry->weights = fwd.weights_desc();
      entry->scratchpad = fwd.scratchpad_desc();
    } else if (pass == ConvPass::kBackpropInput) {
      dnnl::convolution_backward_data::primitive_desc pd(
          dnnl::convolution_backward_data::desc(dnnl::algorithm::convolution_direct, src, wei, dst, strides, dilates,
                                                pad_l, pad_r),
          attr, Engine(), fwd);
      entry->prim = dnnl::convolution_backward_data(pd);
      entry->weights = pd.weights_desc();
      entry->scratchpad = pd.scratchpad_desc();
    } else {
      dnnl::convolution_backward_weights::primitive_desc pd(
          dnnl::convolution_backward_weights::desc(dnnl::algorithm::convolution_direct, src, wei, dst, strides, dilates,
                                                   pad_l, pad_r),
          attr, Engine(), fwd);
      entry->prim = dnnl::convolution_backward_weights(pd);
      entry->weights = pd.diff_weights_desc();
      entry->scratchpad = pd.scratchpad_desc();
    }
    entry->reorder = entry->weights != user_wei;
    if (entry->reorder) {
      entry->to_chosen = dnnl::reorder(dnnl::reorder::primitive_desc(Engine(), user_wei, Engine(), entry->weights));
      entry->from_chosen = dnnl::reorder(dnnl::reorder::primitive_desc(Engine(), entry->weights, Engine(), user_wei));
    }
  } catch (const dnnl::error& e) {
    return InternalError(std::string("oneDNN could not make a convolution primitive: ") + e.what());
  }
  if (cache->size() > 512) cache->clear();
  (*cache)[key] = entry;
  return entry;
}

// The one thread that runs oneDNN: Debian's oneDNN 2.6 (OpenMP) corrupts
// the heap when its primitives are executed from several different threads
// over a process's life, even one at a time (train_cnn under the inter-op
// pool; fine from one thread). Every call is handed to this thread and
// waited for; convolutions then also never oversubscribe the cores.
class DnnlThread {
 public:
  static DnnlThread& Get() {
    static DnnlThread* t = new DnnlThread();  // never destroyed: it outlives every session
    return *t;
  }
  Status Run(const std::function<Status()>& work) {
    std::packaged_task<Status()> task(work);
    std::future<Status> done = task.get_future();
    {
      std::lock_guard<std::mutex> l(mu_);
      queue_.push_back(std::move(task));
    }
    cv_.notify_one();
    return done.get();
  }

 private:
  DnnlThread() : thread_([this] { Loop(); }) { thread_.detach(); }
  void Loop() {
    FlushDenormalsOnThisThread();
    for (;;) {
      std::packaged_task<Status()> task;
      {
        std::unique_lock<std::mutex> l(mu_);
        cv_.wait(l, [this] { return !queue_.empty(); });
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      task();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::packaged_task<Status()>> queue_;
  std::thread thread_;
};

}  // namespace

namespace {
Status DnnlConvHere(int threads, OpKernelContext& ctx, const ConvArgs& a) {
  const WindowShape& s = *a.s;
  // Before the primitive is made: oneDNN sizes its buffers by the thread count.
  omp_set_num_threads(threads);
  TESSERA_ASSIGN_OR_RETURN(std::shared_ptr<Primitive> p, Lookup(a.pass, s));
  const memory::desc src({s.batch, s.in_depth, s.in_rows, s.in_cols}, memory::data_type::f32, tag::nhwc);
  const memory::desc wei({s.out_depth, s.in_depth, s.window_rows, s.window_cols}, memory::data_type::f32, tag::hwio);
  const memory::desc dst({s.batch, s.out_depth, s.out_rows, s.out_cols}, memory::data_type::f32, tag::nhwc);
  auto mem = [](const memory::desc& d, const Tensor* t) {
    return memory(d, Engine(), const_cast<void*>(t->raw_data()));
  };
  // Byte buffers from the device's allocator: the weights in the chosen
  // layout, and this execution's own scratchpad.
  Tensor chosen, scratch;
  if (p->reorder) {
    TESSERA_ASSIGN_OR_RETURN(chosen, AllocateTensor(ctx.device()->allocator(), DataType::kBool,
                                                    TensorShape{static_cast<int64_t>(p->weights.get_size())}));
  }
  const bool backprop_filter = a.pass == ConvPass::kBackpropFilter;
  const Tensor* user_weights = a.pass == ConvPass::kForward ? a.b : a.a;
  if (backprop_filter) user_weights = a.out;
  memory weights = p->reorder ? memory(p->weights, Engine(), chosen.raw_data()) : mem(wei, user_weights);
  std::unordered_map<int, memory> args;
  if (a.pass == ConvPass::kForward) {
    args = {{DNNL_ARG_SRC, mem(src, a.a)}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DST, mem(dst, a.out)}};
  } else if (a.pass == ConvPass::kBackpropInput) {
    args = {{DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DIFF_DST, mem(dst, a.b)}, {DNNL_ARG_DIFF_SRC, mem(src, a.out)}};
  } else {
    args = {{DNNL_ARG_SRC, mem(src, a.a)}, {DNNL_ARG_DIFF_DST, mem(dst, a.b)}, {DNNL_ARG_DIFF_WEIGHTS, weights}};
  }
  if (const size_t n = p->scratchpad.get_size(); n > 0) {
    TESSERA_ASSIGN_OR_RETURN(
        scratch, AllocateTensor(ctx.device()->allocator(), DataType::kBool, TensorShape{static_cast<int64_t>(n)}));
    args.insert({DNNL_ARG_SCRATCHPAD, memory(p->scratchpad, Engine(), scratch.raw_data())});
  }
  try {
    dnnl::stream stream(Engine());
    memory user = mem(wei, user_weights);
    if (p->reorder && !backprop_filter) p->to_chosen.execute(stream, user, weights);
    p->prim.execute(stream, args);
    if (p->reorder && backprop_filter) p->from_chosen.execute(stream, weights, user);
    stream.wait();
  } catch (const dnnl::error& e) {
    return InternalError(std::string("oneDNN convolution failed: ") + e.what());
  }
  return Status::OK();
}

}  // namespace

Status DnnlConv(OpKernelContext& ctx, const ConvArgs& a) {
  const int threads = ctx.cpu() != nullptr ? ctx.cpu()->num_threads() : 1;
  return DnnlThread::Get().Run([&] { return DnnlConvHere(threads, ctx, a); });
}

}  // namespace tessera::cpu
