"""Colours, names and the stylesheet of the HTML report page (inline; no web fonts).

    >>> colour("plan")
    ('#ddd6fe', '#6d28d9')
"""
from __future__ import annotations

# label → (highlight fill, strong edge); readable on screen and in greyscale print
PALETTE = {
    "publicity": ("#fde68a", "#b45309"),
    "enforcement": ("#bfdbfe", "#1d4ed8"),
    "business_environment": ("#bbf7d0", "#15803d"),
    "shortcoming": ("#fecaca", "#b91c1c"),
    "plan": ("#ddd6fe", "#6d28d9"),
    "other": ("#e5e7eb", "#4b5563"),
}
_FALLBACK = ("#f5f5f4", "#57534e")
LABEL_NAMES = {"publicity": "法治宣传教育", "enforcement": "行政执法", "business_environment": "营商环境",
               "shortcoming": "存在的不足", "plan": "下一步计划", "other": "其他"}
PART_NAMES = {"measures": "Measures and results 工作举措和成效",
              "duty": "First responsible person's duty 第一责任人职责",
              "shortcomings": "Shortcomings and causes 存在的不足和原因",
              "plans": "Next year's plans 下一年度工作计划"}


def colour(label: str) -> tuple[str, str]:
    """(fill, edge) colours of a label; a neutral pair for a label outside the palette."""
    return PALETTE.get(label, _FALLBACK)


_LABEL_RULES = "\n".join(
    f".l-{label} {{ background: {fill}; box-shadow: inset 0 -2px 0 {edge}; }}"
    for label, (fill, edge) in PALETTE.items())

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 20px 28px 40px; color: #1f2937; background: #fff;
  font: 15px/1.75 "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Zen Hei",
  system-ui, sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 10px; }
h3 { font-size: 14px; margin: 14px 0 6px; }
header { border-bottom: 2px solid #e5e7eb; margin-bottom: 16px; padding-bottom: 8px; }
.facts { color: #4b5563; font-size: 13px; margin: 0; }
.facts span { margin-right: 4px; }
.overview { display: flex; flex-wrap: wrap; gap: 16px; }
.overview > .panel { flex: 1 1 460px; }
.panel { border: 1px solid #e5e7eb; border-radius: 8px; padding: 14px 16px; margin-bottom: 16px; }
.note { color: #6b7280; font-size: 12px; margin: 6px 0 0; }
.chart { max-width: 100%; height: auto; }
.chart .grid { stroke: #e5e7eb; }
.chart .tick { font-size: 10px; fill: #6b7280; text-anchor: middle; }
.chart .name { font-size: 12px; fill: #374151; text-anchor: end; }
.chart .value { font-size: 11px; fill: #374151; }
.chart .ci line { stroke: #111827; stroke-width: 1.5; }
.chart .ci circle { fill: #111827; }
.key { display: inline-block; width: 18px; vertical-align: middle; margin: 0 3px 0 10px; }
.key.bar { height: 10px; background: #9ca3af; }
.key.thin { height: 4px; background: #374151; }
.key.ci { height: 8px; border-left: 2px solid #111827; border-right: 2px solid #111827;
  background: linear-gradient(#0000 3px, #111827 3px, #111827 5px, #0000 5px); }
.checklist, .signs { margin: 0; padding-left: 0; list-style: none; }
.checklist li { margin: 4px 0; }
.mark { display: inline-block; width: 1.4em; font-weight: bold; }
.ok .mark { color: #15803d; }
.missing { color: #b91c1c; }
.signs li.sign::before { content: "⚠ "; color: #b45309; }
.review { margin: 0; padding-left: 1.6em; font-size: 14px; }
.review a { color: #1f2937; }
.runner { color: #6b7280; font-size: 12px; }
.tag { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px; margin: 2px 4px 2px 0; }
.legend { margin: 0 0 12px; }
article p { margin: 0 0 10px; }
article h3 { font-size: 15px; display: block; width: fit-content; padding: 0 4px; }
.u { border-radius: 3px; padding: 1px 1px; -webkit-box-decoration-break: clone; box-decoration-break: clone; }
.u:hover, .u:target { outline: 2px solid #111827; }
.low { outline: 1.5px dashed #111827; outline-offset: 1px; }
.tag.low { background: #fff; }
footer { color: #6b7280; font-size: 12px; border-top: 1px solid #e5e7eb; padding-top: 8px; }
""" + _LABEL_RULES + """
.u, .tag, .chart { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@media print {
  @page { margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .panel { border: none; padding: 0; margin-bottom: 10pt; }
  .overview, .overview > .panel, .review li, article h3 { break-inside: avoid; }
  article h3 { break-after: avoid; }
  .review a { text-decoration: none; }
  .u:hover { outline: none; }
}
"""
