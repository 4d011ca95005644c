"""TensorFlow 1.x's API over tessera: ``import tessera.compat.v1 as tf``.

The names, arguments, defaults, node names and exceptions follow
``tf.compat.v1``; every node is made and every step run by tessera's C++
runtime.
"""

import sys as _sys
import types as _types

from tessera import errors
from tessera._api import array_ops as _array_ops
from tessera._api import dtypes as _dtypes
from tessera._api import nn as _nn
from tessera._api import ops as _ops
from tessera._api import overloads as _overloads  # noqa: F401 (installs the operators)
from tessera._api import raw_ops as _raw_ops
from tessera._api import session as _session
from tessera._api import train as _train
from tessera._api import variable_scope as _vs
from tessera._api import variables as _variables
from tessera._api.dtypes import (DType, as_dtype, bfloat16, bool, double, float16, float32, float64, half,  # noqa: A004
                                 int32, int64, string)
from tessera._api.framework import (Graph, GraphDef, Operation, Tensor, TensorShape, get_default_graph,
                                    reset_default_graph)
from tessera._api.session import (ConfigProto, GPUOptions, GraphOptions, InteractiveSession, RunMetadata,
                                  RunOptions, Session, get_default_session)
from tessera._api.variables import (Variable, assign, assign_add, assign_sub, global_variables,
                                    global_variables_initializer, initialize_all_variables, initialize_local_variables,
                                    initialize_variables, is_variable_initialized, local_variables,
                                    local_variables_initializer, model_variables, report_uninitialized_variables,
                                    trainable_variables, variables_initializer)

from tessera._api.variable_scope import (AUTO_REUSE, VariableScope, constant_initializer, get_variable,  # noqa: E402
                                         get_variable_scope, glorot_normal_initializer, glorot_uniform_initializer,
                                         ones_initializer, random_normal_initializer, random_uniform_initializer,
                                         truncated_normal_initializer, variable_scope, zeros_initializer)

newaxis = None

# ---- graph-level functions on the default graph


def name_scope(name, default_name=None, values=None):
    """A name scope in the default graph (of the values' graph when given)."""
    g = get_default_graph()
    for v in values or ():
        if isinstance(v, (Tensor, Operation)):
            g = v.graph
            break
    return g.name_scope(name if name is not None else default_name)


def device(device_name_or_function):
    return get_default_graph().device(device_name_or_function)


def control_dependencies(control_inputs):
    return get_default_graph().control_dependencies(control_inputs)


def colocate_with(op, ignore_existing=False):
    return get_default_graph().colocate_with(op, ignore_existing)


def add_to_collection(name, value):
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value):
    get_default_graph().add_to_collections(names, value)


def get_collection(key, scope=None):
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key):
    return get_default_graph().get_collection_ref(key)


def get_seed(op_seed):
    g = get_default_graph()
    if g.seed is None and op_seed is None:
        return None, None
    return tuple(g._g.derive_seeds(op_seed))


class GraphKeys:
    GLOBAL_VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    MODEL_VARIABLES = "model_variables"
    UPDATE_OPS = "update_ops"
    INIT_OP = "init_op"
    GLOBAL_STEP = "global_step"
    LOSSES = "losses"
    SUMMARIES = "summaries"
    VARIABLES = GLOBAL_VARIABLES


def disable_eager_execution():
    """tessera is always in graph mode; kept so TF2-era scripts run unchanged."""


def disable_v2_behavior():
    """tessera is always TF1; kept so TF2-era scripts run unchanged."""


def executing_eagerly():
    return False


def list_devices(config=None):
    """The devices a session would use (tf.config.experimental.list_physical_devices' TF1 cousin)."""
    with Session(graph=Graph(), config=config) as s:
        return s.list_devices()


# ---- ops under their TF1 names
constant = _ops.constant
convert_to_tensor = _ops.convert_to_tensor
placeholder = _ops.placeholder
placeholder_with_default = _ops.placeholder_with_default
identity = _ops.identity
add = _ops.add
subtract = _ops.subtract
sub = _ops.subtract  # before TF 1.0
multiply = _ops.multiply
mul = _ops.multiply  # before TF 1.0
negative = _ops.negative
neg = _ops.negative  # before TF 1.0
div = _ops.div
divide = _ops.divide
truediv = _ops.truediv
realdiv = _ops.realdiv
floordiv = _ops.floordiv
floormod = _ops.floormod
mod = _ops.mod
maximum = _ops.maximum
minimum = _ops.minimum
pow = _ops.pow  # noqa: A001
square = _ops.square
squared_difference = _ops.squared_difference
sqrt = _ops.sqrt
rsqrt = _ops.rsqrt
exp = _ops.exp
log = _ops.log
log1p = _ops.log1p
abs = _ops.abs  # noqa: A001
sign = _ops.sign
floor = _ops.floor
ceil = _ops.ceil
round = _ops.round  # noqa: A001
reciprocal = _ops.reciprocal
tanh = _ops.tanh
sigmoid = _ops.sigmoid
cast = _ops.cast
to_float = _ops.to_float
to_double = _ops.to_double
to_int32 = _ops.to_int32
to_int64 = _ops.to_int64
clip_by_value = _ops.clip_by_value
stop_gradient = _ops.stop_gradient
equal = _ops.equal
not_equal = _ops.not_equal
less = _ops.less
less_equal = _ops.less_equal
greater = _ops.greater
greater_equal = _ops.greater_equal
logical_and = _ops.logical_and
logical_or = _ops.logical_or
logical_not = _ops.logical_not
where = _ops.where
where_v2 = _ops.where_v2
add_n = _ops.add_n
matmul = _ops.matmul
reduce_sum = _ops.reduce_sum
reduce_mean = _ops.reduce_mean
reduce_max = _ops.reduce_max
reduce_min = _ops.reduce_min
reduce_prod = _ops.reduce_prod
reduce_all = _ops.reduce_all
reduce_any = _ops.reduce_any
argmax = _ops.argmax
argmin = _ops.argmin
cumsum = _ops.cumsum
cumprod = _ops.cumprod
unsorted_segment_sum = _ops.unsorted_segment_sum
rank = _ops.rank
reshape = _array_ops.reshape
transpose = _array_ops.transpose
shape = _array_ops.shape
size = _array_ops.size
fill = _array_ops.fill
zeros = _array_ops.zeros
ones = _array_ops.ones
zeros_like = _array_ops.zeros_like
ones_like = _array_ops.ones_like
concat = _array_ops.concat
expand_dims = _array_ops.expand_dims
squeeze = _array_ops.squeeze
stack = _array_ops.stack
unstack = _array_ops.unstack
split = _array_ops.split
tile = _array_ops.tile
pad = _array_ops.pad
slice = _array_ops.slice  # noqa: A001
strided_slice = _array_ops.strided_slice
gather = _array_ops.gather
one_hot = _array_ops.one_hot
range = _array_ops.range  # noqa: A001
no_op = _array_ops.no_op
group = _array_ops.group
Print = _array_ops.Print
random_normal = _array_ops.random_normal
random_uniform = _array_ops.random_uniform
truncated_normal = _array_ops.truncated_normal
set_random_seed = _array_ops.set_random_seed
gradients = _train.gradients
import_graph_def = _train.import_graph_def


def _module(name, doc, **attrs):
    m = _types.ModuleType(__name__ + "." + name, doc)
    m.__dict__.update(attrs)
    _sys.modules[m.__name__] = m
    return m


nn = _module(
    "nn", "tf.nn", relu=_ops.relu, sigmoid=_ops.sigmoid, tanh=_ops.tanh, softmax=_nn.softmax,
    log_softmax=_nn.log_softmax, bias_add=_nn.bias_add, conv2d=_nn.conv2d, max_pool=_nn.max_pool,
    avg_pool=_nn.avg_pool, l2_loss=_ops.l2_loss, dropout=_nn.dropout,
    softmax_cross_entropy_with_logits=_nn.softmax_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits_v2=_nn.softmax_cross_entropy_with_logits_v2,
    sparse_softmax_cross_entropy_with_logits=_nn.sparse_softmax_cross_entropy_with_logits,
    sigmoid_cross_entropy_with_logits=_nn.sigmoid_cross_entropy_with_logits)
math = _module(
    "math", "tf.math", add=add, subtract=subtract, multiply=multiply, divide=divide, truediv=truediv,
    floordiv=floordiv, floormod=floormod, maximum=maximum, minimum=minimum, pow=pow, square=square, sqrt=sqrt,
    rsqrt=rsqrt, exp=exp, log=log, log1p=log1p, abs=abs, sign=sign, floor=floor, ceil=ceil, round=round,
    reciprocal=reciprocal, tanh=tanh, sigmoid=sigmoid, equal=equal, not_equal=not_equal, less=less,
    less_equal=less_equal, greater=greater, greater_equal=greater_equal, logical_and=logical_and,
    logical_or=logical_or, logical_not=logical_not, reduce_sum=reduce_sum, reduce_mean=reduce_mean,
    reduce_max=reduce_max, reduce_min=reduce_min, reduce_prod=reduce_prod, reduce_all=reduce_all,
    reduce_any=reduce_any, argmax=argmax, argmin=argmin, cumsum=cumsum, cumprod=cumprod, negative=negative,
    unsorted_segment_sum=unsorted_segment_sum, add_n=add_n, squared_difference=squared_difference)
random = _module("random", "tf.random", normal=random_normal, uniform=random_uniform,
                 truncated_normal=truncated_normal, set_random_seed=set_random_seed)
train = _module(
    "train", "tf.train", GradientDescentOptimizer=_train.GradientDescentOptimizer,
    MomentumOptimizer=_train.MomentumOptimizer, AdamOptimizer=_train.AdamOptimizer,
    RMSPropOptimizer=_train.RMSPropOptimizer, Optimizer=_train.Optimizer, Saver=_train.Saver,
    get_or_create_global_step=_train.get_or_create_global_step, get_global_step=_train.get_global_step,
    create_global_step=_train.create_global_step, latest_checkpoint=_train.latest_checkpoint,
    checkpoint_exists=_train.checkpoint_exists, write_graph=_train.write_graph)
raw_ops = _module("raw_ops", "tf.raw_ops", **{k: v for k, v in vars(_raw_ops).items() if k[:1].isupper()})
graph_util = _module("graph_util", "tf.graph_util", import_graph_def=import_graph_def)
errors = errors
dtypes = _dtypes
__all__ = [n for n in dir() if not n.startswith("_")]
_ = (_session, _variables, _vs, DType)
