"""Chunks: the reader's thread hands validated rows over to the database's (PostgreSQL).

While the server COPYs and merges one chunk (on one core), a thread reads, validates and
encodes the next one (Python, on the other). One chunk waits at most: memory stays flat
whatever the file size.
"""

from __future__ import annotations

import contextlib
import queue
import sys
import threading
from collections.abc import Callable
from collections.abc import Generator
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection

from metrics.importing.encoders import Encoder
from metrics.importing.reader import Table


class _Cancelled(Exception):
    """The importer gave up (an error on its side): stop reading."""


@dataclass
class Chunk:
    data: bytes  # staging rows in COPY's text format
    last_line: int  # the file's line of the chunk's last row
    dates: tuple  # (first, last) date of its rows, or wider
    grouped: bool  # every row's duplicate key was checked in the reader
    dimensions: tuple  # names first seen since the previous chunk (Encoder.new_dimensions)


class ChunkReader(threading.Thread):
    """Reads, validates and encodes the file into chunks, ahead of the merge: Python works
    on one core while PostgreSQL copies and merges the previous chunk on the other.

    A chunk holds `chunk_rows` rows (pipeline.CHUNK_ROWS) or more, up to the end of the
    day it reached (twice that at most, for one huge day). Progress is written from this
    thread, on its own database connection, so that it is visible while the import's
    transaction is still open.
    """

    def __init__(
        self,
        *,
        name: str,
        table: Table,
        encoder: Encoder,
        rows: Generator[tuple[int, str]],
        chunk_rows: int,
        on_progress: Callable[[int], None],
    ):
        """`rows`: (line, staging row in COPY text) of the valid rows, a generator run on
        this thread; `on_progress(percent)` reports how far the reading is."""
        super().__init__(name=name, daemon=True)
        self.table = table
        self.encoder = encoder
        self.rows = rows
        self.chunk_rows = chunk_rows
        self.on_progress = on_progress
        self.chunks: queue.Queue = queue.Queue(maxsize=1)  # one chunk ahead: flat memory
        self.cancelled = threading.Event()

    def __iter__(self) -> Iterator[Chunk]:
        self.start()
        while True:
            item = self.chunks.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def cancel(self) -> None:
        self.cancelled.set()
        with contextlib.suppress(queue.Empty):
            while True:
                self.chunks.get_nowait()
        self.join(timeout=30)

    def run(self) -> None:
        try:
            self._read()
            self.on_progress(99)  # merging what is left
            self._hand_over(None)
        except _Cancelled:
            pass
        except BaseException as error:  # re-raised in the importer's thread
            self._hand_over(error)
        finally:
            self.rows.close()  # not read any further: the file's generators end here
            connection.close()  # this thread's own connection (progress)

    def _read(self) -> None:
        encoder = self.encoder
        size = self.chunk_rows
        # Rows are joined into bytes a few thousand at a time: a long join would hold the
        # GIL for milliseconds while the importer's thread waits to answer the database.
        parts: list[bytes] = []
        lines: list[str] = []
        rows, cut_day, last_line = 0, None, 0
        for line, encoded in self.rows:
            if cut_day is not None and (encoder.last_day != cut_day or rows >= 2 * size):
                # `encoded` starts the next chunk; its day (or the cap) closes this one.
                parts.append("".join(lines).encode())
                self._emit(b"".join(parts), last_line)
                parts, lines, rows, cut_day = [], [], 0, None
            lines.append(encoded)
            rows += 1
            last_line = line
            if len(lines) == 2000:
                parts.append("".join(lines).encode())
                lines = []
            if cut_day is None and rows >= size:
                cut_day = encoder.last_day
        if rows:
            parts.append("".join(lines).encode())
            self._emit(b"".join(parts), last_line)

    def _emit(self, data: bytes, last_line: int) -> None:
        encoder = self.encoder
        chunk = Chunk(
            data=data,
            last_line=last_line,
            dates=encoder.chunk_dates(),
            grouped=encoder.grouped,
            dimensions=encoder.new_dimensions(),
        )
        if not self._hand_over(chunk):
            raise _Cancelled
        self.on_progress(self.table.progress)

    def _hand_over(self, item) -> bool:
        while not self.cancelled.is_set():
            try:
                self.chunks.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False


_handoff_lock = threading.Lock()
_handoff_users = 0
_handoff_default = sys.getswitchinterval()


@contextlib.contextmanager
def prompt_gil_handoff():
    """While an import runs, a thread waiting for the GIL gets it within 0.1 ms instead of
    5 ms: the reader thread holds it between the database's answers, and every answer the
    importer's thread waited for cost the idle database up to the whole interval (measured:
    ~1.2 s per 1M-row import). The process-wide setting is restored by the last import."""
    global _handoff_users
    with _handoff_lock:
        _handoff_users += 1
        sys.setswitchinterval(0.0001)
    try:
        yield
    finally:
        with _handoff_lock:
            _handoff_users -= 1
            if not _handoff_users:
                sys.setswitchinterval(_handoff_default)
