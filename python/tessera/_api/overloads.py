"""Python's operators on Tensor and Variable, named as TF1 names them ("add", "sub", "truediv"...)."""

from tessera import _tessera as _C
from tessera._api import array_ops, ops
from tessera._api.framework import Tensor
from tessera._api.variables import Variable


def _binary(cpp_name, name, reverse=False):
    cpp = getattr(_C, cpp_name)

    def method(self, other):
        if reverse:
            y = ops.convert_to_tensor(self)
            x = ops.convert_to_tensor(other, dtype=y.dtype)
        else:
            x, y = ops._binary_pair(self, other)
        return ops._wrap(x.graph, cpp(x.graph._g, x._out, y._out, name))
    return method


def _truediv(reverse):
    def method(self, other):
        if reverse:
            x = ops.convert_to_tensor(other, dtype=ops.convert_to_tensor(self).dtype)
            y = ops.convert_to_tensor(self)
        else:
            x, y = self, other
        return ops.truediv(x, y, name="truediv")
    return method


def _matmul(reverse):
    def method(self, other):
        a, b = (other, self) if reverse else (self, other)
        return ops.matmul(a, b, name="matmul")
    return method


_METHODS = {
    "__add__": _binary("Add", "add"), "__radd__": _binary("Add", "add", True),
    "__sub__": _binary("Sub", "sub"), "__rsub__": _binary("Sub", "sub", True),
    "__mul__": _binary("Mul", "mul"), "__rmul__": _binary("Mul", "mul", True),
    "__truediv__": _truediv(False), "__rtruediv__": _truediv(True),
    "__floordiv__": _binary("FloorDiv", "floordiv"), "__rfloordiv__": _binary("FloorDiv", "floordiv", True),
    "__mod__": _binary("FloorMod", "mod"), "__rmod__": _binary("FloorMod", "mod", True),
    "__pow__": _binary("Pow", "pow"), "__rpow__": _binary("Pow", "pow", True),
    "__matmul__": _matmul(False), "__rmatmul__": _matmul(True),
    "__lt__": _binary("Less", ""), "__le__": _binary("LessEqual", ""),
    "__gt__": _binary("Greater", ""), "__ge__": _binary("GreaterEqual", ""),
    "__and__": _binary("LogicalAnd", ""), "__rand__": _binary("LogicalAnd", "", True),
    "__or__": _binary("LogicalOr", ""), "__ror__": _binary("LogicalOr", "", True),
    "__neg__": lambda self: ops.negative(self, name="Neg"),
    "__abs__": lambda self: ops.abs(self, name="Abs"),
    "__invert__": lambda self: ops.logical_not(self, name="LogicalNot"),
    "__getitem__": array_ops._getitem,
}

for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
    if _name != "__getitem__":
        setattr(Variable, _name, _fn)
