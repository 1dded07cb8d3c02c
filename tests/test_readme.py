"""The README's figures are generated, not typed, and its examples run: they equal what the tools produce."""
from __future__ import annotations

import doctest
import importlib.util
import io
import re
import shlex
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


def test_data_card_sections_are_current():
    script = _script()
    card = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert "<!-- BEGIN: classifier data stats data --genre -->" in card
    assert script.fill(card, script.datacard_generated()) == card, "run: python scripts/update_readme.py"


def test_readme_commands_are_the_ci_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = [line for line in ci.splitlines() if line.startswith("python3 -m venv")][0]
    assert test_command in readme


def _blocks(language: str) -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", readme, re.S | re.M)


def test_python_examples_show_what_they_give(monkeypatch):
    """Every ```python block is a doctest, run from the repository root with the bundled model.

    After retraining the bundled model, run this test: a failure prints each example's new output.
    """
    monkeypatch.chdir(ROOT)
    blocks = _blocks("python")
    assert blocks and all(">>> " in block for block in blocks), "write the README's Python examples as >>> doctests"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report = io.StringIO()
    for k, block in enumerate(blocks, start=1):
        test = doctest.DocTestParser().get_doctest(block, {}, f"README.md, python block {k}", "README.md", 0)
        runner.run(test, out=report.write)
    assert runner.tries >= 5
    assert runner.failures == 0, report.getvalue()


def _command_lines() -> list[str]:
    """Each `classifier …` command in the README's shell blocks (comments and redirections left off)."""
    commands = []
    for block in _blocks("sh"):
        for line in block.splitlines():
            for part in re.split(r"&&|\|(?!\|)", line.split("  #")[0]):
                words = shlex.split(part.strip())
                if words[:1] == ["classifier"]:
                    commands.append(words[1:words.index("<")] if "<" in words else words[1:])
    return commands


def test_readme_command_lines_are_accepted_by_the_cli(capsys):
    from classifier.cli import build_parser

    commands = _command_lines()
    assert len(commands) >= 15 and ["data", "check", "data"] in commands
    for argv in commands:
        try:
            build_parser().parse_args(argv)
        except SystemExit as stop:  # --help or --version stop with 0; a bad flag with 2
            assert stop.code == 0, f"the README's `classifier {shlex.join(argv)}` is refused: {capsys.readouterr().err}"
