#!/usr/bin/env python3
"""Writes tests/data/tf_ops.txt: what TensorFlow's kernels compute for the ops
a ported TF1 program needs (issue 10 item 6), one case per line, read by the
table-driven test in tests/tf1_fidelity_test.cc.

    python3 -m venv /tmp/tfenv && /tmp/tfenv/bin/pip install tensorflow-cpu
    /tmp/tfenv/bin/python tools/tf_op_fixtures.py > tests/data/tf_ops.txt

Each line: a case key (the C++ test maps it to the builder call, with the
same attributes as here), the inputs, "->", the outputs. A tensor is written
dtype[d0,d1,...]:v0,v1,... with floats as Python's repr of the exact value
(nan, inf, -inf as such), bools as 0/1.
"""
import numpy as np
import tensorflow as tf

tf1 = tf.compat.v1
tf1.disable_v2_behavior()

F32, F64, I32, I64, B = tf.float32, tf.float64, tf.int32, tf.int64, tf.bool


def fmt(a):
    a = np.asarray(a)
    name = {np.float32: "float", np.float64: "double", np.int32: "int32", np.int64: "int64", np.bool_: "bool"}
    dt = name[a.dtype.type]
    if dt in ("float", "double"):
        vals = [repr(float(v)) for v in a.ravel()]
    else:
        vals = [str(int(v)) for v in a.ravel()]
    return "%s[%s]:%s" % (dt, ",".join(str(d) for d in a.shape), ",".join(vals))


def case(key, fn, *inputs):
    g = tf1.Graph()
    with g.as_default():
        consts = [tf.constant(v, dtype=t) for v, t in inputs]
        out = fn(*consts)
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        with tf1.Session(graph=g) as s:
            vals = s.run(outs)
    print(key, " ".join(fmt(np.asarray(v, dtype=t.as_numpy_dtype)) for v, t in inputs), "->",
          " ".join(fmt(v) for v in vals))


nan, inf = float("nan"), float("inf")
xs = [7.0, -7.0, 7.0, -7.0, 0.5, -0.5, 6.0, 0.0, -0.0, nan, inf, 3.0]
ys = [2.0, 2.0, -2.0, -2.0, 0.3, 0.3, 3.0, 5.0, 5.0, 1.0, 2.0, inf]
ix = [7, -7, 7, -7, 0, 6, -6, 1, -1]
iy = [2, 2, -2, -2, 3, 3, 3, 5, 5]


def elementwise():
    for dt in (F32, F64):
        suffix = "f32" if dt == F32 else "f64"
        for name, fn in (("FloorDiv", tf.math.floordiv), ("FloorMod", tf.math.floormod)):
            case(name + "/" + suffix, fn, (xs, dt), (ys, dt))
        for name, fn in (("NotEqual", tf.not_equal), ("GreaterEqual", tf.greater_equal),
                         ("LessEqual", tf.less_equal)):
            case(name + "/" + suffix, fn, (xs, dt), (ys, dt))
    for dt in (I32, I64):
        suffix = "i32" if dt == I32 else "i64"
        for name, fn in (("FloorDiv", tf.math.floordiv), ("FloorMod", tf.math.floormod),
                         ("NotEqual", tf.not_equal), ("GreaterEqual", tf.greater_equal),
                         ("LessEqual", tf.less_equal)):
            case(name + "/" + suffix, fn, (ix, dt), (iy, dt))
    # Broadcasting: [2,1] against [3].
    case("FloorMod/i32", tf.math.floormod, ([[10], [-10]], I32), ([3, -3, 4], I32))
    case("NotEqual/bool", tf.not_equal, ([True, False, True, False], B), ([True, True, False, False], B))
    a, b = [[True], [False]], [True, False, True]
    case("LogicalAnd", tf.logical_and, (a, B), (b, B))
    case("LogicalOr", tf.logical_or, (a, B), (b, B))
    case("LogicalNot", tf.logical_not, ([True, False, False], B))


def reductions():
    x = [[1.5, -2.0, 3.0], [0.5, 4.0, -1.0]]
    case("Prod/axis1", lambda t: tf.reduce_prod(t, axis=1), (x, F32))
    case("Prod/axis0_keep", lambda t: tf.reduce_prod(t, axis=0, keepdims=True), (x, F64))
    case("Prod/all", lambda t: tf.reduce_prod(t), ([[3, -2], [5, 7]], I32))
    case("Prod/axis1", lambda t: tf.reduce_prod(t, axis=1), ([[3, -2], [5, 7]], I64))
    case("Prod/axis1", lambda t: tf.reduce_prod(t, axis=1), (np.zeros([2, 0]), F32))
    m = [[True, True, False], [True, True, True]]
    case("All/axis1", lambda t: tf.reduce_all(t, axis=1), (m, B))
    case("Any/axis0", lambda t: tf.reduce_any(t, axis=0), ([[False, True, False], [False, True, True]], B))
    case("All/all", lambda t: tf.reduce_all(t), (m, B))
    case("Any/axis1", lambda t: tf.reduce_any(t, axis=1), (np.zeros([2, 0], bool), B))
    case("All/axis1", lambda t: tf.reduce_all(t, axis=1), (np.zeros([2, 0], bool), B))
    y = [[3.0, 1.0, 1.0, 2.0], [-1.0, -5.0, 0.0, -5.0]]
    case("ArgMin/axis1", lambda t: tf.argmin(t, axis=1), (y, F32))
    case("ArgMin/axis0", lambda t: tf.argmin(t, axis=0), (y, F64))
    case("ArgMin/axis1", lambda t: tf.argmin(t, axis=1), ([[4, 2, 2, 9], [0, -3, 7, -3]], I32))
    case("ArgMin/axis1_i32", lambda t: tf.argmin(t, axis=1, output_type=tf.int32), ([[4, 2, 2, 9]], I64))


def shapes_and_layout():
    m = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    case("ExpandDims/0", lambda t: tf.expand_dims(t, 0), (m, F32))
    case("ExpandDims/-1", lambda t: tf.expand_dims(t, -1), ([1, 2, 3], I64))
    case("ExpandDims/0", lambda t: tf.expand_dims(t, 0), (5, I32))
    case("Squeeze/all", lambda t: tf.squeeze(t), (np.ones([1, 2, 1, 3, 1]), F64))
    case("Squeeze/2", lambda t: tf.squeeze(t, [2]), (np.ones([1, 2, 1, 3]), F32))
    case("Squeeze/all", lambda t: tf.squeeze(t), ([[True]], B))
    case("Size", tf.size, (m, F32))
    case("Size/i64", lambda t: tf.size(t, out_type=tf.int64), (np.zeros([3, 0, 2]), F32))
    case("Rank", tf.rank, (np.zeros([3, 0, 2]), F32))
    case("Rank", tf.rank, (7, I64))
    case("StopGradient", tf.stop_gradient, (m, F32))
    case("BroadcastGradientArgs", lambda a, b: tf.raw_ops.BroadcastGradientArgs(s0=a, s1=b), ([2, 3], I32), ([3], I32))
    case("BroadcastGradientArgs", lambda a, b: tf.raw_ops.BroadcastGradientArgs(s0=a, s1=b), ([2, 3, 1], I32), ([1], I32))
    case("BroadcastGradientArgs", lambda a, b: tf.raw_ops.BroadcastGradientArgs(s0=a, s1=b), ([1, 1], I32), ([1], I32))
    case("BroadcastGradientArgs", lambda a, b: tf.raw_ops.BroadcastGradientArgs(s0=a, s1=b), ([2, 1, 4], I64), ([3, 1], I64))
    case("BroadcastGradientArgs", lambda a, b: tf.raw_ops.BroadcastGradientArgs(s0=a, s1=b), ([], I32), ([2, 2], I32))
    case("BroadcastGradientArgs", lambda a, b: tf.raw_ops.BroadcastGradientArgs(s0=a, s1=b), ([5], I32), ([5], I32))
    case("BroadcastGradientArgs", lambda a, b: tf.raw_ops.BroadcastGradientArgs(s0=a, s1=b), ([1], I32), ([1], I32))
    case("BroadcastGradientArgs", lambda a, b: tf.raw_ops.BroadcastGradientArgs(s0=a, s1=b), ([0, 3], I64), ([1, 3], I64))
    case("AddN", lambda a, b, c: tf.add_n([a, b, c]), (xs[:6], F32), (ys[:6], F32), (xs[6:], F32))
    case("AddN", lambda a, b: tf.add_n([a, b]), ([[1, -2], [3, 2147483647]], I32), ([[4, 5], [6, 1]], I32))
    case("AddN", lambda a, b: tf.add_n([a, b]), ([0.1, 0.2], F64), ([0.3, -0.7], F64))
    case("Stack/0", lambda a, b, c: tf.stack([a, b, c]), ([1, 2], I32), ([3, 4], I32), ([5, 6], I32))
    case("Stack/1", lambda a, b: tf.stack([a, b], axis=1), (m, F32), ([[7.0, 8, 9], [10, 11, 12]], F32))
    case("Stack/-1", lambda a, b: tf.stack([a, b], axis=-1), ([True, False], B), ([False, False], B))
    case("Stack/0", lambda a, b: tf.stack([a, b]), (1.5, F64), (2.5, F64))
    case("Unstack/0", lambda t: tf.unstack(t), (m, F32))
    case("Unstack/1", lambda t: tf.unstack(t, axis=1), ([[1, 2, 3], [4, 5, 6]], I64))
    case("Unstack/-1", lambda t: tf.unstack(t, axis=-1), (np.arange(12, dtype=np.int32).reshape(2, 3, 2), I32))
    case("Zeros/2x3/f32", lambda: tf.zeros([2, 3]))
    case("Ones/3/i32", lambda: tf.ones([3], tf.int32))
    case("Ones/2/bool", lambda: tf.ones([2], tf.bool))
    case("ClipByValue", lambda t, lo, hi: tf.clip_by_value(t, lo, hi),
         ([[-3.0, 0.5, 9.0], [nan, 2.0, -inf]], F32), (-1.0, F32), (2.0, F32))
    case("ClipByValue", lambda t, lo, hi: tf.clip_by_value(t, lo, hi), ([-5, 0, 5, 10], I32), ([0, 0, 0, 0], I32),
         (6, I32))


def layout():
    m = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    mi = [[1, 2, 3], [4, 5, 6]]
    cube = np.arange(24, dtype=np.int32).reshape(2, 3, 4)
    case("Tile/2x1", lambda t: tf.tile(t, [2, 1]), (mi, I32))
    case("Tile/2x2", lambda t: tf.tile(t, [2, 2]), (m, F32))
    case("Tile/0x2", lambda t: tf.tile(t, [0, 2]), (m, F64))
    case("Tile/2x1x2", lambda t: tf.tile(t, [2, 1, 2]), ([[[True], [False], [True]]], B))
    case("Pad/1_0_0_2", lambda t: tf.pad(t, [[1, 0], [0, 2]]), (mi, I32))
    case("Pad/1_0_0_2", lambda t: tf.pad(t, [[1, 0], [0, 2]]), (m, F64))
    case("PadV2/1_1_2_0/7", lambda t: tf.pad(t, [[1, 1], [2, 0]], constant_values=7.0), (m, F32))
    case("Split/3/1", lambda t: tf.split(t, 3, axis=1), (m, F32))
    case("Split/2/0", lambda t: tf.split(t, 2), (mi, I64))
    case("SplitV/1_2/1", lambda t: tf.split(t, [1, 2], axis=1), (mi, I32))
    case("SplitV/-1_1/-1", lambda t: tf.split(t, [-1, 1], axis=-1), (m, F64))
    case("Index/:,1", lambda t: t[:, 1], (mi, I32))
    case("Index/::-1,1:", lambda t: t[::-1, 1:], (mi, I32))
    case("Index/...,newaxis", lambda t: t[..., tf.newaxis], (m, F32))
    case("Index/1:-1:2", lambda t: t[1:-1:2], ([0.0, 1.0, 2.0, 3.0, 4.0, 5.0], F64))
    case("Index/-1", lambda t: t[-1], (cube, I32))
    case("Index/newaxis,:,-2", lambda t: t[tf.newaxis, :, -2], (cube, I32))
    case("Index/...,::-2", lambda t: t[..., ::-2], (cube, I32))
    case("Index/1,...,1:3", lambda t: t[1, ..., 1:3], (cube, I32))
    case("Index/5:1:-2", lambda t: t[5:1:-2], ([0, 1, 2, 3, 4, 5, 6], I64))
    case("Index/:,10:", lambda t: t[:, 10:], (mi, I32))
    case("Index/-10:2", lambda t: t[-10:2], ([True, False, True], B))
    case("Gather/0", lambda t, i: tf.gather(t, i), (m, F32), ([1, 0, 1], I32))
    case("Gather/1", lambda t, i: tf.gather(t, i, axis=1), (cube, I32), ([[2, 0], [1, 1]], I64))
    case("Gather/-1", lambda t, i: tf.gather(t, i, axis=-1), (mi, I64), ([2], I32))
    from tensorflow.python.ops import gen_array_ops
    ssg = gen_array_ops.strided_slice_grad
    case("StridedSliceGrad/", lambda s, b, e, st, d: ssg(s, b, e, st, d), ([4, 3], I32), ([1, 0], I32), ([4, 3], I32),
         ([2, 1], I32), (m, F32))
    case("StridedSliceGrad/", lambda s, b, e, st, d: ssg(s, b, e, st, d), ([4, 3], I64), ([3, 2], I64), ([0, 0], I64),
         ([-2, -1], I64), ([[1, 2], [3, 4]], I64))
    case("StridedSliceGrad/shrink1", lambda s, b, e, st, d: ssg(s, b, e, st, d, shrink_axis_mask=1), ([2, 3], I32),
         ([1], I32), ([2], I32), ([1], I32), ([1.5, 2.5, 3.5], F64))
    seg = tf.math.unsorted_segment_sum
    case("UnsortedSegmentSum/3", lambda d, s: seg(d, s, 3), ([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], F32), ([1, -1, 1], I32))
    case("UnsortedSegmentSum/2", lambda d, s: seg(d, s, 2), ([[1, 2], [3, 4], [5, 6]], I32),
         ([[1, 0], [1, 1], [0, 0]], I64))
    case("UnsortedSegmentSum/4", lambda d, s: seg(d, s, 4), (cube, F64), ([[0, 3, 3], [-1, 0, 2]], I32))
    case("UnsortedSegmentSum/1", lambda d, s: seg(d, s, 1), ([2147483647, 1], I32), ([0, 0], I64))  # wraps
    case("OneHot/3", lambda i: tf.one_hot(i, 3), ([0, 2, -1, 5], I32))
    case("OneHot/4/axis0", lambda i: tf.one_hot(i, 4, axis=0), ([[0, 3], [1, 1]], I64))
    case("OneHot/3/5_-1_i32", lambda i: tf.one_hot(i, 3, on_value=5, off_value=-1, dtype=tf.int32), ([2, 0], I64))
    case("Range", lambda a, b, c: tf.range(a, b, c), (1, I32), (10, I32), (3, I32))
    case("Range", lambda a, b, c: tf.range(a, b, c), (1.0, F32), (2.0, F32), (0.25, F32))
    case("Range", lambda a, b, c: tf.range(a, b, c), (0.0, F64), (-1.0, F64), (-0.3, F64))
    case("Range", lambda a, b, c: tf.range(a, b, c), (5, I64), (1, I64), (-1, I64))
    case("Range", lambda a, b, c: tf.range(a, b, c), (0.1, F32), (1.0, F32), (0.1, F32))
    case("Cumsum/1", lambda t: tf.cumsum(t, axis=1), (m, F32))
    case("Cumsum/0/excl", lambda t: tf.cumsum(t, axis=0, exclusive=True), (mi, I32))
    case("Cumsum/1/rev", lambda t: tf.cumsum(t, axis=1, reverse=True), (m, F64))
    case("Cumsum/0", lambda t: tf.cumsum(t), ([-2147483648, -2147483648, 5], I32))  # integers wrap
    case("Cumsum/0", lambda t: tf.cumsum(t), ([9223372036854775807, 1, 1], I64))
    case("Cumsum/-1/excl_rev", lambda t: tf.cumsum(t, axis=-1, exclusive=True, reverse=True), (cube, I64))
    case("Cumprod/1", lambda t: tf.math.cumprod(t, axis=1), (m, F32))
    case("Cumprod/1/excl_rev", lambda t: tf.math.cumprod(t, axis=1, exclusive=True, reverse=True), (m, F64))
    case("Cumprod/0", lambda t: tf.math.cumprod(t), ([65536, 65536, 3], I32))  # integers wrap
    case("Cumprod/0/excl", lambda t: tf.math.cumprod(t, exclusive=True), (mi, I64))
    case("Where", lambda c, x, y: tf.where(c, x, y), ([True, False, True], B), (mi, I32), (0, I32))
    case("Where", lambda c, x, y: tf.where(c, x, y), ([[True], [False]], B), (m, F32), ([-1.0, -2.0, -3.0], F32))
    case("Where", lambda c, x, y: tf.where(c, x, y), ([True, False], B), ([1, 2], I64), ([3, 4], I64))
    case("WhereIndices", lambda c: tf.where(c), ([[True, False, True], [False, False, True]], B))
    case("WhereIndices", lambda c: tf.where(c), ([0.0, 1.5, -0.0, nan], F32))
    case("WhereIndices", lambda c: tf.where(c), (np.zeros([2, 0, 3], dtype=np.int32), I32))



def bools():
    """bool wherever TensorFlow has it."""
    bm = [[True, False, True], [False, False, True]]
    case("Bool/Transpose", lambda t: tf.transpose(t), (bm, B))
    case("Bool/Concat0", lambda a, b: tf.concat([a, b], 0), (bm, B), ([[True, True, False]], B))
    case("Bool/Reshape-1", lambda t: tf.reshape(t, [-1]), (bm, B))
    case("Bool/Slice", lambda t: tf.slice(t, [0, 1], [2, -1]), (bm, B))
    case("Bool/Pad", lambda t: tf.pad(t, [[1, 0], [0, 1]]), (bm, B))
    case("Bool/Gather1", lambda t, i: tf.gather(t, i, axis=1), (bm, B), ([2, 0], I32))
    case("Bool/Equal", tf.equal, (bm, B), ([True, True, False], B))
    case("Bool/CastF32", lambda t: tf.cast(t, tf.float32), (bm, B))
    case("Bool/CastBool", lambda t: tf.cast(t, tf.bool), ([0.0, -0.0, 2.5, nan], F32))
    case("Bool/Where", lambda c, x, y: tf.where(c, x, y), ([True, False], B), ([False, False], B), ([True, True], B))
    case("Bool/ZerosLike", tf.zeros_like, (bm, B))


def training():
    """The losses and gradient ops of training. Keys under Approx/ compare
    within 1e-6 relative (their sums and exponentials may round differently)."""
    raw = tf.raw_ops
    y = [[-0.75, 0.0, 0.5], [0.999, -0.25, 0.125]]
    dy = [[1.5, -2.0, 0.25], [3.0, 0.5, -1.0]]
    feats = [[-1.0, 0.0, 2.0], [3.0, -0.0, 0.5]]
    for t in (F32, F64):
        sfx = "/f32" if t == F32 else "/f64"
        case("ReluGrad" + sfx, lambda g, f: raw.ReluGrad(gradients=g, features=f), (dy, t), (feats, t))
        case("TanhGrad" + sfx, lambda a, b: raw.TanhGrad(y=a, dy=b), (y, t), (dy, t))
        # TF rounds SigmoidGrad differently per dtype (its float kernel goes through oneDNN).
        case("Approx/SigmoidGrad" + sfx, lambda a, b: raw.SigmoidGrad(y=a, dy=b), ([[0.25, 0.5, 0.75], [0.1, 0.9, 1.0]], t),
             (dy, t))
    logits = [[2.0, -1.0, 0.5, 3.0], [-50.0, 50.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0]]
    labels = [[0.1, 0.2, 0.3, 0.4], [0.0, 1.0, 0.0, 0.0], [0.25, 0.25, 0.25, 0.25]]
    case("Approx/LogSoftmax", tf.nn.log_softmax, (logits, F32))
    for t in (F32, F64):
        case("Approx/Log1p", tf.math.log1p, ([-1.0, 1e-10, 0.5, -0.5, 3.0, -2.0, 1e30], t))
    case("Approx/SigmoidCrossEntropyWithLogits",
         lambda z, x: tf1.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x),
         ([[0.0, 1.0, 0.3], [1.0, 0.0, 0.5]], F32), ([[2.0, -1.0, 0.5], [-50.0, 50.0, 0.0]], F32))
    case("Approx/SoftmaxCrossEntropyWithLogits",
         lambda f, l: raw.SoftmaxCrossEntropyWithLogits(features=f, labels=l), (logits, F32), (labels, F32))
    case("Approx/SparseSoftmaxCrossEntropyWithLogits",
         lambda f, l: raw.SparseSoftmaxCrossEntropyWithLogits(features=f, labels=l), (logits, F32), ([3, 1, 0], I32))
    case("Approx/SparseSoftmaxCrossEntropyWithLogits/f64",
         lambda f, l: raw.SparseSoftmaxCrossEntropyWithLogits(features=f, labels=l), (logits, F64), ([0, 2, 3], I64))
    drop_x = [[1.0, -2.0, 3.0, 4.0, 5.0], [0.5, 6.0, -7.0, 8.0, 9.0], [1.5, 2.5, 3.5, 4.5, 5.5]]
    case("Dropout/0.5/seed3", lambda x: tf1.nn.dropout(x, keep_prob=0.5, seed=3), (drop_x, F32))
    case("Dropout/t/seed5", lambda x, k: tf1.nn.dropout(x, keep_prob=k, seed=5), (drop_x, F32), (0.7, F32))
    case("Dropout/0.25/seed4/f64", lambda x: tf1.nn.dropout(x, keep_prob=0.25, seed=4), (drop_x, F64))
    case("Approx/L2Loss", tf.nn.l2_loss, ([[1.5, -2.0, 0.1], [3.0, 0.0, -7.25]], F32))
    case("Approx/BiasAddGrad", lambda d: raw.BiasAddGrad(out_backprop=d), ([[[1.5, -2.0], [0.1, 3.0]], [[0.5, 7.0],
                                                                            [-0.25, 1e-3]]], F32))


def conv():
    """Convolution and pooling, NHWC; sums under Approx/ (1e-6 relative)."""
    raw = tf.raw_ops
    rng = np.random.RandomState(5)
    x = rng.uniform(-1, 1, (2, 5, 4, 2)).round(3).tolist()
    f = rng.uniform(-1, 1, (3, 3, 2, 3)).round(3).tolist()
    f2 = rng.uniform(-1, 1, (2, 2, 2, 1)).round(3).tolist()
    case("Approx/Conv2D/SAME/s1", lambda a, b: tf.nn.conv2d(a, b, [1, 1, 1, 1], "SAME"), (x, F32), (f, F32))
    case("Approx/Conv2D/VALID/s2", lambda a, b: tf.nn.conv2d(a, b, [1, 2, 2, 1], "VALID"), (x, F32), (f, F32))
    case("Approx/Conv2D/SAME/s2", lambda a, b: tf.nn.conv2d(a, b, [1, 2, 2, 1], "SAME"), (x, F64), (f2, F64))
    case("Approx/Conv2D/VALID/d2", lambda a, b: tf.nn.conv2d(a, b, [1, 1, 1, 1], "VALID", dilations=[1, 2, 1, 1]),
         (x, F32), (f2, F32))
    dy = rng.uniform(-1, 1, (2, 3, 2, 3)).round(3).tolist()
    case("Approx/Conv2DBackpropInput/SAME/s2",
         lambda s, b, d: raw.Conv2DBackpropInput(input_sizes=s, filter=b, out_backprop=d, strides=[1, 2, 2, 1],
                                                 padding="SAME"), ([2, 5, 4, 2], I32), (f, F32), (dy, F32))
    case("Approx/Conv2DBackpropFilter/SAME/s2",
         lambda a, s, d: raw.Conv2DBackpropFilter(input=a, filter_sizes=s, out_backprop=d, strides=[1, 2, 2, 1],
                                                  padding="SAME"), (x, F32), ([3, 3, 2, 3], I32), (dy, F32))
    case("MaxPool/SAME/2", lambda a: tf.nn.max_pool2d(a, 2, 2, "SAME"), (x, F32))
    case("MaxPool/VALID/3s1", lambda a: tf.nn.max_pool2d(a, 3, 1, "VALID"), (x, F64))
    case("Approx/AvgPool/SAME/3s2", lambda a: tf.nn.avg_pool2d(a, 3, 2, "SAME"), (x, F32))
    g = rng.uniform(-1, 1, (2, 3, 2, 2)).round(3).tolist()
    case("MaxPoolGrad/SAME/2", lambda a, d: tf.gradients(tf.nn.max_pool2d(a, 2, 2, "SAME"), a, d)[0], (x, F32),
         (g, F32))
    case("Approx/AvgPoolGrad/SAME/3s2", lambda a, d: tf.gradients(tf.nn.avg_pool2d(a, 3, 2, "SAME"), a, d)[0],
         (x, F32), (g, F32))
    # NCHW (TF's default oneDNN CPU path takes it; its Eigen path does not).
    xn = rng.uniform(-1, 1, (2, 2, 5, 4)).round(3).tolist()
    dyn = rng.uniform(-1, 1, (2, 3, 3, 2)).round(3).tolist()
    nchw = {"data_format": "NCHW"}
    case("Approx/Conv2D/NCHW/SAME/s2", lambda a, b: tf.nn.conv2d(a, b, [1, 1, 2, 2], "SAME", **nchw), (xn, F32),
         (f, F32))
    case("Approx/Conv2DBackpropInput/NCHW/SAME/s2",
         lambda s, b, d: raw.Conv2DBackpropInput(input_sizes=s, filter=b, out_backprop=d, strides=[1, 1, 2, 2],
                                                 padding="SAME", **nchw), ([2, 2, 5, 4], I32), (f, F32), (dyn, F32))
    case("Approx/Conv2DBackpropFilter/NCHW/SAME/s2",
         lambda a, s, d: raw.Conv2DBackpropFilter(input=a, filter_sizes=s, out_backprop=d, strides=[1, 1, 2, 2],
                                                  padding="SAME", **nchw), (xn, F32), ([3, 3, 2, 3], I32), (dyn, F32))
    case("MaxPool/NCHW/SAME/2", lambda a: tf.nn.max_pool2d(a, 2, 2, "SAME", **nchw), (xn, F32))
    case("Approx/AvgPool/NCHW/SAME/3s2", lambda a: tf.nn.avg_pool2d(a, 3, 2, "SAME", **nchw), (xn, F32))
    gn = rng.uniform(-1, 1, (2, 2, 3, 2)).round(3).tolist()
    case("MaxPoolGrad/NCHW/SAME/2",
         lambda a, d: tf.gradients(tf.nn.max_pool2d(a, 2, 2, "SAME", **nchw), a, d)[0], (xn, F32), (gn, F32))
    case("Approx/AvgPoolGrad/NCHW/SAME/3s2",
         lambda a, d: tf.gradients(tf.nn.avg_pool2d(a, 3, 2, "SAME", **nchw), a, d)[0], (xn, F32), (gn, F32))
    bias = rng.uniform(-1, 1, (2,)).round(3).tolist()
    case("BiasAdd/NCHW", lambda a, b: tf.nn.bias_add(a, b, data_format="NCHW"), (xn, F32), (bias, F32))
    case("Approx/BiasAddGrad/NCHW", lambda d: raw.BiasAddGrad(out_backprop=d, data_format="NCHW"), (xn, F32))
    case("Approx/BiasAddGrad/NCHW/rank3", lambda d: raw.BiasAddGrad(out_backprop=d, data_format="NCHW"),
         (dyn[0], F32))


if __name__ == "__main__":
    elementwise()
    reductions()
    shapes_and_layout()
    layout()
    bools()
    training()
    conv()
