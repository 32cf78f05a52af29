"""A real browser for the e2e tests: Debian's chromium driven by Playwright's sync API.

The browser is never downloaded: `.ci/install-browser.sh` installs Debian's chromium, and
CAUNOI_CHROMIUM may point at another build. Screenshots go to test-artifacts/e2e/ (git-ignored).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API runs an event loop in the test's thread; Django would then refuse the
# ORM calls the tests make (load the demo, look units up) as if they came from async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CAUNOI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright, live_server: LiveServer) -> Iterator[Browser]:
    # Asking for live_server here closes the browser (and its keep-alive connections) before
    # the server stops; the other way round, the server's request threads outlive the shared
    # in-memory SQLite connection and fail on closing it.
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"no browser at {CHROMIUM}: run `sudo bash .ci/install-browser.sh` "
            "(Debian's chromium) or set CAUNOI_CHROMIUM"
        )
    launched = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield launched
    launched.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def new_context(
    browser: Browser, live_server: LiveServer
) -> Iterator[Callable[..., BrowserContext]]:
    """Make fresh browser contexts (no cookies shared) for this test; all closed at its end."""
    opened: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(base_url=live_server.url, locale="vi-VN", **options)
        context.set_default_timeout(TIMEOUT_MS)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context().new_page()
