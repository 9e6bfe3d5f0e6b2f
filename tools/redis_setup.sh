#!/usr/bin/env bash
# Install redis-server (Debian package, no service started) for tests/integration/test_redis_limits.py.
# Idempotent: does nothing when redis-server is already on PATH.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  echo "redis-server already installed: $(redis-server --version)"
  exit 0
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
# the package's postinst may try to start a service; in a container without an init that is harmless
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends redis-server
redis-server --version
