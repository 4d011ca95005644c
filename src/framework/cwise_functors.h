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

struct Add {
  template <typename T>
  TESSERA_HD T operator()(T a, T b) const {
    return a + b;
  }
};
struct Sub {
  template <typename T>
  TESSERA_HD T operator()(T a, T b) const {
    return a - b;
  }
};
struct Mul {
  template <typename T>
  TESSERA_HD T operator()(T a, T b) const {
    return a * b;
  }
};
// Integer division truncates toward zero (C++); callers reject a zero divisor first.
struct Div {
  template <typename T>
  TESSERA_HD T operator()(T a, T b) const {
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
        if (e & 1) result *= base;
        base *= base;
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

struct Neg {
  template <typename T>
  TESSERA_HD T operator()(T a) const {
    return -a;
  }
};
struct Square {
  template <typename T>
  TESSERA_HD T operator()(T a) const {
    return a * a;
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
    return a < T(0) ? -a : a;
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

template <typename To>
struct Cast {
  template <typename From>
  TESSERA_HD To operator()(From a) const {
    if constexpr (std::is_same_v<To, bool>)
      return a != From(0);
    else
      return static_cast<To>(a);
  }
};

}  // namespace tessera::functor
