// MatMul's Eigen contraction, compiled once per x86-64 level: the library's
// own copy in its build's ISA (x86-64-v2 by default), and, in portable
// builds, modules beside libtessera.so in x86-64-v3 (AVX2, FMA) and v4
// (AVX-512), of which Contracts() loads the best this CPU runs. Each module
// keeps its Eigen code to itself (hidden symbols): the same templates in two
// ISAs must never be merged into one, or a v2 CPU would run AVX-512 code.
#pragma once

#include <string>

#include "src/framework/op_kernel.h"
#include "src/kernels/op_geometry.h"

namespace tessera {

using ContractFn = void (*)(OpKernelContext& ctx, const Tensor& a, const Tensor& b, bool ta, bool tb,
                            const MatMulDims& d, Tensor* out);

namespace cpu {

// Products of at least this many flops run in cancellable blocks of rows
// (about 10-50 ms of work each here).
inline constexpr double kMatMulCancellationFlops = double{1 << 28};

struct ContractTable {
  const char* version = "";  // the tessera version a module was built with
  const char* isa = "";      // "x86-64-v2", "x86-64-v3", "x86-64-v4" or "native"
  ContractFn f32 = nullptr, f64 = nullptr;
};

// The contraction MatMul uses (chosen once): the best module this CPU runs,
// else the library's own.
const ContractTable& Contracts();
// The library's own.
const ContractTable& BuiltinContracts();
// Loads the module for `level` ("x86-64-v3" or "x86-64-v4") from beside
// libtessera.so; an error says why not (not built, static library, missing
// file, CPU without the instructions, wrong version).
StatusOr<const ContractTable*> LoadContracts(const std::string& level);

}  // namespace cpu
}  // namespace tessera

// The one symbol of a module (libtessera_cpu_x86-64-v3.so ...).
extern "C" const tessera::cpu::ContractTable* tessera_cpu_contracts_v1();
