#!/usr/bin/env python3
"""TensorFlow 2.21 compat.v1 anchor for bench/train_step_bench.cc: the same
MLP step through its fastest path, Session.make_callable, SGD and Adam at
batch 1, 64 and 256, and the tutorial CNN's step (dropout 0.5) with Adam at
batch 64, intra- and inter-op threads as given (default 1).
Prints {"name", "ns"} per case. Run where PyPI tensorflow-cpu is installed
(bench/train_bench.sh makes a venv for it)."""
import json
import sys
import time

import numpy as np
import tensorflow as tf

from train_cnn_tf import cnn_logits  # bench/, beside this file

tf1 = tf.compat.v1
tf1.disable_v2_behavior()
THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 1


def median_ns(f, iters, rounds=5):
    for _ in range(iters // 5 + 2):
        f()
    means = []
    for _ in range(rounds):
        t0 = time.perf_counter_ns()
        for _ in range(iters):
            f()
        means.append((time.perf_counter_ns() - t0) / iters)
    return sorted(means)[len(means) // 2]


for opt in ("sgd", "adam"):
    for batch in (1, 64, 256):
        g = tf1.Graph()
        with g.as_default():
            x = tf1.placeholder(tf.float32, [None, 784])
            y = tf1.placeholder(tf.int32, [None])
            h = x
            for i, (a, b) in enumerate(((784, 256), (256, 256), (256, 10))):
                w = tf1.get_variable("w%d" % i, [a, b], initializer=tf1.glorot_uniform_initializer(seed=i))
                bias = tf1.get_variable("b%d" % i, [b], initializer=tf1.zeros_initializer())
                h = tf.nn.bias_add(tf.matmul(h, w), bias)
                if i < 2:
                    h = tf.nn.relu(h)
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=h))
            o = tf1.train.GradientDescentOptimizer(0.01) if opt == "sgd" else tf1.train.AdamOptimizer(0.001)
            train = o.minimize(loss)
            config = tf1.ConfigProto(intra_op_parallelism_threads=THREADS, inter_op_parallelism_threads=THREADS)
            with tf1.Session(graph=g, config=config) as s:
                s.run(tf1.global_variables_initializer())
                step = s.make_callable([loss, train], feed_list=[x, y])
                xs = (np.arange(batch * 784) % 255).astype(np.float32).reshape(batch, 784) / 255.0
                ys = (np.arange(batch) % 10).astype(np.int32)
                ns = median_ns(lambda: step(xs, ys), 400 if batch == 1 else 100 if batch == 64 else 40)
        print(json.dumps({"name": "mlp_%s_b%d" % (opt, batch), "ns": round(ns, 1)}), flush=True)


def cnn_step_ns(batch):
    g = tf1.Graph()
    with g.as_default():
        x = tf1.placeholder(tf.float32, [None, 784])
        y = tf1.placeholder(tf.int32, [None])
        keep = tf1.placeholder(tf.float32, [])
        h = cnn_logits(x, keep)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=h))
        train = tf1.train.AdamOptimizer(0.001).minimize(loss)
        config = tf1.ConfigProto(intra_op_parallelism_threads=THREADS, inter_op_parallelism_threads=THREADS)
        with tf1.Session(graph=g, config=config) as s:
            s.run(tf1.global_variables_initializer())
            step = s.make_callable([loss, train], feed_list=[x, y, keep])
            xs = (np.arange(batch * 784) % 255).astype(np.float32).reshape(batch, 784) / 255.0
            ys = (np.arange(batch) % 10).astype(np.int32)
            return median_ns(lambda: step(xs, ys, 0.5), 10)


print(json.dumps({"name": "cnn_adam_b64", "ns": round(cnn_step_ns(64), 1)}), flush=True)
