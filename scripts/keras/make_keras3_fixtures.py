"""Writes the Keras 3 fixtures of harness/import/fixtures/keras3/, from a fixed seed.

Run by make_keras3_fixtures.sh with a second TensorFlow that ships Keras 3 (a throwaway venv outside the
project); never by CI or npm test, which use the committed files. The fixtures exist for the error
messages of `tfjs-repro import` (a Keras 3 .h5/.keras names the route that works) and to show that route:
  model.keras       Keras 3 native format (model.save('model.keras'))
  model.h5          Keras 3 legacy HDF5 (model.save('model.h5'))
  saved_model/      model.export('saved_model'): a plain TensorFlow SavedModel (serving endpoint "serve")
  model-tf-keras.h5 the same model and weights saved through tf_keras (Keras 2 API, what TF_USE_LEGACY_KERAS=1 selects)
  keras3-fixtures.json  exact versions used, the probes and Keras 3's own predictions of them (float32 values)
A Dense(4, relu) then Dense(1) model on 3 features, trained briefly so no weight is a trivial initial value.
The .keras file's metadata records the save date, so a re-run differs in that file: it is made once and committed.
"""
import json
import os
import platform
import shutil
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["PYTHONHASHSEED"] = "0"

import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.normpath(os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "harness", "import", "fixtures", "keras3"))


def main():
    if not keras.__version__.startswith("3."):
        sys.exit(f"make_keras3_fixtures.py: keras must be 3.x, got {keras.__version__}; run it through make_keras3_fixtures.sh")
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(1)
    keras.utils.set_random_seed(33)
    rng = np.random.default_rng(33)
    x = rng.normal(0, 1, (64, 3)).astype(np.float32)
    y = (x[:, 0] - 0.5 * x[:, 1] * x[:, 2]).astype(np.float32)
    model = keras.Sequential([keras.Input(shape=(3,), name="features"), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    model.fit(x, y, epochs=5, batch_size=16, shuffle=False, verbose=0)
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    model.save(os.path.join(OUT, "model.keras"))
    model.save(os.path.join(OUT, "model.h5"))
    model.export(os.path.join(OUT, "saved_model"), verbose=False)
    import tf_keras  # the legacy route: the same weights in a Keras 2 model, saved as Keras 2 HDF5

    legacy = tf_keras.Sequential([tf_keras.Input(shape=(3,), name="features"), tf_keras.layers.Dense(4, activation="relu"), tf_keras.layers.Dense(1)])
    legacy.set_weights(model.get_weights())
    legacy.save(os.path.join(OUT, "model-tf-keras.h5"))
    probes = rng.normal(0, 1, (6, 3)).astype(np.float32)
    outputs = model.predict(probes, verbose=0).astype(np.float32)
    info = {
        "made_by": "scripts/keras/make_keras3_fixtures.sh (scripts/keras/make_keras3_fixtures.py)",
        "versions": {"tensorflow": tf.__version__, "keras": keras.__version__, "numpy": np.__version__,
                     "tf_keras": tf_keras.__version__, "h5py": h5py.__version__, "python": platform.python_version(), "platform": f"{sys.platform}-{platform.machine()}"},
        "model": "Sequential: Input(3) -> Dense(4, relu) -> Dense(1), seed 33, 5 epochs",
        "probes": probes.tolist(),
        "keras_outputs": outputs.tolist(),
    }
    with open(os.path.join(OUT, "keras3-fixtures.json"), "w", encoding="utf-8") as f:
        json.dump(info, f, indent=1)
        f.write("\n")
    print(json.dumps({"written": OUT, "files": sorted(os.listdir(OUT)), "versions": info["versions"]}))


if __name__ == "__main__":
    main()
