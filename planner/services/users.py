"""Accounts: log in with a password or through single sign-on, follow a session, and manage
users (admins only). Every login, refused or not, is on the audit trail."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from planner.accounts import audit
from planner.accounts import login_cookie as signed_cookie
from planner.accounts import logins as accounts
from planner.accounts.access import ADMIN, Actor, require_role
from planner.accounts.logins import AccountError, LoginFailed
from planner.data import storage
from planner.data.db import Engine, session_scope
from planner.services._common import engine_or_default

__all__ = [
    "LOGIN_COOKIE_NAME",
    "add_user",
    "disable_user",
    "has_users",
    "list_users",
    "login",
    "login_cookie",
    "login_single_sign_on",
    "logout",
    "restore_login",
    "session_actor",
]


UNKNOWN_ACCOUNT = "unknown account"
"""The audit trail's actor for a refused login under a name that has no account: what was
typed there may be somebody's password, so it is not kept."""


def login(
    *, username: str, password: str, source: str | None = None, engine: Engine | None = None
) -> tuple[str, Actor]:
    """Check a password and open a session: (token, actor), or `LoginFailed`.

    `source` is where the attempt comes from (the browser's IP address): failures are
    counted per name and source and slow further attempts from there down, even though
    the login is refused. Both outcomes are on the audit trail.
    """
    engine = engine_or_default(engine)
    throttle = accounts.throttle_key(
        secret=signed_cookie.secret_key(engine.url), username=username, source=source
    )
    with session_scope(engine) as session:
        attempt = accounts.check_login(
            session=session, username=username, password=password, throttle=throttle
        )
        if attempt.user is None:
            known = accounts.find_user(session=session, username=username.strip().lower())
            name = known.username if known is not None else UNKNOWN_ACCOUNT
            audit.record(
                session=session,
                actor=name,
                action="login failed",
                entity="user",
                entity_id=known.username if known is not None else None,
                after={"reason": attempt.refusal, "source": source or "unknown source"},
            )
            refusal = attempt.refusal
        else:
            token = accounts.open_session(session=session, user=attempt.user)
            actor = accounts.actor_of(attempt.user)
            audit.record(
                session=session,
                actor=actor,
                action="login",
                entity="user",
                entity_id=actor.username,
                operator_id=actor.operator_id,
                after={"source": source or "unknown source"},
            )
            return token, actor
    raise LoginFailed(refusal)


def login_single_sign_on(*, email: str, engine: Engine | None = None) -> tuple[str, Actor]:
    """Open a session for the account named by an e-mail address that the app's OpenID
    Connect provider has already verified (Streamlit's `st.login`); (token, actor).

    Only the login page calls this, and only with `st.user.email` after the provider
    logged the user in: no password is checked here. The account must exist and be
    enabled; its role and operator come from the account, never from the provider.
    """
    username = email.strip().lower()
    with session_scope(engine_or_default(engine)) as session:
        user = accounts.find_user(session=session, username=username) if username else None
        if user is not None and not user.disabled:
            token = accounts.open_session(session=session, user=user)
            actor = accounts.actor_of(user)
            audit.record(
                session=session,
                actor=actor,
                action="login",
                entity="user",
                entity_id=actor.username,
                operator_id=actor.operator_id,
                after={"via": "single sign-on"},
            )
            return token, actor
        refusal = (
            f"no account for {username or 'this login'}: ask an administrator"
            if user is None
            else "this account is disabled: ask an administrator"
        )
        audit.record(
            session=session,
            actor=username[:64] or "?",
            action="login failed",
            entity="user",
            entity_id=username[:64],
            after={"via": "single sign-on", "reason": refusal},
        )
    raise LoginFailed(refusal)


def has_users(*, engine: Engine | None = None) -> bool:
    """Whether any account exists: the login page says how to create the first one."""
    with session_scope(engine_or_default(engine)) as session:
        return bool(storage.list_users(session=session))


def session_actor(*, token: str | None, engine: Engine | None = None) -> Actor | None:
    """The logged-in user of a session token, or None once it expired or was closed."""
    with session_scope(engine_or_default(engine)) as session:
        return accounts.session_actor(session=session, token=token)


LOGIN_COOKIE_NAME = signed_cookie.COOKIE_NAME


@dataclass(frozen=True)
class LoginCookie:
    """What the browser is asked to keep: `name=value` for `max_age` seconds."""

    name: str
    value: str
    max_age: int


def login_cookie(*, token: str, engine: Engine | None = None) -> LoginCookie | None:
    """The signed cookie that keeps the session of `token` across reloads, expiring with
    the session; None when the session has already ended."""
    engine = engine_or_default(engine)
    with session_scope(engine) as session:
        expires = accounts.session_expires(session=session, token=token)
    if expires is None:
        return None
    max_age = int((expires - accounts.now_utc()).total_seconds())
    if max_age <= 0:
        return None
    value = signed_cookie.sign(
        token=token, expires=expires, key=signed_cookie.secret_key(engine.url)
    )
    return LoginCookie(LOGIN_COOKIE_NAME, value, max_age)


def restore_login(
    *, cookies: Mapping[str, str], engine: Engine | None = None
) -> tuple[str, Actor] | None:
    """(token, actor) from the login cookie among a browser's `cookies`, or None unless
    its signature holds, it has not expired, and its session is still open server-side."""
    value = cookies.get(LOGIN_COOKIE_NAME)
    if not value:
        return None
    engine = engine_or_default(engine)
    token = signed_cookie.verify(
        value=value, key=signed_cookie.secret_key(engine.url), now=accounts.now_utc()
    )
    if token is None:
        return None
    actor = session_actor(token=token, engine=engine)
    return None if actor is None else (token, actor)


def logout(*, token: str, engine: Engine | None = None) -> None:
    with session_scope(engine_or_default(engine)) as session:
        accounts.close_session(session=session, token=token)


def add_user(
    *,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    operator_id: str | None = None,
    engine: Engine | None = None,
) -> Actor:
    """A new account (admins only); an operator user's operator must exist."""
    require_role(actor, ADMIN)
    with session_scope(engine_or_default(engine)) as session:
        if operator_id is not None and operator_id not in storage.operator_ids(session=session):
            raise AccountError(f"no operator {operator_id!r} in the stored dataset")
        user = accounts.new_user(
            session=session,
            username=username,
            password=password,
            role=role,
            operator_id=operator_id,
        )
        audit.record(
            session=session,
            actor=actor,
            action="user add",
            entity="user",
            entity_id=user.username,
            operator_id=operator_id,
            after={"username": user.username, "role": role, "operator_id": operator_id},
        )
        return accounts.actor_of(user)


def list_users(*, actor: Actor, engine: Engine | None = None) -> list[dict]:
    """Every account without its password hash (admins only)."""
    require_role(actor, ADMIN)
    with session_scope(engine_or_default(engine)) as session:
        return [
            {
                "username": u.username,
                "role": u.role,
                "operator_id": u.operator_id,
                "disabled": u.disabled,
                "failed_attempts": u.failed_attempts,
                "created_at": accounts.aware(u.created_at),
            }
            for u in storage.list_users(session=session)
        ]


def disable_user(*, actor: Actor, username: str, engine: Engine | None = None) -> None:
    """Disable an account and end its sessions at once (admins only)."""
    require_role(actor, ADMIN)
    with session_scope(engine_or_default(engine)) as session:
        user = accounts.find_user(session=session, username=username.strip().lower())
        if user is None:
            raise AccountError(f"no user {username!r}")
        if user.username == actor.username:
            raise AccountError("you cannot disable your own account")
        before = user.disabled
        storage.disable_user(session=session, user=user)
        accounts.close_sessions_of(session=session, user=user)
        audit.record(
            session=session,
            actor=actor,
            action="user disable",
            entity="user",
            entity_id=user.username,
            operator_id=user.operator_id,
            before={"disabled": before},
            after={"disabled": True},
        )
