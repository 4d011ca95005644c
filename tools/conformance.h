// The op-conformance suite: every op case runs on every device of a session
// and is compared with the CPU:0 result (tolerance per dtype). A device type
// without a kernel for the case's op/dtype is reported as skipped with the
// reason; so is a device type that is absent (e.g. no GPU, with why).
//
// Used by tests/conformance_test.cc (CPU:0 and CPU:1 on CI) and by the
// tessera_gpu_selftest program (every GPU it finds). Adding an op means
// adding its case in conformance.cc.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "tessera/tessera.h"

namespace tessera::conformance {

struct OpCase {
  std::string name;                                                 // e.g. "Add/f32/broadcast"
  std::vector<Tensor> inputs;                                       // fed through Consts on CPU:0
  std::function<Output(Graph&, const std::vector<Output>&)> build;  // the op under test
  double tolerance = 0;                                             // absolute + relative, per element
  // Set for kernels that only report errors (Placeholder): every device must
  // fail with the reference's message, which contains this text.
  std::string expected_error;
};

enum class Outcome { kPass, kFail, kSkipped };

struct CaseResult {
  std::string case_name;
  std::string device;  // full name
  Outcome outcome = Outcome::kSkipped;
  std::string detail;  // why it failed or was skipped
};

// All cases of the suite.
std::vector<OpCase> AllCases();

// Runs every case on every device of a session made with `options`
// (device_count etc.); the reference is each case run on CPU:0.
std::vector<CaseResult> RunSuite(const SessionOptions& options);

// Compares two host tensors: dtype, shape, and values within `tolerance`.
bool Matches(const Tensor& expected, const Tensor& got, double tolerance, std::string* why);

}  // namespace tessera::conformance
