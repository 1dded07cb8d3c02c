"""Pictures of evaluation results (needs the optional ``plots`` extra: matplotlib).

    >>> save_confusion_png([[5, 1], [0, 4]], ["plan", "other"], "cm.png")   # doctest: +SKIP
"""
from __future__ import annotations

from typing import Sequence

from ..files import atomic_file


def save_confusion_png(matrix: Sequence[Sequence[int]], labels: Sequence[str], path: str) -> bool:
    """Write a confusion-matrix heatmap; returns False (writing nothing) without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=35, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("labelled")
    top = max(max(row) for row in matrix) or 1
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            ax.text(j, i, str(value), ha="center", va="center", color="white" if value > top / 2 else "black")
    ax.set_title("Confusion matrix (cross-validated)")
    fig.tight_layout()
    try:
        with atomic_file(path, "wb") as f:  # the umask's mode, or the replaced picture's
            fig.savefig(f, format="png", dpi=110)
    finally:
        plt.close(fig)
    return True
