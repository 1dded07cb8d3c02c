"""Subcommands that apply a model to report files: predict, segment, summarize, report, suggest."""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..config import DEFAULTS
from ..errors import UsageError
from ..files import check_output
from ..files import input_paths as _input_paths
from ..run.output import FORMATS, atomic_output, write_rows
from .common import Progress, _format_from_suffix, _write_result


def _cmd_predict(args: argparse.Namespace) -> int:
    from ..run.stream import STREAM_FORMATS, predict_to

    suffix = "parquet" if str(args.output).lower().endswith(".parquet") else _format_from_suffix(args.output)
    fmt = args.format or (suffix if suffix != "table" else "table" if sys.stdout.isatty() and not args.output else "jsonl")
    if fmt not in STREAM_FORMATS:
        raise UsageError("--format", f"cannot write {fmt!r}; expected one of {', '.join(STREAM_FORMATS)}")
    if args.dask and not re.match(r"^\w+://|^[\w.-]+:\d+$", args.dask):  # `--dask FILE …`: a file, not an address
        args.files, args.dask = [args.dask, *args.files], ""
    check_output(args.output, _input_paths(args.files))
    result = predict_to(args.files, args.output, model=args.model, sentences=args.sentences, jobs=args.jobs,
                        fmt=fmt, resume=args.resume, dask=args.dask,
                        progress=Progress(args.quiet or len(args.files) < 2))
    return _write_result(result, args.output)  # the rows are written already


def _cmd_segment(args: argparse.Namespace) -> int:
    from ..run.batch import segment_files

    check_output(args.output, _input_paths(args.files))
    result = segment_files(args.files, show_debris=args.show_debris)
    some_read = len(result.errors) < len(args.files)  # with --show-debris and no debris, an empty list is the answer
    return _write_result(result, args.output, lambda out: write_rows(result.rows, out, "jsonl"),
                         answered=bool(result.rows) or (args.show_debris and some_read))


def _cmd_summarize(args: argparse.Namespace) -> int:
    from ..review.summary_output import check_destination
    from ..review.summary_stream import summarize_to

    fmt = args.format or _format_from_suffix(args.output)
    check_destination(fmt, args.output)  # before the work: xlsx needs a file and openpyxl
    check_output(args.output, _input_paths(args.files))
    batch = summarize_to(args.files, args.output, fmt=fmt, model=args.model, by=args.by, resume=args.resume,
                         progress=Progress(args.quiet or (len(args.files) < 2 and not Path(args.files[0]).is_dir())))
    return _write_result(batch, args.output)  # the rows are written already


def _cmd_report(args: argparse.Namespace) -> int:
    from ..review.html_report import report_html

    output = args.output or Path(args.file).stem + ".report.html"
    check_output(output, [args.file], force=args.force)
    page = report_html(args.model, Path(args.file))  # a file name, never a report text
    with atomic_output(output) as out:
        out.write(page)
    if output != "-" and not args.quiet:
        print(f"report written to {output}", file=sys.stderr)
    return 0


def _cmd_suggest(args: argparse.Namespace) -> int:
    from ..run.suggest import suggest
    from ..run.suggest_output import check_config_destination, task_format, write_tasks

    fmt = task_format(args.output, args.format)
    check_output(args.output, _input_paths(args.files))
    if fmt == "labelstudio":
        check_config_destination(args.output)
    result = suggest(args.files, model=args.model, n=args.n, strategy=args.strategy, seed=args.seed)
    for error in result.errors:
        print(f"error: {error}", file=sys.stderr)
    if not result.tasks:
        print(f"error: {args.output}: nothing written: no report gave a unit", file=sys.stderr)
        return 1
    written = write_tasks(result.tasks, args.output, fmt, result.model_version)
    if not args.quiet:
        print(f"{len(result.tasks)} of {result.candidates} units to label written to "
              f"{' and '.join(map(str, written))}", file=sys.stderr)
    return 1 if result.errors else 0


def _summary_parsers(sub) -> None:
    p = sub.add_parser("summarize", help="one row per report: label shares, required parts, signs of a thin report")
    p.add_argument("files", nargs="+", help="report files or directories of them (.txt .docx .pdf .html)")
    p.add_argument("--model", help="model directory (default: the bundled model)")
    p.add_argument("--format", choices=("table", "csv", "jsonl", "xlsx"),
                   help="table (default), csv (UTF-8 with BOM), jsonl or xlsx (one sheet per view); "
                        "default from --output's suffix")
    p.add_argument("--by", choices=("level", "year", "region"), help="one row per group instead of per report")
    p.add_argument("--resume", action="store_true",
                   help="carry on from the journal an interrupted run with the same files left beside --output")
    p.add_argument("--output", "-o", help="write to this file instead of standard output")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_summarize)

    p = sub.add_parser("report", help="a self-contained HTML page for one report")
    p.add_argument("file", help="a report file (.txt .docx .pdf .html)")
    p.add_argument("--model", help="model directory (default: the bundled model)")
    p.add_argument("--output", "-o", help="HTML file to write (default: FILE's name with .report.html, here; "
                   "- for stdout)")
    p.add_argument("--force", action="store_true", help="replace the output file if it exists")
    p.add_argument("--quiet", "-q", action="store_true", help="do not say where the page was written")
    p.set_defaults(func=_cmd_report)


def _suggest_parser(sub) -> None:
    p = sub.add_parser("suggest", help="choose the units of your reports whose labels would teach the model most")
    p.add_argument("files", nargs="+", help="report files or directories of them")
    p.add_argument("--model", help="model directory (default: the bundled model)")
    p.add_argument("-n", type=int, default=DEFAULTS.suggest_n, help=f"units to suggest (default {DEFAULTS.suggest_n})")
    p.add_argument("--strategy", choices=("uncertainty", "random"), default="uncertainty",
                   help="least sure first, spread over reports and labels (default), or at random")
    p.add_argument("--format", choices=("csv", "jsonl", "labelstudio", "doccano"),
                   help="default from --output's suffix: .csv, .jsonl, .json (Label Studio)")
    p.add_argument("--output", "-o", required=True, help="the task file to write")
    p.add_argument("--seed", type=int, default=DEFAULTS.seed, help=f"random seed (default {DEFAULTS.seed})")
    p.add_argument("--quiet", "-q", action="store_true", help="do not say what was written")
    p.set_defaults(func=_cmd_suggest)


def _predict_parser(sub) -> None:
    """``classifier predict``."""
    p = sub.add_parser("predict", help="label every unit of report files")
    p.add_argument("files", nargs="+", help="report files (.txt .docx .pdf .html), or - for standard input")
    p.add_argument("--model", help="model directory (default: the bundled model)")
    p.add_argument("--format", choices=(*FORMATS, "parquet"),
                   help="jsonl (default when piped), csv, table (default on a terminal) or parquet; "
                        "default from --output's suffix")
    p.add_argument("--output", "-o", help="write to this file instead of standard output")
    p.add_argument("--sentences", action="store_true", help="treat each input line as one bare sentence")
    p.add_argument("--jobs", "-j", type=int, default=1, help="processes to spread files over (default 1)")
    p.add_argument("--resume", action="store_true",
                   help="carry on from the partial output an interrupted run with the same files left")
    p.add_argument("--dask", nargs="?", const="", metavar="SCHEDULER",
                   help="spread files over Dask workers (pip install 'classifier[dask]'): at a scheduler's "
                        "address, or without one on a cluster started on this machine")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_predict)


def _segment_parser(sub) -> None:
    """``classifier segment``."""
    p = sub.add_parser("segment", help="cut report files into units (no labels)")
    p.add_argument("files", nargs="+")
    p.add_argument("--output", "-o")
    p.add_argument("--show-debris", action="store_true",
                   help="list the lines left out as web-page debris (with offsets and kind) instead of the units")
    p.set_defaults(func=_cmd_segment)
