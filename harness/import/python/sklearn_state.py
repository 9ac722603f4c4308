"""Reads a fitted scikit-learn scaler and writes its state as JSON, with scikit-learn's own transform.

Usage (the venv's python): sklearn_state.py --from FILE [--allow-pickle] [--probes probes.json] [--out state.json]
  FILE: a joblib or pickle file of StandardScaler, MinMaxScaler, RobustScaler, MaxAbsScaler, a Pipeline of
  them, or a ColumnTransformer of those on integer columns (remainder "drop" or "passthrough"); or a JSON
  file with mean_/scale_ (needs no flag). Unpickling runs code from the file, so pickles are refused
  unless --allow-pickle is given. A pickle from a newer scikit-learn than the pinned one is refused.
Prints {"ok": true, "sklearn": {version, pickledWith, steps | columns, nFeaturesIn}, "transform"}: transform
is scikit-learn's own transform of the probes, float64 bytes (base64), for a bit-for-bit check in JavaScript.
"""
import argparse
import json
import os
import warnings

from bridge_io import BridgeError, float64_to_raw, read_json, run_main, write_json

SCALERS = ("StandardScaler", "MinMaxScaler", "RobustScaler", "MaxAbsScaler")
ATTRS = ("mean_", "var_", "scale_", "min_", "data_min_", "data_max_", "data_range_", "center_", "max_abs_", "n_features_in_", "n_samples_seen_")
PARAMS = ("with_mean", "with_std", "feature_range", "clip", "with_centering", "with_scaling", "quantile_range", "unit_variance")


def _plain(v):
    import numpy as np

    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, (np.integer, np.floating)):
        return v.item()
    if isinstance(v, tuple):
        return list(v)
    return v


def _version_tuple(v):
    out = []
    for part in str(v).split(".")[:3]:
        digits = "".join(ch for ch in part if ch.isdigit())
        out.append(int(digits) if digits else 0)
    return tuple(out)


def load_estimator(path, allow_pickle):
    """(estimator, version it was pickled with) — refuses without the flag and when pickled by a newer sklearn."""
    import joblib
    import sklearn
    from sklearn.exceptions import InconsistentVersionWarning

    if not allow_pickle:
        raise BridgeError(f"{path}: loading a joblib/pickle file runs code stored in it, so it is refused by default; "
                          "pass --allow-pickle if you trust the file, or give a JSON file with mean_/scale_", "pickle-refused")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InconsistentVersionWarning)
        try:
            est = joblib.load(path)
        except ModuleNotFoundError as e:
            raise BridgeError(f"{path}: unpickling needs module {e.name}, which the pinned toolchain lacks; save the scaler from scikit-learn alone", "pickle-module")
        except Exception as e:
            raise BridgeError(f"{path}: not a readable joblib/pickle file ({type(e).__name__}: {e}); save it with joblib.dump(scaler, path)", "pickle-unreadable")
    pickled = None
    for w in caught:
        if issubclass(w.category, InconsistentVersionWarning):
            pickled = w.message.original_sklearn_version
    if pickled and _version_tuple(pickled) > _version_tuple(sklearn.__version__):
        raise BridgeError(f"{path}: pickled by scikit-learn {pickled}, newer than the pinned {sklearn.__version__}, whose classes may not read it; "
                          "re-save it with scikit-learn <= " + sklearn.__version__ + ", or write its mean_/scale_ to a JSON file", "sklearn-too-new")
    return est, pickled or sklearn.__version__


def scaler_state(est, where):
    cls = type(est).__name__
    if cls not in SCALERS:
        raise BridgeError(f"{where}: {cls} is not supported; supported are {', '.join(SCALERS)} (alone, in a Pipeline or a ColumnTransformer)", "unsupported-step")
    state = {"class": cls}
    for name in PARAMS + ATTRS:
        if hasattr(est, name):
            state[name] = _plain(getattr(est, name))
    return state


def flatten(est, where):
    """A scaler or a Pipeline of scalers as a list of step states."""
    if type(est).__name__ == "Pipeline":
        steps = []
        for name, step in est.steps:
            if step in (None, "passthrough"):
                continue
            steps += flatten(step, f"{where} step {name!r}")
        return steps
    return [scaler_state(est, where)]


def column_state(ct, n_features):
    columns, used = [], set()
    for name, trans, cols in ct.transformers_:
        if name == "remainder" and trans == "drop":
            continue
        idx = list(range(n_features))[cols] if isinstance(cols, slice) else [int(c) for c in cols] if not hasattr(cols, "dtype") or cols.dtype.kind in "iu" else None
        if idx is None or any(isinstance(c, str) for c in (cols if isinstance(cols, list) else [])):
            raise BridgeError(f"ColumnTransformer {name!r}: columns must be integer positions (got {cols!r}); fit it on a NumPy array", "named-columns")
        if trans == "drop":
            continue
        used.update(idx)
        steps = [] if trans == "passthrough" else flatten(trans, f"ColumnTransformer {name!r}")
        columns.append({"name": name, "columns": idx, "steps": steps})
    return columns


def describe(est, version):
    import sklearn

    out = {"version": sklearn.__version__, "pickledWith": version, "nFeaturesIn": _plain(getattr(est, "n_features_in_", None))}
    if type(est).__name__ == "ColumnTransformer":
        out["columns"] = column_state(est, est.n_features_in_)
    else:
        out["steps"] = flatten(est, type(est).__name__)
    return out


def from_json(path):
    """{mean_, scale_} (a StandardScaler written by hand): rebuilt as a fitted scikit-learn StandardScaler."""
    import numpy as np
    from sklearn.preprocessing import StandardScaler

    data = read_json(path, "scaler state")
    if not isinstance(data, dict) or "mean_" not in data or "scale_" not in data:
        raise BridgeError(f"{path}: a JSON scaler must have mean_ and scale_ (StandardScaler's fitted attributes); add them", "bad-json-state")
    est = StandardScaler()
    est.mean_ = np.asarray(data["mean_"], np.float64)
    est.scale_ = np.asarray(data["scale_"], np.float64)
    est.var_ = est.scale_ ** 2
    est.n_features_in_ = len(est.mean_)
    est.n_samples_seen_ = int(data.get("n_samples_seen_", 0))
    return est


def main():
    import numpy as np

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--from", dest="src", required=True)
    p.add_argument("--allow-pickle", action="store_true")
    p.add_argument("--probes")
    p.add_argument("--out")
    a = p.parse_args()
    if not os.path.exists(a.src):
        raise BridgeError(f"{a.src}: not found; pass the scaler file saved with joblib.dump or pickle.dump", "not-found")
    if a.src.lower().endswith(".json"):
        est, version = from_json(a.src), None
    else:
        est, version = load_estimator(a.src, a.allow_pickle)
    result = {"sklearn": describe(est, version)}
    if a.probes:
        probes = np.asarray(read_json(a.probes, "probes"), dtype=np.float64)
        if probes.ndim != 2:
            raise BridgeError(f"{a.probes}: scikit-learn scalers take rows of features (a 2-D array); got shape {list(probes.shape)}", "bad-probes")
        result["transform"] = float64_to_raw(est.transform(probes))
    if a.out:
        write_json(a.out, result)
    return result


if __name__ == "__main__":
    run_main(main)
