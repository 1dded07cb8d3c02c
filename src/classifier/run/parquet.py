"""Rows of predictions as a Parquet file, one row per unit with typed columns, a row group at a time.

    >>> with ParquetRows("out.parquet") as out:                  # doctest: +SKIP
    ...     out.write(rows_of_one_file)                          # buffered; a row group every 65,536 rows
    >>> import pandas; pandas.read_parquet("out.parquet")        # doctest: +SKIP

Columns: ``file`` (string), ``index`` (int32), ``start`` and ``end`` (int64), ``text``, ``heading``
(string), ``is_heading`` (bool), ``role``, ``label`` (string), ``confidence`` (float64), and one
``score_<label>`` (float64) for each label; bare sentences (``--sentences``) have no heading,
is_heading or role. Needs pyarrow (``pip install 'classifier[parquet]'``).
"""
from __future__ import annotations

import os
from typing import Any

from ..errors import MissingExtraError

ROW_GROUP = 65_536  # rows buffered before a row group is written

_TYPES = {"file": "string", "index": "int32", "start": "int64", "end": "int64", "text": "string",
          "heading": "string", "is_heading": "bool_", "role": "string", "label": "string", "confidence": "float64"}


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingExtraError("--format parquet", "needs pyarrow; install it with: pip install 'classifier[parquet]'") \
            from None
    return pyarrow, pq


def check_parquet() -> None:
    """Raise MissingExtraError now, before any work, when pyarrow is not installed."""
    _pyarrow()


class ParquetRows:
    """A Parquet file written as rows come: the schema from the first rows, a row group every ``ROW_GROUP``."""

    def __init__(self, path: str | os.PathLike, row_group: int = ROW_GROUP) -> None:
        self.pa, self.pq = _pyarrow()
        self.path, self.row_group = path, row_group
        self.writer = None
        self.columns: dict[str, list[Any]] = {}
        self.labels: list[str] = []
        self.buffered = 0

    def write(self, rows: list[dict]) -> None:
        if not rows:
            return
        if not self.columns:
            self.labels = sorted(rows[0].get("scores") or {})
            names = [k for k in rows[0] if k in _TYPES] + [f"score_{label}" for label in self.labels]
            self.columns = {name: [] for name in names}
        for name, values in self.columns.items():
            if name.startswith("score_"):
                label = name[len("score_"):]
                values.extend(row["scores"][label] for row in rows)
            else:
                values.extend(row[name] for row in rows)
        self.buffered += len(rows)
        if self.buffered >= self.row_group:
            self._flush()

    def _schema(self):
        fields = [(name, _TYPES.get(name, "float64")) for name in self.columns] or list(_TYPES.items())
        return self.pa.schema([(name, getattr(self.pa, kind)()) for name, kind in fields])

    def _flush(self) -> None:
        schema = self._schema()
        if self.writer is None:
            self.writer = self.pq.ParquetWriter(self.path, schema)
        if self.buffered:
            self.writer.write_table(self.pa.table({n: v for n, v in self.columns.items()}, schema=schema))
        for values in self.columns.values():
            values.clear()
        self.buffered = 0

    def end(self) -> int:
        """Rows so far (a Parquet file has no byte offset a run could resume from)."""
        return self.buffered

    def __enter__(self) -> "ParquetRows":
        return self

    def __exit__(self, kind, *exc) -> None:
        if kind is None:
            self._flush()
        if self.writer is not None:
            self.writer.close()
