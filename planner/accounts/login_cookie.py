"""The login cookie: a session token the browser keeps across reloads, signed by the server.

Streamlit forgets its session state when the tab reloads, so the token lives in a cookie
too. The cookie carries `<token>.<expires>.<signature>`: the session token, the moment the
cookie stops counting (Unix seconds) and an HMAC-SHA256 over both with the server's secret
key. A cookie somebody made up or edited, or one past its expiry, is refused here, before the
database is asked; one that passes still needs its login session to exist server-side, so a
logout (which deletes the session) ends an old or stolen cookie too.

The key is `PLANNER_SECRET_KEY` when set (at least 32 characters; required when several app
servers share one database). Otherwise, for a SQLite file, a random key is generated once
into a file beside it (`planner.db` -> `planner.db.secret-key`, mode 0600) so cookies
outlive a restart; for any other database the key is random per process (a restart logs
every browser out, nothing worse).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import secrets
import stat
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import URL

COOKIE_NAME = "planner_login"
SECRET_KEY_VARIABLE = "PLANNER_SECRET_KEY"
MIN_KEY_LENGTH = 32
MAX_COOKIE_LENGTH = 256
"""Far longer than any cookie signed here; longer values are refused unread."""
_PURPOSE = b"planner login cookie v1\n"

log = logging.getLogger(__name__)
_process_keys: dict[str, bytes] = {}


class SecretKeyError(RuntimeError):
    """The configured secret key cannot be used; the message says how to fix it."""


def _signature(key: bytes, payload: str) -> str:
    digest = hmac.new(key, _PURPOSE + payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sign(*, token: str, expires: datetime, key: bytes) -> str:
    """The cookie value for `token`, valid until `expires` (an aware moment)."""
    if "." in token:
        raise ValueError("a session token never holds a dot")
    payload = f"{token}.{int(expires.timestamp())}"
    return f"{payload}.{_signature(key, payload)}"


def verify(*, value: str, key: bytes, now: datetime) -> str | None:
    """The token a cookie value carries, or None when it was not signed with `key`, was
    changed, or has expired at `now`."""
    if not value or len(value) > MAX_COOKIE_LENGTH:
        return None
    parts = value.split(".")
    if len(parts) != 3:
        return None
    token, expires, signature = parts
    if not hmac.compare_digest(signature, _signature(key, f"{token}.{expires}")):
        return None
    if not expires.isdigit() or int(expires) <= now.timestamp():
        return None
    return token or None


def secret_key(url: URL) -> bytes:
    """The key that signs login cookies for the database at `url` (see the module's notes)."""
    configured = os.environ.get(SECRET_KEY_VARIABLE)
    if configured:
        if len(configured) < MIN_KEY_LENGTH:
            raise SecretKeyError(
                f"{SECRET_KEY_VARIABLE} needs at least {MIN_KEY_LENGTH} characters: "
                'python -c "import secrets; print(secrets.token_hex(32))"'
            )
        return configured.encode()
    database = url.database if url.get_backend_name() == "sqlite" else None
    if database and database != ":memory:" and not database.startswith("file:"):
        return _file_key(Path(database).with_name(Path(database).name + ".secret-key"))
    where = url.render_as_string(hide_password=True)
    if where not in _process_keys:
        log.warning(
            "no %s: login cookies are signed with a key that lasts until this process ends",
            SECRET_KEY_VARIABLE,
        )
        _process_keys[where] = secrets.token_bytes(32)
    return _process_keys[where]


def _file_key(path: Path) -> bytes:
    """The key stored at `path`, made there (readable by this user only) the first time."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SecretKeyError(
                f"{path} may be read by other users: chmod 600 it (or delete it, which "
                "logs every browser out)"
            ) from None
        key = path.read_text(encoding="ascii").strip()
        if len(key) < MIN_KEY_LENGTH:
            raise SecretKeyError(
                f"{path} holds no usable key: delete it to make a new one"
            ) from None
        return key.encode()
    key = secrets.token_hex(32)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key + "\n")
    return key.encode()
