import pytest

import tessera.compat.v1 as tf


@pytest.fixture(autouse=True)
def fresh_default_graph():
    """Each test starts with an empty default graph, as a new TF1 program does."""
    tf.reset_default_graph()
    yield
