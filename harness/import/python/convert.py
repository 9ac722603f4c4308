"""Detects what a saved model is and converts it to a tfjs model, or says which route works instead.

Usage (the venv's python): convert.py --from PATH --out DIR
  PATH: a Keras .h5 / .keras file, a TensorFlow SavedModel directory, or a tfjs model.json.
  h5 (Keras 2) -> tfjs layers model; SavedModel -> tfjs graph model (tf_saved_model -> tfjs_graph_model);
  model.json -> copied with its weight files. Refused, with the working route (measured with
  tensorflowjs 4.22.0 and tfjs 4.22.0): Keras 3 .h5/.keras, Keras 2 .keras, stateful SavedModels.
Prints {"ok": true, kind, format, kerasVersion, customClasses, stateful, files} or {"ok": false, error, code, route}.
DIR is written only when the conversion succeeded (converted in a temporary directory, then moved).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

from bridge_io import BridgeError, run_main

KERAS3_ROUTE = ("re-save it from Keras 3 with model.export('saved_model_dir') and import that directory "
                "(a graph model), or save it through tf_keras (TF_USE_LEGACY_KERAS=1, model.save('model.h5')) "
                "and import the .h5 (a layers model)")
KERAS2_V3_ROUTE = "load it in Keras 2 and save it as HDF5 (model.save('model.h5')), then import the .h5"
STATEFUL_SM_ROUTE = ("save the Keras model as .h5 (model.save('model.h5')) and import that: a layers model keeps "
                     "reset_states(); or run the SavedModel itself on the tensorflow backend (tf.node.loadSavedModel), "
                     "but its saved state cannot be reset there: every call advances it, and loading it again while it is "
                     "loaded reuses the same session")


def walk_configs(node):
    """Every {class_name, config} dict inside a Keras model config."""
    if isinstance(node, dict):
        if "class_name" in node and "config" in node:
            yield node
        for v in node.values():
            yield from walk_configs(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk_configs(v)


def custom_classes(model_config):
    """Class names in the config that Keras does not ship: the user's custom layers and activations."""
    import tensorflow as tf

    known = set(dir(tf.keras.layers)) | set(dir(tf.keras.initializers)) | set(dir(tf.keras.regularizers)) | set(dir(tf.keras.constraints))
    known |= {"Functional", "Sequential", "Model"}
    return sorted({c["class_name"] for c in walk_configs(model_config) if c["class_name"] not in known})


def is_stateful(model_config):
    return any(c["config"].get("stateful") for c in walk_configs(model_config) if isinstance(c.get("config"), dict))


def describe_h5(path):
    import h5py

    with h5py.File(path, "r") as f:
        attrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()}
    if "model_config" not in attrs:
        raise BridgeError(f"{path}: the .h5 holds weights only (no model_config); save the whole model with model.save('model.h5')", "weights-only")
    config = json.loads(attrs["model_config"])
    return str(attrs.get("keras_version", "unknown")), config


def describe_keras_zip(path):
    with zipfile.ZipFile(path) as z:
        meta = json.loads(z.read("metadata.json")) if "metadata.json" in z.namelist() else {}
        config = json.loads(z.read("config.json")) if "config.json" in z.namelist() else {}
    return str(meta.get("keras_version", "unknown")), config


def run_converter(args, out_dir):
    converter = os.path.join(os.path.dirname(sys.executable), "tensorflowjs_converter")
    r = subprocess.run([converter, *args, out_dir], capture_output=True, text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    if r.returncode != 0 or not os.path.exists(os.path.join(out_dir, "model.json")):
        last = [l for l in r.stderr.strip().split("\n") if l.strip()][-1:] or ["(no output)"]
        raise BridgeError(f"tensorflowjs_converter {' '.join(args)} failed (exit {r.returncode}): {last[0]}", "converter-failed")


def sort_graph_attrs(model_json):
    """The converter writes each node's attr map in protobuf's per-process order; sorted, the same
    SavedModel always gives the same model.json (the graph and the weights are unchanged)."""
    with open(model_json, "r", encoding="utf-8") as f:
        manifest = json.load(f)
    topology = manifest.get("modelTopology", {})
    nodes = list(topology.get("node", []))
    for fn in topology.get("library", {}).get("function", []):
        nodes += fn.get("nodeDef", [])
    for node in nodes:
        if "attr" in node:
            node["attr"] = dict(sorted(node["attr"].items()))
    with open(model_json, "w", encoding="utf-8") as f:
        json.dump(manifest, f)


def detect(path):
    """(kind, kerasVersion, config) without converting anything."""
    if os.path.isdir(path):
        if not os.path.exists(os.path.join(path, "saved_model.pb")):
            raise BridgeError(f"{path}: a directory must be a TensorFlow SavedModel (saved_model.pb inside); pass the SavedModel directory", "unknown-kind")
        meta = os.path.join(path, "keras_metadata.pb")
        config = {}
        if os.path.exists(meta):  # a Keras 2 SavedModel: its layer configs say whether it is stateful
            text = open(meta, "rb").read().decode("utf-8", "replace")
            config = {"stateful": '"stateful": true' in text}
        return "saved-model", None, config
    name = path.lower()
    if name.endswith(".json"):
        with open(path, "r", encoding="utf-8") as f:
            fmt = json.load(f).get("format")
        if fmt not in ("layers-model", "graph-model"):
            raise BridgeError(f"{path}: format must be \"layers-model\" or \"graph-model\" for a tfjs model.json; got {fmt!r}", "unknown-kind")
        return "tfjs-" + fmt.split("-")[0], None, {}
    if name.endswith((".h5", ".hdf5")):
        version, config = describe_h5(path)
        return "keras-h5", version, config
    if name.endswith(".keras") and zipfile.is_zipfile(path):
        version, config = describe_keras_zip(path)
        return "keras-v3-file", version, config
    raise BridgeError(f"{path}: must be a Keras .h5 or .keras file, a SavedModel directory or a tfjs model.json", "unknown-kind")


def keras_major(version, config):
    """The Keras major version; without a keras_version, Keras 3 still shows in its config: InputLayer's
    shape is `batch_shape` (Keras 2: `batch_input_shape`), the very key tfjs 4.22.0 cannot read."""
    major = (version or "").split(".")[0]
    if major.isdigit():
        return major
    inputs = [c["config"] for c in walk_configs(config) if c["class_name"] == "InputLayer" and isinstance(c.get("config"), dict)]
    return "3" if any("batch_shape" in c and "batch_input_shape" not in c for c in inputs) else major


def convert(src, out):
    kind, keras_version, config = detect(src)
    major = keras_major(keras_version, config)
    if kind in ("keras-h5", "keras-v3-file") and major == "3":
        raise BridgeError(f"{src}: written by Keras {keras_version}; tensorflowjs converts it but tfjs cannot load the result "
                          "(\"An InputLayer should be passed either a batchInputShape or an inputShape\")", "keras3", KERAS3_ROUTE)
    if kind == "keras-v3-file":
        raise BridgeError(f"{src}: a .keras file from Keras {keras_version}; tensorflowjs converts it but tfjs cannot load the result "
                          "(\"Provided weight data has no target variable: _layer_checkpoint_dependencies/...\")", "keras2-dot-keras", KERAS2_V3_ROUTE)
    if kind == "saved-model" and config.get("stateful"):
        raise BridgeError(f"{src}: a SavedModel of a stateful Keras model; tf_saved_model -> tfjs_graph_model fails on it "
                          "(\"Identity is not in graph\", tfjs issue 3553)", "stateful-savedmodel", STATEFUL_SM_ROUTE)
    parent = os.path.dirname(os.path.abspath(out))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".convert-", dir=parent)
    try:
        if kind == "keras-h5":
            run_converter(["--input_format", "keras", src], tmp)
        elif kind == "saved-model":
            run_converter(["--input_format", "tf_saved_model", "--output_format", "tfjs_graph_model", src], tmp)
        else:
            with open(src, "r", encoding="utf-8") as f:
                manifest = json.load(f)
            shutil.copy(src, os.path.join(tmp, "model.json"))
            for group in manifest.get("weightsManifest", []):
                for p in group["paths"]:
                    shutil.copy(os.path.join(os.path.dirname(src), p), os.path.join(tmp, p))
        if kind == "saved-model":
            sort_graph_attrs(os.path.join(tmp, "model.json"))
        if os.path.exists(out):
            shutil.rmtree(out)
        os.replace(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    with open(os.path.join(out, "model.json"), "r", encoding="utf-8") as f:
        fmt = json.load(f).get("format")
    return {
        "kind": kind,
        "format": fmt,
        "kerasVersion": keras_version,
        "customClasses": custom_classes(config) if kind == "keras-h5" else [],
        "stateful": is_stateful(config) if kind == "keras-h5" else False,
        "files": sorted(os.listdir(out)),
    }


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--from", dest="src", required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    if not os.path.exists(a.src):
        raise BridgeError(f"{a.src}: not found; pass the path of a .h5, .keras, SavedModel directory or model.json", "not-found")
    return convert(a.src, a.out)


if __name__ == "__main__":
    run_main(main)
