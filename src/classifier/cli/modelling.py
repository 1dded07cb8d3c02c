"""Subcommands about models: train, evaluate, info."""
from __future__ import annotations

import argparse
import json
import sys

from ..config import DEFAULTS
from ..errors import UsageError
from ..files import check_output
from .common import Progress, _corpora, _data_args, _shared, _warn


def _cmd_train(args: argparse.Namespace) -> int:
    from ..model.pipeline import config_for
    from ..model.training import train
    from ..run.predict import is_bundled_model

    if is_bundled_model(args.output) and not args.force:
        raise UsageError("--output", f"{args.output} is the bundled model; add --force to replace it")
    config = config_for(DEFAULTS, folds=args.folds, seed=args.seed, jobs=args.jobs)
    sources, weights = _corpora(args)
    result = train(sources, args.output, config, progress=Progress(args.quiet), C=args.C, weights=weights)
    _warn(result.warnings)
    metrics = result.card["metrics"]
    if not args.quiet:
        f1 = metrics.get("cv.macro_f1")
        shown = f", cross-validated macro-F1 {f1:.3f}" if f1 is not None else ""
        print(f"model written to {result.path} (C={result.card['training']['C']}{shown})", file=sys.stderr)
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from ..evaluation.evaluate import run_evaluation
    from ..evaluation.model_test import model_test_markdown

    sources, weights = _corpora(args)
    check_output(args.output, [p for p in (*sources, args.test) if p])
    metrics = run_evaluation(sources if len(sources) > 1 else sources[0], test=args.test, folds=args.folds,
                             seed=args.seed, segmentation=args.segmentation, output=args.output, fixed_c=args.C,
                             progress=Progress(args.quiet), jobs=args.jobs, weights=weights, model=args.model)
    if args.model is not None and (args.output is None or args.output == "-"):
        print(model_test_markdown(metrics))
    elif args.output is None or args.output == "-":
        print(json.dumps(metrics, ensure_ascii=False, indent=1))
    elif not args.quiet:
        print(_summary_line(metrics), file=sys.stderr)
    return 0


def _summary_line(metrics: dict) -> str:
    parts = [f"{k}={metrics[k]:.3f}" for k in ("segmentation.recall", "model.macro_f1", "plain.macro_f1",
                                                 "rules.macro_f1", "sentence_only.macro_f1") if k in metrics]
    return "  ".join(parts)


def _cmd_info(args: argparse.Namespace) -> int:
    from ..model.metadata import card_markdown
    from ..model.persistence import read_card
    from ..run.predict import default_model_dir

    print(card_markdown(read_card(args.model or default_model_dir())))
    return 0


def _model_parsers(sub) -> None:
    """``classifier train``, ``evaluate`` and ``info``."""
    p = sub.add_parser("train", help="train a model on a labelled corpus")
    _data_args(p)
    p.add_argument("--output", required=True, help="model directory to write (a new one, or a model directory "
                   "to replace)")
    p.add_argument("--force", action="store_true", help="allow replacing the bundled model")
    _shared(p)
    p.set_defaults(func=_cmd_train)

    p = sub.add_parser("evaluate", help="report-grouped cross-validation with baselines")
    _data_args(p)
    p.add_argument("--test", help="held-out corpus directory to test on instead of cross-validating")
    p.add_argument("--model", help="measure this trained model on --test as it is (no training)")
    p.add_argument("--output", "-o", help="write metrics JSON here (and a confusion-matrix PNG beside it)")
    p.add_argument("--segmentation", action="store_true", help="only measure how well units match the labelled ones")
    _shared(p)
    p.set_defaults(func=_cmd_evaluate)

    p = sub.add_parser("info", help="print a model's cross-validated figures as a Markdown table")
    p.add_argument("--model", help="model directory (default: the bundled model)")
    p.set_defaults(func=_cmd_info)
