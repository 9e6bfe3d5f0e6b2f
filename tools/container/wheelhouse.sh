#!/usr/bin/env bash
# Fill wheels/ (the Dockerfile's local wheelhouse) with a wheel for every pinned runtime requirement, using this
# machine's pip: its cache, its index and its CA. The image build then installs from wheels/ alone, with no
# network (`podman build --network none`). Environment markers are dropped on purpose: the image's Python may
# be another 3.11 release than this one (Debian's 3.11.2 needs async-timeout, 3.11.7 does not), so every pinned
# wheel goes in and the image's pip takes what its own Python needs. langdetect has no wheel on PyPI: pip
# builds one (pure Python) from its sdist.
#   tools/container/wheelhouse.sh [PYTHON]     default .venv/bin/python, else python3
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${1:-$( [[ -x .venv/bin/python ]] && echo .venv/bin/python || echo python3 )}
mkdir -p build/container wheels
rm -f wheels/*.whl   # exactly the pinned set: no wheel of an older pin left behind (pip's cache makes this cheap)
pins=build/container/requirements-pinned.txt
# every `name==version` line of the runtime requirements, without its comment or marker
sed -e 's/#.*//' -e 's/;.*//' -e 's/[[:space:]]*$//' requirements.txt requirements-argos.txt | grep -E '^[A-Za-z0-9_.-]+==' > "$pins"
"$PYTHON" -m pip --disable-pip-version-check wheel --quiet --no-deps --wheel-dir wheels -r "$pins" 2>&1 \
  | { grep -v "is ignored: it is neither a file nor a directory" || true; }
echo "wheelhouse: $(find wheels -name '*.whl' | wc -l) wheels for $(wc -l < "$pins") pins, $(du -sm wheels | cut -f1) MB"
