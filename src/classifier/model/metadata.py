"""The model card: what a model was trained on, how, and how good it is.

    >>> sorted(library_versions())[:2]
    ['classifier', 'jieba']
"""
from __future__ import annotations

import hashlib
import json
import platform
from datetime import datetime, timezone
from importlib import metadata as importlib_metadata

_LIBRARIES = ("classifier", "jieba", "numpy", "scikit-learn", "scipy")


def library_versions() -> dict[str, str]:
    """Installed versions of the libraries a model depends on."""
    out = {"python": platform.python_version()}
    for name in _LIBRARIES:
        try:
            out[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            out[name] = "unknown"
    return out


def data_hash(data) -> str:
    """SHA-256 over the training units (report, text, label) in order."""
    digest = hashlib.sha256()
    for group, record, label in zip(data.groups, data.records, data.labels):
        digest.update(json.dumps([group, record["text"], label], ensure_ascii=False).encode())
    return digest.hexdigest()


def model_card(*, data, config: dict, training: dict, metrics: dict, source: str) -> dict:
    """The card written beside the model as metadata.json."""
    return {
        "labels": sorted(set(data.labels)),
        "training_data": {"source": source, "sha256": data_hash(data), "reports": len(set(data.groups)),
                          "units": len(data.labels)},
        "config": config,
        "training": training,
        "metrics": metrics,
        "versions": library_versions(),
        "created": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
    }


def card_markdown(card: dict) -> str:
    """The model card's cross-validated figures as a Markdown table (for the README)."""
    metrics = card.get("metrics", {})
    labels = metrics.get("cv.labels") or card.get("labels", [])
    data = card.get("training_data", {})
    trained = (f"Trained on {data.get('units', '?')} units of {data.get('reports', '?')} reports "
               f"(C = {card.get('training', {}).get('C')})")
    if "cv.macro_f1" not in metrics:
        return (trained + "; no cross-validated figures: C was fixed (--C), so no cross-validation was run. "
                "Measure the model with `classifier evaluate`.\n\nLabels: " + ", ".join(map(str, labels)) + ".")
    lines = [
        trained + "; figures are out-of-fold, from "
        f"{card.get('config', {}).get('folds', '?')}-fold cross-validation grouped by report.",
        "",
        "| label | precision | recall | F1 | units |",
        "|---|---|---|---|---|",
    ]
    for label in labels:
        lines.append(f"| {label} | {metrics.get(f'cv.precision.{label}', 0):.3f} | {metrics.get(f'cv.recall.{label}', 0):.3f} "
                     f"| {metrics.get(f'cv.f1.{label}', 0):.3f} | {metrics.get(f'cv.support.{label}', 0)} |")
    lines += ["", f"Macro-F1 {metrics.get('cv.macro_f1', 0):.3f}, accuracy {metrics.get('cv.accuracy', 0):.3f}, "
                  f"Brier score {metrics.get('cv.brier', 0):.3f}."]
    return "\n".join(lines)
