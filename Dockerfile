# syntax=docker/dockerfile:1
# ponte: Portuguese -> English offline translation service.
# Built for real and checked end to end by `make image` and `make container-check` (docs/container.md).
# BASE_IMAGE: any Debian-like image with Python 3.11 and `python3 -m venv`; CI uses one made from Debian's packages
# (tools/container/base.sh), since no container registry can be reached there.
# BUILD_IMAGE: the build stage's base, by default the same; it must have the same Python (the virtualenv is copied).
# With binutils in it, the libraries that carry debug info are stripped of it (ctranslate2's extension: 65 MB). Only
# those: stripping a library that auditwheel patched and that has none (numpy's OpenBLAS) breaks its loading.
ARG BASE_IMAGE=python:3.11-slim
ARG BUILD_IMAGE=${BASE_IMAGE}

FROM ${BUILD_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
RUN python3 -m venv /opt/venv
COPY requirements.txt requirements-argos.txt ./
COPY wheels/ ./wheels/
# argostranslate without its declared dependencies: no torch, stanza, spacy or minisbd in the image.
# Wheels in wheels/ (a local wheelhouse) make the install offline: then every wheel must be there (--no-index).
# pip and setuptools are removed afterwards: the image never installs anything at run time.
RUN set -- wheels/*.whl; if [ -e "$1" ]; then set -- --no-index --find-links wheels; else set --; fi \
 && /opt/venv/bin/pip install "$@" -r requirements.txt \
 && /opt/venv/bin/pip install "$@" --no-deps -r requirements-argos.txt \
 && /opt/venv/bin/pip uninstall --yes --quiet pip setuptools \
 && if command -v strip >/dev/null; then \
      find /opt/venv -name '*.so*' -type f -exec sh -c 'for lib; do \
        if readelf --section-headers "$lib" | grep -q "[.]debug_info"; then strip --strip-debug "$lib"; fi; \
      done' sh {} +; \
    fi
COPY service/ ./service/
COPY models/ ./models/
# Bake the models in: a local .argosmodel (path in the build context), else the Argos index
# for every language in PONTE_LANGUAGES (needs the internet at build time, never at run time).
ARG PONTE_LANGUAGES=pt
ARG PONTE_MODEL_FILE=""
# argostranslate creates its data, config and cache folders when it is imported (XDG_*, else under HOME). They
# are made here, in the image: at run time they exist, nothing is created, and the root file system and HOME
# can be read-only, for any uid.
ENV ARGOS_PACKAGES_DIR=/opt/argos/packages \
    XDG_DATA_HOME=/opt/argos/xdg/data \
    XDG_CONFIG_HOME=/opt/argos/xdg/config \
    XDG_CACHE_HOME=/opt/argos/xdg/cache \
    HOME=/tmp/build-home
RUN mkdir -p /opt/argos/xdg/data/argos-translate /opt/argos/xdg/config/argos-translate \
             /opt/argos/xdg/cache/argos-translate/downloads \
 && PONTE_LANGUAGES="${PONTE_LANGUAGES}" PONTE_MODEL_FILE="${PONTE_MODEL_FILE:+/app/${PONTE_MODEL_FILE}}" \
    /opt/venv/bin/python3 -m service models ensure \
 && /opt/venv/bin/python3 -m service models list \
 && /opt/venv/bin/python3 -m compileall -q service

FROM ${BASE_IMAGE}
ARG PONTE_LANGUAGES=pt
RUN groupadd --system --gid 10001 ponte \
 && useradd --system --uid 10001 --gid ponte --home-dir /home/ponte --create-home ponte
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/argos /opt/argos
WORKDIR /app
COPY --from=build /app/service ./service/
COPY openapi.yaml gunicorn.conf.py ./
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/home/ponte \
    XDG_DATA_HOME=/opt/argos/xdg/data \
    XDG_CONFIG_HOME=/opt/argos/xdg/config \
    XDG_CACHE_HOME=/opt/argos/xdg/cache \
    ARGOS_PACKAGES_DIR=/opt/argos/packages \
    ARGOS_DEVICE_TYPE=cpu \
    ARGOS_INTER_THREADS=1 \
    ARGOS_INTRA_THREADS=1 \
    PONTE_PACKAGES_DIR=/opt/argos/packages \
    PONTE_LANGUAGES=${PONTE_LANGUAGES} \
    PONTE_HOST=0.0.0.0 \
    PONTE_PORT=8080
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-m", "service", "probe"]
# `serve` (the default) execs gunicorn; `analyze ...` is the pipeline step; `models ...` manages packages.
ENTRYPOINT ["python", "-m", "service"]
CMD ["serve"]
