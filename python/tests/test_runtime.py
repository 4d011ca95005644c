"""numpy in and out, DLPack, the GIL released during Run, logging, reference counting, training."""

import gc
import logging
import threading
import time
import tracemalloc

import numpy as np
import pytest

import tessera
import tessera.compat.v1 as tf


def test_fetches_are_views_of_the_result_and_copies_of_shared_buffers():
    v = tf.Variable([1.0, 2.0], name="v")
    y = tf.square(tf.constant(np.arange(1000, dtype=np.float32)))
    with tf.Session() as sess:
        sess.run(v.initializer)
        out = sess.run(y)
        assert not out.flags.owndata  # a view of the tensor's buffer, which the array keeps alive
        assert out[999] == 999.0 ** 2
        val = sess.run(v)
        val[0] = 100.0  # the variable's buffer is shared: the fetch is a copy
        np.testing.assert_allclose(sess.run(v), [1.0, 2.0])


def test_dlpack_both_ways():
    x = tf.placeholder(tf.float32, [3])
    with tf.Session() as sess:
        out = sess.run(x * 2.0, {x: tessera.from_dlpack(np.arange(3, dtype=np.float32))})
    assert out.__dlpack_device__() == (1, 0)  # kDLCPU
    back = np.from_dlpack(out)
    np.testing.assert_allclose(back, [0, 2, 4])
    assert tessera.to_dlpack(out) is not None


def test_gil_released_during_run():
    """A Python thread keeps running while another waits in a long Run."""
    x = tf.placeholder(tf.float32, [512, 512])
    y = x
    for _ in range(30):
        y = tf.matmul(y, x) * 0.001
    feed = np.random.RandomState(0).rand(512, 512).astype(np.float32)
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    with tf.Session() as sess:
        sess.run(y, {x: feed})
        t = threading.Thread(target=ticker)
        t.start()
        start = time.perf_counter()
        for _ in range(3):
            sess.run(y, {x: feed})
        end = time.perf_counter()
        stop.set()
        t.join()
    during = [s for s in ticks if start <= s <= end]
    assert len(during) >= 5, "the ticker thread starved: the GIL was held during Run"


def test_many_threads_share_a_session():
    x = tf.placeholder(tf.float32, [])
    y = x * 2.0 + 1.0
    errors = []
    with tf.Session() as sess:
        def worker(k):
            try:
                for i in range(200):
                    assert sess.run(y, {x: float(k * 1000 + i)}) == 2.0 * (k * 1000 + i) + 1.0
            except Exception as e:  # noqa: BLE001
                errors.append(e)
        threads = [threading.Thread(target=worker, args=(k,)) for k in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []


def test_log_reaches_python_logging(caplog):
    a = tf.constant(1.0, name="logged_a")
    config = tf.ConfigProto(log_device_placement=True)
    root = logging.getLogger()
    with caplog.at_level(logging.INFO, logger="tessera"):
        assert root.handlers  # caplog's handler: records propagate to the program's logging
        with tf.Session(config=config) as sess:
            sess.run(a)
    lines = [r.getMessage() for r in caplog.records if r.name == "tessera"]
    assert "logged_a: (Const): /job:localhost/replica:0/task:0/device:CPU:0" in lines


def test_no_leak_over_many_runs():
    a = tf.placeholder(tf.float32, [16])
    b = a * 2.0
    feed = np.ones(16, np.float32)
    with tf.Session() as sess:
        for _ in range(2000):
            sess.run(b, {a: feed})
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.take_snapshot()
        rss0 = _rss_kb()
        for _ in range(100_000):
            sess.run(b, {a: feed})
        gc.collect()
        after = tracemalloc.take_snapshot()
        rss1 = _rss_kb()
        tracemalloc.stop()
    grown = sum(s.size_diff for s in after.compare_to(before, "filename"))
    assert grown < 64 * 1024, "Python heap grew by %d bytes over 10^5 runs" % grown
    assert rss1 - rss0 < 8 * 1024, "RSS grew by %d KiB over 10^5 runs" % (rss1 - rss0)


def _rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_training_an_mlp_lowers_the_loss():
    rng = np.random.RandomState(0)
    data = rng.rand(64, 4).astype(np.float32)
    labels = (data.sum(axis=1) > 2).astype(np.int32)
    tf.set_random_seed(1)
    x = tf.placeholder(tf.float32, [None, 4])
    y = tf.placeholder(tf.int32, [None])
    w = tf.Variable(tf.truncated_normal([4, 8], stddev=0.5), name="w")
    b = tf.Variable(tf.zeros([8]), name="b")
    w2 = tf.Variable(tf.truncated_normal([8, 2], stddev=0.5), name="w2")
    logits = tf.matmul(tf.nn.relu(tf.matmul(x, w) + b), w2)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    step = tf.train.get_or_create_global_step()
    train = tf.train.AdamOptimizer(0.05).minimize(loss, global_step=step)
    grads = tf.gradients(loss, [w, b])
    assert all(g is not None for g in grads)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {x: data, y: labels})
        for _ in range(100):
            sess.run(train, {x: data, y: labels})
        last = sess.run(loss, {x: data, y: labels})
        assert sess.run(step) == 100
    assert last < first * 0.5


def test_saver_round_trip(tmp_path):
    v = tf.Variable([1.0, 2.0], name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(v.assign([3.0, 4.0]))
        path = saver.save(sess, str(tmp_path / "model"), global_step=7)
    assert path == str(tmp_path / "model-7")
    assert tf.train.latest_checkpoint(str(tmp_path)) == path
    with tf.Session() as sess:
        saver.restore(sess, path)
        np.testing.assert_allclose(sess.run(v), [3, 4])
        with pytest.raises(tf.errors.NotFoundError):
            saver.restore(sess, str(tmp_path / "missing"))


def test_no_gpu_is_a_normal_state():
    """Without a GPU (no plugin, no driver, no device) the session says why and runs on the CPU."""
    with tf.Session() as sess:
        kinds = [d.device_type for d in sess.list_devices()]
        if "GPU" in kinds:
            pytest.skip("this machine has a GPU")
        assert kinds == ["CPU"]
        reason = sess.no_gpu_reason()
        assert reason and ("plugin" in reason or "driver" in reason.lower() or "GPU" in reason)
        with tf.device("/gpu:0"):
            y = tf.constant(2.0) * 3.0
        with pytest.raises(tf.errors.InvalidArgumentError, match="GPU"):
            sess.run(y)
    with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as sess:
        assert sess.run(y) == 6.0
