"""The login cookie: signed and expiring, refused when forged, changed, expired or logged out."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import make_url

from planner import services
from planner.accounts import login_cookie
from planner.accounts.access import Actor

KEY = b"k" * 32
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
TOKEN = "a-random_token"
PASSWORD = "correct horse"


def test_a_signed_cookie_gives_back_its_token_until_it_expires():
    value = login_cookie.sign(token=TOKEN, expires=NOW + timedelta(hours=1), key=KEY)
    assert login_cookie.verify(value=value, key=KEY, now=NOW) == TOKEN
    assert login_cookie.verify(value=value, key=KEY, now=NOW + timedelta(minutes=59)) == TOKEN
    assert login_cookie.verify(value=value, key=KEY, now=NOW + timedelta(hours=1)) is None


def test_a_cookie_signed_with_another_key_is_refused():
    value = login_cookie.sign(token=TOKEN, expires=NOW + timedelta(hours=1), key=KEY)
    assert login_cookie.verify(value=value, key=b"x" * 32, now=NOW) is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token, expires, signature: f"other-token.{expires}.{signature}",
        lambda token, expires, signature: f"{token}.{int(expires) + 86400}.{signature}",
        lambda token, expires, signature: f"{token}.{expires}.{signature[:-1]}A",
        lambda token, expires, signature: f"{token}.{expires}",
        lambda token, expires, signature: f"{token}..{expires}.{signature}",
        lambda token, expires, signature: TOKEN,
        lambda token, expires, signature: "",
        lambda token, expires, signature: f"{token}.{expires}.{signature}" + "A" * 300,
    ],
)
def test_a_changed_cookie_is_refused(tamper):
    value = login_cookie.sign(token=TOKEN, expires=NOW + timedelta(hours=1), key=KEY)
    assert login_cookie.verify(value=tamper(*value.split(".")), key=KEY, now=NOW) is None


def test_the_secret_key_comes_from_the_environment_when_set(monkeypatch, tmp_path):
    monkeypatch.setenv(login_cookie.SECRET_KEY_VARIABLE, "s" * 40)
    assert login_cookie.secret_key(make_url(f"sqlite:///{tmp_path / 'p.db'}")) == b"s" * 40
    assert not list(tmp_path.iterdir())
    monkeypatch.setenv(login_cookie.SECRET_KEY_VARIABLE, "short")
    with pytest.raises(login_cookie.SecretKeyError, match="at least 32"):
        login_cookie.secret_key(make_url("sqlite://"))


def test_without_one_a_sqlite_file_gets_a_private_key_file_beside_it(monkeypatch, tmp_path):
    monkeypatch.delenv(login_cookie.SECRET_KEY_VARIABLE, raising=False)
    url = make_url(f"sqlite:///{tmp_path / 'planner.db'}")
    key = login_cookie.secret_key(url)
    path = tmp_path / "planner.db.secret-key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) >= login_cookie.MIN_KEY_LENGTH
    assert login_cookie.secret_key(url) == key  # the same after a restart
    assert login_cookie.secret_key(make_url(f"sqlite:///{tmp_path / 'other.db'}")) != key
    os.chmod(path, 0o644)
    with pytest.raises(login_cookie.SecretKeyError, match="chmod 600"):
        login_cookie.secret_key(url)


@pytest.fixture
def anna(engine, monkeypatch):
    monkeypatch.setenv(login_cookie.SECRET_KEY_VARIABLE, "t" * 40)
    services.add_user(
        actor=Actor(username="root", role="admin"),
        username="anna",
        password=PASSWORD,
        role="manager",
        engine=engine,
    )
    return engine


def cookies_of(token: str, engine) -> dict[str, str]:
    cookie = services.login_cookie(token=token, engine=engine)
    assert cookie is not None
    return {"_streamlit_xsrf": "whatever", cookie.name: cookie.value}


def test_a_login_cookie_restores_its_session_until_logout(anna):
    token, actor = services.login(username="anna", password=PASSWORD, engine=anna)
    cookie = services.login_cookie(token=token, engine=anna)
    assert cookie is not None
    assert 0 < cookie.max_age <= 8 * 3600
    cookies = cookies_of(token, anna)
    assert services.restore_login(cookies=cookies, engine=anna) == (token, actor)
    services.logout(token=token, engine=anna)
    assert services.restore_login(cookies=cookies, engine=anna) is None
    assert services.login_cookie(token=token, engine=anna) is None


def test_a_forged_or_foreign_login_cookie_restores_nothing(anna, monkeypatch):
    token, _ = services.login(username="anna", password=PASSWORD, engine=anna)
    name = login_cookie.COOKIE_NAME
    assert services.restore_login(cookies={}, engine=anna) is None
    forged = login_cookie.sign(token=token, expires=NOW + timedelta(days=3650), key=b"f" * 32)
    assert services.restore_login(cookies={name: forged}, engine=anna) is None
    cookies = cookies_of(token, anna)
    monkeypatch.setenv(login_cookie.SECRET_KEY_VARIABLE, "u" * 40)  # the key was changed
    assert services.restore_login(cookies=cookies, engine=anna) is None


def test_a_well_signed_cookie_for_no_session_restores_nothing(anna):
    made_up = login_cookie.sign(
        token="no-such-session", expires=NOW + timedelta(days=3650), key=b"t" * 40
    )
    assert services.restore_login(cookies={login_cookie.COOKIE_NAME: made_up}, engine=anna) is None
