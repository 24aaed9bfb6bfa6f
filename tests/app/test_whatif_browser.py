"""The What-if screen in a real headless Chromium: build "SP003 leaves", compare with the base."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.app.test_browser import app, choose, chromium, screenshots, server, settle, visit

pytestmark = pytest.mark.browser

__all__ = ["app", "chromium", "screenshots", "server"]


def test_sp003_leaves_compared_with_the_base(app, server: str, screenshots: Path) -> None:
    visit(app, server, "whatif")
    choose(app, "Specialist", "SP003")
    day = app.locator(".st-key-whatif_specialist_leaves_on input")
    day.fill("2027-02-01")
    day.press("Enter")
    settle(app)
    app.get_by_role("button", name="Add the change").click()
    app.get_by_text("SP003 leaves on 2027-02-01").wait_for()
    settle(app)
    app.locator(".st-key-whatif_full label").click()  # cover only: quicker
    settle(app)
    app.get_by_role("button", name="Compare").click()
    app.get_by_text(re.compile("Base against")).wait_for(timeout=120_000)
    settle(app)
    app.locator(".js-plotly-plot").nth(2).wait_for()
    assert app.get_by_text("Critical cover").first.is_visible()
    assert app.get_by_text(re.compile(r"Gaps that appear")).first.is_visible()
    app.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    app.screenshot(path=str(screenshots / "whatif-sp003.png"))
