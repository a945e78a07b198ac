"""Server-rendered pages: sign-in, the queue, a candidate, bulk actions, the audit log, and the
admins' agreement page. Jinja2 autoescapes everything; no template marks crawled text safe."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from review.agreement import pair_agreement
from review.auth import csrf_token, new_token, token_hash, verify_password
from review.service import candidate_view, run_decision
from review.web import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    Viewer,
    admin,
    config,
    db,
    parse_filters,
    safe_url,
    viewer,
)
from storage.models import utcnow
from storage.review_decisions import (
    DecisionError,
    audit_log,
    bulk,
    disagreements,
    last_undoable,
    undo,
    undone_ids,
    votes,
)
from storage.review_queue import PRIORITIES, QueueFilter, neighbours, queue_page, wake_snoozed
from storage.review_users import end_session, get_user, start_session
from storage.session import session_scope

router = APIRouter(include_in_schema=False)
#: autoescape everywhere: crawled text is hostile
templates = Jinja2Templates(
    env=Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True)
)
templates.env.globals["safe_url"] = safe_url
ORDERS = {
    "expected_value": "expected value (relevance × uncertainty × novelty)",
    "uncertainty": "uncertainty (what teaches the model most)",
    "relevance": "relevance",
    "last_seen": "last seen",
}
#: query parameters that describe where in the queue a curator is (kept across pages)
PLACE_KEYS = (*QueueFilter.__dataclass_fields__, "order")


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    user: Viewer | None = getattr(request.state, "viewer", None)
    response: HTMLResponse = templates.TemplateResponse(
        request, name, {"user": user, **context}, status_code=status
    )
    return response


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status=status, status_code=status, message=message)


def _place(params: Any) -> dict[str, str]:
    """The queue position parameters (filters and order) of a request, for links."""
    return {
        k: str(params[k])
        for k in PLACE_KEYS
        if k not in ("viewer", "only_overlap_disagreements") and params.get(k)
    }


def _order(params: Any) -> str:
    order = str(params.get("order") or "expected_value")
    if order not in PRIORITIES:
        raise ValueError(f"unknown order {order!r}: use one of {', '.join(PRIORITIES)}")
    return order


# --- signing in and out -----------------------------------------------------------------------
@router.get("/login")
def login_form(request: Request) -> Response:
    if getattr(request.state, "viewer", None) is not None:
        return RedirectResponse("/", status_code=303)
    return _login_page(request, "", 200)


def _login_page(request: Request, message: str, status: int) -> Response:
    cfg = config(request)
    # one pre-session token per browser: a second tab (or a favicon request redirected here)
    # must not invalidate the form already shown
    token = request.cookies.get(LOGIN_COOKIE) or new_token()
    response = render(
        request,
        "login.html",
        status=status,
        message=message,
        login_csrf=csrf_token(cfg.secret_key, token),
    )
    response.set_cookie(
        LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=cfg.secure_cookies
    )
    return response


@router.post("/login")
def login(
    request: Request,
    username: str = Form(..., max_length=80),
    password: str = Form(..., max_length=1000),
    session: Session = Depends(db),
) -> Response:
    cfg = config(request)
    client = f"addr:{request.client.host if request.client else '?'}"
    name_key = f"user:{username.strip().lower()}"
    if cfg.limiter.blocked(name_key, client):
        return _login_page(request, "Too many failed sign-ins: wait a few minutes.", 429)
    user = get_user(session, username.strip())
    if not verify_password(user.password_hash if user else None, password) or not (
        user and user.active
    ):
        cfg.limiter.failed(name_key, client)
        return _login_page(request, "Wrong user name or password.", 401)
    cfg.limiter.succeeded(name_key)
    token = new_token()
    expires = utcnow() + timedelta(hours=cfg.session_hours)
    start_session(session, user.id, token_hash(cfg.secret_key, token), expires)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(cfg.session_hours * 3600),
        httponly=True,
        samesite="strict",
        secure=cfg.secure_cookies,
    )
    response.delete_cookie(LOGIN_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, session: Session = Depends(db)) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        end_session(session, token_hash(config(request).secret_key, token))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


# --- the queue ------------------------------------------------------------------------------
@router.get("/")
def queue(
    request: Request, user: Viewer = Depends(viewer), session: Session = Depends(db)
) -> Response:
    params = request.query_params
    filters = parse_filters(params, user.username)
    order = _order(params)
    wake_snoozed(session)
    page = queue_page(session, filters, order=order, after=params.get("after"))
    place = _place(params)
    place.pop("after", None)
    return render(
        request,
        "queue.html",
        page=page,
        filters=filters,
        order=order,
        orders=ORDERS,
        place=place,
        place_query=urlencode(place),
        next_query=urlencode({**place, "after": page.next_cursor}) if page.next_cursor else None,
    )


# --- one candidate ------------------------------------------------------------------------------
@router.get("/candidates/{candidate_id}")
def candidate_page(
    candidate_id: int,
    request: Request,
    user: Viewer = Depends(viewer),
    session: Session = Depends(db),
) -> Response:
    view = candidate_view(session, candidate_id)
    if view is None:
        raise HTTPException(status_code=404, detail=f"no candidate {candidate_id}")
    params = request.query_params
    place = _place(params)
    previous, following = neighbours(
        session, candidate_id, parse_filters(params, user.username), _order(params)
    )
    return render(
        request,
        "candidate.html",
        view=view,
        c=view.candidate,
        place=place,
        place_query=urlencode(place),
        previous=previous,
        following=following,
        last=last_undoable(session, user.username),
    )


@router.post("/candidates/{candidate_id}/decide")
async def decide_page(
    candidate_id: int,
    request: Request,
    user: Viewer = Depends(viewer),
) -> Response:
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    edits: dict[str, Any] = {}
    for key in ("name", "website", "country", "city"):
        if f"edit_{key}" in fields:
            edits[key] = fields[f"edit_{key}"]
    for key in ("technologies", "areas"):
        if f"edit_{key}" in fields:
            edits[key] = [t.strip() for t in fields[f"edit_{key}"].split(",") if t.strip()]
    merge_into = fields.get("merge_into") or None
    snooze_days = fields.get("snooze_days") or None

    def work() -> int | None:
        with session_scope(config(request).database_url) as session:
            run_decision(
                session,
                candidate_id,
                fields.get("action", ""),
                user.username,
                reason=fields.get("reason", ""),
                edits=_changed(session, candidate_id, edits),
                merge_into=int(merge_into) if merge_into else None,
                snooze_days=float(snooze_days) if snooze_days else None,
                label_check=config(request).label_check,
            )
            _, following = neighbours(
                session, candidate_id, parse_filters(fields, user.username), _order(fields)
            )
            return following

    try:
        following = await run_in_threadpool(work)
    except ValueError as exc:  # DecisionError and bad numbers: shown, nothing changed
        raise HTTPException(status_code=409, detail=str(exc)) from exc
    query = urlencode(_place(fields))
    target = f"/candidates/{following}" if following else "/"
    return RedirectResponse(f"{target}?{query}" if query else target, status_code=303)


def _changed(session: Session, candidate_id: int, edits: dict[str, Any]) -> dict[str, Any]:
    """Only the edits that change something (the form always sends every field)."""
    view = candidate_view(session, candidate_id)
    if view is None:
        return edits
    c = view.candidate
    current = {
        "name": c.name,
        "website": c.website or "",
        "country": c.country or "",
        "city": c.city or "",
        "technologies": list(c.technologies or {}),
        "areas": list(c.areas or {}),
    }
    return {k: v for k, v in edits.items() if v != current.get(k)}


@router.post("/undo")
async def undo_page(request: Request, user: Viewer = Depends(viewer)) -> Response:
    form = await request.form()
    raw = form.get("entry_id")
    back = form.get("back")

    def work() -> int | None:
        with session_scope(config(request).database_url) as session:
            entry_id = int(raw) if isinstance(raw, str) and raw.isdigit() else None
            if entry_id is None:
                last = last_undoable(session, user.username)
                if last is None:
                    raise DecisionError("nothing of yours to undo")
                entry_id = last.id
            done = undo(session, entry_id, user.username)
            return done[-1].candidate_id if done else None

    try:
        candidate_id = await run_in_threadpool(work)
    except ValueError as exc:
        raise HTTPException(status_code=409, detail=str(exc)) from exc
    if back == "audit":
        return RedirectResponse("/audit", status_code=303)
    return RedirectResponse(f"/candidates/{candidate_id}" if candidate_id else "/", status_code=303)


# --- bulk -------------------------------------------------------------------------------------
@router.post("/bulk")
async def bulk_page(request: Request, user: Viewer = Depends(viewer)) -> Response:
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    action = fields.get("bulk_action", "reject")
    confirm = fields.get("confirm") == "yes"

    def work() -> Any:
        with session_scope(config(request).database_url) as session:
            filters = parse_filters(fields)
            days = float(fields.get("snooze_days") or 7)
            return bulk(
                session,
                filters,
                action,
                user.username,
                reason=fields.get("reason", ""),
                snooze_until=utcnow() + timedelta(days=days) if action == "snooze" else None,
                dry_run=not confirm,
            )

    try:
        result = await run_in_threadpool(work)
    except ValueError as exc:
        raise HTTPException(status_code=409, detail=str(exc)) from exc
    return render(
        request,
        "bulk.html",
        result=result,
        action=action,
        confirmed=confirm,
        place=_place(fields),
        reason=fields.get("reason", ""),
        snooze_days=fields.get("snooze_days", ""),
    )


# --- audit and admin --------------------------------------------------------------------------
@router.get("/audit")
def audit_page(
    request: Request,
    before: int | None = None,
    candidate_id: int | None = None,
    _user: Viewer = Depends(viewer),
    session: Session = Depends(db),
) -> Response:
    entries = audit_log(session, candidate_id=candidate_id, before_id=before, limit=100)
    return render(
        request,
        "audit.html",
        entries=entries,
        undone=undone_ids(session, [e.id for e in entries]),
        older=entries[-1].id if len(entries) == 100 else None,
    )


@router.get("/admin")
def admin_page(
    request: Request, _admin: Viewer = Depends(admin), session: Session = Depends(db)
) -> Response:
    all_votes = votes(session)
    return render(
        request,
        "admin.html",
        pairs=pair_agreement((v.candidate_id, v.username, v.verdict) for v in all_votes),
        disagreements=disagreements(session),
        overlap_share=config(request).overlap_share,
        voted=len({v.candidate_id for v in all_votes}),
    )
