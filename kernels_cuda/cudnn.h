// cuDNN, loaded at run time: the CUDA backend's convolutions use it when
// libcudnn.so.9 can be opened (dlopen), and fall back to their own gather
// kernels when it cannot, so a CUDA build neither links nor needs cuDNN to
// start. Only the types come from cudnn.h; every call goes through CudnnApi.
#pragma once

#include <cudnn.h>

#include <string>

#include "tessera/status.h"

namespace tessera {

// The entry points, typed from cudnn.h's declarations (never linked).
struct CudnnApi {
  decltype(&cudnnCreate) create;
  decltype(&cudnnDestroy) destroy;
  decltype(&cudnnSetStream) set_stream;
  decltype(&cudnnGetErrorString) get_error_string;
  decltype(&cudnnCreateTensorDescriptor) create_tensor;
  decltype(&cudnnSetTensor4dDescriptor) set_tensor_4d;
  decltype(&cudnnDestroyTensorDescriptor) destroy_tensor;
  decltype(&cudnnCreateFilterDescriptor) create_filter;
  decltype(&cudnnSetFilter4dDescriptor) set_filter_4d;
  decltype(&cudnnDestroyFilterDescriptor) destroy_filter;
  decltype(&cudnnCreateConvolutionDescriptor) create_conv;
  decltype(&cudnnSetConvolution2dDescriptor) set_conv_2d;
  decltype(&cudnnSetConvolutionMathType) set_conv_math;
  decltype(&cudnnDestroyConvolutionDescriptor) destroy_conv;
  decltype(&cudnnGetConvolutionForwardAlgorithm_v7) forward_algos;
  decltype(&cudnnGetConvolutionBackwardDataAlgorithm_v7) backward_data_algos;
  decltype(&cudnnGetConvolutionBackwardFilterAlgorithm_v7) backward_filter_algos;
  decltype(&cudnnConvolutionForward) forward;
  decltype(&cudnnConvolutionBackwardData) backward_data;
  decltype(&cudnnConvolutionBackwardFilter) backward_filter;
};

// The loaded library's entry points, or null (then CudnnUnavailableReason()
// says why: not found, or a symbol missing). Loaded once, on first use.
const CudnnApi* Cudnn();
const std::string& CudnnUnavailableReason();

// A cuDNN status as a Status naming the call.
Status CudnnStatus(cudnnStatus_t s, const char* what);

}  // namespace tessera
