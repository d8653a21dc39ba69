"""The HTML report in a real browser: the verdict is visible in the first screen, on a phone and a desktop.

Headless Debian Chromium (``/usr/bin/chromium``; ``make test`` installs it when run as root) is
driven by Playwright, which is never allowed to fetch a browser of its own. Screenshots are kept
in ``test-artifacts/`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, sync_playwright

from openness.render.html import render_html
from tests.render.pages import audited

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
"""Chromium flags for a headless run as root without network (``--headless`` and a fresh
``--user-data-dir`` come from Playwright's persistent context)."""
VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 800)}

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"Debian's chromium is not installed at {CHROMIUM}: `make test` installs it when run as root "
           "(apt-get install chromium)",
)


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """One offline Chromium with a fresh profile for the whole module (a launch takes seconds)."""
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True,
            args=FLAGS, offline=True,
        )
        try:
            yield context
        finally:
            context.close()


@pytest.mark.parametrize("device", sorted(VIEWPORTS))
@pytest.mark.parametrize("release", ["llama31-like", "olmo-like"])
def test_verdict_is_visible_on_the_first_screen(chromium: BrowserContext, device: str, release: str,
                                                tmp_path: Path) -> None:
    width, height = VIEWPORTS[device]
    page = chromium.new_page()
    page.set_viewport_size({"width": width, "height": height})
    report_file = tmp_path / f"{release}.html"
    report_file.write_text(render_html(audited(release)), encoding="utf-8")
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(report_file.as_uri())

    verdict = page.locator("#verdict")
    assert verdict.is_visible()
    box = verdict.bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], (box, viewport)
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (box, viewport)
    # Nothing covers it: the element at the centre of the verdict's title belongs to the verdict.
    title = page.locator("#verdict .verdict-title")
    centre = title.bounding_box()
    assert centre is not None
    on_top = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('#verdict') !== null",
                           [centre["x"] + centre["width"] / 2, centre["y"] + centre["height"] / 2])
    assert on_top
    expected = "Open source AI" if release == "olmo-like" else "Not open source AI"
    assert title.inner_text().endswith(expected)
    assert requested == [report_file.as_uri()], "the page must need nothing from elsewhere"

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{release}-{device}.png"))
    if device == "desktop":
        page.screenshot(path=str(ARTIFACTS / f"{release}-{device}-full.png"), full_page=True)
    page.close()
