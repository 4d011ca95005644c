// What every binding file shares: Status to Python exceptions, tensors to and
// from numpy, and the Name of the Python code that builds a node.
#pragma once

#include <nanobind/nanobind.h>

#include <memory>
#include <string>
#include <vector>

#include "tessera/graph.h"
#include "tessera/name.h"
#include "tessera/ops.h"
#include "tessera/session.h"
#include "tessera/status.h"
#include "tessera/tensor.h"

namespace tessera::python {

namespace nb = nanobind;

// Raises the Python exception of `status`: a tessera.errors.OpError subclass
// chosen by its code (TF's tf.errors classes), carrying the message.
[[noreturn]] void RaiseStatus(const Status& status);
// Raises what TF raises for a failed graph construction: ValueError for
// InvalidArgument (bad shapes, dtypes, attributes), RuntimeError for a
// finalized graph, else the OpError of the code.
[[noreturn]] void RaiseConstructionError(const Status& status);

inline void ThrowIfError(const Status& s) {
  if (!s.ok()) RaiseStatus(s);
}
template <typename T>
T ValueOrThrow(StatusOr<T> s) {
  if (!s.ok()) RaiseStatus(s.status());
  return std::move(s).value();
}

// After a builder: an invalid result raises the graph's recorded error (and
// clears it, as the failed op was not added, so the graph stays usable, as
// in TF where the exception is the whole story).
void CheckBuilt(Graph& g, bool valid);
Output Built(Graph& g, Output out);
Operation Built(Graph& g, Operation op);

// A numpy array (any dtype tessera has, C-contiguous after np.ascontiguousarray
// on the Python side) copied into a new host tensor; TypeError for other dtypes.
Tensor TensorFromArray(nb::handle array);
// The tensor as a numpy array: a view of its buffer when nothing else holds
// it (the array keeps the tensor alive), else a copy; strings as bytes objects.
nb::object ArrayFromTensor(const Tensor& t);

// The Name a builder gets from Python: `text`, made at the innermost Python
// frame outside the tessera package (its file and line, for the placement
// log and records).
struct PyName {
  explicit PyName(std::string text);
  std::string text;
  const char* file = nullptr;
  int line = 0;
  // Construct the Name in the builder's argument list: it must live during the call.
  Name name() const { return Name(text, name_internal::Line(line), name_internal::File(file)); }
};

// A dtype number from Python (tessera's DataType values, as tessera._api.dtypes has them).
inline DataType DtypeOf(int d) { return static_cast<DataType>(d); }
// "NHWC" or "NCHW"; ValueError otherwise.
ops::DataFormat FormatOf(const std::string& f);

// The C++ session behind a Python Session (null once closed and released).
struct PySession {
  std::unique_ptr<Session> session;
  Session& get() const;  // CancelledError "Session has been closed." when there is none
};

// The tessera.errors module's helper, imported once.
nb::object ErrorsModule();

void BindGraph(nb::module_& m);
void BindOps(nb::module_& m);
void BindMoreOps(nb::module_& m);
void BindRawOps(nb::module_& m);
void BindSession(nb::module_& m);
void BindPersistence(nb::module_& m);

}  // namespace tessera::python
