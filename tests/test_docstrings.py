"""The examples in the package's docstrings run and give what they show."""
from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import classifier

MODULES = sorted(m.name for m in pkgutil.walk_packages(classifier.__path__, "classifier.")
                 if m.name != "classifier.cli.__main__")  # running it would start the command line


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_of_each_module_run(name, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)  # examples name files from the repository's root
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in doctest.DocTestFinder().find(module):
        runner.run(test)
    assert runner.failures == 0, f"{runner.failures} docstring example(s) of {name} failed (see the output above)"
