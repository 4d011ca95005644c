"""tessera.compat: TensorFlow-compatible APIs (v1: tf.compat.v1)."""
