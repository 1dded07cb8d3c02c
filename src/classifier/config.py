"""Defaults, in one place. The CLI's flags take their defaults from here.

    >>> from classifier.config import DEFAULTS
    >>> DEFAULTS.folds
    5
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
VERSION = "0.1.0"  # the package's own version (classifier.__version__); pyproject.toml's must equal it


@dataclass(frozen=True)
class Config:
    """Training, evaluation and prediction defaults."""

    seed: int = 0
    folds: int = 5
    min_examples_per_label: int = 5
    word_ngrams: tuple[int, int] = (1, 1)
    char_ngrams: tuple[int, int] = (1, 2)
    min_df: int = 2
    context_weight: float = 1.0
    neighbours: float = 0.5
    cues: float = 3.0
    text_only_copies: bool = True
    opening_chars: int = 1500  # training also sees each report's opening as a file of its own (0: not)
    c_grid: tuple[float, ...] = (0.03, 0.1, 0.3)
    c_extend: int = 3  # values of C tried past the grid's end while the best sits on that end
    calibration_folds: int = 3
    class_weight: str = "balanced"
    max_iter: int = 2000
    jobs: int = 0  # processes for training's independent model fits; 0: one per CPU core
    low_confidence: float = 0.6
    # report summaries (classifier summarize / report)
    bootstrap_samples: int = 1000
    interval_level: float = 0.95
    near_duplicate: float = 0.8
    boilerplate_min_chars: int = 12
    few_shortcomings: int = 3
    boilerplate_sign_share: float = 0.25
    formats: tuple[str, ...] = ("jsonl", "csv", "table")
    labels_file_suffix: str = ".jsonl"
    # input limits (read/): an input past one is refused with a one-line error
    max_text_chars: int = 50_000_000  # characters of text taken out of a .docx, .pdf or web page
    max_docx_inflated: int = 200_000_000  # bytes a .docx's zip members inflate to (checked before inflating)
    max_markup_chars: int = 200_000_000  # characters of a web page's markup
    # the web service (classifier serve): where it listens and what one request may hold
    serve_host: str = "127.0.0.1"
    serve_port: int = 8000
    serve_workers: int = 1
    max_upload_bytes: int = 20_000_000  # one uploaded file, or one JSON body
    max_request_bytes: int = 100_000_000  # a whole request
    max_files: int = 50  # files per /v1/summarize request
    max_units: int = 20_000  # units per report
    max_texts: int = 2_000  # sentences per /v1/predict request
    serve_batch: int = 16  # reports a worker classifies together when their requests arrive at once
    # adapting to a user's reports (classifier suggest, train with several corpora)
    suggest_n: int = 100  # units suggested for labelling
    suggest_per_report: int = 5  # at most this many from one report (more only when the reports are few)
    suggest_label_share: float = 0.4  # at most this share of the units with one suggested label
    user_weight: int = 3  # weight of the units of every corpus after the first (train --data … --data …): python -m benchmarks.active
    data_dir: Path = field(default=Path("data"))


DEFAULTS = Config()
