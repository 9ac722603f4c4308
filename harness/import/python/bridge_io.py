"""Shared helpers of the Python bridge: quiet TensorFlow, JSON in/out, raw float32 tensors, errors.

The bridge never formats a float: tensors go back as raw little-endian float32 bytes (base64) with
their shapes, and TypeScript encodes them with the project's one golden codec.
"""
import base64
import json
import os
import platform
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


class BridgeError(Exception):
    """An error the caller should show as is: names the input, what is wrong and how to fix it."""

    def __init__(self, message, code="error", route=None):
        super().__init__(message)
        self.code = code
        self.route = route


def run_main(main):
    """Runs main() -> dict; prints {"ok": true, ...} or {"ok": false, "error", "code", "route"} on stdout."""
    try:
        result = main()
        out = {"ok": True, **result}
        code = 0
    except BridgeError as e:
        out = {"ok": False, "code": e.code, "error": str(e), "route": e.route}
        code = 3
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    sys.exit(code)


def read_json(path, what):
    try:
        with open(path, "r", encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise BridgeError(f"{path}: {what} file not found; check the path", "not-found")
    except json.JSONDecodeError as e:
        raise BridgeError(f"{path}: {what} must be JSON ({e}); fix the file", "bad-json")


def write_json(path, value):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=1)
        f.write("\n")


def tensor_to_raw(array, name):
    """{name, shape, dtype: float32, data: base64 of little-endian float32 bytes}."""
    import numpy as np

    a = np.ascontiguousarray(np.asarray(array), dtype="<f4")
    return {"name": name, "shape": list(a.shape), "dtype": "float32", "data": base64.b64encode(a.tobytes()).decode("ascii")}


def float64_to_raw(array):
    """float64 values as base64 of little-endian bytes: exact, for bit-for-bit checks in JavaScript."""
    import numpy as np

    a = np.ascontiguousarray(np.asarray(array), dtype="<f8")
    return {"shape": list(a.shape), "dtype": "float64", "data": base64.b64encode(a.tobytes()).decode("ascii")}


def provenance():
    """Versions of what computed a result (TensorFlow, Keras, Python, NumPy, platform)."""
    import numpy as np
    import tensorflow as tf

    keras_version = getattr(tf.keras, "__version__", None)
    try:
        import keras

        keras_version = keras.__version__
    except Exception:
        pass
    return {
        "tensorflow": tf.__version__,
        "keras": keras_version,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "platform": f"{sys.platform}-{platform.machine()}",
    }
