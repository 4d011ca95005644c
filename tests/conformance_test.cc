// Every op on every device present, against the CPU:0 result. On CI the
// devices are CPU:0 and CPU:1 (device_count {"CPU": 2}); GPUs are covered when
// present and skipped, with the reason, when not.
#include "tools/conformance.h"

#include <gtest/gtest.h>

namespace tessera {
namespace {

using conformance::Outcome;

void ExpectNoFailures(const std::vector<conformance::CaseResult>& results, int* passed_on_cpu1) {
  for (const auto& r : results) {
    if (r.outcome == Outcome::kFail) ADD_FAILURE() << r.case_name << " on " << r.device << ": " << r.detail;
    if (r.outcome == Outcome::kPass && r.device.find("CPU:1") != std::string::npos) ++*passed_on_cpu1;
  }
}

TEST(ConformanceTest, EveryOpOnBothCpuDevices) {
  SessionOptions o;
  o.device_count = {{"CPU", 2}, {"GPU", 0}};
  int passed = 0;
  ExpectNoFailures(conformance::RunSuite(o), &passed);
  EXPECT_EQ(passed, static_cast<int>(conformance::AllCases().size()));  // CPU:1 has every kernel
}

TEST(ConformanceTest, EveryOpOnEveryGpu) {
  auto probe = Session::Create(Graph::Create()).value();
  if (!probe->NoGpuReason().empty()) GTEST_SKIP() << "no GPU on this machine: " << probe->NoGpuReason();
  int unused = 0;
  auto results = conformance::RunSuite(SessionOptions());
  ExpectNoFailures(results, &unused);
  int gpu_passes = 0;
  for (const auto& r : results) gpu_passes += r.outcome == Outcome::kPass && r.device.find("GPU") != std::string::npos;
  EXPECT_GT(gpu_passes, 40);
}

TEST(ConformanceTest, MatchesComparesDtypeShapeAndValues) {
  std::string why;
  EXPECT_TRUE(conformance::Matches(Tensor::Vec<float>({1, 2}), Tensor::Vec<float>({1, 2.000001f}), 1e-5, &why));
  EXPECT_FALSE(conformance::Matches(Tensor::Vec<float>({1, 2}), Tensor::Vec<float>({1, 2.1f}), 1e-5, &why));
  EXPECT_NE(why.find("element 1"), std::string::npos);
  EXPECT_FALSE(conformance::Matches(Tensor::Vec<float>({1, 2}), Tensor::Vec<double>({1, 2}), 1e-5, &why));
  EXPECT_FALSE(conformance::Matches(Tensor::Vec<int32_t>({1, 2}), Tensor::Vec<int32_t>({1}), 0, &why));
}

}  // namespace
}  // namespace tessera
