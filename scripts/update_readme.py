"""Refresh the generated parts of README.md (from the bundled model card and docs/evaluation.json)
and of the data card, data/README.md (from the corpus in data/).

    python scripts/update_readme.py

The tables between `<!-- BEGIN: … -->` and `<!-- END: … -->` are never typed by hand;
tests/test_readme.py fails when they differ from what this script writes.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from classifier.corpus.corpus import load_corpus  # noqa: E402
from classifier.corpus.datacard import corpus_stats, genre_markdown, stats_markdown  # noqa: E402
from classifier.evaluation.evaluate import metrics_markdown  # noqa: E402
from classifier.model.metadata import card_markdown  # noqa: E402
from classifier.model.persistence import read_card  # noqa: E402


def generated() -> dict[str, str]:
    """The text each marked README section must hold."""
    evaluation = json.loads((ROOT / "docs" / "evaluation.json").read_text(encoding="utf-8"))
    return {"classifier info": card_markdown(read_card(ROOT / "models" / "default")),
            "classifier evaluate": metrics_markdown(evaluation)}


def datacard_generated() -> dict[str, str]:
    """The text each marked section of data/README.md must hold: `classifier data stats data [--genre]`."""
    reports = load_corpus(ROOT / "data")
    return {"classifier data stats data": stats_markdown(corpus_stats(reports)).rstrip("\n"),
            "classifier data stats data --genre": genre_markdown(reports)}


def fill(readme: str, sections: dict[str, str]) -> str:
    for name, body in sections.items():
        pattern = re.compile(rf"(<!-- BEGIN: {re.escape(name)} -->\n).*?(<!-- END: {re.escape(name)} -->)", re.S)
        readme = pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), readme)
    return readme


if __name__ == "__main__":
    path = ROOT / "README.md"
    path.write_text(fill(path.read_text(encoding="utf-8"), generated()), encoding="utf-8")
    (ROOT / "docs" / "evaluation.md").write_text(generated()["classifier evaluate"] + "\n", encoding="utf-8")
    card = ROOT / "data" / "README.md"
    card.write_text(fill(card.read_text(encoding="utf-8"), datacard_generated()), encoding="utf-8")
