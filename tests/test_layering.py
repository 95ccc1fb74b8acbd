"""Imports run one way: each app imports only the apps below it.

    common ← accounts ← programs ← applicants ← reviews ← adoption ← notifications

``outbox`` knows no domain app and only ``notifications`` uses it. ``config`` is
the composition root: it may import anything and no app imports it. ``demo``
and ``bench`` are tooling on top and may import anything too.
"""

import ast
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

LAYERS = ["common", "accounts", "programs", "applicants", "reviews", "adoption", "notifications"]
ALLOWED: dict[str, set[str]] = {app: set(LAYERS[: index + 1]) for index, app in enumerate(LAYERS)}
ALLOWED["outbox"] = {"common", "outbox"}
ALLOWED["notifications"] |= {"outbox"}


def project_packages(root: Path) -> set[str]:
    return {path.parent.name for path in root.glob("*/__init__.py")}


def imported_packages(path: Path) -> set[str]:
    """Top-level names of every absolute import in the file, at module level or
    inside a function (a late import is still a dependency)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def layering_violations(root: Path) -> list[str]:
    packages = project_packages(root)
    violations = []
    for app, allowed in ALLOWED.items():
        for path in sorted((root / app).rglob("*.py")):
            for name in sorted(imported_packages(path) & packages - allowed):
                violations.append(f"{path.relative_to(root)} imports {name}")
    return violations


def test_no_app_imports_an_app_above_it_or_config():
    assert layering_violations(BASE_DIR) == []


def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.parent / "__init__.py").touch()
        path.write_text(text)


def test_layering_check_catches_an_upward_import_inside_a_function(tmp_path):
    write_tree(
        tmp_path,
        {"reviews/models.py": "", "programs/views.py": "def view():\n    from reviews.models import Review\n"},
    )

    assert layering_violations(tmp_path) == ["programs/views.py imports reviews"]


def test_layering_check_catches_an_app_importing_config(tmp_path):
    write_tree(tmp_path, {"config/celery.py": "", "accounts/services.py": "import config.celery\n"})

    assert layering_violations(tmp_path) == ["accounts/services.py imports config"]


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, by its full name (``from a import b`` counts as ``a.b`` too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_outbox_services_do_not_import_its_tasks():
    # The tasks call the services; the services queue tasks by name.
    assert "outbox.tasks" not in imported_modules(BASE_DIR / "outbox" / "services.py")
