"""Requests that arrive together are worked on together: a report's units are scored faster in
company (one pass of the model over several reports) than alone.

A request never waits for company: when the worker thread is free, the first request goes at
once, alone. While the thread is busy, the requests that arrive queue up, and they go together
(at most ``size`` at a time) as soon as it is free again. Each request gets its own result or
its own error; one bad report does not fail the others (should it break the whole call, the
batch's items are worked on again one by one).

    >>> import asyncio
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> async def demo():
    ...     batcher = Batcher(lambda items: [x * 2 for x in items], ThreadPoolExecutor(1), size=8)
    ...     return await asyncio.gather(*(batcher.submit(x) for x in range(5)))
    >>> asyncio.run(demo())
    [0, 2, 4, 6, 8]
"""
from __future__ import annotations

import asyncio
from concurrent.futures import Executor
from typing import Any, Callable, Generic, Sequence, TypeVar

Item = TypeVar("Item")


class Batcher(Generic[Item]):
    """Runs ``work`` (a list of items → a list of results, an exception instance standing for a failed
    item) on ``executor``, over the items submitted while the previous call ran."""

    def __init__(self, work: Callable[[list[Item]], Sequence[Any]], executor: Executor, size: int) -> None:
        self.work, self.executor, self.size = work, executor, max(1, size)
        self._waiting: list[tuple[Item, asyncio.Future]] = []
        self._runner: asyncio.Task | None = None

    async def submit(self, item: Item) -> Any:
        """The item's result once its batch is done; raises the item's error."""
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._run())
        return await future

    async def _run(self) -> None:
        """Work through the waiting items, a batch at a time, until none is left."""
        loop = asyncio.get_running_loop()
        while self._waiting:
            batch, self._waiting = self._waiting[:self.size], self._waiting[self.size:]
            batch = [(item, future) for item, future in batch if not future.done()]  # a client gone: skipped
            if not batch:
                continue
            results = await self._results(loop, [item for item, _ in batch])
            for (_, future), result in zip(batch, results):
                if future.done():
                    continue
                if isinstance(result, BaseException):
                    future.set_exception(result)
                else:
                    future.set_result(result)

    async def _results(self, loop: asyncio.AbstractEventLoop, items: list[Item]) -> list[Any]:
        """``work`` of the items. When the call itself fails, each item is worked on alone, so that only an
        item that fails by itself fails; a lone item's failed call is its error."""
        try:
            results = await loop.run_in_executor(self.executor, self.work, items)
            if len(results) != len(items):
                raise RuntimeError(f"{len(items)} items gave {len(results)} results")
            return list(results)
        except Exception as error:
            if len(items) == 1:
                return [error]
            return [(await self._results(loop, [item]))[0] for item in items]
