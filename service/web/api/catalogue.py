"""GET /v1/languages and /v1/topics."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from service.core.models import FAILED
from service.core.tagging import taxonomy_as_dict
from service.schemas import LanguagePairOut
from service.web.resources import engines

bp = Blueprint("catalogue", __name__, url_prefix="/v1")


@bp.get("/languages")
def languages() -> Any:
    """The installed language pairs and whether each is loaded."""
    states = [s for s in engines().models.states() if not (s.status == FAILED and s.source_language == "und")]
    pairs = [{"source_language": s.source_language, "target_language": s.target_language,
              "package": s.package, "version": s.version, "status": s.status} for s in states]
    return {"pairs": LanguagePairOut(many=True).dump(pairs)}


@bp.get("/topics")
def topics() -> Any:
    """The taxonomy in use."""
    return taxonomy_as_dict(engines().taxonomy)
