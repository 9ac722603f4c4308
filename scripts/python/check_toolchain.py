"""Checks the tfjs-repro Python toolchain: the imports, then one real conversion of a tiny .h5.

Run by scripts/setup-python.mjs with the venv's python. Prints one JSON line with the versions
on success; exits non-zero with the failing step on stderr otherwise.
"""
import json
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def fail(step, message):
    sys.stderr.write(f"{step}: {message}\n")
    sys.exit(2)


def main():
    try:
        import joblib
        import keras
        import numpy
        import sklearn
        import tensorflow as tf
        import tensorflowjs
        import tf_keras
    except Exception as e:  # any import error names the missing or broken package
        fail("import check", f"{type(e).__name__}: {e}")

    with tempfile.TemporaryDirectory() as tmp:
        h5 = os.path.join(tmp, "tiny.h5")
        out = os.path.join(tmp, "tfjs")
        model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,)), tf.keras.layers.Dense(1)])
        model.save(h5)
        converter = os.path.join(os.path.dirname(sys.executable), "tensorflowjs_converter")
        r = subprocess.run([converter, "--input_format", "keras", h5, out], capture_output=True, text=True)
        if r.returncode != 0 or not os.path.exists(os.path.join(out, "model.json")):
            fail("converter check", f"tensorflowjs_converter failed (exit {r.returncode}): {r.stderr[-2000:]}")

    print(json.dumps({
        "python": sys.version.split()[0],
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "tf_keras": tf_keras.__version__,
        "tensorflowjs": tensorflowjs.__version__,
        "scikit-learn": sklearn.__version__,
        "joblib": joblib.__version__,
        "numpy": numpy.__version__,
    }))


if __name__ == "__main__":
    main()
