#!/usr/bin/env bash
# make image: ponte's image built here for real with podman, offline, on a base made from Debian's packages, with a
# model baked in from models/ (default: the test package, copied there from tests/fixtures/).
#   IMAGE=ponte:0.1.0 PONTE_MODEL_FILE=models/X.argosmodel tools/container/image.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/tools/container/containers.conf}
: "${IMAGE:?set IMAGE (make image sets it from pyproject.toml: ponte:VERSION)}"
BASE_IMAGE=${BASE_IMAGE:-localhost/ponte-base:bookworm}
TEST_PACKAGE=translate-pt_en-ponte_test-1_0.argosmodel
MODEL=${PONTE_MODEL_FILE:-models/$TEST_PACKAGE}

bash tools/container/setup.sh
BASE_IMAGE=$BASE_IMAGE bash tools/container/base.sh
bash tools/container/wheelhouse.sh
if [[ "$MODEL" == "models/$TEST_PACKAGE" ]] && ! cmp -s "tests/fixtures/$TEST_PACKAGE" "$MODEL"; then
  cp "tests/fixtures/$TEST_PACKAGE" "$MODEL"
fi
[[ -f "$MODEL" && "$MODEL" == models/* ]] || { echo "PONTE_MODEL_FILE=$MODEL: not a file under models/" >&2; exit 2; }

echo "== podman build $IMAGE (base $BASE_IMAGE, model $MODEL, no network)"
start=$SECONDS
# --format docker: the OCI format has no HEALTHCHECK. --network none: everything comes from the build context
# (the wheelhouse in wheels/, the model in models/), as on an air-gapped machine.
podman build --quiet --format docker --network none \
  --build-arg BASE_IMAGE="$BASE_IMAGE" --build-arg BUILD_IMAGE="$BASE_IMAGE-build" \
  --build-arg PONTE_MODEL_FILE="$MODEL" --tag "$IMAGE" . >/dev/null
podman image inspect --format '{{.Size}}' "$IMAGE" \
  | awk -v n="$IMAGE" -v s=$(( SECONDS - start )) '{printf "image %s: %.0f MB (built in %d s)\n", n, $1/1e6, s}'
