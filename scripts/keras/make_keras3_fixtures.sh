#!/usr/bin/env bash
# Makes the Keras 3 fixtures (harness/import/fixtures/keras3/) with a second, throwaway TensorFlow that
# ships Keras 3. The project's own toolchain (npm run setup:python) is TensorFlow 2.13.1 with Keras 2 and
# cannot write Keras 3 files; this one lives outside the project and stays out of CI: the fixtures are
# made once and committed, and tests read the committed files.
#   scripts/keras/make_keras3_fixtures.sh            # venv in ${TFJS_REPRO_CACHE:-~/.cache/tfjs-repro}/keras3-venv
# Needs python3.11 (TFJS_REPRO_PYTHON names another) and PyPI. The first run downloads ~600 MB (about 2 min).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${TFJS_REPRO_CACHE:-$HOME/.cache/tfjs-repro}"
venv="$cache/keras3-venv"
python="${TFJS_REPRO_PYTHON:-python3.11}"
# Pinned: TensorFlow 2.16 is the first to ship Keras 3; keras 3.15.1 is what pip resolved for it (measured);
# tf-keras 2.16.0 is the legacy Keras 2 API of the same TensorFlow (the TF_USE_LEGACY_KERAS=1 route).
pins=(tensorflow-cpu==2.16.2 keras==3.15.1 tf-keras==2.16.0 numpy==1.26.4 h5py==3.16.0)
if ! "$venv/bin/python" -c 'import keras, tf_keras, sys; sys.exit(0 if keras.__version__ == "3.15.1" else 1)' 2>/dev/null; then
  command -v "$python" >/dev/null || { echo "make_keras3_fixtures: $python not found; install CPython 3.11 or set TFJS_REPRO_PYTHON" >&2; exit 1; }
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${pins[@]}"
fi
TF_CPP_MIN_LOG_LEVEL=2 "$venv/bin/python" "$here/make_keras3_fixtures.py" "$@"
