"""TF1's API as programs use it: graphs, scopes, ops, operators, fetches and feeds, errors."""

import collections

import numpy as np
import pytest

import tessera.compat.v1 as tf


def test_names_follow_tf1():
    a = tf.constant(1.0)
    b = tf.constant(2.0)
    assert a.name == "Const:0" and b.name == "Const_1:0"
    assert (a + b).op.name == "add"
    assert (a - b).op.name == "sub"
    assert (a * b).op.name == "mul"
    assert (a / b).op.name == "truediv"
    assert tf.add(a, b).op.name == "Add_1"  # unique regardless of case, as TF: "add" is taken
    assert (a + b).op.type == "AddV2"
    with tf.name_scope("layer1") as scope:
        assert scope == "layer1/"
        c = tf.multiply(a, b)
    assert c.op.name == "layer1/Mul"
    with tf.name_scope("layer1") as scope:
        assert scope == "layer1_1/"


def test_operators_and_python_values():
    x = tf.constant([1.0, 2.0, 3.0])
    m = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(x + 1), [2, 3, 4])
        np.testing.assert_allclose(sess.run(2 * x), [2, 4, 6])
        np.testing.assert_allclose(sess.run(1 - x), [0, -1, -2])
        np.testing.assert_allclose(sess.run(x ** 2), [1, 4, 9])
        np.testing.assert_allclose(sess.run(-x), [-1, -2, -3])
        np.testing.assert_allclose(sess.run(m @ m), [[7, 10], [15, 22]])
        np.testing.assert_array_equal(sess.run(x > 1.5), [False, True, True])
        np.testing.assert_array_equal(sess.run(x[1:]), [2, 3])
        np.testing.assert_array_equal(sess.run(m[:, 1]), [2, 4])
        np.testing.assert_array_equal(sess.run(m[..., None]).shape, (2, 2, 1))
        np.testing.assert_array_equal(sess.run(tf.constant([7, 8]) // 2), [3, 4])
        assert sess.run(tf.constant([7, 8]) / 2).dtype == np.float64  # TF's true division of int32


def test_fetch_structures():
    a = tf.constant(1.0, name="a")
    b = tf.constant([2, 3], name="b")
    Pair = collections.namedtuple("Pair", ["x", "y"])
    with tf.Session() as sess:
        r = sess.run({"a": a, "nested": [b, (a, "b:0")], "p": Pair(a, b), "op": b.op})
    assert r["a"] == 1.0
    assert isinstance(r["nested"], list) and isinstance(r["nested"][1], tuple)
    np.testing.assert_array_equal(r["nested"][1][1], [2, 3])
    assert isinstance(r["p"], Pair) and r["p"].x == 1.0
    assert r["op"] is None


def test_feeds_by_tensor_and_name():
    x = tf.placeholder(tf.float32, shape=[None, 2], name="x")
    y = tf.reduce_sum(x * 2.0, axis=1)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(y, {x: [[1, 2], [3, 4]]}), [6, 14])
        np.testing.assert_allclose(sess.run(y, feed_dict={"x:0": np.ones((1, 2))}), [4])
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(3,\) for Tensor 'x:0', which has "
                                             r"shape '\(None, 2\)'"):
            sess.run(y, {x: [1, 2, 3]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="x"):
            sess.run(y)  # not fed
        with pytest.raises(TypeError, match="The value of a feed cannot be a tf.Tensor object"):
            sess.run(y, {x: tf.constant([[1.0, 2.0]])})


def test_fetch_errors():
    a = tf.constant(1.0)
    other = tf.Graph()
    with other.as_default():
        b = tf.constant(2.0)
    with tf.Session() as sess:
        with pytest.raises(TypeError, match="Fetch argument None has invalid type"):
            sess.run(None)
        with pytest.raises(TypeError, match="Fetch argument 3 has invalid type"):
            sess.run(3)
        with pytest.raises(ValueError, match="is not an element of this graph"):
            sess.run(b)
        with pytest.raises(ValueError, match="nothing:0"):
            sess.run("nothing:0")
        assert sess.run(a) == 1.0
    with pytest.raises(RuntimeError, match="Attempted to use a closed Session."):
        sess.run(a)


def test_construction_errors_raise_at_once():
    with pytest.raises(ValueError, match="Dimensions must be equal|Incompatible shapes|shape"):
        tf.constant([1.0, 2.0]) + tf.constant([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="does not match type float32"):
        tf.add(tf.constant(1.0), tf.constant(1))
    with pytest.raises(TypeError, match="Expected int32, got 1.5"):
        tf.constant(1.5, dtype=tf.int32)
    g = tf.get_default_graph()
    g.finalize()
    with pytest.raises(RuntimeError, match="Graph is finalized"):
        tf.constant(1.0)


def test_dtypes_and_shapes():
    assert tf.constant(1.0).dtype == tf.float32
    assert tf.constant(1).dtype == tf.int32
    assert tf.constant(2**40).dtype == tf.int64
    assert tf.constant(np.float64(1)).dtype == tf.float64
    assert tf.constant(True).dtype == tf.bool
    assert tf.constant("hi").dtype == tf.string
    assert tf.as_dtype("float32") is tf.float32
    assert tf.float32.as_numpy_dtype is np.float32
    assert repr(tf.float32) == "tf.float32"
    p = tf.placeholder(tf.float32, [None, 784])
    assert p.shape.as_list() == [None, 784]
    assert str(p.shape) == "(None, 784)"
    assert tf.placeholder(tf.int32).shape.ndims is None
    with pytest.raises(TypeError, match="uint8"):
        tf.as_dtype("uint8")


def test_strings_round_trip():
    s = tf.constant([b"a", b"it's"])
    with tf.Session() as sess:
        v = sess.run(s)
    assert list(v) == [b"a", b"it's"]


def test_scopes_device_control_and_colocation():
    a = tf.constant(1.0, name="a")
    with tf.device("/cpu:0"):
        b = tf.constant(2.0, name="b")
        with tf.device(None):
            c = tf.constant(3.0, name="c")
    assert b.op.device.lower().endswith("cpu:0") and c.op.device == ""
    with tf.control_dependencies([a]):
        d = tf.identity(b, name="d")
        with tf.control_dependencies(None):
            e = tf.identity(b, name="e")
    assert [o.name for o in d.op.control_inputs] == ["a"]
    assert e.op.control_inputs == []
    with tf.colocate_with(a):
        f = tf.identity(b, name="f")
    assert f.op.colocation_groups() == [b"loc:@a"]
    with pytest.raises(ValueError, match="device"):
        with tf.device("/gpu:zero"):
            pass


def test_graph_lookup_and_collections():
    v = tf.Variable(1.0, name="v")
    w = tf.Variable(2.0, name="w", trainable=False)
    g = tf.get_default_graph()
    assert g.get_tensor_by_name("v/read:0") is v.value()
    assert g.get_operation_by_name("v") is v.op
    assert tf.global_variables() == [v, w]
    assert tf.trainable_variables() == [v]
    tf.add_to_collection("losses", v.value())
    assert tf.get_collection("losses") == [v.value()]
    with pytest.raises(KeyError, match="does not exist"):
        g.get_tensor_by_name("nope:0")


def test_variables_api():
    v = tf.Variable([1.0, 2.0], name="v")
    with tf.Session() as sess:
        assert list(sess.run(tf.report_uninitialized_variables())) == [b"v"]
        sess.run(tf.global_variables_initializer())
        assert list(sess.run(tf.report_uninitialized_variables())) == []
        np.testing.assert_allclose(sess.run(v.assign_add([1.0, 1.0])), [2, 3])
        np.testing.assert_allclose(v.eval(session=sess), [2, 3])
        v.load([5.0, 6.0], sess)
        np.testing.assert_allclose(sess.run(v), [5, 6])
        np.testing.assert_allclose(sess.run(v.read_value()), [5, 6])
        np.testing.assert_allclose(sess.run(v.initialized_value()), [5, 6])  # initialized: its value
    assert v.name == "v:0" and v.op.name == "v"


def test_errors_map_status_codes():
    assert issubclass(tf.errors.InvalidArgumentError, tf.errors.OpError)
    e = tf.errors.NotFoundError(None, None, "gone")
    assert e.error_code == tf.errors.NOT_FOUND and e.message == "gone" and str(e) == "gone"
    x = tf.placeholder(tf.int32, [])
    y = tf.floordiv(tf.constant(1), x)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="division by zero|Integer division by zero"):
            sess.run(y, {x: 0})
        opts = tf.RunOptions(timeout_in_ms=1)
        assert sess.run(y, {x: 1}, options=opts) == 1
    with pytest.raises(ValueError, match='Protocol message ConfigProto has no "allow_soft" field'):
        tf.ConfigProto(allow_soft=True)


def test_run_metadata_and_chrome_trace():
    a = tf.constant([1.0, 2.0], name="a")
    b = tf.square(a, name="sq")
    md = tf.RunMetadata()
    with tf.Session() as sess:
        sess.run(b, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE), run_metadata=md)
    assert {s.node_name for s in md.step_stats} >= {"a", "sq"}
    assert [r.node for r in md.placement] == ["a", "sq"]
    import json
    trace = json.loads(md.to_chrome_trace())
    assert any(ev.get("name") == "sq" or ev.get("args", {}).get("name") == "sq"
               for ev in trace["traceEvents"])


def test_list_devices():
    devices = tf.list_devices()
    assert devices[0].name == "/job:localhost/replica:0/task:0/device:CPU:0"
    assert devices[0].device_type == "CPU"


def test_make_callable():
    x = tf.placeholder(tf.float32, [2])
    y = x * 3.0
    with tf.Session() as sess:
        f = sess.make_callable(y, feed_list=[x])
        np.testing.assert_allclose(f([1.0, 2.0]), [3, 6])
        g = sess.make_callable([y, y.op], feed_list=[x])
        out = g(np.array([1.0, 1.0], np.float32))
        np.testing.assert_allclose(out[0], [3, 3]) and out[1] is None


def test_variable_scope_and_get_variable():
    with tf.variable_scope("layer1"):
        w = tf.get_variable("w", [4, 3])
        b = tf.get_variable("b", [3], initializer=tf.zeros_initializer())
    assert w.name == "layer1/w:0" and b.name == "layer1/b:0"
    with tf.variable_scope("layer1", reuse=True):
        assert tf.get_variable("w") is w
        with pytest.raises(ValueError, match="Variable layer1/v does not exist, or was not created with "
                                             r"tf.get_variable\(\)"):
            tf.get_variable("v", [1])
    with pytest.raises(ValueError, match="Variable layer1/w already exists, disallowed"):
        with tf.variable_scope("layer1"):
            tf.get_variable("w", [4, 3])
    with tf.variable_scope("layer1", reuse=tf.AUTO_REUSE):
        assert tf.get_variable("w", [4, 3]) is w
        c = tf.get_variable("c", [2], initializer=tf.constant_initializer(7.0))
    with tf.variable_scope("outer") as scope:
        v1 = tf.get_variable("v", [1])
        scope.reuse_variables()
        assert tf.get_variable("v", [1]) is v1
    assert v1.name == "outer/v:0"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run(w)
        limit = (6.0 / (4 + 3)) ** 0.5  # glorot_uniform, get_variable's default
        assert values.shape == (4, 3) and np.all(np.abs(values) <= limit) and np.std(values) > 0
        np.testing.assert_array_equal(sess.run(b), [0, 0, 0])
        np.testing.assert_array_equal(sess.run(c), [7, 7])


def test_absolute_and_root_name_scopes():
    with tf.name_scope("a") as a_scope:
        tf.constant(1.0, name="x")
    with tf.name_scope(a_scope):  # "a/" re-enters "a" as it is
        y = tf.constant(1.0, name="y")
        with tf.name_scope(None):
            z = tf.constant(1.0, name="z")
    assert y.op.name == "a/y" and z.op.name == "z"


def test_with_block_is_the_default_and_closes_on_exceptions():
    a = tf.constant(1.0)
    with pytest.raises(ZeroDivisionError):
        with tf.Session() as sess:
            assert tf.get_default_session() is sess
            assert a.eval() == 1.0
            1 / 0
    assert tf.get_default_session() is None
    with pytest.raises(RuntimeError, match="Attempted to use a closed Session."):
        sess.run(a)
    with pytest.raises(tf.errors.UnimplementedError, match="target"):
        tf.Session("grpc://localhost:2222")
    config = tf.ConfigProto(gpu_options=tf.GPUOptions(allow_growth=True, per_process_gpu_memory_fraction=0.5),
                            device_count={"CPU": 2})
    with tf.Session(config=config) as sess:
        assert [d.name[-5:] for d in sess.list_devices()] == ["CPU:0", "CPU:1"]


def test_placement_records_name_the_python_line():
    a = tf.constant([1.0], name="here")  # the line the record points at
    line = __import__("inspect").currentframe().f_lineno - 1
    md = tf.RunMetadata()
    with tf.Session() as sess:
        sess.run(a, run_metadata=md)
    record = [r for r in md.placement if r.node == "here"][0]
    assert record.source == "test_api.py:%d" % line
    assert record.assigned.endswith("CPU:0") and record.reason


def test_raw_ops_and_strided_slice(tmp_path):
    x = tf.constant([[1.0, -2.0], [3.0, -4.0]])
    v = tf.Variable([1.0, 2.0], name="v")
    grad = tf.raw_ops.ReluGrad(gradients=tf.ones_like(x), features=x)
    r0, r1 = tf.raw_ops.BroadcastGradientArgs(s0=tf.constant([2, 2]), s1=tf.constant([2]))
    step = tf.raw_ops.ApplyGradientDescent(var=v, alpha=0.5, delta=tf.constant([2.0, 2.0]))
    sliced = tf.strided_slice(x, [0, 1], [2, 2], [1, 1], shrink_axis_mask=2)
    prefix = str(tmp_path / "raw")
    save = tf.raw_ops.SaveV2(prefix=prefix, tensor_names=["x"], shape_and_slices=[""], tensors=[x])
    restored = tf.raw_ops.RestoreV2(prefix=prefix, tensor_names=["x"], shape_and_slices=[""], dtypes=[tf.float32])
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(grad), [[1, 0], [1, 0]])
        np.testing.assert_array_equal(sess.run(r0), []) and np.testing.assert_array_equal(sess.run(r1), [0])
        sess.run(v.initializer)
        np.testing.assert_allclose(sess.run(step), [0.0, 1.0])
        np.testing.assert_array_equal(sess.run(sliced), [-2, -4])
        sess.run(save)
        np.testing.assert_array_equal(sess.run(restored[0]), [[1, -2], [3, -4]])
