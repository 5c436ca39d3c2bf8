"""The errors file of one import: the rejected rows, downloadable with the job's result.

Every rejected row is counted, and the first ones are kept for the job's message; the file
on disk is bounded too (files.RejectedRows), so a file of bad rows cannot fill the disk.
"""

from __future__ import annotations

import csv
import io
import tempfile

from metrics.importing.files import RejectedRows
from metrics.importing.reader import CONTRACTS
from metrics.importing.reader import neutralise

ERROR_SAMPLE = 20


class ErrorWriter:
    """Rejected rows, streamed to a temporary CSV: line, column, reason, then the row.

    Every rejected row is counted; the first ones are written, each cell cut to a sane
    length (files.RejectedRows), so a file of bad rows cannot fill the disk."""

    def __init__(self, kind: str):
        self.fields = CONTRACTS[kind].fields
        self.count = 0
        self.sample: list[dict] = []
        self.kept = RejectedRows()
        self.file = tempfile.TemporaryFile(mode="w+b")  # noqa: SIM115 - handed on
        self.text = io.TextIOWrapper(
            self.file, encoding="utf-8-sig", newline="", write_through=True
        )
        self.writer = csv.writer(self.text)
        self.writer.writerow(["line", "column", "reason", *self.fields])

    def add(self, line: int, column: str, reason: str, values) -> None:
        self.count += 1
        if len(self.sample) < ERROR_SAMPLE:
            self.sample.append({"line": line, "column": column, "reason": reason})
        cells = self.kept.keep(values)
        if cells is not None:
            self.writer.writerow([line, column, reason, *(neutralise(v) for v in cells)])

    @property
    def note(self) -> str:
        return self.kept.note

    def finish(self):
        self.text.flush()
        self.text.detach()
        if not self.count:
            self.file.close()
            return None
        self.file.seek(0)
        return self.file
