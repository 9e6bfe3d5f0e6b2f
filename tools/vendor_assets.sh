#!/usr/bin/env bash
# Reproduces the vendored front-end assets from the npm registry, pinned by version AND tarball sha256:
#   service/web/static/vendor/swagger-ui/   swagger-ui-dist (the /docs page)
#   tests/integration/browser/vendor/axe-core/   axe-core (accessibility checks in the browser tests only)
# Usage: tools/vendor_assets.sh          re-vendor (fails if a tarball's sha256 differs from the pin)
#        tools/vendor_assets.sh --check  re-vendor into a temporary folder and compare with what is committed
set -euo pipefail
cd "$(dirname "$0")/.."

SWAGGER_VERSION=5.35.0
SWAGGER_SHA256=1b8e891893404ea4c3558b6a87e2a3e494e7eedba41168c2ece5800a391a6ea6
AXE_VERSION=4.14.1
AXE_SHA256=e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745

SWAGGER_DIR=service/web/static/vendor/swagger-ui
AXE_DIR=tests/integration/browser/vendor/axe-core

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch NAME VERSION SHA256 -> $work/NAME/package
    local name=$1 version=$2 sha=$3 tarball
    mkdir -p "$work/$name"
    (cd "$work/$name" && npm pack --silent "$name@$version" >/dev/null)
    tarball="$work/$name/$name-$version.tgz"
    echo "$sha  $tarball" | sha256sum --check --quiet \
        || { echo "vendor_assets: $name-$version.tgz does not have the pinned sha256" >&2; exit 1; }
    tar -xzf "$tarball" -C "$work/$name"
}

vendor() {  # vendor ROOT: write both folders under ROOT
    local root=$1
    fetch swagger-ui-dist "$SWAGGER_VERSION" "$SWAGGER_SHA256"
    fetch axe-core "$AXE_VERSION" "$AXE_SHA256"
    local sw="$root/$SWAGGER_DIR" axe="$root/$AXE_DIR" p="$work/swagger-ui-dist/package"
    rm -rf "$sw" "$axe"
    mkdir -p "$sw" "$axe"
    # Only what the page loads, and the licence texts. Not the shipped swagger-initializer.js / index.html:
    # they load the petstore from the internet and use inline script (ours: service/web/static/docs.js).
    cp "$p/swagger-ui-bundle.js" "$p/swagger-ui-bundle.js.LICENSE.txt" "$p/LICENSE" "$p/NOTICE" "$sw/"
    # The stylesheet without its sourceMappingURL comment: the .map is not vendored.
    sed 's#/\*\# sourceMappingURL=[^*]*\*/##' "$p/swagger-ui.css" > "$sw/swagger-ui.css"
    cat > "$sw/VENDOR.md" <<MD
# Vendored: Swagger UI

| | |
|---|---|
| package | \`swagger-ui-dist\` (npm) |
| version | $SWAGGER_VERSION |
| licence | Apache-2.0 (\`LICENSE\`, \`NOTICE\`; bundled third-party notices in \`swagger-ui-bundle.js.LICENSE.txt\`) |
| tarball sha256 | \`$SWAGGER_SHA256\` (\`swagger-ui-dist-$SWAGGER_VERSION.tgz\` from \`npm pack\`) |
| files | \`swagger-ui-bundle.js\` (as shipped), \`swagger-ui.css\` (its sourceMappingURL comment removed) |

Reproduce with \`tools/vendor_assets.sh\`; check with \`tools/vendor_assets.sh --check\`.
The initializer is ours (\`service/web/static/docs.js\`): the shipped one loads the petstore example.
MD
    cp "$work/axe-core/package/axe.min.js" "$work/axe-core/package/LICENSE" "$axe/"
    cat > "$axe/VENDOR.md" <<MD
# Vendored for the browser tests only: axe-core

| | |
|---|---|
| package | \`axe-core\` (npm) |
| version | $AXE_VERSION |
| licence | MPL-2.0 (\`LICENSE\`) |
| tarball sha256 | \`$AXE_SHA256\` (\`axe-core-$AXE_VERSION.tgz\` from \`npm pack\`) |
| files | \`axe.min.js\` (as shipped) |

Reproduce with \`tools/vendor_assets.sh\`.
MD
}

if [ "${1:-}" = "--check" ]; then
    vendor "$work/out"
    diff -r "$work/out/$SWAGGER_DIR" "$SWAGGER_DIR"
    diff -r "$work/out/$AXE_DIR" "$AXE_DIR"
    echo "vendor_assets: committed assets match swagger-ui-dist $SWAGGER_VERSION and axe-core $AXE_VERSION"
else
    vendor .
    echo "vendor_assets: vendored swagger-ui-dist $SWAGGER_VERSION and axe-core $AXE_VERSION"
fi
