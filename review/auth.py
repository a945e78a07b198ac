"""Passwords, session tokens, CSRF tokens and the sign-in rate limit of the review app.

Passwords are hashed with Argon2id (argon2-cffi). A session token is 32 random bytes in an
HttpOnly, SameSite=Strict cookie; the database keeps only its HMAC under the install's secret
key. CSRF tokens are HMACs of the session token (or, on the sign-in form, of a random pre-session
cookie), compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()
#: verified against when the user does not exist, so both cases cost the same time
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class PasswordError(ValueError):
    """A password that may not be used (too short...)."""


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordError(f"passwords need at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def keyed_hash(secret: str, token: str, purpose: str) -> str:
    return hmac.new(secret.encode(), f"{purpose}:{token}".encode(), hashlib.sha256).hexdigest()


def token_hash(secret: str, token: str) -> str:
    """What the database stores for a session token."""
    return keyed_hash(secret, token, "session")


def csrf_token(secret: str, token: str) -> str:
    """The CSRF token of a session (or of a pre-session sign-in cookie)."""
    return keyed_hash(secret, token, "csrf")


def csrf_ok(secret: str, token: str | None, sent: str | None) -> bool:
    if not token or not sent:
        return False
    return hmac.compare_digest(csrf_token(secret, token), sent)


class LoginLimiter:
    """At most ``attempts`` failed sign-ins per key (user name, client address) per ``window``
    seconds; a success clears the user name's failures."""

    def __init__(
        self, attempts: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.attempts = attempts
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        found = self._failures.setdefault(key, deque())
        while found and found[0] <= now - self.window:
            found.popleft()
        return found

    def blocked(self, *keys: str) -> bool:
        now = self.clock()
        with self._lock:
            return any(len(self._recent(k, now)) >= self.attempts for k in keys)

    def failed(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
