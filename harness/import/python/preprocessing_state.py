"""Applies preprocessing state (the harness's JSON, or sklearn_state.py's) to rows in float64.

Each formula is written in the same operation order as its owner computes it, so the float64 results
are bit-identical: the harness's steps (harness/preprocessing/steps.ts) and scikit-learn's transform.
The last axis of the rows is the feature axis, as in the harness (forEachFeatureVector).
"""
import numpy as np

from bridge_io import BridgeError


def _harness_step(x, kind, state):
    if kind == "standardScaler":
        return (x - np.asarray(state["mean"], np.float64)) / np.asarray(state["std"], np.float64)
    if kind == "minMaxScaler":
        lo, hi = np.asarray(state["min"], np.float64), np.asarray(state["max"], np.float64)
        span = hi - lo
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(span == 0, 0.0, (x - lo) / np.where(span == 0, 1.0, span))
    raise BridgeError(f"preprocessing: step kind {kind!r} is not supported by the Python bridge; use standardScaler or minMaxScaler, or a scikit-learn state from sklearn_state.py", "bad-step")


def _sklearn_step(x, step):
    """scikit-learn's transform formulas (sklearn/preprocessing/_data.py), for dense float64 input."""
    cls = step["class"]
    if cls == "StandardScaler":
        if step.get("mean_") is not None:
            x = x - np.asarray(step["mean_"], np.float64)
        if step.get("scale_") is not None:
            x = x / np.asarray(step["scale_"], np.float64)
        return x
    if cls == "MinMaxScaler":
        x = x * np.asarray(step["scale_"], np.float64)
        x = x + np.asarray(step["min_"], np.float64)
        if step.get("clip"):
            x = np.clip(x, step["feature_range"][0], step["feature_range"][1])
        return x
    if cls == "RobustScaler":
        if step.get("center_") is not None:
            x = x - np.asarray(step["center_"], np.float64)
        if step.get("scale_") is not None:
            x = x / np.asarray(step["scale_"], np.float64)
        return x
    if cls == "MaxAbsScaler":
        return x / np.asarray(step["scale_"], np.float64)
    raise BridgeError(f"preprocessing: scikit-learn step {cls} is not supported; use StandardScaler, MinMaxScaler, RobustScaler or MaxAbsScaler", "bad-step")


def apply_preprocessing(x, state):
    """x: float64 rows; state: None, {"steps": [...]} (harness) or {"sklearn": {...}} (sklearn_state.py)."""
    if state is None:
        return x
    if "sklearn" in state:
        sk = state["sklearn"]
        if sk.get("columns"):
            raise BridgeError("preprocessing: a ColumnTransformer state is applied by scikit-learn only; pass the harness steps it was converted to", "bad-step")
        for step in sk["steps"]:
            x = _sklearn_step(x, step)
        return x
    if "steps" in state:
        for step in state["steps"]:
            x = _harness_step(x, step["kind"], step["state"])
        return x
    raise BridgeError("preprocessing: the state must have \"steps\" (the harness's preprocessing.json) or \"sklearn\" (sklearn_state.py output)", "bad-state")
