// Convolution on the GPU through cuDNN (loaded at run time, cudnn.h): NHWC
// tensors as they are, the filter moved between our HWIO and cuDNN's KRSC by
// the gather kernel; the algorithm chosen by cuDNN's heuristics once per
// geometry and kept; its workspace from the device's allocator. Asymmetric
// padding (SAME with an odd total), which cuDNN lacks, and a missing cuDNN
// leave the convolution to the gather kernels (TryCudnnConv returns false).
#include "kernels_cuda/cudnn_conv.h"

#include <map>
#include <memory>
#include <mutex>
#include <tuple>
#include <vector>

#include "kernels_cuda/cudnn.h"
#include "kernels_cuda/gpu_device.h"
#include "src/framework/allocator.h"
#include "src/kernels/conv_math.h"

namespace tessera {
namespace {

// One cuDNN handle per GPU, on its compute stream; calls on it are
// serialised (they only enqueue work).
struct PerGpu {
  std::mutex mu;
  cudnnHandle_t handle = nullptr;
};

StatusOr<PerGpu*> HandleFor(const GpuDevice& gpu, const CudnnApi& api) {
  static std::mutex mu;
  static auto* handles = new std::map<int, std::unique_ptr<PerGpu>>();  // never destroyed
  std::lock_guard<std::mutex> l(mu);
  std::unique_ptr<PerGpu>& h = (*handles)[gpu.cuda_id()];
  if (h == nullptr) {
    auto fresh = std::make_unique<PerGpu>();
    TESSERA_RETURN_IF_ERROR(CudnnStatus(api.create(&fresh->handle), "cudnnCreate"));
    TESSERA_RETURN_IF_ERROR(CudnnStatus(api.set_stream(fresh->handle, gpu.compute_stream()), "cudnnSetStream"));
    h = std::move(fresh);
  }
  return h.get();
}

// The descriptors of one convolution, destroyed with it.
struct Descriptors {
  const CudnnApi& api;
  cudnnTensorDescriptor_t x = nullptr, y = nullptr;
  cudnnFilterDescriptor_t w = nullptr;
  cudnnConvolutionDescriptor_t conv = nullptr;
  explicit Descriptors(const CudnnApi& a) : api(a) {}
  ~Descriptors() {
    if (x != nullptr) api.destroy_tensor(x);
    if (y != nullptr) api.destroy_tensor(y);
    if (w != nullptr) api.destroy_filter(w);
    if (conv != nullptr) api.destroy_conv(conv);
  }
  Status Init(const WindowShape& s, cudnnDataType_t t) {
    auto i = [](int64_t v) { return static_cast<int>(v); };
    TESSERA_RETURN_IF_ERROR(CudnnStatus(api.create_tensor(&x), "cudnnCreateTensorDescriptor"));
    TESSERA_RETURN_IF_ERROR(CudnnStatus(api.create_tensor(&y), "cudnnCreateTensorDescriptor"));
    TESSERA_RETURN_IF_ERROR(CudnnStatus(api.create_filter(&w), "cudnnCreateFilterDescriptor"));
    TESSERA_RETURN_IF_ERROR(CudnnStatus(api.create_conv(&conv), "cudnnCreateConvolutionDescriptor"));
    TESSERA_RETURN_IF_ERROR(
        CudnnStatus(api.set_tensor_4d(x, CUDNN_TENSOR_NHWC, t, i(s.batch), i(s.in_depth), i(s.in_rows), i(s.in_cols)),
                    "cudnnSetTensor4dDescriptor (input)"));
    TESSERA_RETURN_IF_ERROR(CudnnStatus(
        api.set_tensor_4d(y, CUDNN_TENSOR_NHWC, t, i(s.batch), i(s.out_depth), i(s.out_rows), i(s.out_cols)),
        "cudnnSetTensor4dDescriptor (output)"));
    TESSERA_RETURN_IF_ERROR(CudnnStatus(
        api.set_filter_4d(w, t, CUDNN_TENSOR_NHWC, i(s.out_depth), i(s.in_depth), i(s.window_rows), i(s.window_cols)),
        "cudnnSetFilter4dDescriptor"));
    TESSERA_RETURN_IF_ERROR(
        CudnnStatus(api.set_conv_2d(conv, i(s.pad_top), i(s.pad_left), i(s.stride_rows), i(s.stride_cols),
                                    i(s.dilation_rows), i(s.dilation_cols), CUDNN_CROSS_CORRELATION, t),
                    "cudnnSetConvolution2dDescriptor"));
    // FMA math: float stays float32 (no TF32 tensor cores), as the CPU computes it.
    return CudnnStatus(api.set_conv_math(conv, CUDNN_FMA_MATH), "cudnnSetConvolutionMathType");
  }
};

// The heuristics' algorithms for a pass, best first, with their workspace sizes.
struct Choice {
  int algo = 0;
  size_t workspace = 0;
};
template <typename Perf, typename Query>
std::vector<Choice> Ranked(Query query) {
  Perf perf[16];
  int n = 0;
  if (query(16, &n, perf) != CUDNN_STATUS_SUCCESS) return {};
  std::vector<Choice> out;
  for (int i = 0; i < n; ++i) {
    if (perf[i].status == CUDNN_STATUS_SUCCESS) out.push_back({static_cast<int>(perf[i].algo), perf[i].memory});
  }
  return out;
}

std::vector<Choice> Algorithms(ConvPass pass, cudnnHandle_t h, const CudnnApi& api, const Descriptors& d) {
  if (pass == ConvPass::kForward) {
    return Ranked<cudnnConvolutionFwdAlgoPerf_t>(
        [&](int k, int* n, auto* p) { return api.forward_algos(h, d.x, d.w, d.conv, d.y, k, n, p); });
  }
  if (pass == ConvPass::kBackpropInput) {
    return Ranked<cudnnConvolutionBwdDataAlgoPerf_t>(
        [&](int k, int* n, auto* p) { return api.backward_data_algos(h, d.w, d.y, d.conv, d.x, k, n, p); });
  }
  return Ranked<cudnnConvolutionBwdFilterAlgoPerf_t>(
      [&](int k, int* n, auto* p) { return api.backward_filter_algos(h, d.x, d.y, d.conv, d.w, k, n, p); });
}

using Key = std::tuple<int, int, int, std::vector<int64_t>>;  // GPU, pass, dtype, geometry

// The algorithm chosen for this geometry: the first of the heuristics' whose
// workspace the allocator could give, remembered per geometry.
StatusOr<Choice> Choose(const Key& key, const std::vector<Choice>& ranked, Allocator* allocator, Tensor* workspace) {
  static std::mutex mu;
  static auto* chosen = new std::map<Key, Choice>();  // never destroyed
  {
    std::lock_guard<std::mutex> l(mu);
    if (auto it = chosen->find(key); it != chosen->end()) {
      if (it->second.workspace > 0) {
        TESSERA_ASSIGN_OR_RETURN(*workspace, AllocateTensor(allocator, DataType::kBool,
                                                            TensorShape{static_cast<int64_t>(it->second.workspace)}));
      }
      return it->second;
    }
  }
  for (const Choice& c : ranked) {
    if (c.workspace > 0) {
      StatusOr<Tensor> w = AllocateTensor(allocator, DataType::kBool, TensorShape{static_cast<int64_t>(c.workspace)});
      if (!w.ok()) continue;
      *workspace = std::move(*w);
    }
    std::lock_guard<std::mutex> l(mu);
    if (chosen->size() > 1024) chosen->clear();
    (*chosen)[key] = c;
    return c;
  }
  return ResourceExhaustedError("cuDNN offered no convolution algorithm whose workspace fits in the GPU's memory");
}

// The filter moved between HWIO [kh, kw, in, out] and KRSC [out, kh, kw, in].
Status MoveFilter(OpKernelContext& ctx, const WindowShape& s, const Tensor& from, Tensor* to, bool to_krsc) {
  const convmath::FilterMove m =
      convmath::FilterLayoutMove(s.window_rows, s.window_cols, s.in_depth, s.out_depth, to_krsc);
  TESSERA_ASSIGN_OR_RETURN(StridedDims d, ToStrided(std::vector<int64_t>(m.dims, m.dims + 4),
                                                    std::vector<int64_t>(m.strides, m.strides + 4), {}));
  return CudaStatus(
      cuda::LaunchGather(from.raw_data(), to->raw_data(), from.num_elements(),
                         static_cast<int>(DataTypeSize(from.dtype())), d, 0, false, 0, ComputeStream(ctx)),
      "LaunchGather (filter layout)");
}

}  // namespace

StatusOr<bool> TryCudnnConv(OpKernelContext& ctx, const ConvArgs& a) {
  const CudnnApi* api = Cudnn();
  const WindowShape& s = *a.s;
  const DataType dt = a.out->dtype();
  if (api == nullptr || s.pad_top != s.pad_bottom || s.pad_left != s.pad_right ||
      (dt != DataType::kFloat && dt != DataType::kDouble)) {
    return false;
  }
  const auto& gpu = *static_cast<const GpuDevice*>(ctx.device());
  TESSERA_ASSIGN_OR_RETURN(PerGpu * per, HandleFor(gpu, *api));
  Allocator* allocator = ctx.device()->allocator();
  Descriptors d(*api);
  TESSERA_RETURN_IF_ERROR(d.Init(s, dt == DataType::kFloat ? CUDNN_DATA_FLOAT : CUDNN_DATA_DOUBLE));
  // The filter in cuDNN's layout: the forward and backprop-input passes read it, backprop-filter writes it.
  const TensorShape krsc{s.out_depth, s.window_rows, s.window_cols, s.in_depth};
  TESSERA_ASSIGN_OR_RETURN(Tensor filter, AllocateTensor(allocator, dt, krsc));
  if (a.pass != ConvPass::kBackpropFilter) {
    TESSERA_RETURN_IF_ERROR(MoveFilter(ctx, s, a.pass == ConvPass::kForward ? *a.b : *a.a, &filter, true));
  }
  std::lock_guard<std::mutex> l(per->mu);
  const Key key{gpu.cuda_id(),
                static_cast<int>(a.pass),
                static_cast<int>(dt),
                {s.batch, s.in_rows, s.in_cols, s.in_depth, s.window_rows, s.window_cols, s.out_depth, s.stride_rows,
                 s.stride_cols, s.dilation_rows, s.dilation_cols, s.pad_top, s.pad_left}};
  Tensor workspace;
  TESSERA_ASSIGN_OR_RETURN(Choice c, Choose(key, Algorithms(a.pass, per->handle, *api, d), allocator, &workspace));
  const double one_d = 1, zero_d = 0;
  const float one_f = 1, zero_f = 0;
  const void* one = dt == DataType::kFloat ? static_cast<const void*>(&one_f) : &one_d;
  const void* zero = dt == DataType::kFloat ? static_cast<const void*>(&zero_f) : &zero_d;
  void* ws = c.workspace > 0 ? workspace.raw_data() : nullptr;
  if (a.pass == ConvPass::kForward) {
    TESSERA_RETURN_IF_ERROR(CudnnStatus(
        api->forward(per->handle, one, d.x, a.a->raw_data(), d.w, filter.raw_data(), d.conv,
                     static_cast<cudnnConvolutionFwdAlgo_t>(c.algo), ws, c.workspace, zero, d.y, a.out->raw_data()),
        "cudnnConvolutionForward"));
  } else if (a.pass == ConvPass::kBackpropInput) {
    TESSERA_RETURN_IF_ERROR(
        CudnnStatus(api->backward_data(per->handle, one, d.w, filter.raw_data(), d.y, a.b->raw_data(), d.conv,
                                       static_cast<cudnnConvolutionBwdDataAlgo_t>(c.algo), ws, c.workspace, zero, d.x,
                                       a.out->raw_data()),
                    "cudnnConvolutionBackwardData"));
  } else {
    TESSERA_RETURN_IF_ERROR(
        CudnnStatus(api->backward_filter(per->handle, one, d.x, a.a->raw_data(), d.y, a.b->raw_data(), d.conv,
                                         static_cast<cudnnConvolutionBwdFilterAlgo_t>(c.algo), ws, c.workspace, zero,
                                         d.w, filter.raw_data()),
                    "cudnnConvolutionBackwardFilter"));
    TESSERA_RETURN_IF_ERROR(MoveFilter(ctx, s, filter, a.out, false));
  }
  return true;
}

}  // namespace tessera
