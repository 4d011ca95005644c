"""Programs from TensorFlow 1.x's documentation (basic usage, variables, the first
tutorials), with only the import changed, and the values TF prints."""

import numpy as np

import tessera.compat.v1 as tf


def test_basic_usage_matmul():
    matrix1 = tf.constant([[3., 3.]])
    matrix2 = tf.constant([[2.], [2.]])
    product = tf.matmul(matrix1, matrix2)
    with tf.Session() as sess:
        result = sess.run([product])
    assert len(result) == 1
    np.testing.assert_array_equal(result[0], [[12.]])


def test_counter_variable(capsys):
    state = tf.Variable(0, name="counter")
    one = tf.constant(1)
    new_value = tf.add(state, one)
    update = tf.assign(state, new_value)
    init_op = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init_op)
        print(sess.run(state))
        for _ in range(3):
            sess.run(update)
            print(sess.run(state))
    assert capsys.readouterr().out == "0\n1\n2\n3\n"


def test_fetch_several():
    input1 = tf.constant(3.0)
    input2 = tf.constant(2.0)
    input3 = tf.constant(5.0)
    intermed = tf.add(input2, input3)
    mul = tf.multiply(input1, intermed)
    with tf.Session() as sess:
        result = sess.run([mul, intermed])
    assert result == [21.0, 7.0]
    assert type(result[0]) is np.float32  # TF's run returns numpy scalars


def test_feed(capsys):
    input1 = tf.placeholder(tf.float32)
    input2 = tf.placeholder(tf.float32)
    output = tf.multiply(input1, input2)
    with tf.Session() as sess:
        print(sess.run([output], feed_dict={input1: [7.], input2: [2.]}))
    assert capsys.readouterr().out == "[array([14.], dtype=float32)]\n"


def test_get_started_linear_regression():
    x_data = np.random.RandomState(0).rand(100).astype(np.float32)
    y_data = x_data * 0.1 + 0.3
    W = tf.Variable(tf.random_uniform([1], -1.0, 1.0))  # noqa: N806 (the tutorial's names)
    b = tf.Variable(tf.zeros([1]))
    y = W * x_data + b
    loss = tf.reduce_mean(tf.square(y - y_data))
    optimizer = tf.train.GradientDescentOptimizer(0.5)
    train = optimizer.minimize(loss)
    init = tf.initialize_all_variables()
    sess = tf.Session()
    sess.run(init)
    for step in range(201):
        sess.run(train)
    np.testing.assert_allclose(sess.run(W), [0.1], atol=1e-3)
    np.testing.assert_allclose(sess.run(b), [0.3], atol=1e-3)
    sess.close()


def test_softmax_regression_tutorial():
    rng = np.random.RandomState(1)
    centers = rng.rand(10, 784).astype(np.float32)
    labels = rng.randint(0, 10, 500)
    images = (centers[labels] + 0.1 * rng.randn(500, 784)).astype(np.float32)
    onehot = np.eye(10, dtype=np.float32)[labels]
    x = tf.placeholder(tf.float32, [None, 784])
    W = tf.Variable(tf.zeros([784, 10]))  # noqa: N806
    b = tf.Variable(tf.zeros([10]))
    y = tf.nn.softmax(tf.matmul(x, W) + b)
    y_ = tf.placeholder(tf.float32, [None, 10])
    cross_entropy = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(y), reduction_indices=[1]))
    train_step = tf.train.GradientDescentOptimizer(0.5).minimize(cross_entropy)
    correct_prediction = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
    sess = tf.InteractiveSession()
    tf.global_variables_initializer().run()
    for i in range(50):
        batch = slice(i * 10 % 500, i * 10 % 500 + 100)
        train_step.run({x: images[batch], y_: onehot[batch]})
    assert accuracy.eval({x: images, y_: onehot}) > 0.9
    sess.close()
