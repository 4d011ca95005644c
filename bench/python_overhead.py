"""Python Session.run overhead: tessera.compat.v1 beside TensorFlow's tf.compat.v1, in one process.

The graphs are runtime_bench's (3 nodes, a chain of 101 Adds, the MLP
784-256-256-10 at batch 1), each run by `sess.run` and by `make_callable`,
one intra- and one inter-op thread. Rounds alternate between the two
runtimes; the table shows each case's median over rounds, in microseconds
per call. Run by bench/python_overhead.sh, which prepares the environment.
"""

import json
import statistics
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
    import tensorflow.compat.v1 as tf_real
    tf_real.disable_eager_execution()
    import tessera.compat.v1 as tf_ours

    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    results = {}
    cases = ["3 nodes", "chain of 101", "MLP batch 1"]
    prepared = {}
    for case in cases:
        for name, tf in (("tessera", tf_ours), ("tensorflow", tf_real)):
            sess, x, y, feed = build(tf, case)
            sess.run(y, {x: feed})
            call = sess.make_callable(y, feed_list=[x])
            call(feed)
            prepared[(case, name)] = (sess, x, y, feed, call)
    for _ in range(rounds):
        for case in cases:
            for name in ("tessera", "tensorflow"):
                sess, x, y, feed, call = prepared[(case, name)]
                results.setdefault((case, name, "run"), []).append(per_call_us(lambda: sess.run(y, {x: feed})))
                results.setdefault((case, name, "callable"), []).append(per_call_us(lambda: call(feed)))
    out = {"%s|%s|%s" % k: statistics.median(v) for k, v in results.items()}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
