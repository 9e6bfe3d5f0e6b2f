"""The pages for people: `GET /` (try ponte on a text) and `GET /docs` (the API reference, Swagger UI).

Both are static files under `static/` (plain HTML, CSS and ES modules, no build step) that call the same
JSON API as any client: the pages hold no logic of the service. They carry strict headers: a
Content-Security-Policy that allows no inline script and nothing from another origin, no CORS, and no
framing. The key a person types stays in the page's memory; nothing is stored in the browser.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Blueprint, Flask, Response, send_from_directory

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_URL = "/ui/static"
PAGES = {"/": "index.html", "/docs": "docs.html"}
# What the pages load from the API without a key of their own: /docs reads the contract before anyone
# can type a key into it. With API keys on, these and public_paths() must be open (PONTE_AUTH_OPEN_PATHS).
API_PATHS_READ_BY_PAGES = ("/openapi.yaml",)

# data: images only for the icons inside Swagger UI's stylesheet; no 'unsafe-inline' anywhere.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

bp = Blueprint("ui", __name__, static_folder=STATIC_DIR, static_url_path=STATIC_URL)


@bp.after_request
def _strict_headers(response: Response) -> Response:
    """Every answer of this blueprint (pages, assets, their 404s) gets the strict headers and no CORS."""
    response.headers.update(HEADERS)
    for name in [h for h in response.headers.keys() if h.lower().startswith("access-control-")]:  # noqa: SIM118
        del response.headers[name]
    return response


def _page(name: str) -> Response:
    response = send_from_directory(STATIC_DIR, name, mimetype="text/html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/")
def index() -> Response:
    """Try ponte on a text: language, sentence-aligned translation, tags with their evidence, timings."""
    return _page(PAGES["/"])


@bp.get("/docs")
def docs() -> Response:
    """The interactive API reference, rendered from /openapi.yaml."""
    return _page(PAGES["/docs"])


def public_paths() -> frozenset[str]:
    """Every path the pages need without an API key: the pages, each static file, and the contract."""
    files = {f"{STATIC_URL}/{p.relative_to(STATIC_DIR).as_posix()}" for p in STATIC_DIR.rglob("*") if p.is_file()}
    return frozenset({*PAGES, *API_PATHS_READ_BY_PAGES, *files})


def init_app(app: Flask, enabled: bool = True) -> None:
    """Serve the pages (`PONTE_UI`); when disabled nothing is registered, so they are 404 like any unknown path."""
    if not enabled:
        log.info("pages for people (/, /docs) are off")
        return
    app.register_blueprint(bp)
