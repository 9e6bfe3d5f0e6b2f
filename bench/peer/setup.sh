#!/usr/bin/env bash
# The peer's own virtualenv: LibreTranslate (PyPI) + the gunicorn its Dockerfile pins, and its source
# distribution (wsgi.py and scripts/gunicorn_conf.py, its production entry points, are not in the wheel).
# Idempotent: a stamp naming the versions skips the work (a few minutes the first time, pip's cache helps).
# Needs only PyPI; never calls argostranslate's package index. Usage: bench/peer/setup.sh [PEER_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PEER_DIR=${1:-${PEER_DIR:-$ROOT/.venv-peer}}
LT_VERSION=${LT_VERSION:-1.9.6}
LT_GUNICORN_VERSION=${LT_GUNICORN_VERSION:-23.0.0}
PYTHON=${PYTHON:-python3}
STAMP=$PEER_DIR/.installed-libretranslate-$LT_VERSION-gunicorn-$LT_GUNICORN_VERSION
if [ -f "$STAMP" ]; then
  exit 0
fi
mkdir -p "$PEER_DIR"
if [ ! -x "$PEER_DIR/venv/bin/python" ]; then
  "$PYTHON" -m venv "$PEER_DIR/venv"
fi
PIP=("$PEER_DIR/venv/bin/python" -m pip --disable-pip-version-check --no-input)
"${PIP[@]}" install -q "libretranslate==$LT_VERSION" "gunicorn==$LT_GUNICORN_VERSION"
# LibreTranslate 1.9.6 declares no torch (argos-translate-lt, ctranslate2, sentencepiece, minisbd/onnxruntime):
# a torch here would mean another version of the peer than the one measured
if "${PIP[@]}" show torch >/dev/null 2>&1; then
  echo "unexpected: torch installed in $PEER_DIR/venv" >&2
  exit 1
fi
rm -rf "$PEER_DIR/dl" "$PEER_DIR/src"
mkdir -p "$PEER_DIR/dl"
"${PIP[@]}" download -q --no-deps --no-binary :all: "libretranslate==$LT_VERSION" -d "$PEER_DIR/dl"
tar xzf "$PEER_DIR/dl/libretranslate-$LT_VERSION.tar.gz" -C "$PEER_DIR/dl"
mv "$PEER_DIR/dl/libretranslate-$LT_VERSION" "$PEER_DIR/src"
test -f "$PEER_DIR/src/wsgi.py"
test -f "$PEER_DIR/src/scripts/gunicorn_conf.py"
"$PEER_DIR/venv/bin/python" -c "import libretranslate, gunicorn; print('peer ready: libretranslate', '$LT_VERSION', 'gunicorn', gunicorn.__version__)"
touch "$STAMP"
