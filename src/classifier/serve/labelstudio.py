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

from ..config import DEFAULTS
from ..errors import LimitError, UsageError
from ..run.predict import Model, model_version
from ..run.suggest_output import labelling_config
from ..units.segments import Unit, segment

_OBJECT_TAGS = {"Text", "HyperText", "Paragraphs"}


@dataclass(frozen=True)
class ChoicesTarget:
    """Where a prediction goes in a labelling config: the control, the object, the data key, the choices."""

    from_name: str
    to_name: str
    data_key: str
    choices: tuple[str, ...]


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
    found = [_task_text(k, task, target.data_key) for k, task in enumerate(tasks)]
    results = []
    for scores in units_scores(model, found):
        allowed = {label: p for label, p in scores.items() if label in target.choices}
        label = max(allowed, key=allowed.get)
        results.append({"result": [{"from_name": target.from_name, "to_name": target.to_name, "type": "choices",
                                    "value": {"choices": [label]}}],
                        "score": allowed[label], "model_version": version})
    return {"results": results, "model_version": version}


def _task_text(k: int, task: Any, data_key: str) -> tuple[str, str]:
    """The text and heading of the ``k``-th task; a UsageError when it has no text."""
    data = task.get("data") if isinstance(task, dict) else None
    text = data.get(data_key) if isinstance(data, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise UsageError(f"tasks[{k}]", f"no text in data.{data_key}")
    return text, str(data.get("heading") or "")


def unit_scores(model: Model, text: str, heading: str = "") -> dict[str, float]:
    """Each label's probability for one unit; read under its heading when the task gives one
    (the section tells a measure from a plan), else as a bare sentence."""
    return units_scores(model, [(text, heading)])[0]


def units_scores(model: Model, units: Sequence[tuple[str, str]]) -> list[dict[str, float]]:
    """``unit_scores`` of several ``(text, heading)`` units, in order, scored together: those read under
    their heading in one pass, the bare sentences in another."""
    sectioned = {k: section for k, (text, heading) in enumerate(units)
                 if (section := _in_section(text, heading)) is not None}
    bare = [k for k in range(len(units)) if k not in sectioned]
    scores = {k: found[1].scores for k, found in zip(sectioned, model.classify_many(list(sectioned.values())))}
    scores.update(zip(bare, model.predict_proba([units[k][0] for k in bare])))
    return [scores[k] for k in range(len(units))]


def _in_section(text: str, heading: str) -> list[Unit] | None:
    """The heading and the unit as a report's two units, or None without a heading (or when they do not
    segment as those two)."""
    if heading.strip():
        units = segment(f"{heading.strip()}\n{text.strip()}")
        if len(units) == 2 and units[0].is_heading and units[1].text == text.strip():
            return units
    return None
