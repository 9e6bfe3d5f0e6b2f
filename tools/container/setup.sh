#!/usr/bin/env bash
# What `make image` needs on a Debian host with no Docker engine: podman (builds and runs OCI images as root),
# runc (its runtime here: crun fails on hosts with v1 cgroups) and mmdebstrap (the base image from Debian's
# packages). Installed from Debian once; a no-op when they are there.
set -euo pipefail
missing=()
for tool in podman runc mmdebstrap; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if (( ${#missing[@]} )); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "container tools missing: ${missing[*]}; install them as root: apt-get install podman runc mmdebstrap" >&2
    exit 1
  fi
  echo "== apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # podman's recommends bring the network plugins' iptables that published ports (-p) need
  apt-get install -y -q podman runc mmdebstrap >/dev/null \
    || { apt-get update -q >/dev/null && apt-get install -y -q podman runc mmdebstrap >/dev/null; }
fi
echo "$(podman --version), runc $(runc --version | sed -n 's/^runc version //p'), mmdebstrap $(mmdebstrap --version | cut -d' ' -f2)"
