"""The app in a real headless Chromium: every page renders, a plan runs, a filed request is
planned.

The server starts exactly as the README says, against its own throwaway database.
Screenshots go to `PLANNER_SCREENSHOTS`, or a temporary folder, never the checkout.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner import services
from tests.app.test_app import seed_database
from tests.builders import REPO_ROOT

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PAGES = {
    "overview": "",
    "timeline": "timeline",
    "request": "request",
    "runs": "runs",
    "rota": "rota",
    "data": "data",
    "whatif": "whatif",
}
TITLES = {
    "overview": "Overview",
    "timeline": "Plan timeline",
    "request": "Request cover",
    "runs": "Plan runs",
    "rota": "Rota",  # the screen's title is "On-call rota"; the match ignores case
    "data": "Data",
    "whatif": "What-if",
}


def unavailable(reason: str) -> None:
    """Skip on a developer machine; under CI a missing browser is a failure, not a pass."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("PLANNER_SCREENSHOTS") or tmp_path_factory.mktemp("screens"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots in {folder}")
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served on a free port; a short plan is seeded so the first page is quick."""
    folder = tmp_path_factory.mktemp("browser-db")
    url = f"sqlite:///{folder / 'planner.db'}"
    seed_database(url)
    services.get_engine(url).dispose()

    port = free_port()
    log = (folder / "streamlit.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=REPO_ROOT,
        env={**os.environ, "PLANNER_DATABASE_URL": url},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "the app did not start: " + (folder / "streamlit.log").read_text()[-2000:]
                )
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def app(chromium, server: str):
    """A fresh browser tab with a tall viewport: Streamlit scrolls inside its own container."""
    context = chromium.new_context(viewport={"width": 1280, "height": 1300}, locale="en-GB")
    context.set_default_timeout(60_000)
    tab = context.new_page()
    yield tab
    context.close()


def log_in(page, server: str, username: str = "manager") -> None:
    """Log in through the form, as a user would, with one of the demo's accounts."""
    password = next(p for u, p, _, _ in services.DEMO_ACCOUNTS if u == username)
    page.goto(server)
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.locator('[data-testid="stSidebarNav"]').wait_for()
    settle(page)


def visit(page, server: str, name: str) -> None:
    """Open a page from the sidebar, as a user would (logging in first in a new tab), and
    wait until its script has finished and drawn its title."""
    if not page.url.startswith(server):
        log_in(page, server)
    page.locator('[data-testid="stSidebarNav"]').get_by_role(
        "link", name=TITLES[name], exact=True
    ).click()
    page.wait_for_url(re.compile(rf"{re.escape(server)}/{PAGES[name]}(\?.*)?$"))
    page.locator("h1", has_text=TITLES[name]).first.wait_for()
    settle(page)


def settle(page) -> None:
    """Wait for Streamlit to finish the current run (its status widget goes away)."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=120_000)
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]'
    ).first.inner_text()


def choose(page, label: str, option_prefix: str) -> None:
    """Pick an option of a select box or multiselect by typing, as a user would."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(option_prefix)
    page.get_by_role("option", name=re.compile(f"^{re.escape(option_prefix)}")).click()
    settle(page)


def test_every_page_renders(app, server: str, screenshots: Path) -> None:
    charts = {"overview": 2, "timeline": 1}
    for name in PAGES:
        visit(app, server, name)
        if name in charts:
            app.locator(".js-plotly-plot").nth(charts[name] - 1).wait_for()
        app.wait_for_timeout(500)
        app.screenshot(path=str(screenshots / f"{name}.png"))
        if name == "overview":
            assert app.get_by_text("Clients most at risk").is_visible()


def test_a_rota_runs_in_the_browser_and_draws_its_week(app, server: str, screenshots: Path) -> None:
    visit(app, server, "rota")
    app.get_by_role("spinbutton", name="Time limit (seconds)").fill("3")
    app.get_by_role("button", name="Run the rota").click()
    app.get_by_text(re.compile(r"Rota run #\d+ recorded")).first.wait_for()
    settle(app)
    app.locator(".js-plotly-plot").nth(1).wait_for()
    assert app.get_by_text("Gaps and why").is_visible()
    box = app.get_by_role("combobox", name="Shown in")
    box.click()
    box.fill("Vladivostok")
    app.get_by_role("option", name="Asia/Vladivostok", exact=True).click()
    settle(app)
    app.locator(".js-plotly-plot").nth(1).wait_for()
    app.wait_for_timeout(500)
    app.screenshot(path=str(screenshots / "rota.png"))


def test_filed_request_is_in_the_next_plan(app, server: str, screenshots: Path) -> None:
    visit(app, server, "request")
    choose(app, "Operator", "OP0003")
    assert app.get_by_role("combobox", name="Operator").input_value().startswith("OP0003")
    app.get_by_role("button", name="Ask for cover").click()
    app.get_by_text(re.compile(r"coverable", re.IGNORECASE)).first.wait_for()
    settle(app)
    app.screenshot(path=str(screenshots / "request-answer.png"))
    app.get_by_role("button", name="File this request").click()
    filed = app.get_by_text(re.compile(r"Filed as request RQ\d+"))
    filed.wait_for()
    request_id = re.search(r"RQ\d+", filed.inner_text()).group(0)

    visit(app, server, "runs")
    limit = app.locator(".st-key-runs_time_limit input")
    limit.fill("10")
    limit.press("Tab")
    app.get_by_role("button", name="Run the planner").click()
    app.locator('[data-testid="stProgress"]').wait_for()
    app.screenshot(path=str(screenshots / "runs-progress.png"))
    app.get_by_text(re.compile(r"Run #\d+ recorded")).wait_for(timeout=120_000)
    settle(app)
    app.screenshot(path=str(screenshots / "runs-after-plan.png"))

    visit(app, server, "timeline")
    choose(app, "Operator", "OP0003")
    app.keyboard.press("Escape")
    settle(app)
    rows = app.locator(".js-plotly-plot .yaxislayer-above text")
    rows.filter(has_text="OP0003 ").filter(has_text=f"({request_id})").first.wait_for()
    deadline = time.monotonic() + 20  # plotly redraws the filtered chart after the rerun
    while not all("OP0003 " in row for row in rows.all_text_contents()):
        assert time.monotonic() < deadline, rows.all_text_contents()
        app.wait_for_timeout(250)
    app.screenshot(path=str(screenshots / "timeline-with-request.png"))


def test_an_upload_with_problems_imports_nothing(app, server: str, screenshots: Path) -> None:
    visit(app, server, "data")
    app.get_by_role("tab", name="Import & export").click()
    app.locator('.st-key-data_upload input[type="file"]').set_input_files(
        [
            {
                "name": "staff.csv",
                "mimeType": "text/csv",
                "buffer": b"staff_id,operator_id,role,fte\nST1,OP0001,subscriber,-1\n",
            }
        ]
    )
    app.locator(".st-key-data_upload").get_by_text("staff.csv").first.wait_for()
    settle(app)
    app.get_by_role("button", name="Check and import").click()
    app.get_by_text("Nothing was imported").wait_for()
    problems = app.locator('[data-testid="stAlert"]').first.inner_text()
    assert "operators.csv: required file is missing" in problems
    assert "staff.csv:2: column fte: -1" in problems
    app.screenshot(path=str(screenshots / "data-import-problems.png"))
    visit(app, server, "overview")  # the stored data is still there
    assert app.get_by_text("Clients most at risk").is_visible()


def test_an_operator_user_sees_its_own_world_only(chromium, server: str, screenshots: Path) -> None:
    """Logged in as the demo's OP0012 user (it has cover in the seeded weeks): its cover,
    no vendor pages, no other client."""
    context = chromium.new_context(viewport={"width": 1280, "height": 1300}, locale="en-GB")
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        log_in(page, server, "op0012")
        page.locator("h1", has_text="Our cover").wait_for()
        page.locator(".js-plotly-plot").first.wait_for()
        settle(page)
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Request cover" in nav
        assert "Plan runs" not in nav
        assert "Audit trail" not in nav
        shown = page.locator('[data-testid="stMain"]').inner_text()
        assert "OP0012" in shown
        assert "OP0003" not in shown
        assert "OP0005" not in shown
        page.screenshot(path=str(screenshots / "operator-cover.png"))
        page.get_by_role("button", name="Log out").click()
        page.get_by_role("button", name="Log in").wait_for()
    finally:
        context.close()


def login_cookies(page) -> list[dict]:
    return [c for c in page.context.cookies() if c["name"] == services.LOGIN_COOKIE_NAME]


def reload(page) -> None:
    """Reload the tab as a user would (F5): a new Streamlit session in the same browser."""
    page.reload()
    page.locator('[data-testid="stApp"]').wait_for()
    settle(page)
    page.wait_for_timeout(500)  # a "Page not found" dialog comes with the first run
    assert page.get_by_text("Page not found").count() == 0


def test_a_reload_keeps_the_login_and_the_page(app, server: str, screenshots: Path) -> None:
    visit(app, server, "timeline")
    (cookie,) = login_cookies(app)
    assert cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/"
    assert 0 < cookie["expires"] - time.time() <= 8 * 3600 + 60
    reload(app)
    app.locator("h1", has_text="Plan timeline").first.wait_for()
    assert app.url.startswith(f"{server}/timeline")
    app.get_by_role("button", name="Log out").wait_for()
    app.screenshot(path=str(screenshots / "timeline-after-reload.png"))

    app.get_by_role("button", name="Log out").click()
    app.get_by_role("textbox", name="Username").wait_for()
    settle(app)
    assert not login_cookies(app)
    reload(app)
    app.get_by_role("textbox", name="Username").wait_for()

    stolen = {**cookie}  # a copy taken before the logout opens nothing now
    app.context.add_cookies([stolen])
    reload(app)
    app.get_by_role("textbox", name="Username").wait_for()
    assert app.get_by_role("button", name="Log out").count() == 0


def test_a_forged_login_cookie_shows_the_login_form(app, server: str) -> None:
    app.context.add_cookies(
        [{"name": services.LOGIN_COOKIE_NAME, "value": "made-up.9999999999.c2ln", "url": server}]
    )
    app.goto(f"{server}/data")
    app.get_by_role("textbox", name="Username").wait_for()
    settle(app)
    assert app.get_by_text("Page not found").count() == 0
    assert app.get_by_role("button", name="Log out").count() == 0
    assert not login_cookies(app)  # the refused cookie is deleted


def test_a_sub_page_url_opened_logged_out_shows_that_page_after_login(app, server: str) -> None:
    app.goto(f"{server}/data")
    app.get_by_role("textbox", name="Username").wait_for()
    settle(app)
    assert app.get_by_text("Page not found").count() == 0
    password = next(p for u, p, _, _ in services.DEMO_ACCOUNTS if u == "manager")
    app.get_by_role("textbox", name="Username").fill("manager")
    app.get_by_role("textbox", name="Password").fill(password)
    app.get_by_role("button", name="Log in").click()
    app.locator("h1", has_text="Data").first.wait_for()
    settle(app)
    assert app.url.startswith(f"{server}/data")
    reload(app)
    app.locator("h1", has_text="Data").first.wait_for()


def test_an_operator_user_opening_a_vendor_screen_s_url_is_told_it_is_not_theirs(
    app, server: str
) -> None:
    log_in(app, server, "op0012")
    app.goto(f"{server}/runs")  # a new session, logged in again from the cookie
    app.get_by_text("This page is not available to your account").wait_for()
    settle(app)
    app.wait_for_timeout(500)
    assert app.get_by_text("Page not found").count() == 0
    nav = app.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Our cover" in nav
    assert "Plan runs" not in nav
