#!/usr/bin/env python3
"""TensorFlow's side of tessera's checkpoint interoperability tests.

  tf_checkpoint_fixtures.py make <dir>       TF 1.x Saver writes <dir>/model.ckpt-7
                                              (+ its "checkpoint" state file): the
                                              committed fixture tests/data/tf_checkpoint
  tf_checkpoint_fixtures.py verify <prefix>  TF restores a checkpoint tessera wrote
                                              and checks every value; exit 0 when all match

Needs PyPI tensorflow-cpu (CI installs it; nothing else in the build does).
The variables are the same on both sides: tests/checkpoint_test.cc holds
their values too.
"""
import os
import sys

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow.compat.v1 as tf  # noqa: E402

tf.disable_v2_behavior()


def expected():
    return {
        "w": (np.arange(6, dtype=np.float32).reshape(3, 2) * 0.5 - 1.0),
        "layer/b": np.array([0.25, -3.5], np.float32),
        "d": np.array([[1e-300, -2.5], [3.0, np.pi]], np.float64),
        "i32": np.array([1, -2, 2147483647], np.int32),
        "global_step": np.int64(7),
        "flags": np.array([True, False, True]),
        "empty": np.zeros((0, 3), np.float32),
    }


def build(values):
    """One variable per entry, named as the key, and a Saver over all of them."""
    variables = {}
    for name, value in values.items():
        scope, _, base = name.rpartition("/")
        with tf.name_scope(scope or None):
            variables[name] = tf.Variable(value, name=base)
    return variables, tf.train.Saver(save_relative_paths=True)


def make(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    with tf.Graph().as_default():
        _, saver = build(expected())
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            saver.save(sess, os.path.join(out_dir, "model.ckpt"), global_step=7, write_meta_graph=False)


def verify(prefix):
    want = expected()
    zeros = {k: np.zeros_like(v) for k, v in want.items()}
    with tf.Graph().as_default():
        variables, saver = build(zeros)
        with tf.Session() as sess:
            saver.restore(sess, prefix)
            got = sess.run(variables)
    bad = [k for k in want if not (np.asarray(got[k]).dtype == want[k].dtype and np.array_equal(got[k], want[k]))]
    for k in bad:
        print("mismatch:", k, "tessera wrote", got[k], "expected", want[k])
    reader = tf.train.load_checkpoint(prefix)
    shapes = reader.get_variable_to_shape_map()
    if sorted(shapes) != sorted(want):
        print("tensor names differ:", sorted(shapes), "expected", sorted(want))
        bad.append("names")
    print("TensorFlow", tf.__version__, "restored", len(want), "tensors from", prefix, "OK" if not bad else "FAILED")
    return 0 if not bad else 1


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("make", "verify"):
        sys.exit(__doc__)
    sys.exit(make(sys.argv[2]) if sys.argv[1] == "make" else verify(sys.argv[2]))
