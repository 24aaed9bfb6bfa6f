"""Accounts: password hashes, login with throttling, and sessions that expire.

Functions take the database session as a keyword, like `storage`, so a service
decides the transaction. Passwords are hashed with Argon2id (argon2-cffi's
defaults, which follow RFC 9106); a login session is a random token whose SHA-256
alone is stored, with a fixed expiry checked on every request.

Throttling counts failures per account name *and source* (`throttle_key`): guessing
from one address slows down to one try per quarter of an hour, while the owner logging
in from elsewhere is never locked out by it. A name that has no account is counted and
refused the same way, so the answers never tell which names exist.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import overload

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete
from sqlmodel import Session, col, select

from planner.accounts.access import ACCOUNT_ROLES, OPERATOR, Actor
from planner.data.models import LoginSessionRow, LoginThrottleRow, UserRow

SESSION_LIFETIME = timedelta(hours=8)
FREE_ATTEMPTS = 3
"""Failed logins in a row before each further one locks the account for a while."""
FIRST_LOCKOUT = timedelta(seconds=5)
LONGEST_LOCKOUT = timedelta(minutes=15)
FORGET_FAILURES_AFTER = timedelta(hours=1)
"""A source's failures for a name are forgotten this long after the last one."""
MIN_PASSWORD_LENGTH = 8
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")

WRONG_CREDENTIALS = "wrong username or password"

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not anybody's password")


class AccountError(ValueError):
    """A user account cannot be created or changed as asked; the message says why."""


class LoginFailed(Exception):
    """A login was refused; the message is safe to show (it never says which part was wrong)."""


def now_utc() -> datetime:
    return datetime.now(UTC)


@overload
def aware(moment: datetime) -> datetime: ...
@overload
def aware(moment: None) -> None: ...
def aware(moment: datetime | None) -> datetime | None:
    """SQLite returns time zone-aware columns naive; every moment here is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def lockout(failures: int) -> timedelta:
    """How long a name stays locked for a source after `failures` failed logins in a row:
    nothing for the first few, then doubling up to a quarter of an hour, so that
    guessing is slow while a user who mistyped waits seconds."""
    if failures < FREE_ATTEMPTS:
        return timedelta(0)
    doublings = min(failures - FREE_ATTEMPTS, 20)  # 2**20 * 5 s is far past the longest
    return min(FIRST_LOCKOUT * 2**doublings, LONGEST_LOCKOUT)


def actor_of(user: UserRow) -> Actor:
    return Actor(
        username=user.username, role=user.role, operator_id=user.operator_id, user_id=user.id
    )


def find_user(*, session: Session, username: str) -> UserRow | None:
    return session.exec(select(UserRow).where(UserRow.username == username)).first()


def new_user(
    *, session: Session, username: str, password: str, role: str, operator_id: str | None = None
) -> UserRow:
    """A new enabled user; the caller checks that `operator_id` exists."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise AccountError(f"{username!r} is not a valid username: 2-64 of a-z, 0-9, . _ @ -")
    if role not in ACCOUNT_ROLES:
        raise AccountError(f"{role!r} is not one of {', '.join(ACCOUNT_ROLES)}")
    if role == OPERATOR and not operator_id:
        raise AccountError("an operator user needs --operator: the operator it belongs to")
    if role != OPERATOR and operator_id:
        raise AccountError(f"only operator users belong to an operator, not a {role}")
    if find_user(session=session, username=username) is not None:
        raise AccountError(f"user {username!r} already exists")
    user = UserRow(
        username=username, password_hash=hash_password(password), role=role, operator_id=operator_id
    )
    session.add(user)
    session.flush()
    return user


@dataclass(frozen=True)
class LoginAttempt:
    """The outcome of checking a password: the user on success, else the reason."""

    user: UserRow | None
    refusal: str | None = None


def throttle_key(*, secret: bytes, username: str, source: str | None) -> str:
    """The throttle's key for a typed name from a source: an HMAC with the server's
    secret, so the table says nothing to whoever reads it (a password typed into the
    name field, the addresses people log in from)."""
    message = f"{username.strip().lower()}\n{source or 'unknown source'}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def check_login(
    *,
    session: Session,
    username: str,
    password: str,
    throttle: str,
    now: datetime | None = None,
) -> LoginAttempt:
    """Check a password against the failures counted under `throttle` (`throttle_key`);
    the caller commits even when it is refused, so that failures are remembered.

    A locked key is refused before the password is looked at, for a real account and an
    unknown name alike; the right password from another source is not affected.
    """
    now = now or now_utc()
    session.exec(
        delete(LoginThrottleRow).where(
            col(LoginThrottleRow.last_failure_at) < now - FORGET_FAILURES_AFTER
        )
    )
    counted = session.get(LoginThrottleRow, throttle)
    locked_until = aware(counted.locked_until) if counted is not None else None
    if locked_until is not None and now < locked_until:
        wait = int((locked_until - now).total_seconds()) + 1
        return LoginAttempt(None, f"too many failed logins: try again in {wait} s")
    user = find_user(session=session, username=username.strip().lower())
    if user is None:
        password_matches(_DUMMY_HASH, password)  # take as long as a real check
        _count_failure(session, counted or LoginThrottleRow(key=throttle), now)
        return LoginAttempt(None, WRONG_CREDENTIALS)
    if not password_matches(user.password_hash, password):
        _count_failure(session, counted or LoginThrottleRow(key=throttle), now)
        user.failed_attempts += 1  # for the administrator's list of users
        session.add(user)
        return LoginAttempt(None, WRONG_CREDENTIALS)
    if user.disabled:
        return LoginAttempt(None, "this account is disabled: ask an administrator")
    if counted is not None:
        session.delete(counted)
    user.failed_attempts = 0
    user.locked_until = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    session.add(user)
    return LoginAttempt(user)


def _count_failure(session: Session, counted: LoginThrottleRow, now: datetime) -> None:
    counted.failures += 1
    delay = lockout(counted.failures)
    counted.locked_until = now + delay if delay else None
    counted.last_failure_at = now
    session.add(counted)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(
    *,
    session: Session,
    user: UserRow,
    now: datetime | None = None,
    lifetime: timedelta = SESSION_LIFETIME,
) -> str:
    """A new login session for `user`; returns the token the browser keeps."""
    now = now or now_utc()
    token = secrets.token_urlsafe(32)
    assert user.id is not None
    session.add(
        LoginSessionRow(
            token_hash=_token_hash(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    session.exec(delete(LoginSessionRow).where(col(LoginSessionRow.expires_at) < now))
    return token


def session_actor(
    *, session: Session, token: str | None, now: datetime | None = None
) -> Actor | None:
    """The user a token belongs to, or None when it is unknown, expired or disabled."""
    if not token:
        return None
    row = session.exec(
        select(LoginSessionRow).where(col(LoginSessionRow.token_hash) == _token_hash(token))
    ).first()
    if row is None or aware(row.expires_at) <= (now or now_utc()):
        return None
    user = session.get(UserRow, row.user_id)
    if user is None or user.disabled:
        return None
    return actor_of(user)


def session_expires(*, session: Session, token: str) -> datetime | None:
    """When the login session of `token` ends, or None when there is none."""
    row = session.exec(
        select(LoginSessionRow).where(col(LoginSessionRow.token_hash) == _token_hash(token))
    ).first()
    return None if row is None else aware(row.expires_at)


def close_session(*, session: Session, token: str) -> None:
    session.exec(
        delete(LoginSessionRow).where(col(LoginSessionRow.token_hash) == _token_hash(token))
    )


def close_sessions_of(*, session: Session, user: UserRow) -> None:
    session.exec(delete(LoginSessionRow).where(col(LoginSessionRow.user_id) == user.id))
