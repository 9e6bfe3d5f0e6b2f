"""GET /v1/languages, /v1/glossary and /v1/topics."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from service.core.models import FAILED
from service.core.tagging import taxonomy_as_dict
from service.core.terms import glossary_as_dict
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


@bp.get("/glossary")
def glossary() -> Any:
    """The server's glossary (PONTE_GLOSSARY)."""
    return glossary_as_dict(engines().pipeline.glossary)


@bp.get("/topics")
def topics() -> Any:
    """The taxonomy in use."""
    return taxonomy_as_dict(engines().taxonomy)
