"""Tests of the Python bridge, run by the venv's python (no pytest needed):
  ~/.cache/tfjs-repro/python/bin/python -m unittest discover -s harness/import/python -p 'test_*.py'
"""
import base64
import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from preprocessing_state import apply_preprocessing  # noqa: E402


def bridge(script, *args):
    r = subprocess.run([sys.executable, os.path.join(HERE, script), *args], capture_output=True, text=True,
                       env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    return r.returncode, json.loads(r.stdout.strip().split("\n")[-1])


class SklearnStateTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        import joblib
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, RobustScaler, StandardScaler

        cls.tmp = tempfile.mkdtemp()
        rng = np.random.default_rng(5)
        x = np.stack([rng.normal(3, 2, 64), rng.uniform(1000, 5000, 64), rng.normal(-1, 0.01, 64)], 1)
        cls.scalers = {"std": StandardScaler(), "minmax": MinMaxScaler((-1, 1)), "robust": RobustScaler(), "maxabs": MaxAbsScaler(),
                       "pipeline": Pipeline([("a", StandardScaler()), ("b", MinMaxScaler())])}
        for name, est in cls.scalers.items():
            joblib.dump(est.fit(x), os.path.join(cls.tmp, f"{name}.joblib"))
        cls.probes = os.path.join(cls.tmp, "probes.json")
        with open(cls.probes, "w") as f:
            json.dump(rng.normal(0, 100, (7, 3)).tolist(), f)

    def test_state_reproduces_sklearn_transform_bit_for_bit(self):
        with open(self.probes) as f:
            probes = np.asarray(json.load(f), np.float64)
        for name in self.scalers:
            code, out = bridge("sklearn_state.py", "--from", os.path.join(self.tmp, f"{name}.joblib"), "--allow-pickle", "--probes", self.probes)
            self.assertEqual(code, 0, out)
            want = np.frombuffer(base64.b64decode(out["transform"]["data"]), "<f8").reshape(out["transform"]["shape"])
            got = apply_preprocessing(probes, out)
            self.assertTrue(np.array_equal(got.view(np.uint64), want.view(np.uint64)), name)

    def test_pickle_refused_without_flag(self):
        code, out = bridge("sklearn_state.py", "--from", os.path.join(self.tmp, "std.joblib"))
        self.assertEqual((code, out["code"]), (3, "pickle-refused"))
        self.assertIn("--allow-pickle", out["error"])

    def test_pickle_from_newer_sklearn_refused(self):
        import joblib
        import sklearn.base
        from sklearn.preprocessing import StandardScaler

        path = os.path.join(self.tmp, "newer.joblib")
        real = sklearn.base.__version__
        sklearn.base.__version__ = "99.0.0"
        try:
            joblib.dump(StandardScaler().fit(np.ones((3, 2))), path)
        finally:
            sklearn.base.__version__ = real
        code, out = bridge("sklearn_state.py", "--from", path, "--allow-pickle")
        self.assertEqual((code, out["code"]), (3, "sklearn-too-new"))
        self.assertIn("99.0.0", out["error"])


class ConvertTest(unittest.TestCase):
    def test_weights_only_h5_refused(self):
        import tensorflow as tf

        with tempfile.TemporaryDirectory() as tmp:
            m = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
            m.save_weights(os.path.join(tmp, "w.h5"))
            code, out = bridge("convert.py", "--from", os.path.join(tmp, "w.h5"), "--out", os.path.join(tmp, "out"))
            self.assertEqual((code, out["code"]), (3, "weights-only"))
            self.assertFalse(os.path.exists(os.path.join(tmp, "out")))

    def test_keras2_dot_keras_refused_with_route(self):
        import tensorflow as tf

        with tempfile.TemporaryDirectory() as tmp:
            tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))]).save(os.path.join(tmp, "m.keras"))
            code, out = bridge("convert.py", "--from", os.path.join(tmp, "m.keras"), "--out", os.path.join(tmp, "out"))
            self.assertEqual((code, out["code"]), (3, "keras2-dot-keras"))
            self.assertIn("model.h5", out["route"])

    def test_keras3_h5_refused_with_route(self):
        # A Keras 2 .h5 relabelled as Keras 3 (the pinned toolchain cannot write Keras 3 files): detection
        # goes by the keras_version attribute Keras writes.
        import shutil

        import h5py

        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "k3.h5")
            shutil.copy(os.path.join(HERE, "..", "..", "..", "models", "keras-scaler", "model.h5"), src)
            with h5py.File(src, "a") as f:
                f.attrs["keras_version"] = "3.3.3"
            code, out = bridge("convert.py", "--from", src, "--out", os.path.join(tmp, "out"))
            self.assertEqual((code, out["code"]), (3, "keras3"))
            self.assertIn("model.export", out["route"])

    def test_real_keras3_h5_without_keras_version_still_refused(self):
        # The committed Keras 3 fixture (made by scripts/keras/make_keras3_fixtures.sh) with its keras_version
        # attribute removed: its config alone (InputLayer batch_shape) says Keras 3.
        import shutil

        import h5py

        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "k3.h5")
            shutil.copy(os.path.join(HERE, "..", "fixtures", "keras3", "model.h5"), src)
            with h5py.File(src, "a") as f:
                del f.attrs["keras_version"]
            code, out = bridge("convert.py", "--from", src, "--out", os.path.join(tmp, "out"))
            self.assertEqual((code, out["code"]), (3, "keras3"))
            self.assertIn("model.export", out["route"])

    def test_h5_converts_and_names_custom_classes(self):
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(HERE, "..", "..", "..", "models", "keras-custom-activation", "model.h5")
            code, out = bridge("convert.py", "--from", src, "--out", os.path.join(tmp, "out"))
            self.assertEqual(code, 0, out)
            self.assertEqual((out["format"], out["customClasses"]), ("layers-model", ["CustomActivation"]))


if __name__ == "__main__":
    unittest.main()
