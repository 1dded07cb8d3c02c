"""Model directories: written atomically, verified on load, never running code from the file."""
from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest
from modelfiles import rehash

from classifier.errors import ModelError
from classifier.model.persistence import ARRAYS, CARD, STATE, load_pipeline, save_model, sha256
from classifier.run.predict import load_model


def test_round_trip_gives_the_same_predictions(trained_model_dir, corpus_dir):
    model = load_model(trained_model_dir)
    again = load_model(trained_model_dir)
    texts = ["下一步，将深入开展民法典宣传。", "开展农资市场专项整治。"]
    assert model.predict(texts) == again.predict(texts)
    card = json.loads((trained_model_dir / CARD).read_text(encoding="utf-8"))
    assert card["artifacts"] == {name: sha256(trained_model_dir / name) for name in (ARRAYS, STATE)}
    assert {"labels", "training_data", "config", "versions", "metrics", "created"} <= set(card)
    assert card["metrics"]["cv.macro_f1"] >= 0


def _copy(src: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "copy"
    shutil.copytree(src, dst)
    return dst


def test_changed_artifact_fails_the_hash_check(trained_model_dir, tmp_path):
    copy = _copy(trained_model_dir, tmp_path)
    with open(copy / STATE, "ab") as f:
        f.write(b"\0")
    with pytest.raises(ModelError, match="SHA-256 does not match"):
        load_model(copy)


class Boom:
    def __reduce__(self):
        return (os.system, ("touch pwned",))


def test_a_model_file_carrying_a_pickle_is_refused(trained_model_dir, tmp_path, monkeypatch):
    """An .npz whose array is a pickled object (which would run os.system) is never unpickled."""
    monkeypatch.chdir(tmp_path)
    copy = _copy(trained_model_dir, tmp_path)
    with np.load(copy / ARRAYS) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["coef"] = np.array([Boom()], dtype=object)
    np.savez(copy / ARRAYS, **arrays)
    rehash(copy)
    with pytest.raises(ModelError, match="refusing to load"):
        load_model(copy)
    assert not (tmp_path / "pwned").exists()


def test_a_pickle_renamed_as_a_model_is_refused(trained_model_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    copy = _copy(trained_model_dir, tmp_path)
    (copy / ARRAYS).write_bytes(pickle.dumps(Boom()))
    rehash(copy)
    with pytest.raises(ModelError, match="refusing to load|not a readable model"):
        load_model(copy)
    assert not (tmp_path / "pwned").exists()


def test_mismatched_files_are_refused(trained_model_dir, tmp_path):
    copy = _copy(trained_model_dir, tmp_path)
    state = json.loads((copy / STATE).read_text(encoding="utf-8"))
    state["vocabularies"]["words"] = state["vocabularies"]["words"][:-1]
    (copy / STATE).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    rehash(copy)
    with pytest.raises(ModelError, match="do not fit together"):
        load_model(copy)


def test_missing_and_foreign_directories(tmp_path):
    with pytest.raises(ModelError, match="no such model directory"):
        load_model(tmp_path / "nope")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(ModelError, match="no such model directory"):
        load_model(tmp_path / "file")
    (tmp_path / "foreign").mkdir()
    with pytest.raises(ModelError, match="metadata.json is missing"):
        load_model(tmp_path / "foreign")
    (tmp_path / "foreign" / CARD).write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="not valid JSON"):
        load_model(tmp_path / "foreign")
    (tmp_path / "foreign" / CARD).write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(ModelError, match="not a classifier model card"):
        load_model(tmp_path / "foreign")


def test_a_corrupt_model_is_refused_after_reading_it_once(trained_model_dir, tmp_path, monkeypatch):
    from classifier.model import directory

    copy = _copy(trained_model_dir, tmp_path)
    with open(copy / ARRAYS, "r+b") as f:
        f.seek(100)
        f.write(b"XX")
    read = []
    member = directory._read_member
    monkeypatch.setattr(directory, "_read_member", lambda fd, where, name: read.append(name) or member(fd, where, name))
    with pytest.raises(ModelError, match="SHA-256 does not match"):
        load_model(copy)
    assert read.count(ARRAYS) == 1


def test_version_mismatch_warns_with_both_versions(trained_model_dir, tmp_path):
    copy = _copy(trained_model_dir, tmp_path)
    card = json.loads((copy / CARD).read_text(encoding="utf-8"))
    card["versions"]["scikit-learn"] = "0.0.1"
    (copy / CARD).write_text(json.dumps(card), encoding="utf-8")
    with pytest.warns(UserWarning, match="scikit-learn 0.0.1; this is scikit-learn"):
        load_pipeline(copy)


def test_failed_save_leaves_the_old_model_whole(trained_model_dir, tmp_path):
    copy = _copy(trained_model_dir, tmp_path)
    before = {p.name: p.read_bytes() for p in copy.iterdir()}
    pipeline, card = load_pipeline(copy)
    with pytest.raises(TypeError):
        save_model(pipeline, {"bad": object()}, copy)  # the card cannot be written as JSON
    assert {p.name: p.read_bytes() for p in copy.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
