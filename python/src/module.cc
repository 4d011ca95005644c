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

struct NumpyType {
  DataType dtype;
  uint8_t code;
  uint8_t bits;
};
constexpr NumpyType kNumpyTypes[] = {
    {DataType::kFloat, static_cast<uint8_t>(nb::dlpack::dtype_code::Float), 32},
    {DataType::kDouble, static_cast<uint8_t>(nb::dlpack::dtype_code::Float), 64},
    {DataType::kInt32, static_cast<uint8_t>(nb::dlpack::dtype_code::Int), 32},
    {DataType::kInt64, static_cast<uint8_t>(nb::dlpack::dtype_code::Int), 64},
    {DataType::kBool, static_cast<uint8_t>(nb::dlpack::dtype_code::Bool), 8},
    {DataType::kHalf, static_cast<uint8_t>(nb::dlpack::dtype_code::Float), 16},
    {DataType::kBFloat16, static_cast<uint8_t>(nb::dlpack::dtype_code::Bfloat), 16},
};

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
    if (PyObject_GetBuffer(array.ptr(), &view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) != 0) throw nb::python_error();
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

nb::object ArrayFromTensor(const Tensor& t) {
  if (!t.valid()) return nb::none();
  std::vector<size_t> shape(static_cast<size_t>(t.rank()));
  for (int i = 0; i < t.rank(); ++i) shape[static_cast<size_t>(i)] = static_cast<size_t>(t.dim(i));
  if (t.dtype() == DataType::kString) {
    nb::module_ np = nb::module_::import_("numpy");
    nb::list items;
    for (const std::string& s : t.flat<std::string>()) items.append(nb::bytes(s.data(), s.size()));
    nb::object arr = np.attr("array")(items, "dtype"_a = "object");
    nb::list dims;
    for (size_t d : shape) dims.append(d);
    return arr.attr("reshape")(nb::tuple(dims));
  }
  const NumpyType* match = nullptr;
  for (const NumpyType& n : kNumpyTypes) {
    if (n.dtype == t.dtype()) match = &n;
  }
  if (match == nullptr) throw nb::type_error("a tensor of an unknown dtype");
  // A buffer someone else holds too (a variable's value, a constant) is
  // copied: writing into the array must never change them.
  const bool shared = t.buffer() && t.buffer().use_count() > 1;
  Tensor* owner = new Tensor(shared ? t.Clone() : t);
  nb::capsule cap(owner, [](void* p) noexcept { delete static_cast<Tensor*>(p); });
  nb::dlpack::dtype dt{match->code, match->bits, 1};
  nb::ndarray<nb::numpy> arr(owner->raw_data(), shape.size(), shape.data(), cap, nullptr, dt);
  return nb::cast(arr, nb::rv_policy::reference);
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
  BindGraph(m);
  BindOps(m);
  BindMoreOps(m);
  BindSession(m);
  BindPersistence(m);
}
