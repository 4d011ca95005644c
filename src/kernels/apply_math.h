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

// The per-element updates, with the scalars of one application prepared
// once (Adam's lr_t = lr * sqrt(1 - beta2_power) / (1 - beta1_power), as TF
// computes it before its element loop):
//   GradientDescent(alpha):                 var -= alpha * g
//   Momentum(lr, momentum):                 a = a * momentum + g;
//                                           var -= lr * a, or with Nesterov
//                                           var -= g * lr + a * momentum * lr
//   Adam(beta1_power, beta2_power, lr, beta1, beta2, epsilon):
//     m += (g - m) * (1 - beta1);  v += (g * g - v) * (1 - beta2)
//     var -= m * lr_t / (sqrt(v) + epsilon)   (Nesterov: m * beta1 + (1 - beta1) * g for m)
//   RMSProp(lr, rho, momentum, epsilon):
//     ms += (g * g - ms) * (1 - rho);  mom = mom * momentum + lr * g / sqrt(ms + epsilon);  var -= mom
template <typename T>
struct Prepared {
  T a = 0, b = 0, c = 0, d = 0, e = 0;
};

template <typename T>
TESSERA_HD Prepared<T> Prepare(ApplyOp op, const Scalars<T>& k) {
  const T one = T(1);
  Prepared<T> p;
  switch (op) {
    case ApplyOp::kGradientDescent:
      p.a = k.s[0];
      break;
    case ApplyOp::kMomentum:
      p.a = k.s[0];  // lr
      p.b = k.s[1];  // momentum
      break;
    case ApplyOp::kAdam:
      p.a = k.s[2] * std::sqrt(one - k.s[1]) / (one - k.s[0]);  // lr_t
      p.b = k.s[3];                                             // beta1
      p.c = one - k.s[3];                                       // 1 - beta1
      p.d = one - k.s[4];                                       // 1 - beta2
      p.e = k.s[5];                                             // epsilon
      break;
    case ApplyOp::kRMSProp:
      p.a = k.s[0];        // lr
      p.b = one - k.s[1];  // 1 - rho
      p.c = k.s[2];        // momentum
      p.d = k.s[3];        // epsilon
      break;
    default:
      break;
  }
  return p;
}

template <typename T>
TESSERA_HD void GradientDescent(const Prepared<T>& p, T g, T* var) {
  *var -= p.a * g;
}
template <typename T>
TESSERA_HD void Momentum(const Prepared<T>& p, bool nesterov, T g, T* var, T* accum) {
  *accum = *accum * p.b + g;
  if (nesterov) {
    *var -= g * p.a + *accum * p.b * p.a;
  } else {
    *var -= p.a * *accum;
  }
}
template <typename T>
TESSERA_HD void Adam(const Prepared<T>& p, bool nesterov, T g, T* var, T* m, T* v) {
  *m += (g - *m) * p.c;
  *v += (g * g - *v) * p.d;
  const T step = nesterov ? *m * p.b + p.c * g : *m;
  *var -= step * p.a / (std::sqrt(*v) + p.e);
}
template <typename T>
TESSERA_HD void RMSProp(const Prepared<T>& p, T g, T* var, T* ms, T* mom) {
  *ms += (g * g - *ms) * p.b;
  *mom = *mom * p.c + p.a * g / std::sqrt(*ms + p.d);
  *var -= *mom;
}

// One element of any op (the GPU's kernel; the CPU loops call the functions
// above per op, so they vectorise).
template <typename T>
TESSERA_HD void Update(ApplyOp op, const Prepared<T>& p, bool nesterov, T g, T* var, T* s1, T* s2) {
  switch (op) {
    case ApplyOp::kGradientDescent:
      return GradientDescent(p, g, var);
    case ApplyOp::kMomentum:
      return Momentum(p, nesterov, g, var, s1);
    case ApplyOp::kAdam:
      return Adam(p, nesterov, g, var, s1, s2);
    case ApplyOp::kRMSProp:
      return RMSProp(p, g, var, s1, s2);
    default:
      return;
  }
}

}  // namespace applymath
}  // namespace tessera
