// The kinds of the op families whose kernels share one host half: which
// elementwise function, which reduction, which assignment. The host halves
// (src/kernels/*_ops.cc) pass them to the backends' math, and the CUDA
// launchers take them as they are, so this header stays plain C++17.
#pragma once

#include <cstdint>

namespace tessera {

enum class BinaryOp : uint8_t {
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMaximum,
  kMinimum,
  kPow,
  kEqual,
  kLess,
  kGreater,
  kNotEqual,
  kGreaterEqual,
  kLessEqual,
  kFloorDiv,
  kFloorMod,
  kLogicalAnd,
  kLogicalOr,
  // The activations' gradients (float only, same shapes): ReluGrad(dy, x),
  // TanhGrad(y, dy), SigmoidGrad(y, dy).
  kReluGrad,
  kTanhGrad,
  kSigmoidGrad,
  kCount
};
enum class UnaryOp : uint8_t {
  kNeg,
  kSquare,
  kSqrt,
  kExp,
  kLog,
  kAbs,
  kTanh,
  kSigmoid,
  kRelu,
  kSign,
  kFloor,
  kCeil,
  kRound,
  kRsqrt,
  kReciprocal,
  kLogicalNot,
  kLog1p,
  kCount
};
enum class ReduceOp : uint8_t { kSum, kMean, kMax, kMin, kProd, kAll, kAny, kCount };
enum class AssignOp : uint8_t { kAssign, kAdd, kSub, kCount };

inline constexpr int kNumBinaryOps = static_cast<int>(BinaryOp::kCount);
inline constexpr int kNumUnaryOps = static_cast<int>(UnaryOp::kCount);
inline constexpr int kNumReduceOps = static_cast<int>(ReduceOp::kCount);
inline constexpr int kNumAssignOps = static_cast<int>(AssignOp::kCount);

// The op names, indexed by kind ("Add", "Sqrt", "Sum", "AssignAdd").
const char* BinaryOpName(BinaryOp op);
const char* UnaryOpName(UnaryOp op);
const char* ReduceOpName(ReduceOp op);
const char* AssignOpName(AssignOp op);

}  // namespace tessera
