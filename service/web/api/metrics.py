"""GET /metrics: the Prometheus text exposition of every worker's metrics."""

from __future__ import annotations

from flask import Blueprint, Response
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from service.web.metrics import current_metrics
from service.web.resources import engines

bp = Blueprint("metrics", __name__)


@bp.get("/metrics")
def metrics_view() -> Response:
    """Prometheus text exposition of every worker's metrics."""
    metrics = current_metrics()
    metrics.sync_cache(engines().models)
    return Response(metrics.exposition(), content_type=CONTENT_TYPE_PLAIN_0_0_4)
