"""A small `make bench` run (BENCH_ROWS=20000): the benchmark works and writes every key.

Part of `make test` on PostgreSQL (marked `bench`: `pytest -m 'not bench'` leaves it out)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.perf.bench import DEFAULT_URL
from tests.perf.bench import KEYS

BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL") or (
    DEFAULT_URL if os.environ.get("DATABASE_URL", "").startswith("postgres") else None
)

pytestmark = [
    pytest.mark.bench,
    pytest.mark.skipif(
        BENCH_DATABASE_URL is None,
        reason="make bench needs PostgreSQL: set DATABASE_URL=postgres://... (CI does)",
    ),
]


def test_small_bench_writes_every_key(tmp_path):
    output = tmp_path / "bench-results.json"
    env = {
        **os.environ,
        "BENCH_ROWS": "20000",
        "BENCH_OUTPUT": str(output),
        "DATABASE_URL": BENCH_DATABASE_URL,
    }
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-m", "tests.perf.bench"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(output.read_text())
    assert tuple(data) == KEYS
    assert data["rows"] == 20000
    assert all(isinstance(data[key], int | float) and data[key] > 0 for key in KEYS)
    assert "import_ratio" in result.stdout
