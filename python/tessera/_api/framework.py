"""Graph, Operation and Tensor: TF1's graph objects over tessera's C++ Graph.

Nothing is computed here: every node is made by the C++ builders (which run
the op's shape function and raise on bad inputs); these classes are handles.
"""

import contextlib
import threading

import numpy as np

from tessera import _tessera as _C
from tessera._api import dtypes


class TensorShape:
    """A static shape: dims are ints or None; ``dims`` is None for an unknown rank."""

    __slots__ = ("_dims",)

    def __init__(self, dims):
        if isinstance(dims, TensorShape):
            dims = dims._dims
        self._dims = None if dims is None else [None if d is None or d < 0 else int(d) for d in dims]

    dims = property(lambda self: None if self._dims is None else list(self._dims))
    ndims = property(lambda self: None if self._dims is None else len(self._dims))
    rank = ndims

    def as_list(self):
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def is_fully_defined(self):
        return self._dims is not None and all(d is not None for d in self._dims)

    def num_elements(self):
        if not self.is_fully_defined():
            return None
        return int(np.prod(self._dims, dtype=np.int64))

    def is_compatible_with(self, other):
        other = TensorShape(other)
        if self._dims is None or other._dims is None:
            return True
        if len(self._dims) != len(other._dims):
            return False
        return all(a is None or b is None or a == b for a, b in zip(self._dims, other._dims))

    def __len__(self):
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __iter__(self):
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(self._dims)

    def __getitem__(self, key):
        return self.as_list()[key]

    def __eq__(self, other):
        try:
            other = TensorShape(other)
        except TypeError:
            return NotImplemented
        return self._dims == other._dims

    def __hash__(self):
        return hash(None if self._dims is None else tuple(self._dims))

    def __repr__(self):
        return "TensorShape(%s)" % ("None" if self._dims is None else self._dims)

    def __str__(self):
        if self._dims is None:
            return "<unknown>"
        if len(self._dims) == 1:
            return "(%s,)" % self._dims[0]
        return "(%s)" % ", ".join(str(d) for d in self._dims)


class Operation:
    """A node of a graph (tf.Operation)."""

    __slots__ = ("_node", "_graph", "_outputs", "__weakref__")

    def __init__(self, node, graph):
        self._node = node
        self._graph = graph
        self._outputs = tuple(Tensor(_C.Output(node, i), self, i) for i in range(node.num_outputs))

    name = property(lambda self: self._node.name)
    type = property(lambda self: self._node.type)
    graph = property(lambda self: self._graph)
    outputs = property(lambda self: list(self._outputs))
    device = property(lambda self: self._node.device)

    @property
    def inputs(self):
        return [self._graph._tensor(o) for o in self._node.inputs]

    @property
    def control_inputs(self):
        return [self._graph._op(n) for n in self._node.control_inputs]

    def values(self):
        return tuple(self._outputs)

    def get_attr(self, name):
        v = self._node.get_attr(name)
        if name in ("T", "dtype", "DstT", "SrcT", "out_type", "Tidx", "output_type", "Tshape", "Tindices"):
            return dtypes.from_value(v) if isinstance(v, int) else v
        return v

    def colocation_groups(self):
        groups = self._node.colocation_groups
        return [("loc:@" + g).encode() for g in groups] if groups else [("loc:@" + self.name).encode()]

    def run(self, feed_dict=None, session=None):
        """Runs this op in `session`, or the default session (tf.Operation.run)."""
        _run_using_default_session(self, feed_dict, self._graph, session)

    def __repr__(self):
        return "<tf.Operation '%s' type=%s>" % (self.name, self.type)

    def __str__(self):
        return self._node.debug_string()


class Tensor:
    """One output of an Operation (tf.Tensor). Overloads Python's operators."""

    __slots__ = ("_out", "_op", "_index", "_feed_spec", "__weakref__")
    __array_priority__ = 100  # numpy arrays on the left defer to our operators

    def __init__(self, out, op, index):
        self._out = out
        self._op = op
        self._index = index
        self._feed_spec = None  # (numpy dtype, static dims) once fed: the session's fast check

    op = property(lambda self: self._op)
    graph = property(lambda self: self._op._graph)
    value_index = property(lambda self: self._index)
    name = property(lambda self: "%s:%d" % (self._op._node.name, self._index))
    device = property(lambda self: self._op.device)

    @property
    def dtype(self):
        return dtypes.from_value(self._out.dtype)

    @property
    def shape(self):
        return TensorShape(self._out.shape)

    def get_shape(self):
        return self.shape

    def consumers(self):
        out = []
        for node in self.graph._g.nodes():
            if any(i.node.id == self._op._node.id and i.index == self._index for i in node.inputs):
                out.append(self.graph._op(node))
        return out

    def eval(self, feed_dict=None, session=None):
        """Its value in `session`, or the default session (tf.Tensor.eval)."""
        return _run_using_default_session(self, feed_dict, self.graph, session)

    def __repr__(self):
        return "<tf.Tensor '%s' shape=%s dtype=%s>" % (self.name, self.shape, self.dtype.name)

    def __bool__(self):
        raise TypeError("Using a `tf.Tensor` as a Python `bool` is not allowed. Use `if t is not None:` instead of "
                        "`if t:` to test if a tensor is defined, and use TensorFlow ops such as tf.cond to execute "
                        "subgraphs conditioned on the value of a tensor.")

    def __iter__(self):
        raise TypeError("Tensor objects are only iterable when eager execution is enabled. To iterate over this "
                        "tensor use tf.map_fn.")

    def __len__(self):
        raise TypeError("len is not well defined for symbolic Tensors. (%s) Please call `x.shape` rather than "
                        "`len(x)` for shape information." % self.name)

    __hash__ = object.__hash__


# ---- The default graph: a thread's stack of as_default() graphs over one global graph.

class _DefaultGraphStack(threading.local):
    def __init__(self):
        super().__init__()
        self.stack = []


_graph_stack = _DefaultGraphStack()
_global_graph = None
_global_lock = threading.Lock()


def get_default_graph():
    """The innermost as_default() graph of this thread, else the global default graph."""
    if _graph_stack.stack:
        return _graph_stack.stack[-1]
    global _global_graph
    with _global_lock:
        if _global_graph is None:
            _global_graph = Graph()
        return _global_graph


def reset_default_graph():
    """Replaces the global default graph with a new, empty one."""
    if _graph_stack.stack:
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared "
                             "graph, exit the nesting and create a new graph.")
    global _global_graph
    with _global_lock:
        _global_graph = Graph()


class Graph:
    """A dataflow graph (tf.Graph): tessera's C++ Graph and its Python handles."""

    def __init__(self):
        self._g = _C.Graph.create()
        self._ops = {}  # node id -> Operation
        self._variables = {}  # VariableV2 node id -> Variable
        self._collections = {}  # collections of Python objects (the variable ones live in C++)

    # ---- handles
    def _op(self, node):
        op = self._ops.get(node.id)
        if op is None:
            op = Operation(node, self)
            self._ops[node.id] = op
        return op

    def _tensor(self, out):
        return self._op(out.node)._outputs[out.index]

    # ---- scopes
    def as_default(self):
        return _as_default(self)

    @contextlib.contextmanager
    def name_scope(self, name):
        """TF's name_scope: "a" (made unique), "a/" (that scope as it is), None or "" (the root)."""
        guard = self._g.name_scope("" if name is None else name)
        try:
            scope = self._g.current_name_scope()
            yield scope + "/" if scope else ""
        finally:
            guard.close()

    @contextlib.contextmanager
    def device(self, device_name_or_function):
        spec = device_name_or_function
        if spec is not None and not isinstance(spec, str):
            if hasattr(spec, "to_string"):
                spec = spec.to_string()
            else:
                raise TypeError("tf.device takes a device string or None; device functions are not supported by "
                                "tessera (got %r)" % (spec,))
        guard = self._g.device(spec)
        try:
            yield
        finally:
            guard.close()

    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        if control_inputs is None:
            nodes = None
        else:
            nodes = [_as_operation(c, self, "control_dependencies")._node for c in control_inputs]
        guard = self._g.control_dependencies(nodes)
        try:
            yield
        finally:
            guard.close()

    @contextlib.contextmanager
    def colocate_with(self, op, ignore_existing=False):
        if op is None:
            yield
            return
        guard = self._g.colocate_with(_as_operation(op, self, "colocate_with")._node)
        try:
            yield
        finally:
            guard.close()

    def get_name_scope(self):
        return self._g.current_name_scope()

    def unique_name(self, name, mark_as_used=True):
        return self._g.unique_name(name)

    # ---- lookup
    def get_operations(self):
        return [self._op(n) for n in self._g.nodes()]

    def get_operation_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError("Operation names are strings (or similar), not %s." % type(name).__name__)
        if ":" in name:
            raise ValueError("Name %r appears to refer to a Tensor, not a Operation." % name)
        node = self._g.find_node(name)
        if node is None:
            raise KeyError("The name %r refers to an Operation not in the graph." % name)
        return self._op(node)

    def get_tensor_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError("Tensor names are strings (or similar), not %s." % type(name).__name__)
        op_name, sep, index = name.partition(":")
        if not sep or not index.isdigit():
            raise ValueError("The name %r looks a like an Operation name, not a Tensor. Tensor names must be of "
                             "the form \"<op_name>:<output_index>\"." % name)
        node = self._g.find_node(op_name)
        if node is None:
            raise KeyError("The name %r refers to a Tensor which does not exist. The operation, %r, does not exist "
                           "in the graph." % (name, op_name))
        op = self._op(node)
        i = int(index)
        if i >= len(op._outputs):
            raise KeyError("The name %r refers to a Tensor which does not exist. The operation, %r, exists but "
                           "only has %d outputs." % (name, op_name, len(op._outputs)))
        return op._outputs[i]

    def as_graph_element(self, obj, allow_tensor=True, allow_operation=True):
        if isinstance(obj, str):
            return self.get_tensor_by_name(obj) if ":" in obj else self.get_operation_by_name(obj)
        return obj

    # ---- state
    def finalize(self):
        self._g.finalize()

    finalized = property(lambda self: self._g.finalized)
    version = property(lambda self: self._g.version)

    @property
    def seed(self):
        return self._g.random_seed

    @seed.setter
    def seed(self, value):
        self._g.set_random_seed(None if value is None else int(value))

    # ---- collections
    def add_to_collection(self, name, value):
        from tessera._api import variables  # noqa: PLC0415 (a cycle)
        if isinstance(value, variables.Variable):
            self._g.add_to_collection(name, value.op._node)
        elif isinstance(value, Operation) and name not in self._collections:
            self._g.add_to_collection(name, value._node)
        else:
            self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names, value):
        for n in ([names] if isinstance(names, str) else names):
            self.add_to_collection(n, value)

    def get_collection(self, name, scope=None):
        if name in self._collections:
            items = list(self._collections[name])
        else:
            items = [self._wrap_collection_node(n) for n in self._g.get_collection(name)]
        if scope is None:
            return items
        import re  # noqa: PLC0415
        return [i for i in items if hasattr(i, "name") and re.match(scope, i.name)]

    def get_collection_ref(self, name):
        if name not in self._collections:
            self._collections[name] = [self._wrap_collection_node(n) for n in self._g.get_collection(name)]
            self._g.clear_collection(name)
        return self._collections[name]

    def get_all_collection_keys(self):
        return sorted(set(self._g.get_all_collection_keys()) | set(self._collections))

    def clear_collection(self, name):
        self._collections.pop(name, None)
        self._g.clear_collection(name)

    def _wrap_collection_node(self, node):
        v = self._variable(node)
        return v if v is not None else self._op(node)

    def _variable(self, node):
        v = self._variables.get(node.id)
        if v is None:
            cv = self._g.variable_nodes(node)
            if cv is None:
                return None
            from tessera._api import variables  # noqa: PLC0415
            v = variables.Variable._from_cpp(cv, self)
        return v

    # ---- serialisation
    def as_graph_def(self, from_version=None, add_shapes=False):
        return GraphDef(_C.export_graph_def(self._g, False))

    def __repr__(self):
        return "<tessera.Graph with %d nodes>" % self._g.num_nodes


class GraphDef:
    """A serialised graph (TF's GraphDef protocol buffer, as bytes)."""

    def __init__(self, data=b""):
        self._data = bytes(data)

    def SerializeToString(self):  # noqa: N802 (protobuf's name)
        return self._data

    def ParseFromString(self, data):  # noqa: N802
        self._data = bytes(data)

    @classmethod
    def FromString(cls, data):  # noqa: N802
        return cls(data)


@contextlib.contextmanager
def _as_default(graph):
    _graph_stack.stack.append(graph)
    try:
        yield graph
    finally:
        # Remove this entry even when an inner one was left open.
        for i in range(len(_graph_stack.stack) - 1, -1, -1):
            if _graph_stack.stack[i] is graph:
                del _graph_stack.stack[i]
                break


def _as_operation(x, graph, what):
    from tessera._api import variables  # noqa: PLC0415
    if isinstance(x, Operation):
        op = x
    elif isinstance(x, Tensor):
        op = x.op
    elif isinstance(x, variables.Variable):
        op = x.op
    elif isinstance(x, str):
        op = graph.as_graph_element(x)
        op = op.op if isinstance(op, Tensor) else op
    else:
        raise TypeError("Can not convert a %s into a Operation for %s." % (type(x).__name__, what))
    if op.graph is not graph:
        raise ValueError("%s: %s must be from the same graph as the ops it applies to." % (what, op.name))
    return op


def _run_using_default_session(fetch, feed_dict, graph, session):
    from tessera._api import session as session_lib  # noqa: PLC0415
    is_tensor = isinstance(fetch, Tensor)
    what = "evaluate tensor" if is_tensor else "execute operation"
    call = "eval" if is_tensor else "run"
    if session is None:
        session = session_lib.get_default_session()
        if session is None:
            raise ValueError("Cannot %s using `%s()`: No default session is registered. Use `with "
                             "sess.as_default()` or pass an explicit session to `%s(session=sess)`" %
                             (what, call, call))
        if session.graph is not graph:
            raise ValueError("Cannot use the default session to %s: the tensor's graph is different from the "
                             "session's graph. Pass an explicit session to `%s(session=sess)`." % (what, call))
    elif session.graph is not graph:
        raise ValueError("Cannot use the given session to %s: the tensor's graph is different from the session's "
                         "graph." % what)
    return session.run(fetch, feed_dict)
