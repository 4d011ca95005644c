"""TensorFlow's dtypes (tf.float32, ...) over tessera's DataType numbers."""

import numpy as np

# tessera's DataType enum (include/tessera/types.h).
_FLOAT, _DOUBLE, _INT32, _INT64, _BOOL, _HALF, _BFLOAT16, _STRING = range(1, 9)


class DType:
    """A tensor's element type, as tf.DType."""

    __slots__ = ("_value", "_name", "_np", "_tf_enum")

    def __init__(self, value, name, np_type, tf_enum):
        self._value = value
        self._name = name
        self._np = np_type
        self._tf_enum = tf_enum

    name = property(lambda self: self._name)
    as_numpy_dtype = property(lambda self: self._np)
    as_datatype_enum = property(lambda self: self._tf_enum)
    base_dtype = property(lambda self: self)
    real_dtype = property(lambda self: self)
    is_floating = property(lambda self: self._value in (_FLOAT, _DOUBLE, _HALF, _BFLOAT16))
    is_integer = property(lambda self: self._value in (_INT32, _INT64))
    is_bool = property(lambda self: self._value == _BOOL)
    is_complex = property(lambda self: False)
    is_unsigned = property(lambda self: False)
    is_numpy_compatible = property(lambda self: self._value != _BFLOAT16)

    @property
    def size(self):
        return 0 if self._value == _STRING else np.dtype(self._np).itemsize

    @property
    def min(self):
        return np.finfo(self._np).min if self.is_floating else np.iinfo(self._np).min

    @property
    def max(self):
        return np.finfo(self._np).max if self.is_floating else np.iinfo(self._np).max

    def is_compatible_with(self, other):
        return as_dtype(other) is self

    def __repr__(self):
        return "tf." + self._name

    def __str__(self):
        return "<dtype: %r>" % self._name

    def __reduce__(self):
        return as_dtype, (self._name,)


float32 = DType(_FLOAT, "float32", np.float32, 1)
float64 = DType(_DOUBLE, "float64", np.float64, 2)
int32 = DType(_INT32, "int32", np.int32, 3)
int64 = DType(_INT64, "int64", np.int64, 9)
bool = DType(_BOOL, "bool", np.bool_, 10)  # noqa: A001 (TF's name)
float16 = DType(_HALF, "float16", np.float16, 19)
bfloat16 = DType(_BFLOAT16, "bfloat16", None, 14)
string = DType(_STRING, "string", np.object_, 7)
half = float16
double = float64
float = float32  # noqa: A001

_ALL = (float32, float64, int32, int64, bool, float16, bfloat16, string)
_BY_VALUE = {d._value: d for d in _ALL}
_BY_NAME = {d._name: d for d in _ALL}
_BY_NAME.update({"float": float32, "double": float64, "half": float16})
_BY_NP = {np.dtype(np.float32): float32, np.dtype(np.float64): float64, np.dtype(np.int32): int32,
          np.dtype(np.int64): int64, np.dtype(np.bool_): bool, np.dtype(np.float16): float16,
          np.dtype(np.object_): string}
_UNSUPPORTED = ("uint8", "int8", "int16", "uint16", "uint32", "uint64", "complex64", "complex128",
                "qint8", "quint8", "qint32", "resource", "variant")


def from_value(value):
    """The DType of a tessera DataType number."""
    return _BY_VALUE[value]


def as_dtype(type_value):
    """tf.as_dtype: a DType from a DType, a name, a numpy type or a Python type."""
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, str):
        d = _BY_NAME.get(type_value)
        if d is not None:
            return d
        if type_value in _UNSUPPORTED:
            raise TypeError("tessera has no kernels for dtype %s (it has float32, float64, int32, int64, bool, "
                            "string; float16 and bfloat16 are reserved)" % type_value)
        raise TypeError("Cannot convert value %r to a TensorFlow DType." % (type_value,))
    if type_value is builtins_float:
        return float32
    if type_value is builtins_int:
        return int32
    if type_value is builtins_bool:
        return bool
    if type_value in (bytes, str):
        return string
    try:
        npd = np.dtype(type_value)
    except TypeError:
        raise TypeError("Cannot convert value %r to a TensorFlow DType." % (type_value,)) from None
    if npd.kind in ("S", "U", "O"):
        return string
    d = _BY_NP.get(npd)
    if d is None:
        return as_dtype(npd.name)
    return d


import builtins as _builtins  # noqa: E402

builtins_float = _builtins.float
builtins_int = _builtins.int
builtins_bool = _builtins.bool
