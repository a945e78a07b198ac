"""Passwords, tokens and the sign-in rate limit."""

from __future__ import annotations

import pytest

from review.auth import (
    LoginLimiter,
    PasswordError,
    csrf_ok,
    csrf_token,
    hash_password,
    token_hash,
    verify_password,
)


def test_passwords_are_argon2id_and_verified() -> None:
    hashed = hash_password("a long password")
    assert hashed.startswith("$argon2id$") and "a long password" not in hashed
    assert verify_password(hashed, "a long password")
    assert not verify_password(hashed, "a long passworD")
    assert not verify_password(None, "a long password")  # unknown user: same work, refused
    assert not verify_password("not a hash", "a long password")
    with pytest.raises(PasswordError, match="at least 10"):
        hash_password("short")


def test_tokens_are_keyed() -> None:
    assert token_hash("k1", "t") != token_hash("k2", "t")
    assert csrf_token("k1", "t") != token_hash("k1", "t")
    assert csrf_ok("k1", "t", csrf_token("k1", "t"))
    assert not csrf_ok("k1", "t", csrf_token("k2", "t"))
    assert not csrf_ok("k1", None, csrf_token("k1", "t"))
    assert not csrf_ok("k1", "t", None)


def test_limiter_blocks_after_failures_until_the_window_passes() -> None:
    now = [1000.0]
    limiter = LoginLimiter(attempts=2, window=60, clock=lambda: now[0])

    limiter.failed("user:bob", "addr:1")
    assert not limiter.blocked("user:bob", "addr:1")
    limiter.failed("user:bob", "addr:1")
    assert limiter.blocked("user:bob")
    assert limiter.blocked("user:eve", "addr:1")  # the address too
    assert not limiter.blocked("user:eve", "addr:2")
    now[0] += 61
    assert not limiter.blocked("user:bob", "addr:1")
    limiter.failed("user:bob")
    limiter.succeeded("user:bob")
    assert not limiter.blocked("user:bob")
