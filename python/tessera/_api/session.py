"""tf.Session, InteractiveSession, ConfigProto and friends over tessera's C++ Session.

run() flattens the fetches (nested lists, tuples, namedtuples, dicts of
tensors, operations and names), runs them in one C++ Run with the GIL
released, and rebuilds the structure around the numpy results.
"""

import collections.abc
import logging
import sys
import threading

import numpy as np

from tessera import _tessera as _C
from tessera import errors
from tessera._api import dtypes
from tessera._api.framework import Graph, Operation, Tensor, _as_default, get_default_graph

logger = logging.getLogger("tessera")

# ---- the session's log, to Python's logging

_LEVELS = (logging.INFO, logging.WARNING, logging.ERROR)


class _StderrHandler(logging.Handler):
    """Writes tessera's records to the current sys.stderr, unless the root logger has its own handlers.

    With logging unconfigured (a script, a notebook) the placement log and
    warnings still show; once the program configures logging, the records
    go where it says (they propagate to the root logger).
    """

    def emit(self, record):
        if logging.getLogger().handlers:
            return
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:  # noqa: BLE001 (logging must never raise)
            self.handleError(record)


_handler = _StderrHandler()
_handler.setFormatter(logging.Formatter("%(message)s"))
logger.addHandler(_handler)
if logger.level == logging.NOTSET:
    logger.setLevel(logging.INFO)


def _log_record(level, kind, text):
    logger.log(_LEVELS[min(max(level, 0), 2)], text)


# ---- options

class _Message:
    """A protocol-buffer-like options message: TF's field names, unknown fields rejected."""

    _fields = {}

    def __init__(self, **kwargs):
        for k, v in self._fields.items():
            object.__setattr__(self, k, v() if callable(v) else v)
        for k, v in kwargs.items():
            setattr(self, k, v)

    def __setattr__(self, name, value):
        if name not in self._fields:
            raise ValueError('Protocol message %s has no "%s" field.' % (type(self).__name__, name))
        object.__setattr__(self, name, value)

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, ", ".join("%s=%r" % (k, getattr(self, k)) for k in self._fields))


class GPUOptions(_Message):
    _fields = {"allow_growth": False, "per_process_gpu_memory_fraction": 0.0, "visible_device_list": ""}


class GraphOptions(_Message):
    _fields = {"place_pruned_graph": False, "optimizer_options": None, "enable_bfloat16_sendrecv": False}


class ConfigProto(_Message):
    _fields = {"device_count": dict, "intra_op_parallelism_threads": 0, "inter_op_parallelism_threads": 0,
               "allow_soft_placement": False, "log_device_placement": False, "gpu_options": GPUOptions,
               "graph_options": GraphOptions, "operation_timeout_in_ms": 0, "use_per_session_threads": False,
               "isolate_session_state": False}

    def _to_cpp(self):
        o = _C.SessionOptions()
        o.device_count = {str(k): int(v) for k, v in dict(self.device_count).items()}
        o.intra_op_parallelism_threads = int(self.intra_op_parallelism_threads)
        o.inter_op_parallelism_threads = int(self.inter_op_parallelism_threads)
        o.allow_soft_placement = bool(self.allow_soft_placement)
        o.log_device_placement = bool(self.log_device_placement)
        o.operation_timeout_in_ms = int(self.operation_timeout_in_ms)
        o.place_pruned_graph = bool(self.graph_options.place_pruned_graph)
        gpu = _C.GPUOptions()
        gpu.allow_growth = bool(self.gpu_options.allow_growth)
        gpu.per_process_gpu_memory_fraction = float(self.gpu_options.per_process_gpu_memory_fraction)
        gpu.visible_device_list = str(self.gpu_options.visible_device_list)
        o.gpu_options = gpu
        return o


class RunOptions(_Message):
    NO_TRACE = 0
    SOFTWARE_TRACE = 1
    HARDWARE_TRACE = 2
    FULL_TRACE = 3
    _fields = {"trace_level": 0, "timeout_in_ms": 0, "inter_op_thread_pool": 0,
               "output_partition_graphs": False, "report_tensor_allocations_upon_oom": False}


class RunMetadata:
    """What a traced run recorded: step_stats (one entry per node and copy), placement and copies."""

    def __init__(self):
        self._md = _C.RunMetadata()

    step_stats = property(lambda self: list(self._md.step_stats))
    placement = property(lambda self: list(self._md.placement))
    copies = property(lambda self: list(self._md.copies))

    def to_chrome_trace(self):
        """The run as Chrome's trace-event JSON (chrome://tracing, Perfetto)."""
        return self._md.to_chrome_trace()

    def placement_json(self):
        return self._md.placement_json()


# ---- the default session: a per-thread stack

class _DefaultSessionStack(threading.local):
    def __init__(self):
        super().__init__()
        self.stack = []


_session_stack = _DefaultSessionStack()


def get_default_session():
    return _session_stack.stack[-1] if _session_stack.stack else None


class _DefaultSessionContext:
    def __init__(self, session):
        self._session = session

    def __enter__(self):
        _session_stack.stack.append(self._session)
        return self._session

    def __exit__(self, *exc):
        stack = _session_stack.stack
        for i in range(len(stack) - 1, -1, -1):
            if stack[i] is self._session:
                del stack[i]
                break
        return False


# ---- fetches and feeds

def _leaf(graph, fetch):
    """A fetch leaf as (kind, target): 0 a tensor output, 1 an operation."""
    from tessera._api.variables import Variable  # noqa: PLC0415
    if isinstance(fetch, Tensor):
        t = fetch
    elif isinstance(fetch, Variable):
        t = fetch.value()
    elif isinstance(fetch, Operation):
        if fetch.graph is not graph:
            raise ValueError("Fetch argument %r cannot be interpreted as a Tensor. (Operation %s is not an element "
                             "of this graph.)" % (fetch, fetch.name))
        return 1, fetch
    elif isinstance(fetch, str):
        try:
            t = graph.as_graph_element(fetch)
        except KeyError as e:
            raise ValueError("Fetch argument %r cannot be interpreted as a Tensor. (%s)" % (fetch, e.args[0])) \
                from None
        if isinstance(t, Operation):
            return 1, t
    else:
        raise TypeError("Fetch argument %r has invalid type %r, must be a string or Tensor. (Can not convert a %s "
                        "into a Tensor or Operation.)" % (fetch, type(fetch), type(fetch).__name__))
    if t.graph is not graph:
        raise ValueError("Fetch argument %r cannot be interpreted as a Tensor. (Tensor %s is not an element of "
                         "this graph.)" % (fetch, t))
    return 0, t


class _Fetches:
    """The unique tensors and ops of a fetch structure, and how to rebuild it from their values."""

    def __init__(self, graph, fetches):
        self.tensors = []
        self.targets = []
        self._index = {}
        self._target_ids = set()
        self.build = self._plan(graph, fetches)

    def _plan(self, graph, fetch):
        if isinstance(fetch, (list, tuple)) and not isinstance(fetch, str):
            parts = [self._plan(graph, f) for f in fetch]
            if isinstance(fetch, tuple) and hasattr(fetch, "_fields"):
                cls = type(fetch)
                return lambda v: cls(*[p(v) for p in parts])
            cls = type(fetch)
            if cls in (list, tuple):
                return lambda v: cls(p(v) for p in parts)
            return lambda v: cls([p(v) for p in parts])
        if isinstance(fetch, collections.abc.Mapping):
            keys = list(fetch.keys())
            parts = [self._plan(graph, fetch[k]) for k in keys]
            cls = type(fetch)

            def build_map(v):
                items = [(k, p(v)) for k, p in zip(keys, parts)]
                try:
                    return cls(items)
                except TypeError:
                    return dict(items)
            return build_map
        if fetch is None:
            raise TypeError("Fetch argument None has invalid type <class 'NoneType'>")
        kind, target = _leaf(graph, fetch)
        if kind == 1:
            if target._node.id not in self._target_ids:
                self._target_ids.add(target._node.id)
                self.targets.append(target._node)
            return lambda v: None
        key = (target._op._node.id, target._index)
        i = self._index.get(key)
        if i is None:
            i = len(self.tensors)
            self._index[key] = i
            self.tensors.append(target)
        transform = getattr(target, "_fetch_transform", None)
        if transform is not None:
            return lambda v: transform(v[i])
        return lambda v: v[i]


def _feed_target(graph, key):
    from tessera._api.variables import Variable  # noqa: PLC0415
    if isinstance(key, Variable):
        key = key.value()
    if isinstance(key, str):
        try:
            key = graph.as_graph_element(key)
        except (KeyError, ValueError) as e:
            raise TypeError("Cannot interpret feed_dict key as Tensor: %s" % (e.args[0],)) from None
        if isinstance(key, Operation):
            raise TypeError("Cannot interpret feed_dict key as Tensor: Can not convert a Operation into a Tensor.")
    if not isinstance(key, Tensor):
        raise TypeError("Cannot interpret feed_dict key as Tensor: Can not convert a %s into a Tensor." %
                        type(key).__name__)
    if key.graph is not graph:
        raise ValueError("Cannot interpret feed_dict key as Tensor: Tensor %s is not an element of this graph." %
                         key)
    return key


def _feed_spec(target):
    dtype = target.dtype
    np_dtype = None if dtype is dtypes.string else np.dtype(dtype.as_numpy_dtype)
    dims = target._out.shape
    spec = (np_dtype, None if dims is None else tuple(dims), dims is not None and all(d >= 0 for d in dims))
    target._feed_spec = spec
    return spec


def _feed_value(target, value):
    """`value` as the numpy array fed to `target`: its dtype, of a compatible shape."""
    spec = target._feed_spec or _feed_spec(target)
    np_dtype, dims, fully_defined = spec
    if type(value) is np.ndarray and value.dtype is np_dtype:
        arr = value  # the extension makes it contiguous if it is not
    elif isinstance(value, (Tensor, Operation)) or hasattr(value, "_as_tensor"):
        raise TypeError("The value of a feed cannot be a tf.Tensor object. Acceptable feed values include Python "
                        "scalars, strings, lists, numpy ndarrays, or TensorHandles. For reference, the tensor object "
                        "was %s which was passed to the feed with key %s." % (value, target))
    elif np_dtype is None:
        arr = np.asarray(value, dtype=object)
    else:
        try:
            arr = np.asarray(value, dtype=np_dtype)
        except (TypeError, ValueError, OverflowError) as e:
            raise TypeError("Cannot feed value %r for Tensor %r: %s" % (value, target.name, e)) from None
    if dims is not None:
        shape = arr.shape
        if shape != dims and (fully_defined or len(shape) != len(dims) or
                              any(d >= 0 and d != s for d, s in zip(dims, shape))):
            raise ValueError("Cannot feed value of shape %r for Tensor %r, which has shape %r" %
                             (shape, target.name, str(target.shape)))
    return arr


# ---- sessions

class BaseSession:
    def __init__(self, target="", graph=None, config=None):
        if target:
            raise errors.UnimplementedError(None, None, "tessera runs in-process: Session target must be '', not %r"
                                            % (target,))
        if graph is None:
            graph = get_default_graph()
        elif not isinstance(graph, Graph):
            raise TypeError("graph must be a tf.Graph, but got %s" % type(graph))
        if config is None:
            config = ConfigProto()
        elif not isinstance(config, ConfigProto):
            raise TypeError("config must be a tf.ConfigProto, but got %s" % type(config))
        self._graph = graph
        self._config = config
        self._closed = False
        self._s = None
        self._s = _C.Session.create(graph._g, config._to_cpp(), _log_record)
        self._default_contexts = []

    graph = property(lambda self: self._graph)
    sess_str = property(lambda self: "")

    def list_devices(self):
        self._check_open()
        return [_DeviceAttributes(d) for d in self._s.list_devices()]

    def no_gpu_reason(self):
        return self._s.no_gpu_reason()

    def placement_records(self):
        """Every placement decision of this session so far: node, op, requested, assigned, reason, detail."""
        return list(self._s.placement_records())

    def _check_open(self):
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Runs the fetches (a tensor, op, name, or a nested structure of them) with feed_dict's values."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        if type(fetches) is Tensor and options is None and run_metadata is None:  # the common case, fast
            if fetches._op._graph is not self._graph:
                _leaf(self._graph, fetches)
            return self._s.run1(self._feeds(feed_dict) if feed_dict else [], fetches._out)
        plan = _Fetches(self._graph, fetches)
        values = self._run(plan.tensors, plan.targets, feed_dict, options, run_metadata)
        return plan.build(values)

    def _feeds(self, feed_dict):
        feeds = []
        graph = self._graph
        for key, value in feed_dict.items():
            t = key if type(key) is Tensor and key._op._graph is graph else _feed_target(graph, key)
            feeds.append((t._out, _feed_value(t, value)))
        return feeds

    def _run(self, tensors, targets, feed_dict, options, run_metadata):
        feeds = self._feeds(feed_dict) if feed_dict else []
        timeout = 0
        trace = False
        if options is not None:
            timeout = int(options.timeout_in_ms)
            trace = options.trace_level != RunOptions.NO_TRACE
        md = run_metadata._md if run_metadata is not None else None
        return self._s.run(feeds, [t._out for t in tensors], targets, timeout, trace, md)

    def make_callable(self, fetches, feed_list=None, accept_options=False):
        """A function that runs these fetches with positional feed values (tf.Session.make_callable)."""
        self._check_open()
        plan = _Fetches(self._graph, fetches)
        outs = [t._out for t in plan.tensors]
        feed_targets = [_feed_target(self._graph, k) for k in (feed_list or [])]
        feed_outs = [t._out for t in feed_targets]
        run = self._s.run
        run1 = self._s.run1
        build = plan.build
        targets = plan.targets
        single = type(fetches) is Tensor and getattr(fetches, "_fetch_transform", None) is None

        pairs = list(zip(feed_outs, feed_targets))
        n_feeds = len(pairs)
        fetch0 = outs[0] if outs else None

        def call(*args, **kwargs):
            if self._closed:
                raise RuntimeError("Attempted to use a closed Session.")
            if len(args) != n_feeds:
                raise TypeError("Expected %d feed values, got %d" % (n_feeds, len(args)))
            feeds = []
            i = 0
            for o, t in pairs:
                feeds.append((o, _feed_value(t, args[i])))
                i += 1
            options = md = None
            if kwargs and accept_options:
                options = kwargs.get("options")
                md = kwargs.get("run_metadata")
            if single and options is None and md is None:
                return run1(feeds, fetch0)
            if options is None and md is None:
                values = run(feeds, outs, targets)
            else:
                values = run(feeds, outs, targets, int(options.timeout_in_ms) if options else 0,
                             bool(options and options.trace_level), md._md if md else None)
            return values[0] if single else build(values)
        return call

    def close(self):
        if self._closed:
            return
        self._closed = True
        if self._s is not None:
            self._s.close()

    def as_default(self):
        return _DefaultSessionContext(self)

    def __enter__(self):
        graph_ctx = _as_default(self._graph)
        graph_ctx.__enter__()
        session_ctx = _DefaultSessionContext(self)
        session_ctx.__enter__()
        self._default_contexts.append((graph_ctx, session_ctx))
        return self

    def __exit__(self, exc_type, exc_value, tb):
        if self._default_contexts:
            graph_ctx, session_ctx = self._default_contexts.pop()
            session_ctx.__exit__(exc_type, exc_value, tb)
            graph_ctx.__exit__(exc_type, exc_value, tb)
        self.close()
        return False

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 (nothing to report to at teardown)
            pass


class Session(BaseSession):
    """tf.Session(target='', graph=None, config=None)."""


class InteractiveSession(BaseSession):
    """A session that makes itself the default on creation, for shells and notebooks."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        self._interactive_ctx = _DefaultSessionContext(self)
        self._interactive_ctx.__enter__()
        self._graph_ctx = _as_default(self._graph)
        self._graph_ctx.__enter__()

    def close(self):
        super().close()
        ctx, self._interactive_ctx = getattr(self, "_interactive_ctx", None), None
        if ctx is not None:
            ctx.__exit__(None, None, None)
        gctx, self._graph_ctx = getattr(self, "_graph_ctx", None), None
        if gctx is not None:
            try:
                gctx.__exit__(None, None, None)
            except Exception:  # noqa: BLE001 (closed from another thread: its stack is not ours)
                pass


class _DeviceAttributes:
    def __init__(self, d):
        self.name = d.name
        self.device_type = d.device_type
        self.memory_limit_bytes = d.memory_limit_bytes
        self.physical_device_desc = d.physical_device_desc
        self.incarnation = 0

    def __repr__(self):
        return "_DeviceAttributes(%s, %s, %d)" % (self.name, self.device_type, self.memory_limit_bytes)
