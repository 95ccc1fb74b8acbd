import subprocess
import sys

from django.conf import settings


def collected(*args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    return [line for line in result.stdout.splitlines() if "::" in line]


def test_not_browser_keeps_the_tests_outside_the_browser_folder():
    # Both folders, so that the browser folder's conftest is loaded too.
    ids = collected("-m", "not browser", "tests/common", "tests/browser")

    assert ids
    assert [test_id for test_id in ids if not test_id.startswith("tests/common/")] == []


def test_browser_marker_selects_only_the_browser_folder():
    ids = collected("-m", "browser", "tests/common", "tests/browser")

    assert ids
    assert [test_id for test_id in ids if not test_id.startswith("tests/browser/")] == []
