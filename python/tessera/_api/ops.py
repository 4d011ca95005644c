"""TF1's op functions (tf.add, tf.matmul, tf.nn.relu, ...) over tessera's C++ builders.

Each function converts its arguments as TF does (Python values become
constants of the expected dtype) and calls the builder; a builder's error
raises (ValueError for bad shapes, dtypes and attributes, as in TF).
"""

import numbers

import numpy as np

from tessera import _tessera as _C
from tessera._api import dtypes
from tessera._api.framework import Operation, Tensor, get_default_graph


def _wrap(graph, out):
    return graph._tensor(out)


def _infer_numpy(value, dtype):
    """The numpy array TF makes of a Python value: floats are float32, ints int32."""
    if dtype is not None:
        np_type = dtype.as_numpy_dtype
        arr = np.asarray(value) if not isinstance(value, np.ndarray) else value
        if arr.dtype.kind == "f" and dtype.is_integer:
            if not np.all(np.isfinite(arr)) or not np.all(np.equal(np.mod(arr, 1), 0)):
                raise TypeError("Expected %s, got %r of type '%s' instead." %
                                (dtype.name, value, type(value).__name__))
        if arr.dtype.kind in ("f", "i", "u", "b") and dtype is dtypes.string:
            raise TypeError("Expected string, got %r of type '%s' instead." % (value, type(value).__name__))
        if arr.dtype.kind in ("S", "U", "O") and dtype is not dtypes.string:
            raise TypeError("Expected %s, got %r of type '%s' instead." % (dtype.name, value, type(value).__name__))
        if dtype is dtypes.string:
            return np.asarray(value, dtype=object)
        return np.asarray(arr, dtype=np_type, order="C")
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        arr = np.asarray(value)
        if arr.dtype.kind in ("S", "U"):
            return arr.astype(object)
        dtypes.as_dtype(arr.dtype)  # raises for dtypes tessera lacks
        return np.asarray(arr, order="C")
    arr = np.asarray(value)
    kind = arr.dtype.kind
    if kind == "f":
        return arr.astype(np.float32)
    if kind in ("i", "u"):
        if arr.size and (arr.max() > np.iinfo(np.int32).max or arr.min() < np.iinfo(np.int32).min):
            return arr.astype(np.int64)
        return arr.astype(np.int32)
    if kind == "b":
        return arr
    if kind in ("S", "U", "O"):
        if kind == "O" and not all(isinstance(x, (str, bytes)) for x in arr.ravel()):
            raise TypeError("Failed to convert object of type %s to Tensor. Contents: %r. Consider casting "
                            "elements to a supported type." % (type(value).__name__, value))
        return arr.astype(object)
    raise TypeError("Failed to convert object of type %s to Tensor. Contents: %r." % (type(value).__name__, value))


def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None, dtype_hint=None):
    """A Tensor for `value`: a Tensor or Variable as it is, anything else a constant."""
    from tessera._api.variables import Variable  # noqa: PLC0415
    dtype = None if dtype is None else dtypes.as_dtype(dtype)
    if isinstance(value, Variable):
        value = value.value()
    if isinstance(value, Tensor):
        if dtype is not None and value.dtype is not dtype:
            raise ValueError("Tensor conversion requested dtype %s for Tensor with dtype %s: %r" %
                             (dtype.name, value.dtype.name, value))
        return value
    if isinstance(value, Operation):
        raise TypeError("Can't convert Operation '%s' to Tensor (target dtype=%s, name=%s, as_ref=False)" %
                        (value.name, dtype, name))
    if dtype is None and (preferred_dtype or dtype_hint) is not None:
        try:
            return constant(value, dtype=preferred_dtype or dtype_hint, name=name or "Const")
        except (TypeError, ValueError):
            pass
    return constant(value, dtype=dtype, name=name or "Const")


def _convert_list(values, dtype=None):
    tensors = []
    for v in values:
        if isinstance(v, (Tensor,)) or hasattr(v, "_as_tensor"):
            tensors.append(convert_to_tensor(v))
    if dtype is None and tensors:
        dtype = tensors[0].dtype
    return [convert_to_tensor(v, dtype=dtype) for v in values]


def constant(value, dtype=None, shape=None, name="Const", verify_shape=False):
    """tf.constant: a Const node; `shape` reshapes or fills (a scalar or one value)."""
    dtype = None if dtype is None else dtypes.as_dtype(dtype)
    arr = _infer_numpy(value, dtype)
    if shape is not None:
        shape = [int(d) for d in (shape if isinstance(shape, (list, tuple)) else list(shape))]
        if arr.size == 1:
            arr = np.full(shape, arr.reshape(()), dtype=arr.dtype)
        elif arr.size == int(np.prod(shape)):
            if verify_shape and list(arr.shape) != shape:
                raise TypeError("Expected Tensor's shape: %s, got %s." % (tuple(shape), arr.shape))
            arr = arr.reshape(shape)
        else:
            raise TypeError("Eager execution of tf.constant with unsupported shape. Tensor %r (converted from %r) "
                            "has %d elements, but got `shape` %s with %d elements)." %
                            (value, value, arr.size, tuple(shape), int(np.prod(shape))))
    g = get_default_graph()
    return _wrap(g, _C.Const(g._g, arr, name or "Const"))


def placeholder(dtype, shape=None, name=None):
    """tf.placeholder: a value that must be fed."""
    dtype = dtypes.as_dtype(dtype)
    if shape is not None:
        shape = [-1 if d is None else int(d) for d in shape]
    g = get_default_graph()
    return _wrap(g, _C.Placeholder(g._g, dtype._value, shape, name or ""))


def placeholder_with_default(input, shape, name=None):  # noqa: A002 (TF's name)
    x = convert_to_tensor(input)
    shape = None if shape is None else [-1 if d is None else int(d) for d in shape]
    return _wrap(x.graph, _C.PlaceholderWithDefault(x.graph._g, x._out, shape, name or ""))


# ---- element-wise

def _unary(cpp, default_name=""):
    def op(x, name=None):
        x = convert_to_tensor(x)
        return _wrap(x.graph, cpp(x.graph._g, x._out, name or default_name))
    return op


def _binary_pair(x, y, op_type="binary"):
    """Converts x and y as TF's binary ops do: a Python value takes the tensor's dtype."""
    if isinstance(x, Tensor) or hasattr(x, "_as_tensor"):
        x = convert_to_tensor(x)
        y = convert_to_tensor(y, dtype=x.dtype) if not _is_tensor_like(y) else convert_to_tensor(y)
    elif _is_tensor_like(y):
        y = convert_to_tensor(y)
        x = convert_to_tensor(x, dtype=y.dtype)
    else:
        x = convert_to_tensor(x)
        y = convert_to_tensor(y, dtype=x.dtype)
    if x.dtype is not y.dtype:
        raise TypeError("Input 'y' of '%s' Op has type %s that does not match type %s of argument 'x'." %
                        (op_type, y.dtype.name, x.dtype.name))
    return x, y


def _is_tensor_like(v):
    return isinstance(v, Tensor) or hasattr(v, "_as_tensor")


def _binary(cpp, op_type, default_name=""):
    def op(x, y, name=None):
        x, y = _binary_pair(x, y, op_type)
        return _wrap(x.graph, cpp(x.graph._g, x._out, y._out, name or default_name))
    return op


add = _binary(_C.Add, "AddV2")
subtract = _binary(_C.Sub, "Sub")
multiply = _binary(_C.Mul, "Mul")
realdiv = _binary(_C.RealDiv, "RealDiv")
maximum = _binary(_C.Maximum, "Maximum")
minimum = _binary(_C.Minimum, "Minimum")
pow = _binary(_C.Pow, "Pow")  # noqa: A001 (TF's name)
floordiv = _binary(_C.FloorDiv, "FloorDiv")
floormod = _binary(_C.FloorMod, "FloorMod")
mod = floormod
equal = _binary(_C.Equal, "Equal")
not_equal = _binary(_C.NotEqual, "NotEqual")
less = _binary(_C.Less, "Less")
less_equal = _binary(_C.LessEqual, "LessEqual")
greater = _binary(_C.Greater, "Greater")
greater_equal = _binary(_C.GreaterEqual, "GreaterEqual")
logical_and = _binary(_C.LogicalAnd, "LogicalAnd")
logical_or = _binary(_C.LogicalOr, "LogicalOr")

negative = _unary(_C.Neg)
square = _unary(_C.Square)
sqrt = _unary(_C.Sqrt)
exp = _unary(_C.Exp)
log = _unary(_C.Log)
log1p = _unary(_C.Log1p)
abs = _unary(_C.Abs)  # noqa: A001
tanh = _unary(_C.Tanh)
sigmoid = _unary(_C.Sigmoid)
relu = _unary(_C.Relu)
sign = _unary(_C.Sign)
floor = _unary(_C.Floor)
ceil = _unary(_C.Ceil)
round = _unary(_C.Round)  # noqa: A001
rsqrt = _unary(_C.Rsqrt)
reciprocal = _unary(_C.Reciprocal)
stop_gradient = _unary(_C.StopGradient)
logical_not = _unary(_C.LogicalNot)
identity = _unary(_C.Identity)
l2_loss = _unary(_C.L2Loss)
rank = _unary(_C.Rank)


def squared_difference(x, y, name=None):
    x, y = _binary_pair(x, y)
    d = subtract(x, y)
    return square(d, name=name or "SquaredDifference")


def _true_div_pair(x, y):
    x, y = _binary_pair(x, y)
    if x.dtype.is_integer:  # TF casts int32/int64 to float64 for true division
        x, y = cast(x, dtypes.float64), cast(y, dtypes.float64)
    return x, y


def truediv(x, y, name=None):
    x, y = _true_div_pair(x, y)
    return _wrap(x.graph, _C.RealDiv(x.graph._g, x._out, y._out, name or "truediv"))


def divide(x, y, name=None):
    return truediv(x, y, name=name or "truediv")


def div(x, y, name=None):
    """TF1's tf.div: true division for floating types, floor division for integers."""
    x, y = _binary_pair(x, y)
    if x.dtype.is_integer:
        return _wrap(x.graph, _C.FloorDiv(x.graph._g, x._out, y._out, name or "div"))
    return _wrap(x.graph, _C.RealDiv(x.graph._g, x._out, y._out, name or "div"))


def cast(x, dtype, name=None):
    x = convert_to_tensor(x)
    dtype = dtypes.as_dtype(dtype)
    if x.dtype is dtype:
        return x
    return _wrap(x.graph, _C.Cast(x.graph._g, x._out, dtype._value, name or "Cast"))


def to_float(x, name="ToFloat"):
    return cast(x, dtypes.float32, name=name)


def to_double(x, name="ToDouble"):
    return cast(x, dtypes.float64, name=name)


def to_int32(x, name="ToInt32"):
    return cast(x, dtypes.int32, name=name)


def to_int64(x, name="ToInt64"):
    return cast(x, dtypes.int64, name=name)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    t = convert_to_tensor(t)
    lo = convert_to_tensor(clip_value_min, dtype=t.dtype)
    hi = convert_to_tensor(clip_value_max, dtype=t.dtype)
    return _wrap(t.graph, _C.ClipByValue(t.graph._g, t._out, lo._out, hi._out, name or ""))


def where(condition, x=None, y=None, name=None):
    """TF1's tf.where: Select(condition, x, y), or the true coordinates (Where) without x and y."""
    condition = convert_to_tensor(condition)
    if x is None and y is None:
        return _wrap(condition.graph, _C.Where(condition.graph._g, condition._out, name or ""))
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    x, y = _binary_pair(x, y)
    return _wrap(x.graph, _C.Select(x.graph._g, condition._out, x._out, y._out, name or ""))


def where_v2(condition, x=None, y=None, name=None):
    condition = convert_to_tensor(condition)
    if x is None and y is None:
        return _wrap(condition.graph, _C.Where(condition.graph._g, condition._out, name or ""))
    x, y = _binary_pair(x, y)
    return _wrap(x.graph, _C.SelectV2(x.graph._g, condition._out, x._out, y._out, name or ""))


def add_n(inputs, name=None):
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("inputs must be an iterable of at least one Tensor/IndexedSlices with the same dtype "
                         "and shape")
    xs = _convert_list(inputs)
    if len(xs) == 1:
        return identity(xs[0], name=name) if name else xs[0]
    return _wrap(xs[0].graph, _C.AddN(xs[0].graph._g, [x._out for x in xs], name or ""))


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False, a_is_sparse=False,
           b_is_sparse=False, name=None, output_type=None):
    a, b = _binary_pair(a, b)
    return _wrap(a.graph, _C.MatMul(a.graph._g, a._out, b._out, bool(transpose_a or adjoint_a),
                                    bool(transpose_b or adjoint_b), name or ""))


# ---- reductions

def _axes(axis, reduction_indices, axis_name="axis"):
    if axis is not None and reduction_indices is not None:
        raise ValueError("Cannot specify both 'axis' and 'reduction_indices'.")
    if axis is None:
        axis = reduction_indices
    return axis


def _reduce(cpp, along=None):
    def op(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
        x = convert_to_tensor(input_tensor)
        axis = _axes(axis, reduction_indices)
        keep = bool(keepdims if keepdims is not None else (keep_dims or False))
        if isinstance(axis, Tensor):
            if along is None:
                raise TypeError("tessera's %s takes its axes as Python integers, not a Tensor" % cpp.__name__)
            return _wrap(x.graph, along(x.graph._g, x._out, axis._out, keep, name or ""))
        axes = [] if axis is None else ([int(axis)] if isinstance(axis, numbers.Integral) else [int(a) for a in axis])
        if axis is not None and not axes:  # axis=[] reduces nothing
            return identity(x, name=name)
        return _wrap(x.graph, cpp(x.graph._g, x._out, axes, keep, name or ""))
    return op


reduce_sum = _reduce(_C.Sum, _C.SumAlong)
reduce_mean = _reduce(_C.Mean, _C.MeanAlong)
reduce_max = _reduce(_C.Max)
reduce_min = _reduce(_C.Min)
reduce_prod = _reduce(_C.Prod)
reduce_all = _reduce(_C.All)
reduce_any = _reduce(_C.Any)


def _arg(is_min):
    def op(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):  # noqa: A002
        x = convert_to_tensor(input)
        if axis is None:
            axis = 0 if dimension is None else dimension
        return _wrap(x.graph, _C.ArgMax(x.graph._g, x._out, int(axis), dtypes.as_dtype(output_type)._value, is_min,
                                        name or ""))
    return op


argmax = _arg(False)
argmin = _arg(True)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    x = convert_to_tensor(x)
    return _wrap(x.graph, _C.Cumulative(x.graph._g, x._out, int(axis), exclusive, reverse, False, name or ""))


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    x = convert_to_tensor(x)
    return _wrap(x.graph, _C.Cumulative(x.graph._g, x._out, int(axis), exclusive, reverse, True, name or ""))


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    data = convert_to_tensor(data)
    ids = convert_to_tensor(segment_ids)
    num = convert_to_tensor(num_segments, dtype=ids.dtype) if not isinstance(num_segments, Tensor) else num_segments
    return _wrap(data.graph, _C.UnsortedSegmentSum(data.graph._g, data._out, ids._out, num._out, name or ""))
