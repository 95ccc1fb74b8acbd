"""Playwright on Debian's Chromium against pytest-django's live server."""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.core import mail

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_TESTS = Path(__file__).resolve().parent
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

# Playwright runs an event loop in the test thread; Django's ORM calls from the
# test body are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    # The hook sees every item of the session, not only this folder's.
    for item in items:
        if item.path.resolve().is_relative_to(BROWSER_TESTS):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under var/screenshots/<name>.png."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def log_in(page, live_server):
    def do(email: str, password: str = "pass-word-123") -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()

    return do


@pytest.fixture
def confirm_sign_up(page, live_server, settings):
    """Open the link of the last sign-up e-mail and confirm, as the person
    reading it would."""
    settings.RUNWAY_SITE_URL = live_server.url

    def do() -> None:
        link = re.search(r"https?://\S+/accounts/signup/confirm/\S+/", mail.outbox[-1].body).group(0)
        page.goto(link)
        page.get_by_role("button", name="Confirm and log in").click()
        page.wait_for_load_state()

    return do
