"""tf.raw_ops: ops by their op names with keyword arguments, as TensorFlow exposes them.

The ones TF1 code reaches only here (the gradient ops, the optimizers' fused
updates, SaveV2/RestoreV2) and the common math ops under their op names.
"""

from tessera import _tessera as _C
from tessera._api import dtypes
from tessera._api.framework import Tensor
from tessera._api.ops import _wrap, convert_to_tensor
from tessera._api.variables import Variable


def _t(x, dtype=None):
    if isinstance(x, Variable):
        return x._ref()
    return convert_to_tensor(x, dtype=dtype)


def _ints(v, what):
    if isinstance(v, Tensor):
        raise TypeError("tessera's raw op takes %s as Python integers, not a Tensor" % what)
    return [int(i) for i in v]


def _unary(cpp):
    def op(x, name=None):
        x = _t(x)
        return _wrap(x.graph, cpp(x.graph._g, x._out, name or ""))
    return op


def _binary(cpp):
    def op(x, y, name=None):
        x = _t(x)
        y = _t(y, x.dtype)
        return _wrap(x.graph, cpp(x.graph._g, x._out, y._out, name or ""))
    return op


def _grad(cpp, a, b):
    def op(name=None, **kw):
        x, y = _t(kw[a]), _t(kw[b])
        return _wrap(x.graph, cpp(x.graph._g, x._out, y._out, name or ""))
    return op


ReluGrad = _grad(_C.ReluGrad, "gradients", "features")
TanhGrad = _grad(_C.TanhGrad, "y", "dy")
SigmoidGrad = _grad(_C.SigmoidGrad, "y", "dy")


def BiasAddGrad(out_backprop, data_format="NHWC", name=None):  # noqa: N802 (TF's names)
    x = _t(out_backprop)
    return _wrap(x.graph, _C.BiasAddGrad(x.graph._g, x._out, data_format, name or ""))


def Conv2DBackpropInput(input_sizes, filter, out_backprop, strides, padding, use_cudnn_on_gpu=True,  # noqa: N802,A002
                        explicit_paddings=(), data_format="NHWC", dilations=(1, 1, 1, 1), name=None):
    s, f, dy = _t(input_sizes), _t(filter), _t(out_backprop)
    return _wrap(f.graph, _C.Conv2DBackpropInput(f.graph._g, s._out, f._out, dy._out, _ints(strides, "strides"),
                                                 padding, _ints(dilations, "dilations"), data_format, name or ""))


def Conv2DBackpropFilter(input, filter_sizes, out_backprop, strides, padding, use_cudnn_on_gpu=True,  # noqa: N802,A002
                         explicit_paddings=(), data_format="NHWC", dilations=(1, 1, 1, 1), name=None):
    x, s, dy = _t(input), _t(filter_sizes), _t(out_backprop)
    return _wrap(x.graph, _C.Conv2DBackpropFilter(x.graph._g, x._out, s._out, dy._out, _ints(strides, "strides"),
                                                  padding, _ints(dilations, "dilations"), data_format, name or ""))


def MaxPoolGrad(orig_input, orig_output, grad, ksize, strides, padding, explicit_paddings=(),  # noqa: N802
                data_format="NHWC", name=None):
    a, b, g = _t(orig_input), _t(orig_output), _t(grad)
    return _wrap(a.graph, _C.MaxPoolGrad(a.graph._g, a._out, b._out, g._out, _ints(ksize, "ksize"),
                                         _ints(strides, "strides"), padding, data_format, name or ""))


def AvgPoolGrad(orig_input_shape, grad, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: N802
    s, g = _t(orig_input_shape), _t(grad)
    return _wrap(g.graph, _C.AvgPoolGrad(g.graph._g, s._out, g._out, _ints(ksize, "ksize"), _ints(strides, "strides"),
                                         padding, data_format, name or ""))


def BroadcastGradientArgs(s0, s1, name=None):  # noqa: N802
    a, b = _t(s0), _t(s1)
    return tuple(_wrap(a.graph, o) for o in _C.BroadcastGradientArgs(a.graph._g, a._out, b._out, name or ""))


def _masks(begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask):
    return [int(begin_mask), int(end_mask), int(ellipsis_mask), int(new_axis_mask), int(shrink_axis_mask)]


def StridedSlice(input, begin, end, strides, begin_mask=0, end_mask=0, ellipsis_mask=0,  # noqa: N802,A002
                 new_axis_mask=0, shrink_axis_mask=0, name=None):
    x = _t(input)
    return _wrap(x.graph, _C.StridedSlice(x.graph._g, x._out, _ints(begin, "begin"), _ints(end, "end"),
                                          _ints(strides, "strides"),
                                          _masks(begin_mask, end_mask, ellipsis_mask, new_axis_mask,
                                                 shrink_axis_mask), name or ""))


def StridedSliceGrad(shape, begin, end, strides, dy, begin_mask=0, end_mask=0, ellipsis_mask=0,  # noqa: N802
                     new_axis_mask=0, shrink_axis_mask=0, name=None):
    s, b, e, st, d = _t(shape), _t(begin), _t(end), _t(strides), _t(dy)
    return _wrap(d.graph, _C.StridedSliceGrad(d.graph._g, s._out, b._out, e._out, st._out, d._out,
                                              _masks(begin_mask, end_mask, ellipsis_mask, new_axis_mask,
                                                     shrink_axis_mask), name or ""))


def ApplyGradientDescent(var, alpha, delta, use_locking=False, name=None):  # noqa: N802
    v = _t(var)
    return _wrap(v.graph, _C.ApplyGradientDescent(v.graph._g, v._out, _t(alpha, v.dtype)._out,
                                                  _t(delta, v.dtype)._out, use_locking, name or ""))


def ApplyMomentum(var, accum, lr, grad, momentum, use_locking=False, use_nesterov=False, name=None):  # noqa: N802
    v = _t(var)
    ins = [_t(accum), _t(lr, v.dtype), _t(grad, v.dtype), _t(momentum, v.dtype)]
    return _wrap(v.graph, _C.ApplyMomentum(v.graph._g, v._out, *[i._out for i in ins], use_locking, use_nesterov,
                                           name or ""))


def ApplyAdam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad, use_locking=False,  # noqa: N802
              use_nesterov=False, name=None):
    x = _t(var)
    ins = [x, _t(m), _t(v)] + [_t(a, x.dtype) for a in (beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad)]
    return _wrap(x.graph, _C.ApplyAdam(x.graph._g, [i._out for i in ins], use_locking, use_nesterov, name or ""))


def ApplyRMSProp(var, ms, mom, lr, rho, momentum, epsilon, grad, use_locking=False, name=None):  # noqa: N802
    x = _t(var)
    ins = [x, _t(ms), _t(mom)] + [_t(a, x.dtype) for a in (lr, rho, momentum, epsilon, grad)]
    return _wrap(x.graph, _C.ApplyRMSProp(x.graph._g, [i._out for i in ins], use_locking, name or ""))


def SaveV2(prefix, tensor_names, shape_and_slices, tensors, name=None):  # noqa: N802
    p = _t(prefix, dtypes.string)
    ts = [_t(t) for t in tensors]
    node = _C.SaveV2(p.graph._g, p._out, _t(tensor_names, dtypes.string)._out,
                     _t(shape_and_slices, dtypes.string)._out, [t._out for t in ts], name or "")
    return p.graph._op(node)


def RestoreV2(prefix, tensor_names, shape_and_slices, dtypes, name=None):  # noqa: N802,A002
    from tessera._api import dtypes as dt  # noqa: PLC0415 (the argument shadows the module)
    p = _t(prefix, dt.string)
    outs = _C.RestoreV2(p.graph._g, p._out, _t(tensor_names, dt.string)._out,
                        _t(shape_and_slices, dt.string)._out, [dt.as_dtype(d)._value for d in dtypes], name or "")
    return [_wrap(p.graph, o) for o in outs]


Identity = _unary(_C.Identity)
Relu = _unary(_C.Relu)
Tanh = _unary(_C.Tanh)
Sigmoid = _unary(_C.Sigmoid)
Neg = _unary(_C.Neg)
Square = _unary(_C.Square)
Sqrt = _unary(_C.Sqrt)
Exp = _unary(_C.Exp)
Log = _unary(_C.Log)
AddV2 = _binary(_C.Add)
Sub = _binary(_C.Sub)
Mul = _binary(_C.Mul)
RealDiv = _binary(_C.RealDiv)
Maximum = _binary(_C.Maximum)
Minimum = _binary(_C.Minimum)
