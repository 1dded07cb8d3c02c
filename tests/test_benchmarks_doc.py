"""README's benchmark table is the one `python -m benchmarks` wrote to benchmarks/RESULTS.md, not typed by hand."""
from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- BEGIN: benchmarks -->", "<!-- END: benchmarks -->"


def _table(text: str) -> list[str]:
    """The lines of the first Markdown table in ``text``."""
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("|"):
            lines.append(line)
        elif lines:
            break
    return lines


def test_readme_table_is_the_generated_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(rf"{re.escape(BEGIN)}\n(.*?){re.escape(END)}", readme, re.S)
    assert section, "README.md has no benchmark table between the markers"
    generated = _table((ROOT / "benchmarks" / "RESULTS.md").read_text(encoding="utf-8"))
    assert len(generated) > 2
    assert _table(section.group(1)) == generated, "run: python -m benchmarks (it rewrites both)"
    assert "python -m benchmarks" in readme


def test_results_json_holds_every_repetition_and_the_median():
    results = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
    assert results["repetitions"] >= 3 and results["workload"]["units"] >= 20_000
    for systems in (v for k, v in results["figures"].items() if not k.endswith("_note")):
        for fig in systems.values():
            reps = sorted(fig["repetitions"])
            assert len(reps) >= 1 and reps[0] <= fig["median"] <= reps[-1]


def test_the_header_says_which_code_was_measured():
    from benchmarks.report import markdown

    results = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
    header = lambda source: markdown({**results, "source": source}).splitlines()[2]  # noqa: E731
    assert "from commit abc1234, with no uncommitted changes:" in header({"commit": "abc1234", "changes": []})
    dirty = header({"commit": "abc1234, then def5678", "changes": [" M src/classifier/segments.py", "?? data/x"]})
    assert "from commit abc1234, then def5678, with uncommitted changes to 2 measured files:" in dirty
    assert "(commit not recorded):" in header(None)
