"""Saving and loading a model directory safely.

A model directory holds ``model.skops`` (the fitted Pipeline, in skops' format, which
restores only types it is told to trust) and ``metadata.json`` (the model card, with the
artifact's SHA-256). Loading checks the hash, refuses any type outside ``TRUSTED``, and
never unpickles.

    >>> save_model(pipeline, card, "models/mine")   # doctest: +SKIP
    >>> pipeline, card = load_pipeline("models/mine")  # doctest: +SKIP
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

from .errors import ModelError

ARTIFACT = "model.skops"
CARD = "metadata.json"
FORMAT = "classifier-model/1"

# Types a model may contain beyond those skops trusts by default.
TRUSTED = [
    "classifier.features.ContextFeatures",
    "classifier.features.TextField",
    "classifier.features.prepare_text",
    "classifier.tokens.tokenize",
    "collections.defaultdict",
    "builtins.int",
    "builtins.float",
    "builtins.str",
    "numpy.dtype",
    "numpy.float64",
    "numpy.int64",
    "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.pipeline.Pipeline",
]


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_model(pipeline: Any, card: dict, directory: str | os.PathLike) -> Path:
    """Write the model directory atomically: a complete new one, or the old one untouched."""
    import skops.io as sio

    target = Path(directory)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        sio.dump(pipeline, staging / ARTIFACT)
        card = {**card, "format": FORMAT, "artifact": ARTIFACT, "artifact_sha256": sha256(staging / ARTIFACT)}
        (staging / CARD).write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _swap_in(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging`` with renames only."""
    if not target.exists():
        os.replace(staging, target)
        return
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    os.replace(target, old)
    try:
        os.replace(staging, target)
    except BaseException:
        os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def read_card(directory: str | os.PathLike) -> dict:
    """The model card of a model directory, checked for shape."""
    path = Path(directory)
    if not path.is_dir():
        raise ModelError(path, "no such model directory; train one with `classifier train --output DIR`")
    try:
        card = json.loads((path / CARD).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(path, f"not a model directory: {CARD} is missing") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError(path / CARD, f"not valid JSON ({exc})") from None
    if not isinstance(card, dict) or card.get("format") != FORMAT:
        raise ModelError(path / CARD, f"not a classifier model card (format {card.get('format') if isinstance(card, dict) else None!r}, expected {FORMAT!r})")
    return card


def load_pipeline(directory: str | os.PathLike) -> tuple[Any, dict]:
    """Load and verify a model directory; returns (pipeline, card)."""
    import skops.io as sio

    path = Path(directory)
    card = read_card(path)
    artifact = path / card.get("artifact", ARTIFACT)
    if not artifact.is_file():
        raise ModelError(artifact, "model file is missing")
    if sha256(artifact) != card.get("artifact_sha256"):
        raise ModelError(artifact, "SHA-256 does not match metadata.json; the file was changed or corrupted — retrain or restore it")
    try:
        untrusted = sio.get_untrusted_types(file=artifact)
    except Exception as exc:  # skops raises many kinds on a foreign file
        raise ModelError(artifact, f"not a readable skops model ({type(exc).__name__}: {exc})") from None
    refused = sorted(set(untrusted) - set(TRUSTED))
    if refused:
        raise ModelError(artifact, f"refusing to load: the file contains types that are not trusted: {', '.join(refused)}")
    _warn_versions(card)
    try:
        pipeline = sio.load(artifact, trusted=[t for t in untrusted])
    except Exception as exc:
        raise ModelError(artifact, f"cannot load the model ({type(exc).__name__}: {exc})") from None
    return pipeline, card


def _warn_versions(card: dict) -> None:
    from .metadata import library_versions

    saved = card.get("versions", {})
    for name, now in library_versions().items():
        then = saved.get(name)
        if then and then != now and name in ("scikit-learn", "numpy", "jieba", "skops"):
            warnings.warn(f"model was trained with {name} {then}; this is {name} {now}; predictions may differ",
                          UserWarning, stacklevel=3)
