#!/usr/bin/env python3
"""Writes tests/data/tf_random.txt: values TensorFlow's CPU kernels draw for
RandomUniform, RandomStandardNormal and TruncatedNormal, bit for bit, and the
(seed, seed2) pairs tf.compat.v1 derives from graph and op seeds.

    python3 -m venv /tmp/tfenv && /tmp/tfenv/bin/pip install tensorflow-cpu
    /tmp/tfenv/bin/python tools/tf_random_fixtures.py > tests/data/tf_random.txt

Each "draw" line: op dtype seed seed2 n run, then the n values as the hex of
their IEEE bits (run 0 and run 1 are two Runs of one node in one session).
Each "seed" line: graph_seed (or none), op_seed (or none), the position of
the op in a sequence of random ops in one graph -> seed seed2 as written on
the op (tf.compat.v1.random_normal under tf.compat.v1.set_random_seed).
"""
import struct
import tensorflow as tf

tf1 = tf.compat.v1
tf1.disable_v2_behavior()


def bits(v, dtype):
    if dtype == "float":
        return "%08x" % struct.unpack("<I", struct.pack("<f", float(v)))[0]
    return "%016x" % struct.unpack("<Q", struct.pack("<d", float(v)))[0]


def draws():
    ops = {
        "RandomUniform": tf.raw_ops.RandomUniform,
        "RandomStandardNormal": tf.raw_ops.RandomStandardNormal,
        "TruncatedNormal": tf.raw_ops.TruncatedNormal,
    }
    seeds = [(1, 0), (87654321, 1), (0, 7), (42, 2**32 + 5), (-3, 2**63 - 1), (2**31 - 1, 12345)]
    for name, fn in ops.items():
        for dtype, tfdtype in (("float", tf.float32), ("double", tf.float64)):
            for seed, seed2 in seeds:
                for n in (1, 7, 37):
                    g = tf1.Graph()
                    with g.as_default():
                        out = fn(shape=tf.constant([n], tf.int32), dtype=tfdtype, seed=seed, seed2=seed2)
                        with tf1.Session(graph=g) as s:
                            for run in range(2):
                                vals = s.run(out).ravel()
                                print("draw", name, dtype, seed, seed2, n, run, " ".join(bits(v, dtype) for v in vals))


def seeds():
    # In one graph, a sequence of ops with and without op seeds: TF counts the
    # ops that took their seed from the graph seed.
    sequence = [None, 1, None, 0, 77, None, 2**31 - 1, 2**33 + 9, None, -5]
    for graph_seed in (None, 0, 5, 2**31 - 1, 2**40 + 3, -8):
        g = tf1.Graph()
        with g.as_default():
            if graph_seed is not None:
                tf1.set_random_seed(graph_seed)
            for index, op_seed in enumerate(sequence):
                out = tf1.random_normal([2], seed=op_seed)
                node = [o for o in g.get_operations() if o.type == "RandomStandardNormal"][-1]
                print("seed", "none" if graph_seed is None else graph_seed, "none" if op_seed is None else op_seed,
                      index, "->", node.get_attr("seed"), node.get_attr("seed2"))


if __name__ == "__main__":
    draws()
    seeds()
