// The extension module tessera._tessera: conversions shared by the bindings,
// and the module's entry point.
#include <nanobind/stl/string.h>

#include <cstring>
#include <mutex>
#include <set>
#include <string>

#include "python/src/common.h"
// After Python.h (which common.h includes through nanobind).
#include <frameobject.h>
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

using namespace nanobind::literals;

namespace tessera::python {

nb::object ErrorsModule() {
  static nb::object* module = new nb::object(nb::module_::import_("tessera.errors"));  // lives for the process
  return *module;
}

void RaiseStatus(const Status& status) {
  nb::object exc = ErrorsModule().attr("_from_status")(static_cast<int>(status.code()), status.message());
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
  throw nb::python_error();
}

void RaiseConstructionError(const Status& status) {
  if (status.code() == Code::kInvalidArgument) throw nb::value_error(status.message().c_str());
  if (status.code() == Code::kFailedPrecondition) {
    PyErr_SetString(PyExc_RuntimeError, status.message().c_str());
    throw nb::python_error();
  }
  RaiseStatus(status);
}

ops::DataFormat FormatOf(const std::string& f) {
  if (f == "NHWC") return ops::DataFormat::kNHWC;
  if (f == "NCHW") return ops::DataFormat::kNCHW;
  throw nb::value_error(("data_format must be 'NHWC' or 'NCHW', not '" + f + "'").c_str());
}

void CheckBuilt(Graph& g, bool valid) {
  if (valid && !g.has_error()) return;
  Status s = g.ResetStatus();
  if (s.ok()) s = InternalError("an op builder failed without recording an error");
  RaiseConstructionError(s);
}

Output Built(Graph& g, Output out) {
  CheckBuilt(g, out.valid());
  return out;
}

Operation Built(Graph& g, Operation op) {
  CheckBuilt(g, op.valid());
  return op;
}

namespace {

std::vector<int64_t> ShapeOf(nb::handle array) {
  std::vector<int64_t> dims;
  for (nb::handle d : array.attr("shape")) dims.push_back(nb::cast<int64_t>(d));
  return dims;
}

Tensor StringTensorFromArray(nb::handle array) {
  TensorShape shape = ValueOrThrow(TensorShape::Make(ShapeOf(array)));
  Tensor t = ValueOrThrow(Tensor::Create(DataType::kString, shape));
  std::span<std::string> out = t.flat<std::string>();
  nb::object flat = array.attr("ravel")();
  size_t i = 0;
  for (nb::handle item : flat) {
    if (PyBytes_Check(item.ptr())) {
      out[i++] = std::string(PyBytes_AsString(item.ptr()), static_cast<size_t>(PyBytes_Size(item.ptr())));
    } else if (PyUnicode_Check(item.ptr())) {
      Py_ssize_t n = 0;
      const char* s = PyUnicode_AsUTF8AndSize(item.ptr(), &n);
      if (s == nullptr) throw nb::python_error();
      out[i++] = std::string(s, static_cast<size_t>(n));
    } else {
      throw nb::type_error("a string tensor takes bytes or str elements");
    }
  }
  return t;
}

}  // namespace

// The tessera dtype of a buffer's struct format and item size ("f" 4 is float32...).
DataType DtypeOfBuffer(const Py_buffer& view) {
  std::string f = view.format == nullptr ? "B" : view.format;
  if (!f.empty() && (f[0] == '<' || f[0] == '=' || f[0] == '@' || f[0] == '!' || f[0] == '>')) f = f.substr(1);
  const Py_ssize_t n = view.itemsize;
  if (f == "f" && n == 4) return DataType::kFloat;
  if (f == "d" && n == 8) return DataType::kDouble;
  if (f == "e" && n == 2) return DataType::kHalf;
  if (f == "?" && n == 1) return DataType::kBool;
  if ((f == "i" || f == "l" || f == "q") && n == 4) return DataType::kInt32;
  if ((f == "i" || f == "l" || f == "q") && n == 8) return DataType::kInt64;
  return DataType::kInvalid;
}

Tensor TensorFromArray(nb::handle array) {
  Py_buffer view;
  if (PyObject_GetBuffer(array.ptr(), &view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) != 0) {
    // numpy exports no buffer for object arrays (and none for strings as tessera wants them).
    PyErr_Clear();
    const std::string kind = nb::cast<std::string>(array.attr("dtype").attr("kind"));
    if (kind == "O" || kind == "S" || kind == "U") return StringTensorFromArray(array);
    nb::object contiguous = nb::module_::import_("numpy").attr("ascontiguousarray")(array);
    return TensorFromArray(contiguous);
  } else if (view.format != nullptr &&
             (std::strchr(view.format, 'S') != nullptr || std::strchr(view.format, 'w') != nullptr ||
              std::strchr(view.format, 'O') != nullptr)) {
    PyBuffer_Release(&view);
    return StringTensorFromArray(array);
  }
  const DataType dtype = DtypeOfBuffer(view);
  std::vector<int64_t> dims(static_cast<size_t>(view.ndim));
  for (int i = 0; i < view.ndim; ++i) dims[static_cast<size_t>(i)] = view.shape[i];
  if (dtype == DataType::kInvalid) {
    PyBuffer_Release(&view);
    const std::string name = nb::cast<std::string>(nb::str(array.attr("dtype")));
    throw nb::type_error(
        ("numpy dtype " + name + " has no tessera dtype (float32, float64, int32, int64, bool, float16, string)")
            .c_str());
  }
  StatusOr<TensorShape> shape = TensorShape::Make(dims);
  StatusOr<Tensor> t = shape.ok() ? Tensor::Create(dtype, *shape) : StatusOr<Tensor>(shape.status());
  if (t.ok() && t->bytes() > 0) std::memcpy(t->raw_data(), view.buf, t->bytes());
  PyBuffer_Release(&view);
  return ValueOrThrow(std::move(t));
}

namespace {

int NumpyTypeOf(DataType dt) {
  switch (dt) {
    case DataType::kFloat:
      return NPY_FLOAT32;
    case DataType::kDouble:
      return NPY_FLOAT64;
    case DataType::kInt32:
      return NPY_INT32;
    case DataType::kInt64:
      return NPY_INT64;
    case DataType::kBool:
      return NPY_BOOL;
    case DataType::kHalf:
      return NPY_FLOAT16;
    default:
      return -1;
  }
}

nb::object StringArrayFromTensor(const Tensor& t) {
  std::vector<npy_intp> dims(static_cast<size_t>(t.rank()));
  for (int i = 0; i < t.rank(); ++i) dims[static_cast<size_t>(i)] = static_cast<npy_intp>(t.dim(i));
  nb::object arr = nb::steal(PyArray_SimpleNew(t.rank(), dims.data(), NPY_OBJECT));
  if (!arr.is_valid()) throw nb::python_error();
  auto** items = static_cast<PyObject**>(PyArray_DATA(reinterpret_cast<PyArrayObject*>(arr.ptr())));
  size_t i = 0;
  for (const std::string& s : t.flat<std::string>()) {
    PyObject* b = PyBytes_FromStringAndSize(s.data(), static_cast<Py_ssize_t>(s.size()));
    if (b == nullptr) throw nb::python_error();
    Py_XSETREF(items[i], b);  // a macro: the index must not have side effects
    ++i;
  }
  return arr;
}

}  // namespace

nb::object ArrayFromTensor(const Tensor& t) {
  if (!t.valid()) return nb::none();
  if (t.dtype() == DataType::kString) return StringArrayFromTensor(t);
  const int type = NumpyTypeOf(t.dtype());
  if (type < 0) throw nb::type_error("a tensor of a dtype numpy does not have (bfloat16)");
  npy_intp dims[kMaxRank];
  for (int i = 0; i < t.rank(); ++i) dims[i] = static_cast<npy_intp>(t.dim(i));
  // A buffer someone else holds too (a variable's value, a constant) is
  // copied: writing into the array must never change them.
  const bool shared = t.buffer() && t.buffer().use_count() > 1;
  auto* owner = new Tensor(shared ? t.Clone() : t);
  PyObject* cap =
      PyCapsule_New(owner, nullptr, [](PyObject* c) { delete static_cast<Tensor*>(PyCapsule_GetPointer(c, nullptr)); });
  if (cap == nullptr) {
    delete owner;
    throw nb::python_error();
  }
  PyObject* arr = PyArray_SimpleNewFromData(t.rank(), dims, type, owner->raw_data());
  if (arr == nullptr || PyArray_SetBaseObject(reinterpret_cast<PyArrayObject*>(arr), cap) != 0) {
    Py_XDECREF(arr);
    Py_DECREF(cap);
    throw nb::python_error();
  }
  // A scalar comes back as numpy's scalar (np.float32(1.0)), as TF's run returns it.
  return nb::steal(PyArray_Return(reinterpret_cast<PyArrayObject*>(arr)));
}

namespace {

std::string PackageDir() {
  nb::object pkg = nb::module_::import_("tessera");
  return nb::cast<std::string>(nb::list(pkg.attr("__path__"))[0]);
}

const char* InternFile(const std::string& path) {
  static std::mutex mu;
  static auto* files = new std::set<std::string>();  // node locations point here for the process's life
  std::lock_guard<std::mutex> lock(mu);
  return files->insert(path).first->c_str();
}

}  // namespace

PyName::PyName(std::string t) : text(std::move(t)) {
  static const std::string kPackage = PackageDir();
  PyFrameObject* frame = PyEval_GetFrame();  // borrowed
  Py_XINCREF(frame);
  while (frame != nullptr) {
    PyCodeObject* code = PyFrame_GetCode(frame);
    const char* name = PyUnicode_AsUTF8(code->co_filename);
    const bool ours = name == nullptr || std::strncmp(name, kPackage.c_str(), kPackage.size()) == 0;
    if (!ours) {
      file = InternFile(name);
      line = PyFrame_GetLineNumber(frame);
    }
    Py_DECREF(code);
    if (!ours) break;
    PyFrameObject* back = PyFrame_GetBack(frame);
    Py_DECREF(frame);
    frame = back;
  }
  Py_XDECREF(frame);
  if (PyErr_Occurred()) PyErr_Clear();
}

}  // namespace tessera::python

NB_MODULE(_tessera, m) {
  using namespace tessera::python;
  m.doc() = "tessera's C++ runtime; the Python API is tessera.compat.v1";
  // Graphs and sessions held by module globals (the default graph) at exit
  // are not leaks; reference counting is tested with tracemalloc and RSS.
  nb::set_leak_warnings(false);
  if (_import_array() < 0) throw nb::python_error();
  BindGraph(m);
  BindOps(m);
  BindMoreOps(m);
  BindRawOps(m);
  BindSession(m);
  BindPersistence(m);
}
