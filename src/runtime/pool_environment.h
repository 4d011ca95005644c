// The thread environment of tessera's Eigen pools (inter-op and intra-op):
// standard threads that flush denormals to zero from their start, as TF's
// pool threads do (src/runtime/denormal.h).
#pragma once

#include <functional>
#include <unsupported/Eigen/CXX11/ThreadPool>
#include <utility>

#include "src/runtime/denormal.h"

namespace tessera {

struct FlushDenormalsEnvironment : Eigen::StlThreadEnvironment {
  EnvThread* CreateThread(std::function<void()> f) {
    return Eigen::StlThreadEnvironment::CreateThread([f = std::move(f)] {
      FlushDenormalsOnThisThread();
      f();
    });
  }
};

}  // namespace tessera
