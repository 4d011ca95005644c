// DeviceMgr over fake probes: the GPU path (visible_device_list, device_count,
// attributes, the Device mapping block) runs on machines without a GPU.
#include "src/runtime/device_mgr.h"

#include <gtest/gtest.h>

namespace tessera {
namespace {

class FakeGpu final : public Device {
 public:
  FakeGpu(int tf_id, const GpuInfo& info)
      : Device(DeviceName::Local(DeviceType::kGpu, tf_id), Attributes(tf_id, info)), physical_(info.cuda_id) {}
  Allocator* allocator() override { return HostAllocator(); }
  Stream* stream(StreamRole) override { return &stream_; }
  int physical() const { return physical_; }

 private:
  static DeviceAttributes Attributes(int tf_id, const GpuInfo& info) {
    DeviceAttributes a;
    a.name = DeviceName::Local(DeviceType::kGpu, tf_id).ToString();
    a.device_type = "GPU";
    a.memory_limit_bytes = info.total_memory;
    a.physical_device_desc =
        "device: " + std::to_string(info.cuda_id) + ", name: " + info.name + ", pci bus id: " + info.pci_bus_id +
        ", compute capability: " + std::to_string(info.cc_major) + "." + std::to_string(info.cc_minor);
    return a;
  }
  int physical_;
  CpuStream stream_{"fake"};
};

GpuProbe ThreeGpus() {
  GpuProbe p;
  for (int i = 0; i < 3; ++i) {
    p.gpus.push_back(GpuInfo{i, "Fake H100", "0000:0" + std::to_string(i) + ":00.0", 9, 0, int64_t{80} << 30});
  }
  return p;
}

StatusOr<std::unique_ptr<Device>> MakeFake(int tf_id, const GpuInfo& info, const GPUOptions&) {
  return std::unique_ptr<Device>(std::make_unique<FakeGpu>(tf_id, info));
}

TEST(DeviceMgrTest, CpusThenGpusWithAttributes) {
  SessionOptions o;
  o.device_count = {{"CPU", 2}};
  auto mgr = DeviceMgr::CreateWith(o, ThreeGpus(), MakeFake);
  ASSERT_TRUE(mgr.ok()) << mgr.status();
  const auto& d = (*mgr)->devices();
  ASSERT_EQ(d.size(), 5u);
  EXPECT_EQ(d[0]->name(), "/job:localhost/replica:0/task:0/device:CPU:0");
  EXPECT_EQ(d[1]->name(), "/job:localhost/replica:0/task:0/device:CPU:1");
  EXPECT_EQ(d[4]->name(), "/job:localhost/replica:0/task:0/device:GPU:2");
  EXPECT_EQ((*mgr)->no_gpu_reason(), "");
  EXPECT_EQ((*mgr)->DeviceMappingString(),
            "Device mapping:\n"
            "/job:localhost/replica:0/task:0/device:GPU:0 -> device: 0, name: Fake H100, pci bus id: 0000:00:00.0, "
            "compute capability: 9.0\n"
            "/job:localhost/replica:0/task:0/device:GPU:1 -> device: 1, name: Fake H100, pci bus id: 0000:01:00.0, "
            "compute capability: 9.0\n"
            "/job:localhost/replica:0/task:0/device:GPU:2 -> device: 2, name: Fake H100, pci bus id: 0000:02:00.0, "
            "compute capability: 9.0");
}

TEST(DeviceMgrTest, VisibleDeviceListMapsPhysicalToTfIds) {
  SessionOptions o;
  o.gpu_options.visible_device_list = "2,0";
  auto mgr = DeviceMgr::CreateWith(o, ThreeGpus(), MakeFake);
  ASSERT_TRUE(mgr.ok()) << mgr.status();
  ASSERT_EQ((*mgr)->devices().size(), 3u);
  EXPECT_EQ(static_cast<FakeGpu*>((*mgr)->devices()[1])->physical(), 2);  // GPU:0 is physical 2
  EXPECT_EQ(static_cast<FakeGpu*>((*mgr)->devices()[2])->physical(), 0);
  o.gpu_options.visible_device_list = "3";
  EXPECT_EQ(DeviceMgr::CreateWith(o, ThreeGpus(), MakeFake).status().message(),
            "'visible_device_list' listed an invalid GPU id '3' but visible device count is 3");
}

TEST(DeviceMgrTest, DeviceCountCapsGpus) {
  SessionOptions o;
  o.device_count = {{"GPU", 1}};
  auto mgr = DeviceMgr::CreateWith(o, ThreeGpus(), MakeFake);
  ASSERT_TRUE(mgr.ok());
  EXPECT_EQ((*mgr)->devices().size(), 2u);
  o.device_count = {{"GPU", 0}};
  auto none = DeviceMgr::Create(o);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ((*none)->devices().size(), 1u);
  EXPECT_EQ((*none)->no_gpu_reason(), "GPUs are disabled by device_count {\"GPU\": 0}");
}

TEST(DeviceMgrTest, NoGpuIsNotAnError) {
  GpuProbe empty;
  empty.no_gpu_reason = "the CUDA runtime reports no usable GPU: cudaErrorInsufficientDriver";
  auto mgr = DeviceMgr::CreateWith(SessionOptions(), empty, MakeFake);
  ASSERT_TRUE(mgr.ok());
  EXPECT_EQ((*mgr)->devices().size(), 1u);
  EXPECT_EQ((*mgr)->no_gpu_reason(), empty.no_gpu_reason);
  EXPECT_EQ((*mgr)->DeviceMappingString(), "Device mapping: no known devices.");
  // A CUDA error while creating a GPU is not a failure either: no GPU, and why.
  auto failing = [](int, const GpuInfo&, const GPUOptions&) -> StatusOr<std::unique_ptr<Device>> {
    return InternalError("CUDA error 'out of memory' from cudaStreamCreateWithFlags");
  };
  auto degraded = DeviceMgr::CreateWith(SessionOptions(), ThreeGpus(), failing);
  ASSERT_TRUE(degraded.ok()) << degraded.status();
  EXPECT_EQ((*degraded)->devices().size(), 1u);
  EXPECT_EQ((*degraded)->no_gpu_reason(),
            "GPU 0 could not be initialised: Internal: CUDA error 'out of memory' from cudaStreamCreateWithFlags");
}

TEST(DeviceMgrTest, GpuMemoryLimit) {
  GPUOptions o;
  EXPECT_EQ(GpuMemoryLimit(int64_t{80} << 30, o), (size_t{80} << 30) - (size_t{80} << 30) / 20);  // 5% reserve
  EXPECT_EQ(GpuMemoryLimit(int64_t{1} << 30, o), (size_t{1} << 30) - (size_t{225} << 20));
  o.per_process_gpu_memory_fraction = 0.25;
  EXPECT_EQ(GpuMemoryLimit(int64_t{16} << 30, o), size_t{4} << 30);
  o.per_process_gpu_memory_fraction = 3.0;  // capped at the whole GPU
  EXPECT_EQ(GpuMemoryLimit(int64_t{16} << 30, o), size_t{16} << 30);
}

}  // namespace
}  // namespace tessera
