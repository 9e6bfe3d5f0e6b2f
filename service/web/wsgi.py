"""The gunicorn entry point: `gunicorn service.web.wsgi:app` (one app, and one set of models, per worker)."""

import sys

from service.web import create_app

# A worker's request threads share one GIL with the threads doing Python work for long documents (JSON, detection,
# segmentation, tagging). Handing it on every 1 ms instead of Python's 5 ms lets a health check or a short request
# get through sooner: under `make abuse`'s two busiest attacks, 10 runs each, the probe's worst /healthz was 28-129
# ms with 5 ms (2 runs over 100 ms) and 23-84 ms with 1 ms; /v1/analyze throughput at c=4 unchanged (news passages,
# 6 alternating runs: median 21.7 vs 21.8 texts/s).
SWITCH_INTERVAL_S = 0.001
sys.setswitchinterval(SWITCH_INTERVAL_S)

app = create_app()
