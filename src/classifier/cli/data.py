"""``classifier data``: check, stats, import and export a labelled corpus."""
from __future__ import annotations

import argparse
import sys

from ..config import DEFAULTS
from ..files import check_output
from .common import _warn


def _cmd_data(args: argparse.Namespace) -> int:
    from ..corpus import corpus, datacard, interchange, task_readers

    if args.data_command == "check":
        return _check(args)
    if args.data_command == "stats":
        reports = corpus.load_corpus(args.dir)
        print(datacard.genre_markdown(reports) if args.genre else datacard.stats_markdown(datacard.corpus_stats(reports)))
        return 0
    if args.data_command == "import" and task_readers.is_task_file(args.source, interchange.guess_format(args.source, args.format)):
        return _import_tasks(args)
    if args.data_command == "import":
        labels = None if args.new_label else _model_labels(args.model)
        result = interchange.import_labels(args.source, args.data, fmt=args.format, skip_bad=args.skip_bad, labels=labels)
        for problem in result.skipped:
            print(f"skipped: {problem}", file=sys.stderr)
        print(f"imported {result.units} units into {', '.join(result.reports)}", file=sys.stderr)
        return 0
    check_output(args.dest, [args.data], flag="export")
    count = interchange.export_labels(args.data, args.dest, fmt=args.format)
    print(f"exported {count} units to {args.dest}", file=sys.stderr)
    return 0


def _check(args: argparse.Namespace) -> int:
    """Problems (exit 1), warnings, then the near-duplicates of a valid corpus."""
    from ..corpus import corpus, datacard

    problems = corpus.check_corpus(args.dir, strict=args.strict)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        if not args.strict:
            _warn([str(w) for w in corpus.corpus_warnings(args.dir)], shown=50)
        return 1
    reports, warnings = corpus.load_corpus_with_warnings(args.dir)
    if not args.strict:
        _warn([str(w) for w in warnings], shown=50)
    print(f"{args.dir}: corpus is valid", file=sys.stderr)
    for a, b, score in datacard.near_duplicates(reports):
        if not (a.is_heading and b.is_heading):
            print(f"near-duplicate ({score:.2f}): {a.report}「{a.text[:40]}」 ~ {b.report}「{b.text[:40]}」")
    return 0


def _model_labels(model: str | None) -> list[str]:
    """The labels a model knows (by default the bundled model's), from its card."""
    from ..model.persistence import read_card
    from ..run.predict import default_model_dir

    return read_card(model or default_model_dir()).get("labels") or []


def _import_tasks(args: argparse.Namespace) -> int:
    from ..corpus import interchange, task_import

    labels = _model_labels(args.model)
    result = task_import.import_tasks(args.source, args.data, fmt=interchange.guess_format(args.source, args.format),
                                      skip_bad=args.skip_bad, labels=labels, new_label=args.new_label)
    for problem in result.skipped:
        print(f"skipped: {problem}", file=sys.stderr)
    print(f"imported {result.added} new unit(s) into {len(result.reports)} report(s) in {args.data}"
          f" ({result.relabelled} relabelled, {result.unchanged} already there); "
          f"{result.unlabelled} row(s) without a label skipped", file=sys.stderr)
    if result.disagreements:
        print(f"{result.disagreements} task(s) where annotators disagreed: the latest annotation was taken",
              file=sys.stderr)
    return 1 if result.skipped else 0


def _data_parser(sub) -> None:
    data = sub.add_parser("data", help="check, import, export and describe a labelled corpus")
    dsub = data.add_subparsers(dest="data_command", required=True)
    p = dsub.add_parser("check", help="validate a corpus directory")
    p.add_argument("dir", nargs="?", default=str(DEFAULTS.data_dir))
    p.add_argument("--strict", action="store_true", help="a sentence repeated across reports is an error, not a warning")
    p = dsub.add_parser("stats", help="print the data card's tables")
    p.add_argument("dir", nargs="?", default=str(DEFAULTS.data_dir))
    p.add_argument("--genre", action="store_true", help="the genre statistics beside published reports' instead")
    p = dsub.add_parser("import", help="import labels from CSV, doccano JSONL or Label Studio JSON")
    p.add_argument("source")
    p.add_argument("--data", default=str(DEFAULTS.data_dir))
    p.add_argument("--format", choices=("csv", "doccano", "labelstudio"))
    p.add_argument("--skip-bad", action="store_true", help="keep the good lines of a file with bad ones")
    p.add_argument("--new-label", action="store_true", help="accept labels the model does not know")
    p.add_argument("--model", help="the model whose labels are expected (default: the bundled model)")
    p = dsub.add_parser("export", help="export labels to CSV, doccano JSONL or Label Studio JSON")
    p.add_argument("dest")
    p.add_argument("--data", default=str(DEFAULTS.data_dir))
    p.add_argument("--format", choices=("csv", "doccano", "labelstudio"))
    data.set_defaults(func=_cmd_data)
