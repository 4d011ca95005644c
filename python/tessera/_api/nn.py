"""tf.nn: activations, convolution, pooling, losses and dropout."""

import numbers

from tessera import _tessera as _C
from tessera._api.framework import Tensor
from tessera._api.ops import _wrap, convert_to_tensor, l2_loss, relu, sigmoid, tanh

__all__ = ["relu", "sigmoid", "tanh", "l2_loss"]


def _last_axis_only(axis, what):
    if axis is not None and axis != -1:
        raise ValueError("tessera's %s works along the last axis (axis=-1), not axis=%r" % (what, axis))


def softmax(logits, axis=None, name=None, dim=None):
    _last_axis_only(axis if axis is not None else dim, "softmax")
    x = convert_to_tensor(logits)
    return _wrap(x.graph, _C.Softmax(x.graph._g, x._out, name or ""))


def log_softmax(logits, axis=None, name=None, dim=None):
    _last_axis_only(axis if axis is not None else dim, "log_softmax")
    x = convert_to_tensor(logits)
    return _wrap(x.graph, _C.LogSoftmax(x.graph._g, x._out, name or ""))


def bias_add(value, bias, data_format=None, name=None):
    v = convert_to_tensor(value)
    b = convert_to_tensor(bias, dtype=v.dtype)
    return _wrap(v.graph, _C.BiasAdd(v.graph._g, v._out, b._out, data_format or "NHWC", name or ""))


def _four(v, data_format, what):
    """strides/ksize/dilations as 4 entries in data_format's order (TF accepts 1, 2 or 4)."""
    if isinstance(v, numbers.Integral):
        v = [int(v)] * 2
    v = [int(x) for x in v]
    if len(v) == 1:
        v = v * 2
    if len(v) == 2:
        return [1, 1] + v if data_format == "NCHW" else [1] + v + [1]
    if len(v) == 4:
        return v
    raise ValueError("%s should be of length 1, 2 or 4 but was %d" % (what, len(v)))


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True, data_format="NHWC",  # noqa: A002
           dilations=(1, 1, 1, 1), name=None, filters=None):
    filter = filters if filter is None else filter  # noqa: A001
    x = convert_to_tensor(input)
    f = convert_to_tensor(filter, dtype=x.dtype)
    data_format = data_format or "NHWC"
    return _wrap(x.graph, _C.Conv2D(x.graph._g, x._out, f._out, _four(strides, data_format, "strides"),
                                    padding.upper(), _four(dilations, data_format, "dilations"), data_format,
                                    name or ""))


def _pool(is_max):
    def pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):  # noqa: A002
        x = convert_to_tensor(value if value is not None else input)
        data_format = data_format or "NHWC"
        return _wrap(x.graph, _C.Pool(x.graph._g, x._out, is_max, _four(ksize, data_format, "ksize"),
                                      _four(strides, data_format, "strides"), padding.upper(), data_format,
                                      name or ""))
    return pool


max_pool = _pool(True)
avg_pool = _pool(False)


def _xent(sparse):
    def loss(_sentinel=None, labels=None, logits=None, dim=-1, name=None, axis=None):
        if _sentinel is not None:
            raise ValueError("Only call `%s` with named arguments (labels=..., logits=..., ...)" %
                             ("sparse_softmax_cross_entropy_with_logits" if sparse
                              else "softmax_cross_entropy_with_logits"))
        if labels is None or logits is None:
            raise ValueError("Both labels and logits must be provided.")
        _last_axis_only(axis if axis is not None else dim, "softmax_cross_entropy_with_logits")
        f = convert_to_tensor(logits)
        lab = convert_to_tensor(labels) if sparse else convert_to_tensor(labels, dtype=f.dtype)
        loss_out, _ = _C.SoftmaxCrossEntropyWithLogits(f.graph._g, f._out, lab._out, sparse, name or "")
        return _wrap(f.graph, loss_out)
    return loss


softmax_cross_entropy_with_logits = _xent(False)
softmax_cross_entropy_with_logits_v2 = _xent(False)
sparse_softmax_cross_entropy_with_logits = _xent(True)


def sigmoid_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    if _sentinel is not None:
        raise ValueError("Only call `sigmoid_cross_entropy_with_logits` with named arguments (labels=..., "
                         "logits=..., ...)")
    f = convert_to_tensor(logits)
    lab = convert_to_tensor(labels, dtype=f.dtype)
    return _wrap(f.graph, _C.SigmoidCrossEntropyWithLogits(f.graph._g, lab._out, f._out, name or ""))


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """TF1's tf.nn.dropout: keep_prob (or 1 - rate) of the values, scaled by 1 / keep_prob."""
    if noise_shape is not None:
        raise ValueError("tessera's dropout draws one value per element (noise_shape=None)")
    if keep_prob is not None and rate is not None:
        raise ValueError("Cannot specify both 'rate' and 'keep_prob'.")
    x = convert_to_tensor(x)
    if keep_prob is None:
        if rate is None:
            raise ValueError("You must provide a rate to dropout.")
        keep_prob = 1 - rate if not isinstance(rate, Tensor) else convert_to_tensor(1, dtype=rate.dtype) - rate
    if not isinstance(keep_prob, Tensor):
        if not 0 < float(keep_prob) <= 1:
            raise ValueError("keep_prob must be a scalar tensor or a float in the range (0, 1], got %g" % keep_prob)
    kp = convert_to_tensor(keep_prob, dtype=x.dtype)
    return _wrap(x.graph, _C.Dropout(x.graph._g, x._out, kp._out, None if seed is None else int(seed), name or ""))

