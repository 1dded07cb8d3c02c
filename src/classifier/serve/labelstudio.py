"""Pre-annotations for Label Studio: its labelling config read, its tasks labelled by the model.

Label Studio's ML-backend protocol sends ``{"tasks": [{"id": 1, "data": {"text": …}}],
"label_config": "<View>…"}`` to ``/predict`` and expects one prediction per task, each a
``choices`` result for the config's ``<Choices>`` over its ``<Text>``, with a score and the
model version. Our own config is the package resource ``corpus/labelstudio.xml``.

    >>> target = choices_target(labelling_config())
    >>> target.from_name, target.to_name, target.data_key, target.choices[:2]
    ('label', 'text', 'text', ('publicity', 'enforcement'))
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any, Sequence

from ..config import DEFAULTS, PACKAGE_DIR
from ..errors import LimitError, UsageError
from ..run.predict import Model
from ..units.segments import segment
from .service import model_version

CONFIG_PATH = PACKAGE_DIR / "corpus" / "labelstudio.xml"
_OBJECT_TAGS = {"Text", "HyperText", "Paragraphs"}


@dataclass(frozen=True)
class ChoicesTarget:
    """Where a prediction goes in a labelling config: the control, the object, the data key, the choices."""

    from_name: str
    to_name: str
    data_key: str
    choices: tuple[str, ...]


def labelling_config() -> str:
    """Our Label Studio labelling config: a single choice over the six labels for a unit's text."""
    return CONFIG_PATH.read_text(encoding="utf-8")


def choices_target(config: str | None) -> ChoicesTarget:
    """The first ``<Choices>`` of a labelling config and the ``<Text>`` it labels (ours when None)."""
    try:
        root = ET.fromstring(config or labelling_config())
    except ET.ParseError as error:
        raise UsageError("label_config", f"not valid XML: {error}") from None
    objects = {e.get("name"): e for e in root.iter() if e.tag in _OBJECT_TAGS}
    for control in root.iter("Choices"):
        target = objects.get(control.get("toName", ""))
        if target is not None and (target.get("value") or "").startswith("$"):
            choices = tuple(c.get("value") or c.get("alias") or "" for c in control.iter("Choice"))
            return ChoicesTarget(control.get("name", ""), control.get("toName", ""), target.get("value", "")[1:],
                                 tuple(c for c in choices if c))
    raise UsageError("label_config", "no <Choices> over a <Text> with value=\"$field\"; expected a config like "
                     "classifier's corpus/labelstudio.xml")


def check_config(model: Model, config: str | None) -> ChoicesTarget:
    """The config's target, after checking that its choices share labels with the model."""
    target = choices_target(config)
    if not set(target.choices) & set(model.labels):
        raise UsageError("label_config", f"none of its choices ({', '.join(target.choices) or 'none'}) is a label "
                         f"of this model ({', '.join(model.labels)})")
    return target


def predict_tasks(model: Model, tasks: Sequence[dict[str, Any]], config: str | None,
                  limit: int = DEFAULTS.max_texts) -> dict[str, Any]:
    """One prediction per task, in Label Studio's format: ``{"results": [...], "model_version": …}``."""
    if len(tasks) > limit:
        raise LimitError("tasks", f"{len(tasks):,} tasks; the limit is {limit:,} a request")
    target = check_config(model, config)
    version = model_version(model)
    results = []
    for k, task in enumerate(tasks):
        data = task.get("data") if isinstance(task, dict) else None
        text = data.get(target.data_key) if isinstance(data, dict) else None
        if not isinstance(text, str) or not text.strip():
            raise UsageError(f"tasks[{k}]", f"no text in data.{target.data_key}")
        scores = unit_scores(model, text, str(data.get("heading") or ""))
        allowed = {label: p for label, p in scores.items() if label in target.choices}
        label = max(allowed, key=allowed.get)
        results.append({"result": [{"from_name": target.from_name, "to_name": target.to_name, "type": "choices",
                                    "value": {"choices": [label]}}],
                        "score": allowed[label], "model_version": version})
    return {"results": results, "model_version": version}


def unit_scores(model: Model, text: str, heading: str = "") -> dict[str, float]:
    """Each label's probability for one unit; read under its heading when the task gives one
    (the section tells a measure from a plan), else as a bare sentence."""
    if heading.strip():
        units = segment(f"{heading.strip()}\n{text.strip()}")
        if len(units) == 2 and units[0].is_heading and units[1].text == text.strip():
            return model.classify_units(units)[1].scores
    return model.predict_proba(text)
