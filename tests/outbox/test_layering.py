"""The delivery engine knows no domain app, and its tasks sit above its services."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

OUTBOX = Path(settings.BASE_DIR) / "outbox"
DOMAIN_APPS = {"accounts", "programs", "applicants", "reviews", "adoption", "notifications", "demo", "bench"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("path", sorted(OUTBOX.rglob("*.py")), ids=lambda path: str(path.relative_to(OUTBOX)))
def test_outbox_module_imports_no_domain_app(path):
    imported = imported_modules(path)

    assert sorted(name for name in imported if name.split(".")[0] in DOMAIN_APPS) == []


def test_outbox_services_do_not_import_the_tasks():
    imported = imported_modules(OUTBOX / "services.py")

    assert sorted(name for name in imported if name.startswith("outbox.tasks")) == []


def test_notifications_services_and_tasks_do_not_import_each_other_both_ways():
    services = imported_modules(Path(settings.BASE_DIR) / "notifications" / "services.py")

    assert sorted(name for name in services if name.startswith("notifications.tasks")) == []
