#!/usr/bin/env python3
"""TensorFlow 2.21 compat.v1 mirror of examples/train_cnn, for the peak-RSS
comparison of bench/train_bench.sh: the same tutorial CNN (conv 5x5x32,
max-pool, conv 5x5x64, max-pool, dense 1024, dropout 0.5, dense 10; Adam
0.001) trained on Fashion-MNIST (Debian's dataset-fashion-mnist) for STEPS
shuffled batches of BATCH, then the test accuracy in slices of 1,000, as
train_cnn does. TF's default thread pools, as train_cnn uses tessera's.

    train_cnn_tf.py STEPS BATCH
"""
import gzip
import sys
import time

import numpy as np
import tensorflow as tf

tf1 = tf.compat.v1
tf1.disable_v2_behavior()
DIR = "/usr/share/datasets/fashion-mnist"


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(split):
    images = idx("%s/%s-images-idx3-ubyte.gz" % (DIR, split)).reshape(-1, 784).astype(np.float32) / 255.0
    return images, idx("%s/%s-labels-idx1-ubyte.gz" % (DIR, split)).astype(np.int32)


def cnn_logits(x, keep):
    """The tutorial CNN on x [?, 784] with dropout's keep_prob `keep` (also
    bench/train_anchor_tf.py's): truncated_normal(stddev 0.1) weights with op
    seeds 1, 2, 3 and 5, biases 0.1."""
    weight = lambda shape, seed: tf1.Variable(tf1.truncated_normal(shape, stddev=0.1, seed=seed))
    bias = lambda n: tf1.Variable(tf.constant(0.1, shape=[n]))
    h = tf.reshape(x, [-1, 28, 28, 1])
    for seed, (a, b) in ((1, (1, 32)), (2, (32, 64))):
        h = tf.nn.relu(tf.nn.conv2d(h, weight([5, 5, a, b], seed), [1, 1, 1, 1], "SAME") + bias(b))
        h = tf.nn.max_pool2d(h, 2, 2, "SAME")
    h = tf.nn.relu(tf.matmul(tf.reshape(h, [-1, 7 * 7 * 64]), weight([3136, 1024], 3)) + bias(1024))
    return tf.matmul(tf1.nn.dropout(h, keep_prob=keep, seed=4), weight([1024, 10], 5)) + bias(10)


def main():
    steps, batch = int(sys.argv[1]), int(sys.argv[2])
    train_x, train_y = load("train")
    test_x, test_y = load("t10k")
    x = tf1.placeholder(tf.float32, [None, 784])
    y = tf1.placeholder(tf.int32, [None])
    keep = tf1.placeholder(tf.float32, [])
    logits = cnn_logits(x, keep)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1, output_type=tf.int32), y), tf.float32))
    train = tf1.train.AdamOptimizer(0.001).minimize(loss)
    rng = np.random.RandomState(1)
    order, at = rng.permutation(len(train_x)), 0
    with tf1.Session() as s:
        s.run(tf1.global_variables_initializer())
        start = time.time()
        for _ in range(steps):
            if at + batch > len(order):
                order, at = rng.permutation(len(train_x)), 0
            rows = order[at:at + batch]
            at += batch
            s.run(train, {x: train_x[rows], y: train_y[rows], keep: 0.5})
        correct = 0.0
        for i in range(0, len(test_x), 1000):
            correct += s.run(accuracy, {x: test_x[i:i + 1000], y: test_y[i:i + 1000], keep: 1.0}) * len(test_x[i:i + 1000])
        print("test accuracy %.4f after %d steps in %.1f s" % (correct / len(test_x), steps, time.time() - start))


if __name__ == "__main__":
    main()
