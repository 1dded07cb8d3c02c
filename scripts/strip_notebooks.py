"""Strip outputs, execution counts and run details from notebooks, in place, before committing.

    python scripts/strip_notebooks.py                  # every notebook in notebooks/
    python scripts/strip_notebooks.py path/to/a.ipynb  # or the ones named
    python scripts/strip_notebooks.py --check          # exit 1 if any notebook has outputs

The notebooks are kept in git without outputs (tests/test_notebooks.py checks it): their
figures are computed when they run, so a stored output could only ever be stale.
Needs nbformat (``pip install -e '.[notebooks]'``).
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent


def strip(nb) -> bool:
    """Remove outputs, execution counts, per-cell run metadata and the Python version a run
    recorded; True if anything changed."""
    changed = nb.metadata.get("language_info", {}).pop("version", None) is not None
    for cell in nb.cells:
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
            cell.outputs, cell.execution_count, changed = [], None, True
        for key in ("execution", "collapsed", "scrolled"):
            changed = cell.metadata.pop(key, None) is not None or changed
    return changed


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [Path(a) for a in argv if a != "--check"] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    dirty = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if strip(nb):
            dirty.append(path)
            if not check:
                nbformat.write(nb, path)
    for path in dirty:
        print(f"{'has outputs' if check else 'stripped'}: {path}")
    return 1 if check and dirty else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
