"""Python's cycle collector paused while a batch runs, and what the batch made aged without a walk.

    >>> with collector_paused():
    ...     rows = [{"k": k} for k in range(3)]
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a batch runs, as it was before once it ends.

    A batch makes many containers (units, records, rows) and keeps the rows: the collector,
    run every few hundred new containers, would walk them again and again and find no
    cycles (a file that fails leaves its error's traceback, freed by a later collection).
    When it ends, what it kept goes to the collector's oldest generation (``_aged``)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            _aged()
            gc.enable()


def _aged() -> None:
    """Every object the collector tracks moved to its oldest generation, without a walk over them.

    The rows of a batch are all in the youngest generation when it ends: the first young collection
    after it would walk each of them (20–30 ms for 30,000 rows), then the next generation's, and
    find nothing to free; the oldest generation is walked only by the rare full collections.
    ``gc.freeze`` moves every tracked object aside and ``gc.unfreeze`` puts them all in the oldest
    generation. Skipped where the caller has frozen objects of its own, which unfreezing would hand back
    to the collector."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()
