"""Single-flight per workspace: two imports (or two dashboard recomputes, diagnostics runs,
themes recomputes) of one workspace never run their critical section at the same time.
Project infrastructure: metrics and research take these locks; `SCOPES` names each use.

On PostgreSQL this is a transaction-scoped advisory lock (released by COMMIT or ROLLBACK,
so a killed worker never leaves it held). The embedded SQLite default runs in one process,
where a per-key thread lock does the same job.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from contextlib import contextmanager

from django.db import connection
from django.db import transaction

SCOPES = {"import": 7301, "dashboard": 7302, "diagnostics": 7303, "themes": 7304}
_local_locks: defaultdict = defaultdict(threading.Lock)
_guard = threading.Lock()


@contextmanager
def workspace_lock(scope: str, workspace_id: int, *, wait: bool = True):
    """A transaction holding the workspace's `scope` lock. Yields False when `wait` is off
    and another holder has it."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            function = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {function}(%s, %s)", [SCOPES[scope], workspace_id])
                acquired = wait or cursor.fetchone()[0]
            yield acquired
            return
        with _guard:
            lock = _local_locks[(scope, workspace_id)]
        acquired = lock.acquire(blocking=wait)
        try:
            yield acquired
        finally:
            if acquired:
                lock.release()
