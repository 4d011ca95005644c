// Per-element math shared by the CPU and CUDA kernels.
//
// Every functor is a host-and-device callable struct, so the CUDA kernels
// in kernels_cuda/ instantiate exactly the code that the CPU tests check.
#pragma once

#include <cmath>
#include <cstdint>
#include <type_traits>

#if defined(__CUDACC__)
#define TESSERA_HD __host__ __device__
#else
#define TESSERA_HD
#endif

namespace tessera::functor {

// Signed integers wrap around (two's complement) on every device, as TF's
// kernels do in practice, instead of being undefined behaviour in C++: the
// arithmetic is done in the unsigned type.
template <typename T>
inline constexpr bool kWrapping = std::is_integral_v<T>&& std::is_signed_v<T>;
template <typename T>
TESSERA_HD T WrapAdd(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
}
template <typename T>
TESSERA_HD T WrapSub(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(a) - static_cast<U>(b));
}
template <typename T>
TESSERA_HD T WrapMul(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(a) * static_cast<U>(b));
}

struct Add {
  template <typename T>
  TESSERA_HD T operator()(T a, T b) const {
    if constexpr (kWrapping<T>) {
      return WrapAdd(a, b);
    } else {
      return a + b;
    }
  }
};
struct Sub {
  template <typename T>
  TESSERA_HD T operator()(T a, T b) const {
    if constexpr (kWrapping<T>) {
      return WrapSub(a, b);
    } else {
      return a - b;
    }
  }
};
struct Mul {
  template <typename T>
  TESSERA_HD T operator()(T a, T b) const {
    if constexpr (kWrapping<T>) {
      return WrapMul(a, b);
    } else {
      return a * b;
    }
  }
};
// Integer division truncates toward zero (C++); callers reject a zero divisor
// first. MIN / -1 wraps to MIN (numpy's answer) instead of trapping (SIGFPE).
struct Div {
  template <typename T>
  TESSERA_HD T operator()(T a, T b) const {
    if constexpr (kWrapping<T>) {
      if (b == T(-1)) return WrapSub(T(0), a);
    }
    return a / b;
  }
};
struct Maximum {
  template <typename T>
  TESSERA_HD T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>) {
      if (a != a) return a;
      if (b != b) return b;
    }
    return a > b ? a : b;
  }
};
struct Minimum {
  template <typename T>
  TESSERA_HD T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>) {
      if (a != a) return a;
      if (b != b) return b;
    }
    return a < b ? a : b;
  }
};
struct Pow {
  template <typename T>
  TESSERA_HD T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>) {
      return std::pow(a, b);
    } else {
      // Exponentiation by squaring; callers reject negative exponents first.
      T result = 1, base = a;
      for (T e = b; e > 0; e >>= 1) {
        if (e & 1) result = Mul()(result, base);
        base = Mul()(base, base);
      }
      return result;
    }
  }
};
struct Equal {
  template <typename T>
  TESSERA_HD bool operator()(T a, T b) const {
    return a == b;
  }
};
struct Less {
  template <typename T>
  TESSERA_HD bool operator()(T a, T b) const {
    return a < b;
  }
};
struct Greater {
  template <typename T>
  TESSERA_HD bool operator()(T a, T b) const {
    return a > b;
  }
};
struct NotEqual {
  template <typename T>
  TESSERA_HD bool operator()(T a, T b) const {
    return a != b;
  }
};
struct GreaterEqual {
  template <typename T>
  TESSERA_HD bool operator()(T a, T b) const {
    return a >= b;
  }
};
struct LessEqual {
  template <typename T>
  TESSERA_HD bool operator()(T a, T b) const {
    return a <= b;
  }
};
// Rounds toward negative infinity (Python's //). Floats: floor(a / b).
// Integers: callers reject a zero divisor first; MIN // -1 wraps to MIN.
struct FloorDiv {
  template <typename T>
  TESSERA_HD T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>) {
      return std::floor(a / b);
    } else {
      if (b == T(-1)) return WrapSub(T(0), a);
      const T q = a / b;
      return (a % b != 0 && ((a < 0) != (b < 0))) ? T(q - 1) : q;
    }
  }
};
// The remainder with the divisor's sign (Python's %), as TF's FloorMod:
// fmod, then moved by b when the signs differ.
struct FloorMod {
  template <typename T>
  TESSERA_HD T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>) {
      const T r = std::fmod(a, b);
      return (r != T(0) && ((b < T(0)) != (r < T(0)))) ? r + b : r;
    } else {
      if (b == T(-1)) return T(0);
      const T r = a % b;
      return (r != 0 && ((r < 0) != (b < 0))) ? T(r + b) : r;
    }
  }
};
struct LogicalAnd {
  TESSERA_HD bool operator()(bool a, bool b) const { return a && b; }
};
struct LogicalOr {
  TESSERA_HD bool operator()(bool a, bool b) const { return a || b; }
};

struct Neg {
  template <typename T>
  TESSERA_HD T operator()(T a) const {
    if constexpr (kWrapping<T>) {
      return WrapSub(T(0), a);
    } else {
      return -a;  // not 0 - a: Neg(0.0) is -0.0, as in TF
    }
  }
};
struct Square {
  template <typename T>
  TESSERA_HD T operator()(T a) const {
    return Mul()(a, a);
  }
};
struct Sqrt {
  template <typename T>
  TESSERA_HD T operator()(T a) const {
    return std::sqrt(a);
  }
};
struct Exp {
  template <typename T>
  TESSERA_HD T operator()(T a) const {
    return std::exp(a);
  }
};
struct Log {
  template <typename T>
  TESSERA_HD T operator()(T a) const {
    return std::log(a);
  }
};
struct Abs {
  template <typename T>
  TESSERA_HD T operator()(T a) const {
    return a < T(0) ? Neg()(a) : a;
  }
};
struct Tanh {
  template <typename T>
  TESSERA_HD T operator()(T a) const {
    return std::tanh(a);
  }
};
struct Sigmoid {
  // 1 / (1 + e^-x), written to stay finite for large |x|.
  template <typename T>
  TESSERA_HD T operator()(T a) const {
    if (a >= T(0)) return T(1) / (T(1) + std::exp(-a));
    T e = std::exp(a);
    return e / (T(1) + e);
  }
};
struct Relu {
  template <typename T>
  TESSERA_HD T operator()(T a) const {
    return a > T(0) ? a : T(0);
  }
};
// The activations' gradients, in TF's argument order.
struct ReluGrad {  // (dy, features): dy * (features > 0), so -2 * 0 is -0 and NaN stays
  template <typename T>
  TESSERA_HD T operator()(T dy, T x) const {
    return dy * T(x > T(0) ? 1 : 0);
  }
};
struct TanhGrad {  // (y, dy): dy * (1 - y^2)
  template <typename T>
  TESSERA_HD T operator()(T y, T dy) const {
    return dy * (T(1) - y * y);
  }
};
struct SigmoidGrad {  // (y, dy): dy * (y * (1 - y)), as Eigen's packet form
  template <typename T>
  TESSERA_HD T operator()(T y, T dy) const {
    return dy * (y * (T(1) - y));
  }
};
// -1, 0 or 1; NaN stays NaN and -0.0 gives 0 (TF's Sign).
struct Sign {
  template <typename T>
  TESSERA_HD T operator()(T a) const {
    if (a != a) return a;
    return static_cast<T>((a > T(0)) - (a < T(0)));
  }
};
struct Floor {
  template <typename T>
  TESSERA_HD T operator()(T a) const {
    return std::floor(a);
  }
};
struct Ceil {
  template <typename T>
  TESSERA_HD T operator()(T a) const {
    return std::ceil(a);
  }
};
// Half to even, as TF's Round (banker's rounding): rint in the default rounding mode.
struct Round {
  template <typename T>
  TESSERA_HD T operator()(T a) const {
    return std::rint(a);
  }
};
struct Rsqrt {
  template <typename T>
  TESSERA_HD T operator()(T a) const {
    return T(1) / std::sqrt(a);
  }
};
struct Reciprocal {
  template <typename T>
  TESSERA_HD T operator()(T a) const {
    return T(1) / a;
  }
};
struct LogicalNot {
  TESSERA_HD bool operator()(bool a) const { return !a; }
};
struct Log1p {  // log(1 + a), exact for small a
  template <typename T>
  TESSERA_HD T operator()(T a) const {
    return std::log1p(a);
  }
};

template <typename To>
struct Cast {
  template <typename From>
  TESSERA_HD To operator()(From a) const {
    if constexpr (std::is_same_v<To, bool>) {
      return a != From(0);
    } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
      // NaN and out-of-range values are undefined in C++; they give the
      // integer minimum, as TensorFlow's CPU kernels do (x86's "integer
      // indefinite"). (No std::numeric_limits: host-only in CUDA code.)
      using U = std::make_unsigned_t<To>;
      constexpr To kMin = static_cast<To>(static_cast<U>(1) << (sizeof(To) * 8 - 1));
      const From limit = -static_cast<From>(kMin);  // 2^31 or 2^63, exact in float and double
      if (a < limit && a > -limit - From(1)) return static_cast<To>(a);
      return kMin;
    } else {
      return static_cast<To>(a);
    }
  }
};

}  // namespace tessera::functor
