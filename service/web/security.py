"""Optional API keys and rate limiting, and the headers every response carries.

Both are off by default. Keys are compared as sha256 digests with `hmac.compare_digest`, against every
accepted digest, so the time taken says nothing about how close a guess was. The rate limit is one budget
per API key (or per client address when there is no key) across all routes but the open ones.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import math
import time

from flask import Flask, Response, g, request
from flask_limiter import Limiter, RateLimitExceeded
from werkzeug.middleware.proxy_fix import ProxyFix

from service.problems import TooManyRequests, Unauthorized, from_api_error
from service.settings import Settings, api_key_digests
from service.web.errors import problem_response

log = logging.getLogger(__name__)

REALM = 'Bearer realm="ponte"'
LOOPBACK_NAMES = {"localhost", "ip6-localhost"}


class ApiKeys:
    """The accepted keys, as sha256 digests."""

    def __init__(self, digests: frozenset[str]) -> None:
        self._digests = [bytes.fromhex(d) for d in sorted(digests)]

    @property
    def enabled(self) -> bool:
        return bool(self._digests)

    def __len__(self) -> int:
        return len(self._digests)

    def match(self, key: str) -> str | None:
        """A short, loggable id of the key (the first 8 hex digits of its digest), or None if not accepted."""
        digest = hashlib.sha256(key.encode("utf-8")).digest()
        found = False
        for accepted in self._digests:  # no early exit: every digest is compared
            found |= hmac.compare_digest(digest, accepted)
        return digest.hex()[:8] if found else None


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer <token>` header, if there is one."""
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def is_loopback(host: str) -> bool:
    """Whether binding to host keeps the service on this machine."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _retry_after(limiter: Limiter, exc: RateLimitExceeded) -> int:
    """Whole seconds until the breached window resets (at least 1)."""
    current = limiter.current_limit
    if current is not None:
        return max(1, math.ceil(current.reset_at - time.time()))
    return max(1, int(exc.limit.limit.get_expiry()))


def init_app(app: Flask, settings: Settings, public: frozenset[str] = frozenset()) -> None:
    """Headers on every response, then (when configured) the proxy fix, API keys and the rate limit. `public`
    paths (the pages for people and their assets) are open like PONTE_AUTH_OPEN_PATHS: a page must load before
    anyone can type a key into it, and the page then sends the key with every API call."""
    open_paths = frozenset(settings.auth_open_paths) | public

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    if settings.proxy_hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxy_hops)  # type: ignore[method-assign]

    keys = ApiKeys(api_key_digests(settings))
    if keys.enabled:
        log.info("API keys required (%d accepted) except on %s", len(keys),
                 ", ".join(sorted(open_paths)) or "no path")

        @app.before_request
        def _authenticate() -> None:
            if request.path in open_paths:
                return
            token = bearer_token()
            if token is None:
                raise Unauthorized("this service needs an API key: send `Authorization: Bearer <key>`",
                                   headers={"WWW-Authenticate": REALM})
            key_id = keys.match(token)
            if key_id is None:
                raise Unauthorized("the API key is not valid",
                                   headers={"WWW-Authenticate": REALM + ', error="invalid_token"'})
            g.api_key_id = key_id
    elif not is_loopback(settings.host):
        log.warning("API keys are off and the service listens on %s, beyond this machine: anyone who can reach "
                    "it can use it (set PONTE_API_KEYS or PONTE_API_KEYS_FILE)", settings.host)

    if settings.rate_limit is not None:
        limiter = Limiter(
            key_func=lambda: f"key:{g.api_key_id}" if g.get("api_key_id") else f"addr:{request.remote_addr}",
            application_limits=[settings.rate_limit],
            application_limits_exempt_when=lambda: request.path in open_paths,
            storage_uri=settings.rate_limit_storage_uri,
            # a shared storage (Redis) that is down must not fail every request: count in memory meanwhile
            in_memory_fallback_enabled=True,
            headers_enabled=False,
            key_prefix="ponte",
        )
        limiter.init_app(app)

        def _too_many(exc: RateLimitExceeded) -> Response:
            seconds = _retry_after(limiter, exc)
            error = TooManyRequests(f"the rate limit of {exc.description} is used up; retry in {seconds} s",
                                    headers={"Retry-After": str(seconds)})
            return problem_response(from_api_error(error), error.headers)

        app.register_error_handler(RateLimitExceeded, _too_many)
        log.info("rate limit %s per API key or client address (storage %s)", settings.rate_limit,
                 settings.rate_limit_storage_uri.split("://", 1)[0])
