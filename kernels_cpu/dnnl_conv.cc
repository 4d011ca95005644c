// Float convolution through oneDNN (Debian libdnnl-dev): forward, backward
// data and backward weights on the user's NHWC/HWIO buffers, primitives
// cached per geometry. oneDNN picks its kernels for the CPU at run time
// (AVX-512 where present) and runs them on OpenMP threads, as many as the
// session's intra-op threads (omp_set_num_threads on the calling thread).
#include "kernels_cpu/dnnl_conv.h"

#include <omp.h>

#include <dnnl.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>

#include "src/runtime/cpu_context.h"

namespace tessera::cpu {
namespace {

using dnnl::memory;
using tag = memory::format_tag;

dnnl::engine& Engine() {
  static dnnl::engine* e = new dnnl::engine(dnnl::engine::kind::cpu, 0);
  return *e;
}

struct Primitive {
  dnnl::primitive prim;
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

}  // namespace

Status DnnlConv(OpKernelContext& ctx, const ConvArgs& a) {
  const WindowShape& s = *a.s;
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
  const CpuContext* cpu = ctx.cpu();
  omp_set_num_threads(cpu != nullptr ? cpu->num_threads() : 1);
  try {
    dnnl::stream stream(Engine());
    p->prim.execute(stream, args);
    stream.wait();
  } catch (const dnnl::error& e) {
    return InternalError(std::string("oneDNN convolution failed: ") + e.what());
  }
  return Status::OK();
}

}  // namespace tessera::cpu
