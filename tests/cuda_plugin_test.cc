// The CUDA backend as a plugin: libtessera.so loads libtessera_cuda.so from
// beside itself, and every way the plugin can be missing or wrong is "no
// GPU, and why", never a failure to start.
#include "src/runtime/cuda_plugin.h"

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <tessera/tessera.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "src/framework/kernel_registry.h"

namespace tessera {
namespace {

std::string DirectoryOf(const void* symbol) {
  Dl_info info;
  if (dladdr(symbol, &info) == 0 || info.dli_fname == nullptr) return "";
  const std::string file = info.dli_fname;
  return file.substr(0, file.rfind('/'));
}

bool HasGpuKernel(const std::string& op) {
  for (const auto& [name, type] : KernelRegistry::Global().Keys()) {
    if (name == op && type == DeviceType::kGpu) return true;
  }
  return false;
}

TEST(CudaPlugin, LoadsFromBesideTheLibraryWhenBuilt) {
  if (!TESSERA_CUDA_PLUGIN_BUILT) {
    EXPECT_EQ(CudaPlugin(), nullptr);
    EXPECT_NE(ProbeGpus().no_gpu_reason.find("built without the CUDA plugin"), std::string::npos)
        << ProbeGpus().no_gpu_reason;
    EXPECT_FALSE(HasGpuKernel("MatMul"));
    return;
  }
  ASSERT_NE(CudaPlugin(), nullptr) << CudaPluginUnavailableReason();
  EXPECT_EQ(CudaPluginPath(), DirectoryOf(reinterpret_cast<const void*>(&ProbeGpus)) + "/libtessera_cuda.so");
  EXPECT_TRUE(CudaBackendBuilt());
  EXPECT_TRUE(HasGpuKernel("MatMul"));  // registered through the plugin
  EXPECT_TRUE(HasGpuKernel("Conv2D"));
  // Without a GPU (CI) the reason is the CUDA runtime's, from inside the plugin.
  if (ProbeGpus().gpus.empty()) {
    EXPECT_NE(ProbeGpus().no_gpu_reason.find("CUDA runtime"), std::string::npos) << ProbeGpus().no_gpu_reason;
  }
}

TEST(CudaPlugin, AMissingPluginIsAReason) {
  CudaPluginProbe p = ProbeCudaPlugin("/nonexistent/libtessera_cuda.so");
  EXPECT_EQ(p.table, nullptr);
  EXPECT_EQ(p.reason, "no CUDA plugin at /nonexistent/libtessera_cuda.so ($TESSERA_CUDA_PLUGIN)");
}

TEST(CudaPlugin, ALibraryThatIsNoPluginIsAReason) {
  Dl_info info;
  ASSERT_NE(dladdr(reinterpret_cast<const void*>(&zlibVersion), &info), 0);
  CudaPluginProbe p = ProbeCudaPlugin(info.dli_fname);
  EXPECT_EQ(p.table, nullptr);
  EXPECT_EQ(p.reason, std::string(info.dli_fname) + " is not a tessera CUDA plugin (it has no tessera_cuda_plugin_v1)");
}

TEST(CudaPlugin, AFileThatIsNoLibraryIsAReason) {
  const std::string path = ::testing::TempDir() + "/not_a_plugin.so";
  std::ofstream(path) << "not an ELF file\n";
  CudaPluginProbe p = ProbeCudaPlugin(path);
  EXPECT_EQ(p.table, nullptr);
  EXPECT_EQ(p.reason.rfind("the CUDA plugin " + path + " could not be loaded: ", 0), 0u) << p.reason;
  std::remove(path.c_str());
}

TEST(CudaPlugin, WithoutAGpuEverythingRunsOnTheCpu) {
  if (!ProbeGpus().gpus.empty()) GTEST_SKIP() << "this machine has a GPU";
  auto g = Graph::Create();
  Output x;
  {
    auto d = g->Device("/device:GPU:0");
    x = ops::MatMul(*g, ops::Const(*g, Tensor::Vec<float>({1, 2}).Reshaped(TensorShape{1, 2}).value()),
                    ops::Const(*g, Tensor::Vec<float>({3, 4}).Reshaped(TensorShape{2, 1}).value()));
  }
  SessionOptions options;
  options.allow_soft_placement = true;
  auto sess = Session::Create(g, options).value();
  EXPECT_EQ(sess->NoGpuReason(), ProbeGpus().no_gpu_reason);
  auto out = sess->Run({}, {x});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[0].DebugString(), "[[11.]]");
}

}  // namespace
}  // namespace tessera
