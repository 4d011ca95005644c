"""tf.Variable and the variable helpers, over tessera's C++ Variable."""

from tessera import _tessera as _C
from tessera._api import dtypes
from tessera._api.framework import Tensor, get_default_graph
from tessera._api.ops import convert_to_tensor

GLOBAL_VARIABLES = "variables"
LOCAL_VARIABLES = "local_variables"
TRAINABLE_VARIABLES = "trainable_variables"


class Variable:
    """A TF1 (reference) variable: VariableV2, its Assign initializer and its "read" snapshot."""

    __array_priority__ = 100  # numpy arrays on the left defer to our operators

    def __init__(self, initial_value=None, trainable=True, collections=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None, expected_shape=None,
                 import_scope=None, constraint=None, use_resource=None, synchronization=None, aggregation=None,
                 shape=None):
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        if callable(initial_value):
            initial_value = initial_value()
        g = initial_value.graph if isinstance(initial_value, Tensor) else get_default_graph()
        if collections is None:
            collections = [GLOBAL_VARIABLES]
        collections = list(collections)
        cpp_collections = [c for c in collections if c != TRAINABLE_VARIABLES]
        init = convert_to_tensor(initial_value, dtype=dtype, name="initial_value")
        self._v = _C.Variable(g._g, init._out, name or "Variable", bool(trainable), cpp_collections)
        self._graph = g
        g._variables[self._v.ref.node.id] = self

    @classmethod
    def _from_cpp(cls, cv, graph):
        v = cls.__new__(cls)
        v._v = cv
        v._graph = graph
        graph._variables[cv.ref.node.id] = v
        return v

    # ---- what it is
    graph = property(lambda self: self._graph)
    name = property(lambda self: self._v.name + ":0")
    op = property(lambda self: self._graph._op(self._v.ref.node))
    dtype = property(lambda self: dtypes.from_value(self._v.ref.dtype))
    shape = property(lambda self: self._graph._tensor(self._v.ref).shape)
    device = property(lambda self: self.op.device)
    initializer = property(lambda self: self._graph._op(self._v.initializer))
    initial_value = property(lambda self: self._graph._tensor(self._v.initial_value))

    def get_shape(self):
        return self.shape

    def _ref(self):
        return self._graph._tensor(self._v.ref)

    def value(self):
        return self._graph._tensor(self._v.value)

    def _as_tensor(self):
        return self.value()

    def read_value(self):
        return self._graph._tensor(self._v.read_value("read"))

    def initialized_value(self):
        return self._graph._tensor(self._v.initialized_value())

    def is_initialized(self):
        return self._graph._tensor(self._v.is_initialized())

    # ---- updates
    def _assign(self, value, kind, name, read_value):
        v = convert_to_tensor(value, dtype=self.dtype)
        out = self._graph._tensor(self._v.assign(v._out, name or "", kind))
        return out if read_value else out.op

    def assign(self, value, use_locking=None, name=None, read_value=True):
        return self._assign(value, 0, name, read_value)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        return self._assign(delta, 1, name, read_value)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        return self._assign(delta, 2, name, read_value)

    def eval(self, session=None):
        return self.value().eval(session=session)

    def load(self, value, session=None):
        """Writes `value` into the variable in `session` (or the default session) without adding nodes."""
        from tessera._api.session import get_default_session  # noqa: PLC0415
        session = session or get_default_session()
        if session is None:
            raise ValueError("Either session argument should be provided or default session should be "
                             "established")
        session.run(self.initializer, {self.initial_value: value})

    def set_shape(self, shape):
        raise NotImplementedError("tessera's variables keep the shape of their initial value")

    def __repr__(self):
        return "<tf.Variable '%s' shape=%s dtype=%s_ref>" % (self.name, self.shape, self.dtype.name)

    __hash__ = object.__hash__

    def __bool__(self):
        return self.value().__bool__()

    def __iter__(self):
        return self.value().__iter__()

    def __getitem__(self, key):
        return self.value()[key]


def _wrap_list(graph, cvs):
    out = []
    for cv in cvs:
        v = graph._variables.get(cv.ref.node.id)
        out.append(v if v is not None else Variable._from_cpp(cv, graph))
    return out


def global_variables(scope=None):
    return get_default_graph().get_collection(GLOBAL_VARIABLES, scope)


def local_variables(scope=None):
    return get_default_graph().get_collection(LOCAL_VARIABLES, scope)


def trainable_variables(scope=None):
    return get_default_graph().get_collection(TRAINABLE_VARIABLES, scope)


def model_variables(scope=None):
    return get_default_graph().get_collection("model_variables", scope)


def variables_initializer(var_list, name="init"):
    g = var_list[0].graph if var_list else get_default_graph()
    return g._op(_C.variables_initializer(g._g, [v._v for v in var_list], name))


def global_variables_initializer():
    return variables_initializer(global_variables(), name="init")


def local_variables_initializer():
    return variables_initializer(local_variables(), name="init")


initialize_all_variables = global_variables_initializer
initialize_variables = variables_initializer
initialize_local_variables = local_variables_initializer


def is_variable_initialized(variable):
    return variable.is_initialized()


def assert_variables_initialized(var_list=None):
    raise NotImplementedError("tessera has no assert ops; use tf.report_uninitialized_variables")


class _NamesOfMask(Tensor):
    """report_uninitialized_variables's result: a bool mask in the graph, names when fetched.

    TF's op builds a string tensor with boolean_mask; tessera's string tensors
    have no such kernels, so the mask is fetched and the names picked here.
    """

    __slots__ = ("_names",)

    def _fetch_transform(self, mask):
        import numpy as np  # noqa: PLC0415
        return np.array([n.encode() for n, m in zip(self._names, mask.ravel()) if m], dtype=object)


def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    g = get_default_graph() if not var_list else var_list[0].graph
    mask, names = _C.report_uninitialized_variables(g._g, None if var_list is None else [v._v for v in var_list],
                                                   name)
    base = g._tensor(mask)
    t = _NamesOfMask(base._out, base._op, base._index)
    t._names = names
    return t


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    return ref.assign(value, name=name)


def assign_add(ref, value, use_locking=None, name=None):
    return ref.assign_add(value, name=name)


def assign_sub(ref, value, use_locking=None, name=None):
    return ref.assign_sub(value, name=name)
