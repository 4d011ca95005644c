#!/usr/bin/env python3
"""TensorFlow's side of tessera's GraphDef interoperability tests.

  tf_graph_fixtures.py make <dir>     TF 1.x graphs, frozen (variables folded into
                                      Consts), with inputs and TF's outputs:
                                      tests/data/tf_graphs
  tf_graph_fixtures.py verify <dir>   TF imports every <case>.pb tessera exported
                                      there and runs <case>.fetch; its value must
                                      match <case>.expected (tessera's); exit 0 when
                                      all do

Needs PyPI tensorflow-cpu (CI installs it; nothing else in the build does).
Value files are text: a line "dtype d0 d1 ...", then one value per line.
"""
import glob
import os
import sys

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow.compat.v1 as tf  # noqa: E402

tf.disable_v2_behavior()


def write_values(path, a):
    a = np.asarray(a)
    with open(path, "w") as f:
        f.write(" ".join([a.dtype.name] + [str(d) for d in a.shape]) + "\n")
        for v in a.reshape(-1):
            f.write(("%.9g" % v if a.dtype.kind == "f" else str(int(v))) + "\n")


def read_values(path):
    with open(path) as f:
        head = f.readline().split()
        vals = [line.strip() for line in f if line.strip()]
    dtype = {"float": "float32", "double": "float64", "bool": "bool"}.get(head[0], head[0])
    if dtype == "bool":
        arr = np.array([v in ("1", "True", "true") for v in vals], dtype=bool)
    else:
        arr = np.array([float(v) for v in vals], dtype=dtype)
    return arr.reshape([int(d) for d in head[1:]])


def mlp():
    rng = np.random.RandomState(7)
    x = tf.placeholder(tf.float32, [None, 16], name="x")
    with tf.device("/gpu:0"):  # the hard-coded pin frozen graphs carry
        w1 = tf.Variable(rng.randn(16, 32).astype(np.float32) * 0.3, name="dense/kernel")
        b1 = tf.Variable(rng.randn(32).astype(np.float32) * 0.1, name="dense/bias")
        h = tf.nn.relu(tf.nn.bias_add(tf.matmul(x, w1), b1), name="dense/Relu")
        w2 = tf.Variable(rng.randn(32, 10).astype(np.float32) * 0.3, name="logits/kernel")
        b2 = tf.Variable(rng.randn(10).astype(np.float32) * 0.1, name="logits/bias")
        logits = tf.add(tf.matmul(h, w2), b2, name="logits/add")
        tf.nn.softmax(logits, name="probs")
    return rng.randn(4, 16).astype(np.float32), "probs"


def cnn():
    rng = np.random.RandomState(11)
    x = tf.placeholder(tf.float32, [None, 8, 8, 1], name="x")
    k = tf.Variable(rng.randn(3, 3, 1, 4).astype(np.float32) * 0.5, name="conv/kernel")
    b = tf.Variable(rng.randn(4).astype(np.float32) * 0.1, name="conv/bias")
    c = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, k, [1, 1, 1, 1], "SAME"), b))
    p = tf.nn.max_pool(c, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    flat = tf.reshape(p, [-1, 4 * 4 * 4])
    w = tf.Variable(rng.randn(64, 10).astype(np.float32) * 0.2, name="dense/kernel")
    logits = tf.matmul(flat, w)
    tf.reduce_mean(tf.nn.softmax(logits), axis=1, keepdims=True, name="out")
    return rng.randn(3, 8, 8, 1).astype(np.float32), "out"


def add_training(fetch):
    """The cross-entropy of the logits under the model's softmax, plain SGD with a global step,
    and 5 steps on fixed random data: the returned op trains."""
    y = tf.placeholder(tf.int32, [None], name="y")
    logits = tf.get_default_graph().get_tensor_by_name(fetch + ":0").op.inputs[0]
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits), name="loss")
    step = tf.train.get_or_create_global_step()
    return tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)


def train(sess, train_op, x_value):
    rng = np.random.RandomState(3)
    for _ in range(5):
        sess.run(train_op, {"x:0": x_value, "y:0": rng.randint(0, 10, size=x_value.shape[0])})


def make(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for name, build in (("frozen_mlp", mlp), ("frozen_cnn", cnn)):
        with tf.Graph().as_default() as g:
            x_value, fetch = build()
            train_op = add_training(fetch) if name == "frozen_mlp" else None
            config = tf.ConfigProto(allow_soft_placement=True)
            with tf.Session(config=config) as sess:
                sess.run(tf.global_variables_initializer())
                if train_op is not None:
                    train(sess, train_op, x_value)
                out = sess.run(fetch + ":0", {"x:0": x_value})
                frozen = tf.graph_util.convert_variables_to_constants(sess, g.as_graph_def(), [fetch])
        with open(os.path.join(out_dir, name + ".pb"), "wb") as f:
            f.write(frozen.SerializeToString())
        write_values(os.path.join(out_dir, name + ".x"), x_value)
        write_values(os.path.join(out_dir, name + ".expected"), out)
        with open(os.path.join(out_dir, name + ".fetch"), "w") as f:
            f.write(fetch + ":0\n")
    make_checkpointed(out_dir)


def make_checkpointed(out_dir):
    """The MLP with its variables (not frozen) and its training ops, trained 5
    steps and saved by TF1's Saver with its .meta (which holds the whole
    training graph: gradients, the SGD updates, the global step)."""
    ckpt_dir = os.path.join(out_dir, "mlp_checkpoint")
    os.makedirs(ckpt_dir, exist_ok=True)
    with tf.Graph().as_default():
        x_value, fetch = mlp()
        train_op = add_training(fetch)
        saver = tf.train.Saver(save_relative_paths=True)
        with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as sess:
            sess.run(tf.global_variables_initializer())
            train(sess, train_op, x_value)
            out = sess.run(fetch + ":0", {"x:0": x_value})
            saver.save(sess, os.path.join(ckpt_dir, "model.ckpt"), global_step=tf.train.get_global_step())
    write_values(os.path.join(ckpt_dir, "x"), x_value)
    write_values(os.path.join(ckpt_dir, "expected"), out)


def verify(in_dir):
    cases = sorted(glob.glob(os.path.join(in_dir, "*.pb")))
    bad = []
    for pb in cases:
        base = pb[:-3]
        with open(base + ".fetch") as f:
            fetch = f.read().strip()
        graph_def = tf.GraphDef()
        with open(pb, "rb") as f:
            graph_def.ParseFromString(f.read())
        try:
            with tf.Graph().as_default():
                tf.import_graph_def(graph_def, name="")
                with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as sess:
                    got = sess.run(fetch)
        except Exception as e:  # noqa: BLE001: every failure is reported
            bad.append(os.path.basename(base))
            lines = [line for line in str(e).splitlines() if line.strip()]
            print("FAILED", os.path.basename(base), type(e).__name__, " | ".join(lines[:3])[:400])
            continue
        want = read_values(base + ".expected")
        ok = np.shape(got) == want.shape and np.allclose(np.asarray(got, dtype=want.dtype), want, rtol=1e-4, atol=1e-5,
                                                          equal_nan=True)
        if not ok:
            bad.append(os.path.basename(base))
            print("MISMATCH", os.path.basename(base), "TF", np.asarray(got).reshape(-1)[:6], "tessera",
                  want.reshape(-1)[:6])
    print("TensorFlow", tf.__version__, "imported and ran", len(cases) - len(bad), "of", len(cases),
          "graphs tessera exported")
    return 0 if not bad else 1


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("make", "verify"):
        sys.exit(__doc__)
    sys.exit(make(sys.argv[2]) if sys.argv[1] == "make" else verify(sys.argv[2]))
