#!/usr/bin/env bash
# Base images made from Debian's own packages (no container registry needed): mmdebstrap writes a bookworm root
# file system with Python 3.11 to a tar, podman imports it. Two of them, made side by side:
#   localhost/ponte-base:bookworm         the image's runtime base (Python, venv, CA certificates)
#   localhost/ponte-base:bookworm-build   the same + binutils, for the build stage (strip the debug info that the
#                                         ctranslate2 wheel ships: 65 MB of its 147)
# The tars are cached in build/container/ (git-ignored): a re-run only imports them again when an image is
# missing. `rm -r build/container` (or a fresh clone) makes them anew.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/tools/container/containers.conf}
BASE_IMAGE=${BASE_IMAGE:-localhost/ponte-base:bookworm}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
DIR=build/container
mkdir -p "$DIR"

# debootstrap TAR PACKAGES: one root file system. minbase (dpkg, apt and what they need) + the packages. /usr is
# merged by directory symlinks (the merged-usr hook), as debootstrap does, instead of the usrmerge package, which
# pulls in the whole of Perl (47 MB). Documentation, manuals and translations are left out (the copyright files
# stay); mmdebstrap removes apt's lists and caches itself.
debootstrap() {
  local tar=$1 packages=$2
  mmdebstrap --quiet --variant=minbase --mode=root --format=tar \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr --include="$packages" \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    --dpkgopt='path-exclude=/usr/share/lintian/*' \
    bookworm "$tar.part" \
    "deb $MIRROR bookworm main" "deb $MIRROR bookworm-updates main" "deb $SECURITY bookworm-security main" \
    >"$tar.log" 2>&1 || { cat "$tar.log"; return 1; }
  mv "$tar.part" "$tar"
}

PACKAGES=python3,python3-venv,ca-certificates
declare -A TARS=(["$BASE_IMAGE"]="$DIR/debian-bookworm-python3.tar"
                 ["$BASE_IMAGE-build"]="$DIR/debian-bookworm-python3-binutils.tar")
declare -A INCLUDE=(["$BASE_IMAGE"]="$PACKAGES" ["$BASE_IMAGE-build"]="$PACKAGES,binutils")

start=$SECONDS
pids=()
for image in "${!TARS[@]}"; do
  if [[ ! -s "${TARS[$image]}" ]]; then
    echo "== mmdebstrap: Debian bookworm + ${INCLUDE[$image]} -> ${TARS[$image]}"
    debootstrap "${TARS[$image]}" "${INCLUDE[$image]}" &
    pids+=($!)
  fi
done
for pid in "${pids[@]}"; do wait "$pid"; done
if (( ${#pids[@]} )); then echo "mmdebstrap: $(( SECONDS - start )) s"; fi

for image in "${!TARS[@]}"; do
  tar=${TARS[$image]}
  if ! podman image exists "$image" || [[ "$tar" -nt "$tar.imported" ]]; then
    podman import --quiet --change 'CMD ["/usr/bin/python3"]' "$tar" "$image" >/dev/null
    touch "$tar.imported"
  fi
  podman image inspect --format '{{.Size}}' "$image" | awk -v n="$image" '{printf "base image %s: %.0f MB\n", n, $1/1e6}'
done
