// Float convolution through oneDNN (Debian libdnnl-dev): forward, backward
// data and backward weights on the user's NHWC/HWIO buffers, primitives
// cached per geometry; pooling; sgemm for MatMul. oneDNN picks its kernels
// for the CPU at run time (AVX-512 where present) and runs them on OpenMP
// threads, as many as the session's intra-op threads (omp_set_num_threads on
// the thread that calls it: oneDNN's own for primitives, the caller's for sgemm).
#include "kernels_cpu/dnnl_conv.h"

#include <omp.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <dnnl.hpp>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

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

// One argument of a primitive: its oneDNN role, which of ConvArgs' tensors
// holds it (0: a, 1: b, 2: out), our layout (NHWC activations, HWIO
// weights) and the one the primitive chose (`any`: blocked layouts let it use
// its direct AVX-512 kernels, where ours would get im2col + GEMM), with the
// reorders between them when they differ.
struct Arg {
  int role = 0;
  int tensor = 0;
  bool output = false;
  memory::desc user, chosen;
  bool reorder = false;
  dnnl::reorder to_chosen, to_user;
};

// A primitive, its arguments and the scratchpad it needs. Scratchpads are
// the caller's (scratchpad_mode::user): Debian's oneDNN shares its own
// scratchpad between threads.
struct Primitive {
  dnnl::primitive prim;
  memory::desc scratchpad;
  std::array<Arg, 3> args;
};

Arg MakeArg(int role, int tensor, bool output, const memory::desc& user, const memory::desc& chosen) {
  Arg a{role, tensor, output, user, chosen, chosen != user, {}, {}};
  if (a.reorder) {
    a.to_chosen = dnnl::reorder(dnnl::reorder::primitive_desc(Engine(), user, Engine(), chosen));
    a.to_user = dnnl::reorder(dnnl::reorder::primitive_desc(Engine(), chosen, Engine(), user));
  }
  return a;
}

// The pass's primitive over `any` layouts, and its arguments.
void MakePrimitive(ConvPass pass, const WindowShape& s, Primitive* entry) {
  const memory::dims src_dims = {s.batch, s.in_depth, s.in_rows, s.in_cols};
  const memory::dims wei_dims = {s.out_depth, s.in_depth, s.window_rows, s.window_cols};
  const memory::dims dst_dims = {s.batch, s.out_depth, s.out_rows, s.out_cols};
  const auto f32 = memory::data_type::f32;
  const memory::desc src(src_dims, f32, tag::any), wei(wei_dims, f32, tag::any), dst(dst_dims, f32, tag::any);
  const memory::desc user_src(src_dims, f32, tag::nhwc), user_wei(wei_dims, f32, tag::hwio),
      user_dst(dst_dims, f32, tag::nhwc);
  const memory::dims strides = {s.stride_rows, s.stride_cols};
  const memory::dims dilates = {s.dilation_rows - 1, s.dilation_cols - 1};
  const memory::dims pad_l = {s.pad_top, s.pad_left}, pad_r = {s.pad_bottom, s.pad_right};
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  dnnl::convolution_forward::primitive_desc fwd(
      dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, src, wei,
                                      dst, strides, dilates, pad_l, pad_r),
      attr, Engine());
  if (pass == ConvPass::kForward) {
    entry->prim = dnnl::convolution_forward(fwd);
    entry->scratchpad = fwd.scratchpad_desc();
    entry->args = {MakeArg(DNNL_ARG_SRC, 0, false, user_src, fwd.src_desc()),
                   MakeArg(DNNL_ARG_WEIGHTS, 1, false, user_wei, fwd.weights_desc()),
                   MakeArg(DNNL_ARG_DST, 2, true, user_dst, fwd.dst_desc())};
  } else if (pass == ConvPass::kBackpropInput) {
    dnnl::convolution_backward_data::primitive_desc pd(
        dnnl::convolution_backward_data::desc(dnnl::algorithm::convolution_direct, src, wei, dst, strides, dilates,
                                              pad_l, pad_r),
        attr, Engine(), fwd);
    entry->prim = dnnl::convolution_backward_data(pd);
    entry->scratchpad = pd.scratchpad_desc();
    entry->args = {MakeArg(DNNL_ARG_WEIGHTS, 0, false, user_wei, pd.weights_desc()),
                   MakeArg(DNNL_ARG_DIFF_DST, 1, false, user_dst, pd.diff_dst_desc()),
                   MakeArg(DNNL_ARG_DIFF_SRC, 2, true, user_src, pd.diff_src_desc())};
  } else {
    dnnl::convolution_backward_weights::primitive_desc pd(
        dnnl::convolution_backward_weights::desc(dnnl::algorithm::convolution_direct, src, wei, dst, strides, dilates,
                                                 pad_l, pad_r),
        attr, Engine(), fwd);
    entry->prim = dnnl::convolution_backward_weights(pd);
    entry->scratchpad = pd.scratchpad_desc();
    entry->args = {MakeArg(DNNL_ARG_SRC, 0, false, user_src, pd.src_desc()),
                   MakeArg(DNNL_ARG_DIFF_DST, 1, false, user_dst, pd.diff_dst_desc()),
                   MakeArg(DNNL_ARG_DIFF_WEIGHTS, 2, true, user_wei, pd.diff_weights_desc())};
  }
}

// What a window op's primitive depends on: its geometry, the thread count
// it was made for (oneDNN sizes a primitive's scratchpad and work split by
// it) and `kind` (the pass, the pooling algorithm).
std::vector<int64_t> PrimitiveKey(const WindowShape& s, int threads, std::initializer_list<int64_t> kind) {
  std::vector<int64_t> key = {s.batch,         s.in_rows,   s.in_cols,     s.in_depth,    s.window_rows,
                              s.window_cols,   s.out_depth, s.stride_rows, s.stride_cols, s.dilation_rows,
                              s.dilation_cols, s.out_rows,  s.out_cols,    s.pad_top,     s.pad_left,
                              s.pad_bottom,    s.pad_right, threads};
  key.insert(key.end(), kind);
  return key;
}

// The primitive for `key`, made by `make` once per call site's cache (a few
// hundred entries at most); `what` names it in the error.
template <typename P, typename Make>
StatusOr<std::shared_ptr<P>> Cached(const std::vector<int64_t>& key, const char* what, Make make) {
  static std::mutex mu;
  static auto* cache = new std::map<std::vector<int64_t>, std::shared_ptr<P>>();
  std::lock_guard<std::mutex> l(mu);
  if (auto it = cache->find(key); it != cache->end()) return it->second;
  std::shared_ptr<P> entry;
  try {
    entry = make();
  } catch (const dnnl::error& e) {
    return InternalError(std::string("oneDNN could not make a ") + what + " primitive: " + e.what());
  }
  if (cache->size() > 512) cache->clear();
  (*cache)[key] = entry;
  return entry;
}

StatusOr<std::shared_ptr<Primitive>> Lookup(ConvPass pass, const WindowShape& s, int threads) {
  return Cached<Primitive>(PrimitiveKey(s, threads, {static_cast<int64_t>(pass)}), "convolution", [&] {
    auto entry = std::make_shared<Primitive>();
    MakePrimitive(pass, s, entry.get());
    return entry;
  });
}

// The one thread that runs oneDNN's primitives (convolution, pooling):
// Debian's oneDNN 2.6 (OpenMP) corrupts the heap when its primitives are
// executed from several different threads over a process's life, even one at
// a time (train_cnn under the inter-op pool; fine from one thread). Each
// call is handed to this thread and waited for. The hand-off spins briefly
// on both sides before sleeping (C++20 atomic waits), so a burst of calls
// does not pay two thread wake-ups (tens of microseconds on a VM) each.
class DnnlThread {
 public:
  static DnnlThread& Get() {
    static DnnlThread* t = new DnnlThread();  // never destroyed: it outlives every session
    return *t;
  }
  Status Run(int threads, const std::function<Status()>& work) {
    Job job{threads, &work};
    {
      std::lock_guard<std::mutex> l(mu_);
      queue_.push_back(&job);
    }
    submitted_.fetch_add(1, std::memory_order_release);
    submitted_.notify_one();
    SpinWhile([&] { return job.done.load(std::memory_order_acquire) == 0; });
    while (job.done.load(std::memory_order_acquire) == 0) job.done.wait(0, std::memory_order_acquire);
    return job.status;
  }

 private:
  struct Job {
    int threads;
    const std::function<Status()>* work;
    Status status;
    std::atomic<int> done{0};
  };
  // Spins while `busy()` for at most kSpin.
  static constexpr std::chrono::microseconds kSpin{50};
  template <typename Busy>
  static void SpinWhile(Busy busy) {
    const auto until = std::chrono::steady_clock::now() + kSpin;
    while (busy()) {
      for (int i = 0; i < 64; ++i) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
      }
      if (std::chrono::steady_clock::now() >= until) return;
    }
  }

  DnnlThread() : thread_([this] { Loop(); }) { thread_.detach(); }
  Job* Next() {
    std::lock_guard<std::mutex> l(mu_);
    if (queue_.empty()) return nullptr;
    Job* j = queue_.front();
    queue_.pop_front();
    return j;
  }
  void Loop() {
    FlushDenormalsOnThisThread();
    uint64_t seen = 0;
    for (;;) {
      Job* job = Next();
      if (job == nullptr) {
        // Idle: spin a little for the next job of a burst, then sleep until one is submitted.
        SpinWhile([&] { return submitted_.load(std::memory_order_acquire) == seen; });
        submitted_.wait(seen, std::memory_order_acquire);
        seen = submitted_.load(std::memory_order_acquire);
        continue;
      }
      {
        const CoreLease lease(job->threads);
        job->status = (*job->work)();
      }
      job->done.store(1, std::memory_order_release);
      job->done.notify_one();
    }
  }
  std::mutex mu_;
  std::deque<Job*> queue_;
  std::atomic<uint64_t> submitted_{0};
  std::thread thread_;
};

}  // namespace

namespace {

// This execution's own scratchpad, from the device's allocator, in `args`.
Status AddScratchpad(OpKernelContext& ctx, const memory::desc& desc, Tensor* storage,
                     std::unordered_map<int, memory>* args) {
  const size_t n = desc.get_size();
  if (n == 0) return Status::OK();
  TESSERA_ASSIGN_OR_RETURN(
      *storage, AllocateTensor(ctx.device()->allocator(), DataType::kBool, TensorShape{static_cast<int64_t>(n)}));
  args->insert({DNNL_ARG_SCRATCHPAD, memory(desc, Engine(), storage->raw_data())});
  return Status::OK();
}

int IntraThreads(const OpKernelContext& ctx) { return ctx.cpu() != nullptr ? ctx.cpu()->num_threads() : 1; }

Status DnnlConvHere(int threads, OpKernelContext& ctx, const ConvArgs& a) {
  const WindowShape& s = *a.s;
  // Before the primitive is made: oneDNN sizes its buffers by the thread count.
  omp_set_num_threads(threads);
  TESSERA_ASSIGN_OR_RETURN(std::shared_ptr<Primitive> p, Lookup(a.pass, s, threads));
  // Arguments not in the chosen layout go through buffers in it, from the
  // device's allocator (as does this execution's own scratchpad).
  const Tensor* tensors[3] = {a.a, a.b, a.out};
  std::array<Tensor, 3> chosen;
  std::array<memory, 3> user, used;
  std::unordered_map<int, memory> args;
  for (size_t i = 0; i < 3; ++i) {
    const Arg& arg = p->args[i];
    user[i] = memory(arg.user, Engine(), const_cast<void*>(tensors[arg.tensor]->raw_data()));
    used[i] = user[i];
    if (arg.reorder) {
      TESSERA_ASSIGN_OR_RETURN(chosen[i], AllocateTensor(ctx.device()->allocator(), DataType::kBool,
                                                         TensorShape{static_cast<int64_t>(arg.chosen.get_size())}));
      used[i] = memory(arg.chosen, Engine(), chosen[i].raw_data());
    }
    args.insert({arg.role, used[i]});
  }
  Tensor scratch;
  TESSERA_RETURN_IF_ERROR(AddScratchpad(ctx, p->scratchpad, &scratch, &args));
  try {
    dnnl::stream stream(Engine());
    for (size_t i = 0; i < 3; ++i) {
      if (p->args[i].reorder && !p->args[i].output) p->args[i].to_chosen.execute(stream, user[i], used[i]);
    }
    p->prim.execute(stream, args);
    for (size_t i = 0; i < 3; ++i) {
      if (p->args[i].reorder && p->args[i].output) p->args[i].to_user.execute(stream, used[i], user[i]);
    }
    stream.wait();
  } catch (const dnnl::error& e) {
    return InternalError(std::string("oneDNN convolution failed: ") + e.what());
  }
  return Status::OK();
}

}  // namespace

Status DnnlConv(OpKernelContext& ctx, const ConvArgs& a) {
  const int threads = IntraThreads(ctx);
  return DnnlThread::Get().Run(threads, [&] { return DnnlConvHere(threads, ctx, a); });
}

namespace {

// A pooling primitive (NHWC in and out, as oneDNN takes them natively).
struct PoolPrimitive {
  dnnl::primitive prim;
  memory::desc scratchpad, src, dst;
};

// kForward max (inference: no workspace), kForward average, or the
// average's backward pass. TF's SAME average excludes the padding.
std::shared_ptr<PoolPrimitive> MakePool(bool max, bool backward, const WindowShape& s) {
  const auto f32 = memory::data_type::f32;
  const memory::desc src({s.batch, s.in_depth, s.in_rows, s.in_cols}, f32, tag::nhwc);
  const memory::desc dst({s.batch, s.out_depth, s.out_rows, s.out_cols}, f32, tag::nhwc);
  const memory::dims strides = {s.stride_rows, s.stride_cols}, kernel = {s.window_rows, s.window_cols};
  const memory::dims pad_l = {s.pad_top, s.pad_left}, pad_r = {s.pad_bottom, s.pad_right};
  const auto algo = max ? dnnl::algorithm::pooling_max : dnnl::algorithm::pooling_avg_exclude_padding;
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  auto p = std::make_shared<PoolPrimitive>();
  p->src = src;
  p->dst = dst;
  dnnl::pooling_forward::primitive_desc fwd(
      dnnl::pooling_forward::desc(backward ? dnnl::prop_kind::forward_training : dnnl::prop_kind::forward_inference,
                                  algo, src, dst, strides, kernel, pad_l, pad_r),
      attr, Engine());
  if (!backward) {
    p->prim = dnnl::pooling_forward(fwd);
    p->scratchpad = fwd.scratchpad_desc();
    return p;
  }
  dnnl::pooling_backward::primitive_desc bwd(
      dnnl::pooling_backward::desc(algo, src, dst, strides, kernel, pad_l, pad_r), attr, Engine(), fwd);
  p->prim = dnnl::pooling_backward(bwd);
  p->scratchpad = bwd.scratchpad_desc();
  return p;
}

StatusOr<std::shared_ptr<PoolPrimitive>> LookupPool(bool max, bool backward, const WindowShape& s, int threads) {
  return Cached<PoolPrimitive>(PrimitiveKey(s, threads, {max, backward}), "pooling",
                               [&] { return MakePool(max, backward, s); });
}

Status DnnlPoolHere(int threads, OpKernelContext& ctx, const PoolArgs& a) {
  omp_set_num_threads(threads);
  const bool backward = a.grad != nullptr;
  TESSERA_ASSIGN_OR_RETURN(std::shared_ptr<PoolPrimitive> p, LookupPool(a.max, backward, *a.s, threads));
  std::unordered_map<int, memory> args;
  if (backward) {
    args.insert({DNNL_ARG_DIFF_DST, memory(p->dst, Engine(), const_cast<void*>(a.grad->raw_data()))});
    args.insert({DNNL_ARG_DIFF_SRC, memory(p->src, Engine(), a.out->raw_data())});
  } else {
    args.insert({DNNL_ARG_SRC, memory(p->src, Engine(), const_cast<void*>(a.input->raw_data()))});
    args.insert({DNNL_ARG_DST, memory(p->dst, Engine(), a.out->raw_data())});
  }
  Tensor scratch;
  TESSERA_RETURN_IF_ERROR(AddScratchpad(ctx, p->scratchpad, &scratch, &args));
  try {
    dnnl::stream stream(Engine());
    p->prim.execute(stream, args);
    stream.wait();
  } catch (const dnnl::error& e) {
    return InternalError(std::string("oneDNN pooling failed: ") + e.what());
  }
  return Status::OK();
}

}  // namespace

Status DnnlPool(OpKernelContext& ctx, const PoolArgs& a) {
  const int threads = IntraThreads(ctx);
  return DnnlThread::Get().Run(threads, [&] { return DnnlPoolHere(threads, ctx, a); });
}

// sgemm is a plain function (no primitive, no cache), so it runs on the
// calling thread, whose OpenMP team then has exactly `threads` threads. Handed
// to oneDNN's thread it cost a wake-up per call (64x784x256 on one thread: 205
// us against 157 us called here) and, on two threads, three runnable threads
// on two cores (270 us against 90 us; bench/RESULTS.md).
Status DnnlSgemm(OpKernelContext& ctx, const SgemmArgs& g) {
  const int threads = IntraThreads(ctx);
  const CoreLease lease(threads);
  // The calling thread may be the program's own (a session without an
  // inter-op pool): its OpenMP thread count is given back as it was.
  const int program_threads = omp_get_max_threads();
  omp_set_num_threads(threads);
  const dnnl_status_t s =
      dnnl_sgemm(g.ta ? 'T' : 'N', g.tb ? 'T' : 'N', g.m, g.n, g.k, 1.0f, g.a, g.lda, g.b, g.ldb, 0.0f, g.c, g.ldc);
  omp_set_num_threads(program_threads);
  if (s != dnnl_success) return InternalError("oneDNN's sgemm failed with status " + std::to_string(s));
  return Status::OK();
}

}  // namespace tessera::cpu
