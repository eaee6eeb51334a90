"""Helpers for the browser tests: a served UI on a free loopback port and headless chromium."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from tests.conftest import REPO, free_port, wait_port

ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
# Debian's chromium in a container: no sandbox, no GPU, nothing phoning home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def served(library, **settings_kwargs):
    """`build(library)` launched in this process on 127.0.0.1; yields its URL."""
    from listlens.app.settings import Settings
    from listlens.app.ui import build, launch

    settings = Settings.for_library(library.config, host="127.0.0.1", port=free_port(), **settings_kwargs)
    demo = build(library, settings)
    launch(demo, settings, prevent_thread_lock=True, quiet=True)
    url = f"http://127.0.0.1:{settings.port}/"
    wait_port(settings.port, timeout=30)
    try:
        yield url
    finally:
        demo.close()




@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
