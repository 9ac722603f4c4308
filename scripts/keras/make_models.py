"""Makes the Keras/TensorFlow models that guard saved-model scenarios, from fixed seeds, into models/<name>/.

Run with the venv's python (npm run setup:python first), from the project root:
  ~/.cache/tfjs-repro/python/bin/python scripts/keras/make_models.py [name ...]
Each models/<name>/ gets: the source artifact (model.h5, or saved_model/; keras-stateful-lstm has both), the converted tfjs model
(tfjs/model.json + shards, by tensorflowjs_converter through harness/import/python/convert.py), probes.json
(raw rows), the preprocessing where there is one (scaler.joblib as the user would have it, and
preprocessing.json in the harness's state format), and reference.json: the Keras/TF outputs on the probes
(raw float32 bytes, shapes, provenance) from harness/import/python/predict.py. Deterministic: one thread,
fixed seeds; running it twice gives the same files.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import uuid

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["PYTHONHASHSEED"] = "0"
sys.dont_write_bytecode = True  # no __pycache__ beside the bridge modules in the work tree
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "harness", "import", "python"))
sys.path.insert(0, HERE)

import joblib  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

import convert  # noqa: E402
import predict  # noqa: E402
from bridge_io import write_json  # noqa: E402
from custom_objects import CustomActivation  # noqa: E402

tf.config.threading.set_inter_op_parallelism_threads(1)
tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.experimental.enable_op_determinism()
MODELS = os.path.join(ROOT, "models")


def fresh_dir(name):
    """Empties models/<name>/ but keeps reference/: the harness writes it (import, or write-reference.ts)."""
    d = os.path.join(MODELS, name)
    os.makedirs(d, exist_ok=True)
    for entry in os.listdir(d):
        if entry != "reference":
            p = os.path.join(d, entry)
            shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
    return d


def seed(n):
    # A fresh Keras session per model: layer names and seeded initializers then do not depend on
    # which models were made before in this process (make_models.py NAME gives the same files).
    tf.keras.backend.clear_session()
    tf.keras.utils.set_random_seed(n)
    return np.random.default_rng(n)


def finish(d, source, probes, preprocessing=None, protocol="stateless", custom_objects=None, extra_protocols=()):
    """Converts the source to tfjs/, writes probes.json and the reference outputs of each protocol."""
    write_json(os.path.join(d, "probes.json"), probes)
    convert.convert(os.path.join(d, source), os.path.join(d, "tfjs"))
    for i, p in enumerate((protocol, *extra_protocols)):
        ref = predict.reference_outputs(os.path.join(d, source), probes, preprocessing, p, custom_objects)
        write_json(os.path.join(d, "reference.json" if i == 0 else f"reference-{p}.json"), ref)


def keras_scaler():
    """Dense(1) regression on two features of very different scales, behind a StandardScaler."""
    rng = seed(101)
    d = fresh_dir("keras-scaler")
    def rows(n):
        return np.stack([rng.normal(0.5, 0.2, n), rng.uniform(1000.0, 5000.0, n)], axis=1)
    x = rows(256)
    y = 3.0 * x[:, 0] + 0.002 * x[:, 1] + rng.normal(0, 0.05, len(x))
    scaler = StandardScaler().fit(x)
    joblib.dump(scaler, os.path.join(d, "scaler.joblib"))
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer=tf.keras.optimizers.Adam(0.05), loss="mse")
    model.fit(scaler.transform(x).astype(np.float32), y.astype(np.float32), epochs=20, batch_size=32, shuffle=False, verbose=0)
    model.save(os.path.join(d, "model.h5"))
    state = {"steps": [{"kind": "standardScaler", "options": {}, "state": {"mean": scaler.mean_.tolist(), "std": scaler.scale_.tolist()}}]}
    write_json(os.path.join(d, "preprocessing.json"), state)
    finish(d, "model.h5", rows(12).tolist(), state)


def keras_custom_activation():
    """Dense(10, activation=CustomActivation()) then Dense(1); CustomActivation is a Layer: relu(x) + 0.1."""
    rng = seed(202)
    d = fresh_dir("keras-custom-activation")
    x = rng.normal(0, 1, (256, 3))
    y = np.sin(x[:, 0]) + 0.5 * x[:, 1] * x[:, 2]
    model = tf.keras.Sequential([
        tf.keras.layers.Dense(10, activation=CustomActivation(), input_shape=(3,)),
        tf.keras.layers.Dense(1),
    ])
    model.compile(optimizer=tf.keras.optimizers.Adam(0.02), loss="mse")
    model.fit(x.astype(np.float32), y.astype(np.float32), epochs=20, batch_size=32, shuffle=False, verbose=0)
    model.save(os.path.join(d, "model.h5"))
    shutil.copy(os.path.join(HERE, "custom_objects.py"), os.path.join(d, "custom_objects.py"))
    finish(d, "model.h5", rng.normal(0, 1, (12, 3)).tolist(), custom_objects={"CustomActivation": CustomActivation})


def keras_stateful_lstm():
    """LSTM(32, stateful, return_sequences) then LSTM(1, stateful), batch size 1: 5 steps of 2 features."""
    rng = seed(303)
    # Keras names each LSTM implementation function "lstm_<uuid4>" in the SavedModel; seeded, the same file every run.
    uuids = random.Random(303)
    uuid.uuid4 = lambda: uuid.UUID(int=uuids.getrandbits(128), version=4)
    d = fresh_dir("keras-stateful-lstm")
    x = rng.normal(0, 1, (32, 5, 2))
    y = np.tanh(x[:, :, 0].sum(axis=1) * 0.3 - x[:, -1, 1] * 0.5)
    model = tf.keras.Sequential([
        tf.keras.layers.LSTM(32, stateful=True, return_sequences=True, batch_input_shape=(1, 5, 2)),
        tf.keras.layers.LSTM(1, stateful=True),
    ])
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="mse")
    for _ in range(2):
        model.fit(x.astype(np.float32), y.astype(np.float32), epochs=1, batch_size=1, shuffle=False, verbose=0)
        model.reset_states()
    model.save(os.path.join(d, "model.h5"))
    # The same model as a Keras SavedModel (keras_metadata.pb says it is stateful): the harness's
    # `savedmodel` check runs it with tf.node.loadSavedModel and shows that its state cannot be reset.
    # As a user saves it (1.2 MB, mostly the layers' traced functions; save_traces=False drops the serving
    # signature, and a signature of one's own then captures the LSTM state as an untracked resource).
    model.save(os.path.join(d, "saved_model"), save_format="tf")
    finish(d, "model.h5", rng.normal(0, 1, (6, 5, 2)).tolist(), protocol="stateful-reset", extra_protocols=("stateful-carry",))


def tf_graph_dense():
    """A small classifier exported as a TensorFlow SavedModel, converted to a tfjs graph model."""
    rng = seed(404)
    d = fresh_dir("tf-graph-dense")
    x = rng.normal(0, 1, (256, 4))
    labels = (x[:, 0] + x[:, 1] * x[:, 2] > 0).astype(np.int32) + (x[:, 3] > 1).astype(np.int32)
    inputs = tf.keras.Input(shape=(4,), name="features")
    hidden = tf.keras.layers.Dense(8, activation="relu")(inputs)
    outputs = tf.keras.layers.Dense(3, activation="softmax")(hidden)
    model = tf.keras.Model(inputs, outputs)
    model.compile(optimizer=tf.keras.optimizers.Adam(0.02), loss="sparse_categorical_crossentropy")
    model.fit(x.astype(np.float32), labels, epochs=15, batch_size=32, shuffle=False, verbose=0)
    tf.saved_model.save(model, os.path.join(d, "saved_model"))
    finish(d, "saved_model", rng.normal(0, 1, (12, 4)).tolist())


MAKERS = {"keras-scaler": keras_scaler, "keras-custom-activation": keras_custom_activation,
          "keras-stateful-lstm": keras_stateful_lstm, "tf-graph-dense": tf_graph_dense}

if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        MAKERS[sys.argv[2]]()
        sys.exit(0)
    names = sys.argv[1:] or list(MAKERS)
    for name in names:
        if name not in MAKERS:
            sys.exit(f"unknown model {name}; known: {', '.join(MAKERS)}")
    for name in names:
        # One process per model: TensorFlow's function and layer counters (which end up in saved_model.pb
        # and the layer names) then start from zero whatever else is made.
        subprocess.run([sys.executable, os.path.abspath(__file__), "--one", name], check=True)
        print(json.dumps({"made": name, "files": sorted(os.listdir(os.path.join(MODELS, name)))}))
