"""Behind nginx, a request's time counts from its first byte: X-Request-Start read only from a trusted proxy."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from service.logs import FIELDS
from service.web import create_app
from service.web.requestlog import waited
from tests.conftest import make_settings


def test_the_header_gives_time_since_the_first_byte_and_the_queue() -> None:
    now = 1_000_000.0
    assert waited(f"t={now - 0.25:.3f} elapsed=1.500", now) == pytest.approx((1.75, 0.25))
    assert waited(f"t={now + 60:.3f} elapsed=0.000", now) == (0.0, 0.0)  # never more time than it had
    for bad in (None, "", "t=abc elapsed=1", "t=1 elapsed=-1", "t=1", "t=1 elapsed=1\nx"):
        assert waited(bad, now) is None


@pytest.mark.parametrize(("hops", "counted"), [(1, True), (0, False)])
def test_the_request_deadline_and_log_start_at_the_first_byte(packages_dir: Path, hops: int, counted: bool,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(make_settings(packages_dir, proxy_hops=hops, request_deadline=5.0))  # the real engine layers
    header = f"t={time.time():.3f} elapsed=6.000"  # the body took 6 s to arrive: past the 5 s deadline
    with caplog.at_level("INFO", logger="service.request"):
        response = app.test_client().post("/v1/analyze", json={"text": "O governo aprovou a lei."},
                                          headers={"X-Request-Start": header})
    line = next(r for r in caplog.records if r.name == "service.request")
    fields = line.__dict__[FIELDS]
    if counted:
        assert response.status_code == 503 and response.headers["Retry-After"]
        assert fields["duration_ms"] >= 6000 and fields["read_ms"] >= 5990
    else:  # a client cannot set its own start without a proxy in front
        assert response.status_code == 200 and fields["duration_ms"] < 6000 and "read_ms" not in fields
