"""The TF1 programs of the documents tessera was created from (../shared/seeds/),
verbatim but for the import, with the output the documents show."""

import subprocess
import sys
import textwrap

import pytest


def run_program(source, capsys):
    exec(compile(textwrap.dedent(source), "seed_program.py", "exec"), {})
    return capsys.readouterr()


def test_session_run_and_close(capsys):
    out = run_program("""
        import tessera.compat.v1 as tf
        a = tf.constant([1.0, 2.0], name="a")
        b = tf.constant([2.0, 3.0], name="b")
        result = a + b
        sess = tf.Session()
        print(sess.run(result))
        sess.close()
        """, capsys)
    assert out.out == "[3. 5.]\n"


def test_session_as_context_manager(capsys):
    out = run_program("""
        import tessera.compat.v1 as tf
        a = tf.constant([1.0, 2.0], name="a")
        b = tf.constant([2.0, 3.0], name="b")
        result = a + b
        with tf.Session() as sess:
            print(sess.run(result))
        """, capsys)
    assert out.out == "[3. 5.]\n"


def test_default_session_eval(capsys):
    out = run_program("""
        import tessera.compat.v1 as tf
        a = tf.constant([1.0, 2.0], name="a")
        b = tf.constant([2.0, 3.0], name="b")
        result = a + b
        sess = tf.Session()
        with sess.as_default():
            print(result.eval())
        sess = tf.Session()
        print(sess.run(result))
        print(result.eval(session=sess))
        sess = tf.InteractiveSession()
        print(result.eval())
        sess.close()
        """, capsys)
    assert out.out == "[3. 5.]\n" * 4


@pytest.mark.parametrize("sub", ["sub", "subtract"])
def test_interactive_session_with_initializer_run(capsys, sub):
    out = run_program("""
        import tessera.compat.v1 as tf
        sess = tf.InteractiveSession()
        x = tf.Variable([1.0, 2.0])
        a = tf.constant([3.0, 3.0])
        x.initializer.run()
        sub = tf.%s(x, a)
        print(sub.eval())
        sess.close()
        """ % sub, capsys)
    assert out.out == "[-2. -1.]\n"


def test_variable_lives_in_one_session(capsys):
    out = run_program("""
        import tessera.compat.v1 as tf
        graph = tf.Graph()
        with graph.as_default():
          variable = tf.Variable(42, name='foo')
          initialize = tf.global_variables_initializer()
          assign = variable.assign(13)
        with tf.Session(graph=graph) as sess:
          sess.run(initialize)
          sess.run(assign)
          print(sess.run(variable))
        try:
          with tf.Session(graph=graph) as sess:
            print(sess.run(variable))
        except tf.errors.FailedPreconditionError as e:
          print("Error:", e.message.splitlines()[0])
        with tf.Session(graph=graph) as sess:
          sess.run(initialize)
          print(sess.run(variable))
        """, capsys)
    assert out.out == "13\nError: Attempting to use uninitialized value foo\n42\n"


def test_config_proto_soft_placement_and_log():
    # A program of its own, with Python's logging left unconfigured, as a script has it.
    program = textwrap.dedent("""
        import tessera.compat.v1 as tf
        a = tf.constant([1.0, 2.0], name="a")
        with tf.device("/gpu:0"):
            b = tf.constant([2.0, 3.0], name="b")
            result = a + b
        config = tf.ConfigProto(allow_soft_placement=True,
                                log_device_placement=True)
        sess1 = tf.InteractiveSession(config=config)
        sess2 = tf.Session(config=config)
        print(sess2.run(result))
        sess1.close()
        sess2.close()
        """)
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert out.stdout == "[3. 5.]\n"
    # The placement log reaches Python's logging; unconfigured, it shows on stderr.
    assert "a: (Const): /job:localhost/replica:0/task:0/device:CPU:0\n" in out.stderr
    assert "add: (AddV2): /job:localhost/replica:0/task:0/device:CPU:0  [soft: /device:GPU:0" in out.stderr
    assert "No GPU" in out.stderr
