"""The worker's entry module: what it sets up in the process before the app serves."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # a subprocess
def test_a_worker_hands_the_gil_on_every_millisecond(tmp_path: Path) -> None:
    # gunicorn imports service.web.wsgi in each worker (preload_app is off): the worker's interval, not the test's
    env = {k: v for k, v in os.environ.items() if not k.startswith("PONTE_")}
    env.update({"PONTE_PACKAGES_DIR": str(tmp_path), "PONTE_HOST": "127.0.0.1"})
    code = "import sys, service.web.wsgi; print(sys.getswitchinterval())"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=True)
    assert float(done.stdout.split()[-1]) == 0.001
