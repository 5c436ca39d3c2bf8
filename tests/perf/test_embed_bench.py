"""A small run of the embedding benchmark (tests/perf/embed_bench.py): it works and reports
every key. Marked `bench` like the other benchmarks (outside the default run)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.perf.embed_bench import KEYS

pytestmark = pytest.mark.bench


def test_small_embed_bench_reports_every_key():
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-m", "tests.perf.embed_bench"],
        cwd=root,
        env={**os.environ, "EMBED_BENCH_INSIGHTS": "300"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert tuple(data) == KEYS and data["insights"] == 300
    assert all(data[key] > 0 for key in KEYS)
