"""tessera: a dataflow-graph runtime in the TensorFlow 1.x mould.

TF1 programs run with one changed import::

    import tessera.compat.v1 as tf

The C++ library is the engine (``tessera._tessera`` binds it); this package is
the thin layer that gives it TensorFlow's Python API.
"""

__version__ = "0.1.0"


def from_dlpack(x):
    """An array sharing the memory of any DLPack producer in host memory (PyTorch, JAX, CuPy's host arrays);
    feed it, or make a constant of it."""
    import numpy as np  # noqa: PLC0415

    return np.from_dlpack(x)


def to_dlpack(array):
    """A DLPack capsule of a fetched value (fetched values are numpy arrays, which also have __dlpack__)."""
    return array.__dlpack__()
