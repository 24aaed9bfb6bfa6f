"""Logins: wrong passwords, throttling, disabled users, expiring sessions; the user commands."""

from __future__ import annotations

from datetime import timedelta

import pytest
from typer.testing import CliRunner

from planner import services
from planner.accounts import logins as accounts
from planner.accounts.access import Actor
from planner.cli import app
from planner.data.db import session_scope
from tests.builders import REPO_ROOT
from tests.data.test_dataset import GOOD, write_files

ADMIN = Actor(username="root", role="admin")
MANAGER = Actor(username="boss", role="manager")
PASSWORD = "correct horse"


@pytest.fixture
def users(engine, tmp_path):
    services.import_dataset(actor=MANAGER, source=write_files(tmp_path / "ds", GOOD), engine=engine)
    services.add_user(
        actor=ADMIN, username="anna", password=PASSWORD, role="manager", engine=engine
    )
    services.add_user(
        actor=ADMIN,
        username="op1",
        password=PASSWORD,
        role="operator",
        operator_id="OP1",
        engine=engine,
    )
    return engine


def test_a_right_password_opens_a_session_until_logout(users):
    token, actor = services.login(username="Anna ", password=PASSWORD, engine=users)
    assert actor == services.session_actor(token=token, engine=users)
    assert (actor.username, actor.role, actor.operator_id) == ("anna", "manager", None)
    services.logout(token=token, engine=users)
    assert services.session_actor(token=token, engine=users) is None
    assert services.session_actor(token="made-up", engine=users) is None


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(users):
    with pytest.raises(services.LoginFailed, match="wrong username or password"):
        services.login(username="anna", password="wrong password", engine=users)
    with pytest.raises(services.LoginFailed, match="wrong username or password"):
        services.login(username="nobody", password=PASSWORD, engine=users)


SECRET = b"k" * 32
FROM_HOME = accounts.throttle_key(secret=SECRET, username="anna", source="10.0.0.1")


def attempt(session, password, now, throttle=FROM_HOME, username="anna"):
    return accounts.check_login(
        session=session, username=username, password=password, throttle=throttle, now=now
    )


def test_repeated_failures_from_one_source_lock_it_for_longer_each_time(users):
    now = accounts.now_utc()
    with session_scope(users) as session:
        for _ in range(accounts.FREE_ATTEMPTS):
            assert attempt(session, "nope", now).user is None
        refused = attempt(session, PASSWORD, now + timedelta(seconds=1))
        assert refused.user is None
        assert "too many failed logins" in refused.refusal
        later = now + accounts.FIRST_LOCKOUT + timedelta(seconds=1)
        assert attempt(session, PASSWORD, later).user is not None
    assert accounts.lockout(accounts.FREE_ATTEMPTS + 1) == 2 * accounts.FIRST_LOCKOUT
    assert accounts.lockout(100) == accounts.LONGEST_LOCKOUT
    # a refused login is still remembered
    with pytest.raises(services.LoginFailed, match="wrong username"):
        services.login(username="anna", password="nope", engine=users)
    with session_scope(users) as session:
        assert accounts.find_user(session=session, username="anna").failed_attempts == 1


def test_a_guesser_cannot_lock_the_owner_out_from_elsewhere(users):
    """One wrong password per lockout period from an attacker's address used to keep the
    account locked for everybody; now only that address is slowed down."""
    now = accounts.now_utc()
    elsewhere = accounts.throttle_key(secret=SECRET, username="anna", source="203.0.113.9")
    with session_scope(users) as session:
        for step in range(12):
            attempt(session, "guess", now + timedelta(seconds=step), throttle=elsewhere)
        assert "too many failed logins" in attempt(session, PASSWORD, now, elsewhere).refusal
        assert attempt(session, PASSWORD, now + timedelta(seconds=12)).user is not None


def test_an_unknown_name_is_throttled_like_a_real_one(users):
    """Otherwise "too many failed logins" would tell which names have accounts."""
    now = accounts.now_utc()
    answers = {}
    for name in ("anna", "nobody"):
        throttle = accounts.throttle_key(secret=SECRET, username=name, source="10.0.0.2")
        with session_scope(users) as session:
            answers[name] = [
                attempt(session, "nope", now, throttle=throttle, username=name).refusal
                for _ in range(accounts.FREE_ATTEMPTS + 2)
            ]
    assert answers["anna"] == answers["nobody"]
    assert "too many failed logins" in answers["nobody"][-1]


def test_failures_are_forgotten_an_hour_after_the_last(users):
    now = accounts.now_utc()
    with session_scope(users) as session:
        for _ in range(accounts.FREE_ATTEMPTS + 3):
            attempt(session, "nope", now)
    much_later = now + accounts.FORGET_FAILURES_AFTER + accounts.LONGEST_LOCKOUT
    with session_scope(users) as session:
        assert attempt(session, "nope", much_later).refusal == accounts.WRONG_CREDENTIALS
        assert session.get(accounts.LoginThrottleRow, FROM_HOME).failures == 1


def test_a_password_typed_as_the_username_stays_out_of_the_audit_and_the_throttle(users):
    typed = "MySecret-Passw0rd"
    with pytest.raises(services.LoginFailed):
        services.login(username=typed, password="", source="10.0.0.3", engine=users)
    with pytest.raises(services.LoginFailed):
        services.login(username="anna", password="nope", source="10.0.0.3", engine=users)
    trail = services.audit_trail(actor=MANAGER, engine=users)
    failed = sorted(row.username for row in trail if row.action == "login failed")
    assert failed == ["anna", "unknown account"]
    everything = repr(trail)
    assert typed not in everything
    assert typed.lower() not in everything
    with session_scope(users) as session:
        keys = [row.key for row in session.exec(accounts.select(accounts.LoginThrottleRow))]
    assert keys
    assert all(typed.lower() not in key and len(key) == 64 for key in keys)


def test_a_disabled_user_cannot_log_in_and_its_sessions_end(users):
    token, _ = services.login(username="op1", password=PASSWORD, engine=users)
    services.disable_user(actor=ADMIN, username="op1", engine=users)
    assert services.session_actor(token=token, engine=users) is None
    with pytest.raises(services.LoginFailed, match="disabled"):
        services.login(username="op1", password=PASSWORD, engine=users)
    assert [
        u["disabled"]
        for u in services.list_users(actor=ADMIN, engine=users)
        if u["username"] == "op1"
    ] == [True]


def test_a_session_expires(users):
    token, _ = services.login(username="anna", password=PASSWORD, engine=users)
    with session_scope(users) as session:
        later = accounts.now_utc() + accounts.SESSION_LIFETIME + timedelta(seconds=1)
        assert accounts.session_actor(session=session, token=token) is not None
        assert accounts.session_actor(session=session, token=token, now=later) is None


def test_passwords_are_stored_as_argon2_hashes(users):
    with session_scope(users) as session:
        stored = accounts.find_user(session=session, username="anna").password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


@pytest.mark.parametrize(
    ("username", "password", "role", "operator", "message"),
    [
        ("anna", PASSWORD, "manager", None, "already exists"),
        ("bob", "short", "manager", None, "at least 8"),
        ("bob", PASSWORD, "superuser", None, "not one of"),
        ("bob", PASSWORD, "operator", None, "needs --operator"),
        ("bob", PASSWORD, "operator", "OP9", "no operator 'OP9'"),
        ("bob", PASSWORD, "manager", "OP1", "only operator users"),
        ("Bob Smith", PASSWORD, "manager", None, "not a valid username"),
    ],
)
def test_a_user_that_cannot_be_added_is_refused_with_the_reason(
    users, username, password, role, operator, message
):
    with pytest.raises(services.AccountError, match=message):
        services.add_user(
            actor=ADMIN,
            username=username,
            password=password,
            role=role,
            operator_id=operator,
            engine=users,
        )


def test_user_commands(tmp_path):
    """In-process (Typer's runner): seven interpreter starts would cost half a minute."""
    runner = CliRunner()
    env = {"PLANNER_DATABASE_URL": f"sqlite:///{tmp_path / 'planner.db'}"}

    def run(*args: str, stdin: str | None = None):
        return runner.invoke(app, list(args), input=stdin, env=env)

    assert run("import", str(write_files(tmp_path / "ds", GOOD))).exit_code == 0
    created = run("user", "create-admin", "--password-stdin", stdin=PASSWORD + "\n")
    assert created.exit_code == 0, created.output
    assert created.stdout.strip() == "added admin admin"
    added = run(
        "user",
        "add",
        "op1",
        "--role",
        "operator",
        "--operator",
        "OP1",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert added.stdout.strip() == "added operator op1 of OP1"
    bad = run(
        "user",
        "add",
        "op2",
        "--role",
        "operator",
        "--operator",
        "OP9",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert bad.exit_code == 2
    assert "no operator 'OP9'" in bad.stderr
    prompted = run("user", "add", "anna", "--role", "manager", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert prompted.exit_code == 0, prompted.output
    assert PASSWORD not in prompted.stdout
    assert run("user", "disable", "op1").exit_code == 0
    assert run("user", "list").stdout.splitlines() == [
        "admin\tadmin\t-\tactive",
        "anna\tmanager\t-\tactive",
        "op1\toperator\tOP1\tdisabled",
    ]
    upgraded = run("db", "upgrade")
    assert upgraded.exit_code == 0
    versions = REPO_ROOT / "planner" / "data" / "migrations" / "versions"
    head = max(path.name[:4] for path in versions.glob("[0-9][0-9][0-9][0-9]_*.py"))
    assert f"revision {head}" in upgraded.stdout


def test_single_sign_on_opens_a_session_only_for_an_enabled_account(users):
    token, actor = services.login_single_sign_on(email=" Anna ", engine=users)
    assert services.session_actor(token=token, engine=users) == actor
    assert (actor.username, actor.role) == ("anna", "manager")
    with pytest.raises(services.LoginFailed, match=r"no account for eve@example\.org"):
        services.login_single_sign_on(email="eve@example.org", engine=users)
    services.disable_user(actor=ADMIN, username="op1", engine=users)
    with pytest.raises(services.LoginFailed, match="disabled"):
        services.login_single_sign_on(email="op1", engine=users)
    via = [e.after for e in services.audit_trail(actor=MANAGER, action="login", engine=users)]
    assert via == [{"via": "single sign-on"}]
