"""TF1's shape, layout, source and random ops (tf.reshape, tf.zeros, tf.random_normal...)."""

import builtins
import numbers

import numpy as np

from tessera import _tessera as _C
from tessera._api import dtypes
from tessera._api.framework import Operation, Tensor, _as_operation, get_default_graph
from tessera._api.ops import _convert_list, _wrap, cast, constant, convert_to_tensor


def _int_list(v, what):
    if isinstance(v, numbers.Integral):
        return [int(v)]
    try:
        return [int(x) for x in v]
    except TypeError:
        raise TypeError("%s must be a list of Python integers, got %r" % (what, v)) from None


def _shape_tensor(shape):
    if isinstance(shape, Tensor):
        return shape
    dims = _int_list(shape, "shape") if not isinstance(shape, numbers.Integral) else [int(shape)]
    big = any(d > np.iinfo(np.int32).max for d in dims)
    return constant(np.asarray(dims, dtype=np.int64 if big else np.int32), name="shape")


def reshape(tensor, shape, name=None):
    x = convert_to_tensor(tensor)
    s = _shape_tensor(shape) if not isinstance(shape, Tensor) else shape
    return _wrap(x.graph, _C.Reshape(x.graph._g, x._out, s._out, name or ""))


def transpose(a, perm=None, name="transpose", conjugate=False):
    x = convert_to_tensor(a)
    return _wrap(x.graph, _C.Transpose(x.graph._g, x._out, [] if perm is None else _int_list(perm, "perm"),
                                       name or "transpose"))


def shape(input, name=None, out_type=dtypes.int32):  # noqa: A002 (TF's names)
    x = convert_to_tensor(input)
    return _wrap(x.graph, _C.Shape(x.graph._g, x._out, dtypes.as_dtype(out_type)._value, False, name or ""))


def size(input, name=None, out_type=dtypes.int32):  # noqa: A002
    x = convert_to_tensor(input)
    return _wrap(x.graph, _C.Shape(x.graph._g, x._out, dtypes.as_dtype(out_type)._value, True, name or ""))


def fill(dims, value, name=None):
    d = _shape_tensor(dims)
    v = convert_to_tensor(value)
    return _wrap(v.graph, _C.Fill(v.graph._g, d._out, v._out, name or ""))


def zeros(shape, dtype=dtypes.float32, name=None):
    g = get_default_graph()
    return _wrap(g, _C.Filled(g._g, _int_list(shape, "shape"), dtypes.as_dtype(dtype)._value, False, name or ""))


def ones(shape, dtype=dtypes.float32, name=None):
    g = get_default_graph()
    return _wrap(g, _C.Filled(g._g, _int_list(shape, "shape"), dtypes.as_dtype(dtype)._value, True, name or ""))


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    x = convert_to_tensor(tensor)
    out = _wrap(x.graph, _C.ZerosLike(x.graph._g, x._out, name or ""))
    return out if dtype is None else cast(out, dtype)


def ones_like(tensor, dtype=None, name=None, optimize=True):
    x = convert_to_tensor(tensor)
    out = _wrap(x.graph, _C.OnesLike(x.graph._g, x._out, name or ""))
    return out if dtype is None else cast(out, dtype)


def concat(values, axis, name="concat"):
    xs = _convert_list(values)
    if len(xs) == 1:
        return xs[0]
    return _wrap(xs[0].graph, _C.Concat(xs[0].graph._g, [x._out for x in xs], int(axis), name or "concat"))


def expand_dims(input, axis=None, name=None, dim=None):  # noqa: A002
    x = convert_to_tensor(input)
    axis = dim if axis is None else axis
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    return _wrap(x.graph, _C.ExpandDims(x.graph._g, x._out, int(axis), name or ""))


def squeeze(input, axis=None, name=None, squeeze_dims=None):  # noqa: A002
    x = convert_to_tensor(input)
    axis = squeeze_dims if axis is None else axis
    return _wrap(x.graph, _C.Squeeze(x.graph._g, x._out, [] if axis is None else _int_list(axis, "axis"), name or ""))


def stack(values, axis=0, name="stack"):
    xs = _convert_list(values)
    return _wrap(xs[0].graph, _C.Stack(xs[0].graph._g, [x._out for x in xs], int(axis), name or "stack"))


def unstack(value, num=None, axis=0, name="unstack"):
    x = convert_to_tensor(value)
    return [_wrap(x.graph, o) for o in _C.Unstack(x.graph._g, x._out, int(axis), name or "unstack")]


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    x = convert_to_tensor(value)
    if isinstance(num_or_size_splits, numbers.Integral):
        outs = _C.Split(x.graph._g, x._out, int(num_or_size_splits), [], int(axis), name or "split")
    else:
        outs = _C.Split(x.graph._g, x._out, None, _int_list(num_or_size_splits, "num_or_size_splits"), int(axis),
                        name or "split")
    return [_wrap(x.graph, o) for o in outs]


def tile(input, multiples, name=None):  # noqa: A002
    x = convert_to_tensor(input)
    return _wrap(x.graph, _C.Tile(x.graph._g, x._out, _int_list(multiples, "multiples"), name or ""))


def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0):
    if mode.upper() != "CONSTANT":
        raise ValueError("tessera's tf.pad supports mode 'CONSTANT' only, not %r" % mode)
    x = convert_to_tensor(tensor)
    pairs = [(int(a), int(b)) for a, b in paddings]
    value = None if constant_values == 0 else np.asarray(constant_values, dtype=x.dtype.as_numpy_dtype)
    return _wrap(x.graph, _C.Pad(x.graph._g, x._out, pairs, value, name or ""))


def slice(input_, begin, size, name=None):  # noqa: A001
    x = convert_to_tensor(input_)
    return _wrap(x.graph, _C.Slice(x.graph._g, x._out, _int_list(begin, "begin"), _int_list(size, "size"),
                                   name or ""))


def gather(params, indices, validate_indices=None, name=None, axis=None, batch_dims=0):
    p = convert_to_tensor(params)
    i = convert_to_tensor(indices)
    return _wrap(p.graph, _C.Gather(p.graph._g, p._out, i._out, 0 if axis is None else int(axis), name or ""))


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    i = convert_to_tensor(indices)
    dtype = dtypes.as_dtype(dtype) if dtype is not None else (
        convert_to_tensor(on_value).dtype if isinstance(on_value, Tensor) else dtypes.float32)
    np_type = dtype.as_numpy_dtype
    on = np.asarray(1 if on_value is None else on_value, dtype=np_type)
    off = np.asarray(0 if off_value is None else off_value, dtype=np_type)
    return _wrap(i.graph, _C.OneHot(i.graph._g, i._out, int(depth), on, off, -1 if axis is None else int(axis),
                                    name or ""))


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001
    if limit is None:
        start, limit = 0, start
    values = [start, limit, delta]
    if dtype is None:
        tensors = [v for v in values if isinstance(v, Tensor)]
        if tensors:
            dtype = tensors[0].dtype
        elif any(isinstance(v, float) for v in values):
            dtype = dtypes.float32
        else:
            dtype = dtypes.int32
    dtype = dtypes.as_dtype(dtype)
    s, lim, d = (convert_to_tensor(v, dtype=dtype, name=n) for v, n in zip(values, ("start", "limit", "delta")))
    return _wrap(s.graph, _C.Range(s.graph._g, s._out, lim._out, d._out, name or "range"))


def strided_slice_spec(key):
    """x[key] as tessera's slice entries: (kind, begin, end, step)."""
    if not isinstance(key, tuple):
        key = (key,)
    entries = []
    for k in key:
        if k is Ellipsis:
            entries.append((3, None, None, 1))
        elif k is None:
            entries.append((2, None, None, 1))
        elif isinstance(k, builtins.slice):
            step = 1 if k.step is None else int(k.step)
            if step == 0:
                raise ValueError("slice step cannot be zero")
            entries.append((1, None if k.start is None else int(k.start), None if k.stop is None else int(k.stop),
                            step))
        elif isinstance(k, (numbers.Integral, np.integer)):
            entries.append((0, int(k), None, 1))
        elif isinstance(k, Tensor):
            raise TypeError("tessera slices tensors with Python integers, slices, None and Ellipsis; a Tensor "
                            "index (%s) is not supported: use tf.gather" % k.name)
        else:
            raise TypeError("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                            "tf.int32/tf.int64 tensors are valid indices, got %r" % (k,))
    return entries


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0, new_axis_mask=0,
                  shrink_axis_mask=0, var=None, name=None):
    x = convert_to_tensor(input_)
    begin, end = _int_list(begin, "begin"), _int_list(end, "end")
    strides = [1] * len(begin) if strides is None else _int_list(strides, "strides")
    masks = [int(begin_mask), int(end_mask), int(ellipsis_mask), int(new_axis_mask), int(shrink_axis_mask)]
    return _wrap(x.graph, _C.StridedSlice(x.graph._g, x._out, begin, end, strides, masks, name or "StridedSlice"))


def _getitem(tensor, key):
    x = convert_to_tensor(tensor)
    return _wrap(x.graph, _C.Index(x.graph._g, x._out, strided_slice_spec(key), "strided_slice"))


# ---- sources, plumbing

def no_op(name=None):
    g = get_default_graph()
    return g._op(_C.NoOp(g._g, name or "NoOp"))


def group(*inputs, **kwargs):
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError("Unknown keyword arguments: " + ", ".join(kwargs))
    flat = []
    for i in inputs:
        flat.extend(i if isinstance(i, (list, tuple)) else [i])
    graph = _graph_of_first(flat)
    ops = [_as_operation(i, graph, "group")._node for i in flat]
    return graph._op(_C.Group(graph._g, ops, name or "group_deps"))


def _graph_of_first(items):
    for i in items:
        if isinstance(i, (Tensor, Operation)):
            return i.graph
        if hasattr(i, "op"):
            return i.op.graph
    return get_default_graph()


def Print(input_, data=None, message=None, first_n=None, summarize=None, name=None):  # noqa: N802 (TF's name)
    x = convert_to_tensor(input_)
    return _wrap(x.graph, _C.Print(x.graph._g, x._out, message or "", 3 if summarize is None else int(summarize),
                                   name or ""))


# ---- random

def _seed(seed):
    return None if seed is None else int(seed)


def random_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    g = get_default_graph()
    if isinstance(mean, Tensor) or isinstance(stddev, Tensor):
        raise TypeError("tessera's random_normal takes mean and stddev as Python numbers")
    return _wrap(g, _C.Random(g._g, 1, None, _int_list(shape, "shape"),
                              dtypes.as_dtype(dtype)._value, float(mean), float(stddev), _seed(seed), name or ""))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    g = get_default_graph()
    return _wrap(g, _C.Random(g._g, 2, None, _int_list(shape, "shape"), dtypes.as_dtype(dtype)._value,
                              float(mean), float(stddev), _seed(seed), name or ""))


def random_uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    g = get_default_graph()
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise TypeError("tessera's random_uniform draws floating-point values only, not %s" % dtype.name)
    if isinstance(shape, Tensor):
        out = _wrap(g, _C.Random(g._g, 0, shape._out, [], dtype._value, 0.0, 1.0, _seed(seed), name or ""))
    else:
        out = _wrap(g, _C.Random(g._g, 0, None, _int_list(shape, "shape"), dtype._value, 0.0, 1.0,
                                 _seed(seed), name or ""))
    maxval = 1 if maxval is None else maxval
    if isinstance(minval, Tensor) or isinstance(maxval, Tensor) or minval != 0 or maxval != 1:
        from tessera._api.ops import add, multiply, subtract  # noqa: PLC0415
        hi = convert_to_tensor(maxval, dtype=dtype)
        lo = convert_to_tensor(minval, dtype=dtype)
        out = add(multiply(out, subtract(hi, lo)), lo)
    return out


def set_random_seed(seed):
    get_default_graph().seed = seed

