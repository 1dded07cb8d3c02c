"""The README's figures are generated, not typed: they equal what the tools produce."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _script():
    spec = importlib.util.spec_from_file_location("update_readme", ROOT / "scripts" / "update_readme.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_sections_are_current():
    script = _script()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert script.fill(readme, script.generated()) == readme, "run: python scripts/update_readme.py"


def test_readme_commands_are_the_ci_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = [line for line in ci.splitlines() if line.startswith("python3 -m venv")][0]
    assert test_command in readme
