"""The notebooks in notebooks/: committed without outputs, and they run top to bottom.

The four notebooks are executed together, one python3 kernel each (they are CPU-bound
and CI has two cores), in about two minutes; deselect them with ``-m "not notebooks"``
when iterating on something else.
"""
from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IDS = [path.stem for path in NOTEBOOKS]

nbformat = pytest.importorskip("nbformat", reason="needs the notebooks extra: pip install -e '.[notebooks]'")


def test_the_four_notebooks_are_there():
    assert IDS == ["1.0-evaluation", "2.0-error-analysis", "3.0-classify-a-report", "4.0-your-own-reports"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [k for k, cell in enumerate(nb.cells) if cell.cell_type == "code"
             and (cell.get("outputs") or cell.get("execution_count") is not None)]
    assert not dirty, (f"{path.name}: cells {dirty} have outputs or execution counts; "
                       "strip them with `python scripts/strip_notebooks.py`")


async def _run_all(notebooks: dict[str, object]) -> dict[str, tuple[BaseException | None, float]]:
    from nbclient import NotebookClient

    async def run(nb) -> tuple[BaseException | None, float]:
        start = time.monotonic()
        client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}})
        try:
            await client.async_execute()
        except Exception as err:  # reported by the notebook's own test
            return err, time.monotonic() - start
        return None, time.monotonic() - start

    results = await asyncio.gather(*(run(nb) for nb in notebooks.values()))
    return dict(zip(notebooks, results))


@pytest.fixture(scope="module")
def executed():
    """Every notebook executed (concurrently), cwd the repo root: name -> (notebook, error, seconds)."""
    for module in ("nbclient", "ipykernel", "matplotlib", "pandas"):
        pytest.importorskip(module, reason="needs the notebooks extra: pip install -e '.[notebooks]'")
    src = str(ROOT / "src")  # the kernels import this checkout, installed or not
    saved = {key: os.environ.get(key) for key in ("PYTHONPATH", "JUPYTER_PLATFORM_DIRS")}
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [src, saved["PYTHONPATH"]]))
    os.environ["JUPYTER_PLATFORM_DIRS"] = "1"
    try:
        notebooks = {path.stem: nbformat.read(path, as_version=4) for path in NOTEBOOKS}
        results = asyncio.run(_run_all(notebooks))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return {name: (notebooks[name], *results[name]) for name in notebooks}


@pytest.mark.notebooks
@pytest.mark.parametrize("name", IDS)
def test_notebook_runs_top_to_bottom(name, executed):
    nb, error, seconds = executed[name]
    if error is not None:
        pytest.fail(f"{name} failed after {seconds:.0f}s:\n{error}", pytrace=False)
    stderr = [out.get("text", "") for cell in nb.cells for out in cell.get("outputs", [])
              if out.get("output_type") == "stream" and out.get("name") == "stderr"]
    assert not stderr, f"{name} wrote to stderr (a warning?): {stderr}"
    assert nb.cells[-1].outputs, f"{name}: the final check printed nothing"


def test_the_readme_command_to_open_them_installs_what_they_need():
    tomllib = pytest.importorskip("tomllib")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -q -e '.[notebooks]' && jupyter lab notebooks/" in readme
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    names = {dep.split(">")[0].split("[")[0] if not dep.startswith("classifier[") else dep for dep in extras["notebooks"]}
    assert {"jupyterlab", "ipykernel", "nbclient", "nbformat", "pandas"} <= names
    assert any("plots" in dep for dep in extras["notebooks"] if dep.startswith("classifier["))
    assert any("notebooks" in dep for dep in extras["test"] if dep.startswith("classifier["))  # so CI runs them
