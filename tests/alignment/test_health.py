import pytest
from django.test import override_settings

from tests.alignment.test_settings import run_manage

pytestmark = pytest.mark.django_db


def test_healthz_needs_no_auth(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_ok(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}


@override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_readyz_names_an_unreachable_broker(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["broker"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"] != "ok"


def test_readyz_names_an_unreachable_database():
    # A separate process configured with a database nobody listens on.
    code = (
        "from django.test import Client; r = Client().get('/readyz'); "
        "print(r.status_code, r.json()['failing'])"
    )
    result = run_manage(
        "shell",
        "-c",
        code,
        DEBUG="true",
        DATABASE_URL="postgres://postgres@127.0.0.1:1/nothing",
        ALLOWED_HOSTS="testserver",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "503 ['database']"
