// The optimizers' per-element updates (TF's ApplyGradientDescent,
// ApplyMomentum, ApplyAdam, ApplyRMSProp), shared by the CPU loops and the
// CUDA kernels, so the CPU tests check the code a GPU runs. Plain C++17.
#pragma once

#include <cmath>
#include <cstdint>

#include "src/framework/cwise_functors.h"

namespace tessera {

enum class ApplyOp : uint8_t { kGradientDescent, kMomentum, kAdam, kRMSProp, kCount };
inline constexpr int kNumApplyOps = static_cast<int>(ApplyOp::kCount);

namespace applymath {

// The op's scalar hyperparameters, in the op's input order (up to 6: Adam's).
template <typename T>
struct Scalars {
  T s[6] = {};
};

// One element: var (and the slots s1, s2) updated in place from g.
//   GradientDescent(alpha):                 var -= alpha * g
//   Momentum(lr, momentum):                 a = a * momentum + g;
//                                           var -= lr * a, or with Nesterov
//                                           var -= g * lr + a * momentum * lr
//   Adam(beta1_power, beta2_power, lr, beta1, beta2, epsilon):
//     lr_t = lr * sqrt(1 - beta2_power) / (1 - beta1_power)
//     m += (g - m) * (1 - beta1);  v += (g * g - v) * (1 - beta2)
//     var -= m * lr_t / (sqrt(v) + epsilon)   (Nesterov: m * beta1 + (1 - beta1) * g for m)
//   RMSProp(lr, rho, momentum, epsilon):
//     ms += (g * g - ms) * (1 - rho);  mom = mom * momentum + lr * g / sqrt(ms + epsilon);  var -= mom
template <typename T>
TESSERA_HD void Update(ApplyOp op, const Scalars<T>& k, bool nesterov, T g, T* var, T* s1, T* s2) {
  const T one = T(1);
  switch (op) {
    case ApplyOp::kGradientDescent:
      *var -= k.s[0] * g;
      return;
    case ApplyOp::kMomentum:
      *s1 = *s1 * k.s[1] + g;
      if (nesterov) {
        *var -= g * k.s[0] + *s1 * k.s[1] * k.s[0];
      } else {
        *var -= k.s[0] * *s1;
      }
      return;
    case ApplyOp::kAdam: {
      const T lr_t = k.s[2] * std::sqrt(one - k.s[1]) / (one - k.s[0]);
      *s1 += (g - *s1) * (one - k.s[3]);
      *s2 += (g * g - *s2) * (one - k.s[4]);
      const T m = nesterov ? *s1 * k.s[3] + (one - k.s[3]) * g : *s1;
      *var -= m * lr_t / (std::sqrt(*s2) + k.s[5]);
      return;
    }
    case ApplyOp::kRMSProp:
      *s1 += (g * g - *s1) * (one - k.s[1]);
      *s2 = *s2 * k.s[2] + k.s[0] * g / std::sqrt(*s1 + k.s[3]);
      *var -= *s2;
      return;
    default:
      return;
  }
}

}  // namespace applymath
}  // namespace tessera
