// Dispatch on a runtime DataType to a template lambda:
//
//   Status s = SwitchNumericTypes(dt, [&]<typename T>() { Compute<T>(...); });
//
// Each returns Unimplemented for a dtype outside its set.
#pragma once

#include <cstdint>
#include <string>

#include "tessera/status.h"
#include "tessera/types.h"

namespace tessera {

namespace internal {
inline Status NoKernelForType(DataType dt, const char* set) {
  return UnimplementedError("dtype " + std::string(DataTypeString(dt)) + " is not supported here (supported: " + set +
                            ")");
}
}  // namespace internal

template <typename F>
Status SwitchFloatTypes(DataType dt, F&& f) {
  switch (dt) {
    case DataType::kFloat:
      f.template operator()<float>();
      return Status::OK();
    case DataType::kDouble:
      f.template operator()<double>();
      return Status::OK();
    default:
      return internal::NoKernelForType(dt, "float, double");
  }
}

template <typename F>
Status SwitchNumericTypes(DataType dt, F&& f) {
  switch (dt) {
    case DataType::kFloat:
      f.template operator()<float>();
      return Status::OK();
    case DataType::kDouble:
      f.template operator()<double>();
      return Status::OK();
    case DataType::kInt32:
      f.template operator()<int32_t>();
      return Status::OK();
    case DataType::kInt64:
      f.template operator()<int64_t>();
      return Status::OK();
    default:
      return internal::NoKernelForType(dt, "float, double, int32, int64");
  }
}

template <typename F>
Status SwitchAllTypes(DataType dt, F&& f) {
  if (dt == DataType::kBool) {
    f.template operator()<bool>();
    return Status::OK();
  }
  if (dt == DataType::kFloat || dt == DataType::kDouble || dt == DataType::kInt32 || dt == DataType::kInt64) {
    return SwitchNumericTypes(dt, std::forward<F>(f));
  }
  return internal::NoKernelForType(dt, "float, double, int32, int64, bool");
}

}  // namespace tessera
