"""What every request of the review app goes through: the app's configuration, security headers,
the signed-in user, CSRF checks, database sessions, and the one JSON error shape."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from review.auth import LoginLimiter, csrf_ok, csrf_token, token_hash
from storage.models import ReviewUser
from storage.review_queue import QueueFilter
from storage.review_users import session_user
from storage.session import session_scope

LabelCheck = Callable[[str, str], bool]
SESSION_COOKIE = "dsi_review_session"
LOGIN_COOKIE = "dsi_review_login"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
#: paths anyone may open (everything else needs a signed-in user)
PUBLIC_PREFIXES = ("/static/",)
PUBLIC_PATHS = ("/login",)
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",  # browsers send Origin: null under no-referrer
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@dataclass(slots=True)
class ReviewConfig:
    """Settings of one running app (built by ``review.app.create_app``)."""

    database_url: str
    secret_key: str
    session_hours: float = 12.0
    overlap_share: float = 0.05
    secure_cookies: bool = False
    limiter: LoginLimiter = field(default_factory=lambda: LoginLimiter(5, 300))
    #: (task, label) -> known? for labels curators type ("technology" or "area"); None: any
    label_check: LabelCheck | None = None


@dataclass(slots=True, frozen=True)
class Viewer:
    """The signed-in user of a request, and the CSRF token their forms carry."""

    id: int
    username: str
    role: str
    csrf: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def config(request: Request) -> ReviewConfig:
    found: ReviewConfig = request.app.state.config
    return found


def db(request: Request) -> Iterator[Session]:
    """One transaction per request (committed when the route returns without error)."""
    with session_scope(config(request).database_url) as session:
        yield session


def viewer(request: Request) -> Viewer:
    found: Viewer | None = getattr(request.state, "viewer", None)
    if found is None:  # the middleware lets no stranger through; this is a second lock
        raise HTTPException(status_code=401, detail="sign in first")
    return found


def admin(request: Request) -> Viewer:
    user = viewer(request)
    if not user.is_admin:
        raise HTTPException(status_code=403, detail="admins only")
    return user


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error_response(status: int, message: str) -> JSONResponse:
    """The one shape of every JSON error."""
    return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)


def _lookup_viewer(cfg: ReviewConfig, token: str) -> Viewer | None:
    with session_scope(cfg.database_url) as session:
        user: ReviewUser | None = session_user(session, token_hash(cfg.secret_key, token))
        if user is None:
            return None
        return Viewer(
            id=user.id,
            username=user.username,
            role=user.role,
            csrf=csrf_token(cfg.secret_key, token),
        )


def _is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Middleware: a signed-in user on every non-public route, a same-origin check on unsafe
    methods, and the security headers on every answer."""
    cfg = config(request)
    token = request.cookies.get(SESSION_COOKIE)
    request.state.viewer = await run_in_threadpool(_lookup_viewer, cfg, token) if token else None
    response: Response
    if request.method in UNSAFE_METHODS and not _same_origin(request):
        response = _refuse(request, 403, "cross-origin request refused")
    elif request.state.viewer is None and not _is_public(request.url.path):
        response = _refuse(request, 401, "sign in first")
    else:
        response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _same_origin(request: Request) -> bool:
    """Browsers send Origin on unsafe requests; when they do, it must be this server."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return urlsplit(origin).netloc == host


def _refuse(request: Request, status: int, message: str) -> Response:
    if wants_json(request) or request.method in UNSAFE_METHODS:
        return error_response(status, message)
    return RedirectResponse("/login", status_code=303)


async def csrf_guard(request: Request) -> None:
    """App-wide dependency: every state-changing request carries the CSRF token of its
    session (a header for the JSON API, a form field for pages)."""
    if request.method not in UNSAFE_METHODS:
        return
    cfg = config(request)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if request.url.path == "/login":
        ok = csrf_ok(cfg.secret_key, request.cookies.get(LOGIN_COOKIE), sent)
    else:
        ok = csrf_ok(cfg.secret_key, request.cookies.get(SESSION_COOKIE), sent)
    if not ok:
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token")


def parse_filters(params: Any, viewer_name: str | None = None) -> QueueFilter:
    """A queue filter from query or form parameters; bad values raise ``ValueError``."""

    def text(name: str) -> str | None:
        value = params.get(name)
        return str(value).strip() or None if value is not None else None

    def number(name: str) -> float | None:
        value = text(name)
        if value is None:
            return None
        try:
            return float(value)
        except ValueError:
            raise ValueError(f"{name} must be a number, not {value[:20]!r}") from None

    def day(name: str) -> datetime | None:
        value = text(name)
        if value is None:
            return None
        try:
            return datetime.fromisoformat(value).replace(tzinfo=UTC)
        except ValueError:
            raise ValueError(f"{name} must be a date (YYYY-MM-DD), not {value[:20]!r}") from None

    return QueueFilter(
        status=text("status") or "pending",
        kind=text("kind"),
        source=text("source"),
        spider=text("spider"),
        country=text("country"),
        city=text("city"),
        technology=text("technology"),
        area=text("area"),
        language=text("language"),
        min_score=number("min_score"),
        max_score=number("max_score"),
        min_liveliness=number("min_liveliness"),
        seen_from=day("seen_from"),
        seen_to=day("seen_to"),
        q=text("q"),
        viewer=viewer_name,
    )


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s) (crawled links may be ``javascript:``), else None."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None
