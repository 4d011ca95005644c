"""tf.variable_scope, tf.get_variable and the initializers (TF1's variable sharing).

Variables are made by tessera's C++ Variable; what is here is TF's naming
and sharing rules: a per-graph store of the variables get_variable made,
by their full names, and a per-thread stack of variable scopes.
"""

import contextlib
import math
import threading

import numpy as np

from tessera._api import array_ops, dtypes
from tessera._api.framework import Tensor, get_default_graph
from tessera._api.ops import constant, convert_to_tensor
from tessera._api.variables import Variable


class _AutoReuse:
    def __repr__(self):
        return "_ReuseMode.AUTO_REUSE"


AUTO_REUSE = _AutoReuse()


class VariableScope:
    """A variable scope: its name, reuse mode, default initializer and dtype."""

    def __init__(self, reuse, name="", initializer=None, dtype=dtypes.float32, name_scope=""):
        self.name = name
        self.reuse = reuse
        self.initializer = initializer
        self.dtype = dtype
        self.original_name_scope = name_scope

    def reuse_variables(self):
        self.reuse = True

    def set_initializer(self, initializer):
        self.initializer = initializer

    def __repr__(self):
        return "<tf.VariableScope '%s' reuse=%r>" % (self.name, self.reuse)


class _ScopeStack(threading.local):
    def __init__(self):
        super().__init__()
        self.stack = []


_scopes = _ScopeStack()


def get_variable_scope():
    graph = get_default_graph()
    stack = [s for g, s in _scopes.stack if g is graph]
    if stack:
        return stack[-1]
    root = getattr(graph, "_root_var_scope", None)
    if root is None:
        root = VariableScope(False)
        graph._root_var_scope = root
    return root


@contextlib.contextmanager
def variable_scope(name_or_scope, default_name=None, values=None, initializer=None, regularizer=None,
                   caching_device=None, partitioner=None, custom_getter=None, reuse=None, dtype=None,
                   use_resource=None, constraint=None, auxiliary_name_scope=True):
    graph = get_default_graph()
    outer = get_variable_scope()
    if isinstance(name_or_scope, VariableScope):
        full, ns = name_or_scope.name, name_or_scope.original_name_scope or name_or_scope.name + "/"
        base_reuse = name_or_scope.reuse
    else:
        if name_or_scope is None:
            if default_name is None:
                raise TypeError("If default_name is None then name_or_scope is required")
            counts = graph.__dict__.setdefault("_var_scope_counts", {})
            key = (outer.name + "/" if outer.name else "") + default_name
            n = counts.get(key, 0)
            counts[key] = n + 1
            name_or_scope = default_name if n == 0 else "%s_%d" % (default_name, n)
        full = (outer.name + "/" if outer.name else "") + name_or_scope
        ns = name_or_scope
        base_reuse = outer.reuse
    if reuse is AUTO_REUSE or (reuse is None and base_reuse is AUTO_REUSE):
        mode = AUTO_REUSE
    else:
        mode = True if (reuse or base_reuse is True) else False
    inner = VariableScope(mode, full, initializer if initializer is not None else outer.initializer,
                          dtypes.as_dtype(dtype) if dtype is not None else outer.dtype)
    with graph.name_scope(ns if auxiliary_name_scope else None) as scope_name:
        inner.original_name_scope = scope_name
        _scopes.stack.append((graph, inner))
        try:
            yield inner
        finally:
            _scopes.stack.pop()


def _fans(shape):
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return shape[-2] * receptive, shape[-1] * receptive


class _Initializer:
    def __init__(self, dtype=dtypes.float32, **kwargs):
        self.dtype = dtypes.as_dtype(dtype)
        self.__dict__.update(kwargs)

    def get_config(self):
        return {k: v for k, v in self.__dict__.items() if k != "dtype"}


class zeros_initializer(_Initializer):  # noqa: N801 (TF's names)
    def __call__(self, shape, dtype=None, partition_info=None):
        return array_ops.zeros(shape, dtype or self.dtype)


class ones_initializer(_Initializer):  # noqa: N801
    def __call__(self, shape, dtype=None, partition_info=None):
        return array_ops.ones(shape, dtype or self.dtype)


class constant_initializer(_Initializer):  # noqa: N801
    def __init__(self, value=0, dtype=dtypes.float32, verify_shape=False):
        super().__init__(dtype, value=value)

    def __call__(self, shape, dtype=None, partition_info=None):
        return constant(self.value, dtype=dtype or self.dtype, shape=shape)


class random_normal_initializer(_Initializer):  # noqa: N801
    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=dtypes.float32):
        super().__init__(dtype, mean=mean, stddev=stddev, seed=seed)

    def __call__(self, shape, dtype=None, partition_info=None):
        return array_ops.random_normal(shape, self.mean, self.stddev, dtype or self.dtype, seed=self.seed)


class truncated_normal_initializer(_Initializer):  # noqa: N801
    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=dtypes.float32):
        super().__init__(dtype, mean=mean, stddev=stddev, seed=seed)

    def __call__(self, shape, dtype=None, partition_info=None):
        return array_ops.truncated_normal(shape, self.mean, self.stddev, dtype or self.dtype, seed=self.seed)


class random_uniform_initializer(_Initializer):  # noqa: N801
    def __init__(self, minval=0, maxval=None, seed=None, dtype=dtypes.float32):
        super().__init__(dtype, minval=minval, maxval=maxval, seed=seed)

    def __call__(self, shape, dtype=None, partition_info=None):
        return array_ops.random_uniform(shape, self.minval, self.maxval, dtype or self.dtype, seed=self.seed)


class glorot_uniform_initializer(_Initializer):  # noqa: N801
    """Uniform in [-limit, limit], limit = sqrt(6 / (fan_in + fan_out)): get_variable's default."""

    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(dtype, seed=seed)

    def __call__(self, shape, dtype=None, partition_info=None):
        fan_in, fan_out = _fans(list(shape))
        limit = math.sqrt(6.0 / max(1.0, fan_in + fan_out))
        return array_ops.random_uniform(shape, -limit, limit, dtype or self.dtype, seed=self.seed)


class glorot_normal_initializer(_Initializer):  # noqa: N801
    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(dtype, seed=seed)

    def __call__(self, shape, dtype=None, partition_info=None):
        fan_in, fan_out = _fans(list(shape))
        stddev = math.sqrt(2.0 / max(1.0, fan_in + fan_out)) / .87962566103423978
        return array_ops.truncated_normal(shape, 0.0, stddev, dtype or self.dtype, seed=self.seed)


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=None, collections=None,
                 caching_device=None, partitioner=None, validate_shape=True, use_resource=None, custom_getter=None,
                 constraint=None, synchronization=None, aggregation=None):
    """The variable `name` of the current variable scope: made once, then shared where reuse allows."""
    graph = get_default_graph()
    scope = get_variable_scope()
    full = (scope.name + "/" if scope.name else "") + name
    store = graph.__dict__.setdefault("_var_store", {})
    if shape is not None:
        shape = [int(d) for d in shape]
    existing = store.get(full)
    if existing is not None:
        if scope.reuse is False:
            raise ValueError("Variable %s already exists, disallowed. Did you mean to set reuse=True or "
                             "reuse=tf.AUTO_REUSE in VarScope?" % full)
        if shape is not None and existing.shape.as_list() != shape:
            raise ValueError("Trying to share variable %s, but specified shape %s and found shape %s." %
                             (full, tuple(shape), tuple(existing.shape.as_list())))
        return existing
    if scope.reuse is True:
        raise ValueError("Variable %s does not exist, or was not created with tf.get_variable(). Did you mean to "
                         "set reuse=tf.AUTO_REUSE in VarScope?" % full)
    dtype = dtypes.as_dtype(dtype) if dtype is not None else scope.dtype
    init = initializer if initializer is not None else scope.initializer
    parent, _, base = full.rpartition("/")
    with graph.name_scope(full + "/Initializer/"):
        if init is None:
            if shape is None:
                raise ValueError("Shape of a new variable (%s) must be fully defined, but instead was None." % full)
            init = glorot_uniform_initializer() if dtype.is_floating else zeros_initializer()
            initial = init(shape, dtype=dtype)
        elif isinstance(init, Tensor) or not callable(init):
            if shape is not None and isinstance(init, Tensor):
                raise ValueError("If initializer is a constant, do not specify shape.")
            initial = convert_to_tensor(init, dtype=dtype)
        else:
            if shape is None:
                raise ValueError("Shape of a new variable (%s) must be fully defined, but instead was None." % full)
            initial = init(shape, dtype=dtype)
    with graph.name_scope(parent + "/" if parent else None):
        v = Variable(initial, name=base, trainable=True if trainable is None else trainable, collections=collections,
                     dtype=dtype)
    store[full] = v
    return v
