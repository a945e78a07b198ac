"""Repository for the review app's people and sign-ins: users, sessions, the install's secret key.

Passwords arrive here already hashed (``review.auth``); session tokens are stored only as keyed
hashes, so a copy of the database does not sign anyone in.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import ReviewSession, ReviewSetting, ReviewUser, utcnow
from storage.session import dialect_insert

ROLES = ("curator", "admin")
SECRET_KEY_SETTING = "secret_key"


class UserError(ValueError):
    """A user that cannot be created or changed as asked (message says why)."""


def add_user(session: Session, username: str, password_hash: str, role: str) -> ReviewUser:
    name = username.strip()
    if not name or len(name) > 80 or any(ch.isspace() for ch in name):
        raise UserError(f"bad username {username!r}: 1-80 characters, no spaces")
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    if get_user(session, name) is not None:
        raise UserError(f"user {name!r} exists already (use `dsi users passwd`)")
    user = ReviewUser(username=name, password_hash=password_hash, role=role, active=True)
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, username: str) -> ReviewUser | None:
    return session.scalars(select(ReviewUser).where(ReviewUser.username == username)).first()


def require_user(session: Session, username: str) -> ReviewUser:
    user = get_user(session, username)
    if user is None:
        raise UserError(f"no user {username!r}")
    return user


def set_password(session: Session, username: str, password_hash: str) -> None:
    """New password hash; every session of the user ends."""
    user = require_user(session, username)
    user.password_hash = password_hash
    user.password_changed_at = utcnow()
    end_sessions(session, user.id)


def set_active(session: Session, username: str, active: bool) -> None:
    """Disable (or enable again) a user; disabling ends every session of the user."""
    user = require_user(session, username)
    user.active = active
    if not active:
        end_sessions(session, user.id)


def list_users(session: Session) -> list[ReviewUser]:
    return list(session.scalars(select(ReviewUser).order_by(ReviewUser.username)))


def start_session(session: Session, user_id: int, token_hash: str, expires_at: datetime) -> None:
    session.add(ReviewSession(token_hash=token_hash, user_id=user_id, expires_at=expires_at))
    # expired sessions are removed whenever someone signs in
    session.execute(delete(ReviewSession).where(ReviewSession.expires_at < utcnow()))
    session.flush()


def session_user(session: Session, token_hash: str) -> ReviewUser | None:
    """The active user of an unexpired session, else None."""
    stmt = (
        select(ReviewUser)
        .join(ReviewSession, ReviewSession.user_id == ReviewUser.id)
        .where(
            ReviewSession.token_hash == token_hash,
            ReviewSession.expires_at > utcnow(),
            ReviewUser.active.is_(True),
        )
    )
    return session.scalars(stmt).first()


def end_session(session: Session, token_hash: str) -> None:
    session.execute(delete(ReviewSession).where(ReviewSession.token_hash == token_hash))


def end_sessions(session: Session, user_id: int) -> None:
    session.execute(delete(ReviewSession).where(ReviewSession.user_id == user_id))


def secret_key(session: Session) -> str:
    """The install's secret key: generated on first use and stored, never a default in code
    (two processes starting together agree: the first insert wins)."""
    stored = session.get(ReviewSetting, SECRET_KEY_SETTING)
    if stored is not None:
        return stored.value
    insert = dialect_insert(session)
    session.execute(
        insert(ReviewSetting)
        .values(key=SECRET_KEY_SETTING, value=secrets.token_hex(32))
        .on_conflict_do_nothing(index_elements=["key"])
    )
    session.flush()
    value = session.scalars(
        select(ReviewSetting.value).where(ReviewSetting.key == SECRET_KEY_SETTING)
    ).one()
    return str(value)
