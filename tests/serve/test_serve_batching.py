"""Requests that arrive together are worked on together, and each still gets its own answer or error."""
from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from classifier.serve.batching import Batcher


class Work:
    """A batch function that records its batches; the first call waits until released."""

    def __init__(self, fail_on=None, broken: bool = False, short: bool = False, breaks_on=None) -> None:
        self.batches: list[list] = []
        self.release = threading.Event()
        self.fail_on, self.broken, self.short, self.breaks_on = fail_on, broken, short, breaks_on

    def __call__(self, items: list) -> list:
        if not self.batches:
            self.release.wait(10)
        self.batches.append(list(items))
        if self.broken or self.breaks_on in items:
            raise OSError("disk on fire")
        results = [ValueError(f"bad {x}") if x == self.fail_on else x * 10 for x in items]
        return results[:-1] if self.short else results


async def submit_while_busy(work: Work, size: int, later: list, cancel: int | None = None) -> list:
    """One item alone first; ``later`` arrive while it is worked on; then the work is released."""
    with ThreadPoolExecutor(1) as executor:
        batcher = Batcher(work, executor, size)
        first = asyncio.ensure_future(batcher.submit(0))
        await asyncio.sleep(0.05)
        rest = [asyncio.ensure_future(batcher.submit(x)) for x in later]
        await asyncio.sleep(0)
        if cancel is not None:
            rest[cancel].cancel()
        work.release.set()
        return await asyncio.gather(first, *rest, return_exceptions=True)


def test_a_lone_request_goes_at_once_and_those_that_queue_go_together():
    work = Work()
    results = asyncio.run(submit_while_busy(work, 16, [1, 2, 3, 4, 5]))
    assert results == [0, 10, 20, 30, 40, 50]
    assert work.batches == [[0], [1, 2, 3, 4, 5]]


def test_a_batch_holds_at_most_size_items_in_the_order_they_came():
    work = Work()
    asyncio.run(submit_while_busy(work, 4, list(range(1, 11))))
    assert work.batches == [[0], [1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]


def test_one_bad_item_fails_alone():
    results = asyncio.run(submit_while_busy(Work(fail_on=3), 16, [1, 2, 3, 4]))
    assert results[:3] == [0, 10, 20] and results[4] == 40
    assert isinstance(results[3], ValueError) and str(results[3]) == "bad 3"


@pytest.mark.parametrize("work, error", [(Work(broken=True), OSError), (Work(short=True), RuntimeError)])
def test_a_call_that_always_fails_fails_each_item_and_nothing_hangs(work, error):
    results = asyncio.run(asyncio.wait_for(submit_while_busy(work, 16, [1, 2]), 10))
    assert all(isinstance(r, error) for r in results)
    assert work.batches == [[0], [1, 2], [1], [2]]  # the failed batch, then each of its items alone


def test_an_item_that_breaks_its_whole_batch_fails_alone():
    work = Work(breaks_on=3)
    results = asyncio.run(submit_while_busy(work, 16, [1, 2, 3, 4]))
    assert results[:3] == [0, 10, 20] and results[4] == 40 and isinstance(results[3], OSError)
    assert work.batches == [[0], [1, 2, 3, 4], [1], [2], [3], [4]]


def test_an_item_whose_client_left_is_not_worked_on():
    work = Work()
    results = asyncio.run(submit_while_busy(work, 16, [1, 2, 3], cancel=1))
    assert work.batches == [[0], [1, 3]]
    assert results[1] == 10 and isinstance(results[2], asyncio.CancelledError) and results[3] == 30
