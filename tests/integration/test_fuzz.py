"""Contract fuzzing: schemathesis generates requests from openapi.yaml against a real 2-worker gunicorn server.

Zero 5xx, and every response conforms to the contract (status documented, content type, body schema, headers).
`make test` runs 25 examples per operation; `make fuzz` runs 200 (PONTE_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.server import ROOT, Server

pytestmark = pytest.mark.slow

CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
])


def test_schemathesis_finds_no_5xx_and_no_contract_violation(packages_dir: Path, tmp_path: Path) -> None:
    examples = int(os.environ.get("PONTE_FUZZ_EXAMPLES", "25"))
    server = Server(packages_dir, tmp_path / "server.log")
    server.start(ready_within=60)
    try:
        command = [
            str(Path(sys.executable).with_name("schemathesis")), "run", str(ROOT / "openapi.yaml"),
            "--url", server.url,
            "--checks", CHECKS,
            "--max-examples", str(examples),
            "--phases", "examples,coverage,fuzzing",
            "--seed", "20261127",
            "--workers", "2",
            "--request-timeout", "60",
            "--suppress-health-check", "too_slow,data_too_large",
            "--report", "junit", "--report-junit-path", str(tmp_path / "junit.xml"),
        ]
        result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=1800,
                                env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"})
        output = result.stdout + result.stderr
        sys.stdout.write(output[-4000:])
        # the server is still alive and well after the storm
        assert requests.get(server.url + "/readyz", timeout=10).status_code == 200
    finally:
        server.stop()
    assert result.returncode == 0, output[-20000:] + "\n--- server log ---\n" + server.log()[-10000:]
    assert re.search(r"\b\d+ passed\b", output) or "No issues found" in output, output[-4000:]
    assert "Traceback" not in server.log(), server.log()[-10000:]
