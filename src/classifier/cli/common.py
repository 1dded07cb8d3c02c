"""What the subcommands share: the progress bar, writing a result, the shared arguments, the version."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from ..config import DEFAULTS, VERSION
from ..run.output import atomic_output


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


def _write_result(result, output: str | None, write=None, answered: bool | None = None) -> int:
    """Say a batch's errors and write its rows with ``write`` (None: they are written already), unless the batch
    gave no answer (by default: no rows), when nothing is written and an existing output is kept."""
    for error in result.errors:
        print(f"error: {error}", file=sys.stderr)
    if not (bool(result.rows) if answered is None else answered):
        kept = output not in (None, "-") and Path(output).exists()
        print(f"error: {output or 'standard output'}: nothing written: no input gave a result"
              + ("; the existing file is kept" if kept else ""), file=sys.stderr)
        return 1
    if write is not None:
        with atomic_output(output) as out:
            write(out)
    return 1 if result.errors else 0


def _format_from_suffix(output: str | None) -> str:
    """--format's default: from the output file's suffix (.csv .jsonl .xlsx), else a table."""
    suffix = Path(output).suffix.lower().lstrip(".") if output and output != "-" else ""
    return suffix if suffix in ("csv", "jsonl", "xlsx") else "table"


def _warn(warnings: Sequence[str], shown: int = 10) -> None:
    for warning in warnings[:shown]:
        print(f"warning: {warning}", file=sys.stderr)
    if len(warnings) > shown:
        print(f"warning: {len(warnings) - shown} more sentence(s) repeated across reports", file=sys.stderr)


def _corpora(args: argparse.Namespace) -> tuple[list[str], dict[str, int]]:
    """--data (repeatable; default data) and --weight NAME=K."""
    from ..corpus.corpora import parse_weights

    sources = args.data or [str(DEFAULTS.data_dir)]
    return sources, parse_weights(args.weight or [], sources)


def package_version() -> str:
    """The installed distribution's version, or the package's own when it is not installed (a bare checkout)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("classifier")
    except PackageNotFoundError:
        return VERSION


class _Version(argparse.Action):
    """``--version``: looked up only when asked for, so that other commands start no slower."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        print(f"classifier {package_version()}")
        parser.exit()


def _data_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", action="append", help="corpus directory or CSV/JSONL of text,label; repeat it to "
                   f"train on several (default {DEFAULTS.data_dir})")
    p.add_argument("--weight", action="append", metavar="NAME=K",
                   help=f"count the units of --data NAME K times (default 1 for the first corpus, "
                        f"{DEFAULTS.user_weight:g} for the others)")


def _shared(p: argparse.ArgumentParser) -> None:
    p.add_argument("--folds", type=int, default=DEFAULTS.folds, help=f"cross-validation folds (default {DEFAULTS.folds})")
    p.add_argument("--seed", type=int, default=DEFAULTS.seed, help=f"random seed (default {DEFAULTS.seed})")
    p.add_argument("--C", type=float, default=None, help="fix the regularisation C instead of choosing it by CV")
    p.add_argument("--jobs", "-j", type=int, default=DEFAULTS.jobs,
                   help="processes for the model fits (default 0: one per CPU core; 1: no extra processes)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
