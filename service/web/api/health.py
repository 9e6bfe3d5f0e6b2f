"""GET /healthz, /readyz and /openapi.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Response

from service.problems import NotReady
from service.schemas import ModelStatusOut
from service.web.resources import engines

bp = Blueprint("health", __name__)

# The contract lives at the top of the repository (and of the image), beside the package.
OPENAPI_PATH = Path(__file__).resolve().parents[3] / "openapi.yaml"


@bp.get("/healthz")
def healthz() -> Any:
    """The process is alive."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz() -> Any:
    """200 when every installed model is loaded and warmed up; 503 with the reason otherwise."""
    models = engines().models
    states = ModelStatusOut(many=True).dump(models.states())
    reason = models.not_ready_reason()
    if reason is not None:
        raise NotReady(reason, models=states, headers={"Retry-After": "5"})
    return {"status": "ready", "models": states}


@bp.get("/openapi.yaml")
def openapi() -> Response:
    """The contract this service follows."""
    text = OPENAPI_PATH.read_text(encoding="utf-8")
    return Response(text, mimetype="application/yaml")
