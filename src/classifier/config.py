"""Defaults, in one place. The CLI's flags take their defaults from here.

    >>> from classifier.config import DEFAULTS
    >>> DEFAULTS.folds
    5
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


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
    data_dir: Path = field(default=Path("data"))


DEFAULTS = Config()
