"""ONNX Runtime anchors for bench/runtime_bench.cc's cases: the same graphs as
ONNX models, run with one thread (sequential execution). Prints one JSON object
per case: {"name": ..., "ns": median per InferenceSession.run}.

Per-run times include the Python binding's fixed cost; the per-node figure
(chain of 101 minus chain of 1) does not.
"""
import json
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper


def session(graph):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL  # keep every node
    return ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])


def median_ns(f, iters, rounds=7):
    for _ in range(iters // 10 + 1):
        f()
    means = []
    for _ in range(rounds):
        t0 = time.perf_counter_ns()
        for _ in range(iters):
            f()
        means.append((time.perf_counter_ns() - t0) / iters)
    means.sort()
    return means[len(means) // 2]


def const(name, array):
    return numpy_helper.from_array(np.asarray(array, dtype=np.float32), name)


def overhead3():
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    nodes = [helper.make_node("Mul", ["x", "two"], ["m"]), helper.make_node("Add", ["m", "one"], ["a"]),
             helper.make_node("Relu", ["a"], ["y"])]
    g = helper.make_graph(nodes, "overhead3", [x], [y], [const("two", 2.0), const("one", 1.0)])
    s = session(g)
    feed = {"x": np.array([[1, -2, 3, -4]], dtype=np.float32)}
    return median_ns(lambda: s.run(None, feed), 20000)


def chain(length):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info(f"t{length}", TensorProto.FLOAT, [1, 4])
    nodes = [helper.make_node("Add", ["x" if i == 0 else f"t{i}", "one"], [f"t{i + 1}"]) for i in range(length)]
    g = helper.make_graph(nodes, "chain", [x], [y], [const("one", 1.0)])
    s = session(g)
    feed = {"x": np.zeros((1, 4), dtype=np.float32)}
    return median_ns(lambda: s.run(None, feed), 5000)


def mlp(batch):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [batch, 784])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [batch, 10])
    inits, nodes, prev = [], [], "x"
    for i, (n_in, n_out) in enumerate([(784, 256), (256, 256), (256, 10)]):
        inits += [const(f"w{i}", np.zeros((n_in, n_out))), const(f"b{i}", np.zeros(n_out))]
        nodes.append(helper.make_node("MatMul", [prev, f"w{i}"], [f"mm{i}"]))
        nodes.append(helper.make_node("Add", [f"mm{i}", f"b{i}"], [f"z{i}"]))
        if i < 2:
            nodes.append(helper.make_node("Relu", [f"z{i}"], [f"h{i}"]))
            prev = f"h{i}"
    nodes.append(helper.make_node("Softmax", ["z2"], ["y"], axis=1))
    s = session(helper.make_graph(nodes, "mlp", [x], [y], inits))
    feed = {"x": np.zeros((batch, 784), dtype=np.float32)}
    return median_ns(lambda: s.run(None, feed), 5000 if batch == 1 else 200)


def add_1m():
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1 << 20])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1 << 20])
    s = session(helper.make_graph([helper.make_node("Add", ["x", "x"], ["y"])], "add", [x], [y]))
    feed = {"x": np.ones(1 << 20, dtype=np.float32)}
    return median_ns(lambda: s.run(None, feed), 300)


if __name__ == "__main__":
    for name, f in [("overhead3", overhead3), ("chain1", lambda: chain(1)), ("chain101", lambda: chain(101)),
                    ("mlp_b1", lambda: mlp(1)), ("mlp_b64", lambda: mlp(64)), ("add_1m", add_1m)]:
        print(json.dumps({"name": name, "ns": round(f(), 1)}), flush=True)
