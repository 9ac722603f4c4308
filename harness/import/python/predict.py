"""Reference outputs: the framework that made a model predicts the probes, through the same preprocessing.

Usage (the venv's python):
  predict.py --model M [--probes probes.json] [--preprocessing state.json] [--protocol P]
             [--custom-objects objects.py] [--out reference.json]
  M: a Keras .h5/.keras file or a SavedModel directory. probes.json: a JSON array of raw rows.
  state.json: the harness's preprocessing state ({"steps": [{kind, options, state}]}) or the output of
  sklearn_state.py; applied in float64 with the formulas of the step (scikit-learn's own for sklearn steps).
  P: stateless (one batch), stateful-reset (batch size 1, reset_states() before each row),
     stateful-carry (batch size 1, reset once, the state carried from row to row).
Prints (and writes to --out) {"ok": true, framework, protocol, provenance, inputs, outputs}; outputs
are raw float32 bytes (base64) with shapes, one tensor per model output with the rows on axis 0.
"""
import argparse
import importlib.util
import inspect
import os

from bridge_io import BridgeError, provenance, read_json, run_main, tensor_to_raw, write_json
from preprocessing_state import apply_preprocessing

PROTOCOLS = ("stateless", "stateful-reset", "stateful-carry")


def load_custom_objects(path):
    """Every class defined in a Python file, by name (the file is the user's own code)."""
    if not path:
        return {}
    spec = importlib.util.spec_from_file_location("tfjs_repro_custom_objects", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {name: obj for name, obj in vars(module).items() if inspect.isclass(obj) and obj.__module__ == module.__name__}


def is_saved_model(path):
    return os.path.isdir(path) and os.path.exists(os.path.join(path, "saved_model.pb"))


def unknown_classes(path, custom_objects):
    """Custom class names in an .h5's config that custom_objects does not provide."""
    if not path.lower().endswith((".h5", ".hdf5")):
        return []
    from convert import custom_classes, describe_h5

    try:
        _, config = describe_h5(path)
    except BridgeError:
        return []
    return [c for c in custom_classes(config) if c not in custom_objects]


def keras_predictor(path, custom_objects):
    import tensorflow as tf

    try:
        model = tf.keras.models.load_model(path, custom_objects=custom_objects, compile=False)
    except (ValueError, TypeError) as e:
        missing = unknown_classes(path, custom_objects)
        if missing or "Unknown" in str(e):
            names = ", ".join(missing) or "a class Keras does not ship"
            raise BridgeError(f"{path}: the model uses {names}; pass --custom-objects <file.py> with the Python class(es) of that name", "custom-object")
        raise BridgeError(f"{path}: Keras cannot load it ({str(e)[:500]})", "load-failed")
    names = [f"output{i}" for i in range(len(model.outputs))]
    return model, names, lambda x: [o.numpy() for o in tf.nest.flatten(model(x, training=False))]


def saved_model_predictor(path):
    import tensorflow as tf

    loaded = tf.saved_model.load(path)
    if "serving_default" not in loaded.signatures:
        raise BridgeError(f"{path}: the SavedModel has no serving_default signature; export one with tf.saved_model.save(model, dir, signatures=...)", "no-signature")
    fn = loaded.signatures["serving_default"]
    inputs = fn.structured_input_signature[1]
    if len(inputs) != 1:
        raise BridgeError(f"{path}: serving_default has inputs {sorted(inputs)}; only SavedModels with one input are supported for now", "multi-input")
    (input_name, spec), = inputs.items()
    names = sorted(fn.structured_outputs)  # tfjs names graph-model outputs after the signature's keys
    return loaded, names, lambda x: [fn(**{input_name: tf.constant(x, dtype=spec.dtype)})[n].numpy() for n in names]


def predict_rows(predict, x, protocol, model):
    import numpy as np

    if protocol == "stateless":
        return predict(x)
    if not hasattr(model, "reset_states"):
        raise BridgeError(f"protocol {protocol}: a SavedModel's state cannot be reset (it keeps the state it was saved with); record it stateless or save the model as .h5", "stateful-savedmodel")
    model.reset_states()
    per_row = []
    for i in range(x.shape[0]):
        if protocol == "stateful-reset":
            model.reset_states()
        per_row.append(predict(x[i:i + 1]))
    return [np.concatenate([r[k] for r in per_row], axis=0) for k in range(len(per_row[0]))]


def reference_outputs(model_path, probes, preprocessing=None, protocol="stateless", custom_objects=None):
    import numpy as np

    if protocol not in PROTOCOLS:
        raise BridgeError(f"--protocol must be one of {', '.join(PROTOCOLS)}; got {protocol}", "bad-protocol")
    x64 = apply_preprocessing(np.asarray(probes, dtype=np.float64), preprocessing)
    x = x64.astype(np.float32)
    if is_saved_model(model_path):
        framework = "tensorflow-python"
        model, names, predict = saved_model_predictor(model_path)
    else:
        framework = "keras"
        model, names, predict = keras_predictor(model_path, custom_objects or {})
    outputs = predict_rows(predict, x, protocol, model)
    return {
        "framework": framework,
        "protocol": protocol,
        "provenance": provenance(),
        "inputs": tensor_to_raw(x, "input0"),
        "outputs": [tensor_to_raw(o, n) for n, o in zip(names, outputs)],
    }


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True)
    p.add_argument("--probes", required=True)
    p.add_argument("--preprocessing")
    p.add_argument("--protocol", default="stateless")
    p.add_argument("--custom-objects")
    p.add_argument("--out")
    a = p.parse_args()
    probes = read_json(a.probes, "probes")
    if not isinstance(probes, list) or not probes:
        raise BridgeError(f"{a.probes}: probes must be a non-empty JSON array of rows; write one row per probe", "bad-probes")
    state = read_json(a.preprocessing, "preprocessing") if a.preprocessing else None
    result = reference_outputs(a.model, probes, state, a.protocol, load_custom_objects(a.custom_objects))
    if a.out:
        write_json(a.out, result)
    return result


if __name__ == "__main__":
    run_main(main)
