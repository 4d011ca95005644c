"""Python Session.run overhead: tessera.compat.v1 or TensorFlow's tf.compat.v1, one round.

The graphs are runtime_bench's (3 nodes, a chain of 101 Adds, the MLP
784-256-256-10 at batch 1), each run by `sess.run` and by `make_callable`,
one intra- and one inter-op thread; each figure is the best of three
timings of at least 0.2 s, in microseconds per call. bench/python_overhead.sh
alternates rounds of the two runtimes (each in a process of its own, so
neither's threads disturb the other) with rounds of the C++ benchmark, and
reports medians over rounds.
"""

import json
import sys
import time

import numpy as np


def build(tf, case):
    g = tf.Graph()
    with g.as_default():
        if case == "3 nodes":
            x = tf.placeholder(tf.float32, [1, 4], name="x")
            y = tf.nn.relu(x * 2.0 + 1.0)
            feed = np.array([[1, -2, 3, -4]], np.float32)
        elif case == "chain of 101":
            x = tf.placeholder(tf.float32, [1, 4], name="x")
            one = tf.constant(1.0)
            y = x
            for _ in range(101):
                y = tf.add(y, one)
            feed = np.array([[1, 2, 3, 4]], np.float32)
        else:
            x = tf.placeholder(tf.float32, [None, 784], name="x")
            h = x
            for n_in, n_out, relu in ((784, 256, True), (256, 256, True), (256, 10, False)):
                w = tf.constant(np.zeros((n_in, n_out), np.float32))
                b = tf.constant(np.zeros((n_out,), np.float32))
                h = tf.nn.bias_add(tf.matmul(h, w), b)
                h = tf.nn.relu(h) if relu else h
            y = tf.nn.softmax(h)
            feed = np.zeros((1, 784), np.float32)
    config = tf.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
    sess = tf.Session(graph=g, config=config)
    return sess, x, y, feed


def per_call_us(fn, min_seconds=0.2):
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return elapsed / n * 1e6
        n *= 2


def main():
    """One round of one runtime: `python_overhead.py tessera|tensorflow` prints {case|mode: µs}."""
    which = sys.argv[1]
    if which == "tensorflow":
        import tensorflow.compat.v1 as tf
        tf.disable_eager_execution()
    else:
        import tessera.compat.v1 as tf
    out = {}
    for case in ("3 nodes", "chain of 101", "MLP batch 1"):
        sess, x, y, feed = build(tf, case)
        sess.run(y, {x: feed})
        call = sess.make_callable(y, feed_list=[x])
        call(feed)
        out["%s|run" % case] = min(per_call_us(lambda: sess.run(y, {x: feed})) for _ in range(3))
        out["%s|callable" % case] = min(per_call_us(lambda: call(feed)) for _ in range(3))
        sess.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
