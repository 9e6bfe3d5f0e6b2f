"""Hypothesis settings for the property tests: derandomized (the same examples on every run: a failure in CI is
reproducible), no deadline (no test depends on the machine's speed), no example database written to the tree.

PONTE_PROPERTY_EXAMPLES sets the examples per property: `make test` runs 100, `make test-fast` 10; run more with
e.g. `PONTE_PROPERTY_EXAMPLES=5000 PONTE_PROPERTY_RANDOM=1 .venv/bin/python -m pytest -k properties`, which also
draws new examples instead of the fixed ones.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("PONTE_PROPERTY_EXAMPLES", "100"))

PROPERTIES = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("PONTE_PROPERTY_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
