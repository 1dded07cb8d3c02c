"""Saving and loading a model directory: plain arrays and JSON, never code.

A model directory holds ``model.npz`` (numeric arrays: IDF weights, SVM weights,
calibration), ``model.json`` (the vocabularies, the configuration and the labels) and
``metadata.json`` (the model card, with the SHA-256 of both). Loading checks the hashes,
reads the arrays with ``allow_pickle=False`` and rebuilds the Pipeline from this
package's own classes, so nothing in the files can run.

    >>> save_model(pipeline, card, "models/mine")      # doctest: +SKIP
    >>> pipeline, card = load_pipeline("models/mine")  # doctest: +SKIP
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import shutil
import warnings
import zipfile
from pathlib import Path
from typing import Any, Callable

import numpy as np

from ..config import Config
from ..errors import ModelError
from .directory import MAX_BYTES, check_destination, locked, new_staging, read_files, remove_stale_staging, swap_in

ARRAYS = "model.npz"
STATE = "model.json"
CARD = "metadata.json"
FORMAT = "classifier-model/1"
MEMBERS = (ARRAYS, STATE, CARD)
MEMBERS_NPZ = ("words_idf", "chars_idf", "coef", "intercept", "calibration")


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _steps(pipeline: Any) -> tuple[Any, Any, Any, Any]:
    blocks = dict(pipeline.named_steps["features"].transformer_list)
    return blocks["words"].steps[-1][1], blocks["chars"].steps[-1][1], blocks["context"], pipeline.named_steps["classifier"]


def _terms(vocabulary: dict) -> list:
    terms = [None] * len(vocabulary)
    for term, index in vocabulary.items():
        terms[index] = term
    return terms


def export_state(pipeline: Any, config: Config) -> tuple[dict[str, np.ndarray], dict]:
    """The fitted pipeline as arrays and JSON-able state."""
    words, chars, context, clf = _steps(pipeline)
    arrays = {"words_idf": words.idf_, "chars_idf": chars.idf_, "coef": clf.coef_,
              "intercept": clf.intercept_, "calibration": clf.calibration_}
    state = {"format": FORMAT, "config": jsonable(dataclasses.asdict(config)), "C": clf.C,
             "classes": [str(c) for c in clf.classes_],
             "vocabularies": {"words": _terms(words.vocabulary_), "chars": _terms(chars.vocabulary_),
                              "context": list(context.vectorizer_.feature_names_)}}
    return arrays, state


def save_model(pipeline: Any, card: dict, directory: str | os.PathLike, config: Config | None = None) -> Path:
    """Write the model directory atomically: a complete new one, or the old one untouched.

    ``directory`` must be new, empty or a model directory (see ``check_destination``)."""
    from ..config import DEFAULTS

    target = Path(directory)
    check_destination(target, MEMBERS)
    target.parent.mkdir(parents=True, exist_ok=True)
    with locked(target):
        check_destination(target, MEMBERS)  # again: another save may have finished meanwhile
        remove_stale_staging(target)
        staging = new_staging(target)
        try:
            arrays, state = export_state(pipeline, config or DEFAULTS)
            np.savez_compressed(staging / ARRAYS, **{k: np.asarray(v) for k, v in arrays.items()})
            (staging / STATE).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
            card = {**card, "format": FORMAT,
                    "artifacts": {name: sha256(staging / name) for name in (ARRAYS, STATE)}}
            (staging / CARD).write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            swap_in(staging, target)
        except BaseException as exc:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, OSError):
                raise ModelError(target, f"cannot write the model ({exc.strerror or exc}); the old one, "
                                         "if any, is as it was") from None
            raise
    return target


def _parse_card(path: Path, data: bytes) -> dict:
    try:
        card = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError(path / CARD, f"not valid JSON ({exc})") from None
    if not isinstance(card, dict) or card.get("format") != FORMAT:
        found = card.get("format") if isinstance(card, dict) else None
        raise ModelError(path / CARD, f"not a classifier model card (format {found!r}, expected {FORMAT!r})")
    return card


def read_card(directory: str | os.PathLike) -> dict:
    """The model card of a model directory, checked for shape."""
    path = Path(directory)
    return _parse_card(path, _read(path, (CARD,))[CARD])


def _read(path: Path, names: tuple[str, ...], check=None):
    try:
        return read_files(path, names, check)
    except ModelError as exc:
        if exc.where == str(path / CARD) and exc.problem == "model file is missing":
            raise ModelError(path, f"not a model directory: {CARD} is missing") from None
        raise


def _verify(path: Path, files: dict[str, bytes]) -> dict:
    """Check the card's shape and each artifact against the card's SHA-256; returns the card."""
    card = _parse_card(path, files[CARD])
    for name in (ARRAYS, STATE):
        if hashlib.sha256(files[name]).hexdigest() != card.get("artifacts", {}).get(name):
            raise ModelError(path / name, "SHA-256 does not match metadata.json; the file was changed or corrupted — retrain or restore it")
    return card


def load_state(directory: str | os.PathLike) -> tuple[dict[str, np.ndarray], dict, dict]:
    """Read and verify a model directory without building anything; returns (arrays, state, card)."""
    path = Path(directory)
    read_card(path)  # a card that is missing or not a card is named before the other files
    files, card = _read(path, (CARD, ARRAYS, STATE), lambda f: (f, _verify(path, f)))
    arrays = _arrays(path / ARRAYS, files[ARRAYS])
    try:
        state = json.loads(files[STATE].decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError(path / STATE, f"not valid JSON ({exc})") from None
    classes = state.get("classes") if isinstance(state, dict) else None
    if not isinstance(classes, list) or len(set(map(str, classes))) != len(classes):
        repeated = sorted({str(c) for c in classes if classes.count(c) > 1}) if isinstance(classes, list) else []
        raise ModelError(path / STATE, f"the classes repeat ({', '.join(repeated)})" if repeated
                         else "no list of classes")
    _warn_versions(card)
    return arrays, state, card


def _arrays(file: Path, data: bytes) -> dict[str, np.ndarray]:
    """The arrays of ``model.npz``: exactly the expected ones, each of a bounded size, all finite numbers."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sizes = {info.filename.removesuffix(".npy"): info.file_size for info in archive.infolist()}
        if set(sizes) != set(MEMBERS_NPZ):
            raise ModelError(file, f"holds the arrays {', '.join(sorted(sizes))}; expected {', '.join(MEMBERS_NPZ)}")
        big = [name for name, size in sizes.items() if size > MAX_BYTES]
        if big:
            raise ModelError(file, f"the array {big[0]} is {sizes[big[0]]} bytes, more than {MAX_BYTES >> 20} MB; "
                                   "refusing to load it")
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except ModelError:
        raise
    except ValueError as exc:
        raise ModelError(file, f"refusing to load: not plain numeric arrays ({exc})") from None
    except Exception as exc:
        raise ModelError(file, f"not a readable model file: not a NumPy .npz archive ({type(exc).__name__}: {exc})") from None
    for name, array in arrays.items():
        if array.dtype.kind not in "fiu":
            raise ModelError(file, f"the array {name} holds {array.dtype}, not numbers")
        if not np.isfinite(array).all():
            raise ModelError(file, f"the array {name} holds non-finite numbers (NaN or infinity); retrain the model")
    return arrays


def assemble(directory: str | os.PathLike, build: Callable[[dict, dict], Any], arrays: dict, state: dict) -> Any:
    """``build(arrays, state)``, with a ModelError when the stored pieces do not fit together."""
    try:
        return build(arrays, state)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise ModelError(directory, f"the model files do not fit together ({type(exc).__name__}: {exc})") from None


def load_pipeline(directory: str | os.PathLike) -> tuple[Any, dict]:
    """Load and verify a model directory; returns (pipeline, card)."""
    arrays, state, card = load_state(directory)
    return assemble(directory, rebuild_pipeline, arrays, state), card


def rebuild_pipeline(arrays: dict[str, np.ndarray], state: dict) -> Any:
    """A fitted Pipeline made from this package's classes and the stored numbers."""
    from .pipeline import build_pipeline

    if state.get("format") != FORMAT:
        raise ValueError(f"format {state.get('format')!r}")
    config = stored_config(state)
    pipeline = build_pipeline(config, float(state["C"]))
    words, chars, context, clf = _steps(pipeline)
    vocab = state["vocabularies"]
    for step, terms, idf in ((words, vocab["words"], arrays["words_idf"]), (chars, vocab["chars"], arrays["chars_idf"])):
        step.vocabulary_ = {str(t): i for i, t in enumerate(terms)}
        step.idf_ = np.asarray(idf, dtype=float)
    context.fit([])
    context.vectorizer_.feature_names_ = [str(n) for n in vocab["context"]]
    context.vectorizer_.vocabulary_ = {n: i for i, n in enumerate(context.vectorizer_.feature_names_)}
    context.vocabulary_ = context.vectorizer_.vocabulary_
    clf.classes_ = np.asarray(state["classes"], dtype=object)
    clf.coef_, clf.intercept_ = arrays["coef"].astype(float), arrays["intercept"].astype(float)
    clf.calibration_ = arrays["calibration"].astype(float)
    n_features = len(vocab["words"]) + len(vocab["chars"]) + len(vocab["context"])
    if clf.coef_.shape[1] != n_features:
        raise ValueError(f"{clf.coef_.shape[1]} weights for {n_features} features")
    return pipeline


def stored_config(state: dict) -> Config:
    """The configuration a model was trained with, as saved in its state (defaults for missing values)."""
    values = state["config"]
    names = {f.name: f for f in dataclasses.fields(Config)}
    kept = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items() if k in names}
    kept.pop("data_dir", None)
    return Config(**kept)


def jsonable(value):
    """Plain JSON types for a value made of dicts, sequences and scalars (others as strings)."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value if isinstance(value, (int, float, str, bool)) or value is None else str(value)


def _warn_versions(card: dict) -> None:
    from .metadata import library_versions

    saved = card.get("versions", {})
    for name, now in library_versions().items():
        then = saved.get(name)
        if then and then != now and name in ("scikit-learn", "numpy", "jieba"):
            warnings.warn(f"model was trained with {name} {then}; this is {name} {now}; predictions may differ",
                          UserWarning, stacklevel=4)
