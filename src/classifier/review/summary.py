"""One row per report: label shares (raw and corrected), required parts, signs of a thin report.

    >>> from classifier import load_model
    >>> model = load_model()                                         # doctest: +SKIP
    >>> row = summarize_report(model, "data/reports/2022-yongle-town.txt")   # doctest: +SKIP
    >>> row["level"], row["shortcomings_present"], row["plan_adjusted"]      # doctest: +SKIP
    ('township', True, 0.1521)

The 2019 regulation on rule-of-law government building asks each annual report for the
year's measures and results, the principal leaders' performance of their duty as first
responsible person, shortcomings and their causes, and next year's plans: those are the
four *required parts*, found from the section headings and the labelled units by the
rules in :mod:`classifier.review.parts`.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ..config import DEFAULTS
from ..read.normalize import normalize
from ..read.reading import SUPPORTED_SUFFIXES, read_document
from ..run.predict import Prediction
from ..units.report_meta import ReportMeta, parse_report_meta
from ..units.segments import segment
from ..units.similarity import comparable_of_normalized
from .boilerplate import copied_pairs, has_detail
from .parts import PARTS, part_units, required_parts  # noqa: F401  (PARTS: re-exported)
from .quantify import adjusted_shares, card_confusion
from .remembered import of_last_report

LABELS = ("publicity", "enforcement", "business_environment", "shortcoming", "plan", "other")
_TITLE_LINE = re.compile(r"(?:报告|总结|情况)$")


@dataclass(frozen=True)
class ReportAnalysis:
    """A classified report: where it came from, its text, its labelled units and its metadata."""

    file: str
    text: str
    predictions: tuple[Prediction, ...]
    meta: ReportMeta


def is_path_source(source: str | os.PathLike) -> bool:
    """Whether ``source`` names a file (as Model.classify_report decides) rather than being a report's text.

    >>> is_path_source("reports/a.txt"), is_path_source("一、主要做法\\n开展普法。")
    (True, False)
    """
    if isinstance(source, os.PathLike):
        return True
    text = str(source)
    return "\n" not in text and len(text) < 1024 and (
        Path(text).suffix.lower() in SUPPORTED_SUFFIXES or Path(text).exists())


def analyse_report(model, source: str | os.PathLike) -> ReportAnalysis:
    """Read (a path, or the report's text), segment and classify one report; parse its metadata."""
    is_path = is_path_source(source)
    text = read_document(source).text if is_path else str(source)
    name = str(source) if is_path else ""
    return ReportAnalysis(name, text, tuple(model.classify_units(segment(text))),
                          parse_report_meta(text, name or None))


def label_shares(predictions: Sequence[Prediction]) -> dict[str, dict]:
    """Each label's units and characters (non-space), as counts and as shares of the report.

    >>> from classifier.run.predict import Prediction as P
    >>> s = label_shares([P("开展普法。", 0, 5, 0, "", "publicity", .9), P("将继续。", 5, 9, 1, "", "plan", .8)])
    >>> s["publicity"]["units"], s["publicity"]["unit_share"], round(s["plan"]["char_share"], 3)
    (1, 0.5, 0.444)
    """
    labels = list(LABELS) + sorted({p.label for p in predictions} - set(LABELS))
    total_units = len(predictions)
    chars = [len("".join(p.text.split())) for p in predictions]
    total_chars = sum(chars)
    out = {}
    for label in labels:
        units = sum(1 for p in predictions if p.label == label)
        n_chars = sum(c for p, c in zip(predictions, chars) if p.label == label)
        out[label] = {"units": units, "unit_share": units / total_units if total_units else 0.0,
                      "chars": n_chars, "char_share": n_chars / total_chars if total_chars else 0.0}
    return out


def boilerplate_candidates(predictions: Sequence[Prediction]) -> list[Prediction]:
    """Sentences long enough to compare across reports (no headings, no title lines)."""
    out = []
    for p in predictions:
        if p.is_heading:
            continue
        norm = normalize(p.text).strip()
        title = not any(c in norm for c in "。!?;") and bool(_TITLE_LINE.search(norm))
        if not title and len(comparable_of_normalized(norm)) >= DEFAULTS.boilerplate_min_chars:
            out.append(p)
    return out


@of_last_report
def copied_plans(predictions: Sequence[Prediction]) -> list[tuple[Prediction, Prediction, float]]:
    """(plan unit, shortcoming unit, similarity) for plans that restate a shortcoming of the report."""
    plans = part_units(predictions, "plans")
    shortcomings = part_units(predictions, "shortcomings")
    pairs = copied_pairs([p.text for p in plans], [s.text for s in shortcomings], DEFAULTS.near_duplicate)
    return [(plans[i], shortcomings[j], score) for i, j, score in pairs]


def thin_signs(predictions: Sequence[Prediction], boilerplate_units: int | None = None) -> dict[str, Any]:
    """Signs of a thin report: few or vague shortcomings, copied plans, boilerplate (when known)."""
    shortcomings = part_units(predictions, "shortcomings")
    vague = sum(1 for p in shortcomings if not has_detail(p.text))
    copied = len(copied_plans(predictions))
    signs = []
    if len(shortcomings) < DEFAULTS.few_shortcomings:
        signs.append(f"few shortcomings ({len(shortcomings)})")
    if shortcomings and vague == len(shortcomings):
        signs.append("shortcomings without detail")
    if copied:
        signs.append(f"plans copied from shortcomings ({copied})")
    out = {"vague_shortcomings": vague, "copied_plans": copied, "boilerplate_units": None,
           "boilerplate_share": None, "thin": bool(signs), "signs": "; ".join(signs)}
    if boilerplate_units is None:
        return out
    return with_boilerplate(out, boilerplate_units, len(boilerplate_candidates(predictions)))


def with_boilerplate(row: dict[str, Any], count: int, eligible: int) -> dict[str, Any]:
    """A row (or its ``thin_signs``) with the report's boilerplate: ``count`` of its ``eligible`` sentences
    recur in another report; a share from ``boilerplate_sign_share`` up is one more sign.

    >>> with_boilerplate({"thin": False, "signs": ""}, 3, 4)
    {'thin': True, 'signs': 'boilerplate (75%)', 'boilerplate_units': 3, 'boilerplate_share': 0.75}
    """
    share = count / eligible if eligible else 0.0
    sign = f"boilerplate ({share:.0%})" if share >= DEFAULTS.boilerplate_sign_share else ""
    signs = [s for s in (row["signs"], sign) if s]
    return {**row, "boilerplate_units": count, "boilerplate_share": round(share, 4), "thin": bool(signs),
            "signs": "; ".join(signs)}


def report_row(analysis: ReportAnalysis, model, boilerplate_units: int | None = None) -> dict[str, Any]:
    """The flat summary row of one analysed report."""
    preds = analysis.predictions
    row: dict[str, Any] = {"file": analysis.file, **analysis.meta.to_dict(), "units": len(preds),
                           "chars": sum(len("".join(p.text.split())) for p in preds)}
    shares = label_shares(preds)
    adjusted = _adjusted(preds, model, list(shares))
    for label, s in shares.items():
        row.update({f"{label}_units": s["units"], f"{label}_unit_share": round(s["unit_share"], 4),
                    f"{label}_chars": s["chars"], f"{label}_char_share": round(s["char_share"], 4)})
        a = adjusted.get(label)
        row.update({f"{label}_adjusted": a and a.share, f"{label}_adjusted_low": a and a.low,
                    f"{label}_adjusted_high": a and a.high})
    parts = required_parts(preds)
    for part, found in parts.items():
        row.update({f"{part}_present": found["present"], f"{part}_units": found["units"],
                    f"{part}_heading": found["heading"]})
    row["missing"] = "; ".join(part for part, found in parts.items() if not found["present"])
    row.update(thin_signs(preds, boilerplate_units))
    return row


def _adjusted(preds: Sequence[Prediction], model, labels: list[str]) -> dict:
    """Corrected unit shares with their interval, by label; {} when the card has no confusion matrix."""
    model_labels = list(model.labels)
    confusion = card_confusion(model.card, model_labels)
    if confusion is None or not preds:
        return {}
    counts = [sum(1 for p in preds if p.label == label) for label in model_labels]
    found = adjusted_shares(counts, confusion, samples=DEFAULTS.bootstrap_samples, level=DEFAULTS.interval_level,
                            seed=DEFAULTS.seed)
    return {label: a for label, a in zip(model_labels, found) if label in labels}


def summarize_report(model, source: str | os.PathLike) -> dict[str, Any]:
    """One flat row for one report (a path or its text); boilerplate needs a batch, so it is None.

    >>> summarize_report(model, "data/reports/2022-yongle-town.txt")["year"]   # doctest: +SKIP
    2022
    """
    return report_row(analyse_report(model, source), model)
