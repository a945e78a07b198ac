"""The review app: FastAPI with server-rendered Jinja2 pages, a small static script for keys, and
a JSON API; see ``review.web`` for what guards every request."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from review import api, pages
from review.auth import LoginLimiter
from review.web import LabelCheck, ReviewConfig, csrf_guard, error_response, guard, wants_json
from storage.promotion import PromotionError
from storage.review_decisions import DecisionError
from storage.review_queue import QueueError
from storage.review_users import secret_key
from storage.session import session_scope

HERE = Path(__file__).parent


def create_app(
    database_url: str,
    *,
    session_hours: float = 12.0,
    overlap_share: float = 0.05,
    login_attempts: int = 5,
    login_window: float = 300.0,
    secure_cookies: bool = False,
    label_check: LabelCheck | None = None,
) -> FastAPI:
    """The app for one database (whose schema must be current: ``dsi db upgrade``)."""
    with session_scope(database_url) as session:
        key = secret_key(session)
    app = FastAPI(
        title="dsi-crawler review",
        description="Curators decide candidates: queue, candidate, decisions, undo, audit.",
        docs_url=None,  # Swagger UI needs inline script and a CDN; /openapi.json stays
        redoc_url=None,
        dependencies=[Depends(csrf_guard)],
    )
    app.state.config = ReviewConfig(
        database_url=database_url,
        secret_key=key,
        session_hours=session_hours,
        overlap_share=overlap_share,
        secure_cookies=secure_cookies,
        limiter=LoginLimiter(login_attempts, login_window),
        label_check=label_check,
    )
    app.middleware("http")(guard)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    for user_error in (DecisionError, PromotionError, QueueError, ValueError):
        app.add_exception_handler(user_error, _user_error)
    return app


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = str(exc.detail)
    if wants_json(request):
        return error_response(exc.status_code, message)
    return pages.error_page(request, exc.status_code, message)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()
    )
    if wants_json(request):
        return error_response(422, problems)
    return pages.error_page(request, 422, problems)


async def _user_error(request: Request, exc: Exception) -> Response:
    if wants_json(request):
        return error_response(409 if isinstance(exc, DecisionError) else 400, str(exc))
    return pages.error_page(request, 409 if isinstance(exc, DecisionError) else 400, str(exc))
