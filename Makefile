# ponte — the README's two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --no-input

RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed

# The image's name, as deploy/kubernetes and the docs give it (tests/test_container_docs.py checks they agree)
VERSION := $(shell sed -n 's/^version = "\(.*\)"$$/\1/p' pyproject.toml)
IMAGE ?= ponte:$(VERSION)

.PHONY: mutation mutation-changed run test nginx test-fast test-determinism lint typecheck unit image container-check venv clean bench bench-peer bench-argos-size bench-features profile audit fuzz soak eval-tags eval-iptc test-browser abuse eval-translation check-alerts test-spark bench-spark test-files bench-files

$(RUNTIME_STAMP): requirements.txt requirements-argos.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q -r requirements.txt
	# argostranslate without its declared dependencies (stanza, torch, spacy, minisbd): see README
	$(PIP) install -q --no-deps -r requirements-argos.txt
	touch $@

$(DEV_STAMP): $(RUNTIME_STAMP) requirements-dev.txt
	$(PIP) install -q -r requirements-dev.txt
	touch $@

venv: $(RUNTIME_STAMP)

## make run: install what is missing (nginx too, unless PONTE_FRONT=none), make sure the pt->en model is installed,
## serve on PONTE_HOST:PONTE_PORT: nginx in front of gunicorn
run: $(RUNTIME_STAMP)
	[ "$${PONTE_FRONT:-nginx}" = none ] || bash tools/nginx_setup.sh
	$(PY) -m service models ensure
	exec $(PY) -m service serve

## make test: lint, type-check and the whole test suite, offline (its servers run behind nginx, installed once)
test: $(DEV_STAMP) nginx lint typecheck unit

nginx:
	bash tools/nginx_setup.sh

## make test-fast: core and API tests only (no subprocesses, no real servers, no corpus-wide runs): the edit-test loop
test-fast: $(DEV_STAMP)
	PONTE_PROPERTY_EXAMPLES=$${PONTE_PROPERTY_EXAMPLES:-10} $(PY) -m pytest -q -p no:cacheprovider --ignore=tests/integration \
	    -m "not slow"

## make test-determinism: the same-answer tests (engine, CLI layouts, resume, shards, workers) on both of CTranslate2's
## CPU backends, whatever this CPU is: oneDNN capped at AVX2 (whose results once depended on a batch's padding) and
## Intel MKL (the default on Intel CPUs; much slower on AMD ones, so it runs the same tests with patience)
test-determinism: $(DEV_STAMP)
	CT2_USE_MKL=0 ONEDNN_MAX_CPU_ISA=AVX2 $(PY) -m pytest -q -p no:cacheprovider -m determinism
	CT2_USE_MKL=1 $(PY) -m pytest -q -p no:cacheprovider -m determinism

lint: $(DEV_STAMP)
	$(PY) -m ruff check .
	$(VENV)/bin/hadolint Dockerfile

typecheck: $(DEV_STAMP)
	$(PY) -m mypy

unit: $(DEV_STAMP)
	$(PY) -m pytest

## make image: the image built for real with podman (installed from Debian if missing), offline, on a base made from
## Debian's packages (mmdebstrap; cached in build/container/), the test package baked in from models/
## (PONTE_MODEL_FILE=models/X.argosmodel bakes another). docs/container.md
image:
	IMAGE=$(IMAGE) bash tools/container/image.sh

## make container-check: the built image run for real: read-only root, non-root, health check, the seed article over
## HTTP equal to `make run`, the pipeline job offline with SIGTERM and --resume, mounted and corrupt models, size
## and start-up budgets (tests/integration/container)
container-check: $(DEV_STAMP) image
	CONTAINERS_CONF=$(abspath tools/container/containers.conf) PONTE_CONTAINER_TESTS=1 PONTE_IMAGE=$(IMAGE) \
	    OMP_NUM_THREADS=1 $(PY) -m pytest -q -s -p no:cacheprovider tests/integration/container

## make mutation: mutmut over the modules whose bugs users meet (tools/mutation.py GROUPS): make test-fast's tests first,
## then the rest of the unit suite on their survivors; writes bench/mutation_fast.md and bench/mutation_unit.md. Hours on
## 2 cores for every group: one group with `make mutation MUTATION_ARGS="--group core-terms"`
mutation: $(DEV_STAMP)
	$(PY) tools/mutation.py --selection fast $(MUTATION_ARGS) --report bench/mutation_fast.md --record
	$(PY) tools/mutation.py --selection unit --survivors-of fast $(MUTATION_ARGS) --report bench/mutation_unit.md --record

## make mutation-changed: test-fast's mutation score of the modules changed since MUTATION_BASE (default HEAD^1: a merge
## commit's whole branch), stopped after MUTATION_MINUTES (default 25); fails below a module's floor (CI)
mutation-changed: $(DEV_STAMP)
	$(PY) tools/mutation.py --selection fast --changed $${MUTATION_BASE:-HEAD^1} \
	    --budget-minutes $${MUTATION_MINUTES:-25} --check

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

## make bench: engine limit vs service on the shipped workload; writes bench/RESULTS.md (keeping the sections of
## bench-peer and bench-argos-size). `make bench PEER=1 ARGOS_SIZE=1` runs those two after it, in the same run.
bench: $(DEV_STAMP) nginx
	$(PY) bench/bench.py
	if [ -n "$(PEER)" ]; then $(MAKE) --no-print-directory bench-peer; fi
	if [ -n "$(ARGOS_SIZE)" ]; then $(MAKE) --no-print-directory bench-argos-size; fi

## make bench-peer: ponte and LibreTranslate 1.9.6 side by side, cell by cell, alternating (bench/peer_bench.py);
## writes the "peer" section of bench/RESULTS.md. The peer's virtualenv (.venv-peer, git-ignored) is built the
## first time (~5 min); the run takes ~12 min on a quiet 2-core machine (BENCH_PEER_ARGS=--quick: a smoke run)
bench-peer: $(DEV_STAMP) nginx
	OMP_NUM_THREADS=1 $(PY) bench/peer_bench.py $(BENCH_PEER_ARGS)

## make bench-argos-size: the service vs its engine on an Argos-size random-weight model (built into build/ when
## missing, ~10 s) (bench/argos_size.py); writes the "argos-size" section of bench/RESULTS.md
bench-argos-size: $(DEV_STAMP) nginx
	OMP_NUM_THREADS=1 $(PY) bench/argos_size.py $(BENCH_ARGOS_SIZE_ARGS)

## make bench-features: each default feature's cost, on vs off in the same run (bench/feature_cost.py); writes the
## "features" section of bench/RESULTS.md (~12 min; BENCH_FEATURES_ARGS=--quick: a smoke run)
bench-features: $(DEV_STAMP) nginx
	OMP_NUM_THREADS=1 $(PY) bench/feature_cost.py $(BENCH_FEATURES_ARGS)

## make profile: py-spy on a real server at c=1 and c=4 (bench/request_profile.py): flame graphs, a per-stage table
## and the engine's batch sizes in bench/profile/ (~3 min on a quiet machine; PROFILE_ARGS=--quick: a smoke run)
profile: $(DEV_STAMP) nginx
	OMP_NUM_THREADS=1 $(PY) bench/request_profile.py $(PROFILE_ARGS)

## make audit: pip-audit of the pinned runtime requirements (needs PyPI's vulnerability data over the network).
## Exit 1: vulnerabilities found; exit 2: packages could not be audited (service unreachable), said plainly.
audit: $(DEV_STAMP)
	$(PY) tools/audit.py

## make fuzz: schemathesis from openapi.yaml against a real 2-worker gunicorn server, 200 examples per operation
## (`make test` runs the same with 25)
fuzz: $(DEV_STAMP)
	PONTE_FUZZ_EXAMPLES=$${PONTE_FUZZ_EXAMPLES:-200} $(PY) -m pytest -q -s -p no:cacheprovider \
	    tests/integration/test_fuzz.py

## make soak: 5 minutes at concurrency 8 against 2 recycling workers (bench/soak.py --help)
soak: $(DEV_STAMP)
	$(PY) bench/soak.py --seconds $${SOAK_SECONDS:-300}

## make eval-tags: per-topic precision/recall/F1 of the tagger on tests/data/tagging_eval.jsonl
eval-tags: $(DEV_STAMP)
	$(PY) tools/eval_tags.py

## make eval-iptc: agreement of the topics, mapped to IPTC Media Topics, with an editor's choice (tests/data/iptc_check.jsonl)
eval-iptc: $(DEV_STAMP)
	$(PY) tools/eval_iptc.py

## make test-browser: the pages (/ and /docs) in Debian's Chromium via Playwright, against a real gunicorn server
## (tools/browser_setup.sh installs chromium and requirements-browser.txt once); writes docs/screenshot.png
test-browser: $(DEV_STAMP)
	PY=$(PY) bash tools/browser_setup.sh
	OMP_NUM_THREADS=1 PONTE_BROWSER_TESTS=1 $(PY) -m pytest -q -p no:cacheprovider tests/integration/browser

## make check-alerts: deploy/prometheus/alerts.yaml checked and unit-tested with promtool (unpacked from Debian once)
check-alerts:
	bash tools/check_alerts.sh

## make abuse: every hostile-client attack against the supported deployment (nginx in front of 2 gunicorn workers),
## each a pass/fail row with a probe for /healthz and a short analyze beside it; fails when a row fails
## (tests/abuse/attacks.py; PONTE_ABUSE_SECONDS per attack, PONTE_ABUSE_TEXTS unique texts for the memory phase,
## PONTE_ABUSE_ATTACKER_NICE the attacks' CPU priority: 19 by default, as a remote attacker takes none of the server's)
abuse: $(DEV_STAMP) nginx
	OMP_NUM_THREADS=1 $(PY) -m tests.abuse.attacks

## make eval-translation: chrF/BLEU on the held-out pt/en set, flagged vs unflagged chrF, AUC of the score
eval-translation: $(DEV_STAMP)
	OMP_NUM_THREADS=1 $(PY) tools/eval_translation.py --measure

## make test-spark: service/spark.py on a real local Spark (local[2,4]) in its own virtualenv (requirements-spark.txt,
## Java 17 on PATH); the first build of the pyspark wheel takes ~2 minutes, pip's cache keeps it
SPARK_VENV ?= .venv-spark
SPARK_PY := $(SPARK_VENV)/bin/python
SPARK_STAMP := $(SPARK_VENV)/.spark-installed

$(SPARK_STAMP): requirements.txt requirements-argos.txt requirements-dev.txt requirements-spark.txt
	test -x $(SPARK_PY) || $(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_PY) -m pip --disable-pip-version-check --no-input install -q -r requirements-spark.txt
	$(SPARK_PY) -m pip --disable-pip-version-check --no-input install -q --no-deps -r requirements-argos.txt
	touch $@

test-spark: $(SPARK_STAMP)
	OMP_NUM_THREADS=1 SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON=$(abspath $(SPARK_PY)) \
	    $(SPARK_PY) -m pytest -q -p no:cacheprovider tests/integration/spark tests/test_spark_schema.py

## make bench-spark: documents/s of the CLI (1 process, 2 shards) and Spark local[1], local[2] (bench/spark_vs_cli.py)
bench-spark: $(SPARK_STAMP)
	OMP_NUM_THREADS=1 SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON=$(abspath $(SPARK_PY)) $(SPARK_PY) bench/spark_vs_cli.py

## make test-files: every translated file of tests/data/files opens in its reference reader (LibreOffice for DOCX, ODT,
## PPTX, ODP; EPUBCheck for EPUB; msgfmt for PO; pdftotext for PDF); tools/libreoffice_setup.sh installs them once
test-files: $(DEV_STAMP)
	bash tools/libreoffice_setup.sh
	PONTE_READER_TESTS=1 $(PY) -m pytest -q -p no:cacheprovider tests/integration/files

## make bench-files: a 10-page DOCX through /v1/translate/file vs its plain text through /v1/translate (paired runs)
bench-files: $(DEV_STAMP)
	OMP_NUM_THREADS=1 $(PY) bench/files.py
