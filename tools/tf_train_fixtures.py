#!/usr/bin/env python3
"""Writes tests/data/tf_mlp_curve.txt: the loss of TensorFlow's tf.compat.v1
training of the MLP of examples/train_mlp for 200 steps (issue 14 item 6),
read by tests/train_mlp_test.cc, which trains tessera the same way.

    python3 -m venv /tmp/tfenv && /tmp/tfenv/bin/pip install tensorflow-cpu
    /tmp/tfenv/bin/python tools/tf_train_fixtures.py > tests/data/tf_mlp_curve.txt
    /tmp/tfenv/bin/python tools/tf_train_fixtures.py --cnn > tests/data/tf_cnn_curve.txt
    /tmp/tfenv/bin/python tools/tf_train_fixtures.py --cnn32 > tests/data/tf_cnn_curve_f32.txt

Same model, same numbers: 784-256-256-10 with ReLU, Glorot-uniform kernels
drawn as (random_uniform(seed=k) * 2 - 1) * sqrt(6 / (fan_in + fan_out)) with
op seeds 1, 2, 3 and no graph seed (tessera draws TF's Philox values for the
same seeds), zero biases, the mean sparse softmax cross-entropy, Adam(0.001);
batch i is Fashion-MNIST training examples [64 i, 64 i + 64) in file order,
pixels / 255. Each line: the step and the loss that step's Run returned
(computed before its update), in float32 and in float64 (where the same
model is built in float64: the images are the float32 pixels widened, and
Adam's beta powers and hyperparameters stay float32 and are cast, as TF1's
AdamOptimizer does).
"""
import gzip
import os
import sys

if "--cnn32" in sys.argv:  # TF's Eigen kernels (its oneDNN rewrites sum floats in another order)
    os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"

import numpy as np
import tensorflow as tf

tf1 = tf.compat.v1
tf1.disable_v2_behavior()

DIR = "/usr/share/datasets/fashion-mnist"
STEPS, BATCH, LAYERS = 200, 64, [784, 256, 256, 10]


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def curve(dtype, images, labels):
    g = tf1.Graph()
    images = images.astype(dtype.as_numpy_dtype)
    with g.as_default():
        x = tf1.placeholder(dtype, [None, 784], name="x")
        y = tf1.placeholder(tf.int32, [None], name="y")
        h = x
        for i in range(len(LAYERS) - 1):
            fan_in, fan_out = LAYERS[i], LAYERS[i + 1]
            limit = np.float32(np.sqrt(6.0 / (fan_in + fan_out)))
            u = tf1.random_uniform([fan_in, fan_out], dtype=dtype, seed=1 + i)
            w = tf1.Variable((u * 2.0 - 1.0) * tf.cast(limit, dtype))
            b = tf1.Variable(tf.zeros([fan_out], dtype=dtype))
            h = tf.nn.bias_add(tf.matmul(h, w), b)
            if i + 2 < len(LAYERS):
                h = tf.nn.relu(h)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=h))
        train = tf1.train.AdamOptimizer(0.001).minimize(loss)
        with tf1.Session(graph=g) as s:
            s.run(tf1.global_variables_initializer())
            losses = []
            for step in range(STEPS):
                sl = slice(step * BATCH, (step + 1) * BATCH)
                value, _ = s.run([loss, train], {x: images[sl], y: labels[sl]})
                losses.append(float(value))
            return losses


def cnn_curve(images, labels, dt, steps, batch):
    """The CNN of examples/train_cnn in `dt`, keep_prob fed 1.0 (no dropout
    noise), Adam(0.001): truncated_normal(stddev 0.1) weights with op seeds 1
    (conv1), 2 (conv2), 3 (fc1), 5 (fc2; 4 is dropout's), biases 0.1."""
    g = tf1.Graph()
    with g.as_default():
        x = tf1.placeholder(dt, [None, 784])
        y = tf1.placeholder(tf.int32, [None])
        keep = tf1.placeholder(dt, [])
        weight = lambda shape, seed: tf1.Variable(tf1.truncated_normal(shape, stddev=0.1, dtype=dt, seed=seed))
        bias = lambda n: tf1.Variable(tf.constant(0.1, shape=[n], dtype=dt))
        h = tf.reshape(x, [-1, 28, 28, 1])
        for seed, (a, b) in ((1, (1, 32)), (2, (32, 64))):
            h = tf.nn.relu(tf.nn.conv2d(h, weight([5, 5, a, b], seed), [1, 1, 1, 1], "SAME") + bias(b))
            h = tf.nn.max_pool2d(h, 2, 2, "SAME")
        h = tf.nn.relu(tf.matmul(tf.reshape(h, [-1, 7 * 7 * 64]), weight([3136, 1024], 3)) + bias(1024))
        h = tf1.nn.dropout(h, keep_prob=keep, seed=4)
        h = tf.matmul(h, weight([1024, 10], 5)) + bias(10)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=h))
        train = tf1.train.AdamOptimizer(0.001).minimize(loss)
        with tf1.Session(graph=g) as s:
            s.run(tf1.global_variables_initializer())
            out = []
            for step in range(steps):
                sl = slice(step * batch, (step + 1) * batch)
                value, _ = s.run([loss, train], {x: images[sl].astype(dt.as_numpy_dtype), y: labels[sl], keep: 1.0})
                out.append(float(value))
            return out


def main():
    images = idx(DIR + "/train-images-idx3-ubyte.gz")[:STEPS * BATCH].reshape(-1, 784).astype(np.float32) / 255.0
    labels = idx(DIR + "/train-labels-idx1-ubyte.gz")[:STEPS * BATCH].astype(np.int32)
    if len(sys.argv) > 1 and sys.argv[1] == "--cnn":
        print("# TensorFlow %s: step, the CNN's loss in float64, batch 4 (tools/tf_train_fixtures.py --cnn)"
              % tf.__version__)
        for step, value in enumerate(cnn_curve(images, labels, tf.float64, 12, 4)):
            print(step + 1, repr(value))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--cnn32":
        print("# TensorFlow %s, TF_ENABLE_ONEDNN_OPTS=0: step, the CNN's loss in float32, batch 16 "
              "(tools/tf_train_fixtures.py --cnn32)"
              % tf.__version__)
        for step, value in enumerate(cnn_curve(images, labels, tf.float32, 50, 16)):
            print(step + 1, repr(value))
        return
    f32 = curve(tf.float32, images, labels)
    f64 = curve(tf.float64, images, labels)
    print("# TensorFlow %s: step, loss in float32, loss in float64 (tools/tf_train_fixtures.py)" % tf.__version__)
    for step in range(STEPS):
        print(step + 1, repr(f32[step]), repr(f64[step]))


if __name__ == "__main__":
    main()
