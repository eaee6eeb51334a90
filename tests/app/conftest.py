"""Fixtures shared by the browser tests."""

from __future__ import annotations

import pytest

from tests.app.ui_helpers import chromium


@pytest.fixture(scope="module")
def browser():
    """Headless Debian chromium, one per test module."""
    with chromium() as b:
        yield b
