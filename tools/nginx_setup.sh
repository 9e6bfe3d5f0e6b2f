#!/usr/bin/env bash
# Install nginx (Debian's nginx-light: no service started, no site used) for `make run` and the tests: ponte's
# supported deployment puts nginx in front of gunicorn (service/cli/front.py). Idempotent: does nothing when nginx
# is already installed. Without root or sudo it says how to go on instead of failing obscurely.
set -euo pipefail
for place in "$(command -v nginx || true)" /usr/sbin/nginx /usr/local/sbin/nginx; do
  if [[ -n "$place" && -x "$place" ]]; then
    echo "nginx already installed: $("$place" -v 2>&1)"
    exit 0
  fi
done
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "nginx is needed in front of ponte: install Debian's nginx-light as root (apt-get install nginx-light)," >&2
    echo "or run without it behind a proxy of your own: PONTE_FRONT=none make run" >&2
    exit 1
  fi
  SUDO="sudo"
fi
$SUDO apt-get update -qq
# the package's postinst may try to start the default site; in a container without an init that is harmless
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends nginx-light
/usr/sbin/nginx -v
