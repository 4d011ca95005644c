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
struct Primitive {
  dnnl::primitive prim;
  memory::desc scratchpad;
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
  const memory::desc wei({s.out_depth, s.in_depth, s.window_rows, s.window_cols}, memory::data_type::f32, tag::hwio);
  const memory::desc dst({s.batch, s.out_depth, s.out_rows, s.out_cols}, memory::data_type::f32, tag::nhwc);
  const memory::dims strides = {s.stride_rows, s.stride_cols};
  const memory::dims dilates = {s.dilation_rows - 1, s.dilation_cols - 1};
  const memory::dims pad_l = {s.pad_top, s.pad_left}, pad_r = {s.pad_bottom, s.pad_right};
  auto entry = std::make_shared<Primitive>();
  try {
    dnnl::convolution_forward::primitive_desc fwd(
        dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, src,
                                        wei, dst, strides, dilates, pad_l, pad_r),
        Engine());
    if (pass == ConvPass::kForward) {
      entry->prim = dnnl::convolution_forward(fwd);
    } else if (pass == ConvPass::kBackpropInput) {
      entry->prim = dnnl::convolution_backward_data(dnnl::convolution_backward_data::primitive_desc(
          dnnl::convolution_backward_data::desc(dnnl::algorithm::convolution_direct, src, wei, dst, strides, dilates,
                                                pad_l, pad_r),
          Engine(), fwd));
    } else {
      entry->prim = dnnl::convolution_backward_weights(dnnl::convolution_backward_weights::primitive_desc(
          dnnl::convolution_backward_weights::desc(dnnl::algorithm::convolution_direct, src, wei, dst, strides, dilates,
                                                   pad_l, pad_r),
          Engine(), fwd));
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
  std::unordered_map<int, memory> args;
  if (a.pass == ConvPass::kForward) {
    args = {{DNNL_ARG_SRC, mem(src, a.a)}, {DNNL_ARG_WEIGHTS, mem(wei, a.b)}, {DNNL_ARG_DST, mem(dst, a.out)}};
  } else if (a.pass == ConvPass::kBackpropInput) {
    args = {
        {DNNL_ARG_WEIGHTS, mem(wei, a.a)}, {DNNL_ARG_DIFF_DST, mem(dst, a.b)}, {DNNL_ARG_DIFF_SRC, mem(src, a.out)}};
  } else {
    args = {
        {DNNL_ARG_SRC, mem(src, a.a)}, {DNNL_ARG_DIFF_DST, mem(dst, a.b)}, {DNNL_ARG_DIFF_WEIGHTS, mem(wei, a.out)}};
  }
  // This execution's own scratchpad, from the device's allocator.
  Tensor scratch;
  if (const size_t bytes = p->scratchpad.get_size(); bytes > 0) {
    TESSERA_ASSIGN_OR_RETURN(scratch, AllocateTensor(ctx.device()->allocator(), DataType::kBool,  // bytes
                                                     TensorShape{static_cast<int64_t>(bytes)}));
    args.insert({DNNL_ARG_SCRATCHPAD, memory(p->scratchpad, Engine(), scratch.raw_data())});
  }
  try {
    dnnl::stream stream(Engine());
    p->prim.execute(stream, args);
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
