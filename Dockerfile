# syntax=docker/dockerfile:1
# ponte: Portuguese -> English offline translation service.
# The steps below are mirrored, without a Docker engine, by tools/docker_recipe_check.sh (run in CI).

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
RUN python -m venv /opt/venv
COPY requirements.txt requirements-argos.txt ./
# argostranslate without its declared dependencies: no torch, stanza, spacy or minisbd in the image.
RUN /opt/venv/bin/pip install -r requirements.txt \
 && /opt/venv/bin/pip install --no-deps -r requirements-argos.txt
COPY service/ ./service/
COPY models/ ./models/
# Bake the models in: a local .argosmodel (path in the build context), else the Argos index
# for every language in PONTE_LANGUAGES (needs the internet at build time, never at run time).
ARG PONTE_LANGUAGES=pt
ARG PONTE_MODEL_FILE=""
ENV ARGOS_PACKAGES_DIR=/opt/argos/packages \
    HOME=/tmp/build-home
RUN PONTE_LANGUAGES="${PONTE_LANGUAGES}" PONTE_MODEL_FILE="${PONTE_MODEL_FILE:+/app/${PONTE_MODEL_FILE}}" \
    /opt/venv/bin/python -m service models ensure \
 && /opt/venv/bin/python -m service models list

FROM python:3.11-slim
ARG PONTE_LANGUAGES=pt
RUN groupadd --system --gid 10001 ponte \
 && useradd --system --uid 10001 --gid ponte --home-dir /home/ponte --create-home ponte
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/argos /opt/argos
WORKDIR /app
COPY service/ ./service/
COPY openapi.yaml gunicorn.conf.py ./
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/home/ponte \
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
# `serve` (the default) execs gunicorn; `models ...` manages packages.
ENTRYPOINT ["python", "-m", "service"]
CMD ["serve"]
