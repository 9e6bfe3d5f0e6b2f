#!/usr/bin/env bash
# Checks deploy/prometheus/alerts.yaml offline with promtool: `check rules` (syntax, PromQL) and
# `test rules` (deploy/prometheus/alerts_test.yaml: each alert fires on made-up series, and stays quiet).
# promtool comes from Debian's prometheus package, unpacked (not installed) into a cache folder once.
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE=${PONTE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ponte-tools}
PROMTOOL=${PROMTOOL:-$CACHE/prometheus/usr/bin/promtool}

if [ ! -x "$PROMTOOL" ]; then
    mkdir -p "$CACHE/prometheus"
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    # apt-get download needs the package lists; refresh them once if the first try finds nothing.
    (cd "$work" && { apt-get download -qq prometheus 2>/dev/null || { apt-get update -qq && apt-get download -qq prometheus; }; })
    dpkg-deb -x "$work"/prometheus_*.deb "$CACHE/prometheus"
    echo "check_alerts: promtool unpacked into $CACHE/prometheus ($(basename "$work"/prometheus_*.deb))"
fi
"$PROMTOOL" --version 2>&1 | head -1
"$PROMTOOL" check rules deploy/prometheus/alerts.yaml
"$PROMTOOL" test rules deploy/prometheus/alerts_test.yaml
