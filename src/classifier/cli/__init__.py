"""Command line: ``classifier predict|summarize|report|train|evaluate|segment|info|data|serve``.

Each subcommand parses its arguments, calls one library function and writes what it
returns. Errors from the library become one line ``error: …`` and an exit code.
"""
from __future__ import annotations

import argparse
import sys
from typing import Sequence

from ..errors import ClassifierError
from .common import _Version, package_version
from .data import _data_parser
from .labelling import (
    _predict_parser,
    _segment_parser,
    _suggest_parser,
    _summary_parsers,
)
from .modelling import _model_parsers
from .serve import _serve_parser

__all__ = ["build_parser", "main", "package_version"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="classifier", description="Label the units of rule-of-law government reports.")
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", required=True)
    _predict_parser(sub)
    _summary_parsers(sub)
    _segment_parser(sub)
    _model_parsers(sub)
    _data_parser(sub)
    _suggest_parser(sub)
    _serve_parser(sub)
    return parser


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
