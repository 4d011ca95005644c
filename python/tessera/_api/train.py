"""tf.gradients, tf.train's optimizers, the global step and the Saver, over tessera's C++ ones."""

import os

from tessera import _tessera as _C
from tessera._api.framework import Tensor, get_default_graph
from tessera._api.ops import convert_to_tensor
from tessera._api.variables import Variable, _wrap_list


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False, gate_gradients=False,
              aggregation_method=None, stop_gradients=None, unconnected_gradients="none"):
    """tf.gradients: the symbolic d(sum ys)/dx for each x (None where none flows)."""
    ys = [convert_to_tensor(y) for y in (ys if isinstance(ys, (list, tuple)) else [ys])]
    xs_list = xs if isinstance(xs, (list, tuple)) else [xs]
    xs_t = [x._ref() if isinstance(x, Variable) else convert_to_tensor(x) for x in xs_list]
    xs_t = [x.value() if isinstance(x, Variable) else x for x in xs_t]
    xs_t = [_variable_value(x) for x in xs_t]
    grad_ys = [] if grad_ys is None else [convert_to_tensor(g) for g in
                                          (grad_ys if isinstance(grad_ys, (list, tuple)) else [grad_ys])]
    unconnected = getattr(unconnected_gradients, "value", unconnected_gradients)
    g = ys[0].graph
    outs = _C.gradients(g._g, [y._out for y in ys], [x._out for x in xs_t], [gy._out for gy in grad_ys],
                        unconnected == "zero", bool(colocate_gradients_with_ops))
    return [None if o is None else g._tensor(o) for o in outs]


def _variable_value(t):
    """A variable's ref output stands for the variable itself (its value), as TF's gradients treat it."""
    if isinstance(t, Tensor) and t.op.type == "VariableV2":
        v = t.graph._variable(t.op._node)
        if v is not None:
            return v.value()
    return t


class Optimizer:
    """The base of tf.train's optimizers: compute_gradients, apply_gradients, minimize."""

    GATE_NONE, GATE_OP, GATE_GRAPH = 0, 1, 2

    def __init__(self, cpp):
        self._opt = cpp

    def get_name(self):
        return self._opt.name

    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP, aggregation_method=None,
                          colocate_gradients_with_ops=False, grad_loss=None):
        loss = convert_to_tensor(loss)
        g = loss.graph
        cvs = [v._v for v in var_list] if var_list is not None else []
        pairs = self._opt.compute_gradients(loss._out, cvs)
        return [(None if gr is None else g._tensor(gr), _wrap_list(g, [cv])[0]) for gr, cv in pairs]

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        grads_and_vars = list(grads_and_vars)
        if not grads_and_vars:
            raise ValueError("No variables provided.")
        if all(gr is None for gr, _ in grads_and_vars):
            raise ValueError("No gradients provided for any variable: %s." %
                             ([str(v) for _, v in grads_and_vars],))
        g = grads_and_vars[0][1].graph
        pairs = [(None if gr is None else convert_to_tensor(gr)._out, v._v) for gr, v in grads_and_vars]
        node = self._opt.apply_gradients(g._g, pairs, None if global_step is None else global_step._v, name or "")
        return g._op(node)

    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP, aggregation_method=None,
                 colocate_gradients_with_ops=False, name=None, grad_loss=None):
        gvs = self.compute_gradients(loss, var_list=var_list)
        if all(gr is None for gr, _ in gvs):
            raise ValueError("No gradients provided for any variable, check your graph for ops that do not support "
                             "gradients, between variables %s and loss %s." % ([v.name for _, v in gvs], loss))
        return self.apply_gradients(gvs, global_step=global_step, name=name)

    def get_slot(self, var, name):
        cv = self._opt.get_slot(var._v, name)
        try:
            return _wrap_list(var.graph, [cv])[0]
        except (AttributeError, TypeError):
            return None

    def get_slot_names(self):
        return list(self._opt.get_slot_names())


def _hyper(v):
    if isinstance(v, Tensor):
        return v._out
    if callable(v):
        v = v()
    return float(v)


class GradientDescentOptimizer(Optimizer):
    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(_C.GradientDescentOptimizer(_hyper(learning_rate), use_locking, name))


class MomentumOptimizer(Optimizer):
    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum", use_nesterov=False):
        super().__init__(_C.MomentumOptimizer(_hyper(learning_rate), _hyper(momentum), use_locking, name,
                                              use_nesterov))


class AdamOptimizer(Optimizer):
    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-08, use_locking=False, name="Adam"):
        super().__init__(_C.AdamOptimizer(_hyper(learning_rate), _hyper(beta1), _hyper(beta2), _hyper(epsilon),
                                          use_locking, name))


class RMSPropOptimizer(Optimizer):
    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10, use_locking=False, centered=False,
                 name="RMSProp"):
        if centered:
            raise ValueError("tessera's RMSPropOptimizer is the uncentered one (centered=False)")
        super().__init__(_C.RMSPropOptimizer(_hyper(learning_rate), _hyper(decay), _hyper(momentum),
                                             _hyper(epsilon), use_locking, name))


def get_or_create_global_step(graph=None):
    g = graph or get_default_graph()
    return _wrap_list(g, [_C.get_or_create_global_step(g._g)])[0]


def get_global_step(graph=None):
    g = graph or get_default_graph()
    cv = _C.get_global_step(g._g)
    return None if cv is None else _wrap_list(g, [cv])[0]


def create_global_step(graph=None):
    g = graph or get_default_graph()
    if get_global_step(g) is not None:
        raise ValueError("global_step already exists.")
    return get_or_create_global_step(g)


class Saver:
    """tf.train.Saver: V2 checkpoints TensorFlow reads and writes."""

    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5, keep_checkpoint_every_n_hours=10000.0,
                 name=None, restore_sequentially=False, saver_def=None, builder=None, defer_build=False,
                 allow_empty=False, write_version=2, pad_step_number=False, save_relative_paths=False, filename=None):
        g = get_default_graph()
        var_map = {}
        plain = []
        if isinstance(var_list, dict):
            var_map = {k: v._v for k, v in var_list.items()}
            g = next(iter(var_list.values())).graph if var_list else g
        elif var_list is not None:
            plain = [v._v for v in var_list]
            g = var_list[0].graph if var_list else g
        self._graph = g
        self._saver = _C.Saver.create(g._g, plain, var_map, int(max_to_keep or 0), name or "save", True)

    def save(self, sess, save_path, global_step=None, latest_filename=None, meta_graph_suffix="meta",
             write_meta_graph=True, write_state=True, strip_default_attrs=False, save_debug_info=False):
        step = None
        if global_step is not None:
            step = int(sess.run(global_step)) if not isinstance(global_step, int) else global_step
        return self._saver.save(sess._s, os.fspath(save_path), step, latest_filename or "checkpoint",
                                bool(write_state))

    def restore(self, sess, save_path):
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        self._saver.restore(sess._s, os.fspath(save_path))

    @property
    def last_checkpoints(self):
        return list(self._saver.last_checkpoints)

    def recover_last_checkpoints(self, checkpoint_paths):
        self._saver.recover_last_checkpoints(list(checkpoint_paths))


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    return _C.latest_checkpoint(os.fspath(checkpoint_dir), latest_filename or "checkpoint")


def checkpoint_exists(checkpoint_prefix):
    return _C.checkpoint_exists(os.fspath(checkpoint_prefix))


def write_graph(graph_or_graph_def, logdir, name, as_text=True):
    """Writes the graph as a GraphDef (text when as_text) to logdir/name; returns the path."""
    g = graph_or_graph_def
    path = os.path.join(os.fspath(logdir), name)
    os.makedirs(os.fspath(logdir), exist_ok=True)
    data = _C.export_graph_def(g._g, bool(as_text))
    with open(path, "wb") as f:
        f.write(data)
    return path


def import_graph_def(graph_def, input_map=None, return_elements=None, name=None, op_dict=None, producer_op_list=None):
    """Adds a GraphDef's nodes to the default graph under `name` (default "import")."""
    g = get_default_graph()
    data = graph_def.SerializeToString() if hasattr(graph_def, "SerializeToString") else bytes(graph_def)
    prefix = "import" if name is None else name
    imap = {k: convert_to_tensor(v)._out for k, v in (input_map or {}).items()}
    _C.import_graph_def(g._g, data, False, prefix, imap, False)
    if return_elements is None:
        return None
    scope = prefix + "/" if prefix else ""
    return [g.as_graph_element(scope + e) for e in return_elements]
