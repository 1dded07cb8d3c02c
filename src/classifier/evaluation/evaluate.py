"""How good is the model? Report-grouped cross-validation, with baselines on the same folds.

    >>> from classifier.corpus.corpus import load_corpus
    >>> metrics = cross_validate(load_corpus("data"))          # doctest: +SKIP
    >>> metrics["model.macro_f1"] > metrics["plain.macro_f1"]  # doctest: +SKIP
    True

Every figure is computed on units of reports the model did not see in training. The
result is a flat dict with stable keys (``<system>.<measure>[.<label>]``).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

import numpy as np
from sklearn.metrics import confusion_matrix

from ..config import DEFAULTS, Config
from ..model.features import sentence_records
from ..model.pipeline import Progress, TrainingSet, fit, group_folds, training_set
from ..model.scores import scores
from ..read.normalize import normalize
from ..units.segments import segment

SYSTEMS = ("model", "sentence_only", "plain", "rules")


def plain_script():
    """The ten-line script a user would write: jieba words, TF-IDF, a linear SVM, text only."""
    import jieba
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    from ..model.tokens import _tokenizer  # noqa: F401  (quiets jieba's logger first)

    _tokenizer()
    return make_pipeline(TfidfVectorizer(tokenizer=jieba.lcut, token_pattern=None), LinearSVC())


class KeywordRules:
    """The cue words of the label spec, with the section's role when known."""

    CUES = {
        "shortcoming": r"不足|问题|有待|不够|不强|不高|薄弱|短板|欠缺|原因|仍然存在|差距|滞后",
        "plan": r"下一步|下一年|明年|将(?:进一步|持续|继续|着力)|计划|思路|目标|举措",
        "publicity": r"普法|宣传|宣讲|学法|中心组|培训|展板|横幅|明白人|宪法|民法典|法治文化",
        "enforcement": r"执法|检查|整治|处罚|执法证|三项制度|公示|全过程记录|法制审核|案卷|裁量",
        "business_environment": r"营商环境|放管服|市场主体|企业|涉企|纾困|审批|政务服务|一站式|一网通办|跑一次|服务大厅|信用",
    }
    ROLES = {"shortcomings": "shortcoming", "plans": "plan"}

    def fit(self, records, labels):
        self.labels_ = sorted(set(labels))
        return self

    def predict(self, records) -> list[str]:
        return [self._one(r) for r in records]

    def _one(self, record) -> str:
        role_label = self.ROLES.get(record.get("role", ""))
        if role_label in self.labels_:
            return role_label
        text = normalize(record["text"])
        hits = {label: len(re.findall(cue, text)) for label, cue in self.CUES.items() if label in self.labels_}
        best = max(hits, key=hits.get, default=None)
        if best and hits[best]:
            return best
        return "other" if "other" in self.labels_ else self.labels_[0]


def _fold_predictions(data: TrainingSet, train, test, config: Config, C: float | None) -> dict[str, list]:
    """Every system trained on ``train`` and asked about ``test`` (C chosen on ``train`` alone when None)."""
    tr, te = data.subset(train), data.subset(test)
    model, _ = fit(tr, config, C=C)
    bare = sentence_records(r["text"] for r in te.records)
    plain = plain_script().fit([r["text"] for r in tr.records], tr.labels)
    return {
        "model": list(model.predict(te.records)),
        "model_proba": model.predict_proba(te.records),
        "sentence_only": list(model.predict(bare)),
        "plain": list(plain.predict([r["text"] for r in te.records])),
        "rules": KeywordRules().fit(tr.records, tr.labels).predict(te.records),
        "classes": list(model.classes_),
    }


def cross_validate(reports: Sequence, config: Config = DEFAULTS, progress: Progress | None = None,
                   C: float | None = None) -> dict:
    """Report-grouped K-fold CV of the model and both baselines on the same folds.

    ``C`` fixed skips the per-fold search (faster); by default C is chosen inside each
    training fold, so the test fold never influences it.
    """
    data = training_set(reports)
    labels = sorted(set(data.labels))
    folds = group_folds(data, config.folds, config.seed)
    proba, out_of_fold = np.zeros((len(data.labels), len(labels))), [None] * len(data.labels)
    for k, (train, test) in enumerate(folds):
        fold = _fold_predictions(data, train, test, config, C)
        cols = [fold["classes"].index(label) if label in fold["classes"] else None for label in labels]
        for i, row in zip(test, fold["model_proba"]):
            proba[i] = [row[c_] if c_ is not None else 0.0 for c_ in cols]
        for name in SYSTEMS:
            for i, p in zip(test, fold[name]):
                out_of_fold[i] = out_of_fold[i] or {}
                out_of_fold[i][name] = p
        if progress:
            progress("cross-validating", k + 1, len(folds))
    y_true = data.labels
    result: dict = {"labels": labels, "folds": len(folds), "units": len(y_true), "reports": len(set(data.groups))}
    for name in SYSTEMS:
        pred = [o[name] for o in out_of_fold]
        result.update(scores(y_true, pred, labels, name, proba if name == "model" else None))
    model_pred = [o["model"] for o in out_of_fold]
    result["model.confusion_matrix"] = confusion_matrix(y_true, model_pred, labels=labels).tolist()
    result["_out_of_fold"] = {"pred": model_pred, "proba": proba.tolist(), "true": list(y_true),
                              "groups": list(data.groups)}
    return result


def segmentation_match(reports: Sequence) -> dict:
    """How many labelled units the segmenter reproduces exactly, span for span."""
    labelled = predicted = matched = 0
    misses: list[dict] = []
    for report in reports:
        gold = {(u.start, u.end) for u in report.units}
        units = segment(report.text)
        got = {(u.start, u.end) for u in units}
        labelled, predicted = labelled + len(gold), predicted + len(got)
        matched += len(gold & got)
        for s, e in sorted(gold - got):
            misses.append({"report": report.id, "start": s, "end": e, "text": report.text[s:e]})
    return {"segmentation.recall": matched / labelled if labelled else 0.0,
            "segmentation.precision": matched / predicted if predicted else 0.0,
            "segmentation.labelled_units": labelled, "segmentation.predicted_units": predicted,
            "segmentation.matched_units": matched, "_misses": misses}


def held_out(train_reports: Sequence, test_reports: Sequence, config: Config = DEFAULTS,
             C: float | None = None) -> dict:
    """Train on one corpus, test on another (e.g. a level or year held out)."""
    from ..errors import DataError

    train, test = training_set(train_reports), training_set(test_reports)
    unknown = sorted(set(test.labels) - set(train.labels))
    if unknown:
        raise DataError("--test", f"labels not in the training data: {', '.join(unknown)}; "
                                  f"the model knows {', '.join(sorted(set(train.labels)))}")
    labels = sorted(set(train.labels))
    everything = TrainingSet(train.records + test.records, train.labels + test.labels, train.groups + test.groups)
    n = len(train.labels)
    fold = _fold_predictions(everything, list(range(n)), list(range(n, len(everything.labels))), config, C)
    cols = [fold["classes"].index(label) for label in labels]
    result: dict = {"labels": labels, "folds": 0, "units": len(test.labels), "reports": len(set(test.groups))}
    for name in SYSTEMS:
        result.update(scores(test.labels, fold[name], labels, name, fold["model_proba"][:, cols] if name == "model" else None))
    result["model.confusion_matrix"] = confusion_matrix(test.labels, fold["model"], labels=labels).tolist()
    return result


def run_evaluation(data: str | Sequence[str], test: str | None = None, folds: int = DEFAULTS.folds,
                   seed: int = DEFAULTS.seed, segmentation: bool = False, output: str | None = None,
                   fixed_c: float | None = None, progress: Progress | None = None, jobs: int = DEFAULTS.jobs,
                   weights: dict | None = None, model: str | None = None) -> dict:
    """``classifier evaluate``: the metrics as a flat dict, also written to ``output`` (JSON) with a
    confusion-matrix PNG beside it when matplotlib is installed. ``data`` may name several corpora
    (each weighed as in training); with ``model``, that model is measured on ``test`` as it is."""
    from ..corpus.corpora import load_corpora
    from ..corpus.corpus import load_corpus
    from ..model.pipeline import config_for
    from .model_test import measure_model

    if model is not None:
        return _written(measure_model(model, test), output)
    reports = list(load_corpora([data] if isinstance(data, str) else data, weights).reports)
    if segmentation:
        metrics = segmentation_match(reports)
    elif test:
        metrics = held_out(reports, load_corpus(test), config_for(DEFAULTS, seed=seed, jobs=jobs), fixed_c)
    else:
        metrics = cross_validate(reports, config_for(DEFAULTS, folds=folds, seed=seed, jobs=jobs), progress, fixed_c)
    return _written(metrics, output)


def _written(metrics: dict, output: str | None) -> dict:
    """``metrics`` without its private keys, written to ``output`` with the .md and .png beside it."""
    import json

    from ..run.output import atomic_output

    metrics = {k: v for k, v in metrics.items() if not k.startswith("_")}
    if output and output != "-":
        with atomic_output(output) as out:
            out.write(json.dumps(metrics, ensure_ascii=False, indent=1) + "\n")
        if "model.confusion_matrix" in metrics:
            from .plots import save_confusion_png

            save_confusion_png(metrics["model.confusion_matrix"], metrics["labels"], _png_path(output))
            from .model_test import model_test_markdown

            table = metrics_markdown(metrics) if "plain.macro_f1" in metrics else model_test_markdown(metrics)
            with atomic_output(str(Path(output).with_suffix(".md"))) as out:
                out.write(table + "\n")
    return metrics


def metrics_markdown(metrics: dict) -> str:
    """The systems side by side, and the model's per-label F1, as Markdown tables."""
    names = {"model": "this model (units in context)", "sentence_only": "this model, bare sentences",
             "plain": "plain script (jieba + TF-IDF + LinearSVC)", "rules": "keyword rules"}
    how = "report-grouped cross-validation" if metrics.get("folds") else "held-out test set"
    lines = [f"{metrics.get('units')} units of {metrics.get('reports')} reports, {how}"
             + (f" ({metrics['folds']} folds)" if metrics.get("folds") else "") + ", all systems on the same folds.",
             "", "| system | macro-F1 | accuracy |", "|---|---|---|"]
    for key, name in names.items():
        if f"{key}.macro_f1" in metrics:
            lines.append(f"| {name} | {metrics[f'{key}.macro_f1']:.3f} | {metrics[f'{key}.accuracy']:.3f} |")
    labels = metrics.get("labels", [])
    lines += ["", "| label | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
    for key in ("model", "plain"):
        lines.append(f"| F1, {key} | " + " | ".join(f"{metrics.get(f'{key}.f1.{l}', 0):.3f}" for l in labels) + " |")
    return "\n".join(lines)


def _png_path(output: str) -> str:
    return str(Path(output).with_suffix(".png"))
