"""The house's floors and habits, kept by the build (issue 9; STYLE habits 13 to 16)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kpas.base.audit import AuditAction

ROOT = Path(__file__).resolve().parents[2]
APPS = ("kpas", "schools", "referrals", "penalties", "returns")
MAX_LINES = 400
# Declarations (data, not logic) may be longer: the DFD's declaration types.
LONG_DECLARATIONS = {"referrals/engine/definitions.py"}


def product_modules() -> list[Path]:
    return sorted(
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and "settings" not in path.parts
    )


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_no_product_module_is_over_400_lines():
    long = {
        relative(path): count
        for path in product_modules()
        if (count := len(path.read_text().splitlines())) > MAX_LINES
        and relative(path) not in LONG_DECLARATIONS
    }
    assert long == {}


def test_mypy_covers_every_rules_services_and_selectors_module():
    targets = [
        line.strip()
        for line in (ROOT / "scripts/mypy-targets.txt").read_text().splitlines()
        if line.strip()
    ]

    def covered(name: str) -> bool:
        return any(name == t or (t.endswith("/") and name.startswith(t)) for t in targets)

    wanted = [
        relative(path)
        for path in product_modules()
        if path.name in {"rules.py", "services.py", "selectors.py"}
        or path.parent.name == "services"
    ]
    assert wanted, "no module found: the test is looking in the wrong place"
    assert [name for name in wanted if not covered(name)] == []


@pytest.mark.parametrize("action", list(AuditAction), ids=lambda a: a.value)
def test_every_audit_action_is_used(action):
    source = "\n".join(path.read_text() for path in product_modules())
    used = re.search(rf"AuditAction\.{action.name}\b", source) or f'"{action.value}"' in (
        source.replace('"' + action.value + '", "', "")  # the declaration itself
    )
    assert used, f"{action.name} is declared but nothing records it"


def test_each_app_has_one_url_module_with_an_app_name():
    url_modules = sorted(
        relative(path)
        for path in product_modules()
        if path.name.startswith("urls") and "site" not in path.parts
    )
    assert "schools/urls.py" in url_modules
    for name in url_modules:
        assert "\napp_name = " in (ROOT / name).read_text(), f"{name} has no app_name"
    apps = [name.split("/")[0] for name in url_modules if name.count("/") == 1]
    assert len(apps) == len(set(apps)), "an app has more than one URL module"


def test_views_write_through_services():
    # STYLE habit 4: no save(), create() or delete() in a view; a service owns every write.
    writes = re.compile(r"\.save\(|\.objects\.create\(|\.delete\(\)|\.objects\.update\(")
    views = [
        path
        for path in product_modules()
        if path.name.startswith("views") or path.parent.name == "views"
    ]
    assert views
    found = [
        f"{relative(path)}:{n}"
        for path in views
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if writes.search(line)
    ]
    assert found == []
