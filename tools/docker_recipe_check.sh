#!/usr/bin/env bash
# Mirror of the Dockerfile's install steps, for machines with no Docker engine (CI here).
# Builds the image's /opt/venv and /opt/argos in a temporary folder, with the same commands,
# checks the runtime is lean, lays out /app as the image does, starts `python -m service serve`
# from there and waits for /readyz. Keep in step with the Dockerfile (checked below).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-python3}
MODEL=${PONTE_MODEL_FILE:-tests/fixtures/translate-pt_en-ponte_test-1_0.argosmodel}
WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== the Dockerfile still uses the steps mirrored here"
for step in "pip install -r requirements.txt" "pip install --no-deps -r requirements-argos.txt" \
            "python -m service models ensure" "ENTRYPOINT [\"python\", \"-m\", \"service\"]" "CMD [\"serve\"]" \
            "HEALTHCHECK"; do
  grep -qF -- "$step" Dockerfile || { echo "Dockerfile no longer contains: $step (update this script)"; exit 1; }
done

echo "== hadolint"
if [[ -x .venv/bin/hadolint ]]; then .venv/bin/hadolint Dockerfile; else echo "hadolint not installed (make test installs it)"; exit 1; fi

echo "== build stage: venv with the runtime requirements only"
"$PYTHON" -m venv "$WORK/opt/venv"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
"$WORK/opt/venv/bin/pip" install -q -r requirements.txt
"$WORK/opt/venv/bin/pip" install -q --no-deps -r requirements-argos.txt

echo "== the runtime is lean"
for heavy in torch stanza spacy minisbd onnxruntime; do
  if "$WORK/opt/venv/bin/pip" show -q "$heavy" >/dev/null 2>&1; then echo "FAIL: $heavy is in the runtime venv"; exit 1; fi
done
SIZE_MB=$(du -sm "$WORK/opt/venv" | cut -f1)
echo "runtime venv: ${SIZE_MB} MB"
if (( SIZE_MB >= 400 )); then echo "FAIL: runtime venv is ${SIZE_MB} MB (limit 400)"; exit 1; fi

echo "== app layout as in the image"
mkdir -p "$WORK/app" "$WORK/home"
cp -r service "$WORK/app/service"
cp openapi.yaml gunicorn.conf.py "$WORK/app/"
find "$WORK/app" -name __pycache__ -prune -exec rm -rf {} +
cp "$MODEL" "$WORK/app/model.argosmodel"

echo "== bake the model (models ensure)"
(cd "$WORK/app" && env -i PATH=/usr/bin:/bin HOME="$WORK/build-home" ARGOS_PACKAGES_DIR="$WORK/opt/argos/packages" \
   PONTE_LANGUAGES=pt PONTE_MODEL_FILE="$WORK/app/model.argosmodel" \
   "$WORK/opt/venv/bin/python" -m service models ensure)
(cd "$WORK/app" && env -i PATH=/usr/bin:/bin HOME="$WORK/build-home" ARGOS_PACKAGES_DIR="$WORK/opt/argos/packages" \
   "$WORK/opt/venv/bin/python" -m service models list)

echo "== import time of the app (before model load)"
(cd "$WORK/app" && env -i PATH=/usr/bin:/bin HOME="$WORK/home" PONTE_PACKAGES_DIR="$WORK/opt/argos/packages" \
   PONTE_MODEL_LOADING=off "$WORK/opt/venv/bin/python" -c \
   'import time; t=time.perf_counter(); import service.web; app=service.web.create_app(); print(f"import + create_app: {time.perf_counter()-t:.2f} s")')

echo "== serve as the image's CMD does, wait for /readyz"
PORT=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ENV_RUN=(env -i PATH="$WORK/opt/venv/bin:/usr/bin:/bin" HOME="$WORK/home"
         ARGOS_PACKAGES_DIR="$WORK/opt/argos/packages" PONTE_PACKAGES_DIR="$WORK/opt/argos/packages"
         PONTE_HOST=127.0.0.1 PONTE_PORT="$PORT" PONTE_WORKERS=2)
(cd "$WORK/app" && exec "${ENV_RUN[@]}" python -m service serve) >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  if (cd "$WORK/app" && "${ENV_RUN[@]}" python -m service probe 2>/dev/null); then
    echo "ready on port $PORT"
    (cd "$WORK/app" && "${ENV_RUN[@]}" python - "$PORT" <<'PY'
import json, sys, urllib.request
port = sys.argv[1]
body = json.dumps({"text": "O arquivo não foi encontrado."}).encode()
req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/analyze", data=body, headers={"Content-Type": "application/json"})
with urllib.request.urlopen(req, timeout=30) as resp:
    out = json.load(resp)
print("analyze:", out["language"]["code"], "->", out["translation"]["text"])
PY
    )
    echo "docker recipe check: OK"
    exit 0
  fi
  sleep 1
done
echo "FAIL: /readyz not 200 within 120 s; server log:"
cat "$WORK/server.log"
exit 1
