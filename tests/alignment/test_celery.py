import pytest

from alignment.tasks import ping


def test_ping_runs_in_process_for_unit_tests():
    assert ping.delay().get(timeout=1) == "pong"


@pytest.mark.integration
def test_ping_round_trip_through_a_real_worker(celery_worker):
    result = celery_worker.send("alignment.ping")
    assert result.get(timeout=60) == "pong"
    assert celery_worker.process.poll() is None  # the worker is still up
