"""One report as a self-contained HTML page: highlighted units, label shares, checklist, review list.

The page has no scripts, fonts, images or styles from anywhere else (a Content-Security-
Policy forbids them too), so it opens offline and prints as it shows.

    >>> page = report_html(None, "data/reports/2022-yongle-town.txt")   # doctest: +SKIP
    >>> page.startswith("<!DOCTYPE html>")                              # doctest: +SKIP
    True
"""
from __future__ import annotations

import os
from html import escape
from pathlib import Path
from typing import Any, Sequence

from ..config import DEFAULTS
from ..run.predict import Prediction
from .html_style import CSS, LABEL_NAMES, PART_NAMES, colour
from .summary import LABELS, PARTS, ReportAnalysis, analyse_report, report_row

_CHART_WIDTH, _LABEL_WIDTH, _ROW = 560, 170, 30


def report_html(model, source: str | os.PathLike) -> str:
    """The HTML page of one report (a path or its text); ``model`` is a Model, a model directory or None
    (the bundled model)."""
    from ..run.predict import Model, load_model

    model = model if isinstance(model, Model) else load_model(model)
    analysis = analyse_report(model, source)
    return render_page(analysis, report_row(analysis, model))


def render_page(analysis: ReportAnalysis, row: dict[str, Any]) -> str:
    """The page for an analysed report and its summary row (see summary.report_row)."""
    meta = analysis.meta
    title = " ".join(str(x) for x in (meta.body, meta.year and f"{meta.year}年度") if x) or Path(analysis.file).name
    facts = [("file", Path(analysis.file).name or "(text)"), ("body", meta.body), ("level", meta.level),
             ("year", meta.year), ("region", meta.region), ("units", row["units"]), ("characters", row["chars"])]
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)} · label summary</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        f"<header><h1>{escape(title)}</h1><p class=\"facts\">"
        + " · ".join(f"<span>{escape(k)}: <b>{escape(str(v))}</b></span>" for k, v in facts if v not in ("", None))
        + "</p></header>",
        '<section class="overview">', _chart_section(row), _checklist_section(row), "</section>",
        _review_section(analysis.predictions), _text_section(analysis.predictions, analysis.text),
        "<footer>Labels by the classifier; corrected shares use the model card's cross-validated confusion "
        f"matrix with a {DEFAULTS.interval_level:.0%} bootstrap interval. Hover over a unit for its label and "
        "confidence.</footer>",
        "</body>", "</html>", ""])


def _labels(row: dict) -> list[str]:
    return [label for label in LABELS if f"{label}_unit_share" in row] + sorted(
        k[: -len("_unit_share")] for k in row if k.endswith("_unit_share") and k[: -len("_unit_share")] not in LABELS)


def _chart_section(row: dict) -> str:
    return ('<div class="panel"><h2>Label shares</h2>' + share_chart(row) + '<p class="note">'
            '<span class="key bar"></span> share of units <span class="key thin"></span> share of characters '
            '<span class="key ci"></span> corrected share of units, with its interval</p></div>')


def share_chart(row: dict) -> str:
    """An inline SVG bar chart of each label's unit and character shares and its corrected share."""
    labels = _labels(row)
    highs = [row.get(f"{x}_adjusted_high") or 0 for x in labels] + [row[f"{x}_unit_share"] for x in labels]
    peak = max(highs + [0])
    step = 0.05 if peak < 0.3 else 0.1 if peak < 0.6 else 0.25
    top = min(1.0, step * (int(peak / step) + 1))
    span = _CHART_WIDTH - _LABEL_WIDTH - 50
    x = lambda v: _LABEL_WIDTH + span * min(v, top) / top  # noqa: E731
    height = _ROW * len(labels) + 24
    parts = [f'<svg class="chart" role="img" aria-label="label shares" viewBox="0 0 {_CHART_WIDTH} {height}" '
             f'width="{_CHART_WIDTH}" height="{height}">']
    for k in range(round(top / step) + 1):
        gx = x(step * k)
        parts.append(f'<line x1="{gx:.1f}" y1="0" x2="{gx:.1f}" y2="{height - 18}" class="grid"/>'
                     f'<text x="{gx:.1f}" y="{height - 4}" class="tick">{step * k:.0%}</text>')
    for i, label in enumerate(labels):
        y = i * _ROW + 4
        unit, char = row[f"{label}_unit_share"], row[f"{label}_char_share"]
        fill, edge = colour(label)
        parts.append(f'<text x="{_LABEL_WIDTH - 8}" y="{y + 15}" class="name">{escape(label)}</text>'
                     f'<rect x="{_LABEL_WIDTH}" y="{y + 2}" width="{x(unit) - _LABEL_WIDTH:.1f}" height="14" '
                     f'fill="{fill}" stroke="{edge}"><title>{escape(label)}: {unit:.1%} of units</title></rect>'
                     f'<rect x="{_LABEL_WIDTH}" y="{y + 18}" width="{x(char) - _LABEL_WIDTH:.1f}" height="5" '
                     f'fill="{edge}"><title>{escape(label)}: {char:.1%} of characters</title></rect>')
        parts.append(_whisker(row, label, x, y) + f'<text x="{x(max(unit, row.get(f"{label}_adjusted_high") or 0)) + 6:.1f}" '
                     f'y="{y + 15}" class="value">{unit:.0%}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _whisker(row: dict, label: str, x, y: int) -> str:
    share, low, high = (row.get(f"{label}_adjusted{s}") for s in ("", "_low", "_high"))
    if share is None:
        return ""
    tip = f"{label}: corrected {share:.1%} ({low:.1%}–{high:.1%})"
    return (f'<g class="ci"><title>{escape(tip)}</title><line x1="{x(low):.1f}" y1="{y + 9}" x2="{x(high):.1f}" y2="{y + 9}"/>'
            f'<line x1="{x(low):.1f}" y1="{y + 4}" x2="{x(low):.1f}" y2="{y + 14}"/>'
            f'<line x1="{x(high):.1f}" y1="{y + 4}" x2="{x(high):.1f}" y2="{y + 14}"/>'
            f'<circle cx="{x(share):.1f}" cy="{y + 9}" r="3.5"/></g>')


def _checklist_section(row: dict) -> str:
    items = []
    for part in PARTS:
        present = row[f"{part}_present"]
        heading = row[f"{part}_heading"]
        where = f" — under 「{escape(heading)}」" if heading else " — no heading names it"
        items.append(f'<li class="{"ok" if present else "missing"}"><span class="mark">{"✓" if present else "✗"}</span> '
                     f'<b>{escape(PART_NAMES[part])}</b>: {"present" if present else "missing"}, '
                     f'{row[f"{part}_units"]} units{where}</li>')
    signs = row.get("signs") or ""
    sign_items = "".join(f'<li class="sign">{escape(s)}</li>' for s in signs.split("; ") if s) or "<li>none</li>"
    return ('<div class="panel"><h2>Required parts</h2><ul class="checklist">' + "".join(items) + "</ul>"
            f'<h3>Signs of a thin report</h3><ul class="signs">{sign_items}</ul>'
            f'<p class="note">{row.get("vague_shortcomings", 0)} shortcoming units without a figure, named body '
            f'or case; {row.get("copied_plans", 0)} plan units restating a shortcoming.</p></div>')


def _review_section(predictions: Sequence[Prediction]) -> str:
    threshold = DEFAULTS.low_confidence
    low = sorted((p for p in predictions if p.confidence < threshold), key=lambda p: (p.confidence, p.index))
    items = []
    for p in low:
        ranked = sorted(p.scores.items(), key=lambda kv: -kv[1])
        runner = f", then {escape(ranked[1][0])} {ranked[1][1]:.2f}" if len(ranked) > 1 else ""
        items.append(f'<li><a href="#u{p.index}">{escape(_clip(p.text))}</a> <span class="tag l-{_css(p.label)}">'
                     f'{escape(p.label)} {p.confidence:.2f}</span><span class="runner">{runner}</span></li>')
    body = f'<ol class="review">{"".join(items)}</ol>' if items else f"<p>No unit below {threshold:.2f}.</p>"
    return (f'<section class="panel"><h2>Review first: {len(low)} units with confidence below {threshold:.2f}</h2>'
            f"{body}</section>")


def _text_section(predictions: Sequence[Prediction], text: str) -> str:
    legend = "".join(f'<span class="tag l-{_css(label)}">{escape(label)} {escape(LABEL_NAMES.get(label, ""))}</span>'
                     for label in dict.fromkeys(list(LABELS) + [p.label for p in predictions]))
    return (f'<section class="panel text"><h2>Report text</h2><p class="legend">{legend} '
            f'<span class="tag low">dashed: confidence below {DEFAULTS.low_confidence:.2f}</span></p>'
            f"<article>{render_units(predictions, text)}</article></section>")


def render_units(predictions: Sequence[Prediction], text: str = "") -> str:
    """Every unit as a highlighted element: headings as blocks, sentences in paragraphs as the
    report's line breaks (in ``text``) have them.

    >>> from classifier.run.predict import Prediction as P
    >>> render_units([P("执法<严格>。", 0, 7, 0, "", "enforcement", 0.9)])
    '<p><span class="u l-enforcement" id="u0" data-label="enforcement" title="enforcement · confidence 0.90">执法&lt;严格&gt;。</span></p>'
    """
    out: list[str] = []
    paragraph: list[str] = []
    previous_end = 0
    for p in predictions:
        if paragraph and (p.is_heading or "\n" in text[previous_end:p.start]):
            out.append(f"<p>{''.join(paragraph)}</p>")
            paragraph = []
        if p.is_heading:
            out.append(_unit(p, "h3"))
        else:
            paragraph.append(_unit(p, "span"))
        previous_end = p.end
    if paragraph:
        out.append(f"<p>{''.join(paragraph)}</p>")
    return "\n".join(out)


def _unit(p: Prediction, tag: str) -> str:
    low = " low" if p.confidence < DEFAULTS.low_confidence else ""
    tip = f"{p.label} · confidence {p.confidence:.2f}"
    return (f'<{tag} class="u l-{_css(p.label)}{low}" id="u{p.index}" data-label="{escape(p.label)}" '
            f'title="{escape(tip)}">{escape(p.text)}</{tag}>')


def _css(label: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in label)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
