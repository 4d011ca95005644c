"""The same TF1 programs run by TensorFlow 2.21 (tf.compat.v1 with TF1 behaviour) and by
tessera, with only the import changed: their printed output must be the same.

Runs when TESSERA_TF_PYTHON names a Python with tensorflow-cpu (CI sets it).
"""

import os
import subprocess
import sys
import textwrap

import pytest

TF_PYTHON = os.environ.get("TESSERA_TF_PYTHON", "")

PROGRAMS = {
    "session_add": """
        a = tf.constant([1.0, 2.0], name="a")
        b = tf.constant([2.0, 3.0], name="b")
        with tf.Session() as sess:
            print(sess.run(a + b), (a + b).name, tf.add(a, b).name, tf.multiply(a, b).name, (a - b).op.type)
    """,
    "seeded_random": """
        tf.set_random_seed(7)
        a = tf.random_normal([2, 3], seed=1)
        b = tf.truncated_normal([4], mean=1.0, stddev=2.0, seed=2)
        c = tf.random_uniform([3], -1.0, 1.0, seed=3)
        with tf.Session() as sess:
            for v in sess.run([a, b, c]):
                print(np.array2string(v, precision=5))
    """,
    "get_variable_glorot": """
        with tf.variable_scope("layer"):
            w = tf.get_variable("w", [3, 2], initializer=tf.glorot_uniform_initializer(seed=5))
            b = tf.get_variable("b", [2], initializer=tf.constant_initializer(0.5))
        with tf.variable_scope("layer", reuse=True):
            same = tf.get_variable("w") is w
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            print(w.name, b.name, same, np.array2string(sess.run(w), precision=5), sess.run(b))
    """,
    "fetch_structures": """
        a = tf.constant(1.5)
        b = tf.constant([1, 2])
        x = tf.placeholder(tf.float32, [None, 2])
        y = tf.reduce_sum(x * 2.0, axis=1)
        with tf.Session() as sess:
            r = sess.run({"a": a, "nested": [b, (a, b)]})
            print(sorted(r), r["a"], r["nested"][0], r["nested"][1][1], type(r["nested"][1]).__name__)
            print(sess.run(y, {x: [[1, 2], [3, 4]]}), sess.run(b.op))
    """,
    "linear_regression": """
        x_data = np.linspace(0, 1, 50).astype(np.float32)
        y_data = x_data * 0.1 + 0.3
        W = tf.Variable([0.5])
        b = tf.Variable(tf.zeros([1]))
        loss = tf.reduce_mean(tf.square(W * x_data + b - y_data))
        train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for step in range(30):
                sess.run(train)
            print(np.array2string(sess.run(W), precision=4), np.array2string(sess.run(b), precision=4))
    """,
    "adam_mlp": """
        rng = np.random.RandomState(0)
        data = rng.rand(16, 4).astype(np.float32)
        labels = (data.sum(axis=1) > 2).astype(np.int32)
        x = tf.placeholder(tf.float32, [None, 4])
        y = tf.placeholder(tf.int32, [None])
        w = tf.Variable(rng.randn(4, 3).astype(np.float32) * 0.5)
        b = tf.Variable(tf.zeros([3]))
        w2 = tf.Variable(rng.randn(3, 2).astype(np.float32) * 0.5)
        logits = tf.matmul(tf.nn.relu(tf.matmul(x, w) + b), w2)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        step = tf.train.AdamOptimizer(0.05).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(20):
                sess.run(step, {x: data, y: labels})
            print("%.4f" % sess.run(loss, {x: data, y: labels}))
    """,
    "errors": """
        v = tf.Variable(42, name="foo")
        x = tf.placeholder(tf.float32, [2])
        with tf.Session() as sess:
            for fetch, feed in ((v, None), (x * 2.0, None), (x * 2.0, {x: [1.0, 2.0, 3.0]})):
                try:
                    sess.run(fetch, feed)
                except Exception as e:
                    print(type(e).__name__)
    """,
}

HEADERS = {
    "tensorflow": "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\n",
    "tessera": "import tessera.compat.v1 as tf\n",
}


def run_programs(python, runtime):
    script = HEADERS[runtime] + "import numpy as np\n"
    for name, source in PROGRAMS.items():
        script += "tf.reset_default_graph()\nprint('=== %s')\n" % name
        script += "exec(compile(%r, %r, 'exec'))\n" % (textwrap.dedent(source), name)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TESSERA_MIN_LOG_LEVEL="2")
    out = subprocess.run([python, "-c", script], capture_output=True, text=True, env=env, cwd="/", timeout=600)
    assert out.returncode == 0, out.stderr[-4000:]
    sections = {}
    for block in out.stdout.split("=== ")[1:]:
        name, _, body = block.partition("\n")
        sections[name] = body
    return sections


@pytest.mark.skipif(not TF_PYTHON, reason="TensorFlow is not installed here: set TESSERA_TF_PYTHON to a Python with "
                                          "tensorflow-cpu (CI does)")
def test_programs_print_what_tensorflow_prints():
    ours = run_programs(sys.executable, "tessera")
    theirs = run_programs(TF_PYTHON, "tensorflow")
    assert list(ours) == list(PROGRAMS)
    for name in PROGRAMS:
        assert ours[name] == theirs[name], "program %s:\ntessera:\n%s\nTensorFlow:\n%s" % (name, ours[name],
                                                                                           theirs[name])
