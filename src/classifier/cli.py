"""Command line: ``classifier predict|summarize|report|train|evaluate|segment|info|data``.

Each subcommand parses its arguments, calls one library function and writes what it
returns. Errors from the library become one line ``error: …`` and an exit code.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from .config import DEFAULTS
from .errors import ClassifierError, UsageError
from .run.output import FORMATS, atomic_output, write_rows


class Progress:
    """A one-line progress bar on stderr (silent with --quiet)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.last = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.quiet:
            return
        filled = int(20 * done / max(total, 1))
        line = f"{stage:<18} [{'#' * filled}{'.' * (20 - filled)}] {done}/{total}"
        if self.tty:
            sys.stderr.write("\r" + line + ("\n" if done >= total else ""))
        elif done >= total and stage != self.last:
            sys.stderr.write(line + "\n")
        self.last = stage if done >= total else self.last
        sys.stderr.flush()


def _cmd_predict(args: argparse.Namespace) -> int:
    from .run.batch import predict_files

    fmt = args.format or ("table" if sys.stdout.isatty() and not args.output else "jsonl")
    if fmt not in FORMATS:
        raise UsageError("--format", f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    result = predict_files(args.files, model=args.model, sentences=args.sentences, jobs=args.jobs,
                           progress=Progress(args.quiet or len(args.files) < 2))
    with atomic_output(args.output, bom=fmt == "csv") as out:
        write_rows(result.rows, out, fmt)
    for error in result.errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if result.errors else 0


def _cmd_segment(args: argparse.Namespace) -> int:
    from .run.batch import segment_files

    result = segment_files(args.files)
    with atomic_output(args.output) as out:
        write_rows(result.rows, out, "jsonl")
    for error in result.errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if result.errors else 0


def _cmd_summarize(args: argparse.Namespace) -> int:
    from .review.summary_batch import summarize_files
    from .review.summary_output import check_destination, write_summary

    fmt = args.format or _format_from_suffix(args.output)
    check_destination(fmt, args.output)  # before the work: xlsx needs a file and openpyxl
    batch = summarize_files(args.files, model=args.model, by=args.by,
                            progress=Progress(args.quiet or (len(args.files) < 2 and not Path(args.files[0]).is_dir())))
    write_summary(batch, args.output, fmt, by=args.by)
    for error in batch.errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if batch.errors else 0


def _format_from_suffix(output: str | None) -> str:
    """--format's default: from the output file's suffix (.csv .jsonl .xlsx), else a table."""
    suffix = Path(output).suffix.lower().lstrip(".") if output and output != "-" else ""
    return suffix if suffix in ("csv", "jsonl", "xlsx") else "table"


def _cmd_report(args: argparse.Namespace) -> int:
    from .review.html_report import report_html

    page = report_html(args.model, Path(args.file))  # a file name, never a report text
    output = args.output or Path(args.file).stem + ".html"
    with atomic_output(output) as out:
        out.write(page)
    if output != "-" and not args.quiet:
        print(f"report written to {output}", file=sys.stderr)
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    from .model.pipeline import config_for
    from .model.training import train

    config = config_for(DEFAULTS, folds=args.folds, seed=args.seed, jobs=args.jobs)
    result = train(args.data, args.output, config, progress=Progress(args.quiet), C=args.C)
    metrics = result.card["metrics"]
    if not args.quiet:
        f1 = metrics.get("cv.macro_f1")
        shown = f", cross-validated macro-F1 {f1:.3f}" if f1 is not None else ""
        print(f"model written to {result.path} (C={result.card['training']['C']}{shown})", file=sys.stderr)
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluation.evaluate import run_evaluation

    metrics = run_evaluation(args.data, test=args.test, folds=args.folds, seed=args.seed,
                             segmentation=args.segmentation, output=args.output, fixed_c=args.C,
                             progress=Progress(args.quiet), jobs=args.jobs)
    if args.output is None or args.output == "-":
        print(json.dumps(metrics, ensure_ascii=False, indent=1))
    elif not args.quiet:
        print(_summary_line(metrics), file=sys.stderr)
    return 0


def _summary_line(metrics: dict) -> str:
    parts = [f"{k}={metrics[k]:.3f}" for k in ("segmentation.recall", "model.macro_f1", "plain.macro_f1",
                                                 "rules.macro_f1", "sentence_only.macro_f1") if k in metrics]
    return "  ".join(parts)


def _cmd_info(args: argparse.Namespace) -> int:
    from .model.metadata import card_markdown
    from .model.persistence import read_card
    from .run.predict import default_model_dir

    print(card_markdown(read_card(args.model or default_model_dir())))
    return 0


def _cmd_data(args: argparse.Namespace) -> int:
    from .corpus import corpus, datacard, interchange

    if args.data_command == "check":
        problems = corpus.check_corpus(args.dir)
        for problem in problems:
            print(problem, file=sys.stderr)
        if not problems:
            print(f"{args.dir}: corpus is valid", file=sys.stderr)
        for a, b, score in datacard.near_duplicates(corpus.load_corpus(args.dir)) if not problems else []:
            if not (a.is_heading and b.is_heading):
                print(f"near-duplicate ({score:.2f}): {a.report}「{a.text[:40]}」 ~ {b.report}「{b.text[:40]}」")
        return 1 if problems else 0
    if args.data_command == "stats":
        print(datacard.stats_markdown(datacard.corpus_stats(corpus.load_corpus(args.dir))))
        return 0
    if args.data_command == "import":
        result = interchange.import_labels(args.source, args.data, fmt=args.format, skip_bad=args.skip_bad)
        for problem in result.skipped:
            print(f"skipped: {problem}", file=sys.stderr)
        print(f"imported {result.units} units into {', '.join(result.reports)}", file=sys.stderr)
        return 0
    count = interchange.export_labels(args.data, args.dest, fmt=args.format)
    print(f"exported {count} units to {args.dest}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="classifier", description="Label the units of rule-of-law government reports.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("predict", help="label every unit of report files")
    p.add_argument("files", nargs="+", help="report files (.txt .docx .pdf .html), or - for standard input")
    p.add_argument("--model", help="model directory (default: the bundled model)")
    p.add_argument("--format", choices=FORMATS, help="jsonl (default when piped), csv or table (default on a terminal)")
    p.add_argument("--output", "-o", help="write to this file instead of standard output")
    p.add_argument("--sentences", action="store_true", help="treat each input line as one bare sentence")
    p.add_argument("--jobs", "-j", type=int, default=1, help="processes to spread files over (default 1)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_predict)

    _summary_parsers(sub)

    p = sub.add_parser("segment", help="cut report files into units (no labels)")
    p.add_argument("files", nargs="+")
    p.add_argument("--output", "-o")
    p.set_defaults(func=_cmd_segment)

    p = sub.add_parser("train", help="train a model on a labelled corpus")
    p.add_argument("--data", default=str(DEFAULTS.data_dir), help="corpus directory or CSV/JSONL of text,label (default data)")
    p.add_argument("--output", default="models/default", help="model directory to write (default models/default)")
    _shared(p)
    p.set_defaults(func=_cmd_train)

    p = sub.add_parser("evaluate", help="report-grouped cross-validation with baselines")
    p.add_argument("--data", default=str(DEFAULTS.data_dir), help="corpus directory (default data)")
    p.add_argument("--test", help="held-out corpus directory to test on instead of cross-validating")
    p.add_argument("--output", "-o", help="write metrics JSON here (and a confusion-matrix PNG beside it)")
    p.add_argument("--segmentation", action="store_true", help="only measure how well units match the labelled ones")
    _shared(p)
    p.set_defaults(func=_cmd_evaluate)

    p = sub.add_parser("info", help="print a model's cross-validated figures as a Markdown table")
    p.add_argument("--model", help="model directory (default: the bundled model)")
    p.set_defaults(func=_cmd_info)

    _data_parser(sub)
    return parser


def _shared(p: argparse.ArgumentParser) -> None:
    p.add_argument("--folds", type=int, default=DEFAULTS.folds, help=f"cross-validation folds (default {DEFAULTS.folds})")
    p.add_argument("--seed", type=int, default=DEFAULTS.seed, help=f"random seed (default {DEFAULTS.seed})")
    p.add_argument("--C", type=float, default=None, help="fix the regularisation C instead of choosing it by CV")
    p.add_argument("--jobs", "-j", type=int, default=DEFAULTS.jobs,
                   help="processes for the model fits (default 0: one per CPU core; 1: no extra processes)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")


def _summary_parsers(sub) -> None:
    p = sub.add_parser("summarize", help="one row per report: label shares, required parts, signs of a thin report")
    p.add_argument("files", nargs="+", help="report files or directories of them (.txt .docx .pdf .html)")
    p.add_argument("--model", help="model directory (default: the bundled model)")
    p.add_argument("--format", choices=("table", "csv", "jsonl", "xlsx"),
                   help="table (default), csv (UTF-8 with BOM), jsonl or xlsx (one sheet per view); "
                        "default from --output's suffix")
    p.add_argument("--by", choices=("level", "year", "region"), help="one row per group instead of per report")
    p.add_argument("--output", "-o", help="write to this file instead of standard output")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_summarize)

    p = sub.add_parser("report", help="a self-contained HTML page for one report")
    p.add_argument("file", help="a report file (.txt .docx .pdf .html)")
    p.add_argument("--model", help="model directory (default: the bundled model)")
    p.add_argument("--output", "-o", help="HTML file to write (default: FILE's name with .html, here; - for stdout)")
    p.add_argument("--quiet", "-q", action="store_true", help="do not say where the page was written")
    p.set_defaults(func=_cmd_report)


def _data_parser(sub) -> None:
    data = sub.add_parser("data", help="check, import, export and describe a labelled corpus")
    dsub = data.add_subparsers(dest="data_command", required=True)
    p = dsub.add_parser("check", help="validate a corpus directory")
    p.add_argument("dir", nargs="?", default=str(DEFAULTS.data_dir))
    p = dsub.add_parser("stats", help="print the data card's tables")
    p.add_argument("dir", nargs="?", default=str(DEFAULTS.data_dir))
    p = dsub.add_parser("import", help="import labels from CSV, doccano JSONL or Label Studio JSON")
    p.add_argument("source")
    p.add_argument("--data", default=str(DEFAULTS.data_dir))
    p.add_argument("--format", choices=("csv", "doccano", "labelstudio"))
    p.add_argument("--skip-bad", action="store_true", help="keep the good lines of a file with bad ones")
    p = dsub.add_parser("export", help="export labels to CSV, doccano JSONL or Label Studio JSON")
    p.add_argument("dest")
    p.add_argument("--data", default=str(DEFAULTS.data_dir))
    p.add_argument("--format", choices=("csv", "doccano", "labelstudio"))
    data.set_defaults(func=_cmd_data)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ClassifierError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `classifier predict … | head`: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
